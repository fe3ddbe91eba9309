/** Test support for the alert engine: a fake clock, an in-memory repository, a recording deliver(). Not part of the build. */
import type { AlertNotification, ChannelConfig, DeliverOptions, DeliveryResult } from "./channels/index.js";
import type { AlertRoute, AlertSilence, StoredChannel } from "../store/queries/alert-config.js";
import type { CheckStreak, CollectorConnectionEvent, CollectorLife, InventoryChangeSignal, LastConnection, OpenLink, SeriesStats } from "../store/queries/alert-signals.js";
import type { FilesystemTrend } from "../inventory/lifecycle.js";
import type { DeliveryLogEntry } from "../store/queries/alerts.js";
import type { MaintenanceWindow } from "../availability/index.js";
import type { ConnectionEvent } from "../gateway/session.js";
import type { Clock } from "./engine.js";
import type { AlertConfig, AlertRepository, HostInfo } from "./repository.js";
import { parseParams, type AlertRule, type RuleKind, type Scope } from "./rules.js";
import type { Alert } from "./state.js";

/** A clock whose time moves only when the test says so; timers run in time order. */
export class FakeClock implements Clock {
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;

  /** `earlyMs`: timers run that long before their time, as Node's may against Date.now(). */
  constructor(
    private t = Date.parse("2026-03-02T08:00:00Z"),
    private readonly earlyMs = 0,
  ) {}

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Moves time forward, running each due timer at its time and awaiting `settle` after it. */
  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at - this.earlyMs);
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

/** The engine's storage in memory; tests set config, hosts and signals directly. */
export class MemoryRepository implements AlertRepository {
  rules: AlertRule[] = [];
  channels: StoredChannel[] = [];
  routes: AlertRoute[] = [];
  silences: AlertSilence[] = [];
  maintenance: MaintenanceWindow[] = [];
  hosts: HostInfo[] = [];
  readonly alerts = new Map<string, Alert>();
  readonly deliveries: DeliveryLogEntry[] = [];
  connections: LastConnection[] = [];
  /** Connection events as other collectors recorded them (`at` is when they happened). */
  remoteEvents: CollectorConnectionEvent[] = [];
  links: OpenLink[] = [];
  lives: CollectorLife[] = [];
  streaks: CheckStreak[] = [];
  series = new Map<string, SeriesStats[]>();
  trends = new Map<string, FilesystemTrend[]>();
  connects = new Map<string, number[]>();
  changes: InventoryChangeSignal[] = [];
  failSaves = false;

  async loadConfig(now: number): Promise<AlertConfig> {
    return { rules: this.rules, channels: this.channels, routes: this.routes, silences: this.silences.filter((s) => s.endsAt > now), maintenance: this.maintenance };
  }
  async loadHosts(): Promise<HostInfo[]> {
    return this.hosts;
  }
  async openAlerts(): Promise<Alert[]> {
    return [...this.alerts.values()].filter((a) => a.state !== "resolved");
  }
  async findAlert(id: string): Promise<Alert | null> {
    return this.alerts.get(id) ?? null;
  }
  async saveAlert(alert: Alert): Promise<void> {
    if (this.failSaves) throw new Error("store unavailable");
    this.alerts.set(alert.id, { ...alert });
  }
  async logDeliveries(entries: DeliveryLogEntry[]): Promise<void> {
    this.deliveries.push(...entries);
  }
  async notifiedChannels(alertIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const d of this.deliveries) if (alertIds.includes(d.alertId)) out.set(d.alertId, (out.get(d.alertId) ?? new Set()).add(d.channelId));
    return out;
  }
  async lastConnections(): Promise<LastConnection[]> {
    return this.connections;
  }
  async connectionEventsSince(sinceMs: number, exceptCollectorId: string): Promise<CollectorConnectionEvent[]> {
    return this.remoteEvents.filter((e) => e.at >= sinceMs && e.collectorId !== exceptCollectorId).sort((a, b) => a.at - b.at);
  }
  async openLinks(): Promise<OpenLink[]> {
    return this.links;
  }
  async collectorLives(): Promise<CollectorLife[]> {
    return this.lives;
  }
  async checkStreaks(): Promise<CheckStreak[]> {
    return this.streaks;
  }
  async seriesStats(metric: string): Promise<SeriesStats[]> {
    return this.series.get(metric) ?? [];
  }
  async filesystemTrends(): Promise<Map<string, FilesystemTrend[]>> {
    return this.trends;
  }
  async connectTimes(sinceMs: number): Promise<Map<string, number[]>> {
    return new Map([...this.connects].map(([id, times]) => [id, times.filter((t) => t >= sinceMs)]));
  }
  async inventoryChanges(_clientIds: readonly string[], sinceMs: number): Promise<InventoryChangeSignal[]> {
    return this.changes.filter((c) => c.at >= sinceMs);
  }
  async alertSubjects(kind: RuleKind, sinceMs: number): Promise<Set<string>> {
    return new Set([...this.alerts.values()].filter((a) => a.ruleKind === kind && a.createdAt >= sinceMs).map((a) => a.subjectKey));
  }
  async ackKey(): Promise<string> {
    return "k".repeat(43);
  }

  /** What a person does through the API: acknowledge or resolve the stored alert. */
  act(alertId: string, action: "ack" | "resolve", by: string, at: number): void {
    const a = this.alerts.get(alertId)!;
    this.alerts.set(alertId, action === "ack" ? { ...a, state: a.state === "resolved" ? a.state : "acknowledged", acknowledgedAt: at, acknowledgedBy: by } : { ...a, state: "resolved", resolvedAt: at, resolvedBy: by });
  }
}

/** One call of the recording deliver(). */
export interface Sent {
  config: ChannelConfig;
  notification: AlertNotification;
}

/**
 * A deliver() that records what it was asked to send and succeeds at once; `hang(url)` makes deliveries to
 * that webhook URL wait until they are aborted (a receiver that never answers).
 */
export function recordingDeliver(): { sent: Sent[]; hang(url: string): void; deliver: (c: ChannelConfig, n: AlertNotification, o?: DeliverOptions) => Promise<DeliveryResult> } {
  const sent: Sent[] = [];
  const hanging = new Set<string>();
  return {
    sent,
    hang: (url) => void hanging.add(url),
    deliver: (config, notification, options = {}) => {
      sent.push({ config, notification });
      const base = { channel: config.type, event: notification.event, alertId: notification.alertId, deliveryId: `d${sent.length}` };
      if (config.type === "webhook" && hanging.has(config.url)) {
        return new Promise((resolve) => {
          const done = () => resolve({ ...base, ok: false, attempts: [{ at: 0, durationMs: 0, code: "aborted", error: "aborted" }], error: { code: "aborted", message: "aborted", retryable: true } });
          if (options.signal?.aborted) done();
          else options.signal?.addEventListener("abort", done);
        });
      }
      return Promise.resolve({ ...base, ok: true, attempts: [{ at: 0, durationMs: 1, status: 200 }], deliveredAt: 0 });
    },
  };
}

/** A webhook channel; global unless a clientId is given. */
export function webhookChannel(id: string, clientId = ""): StoredChannel {
  return { id, clientId, name: id, config: { type: "webhook", url: `http://127.0.0.1:9/${id}` }, enabled: true, createdAt: 0, createdBy: "test", updatedAt: 0 };
}

/** A stored rule with params validated and defaults applied. */
export function rule(kind: RuleKind, scope: Scope, params: Record<string, unknown> = {}, extra: Partial<AlertRule> = {}): AlertRule {
  const clientId = scope.level === "client" ? scope.id : (extra.clientId ?? "");
  return { id: `r-${kind}-${scope.level}-${scope.id}`, clientId, scope, name: `${kind} rule`, kind, params: parseParams(kind, params), severity: "critical", enabled: true, createdAt: 1, createdBy: "test", updatedAt: 1, ...extra };
}

/** A host of client c1; `site` defaults to s1. */
export function host(id: string, site = "s1", client = "c1"): HostInfo {
  return { id, clientId: client, siteId: site, hostname: `${id}.example`, clientName: `Client ${client}`, siteName: `Site ${site}`, tags: [] };
}

/** A gateway connection event for a host. */
export function connectionEvent(h: HostInfo, event: "connected" | "disconnected", reason = event === "connected" ? "hello" : "close:1006", bootId = "boot-1"): ConnectionEvent {
  return { agentId: h.id, clientId: h.clientId, siteId: h.siteId, event, reason, remoteAddr: "127.0.0.1", bootId };
}
