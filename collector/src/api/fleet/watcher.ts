import type { PresenceEventSource } from "../../gateway/presence-events.js";
import type { ApiDeps } from "../app.js";
import type { FleetHost } from "./schema.js";
import { fleetHosts, loadFleet, LOCAL_COLLECTOR } from "./snapshot.js";
import type { LastConnectionEvent } from "../../store/queries/fleet.js";

/** How often the store is read for changes this collector cannot see (other collectors' agents, windows, alerts). */
export const FLEET_POLL_MS = 5000;
/** Local events are gathered this long before the fleet is read again, so a burst costs one read. */
const DEBOUNCE_MS = 100;
/** Local events are laid over the stored ones this long; by then the writer has stored them. */
const RECENT_MS = 30_000;

/** Told of a host whose status (or connection, alerts, name) changed, or that is new. */
export type HostListener = (host: FleetHost) => void;

// What makes a host worth an event: not its last-seen time, which moves with every sample.
const signature = (h: FleetHost) => `${h.status}|${h.connected}|${h.firingAlerts}|${h.acknowledgedAlerts}|${h.hostname}|${h.siteId}`;

/**
 * Watches the whole fleet for status changes while anyone listens: reads it again shortly after each local
 * connection event and every {@link FLEET_POLL_MS} (agents on other collectors are known only from the store),
 * and tells listeners about the hosts whose status changed. One watcher serves every listener of an API.
 */
export class FleetWatcher {
  private readonly listeners = new Set<{ clientId: string | undefined; listener: HostListener }>();
  private readonly recent = new Map<string, LastConnectionEvent>();
  private known = new Map<string, string>();
  private baseline: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly deps: ApiDeps,
    private readonly source: PresenceEventSource | undefined,
    private readonly pollMs = FLEET_POLL_MS,
  ) {}

  /**
   * Adds a listener for the hosts of one client (undefined: every client). Resolves once the watcher knows the
   * fleet as it is, so that changes after that are reported; the returned function removes the listener.
   */
  async subscribe(clientId: string | undefined, listener: HostListener): Promise<() => void> {
    const entry = { clientId, listener };
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.start();
    const remove = () => {
      if (!this.listeners.delete(entry)) return;
      if (this.listeners.size === 0) this.stop();
    };
    try {
      await this.baseline;
    } catch (err) {
      remove();
      throw err;
    }
    return remove;
  }

  /** Number of listeners now. */
  get size(): number {
    return this.listeners.size;
  }

  private start(): void {
    this.unsubscribe = this.source?.subscribe((e) => {
      if (e.event !== "connected" && e.event !== "goodbye" && e.event !== "disconnected") return;
      this.recent.set(e.agentId, { agentId: e.agentId, collectorId: this.deps.collectorRunId ?? LOCAL_COLLECTOR, event: e.event, reason: e.reason, at: e.at });
      this.schedule();
    });
    this.baseline = this.read(false);
    this.baseline.catch(() => this.stop());
    this.timer = setInterval(() => this.schedule(), this.pollMs);
    this.timer.unref();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.debounce = undefined;
    this.known = new Map();
    this.recent.clear();
    this.baseline = undefined;
  }

  private schedule(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.refresh();
    }, DEBOUNCE_MS);
  }

  // One read at a time; a request meanwhile makes one more read afterwards.
  private async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.read(true)
      .catch((err: Error) => this.deps.logger.warn({ err: err.message }, "fleet watcher: reading the fleet failed; retrying at the next poll"))
      .finally(() => {
        this.running = undefined;
        if (this.again && this.listeners.size > 0) {
          this.again = false;
          void this.refresh();
        }
      });
    await this.running;
  }

  private async read(emit: boolean): Promise<void> {
    const now = Date.now();
    for (const [id, e] of this.recent) if (now - e.at > RECENT_MS) this.recent.delete(id);
    const hosts = fleetHosts(await loadFleet(this.deps, undefined, this.recent));
    if (this.listeners.size === 0) return;
    const next = new Map<string, string>();
    for (const host of hosts) {
      const sig = signature(host);
      next.set(host.id, sig);
      if (!emit || this.known.get(host.id) === sig) continue;
      for (const { clientId, listener } of [...this.listeners]) {
        if (clientId !== undefined && clientId !== host.clientId) continue;
        try {
          listener(host);
        } catch (err) {
          this.deps.logger.warn({ err: (err as Error).message }, "fleet watcher: a listener failed");
        }
      }
    }
    this.known = next;
  }
}
