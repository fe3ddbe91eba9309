/**
 * The alert engine: runs on the primary collector, turns lost connections, failing checks and metrics held
 * over a threshold into alerts, and takes them through their lifecycle (deduplication, site grouping,
 * maintenance and silences, repeats, escalation, resolve notices). Connection events come from the gateway
 * as they happen; checks and metrics are read from the store every evaluation interval. Every state change
 * runs on one queue, so events, timers and sweeps never interleave.
 */
import { CloseCode } from "@vigil/protocol";
import { appliesTo, expandMaintenance, type MaintenanceTarget } from "../availability/index.js";
import { newId } from "../auth/secrets.js";
import type { ConnectionEvent } from "../gateway/session.js";
import { bytes } from "../inventory/changes.js";
import { fillForecast, type FilesystemTrend } from "../inventory/lifecycle.js";
import type { AlertEvent, DeliverOptions } from "./channels/index.js";
import { DeliveryQueue, buildNotification, routePlan, type AlertLogger, type DeliverFn } from "./notifier.js";
import type { CheckStreak, CollectorConnectionEvent, CollectorLife, InventoryChangeSignal, SeriesStats } from "../store/queries/alert-signals.js";
import type { AlertConfig, AlertRepository, HostInfo } from "./repository.js";
import {
  BUILTIN_RULES,
  RULE_NAMES,
  THRESHOLD_METRICS,
  effectiveRule,
  effectiveRules,
  parseParams,
  scopeMatches,
  type AlertRule,
  type FsForecastParams,
  type HostDownParams,
  type InventoryChangeKind,
  type RuleKind,
  type RuleTarget,
  type ThresholdParams,
} from "./rules.js";
import { ENGINE_ACTOR, isOpen, mergeHumanActions, resolve, type Alert } from "./state.js";

/** Time and timers, so tests can drive the engine with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; its timers never keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Collaborators and tuning of the engine; defaults suit production. */
export interface AlertEngineOptions {
  repo: AlertRepository;
  logger: AlertLogger;
  /** Base URL for dashboard and ack links in notifications. */
  publicUrl: string;
  clock?: Clock;
  deliver?: DeliverFn;
  deliverOptions?: Omit<DeliverOptions, "signal" | "logger" | "deliveryId">;
  /** Interval agents sample health at (the tolerance of threshold windows); default 15 s. */
  sampleIntervalMs?: number;
  /** Interval agents run checks at (how far back check results are read); default 30 s. */
  checkIntervalMs?: number;
  /** Configuration reload, human actions pick-up, repeats and escalation; default 5 s. */
  sweepIntervalMs?: number;
  /** Check and threshold evaluation; default 15 s. */
  evaluateIntervalMs?: number;
  /** After a collector start, how long agents that were connected get to come back; default 60 s. */
  startupGraceMs?: number;
  /** Filesystem forecasts (from hourly rollups, so they change slowly); default 1 h. */
  forecastIntervalMs?: number;
  /** Inventory change evaluation; default 60 s. */
  inventoryIntervalMs?: number;
  /**
   * This collector's run id (`connection_events.collector_id`). With it, the engine also reads the
   * connection events other collectors record, and notices collectors that stopped heartbeating.
   */
  collectorId?: string;
  /** How often other collectors' connection events are read; default 2 s. */
  otherCollectorsIntervalMs?: number;
  /** A collector whose last heartbeat is older than this is taken for dead with its connections; default 25 s (heartbeats every 10 s). */
  collectorStaleMs?: number;
  queue?: { concurrency?: number; perChannel?: number; maxQueued?: number };
}

const HOUR = 3600_000;
/** How far back inventory changes are looked for (a collector down longer misses older ones). */
const INVENTORY_LOOKBACK_MS = 24 * HOUR;
/** An open forecast alert resolves only once the forecast is this far past its window: no flapping at the edge. */
const FORECAST_HYSTERESIS = 1.5;

/**
 * Other collectors' events are read again this far back: rows reach the store up to a writer flush (about a
 * second, more under load) after they happened, so a read up to now would miss late ones.
 */
const OTHER_COLLECTORS_OVERLAP_MS = 30_000;
/** Where local events' connections are held when the engine is not told its collector id. */
const LOCAL = "local";

/** Goodbye reasons after which a technician is presumably at work: the longer confirmation window applies. */
const PLANNED_GOODBYES = new Set(["service_stop", "agent_restart", "os_reboot", "os_shutdown", "user"]);

/** What the engine knows about one host's connection. */
interface HostState {
  id: string;
  clientId: string;
  siteId: string;
  connected: boolean;
  bootId: string;
  /** When the connection was lost (0 = never seen lost). */
  lostAt: number;
  /** `goodbye:<reason>`, `close:<code>`, `collector_restart` or `collector_lost`. */
  lostReason: string;
  /** Collectors holding a connection of the host (run id → connected at): it is connected while any does. */
  links: Map<string, number>;
  /** When the host last came back (0 = not seen connecting). */
  connectedAt: number;
  /** When its recent host-down alerts fired (flap suppression). */
  outages: number[];
  /** Its host-down alert stands for a flapping host: held open through drops until the host is stable. */
  flapping: boolean;
  /** When a host alert may fire; Infinity = never (connected, or not alerting). */
  confirmAt: number;
  /** Lost after a goodbye for planned work: not part of a site outage. */
  planned: boolean;
  /** Uninstalled or revoked: never alerted. */
  ignored: boolean;
  timer: unknown;
}

/** An alert about to fire. */
interface Candidate {
  rule: AlertRule;
  clientId: string;
  siteId: string;
  hostId: string;
  subjectKey: string;
  subjectKind: Alert["subjectKind"];
  subjectName: string;
  startedAt: number;
  summary: string;
  /** Hosts a site alert stands for (maintenance of all of them silences it). */
  members?: readonly string[];
}

const EMPTY_CONFIG: AlertConfig = { rules: [], channels: [], routes: [], silences: [], maintenance: [] };

/** The alert engine; `start()` it on the primary collector and feed it the gateway's connection events. */
export class AlertEngine {
  private readonly repo: AlertRepository;
  private readonly logger: AlertLogger;
  private readonly clock: Clock;
  private readonly queue: DeliveryQueue;
  private config: AlertConfig = EMPTY_CONFIG;
  private readonly hosts = new Map<string, HostInfo>();
  private readonly siteNames = new Map<string, { siteName: string; clientName: string }>();
  private readonly states = new Map<string, HostState>();
  private readonly open = new Map<string, Alert>();
  private readonly openByKey = new Map<string, Alert>();
  /** Channels each open alert was notified on: its acknowledge, repeat and resolve notices go there. */
  private readonly notified = new Map<string, Set<string>>();
  /** Conditions a person resolved while they still held: not fired again until they clear. */
  private readonly latched = new Set<string>();
  /** Alerts resolved here lately, so a stale stored copy is not taken for an open one. */
  private readonly closed = new Set<string>();
  /** Alerts whose last save failed; saved again at the next sweep. */
  private readonly unsaved = new Map<string, Alert>();
  private chain: Promise<void> = Promise.resolve();
  /** Store reads under way before their results go on the work queue. */
  private readonly reading = new Set<Promise<void>>();
  private readonly loops: unknown[] = [];
  private stopped = true;
  private ackKey: string | undefined;
  private hostsLoadedAt = 0;
  /** Each host's reconnect times within the last hour, oldest first (agent flapping). */
  private readonly reconnects = new Map<string, number[]>();
  /** Inventory change alerts told (subject key → when the change was collected), so each is told once. */
  private readonly inventoryTold = new Map<string, number>();
  /** Other collectors' events: the newest applied, the oldest worth applying, and those applied (key → at). */
  private otherSince = 0;
  private otherFloor = 0;
  private readonly otherSeen = new Map<string, number>();
  /** Collector runs as last read, by run id. */
  private lives = new Map<string, CollectorLife>();

  constructor(private readonly options: AlertEngineOptions) {
    this.repo = options.repo;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.queue = new DeliveryQueue({
      deliver: options.deliver,
      deliverOptions: options.deliverOptions,
      concurrency: options.queue?.concurrency,
      perChannel: options.queue?.perChannel,
      maxQueued: options.queue?.maxQueued,
      log: (entries) => this.repo.logDeliveries(entries),
      logger: this.logger,
      now: () => this.clock.now(),
    });
  }

  /** Loads configuration, open alerts and how each agent's connection last changed, then starts the loops. */
  async start(): Promise<void> {
    const now = this.clock.now();
    this.ackKey = await this.repo.ackKey();
    this.config = await this.repo.loadConfig(now);
    await this.loadHosts(now);
    const open = await this.repo.openAlerts();
    for (const a of open) this.setOpen(a);
    for (const [id, set] of await this.repo.notifiedChannels(open.map((a) => a.id))) this.notified.set(id, set);
    // Agents that were connected when the collector went away get a grace period to come back; agents
    // already lost keep the confirmation they had.
    for (const last of await this.repo.lastConnections(now - 24 * 3600_000)) {
      const host = this.hosts.get(last.agentId);
      if (!host) continue;
      const state = this.state(host.id, host.clientId, host.siteId);
      state.bootId = last.bootId;
      if (last.event === "connected" || last.reason === `close:${CloseCode.GoingAway}`) {
        this.markLost(state, now, "collector_restart", (this.options.startupGraceMs ?? 60_000) + this.confirmMs(state, false));
      } else {
        this.markLost(state, last.at, last.reason);
      }
    }
    if (this.options.collectorId !== undefined) {
      // Agents connected to other collectors that are still alive are connected, not lost.
      this.setLives(await this.repo.collectorLives(now - HOUR));
      for (const link of await this.repo.openLinks(now - 24 * 3600_000)) {
        const host = this.hosts.get(link.agentId);
        if (!host || link.collectorId === this.options.collectorId || !this.lives.has(link.collectorId) || !this.collectorAlive(link.collectorId, link.at, now)) continue;
        const state = this.state(host.id, host.clientId, host.siteId);
        state.links.set(link.collectorId, link.at);
        state.connected = true;
        state.connectedAt = link.at;
        state.confirmAt = Infinity;
        if (link.bootId) state.bootId = link.bootId;
        this.clock.clearTimeout(state.timer);
      }
      // Events from here on are read as they land; older ones are what was just read.
      this.otherFloor = now;
      this.otherSince = now;
    }
    // Connections of the last hour, minus each host's first (it may have been a first connection): flapping
    // counts survive a collector restart.
    for (const [agentId, times] of await this.repo.connectTimes(now - HOUR)) if (times.length > 1) this.reconnects.set(agentId, times.slice(1));
    for (const key of await this.repo.alertSubjects("inventory_changed", now - INVENTORY_LOOKBACK_MS)) this.inventoryTold.set(key, now);
    this.stopped = false;
    this.loop(this.options.sweepIntervalMs ?? 5000, () => this.sweep());
    this.loop(this.options.evaluateIntervalMs ?? 15_000, () => this.evaluate());
    this.loop(this.options.forecastIntervalMs ?? HOUR, () => this.evaluateForecasts());
    this.loop(this.options.inventoryIntervalMs ?? 60_000, () => this.evaluateInventory());
    if (this.options.collectorId !== undefined) this.loop(this.options.otherCollectorsIntervalMs ?? 2000, () => this.readOtherCollectors());
    this.logger.info({ openAlerts: this.open.size, hosts: this.hosts.size }, "alert engine started");
  }

  /** Stops timers and loops, finishes the step in progress, and cancels deliveries still running. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.loops.splice(0)) this.clock.clearTimeout(t);
    for (const s of this.states.values()) this.clock.clearTimeout(s.timer);
    while (this.reading.size > 0) await Promise.all(this.reading);
    await this.chain;
    await this.queue.stop();
  }

  /** Gateway observer: a connection event of any agent on this collector. Never throws. */
  onConnectionEvent(e: ConnectionEvent): void {
    if (this.stopped || (e.event !== "connected" && e.event !== "disconnected")) return;
    const at = this.clock.now();
    const collectorId = this.options.collectorId ?? LOCAL;
    void this.work(e.event, () => (e.event === "connected" ? this.hostConnected(e, at, collectorId) : this.hostDisconnected(e, at, collectorId)));
  }

  /**
   * Reads the connection events other collectors recorded since the last read (agents connected to
   * secondaries), and which collectors are alive; applies them as the gateway's own events are applied.
   */
  readOtherCollectors(): Promise<void> {
    const own = this.options.collectorId;
    if (own === undefined) return Promise.resolve();
    return this.readThenWork("other collectors", async () => {
      const now = this.clock.now();
      const [events, lives] = await Promise.all([
        this.repo.connectionEventsSince(Math.max(this.otherFloor, this.otherSince - OTHER_COLLECTORS_OVERLAP_MS), own),
        this.repo.collectorLives(now - HOUR),
      ]);
      return () => this.applyOtherCollectors(now, events, lives);
    });
  }

  /** Reloads configuration, picks up acknowledgements and resolutions made through the API, sends repeats and escalations. */
  sweep(): Promise<void> {
    return this.readThenWork("sweep", async () => {
      const now = this.clock.now();
      const [config, stored, hosts] = await Promise.all([
        this.repo.loadConfig(now),
        this.repo.openAlerts(),
        now - this.hostsLoadedAt >= 60_000 ? this.repo.loadHosts() : Promise.resolve(undefined),
      ]);
      return () => this.doSweep(config, stored, hosts);
    });
  }

  /** Evaluates check and threshold rules against the stored results and samples. */
  evaluate(): Promise<void> {
    return this.readThenWork("evaluate", async () => {
      const now = this.clock.now();
      const checks = await this.readChecks(now);
      const series = await this.readSeries(now);
      return async () => {
        if (this.stopped) return;
        await this.evaluateChecks(now, checks);
        await this.evaluateThresholds(now, series);
        await this.evaluateFlapping(this.clock.now());
      };
    });
  }

  /** Evaluates filesystem forecast rules against the usage trends in the metric rollups. */
  evaluateForecasts(): Promise<void> {
    return this.readThenWork("forecast", async () => {
      const now = this.clock.now();
      const wanted = [...this.config.rules, ...BUILTIN_RULES].some((r) => r.kind === "fs_forecast" && r.enabled);
      // With no rule left, the read is skipped and open forecast alerts resolve.
      const trends = wanted ? await this.repo.filesystemTrends(this.clientIds(), now) : new Map<string, FilesystemTrend[]>();
      return () => this.applyForecasts(now, trends);
    });
  }

  /** Evaluates inventory change rules against the changes found in recently collected inventories. */
  evaluateInventory(): Promise<void> {
    return this.readThenWork("inventory", async () => {
      const now = this.clock.now();
      const rules = this.config.rules.filter((r) => r.kind === "inventory_changed" && r.enabled);
      if (rules.length === 0) return () => undefined;
      // A rule reports changes collected after it was made, not a backlog of older ones.
      const since = Math.max(now - INVENTORY_LOOKBACK_MS, Math.min(...rules.map((r) => r.createdAt)));
      const changes = await this.repo.inventoryChanges(this.clientIds(), since, now);
      return () => this.applyInventory(now, changes);
    });
  }

  /** Resolves when every queued step (and, unless told otherwise, every delivery) has finished (tests). */
  async settled(opts: { deliveries?: boolean } = {}): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading);
    await this.chain;
    if (opts.deliveries === false) return;
    await this.queue.idle();
    await this.chain;
  }

  /** The open alerts as the engine holds them. */
  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  // ── connection events ──────────────────────────────────────────────────────────────────────────────

  private async hostConnected(e: ConnectionEvent, now: number, collectorId: string): Promise<void> {
    await this.ensureHost(e.agentId, now);
    const state = this.state(e.agentId, e.clientId, e.siteId);
    // Coming back after a collector restarted or died is not the agent's doing.
    const reconnected = !state.connected && state.lostAt > 0 && state.lostReason !== "collector_restart" && state.lostReason !== "collector_lost";
    const previousBoot = state.bootId;
    state.links.set(collectorId, now);
    if (!state.connected) state.connectedAt = now;
    state.connected = true;
    state.confirmAt = Infinity;
    state.planned = false;
    state.ignored = false;
    this.clock.clearTimeout(state.timer);
    if (e.bootId) state.bootId = e.bootId;
    for (const a of [...this.open.values()]) {
      // A flapping host's alert stays open until the host is stable (the sweep resolves it).
      if (a.ruleKind === "host_down" && a.hostId === e.agentId && !state.flapping) await this.resolveAlert(a, now);
    }
    this.latched.delete(`host_down|host:${e.agentId}`);
    if (previousBoot && e.bootId && previousBoot !== e.bootId) await this.hostRebooted(state, now);
    if (reconnected) await this.hostReconnected(state, now);
    await this.evaluateSite(state.siteId, now);
  }

  /** Counts a reconnect, and fires the flapping alert when the last hour holds more than the rule allows. */
  private async hostReconnected(state: HostState, now: number): Promise<void> {
    const times = (this.reconnects.get(state.id) ?? []).filter((t) => t > now - HOUR);
    times.push(now);
    this.reconnects.set(state.id, times);
    const rule = effectiveRule(this.config.rules, this.target(state), "agent_flapping");
    if (!rule || times.length <= rule.params.maxReconnectsPerHour) return;
    await this.ensureHost(state.id, now);
    const hostname = this.hosts.get(state.id)?.hostname ?? state.id;
    await this.fire(
      {
        rule,
        clientId: state.clientId,
        siteId: state.siteId,
        hostId: state.id,
        subjectKey: `flapping:${state.id}`,
        subjectKind: "host",
        subjectName: hostname,
        startedAt: times[0]!,
        summary: `${hostname} reconnected ${times.length} times within the last hour (more than ${rule.params.maxReconnectsPerHour}): its connection to the collector keeps dropping`,
      },
      now,
    );
  }

  /** Resolves flapping alerts once the last hour holds at most half the allowed reconnects (calm, not just below the line). */
  private async evaluateFlapping(now: number): Promise<void> {
    for (const [id, times] of this.reconnects) {
      const recent = times.filter((t) => t > now - HOUR);
      if (recent.length === 0) this.reconnects.delete(id);
      else if (recent.length < times.length) this.reconnects.set(id, recent);
    }
    for (const a of [...this.open.values()]) {
      if (a.ruleKind !== "agent_flapping") continue;
      const state = this.states.get(a.hostId);
      const rule = state ? effectiveRule(this.config.rules, this.target(state), "agent_flapping") : undefined;
      const count = this.reconnects.get(a.hostId)?.length ?? 0;
      if (!rule || count <= Math.floor(rule.params.maxReconnectsPerHour / 2)) {
        this.latched.delete(keyOf(a));
        await this.resolveAlert(a, now);
      }
    }
  }

  private async hostDisconnected(e: ConnectionEvent, now: number, collectorId: string, asReason?: "collector_restart"): Promise<void> {
    const state = this.states.get(e.agentId);
    // Only a connection that was welcomed counts: a refused or failed handshake changes nothing.
    if (!state?.connected || !state.links.delete(collectorId)) return;
    // Still connected through another collector (it moved, and the old one noticed late).
    if (state.links.size > 0) return;
    this.logger.debug({ agentId: e.agentId, reason: e.reason }, "host connection lost");
    if (asReason === "collector_restart") this.markLost(state, now, asReason, (this.options.startupGraceMs ?? 60_000) + this.confirmMs(state, false));
    else this.markLost(state, now, e.reason);
  }

  /** Applies other collectors' events each once, in the order they happened; then drops connections held by collectors that died. */
  private async applyOtherCollectors(now: number, events: CollectorConnectionEvent[], lives: CollectorLife[]): Promise<void> {
    if (this.stopped) return;
    for (const ev of events) {
      const key = `${ev.collectorId}|${ev.agentId}|${ev.at}|${ev.event}`;
      if (ev.at < this.otherFloor || this.otherSeen.has(key)) continue;
      this.otherSeen.set(key, ev.at);
      this.otherSince = Math.max(this.otherSince, ev.at);
      const e: ConnectionEvent = { agentId: ev.agentId, clientId: ev.clientId, siteId: ev.siteId, event: ev.event, reason: ev.reason, remoteAddr: "", bootId: ev.bootId };
      if (ev.event === "connected") await this.hostConnected(e, ev.at, ev.collectorId);
      // A collector that stopped cleanly closed its agents with "going away": they reconnect to another,
      // so they get the grace the agents of a restarting collector get.
      else if (ev.reason === `close:${CloseCode.GoingAway}`) await this.hostDisconnected(e, ev.at, ev.collectorId, "collector_restart");
      else await this.hostDisconnected(e, ev.at, ev.collectorId);
    }
    for (const [key, at] of this.otherSeen) if (at < this.otherSince - 2 * OTHER_COLLECTORS_OVERLAP_MS) this.otherSeen.delete(key);

    this.setLives(lives);
    for (const state of this.states.values()) {
      for (const [collectorId, since] of state.links) {
        if (collectorId === this.options.collectorId || this.collectorAlive(collectorId, since, now)) continue;
        state.links.delete(collectorId);
        if (state.links.size > 0 || !state.connected) continue;
        // Its collector died (killed, or its machine lost) without closing anything: the agent is lost unless
        // it reconnects somewhere, which its events will tell. Confirmation counts from now, when we know.
        const life = this.lives.get(collectorId);
        const lostAt = Math.max(since, life ? (life.stoppedAt ?? life.heartbeatAt) : since);
        this.logger.info({ agentId: state.id, collectorId }, "host's collector stopped heartbeating");
        this.markLost(state, lostAt, "collector_lost", now - lostAt + this.confirmMs(state, false));
      }
    }
  }

  private setLives(lives: CollectorLife[]): void {
    this.lives = new Map(lives.map((l) => [l.runId, l]));
  }

  /** Whether a collector still holds its connections: it heartbeats and has not stopped (one not yet on record gets the stale time to appear). */
  private collectorAlive(collectorId: string, linkedAt: number, now: number): boolean {
    const staleMs = this.options.collectorStaleMs ?? 25_000;
    const life = this.lives.get(collectorId);
    if (!life) return now - linkedAt < staleMs;
    return life.stoppedAt === null && life.heartbeatAt >= now - staleMs;
  }

  private markLost(state: HostState, at: number, reason: string, confirmMs?: number): void {
    const goodbye = reason.startsWith("goodbye:") ? reason.slice("goodbye:".length) : undefined;
    state.connected = false;
    state.links.clear();
    state.lostAt = at;
    state.lostReason = reason;
    state.planned = goodbye !== undefined && PLANNED_GOODBYES.has(goodbye);
    state.ignored = goodbye === "uninstall" || reason === `close:${CloseCode.Revoked}`;
    state.confirmAt = state.ignored ? Infinity : at + (confirmMs ?? this.confirmMs(state, state.planned));
    this.armTimer(state);
  }

  private confirmMs(state: HostState, planned: boolean): number {
    const rule = effectiveRule(this.config.rules, this.target(state), "host_down") ?? BUILTIN_RULES.find((r) => r.kind === "host_down")!;
    const p = hostDownParams(rule);
    return (planned ? p.plannedConfirmSeconds : p.confirmSeconds) * 1000;
  }

  private armTimer(state: HostState): void {
    this.clock.clearTimeout(state.timer);
    state.timer = undefined;
    if (!Number.isFinite(state.confirmAt)) return;
    const due = state.confirmAt;
    // Timers run on a monotonic clock and may fire a millisecond before Date.now() reaches `due`.
    state.timer = this.clock.setTimeout(() => void this.work("confirm", () => this.evaluateSite(state.siteId, Math.max(this.clock.now(), due))), Math.max(0, due - this.clock.now()));
  }

  /**
   * Decides the alerts of one site from its hosts' connections: a site outage when no host is connected
   * and at least `minHosts` went dark (without a goodbye) within the window of the last one — once all of
   * them are past their confirmation; otherwise a host alert for each host lost past its confirmation.
   * While a site alert stands, its hosts get none; when a host returns, the site alert resolves and the
   * hosts still lost get a fresh confirmation window before their own alerts.
   */
  private async evaluateSite(siteId: string, now: number): Promise<void> {
    if (this.stopped) return;
    const hosts = [...this.states.values()].filter((s) => s.siteId === siteId);
    if (hosts.length === 0) return;
    const { clientId } = hosts[0]!;
    const siteKey = `site_down|site:${siteId}`;
    let siteAlert = this.openByKey.get(siteKey);
    const lost = hosts.filter((h) => !h.connected && !h.ignored && h.lostAt > 0);
    if (hosts.some((h) => h.connected)) {
      this.latched.delete(siteKey);
      if (siteAlert) {
        await this.resolveAlert(siteAlert, now);
        for (const h of lost) {
          h.confirmAt = Math.max(h.confirmAt, now + this.confirmMs(h, h.planned));
          this.armTimer(h);
        }
        return;
      }
    } else if (!siteAlert) {
      const rule = effectiveRule(this.config.rules, { clientId, siteId, hostId: "" }, "site_down");
      const unplanned = lost.filter((h) => !h.planned);
      const latest = Math.max(...unplanned.map((h) => h.lostAt));
      const members = rule ? unplanned.filter((h) => h.lostAt >= latest - rule.params.windowSeconds * 1000) : [];
      if (rule && members.length >= rule.params.minHosts) {
        // A member still inside its confirmation window may be a blip; its timer brings us back here.
        if (members.some((h) => now < h.confirmAt)) return;
        const names = this.names(clientId, siteId);
        for (const h of members) await this.ensureHost(h.id, now);
        const hostnames = members.map((h) => this.hosts.get(h.id)?.hostname ?? h.id).sort();
        siteAlert = await this.fire(
          {
            rule,
            clientId,
            siteId,
            hostId: "",
            subjectKey: `site:${siteId}`,
            subjectKind: "site",
            subjectName: names.siteName,
            startedAt: Math.min(...members.map((h) => h.lostAt)),
            summary: `${members.length} hosts of ${names.siteName} lost their connections together and none is connected: ${hostnames.join(", ")}`,
            members: members.map((h) => h.id),
          },
          now,
        );
        // Silenced or in maintenance: its hosts stay quiet with it.
        if (!siteAlert) return;
      }
    }
    if (siteAlert) {
      // The site alert stands for its hosts: host alerts that fired before it stop repeating.
      for (const h of hosts) {
        const hostAlert = this.openByKey.get(`host_down|host:${h.id}`);
        if (hostAlert && !hostAlert.suppressedBy) await this.update({ ...hostAlert, suppressedBy: siteAlert.id, updatedAt: now });
      }
      return;
    }
    for (const h of lost) {
      if (now < h.confirmAt || this.openByKey.has(`host_down|host:${h.id}`)) continue;
      const rule = effectiveRule(this.config.rules, this.target(h), "host_down");
      if (!rule) continue;
      // A host enrolled moments before it connected may be missing from the last load; name it properly.
      await this.ensureHost(h.id, now);
      const host = this.hosts.get(h.id);
      const hostname = host?.hostname ?? h.id;
      const goodbye = h.lostReason.startsWith("goodbye:") ? h.lostReason.slice("goodbye:".length) : "";
      const waited = Math.round((now - h.lostAt) / 1000);
      let summary =
        h.lostReason === "collector_restart"
          ? `${hostname} has not reconnected since the collector restarted at ${clockTime(h.lostAt)} (${waited} s ago)`
          : h.lostReason === "collector_lost"
            ? `${hostname} was connected to a collector that stopped heartbeating at ${clockTime(h.lostAt)} and has not reconnected to any collector for ${waited} s`
            : goodbye
              ? `${hostname} said goodbye (${goodbye}) at ${clockTime(h.lostAt)} and has not reconnected for ${waited} s`
              : `${hostname} lost its connection at ${clockTime(h.lostAt)} without a goodbye and has not reconnected for ${waited} s`;
      // Flap suppression: the Nth outage in the window pages once, as flapping, and the alert then holds the
      // host's further drops until it is stable.
      const p = hostDownParams(rule);
      h.outages = h.outages.filter((t) => t > now - p.flapWindowMinutes * 60_000);
      const flapping = p.flapCount > 0 && h.outages.length + 1 >= p.flapCount;
      if (flapping) {
        summary = `${hostname} is flapping: its connection was lost ${h.outages.length + 1} times within ${formatSeconds(p.flapWindowMinutes * 60)} (now: ${summary}). Further drops are held until it stays connected for ${formatSeconds(p.stableMinutes * 60)}; then this alert resolves.`;
      }
      const fired = await this.fire({ rule, clientId: h.clientId, siteId: h.siteId, hostId: h.id, subjectKey: `host:${h.id}`, subjectKind: "host", subjectName: hostname, startedAt: h.lostAt, summary }, now);
      if (fired) {
        h.outages.push(now);
        h.flapping = flapping;
      }
    }
  }

  private async hostRebooted(state: HostState, now: number): Promise<void> {
    const rule = effectiveRule(this.config.rules, this.target(state), "host_rebooted");
    if (!rule) return;
    await this.ensureHost(state.id, now);
    const hostname = this.hosts.get(state.id)?.hostname ?? state.id;
    const down = state.lostAt > 0 ? ` after ${Math.round((now - state.lostAt) / 1000)} s offline` : "";
    await this.fire(
      {
        rule,
        clientId: state.clientId,
        siteId: state.siteId,
        hostId: state.id,
        subjectKey: `host:${state.id}:boot:${state.bootId}`,
        subjectKind: "host",
        subjectName: hostname,
        startedAt: state.lostAt > 0 ? state.lostAt : now,
        summary: `${hostname} rebooted: it came back with a new boot id${down}`,
      },
      now,
      { autoResolve: true },
    );
  }

  // ── checks and thresholds ──────────────────────────────────────────────────────────────────────────

  /** The newest results of every check, as deep as the longest streak any rule asks for; undefined when no rule does. */
  private async readChecks(now: number): Promise<CheckStreak[] | undefined> {
    const rules = [...this.config.rules, ...BUILTIN_RULES].filter((r) => r.kind === "check_failing" && r.enabled);
    if (rules.length === 0) return undefined;
    const depth = Math.max(...rules.map((r) => Number(r.params.consecutive) || 1));
    const lookbackMs = Math.max(10 * 60_000, depth * (this.options.checkIntervalMs ?? 30_000) * 3);
    return this.repo.checkStreaks(now - lookbackMs, depth);
  }

  /** Each metric series over each window a threshold rule asks for. */
  private async readSeries(now: number): Promise<Array<{ metric: ThresholdParams["metric"]; forSeconds: number; stats: SeriesStats[] }>> {
    const windows = new Map<string, { metric: ThresholdParams["metric"]; forSeconds: number }>();
    for (const r of [...this.config.rules, ...BUILTIN_RULES]) {
      if (r.kind !== "threshold" || !r.enabled) continue;
      const p = r.params as ThresholdParams;
      windows.set(`${p.metric}:${p.forSeconds}`, { metric: p.metric, forSeconds: p.forSeconds });
    }
    const out = [];
    for (const w of windows.values()) out.push({ ...w, stats: await this.repo.seriesStats(THRESHOLD_METRICS[w.metric].name, now - w.forSeconds * 1000) });
    return out;
  }

  private async evaluateChecks(now: number, streaks: CheckStreak[] | undefined): Promise<void> {
    const seen = new Set<string>();
    if (streaks) {
      for (const s of streaks) {
        const host = this.hosts.get(s.agentId);
        if (!host) continue;
        const subjectKey = `check:${s.agentId}:${s.checkId}`;
        const key = `check_failing|${subjectKey}`;
        seen.add(key);
        const open = this.openByKey.get(key);
        const rule = effectiveRule(this.config.rules, this.target(host), "check_failing");
        if (!rule || s.recent[0]?.ok || (rule.params.checkIds.length > 0 && !rule.params.checkIds.includes(s.checkId))) {
          if (s.recent[0]?.ok) this.latched.delete(key);
          if (open) await this.resolveAlert(open, now);
          continue;
        }
        let run = 0;
        while (run < s.recent.length && !s.recent[run]!.ok) run++;
        if (run < rule.params.consecutive || open) continue;
        await this.fire(
          {
            rule,
            clientId: host.clientId,
            siteId: host.siteId,
            hostId: host.id,
            subjectKey,
            subjectKind: "check",
            subjectName: `${s.checkId} on ${host.hostname}`,
            startedAt: s.recent[run - 1]!.at,
            summary: `Check ${s.checkId} (${s.target}) on ${host.hostname} failed ${run} times in a row${s.lastError ? `: ${s.lastError.slice(0, 300)}` : ""}`,
          },
          now,
        );
      }
    }
    // A check with no result in the lookback was removed, or its host is down (the host alert tells that).
    for (const a of [...this.open.values()]) {
      if (a.ruleKind === "check_failing" && !seen.has(`check_failing|${a.subjectKey}`)) await this.resolveAlert(a, now);
    }
  }

  private async evaluateThresholds(now: number, windows: Array<{ metric: ThresholdParams["metric"]; forSeconds: number; stats: SeriesStats[] }>): Promise<void> {
    const toleranceMs = 2.5 * (this.options.sampleIntervalMs ?? 15_000);
    const seen = new Set<string>();
    for (const { metric, forSeconds, stats } of windows) {
      const forMs = forSeconds * 1000;
      for (const s of stats) {
        const host = this.hosts.get(s.agentId);
        if (!host) continue;
        for (const rule of effectiveRules(this.config.rules, this.target(host), "threshold")) {
          const p = rule.params as ThresholdParams;
          if (p.metric !== metric || p.forSeconds !== forSeconds) continue;
          const subjectKey = `threshold:${metric}:${rule.severity}:${s.agentId}:${s.labels}`;
          const key = `threshold|${subjectKey}`;
          seen.add(key);
          const open = this.openByKey.get(key);
          const fresh = s.lastAt >= now - toleranceMs;
          const held = fresh && s.minValue > p.above && s.firstAt <= now - forMs + toleranceMs;
          if (held) {
            if (!open) await this.fire(this.thresholdCandidate(rule, p, host, s.labels, subjectKey, s.lastValue, now - forMs), now);
          } else if (!fresh || s.lastValue <= p.above) {
            this.latched.delete(key);
            if (open) await this.resolveAlert(open, now);
          }
        }
      }
    }
    for (const a of [...this.open.values()]) {
      if (a.ruleKind === "threshold" && !seen.has(`threshold|${a.subjectKey}`)) await this.resolveAlert(a, now);
    }
  }

  private thresholdCandidate(rule: AlertRule, p: ThresholdParams, host: HostInfo, labels: string, subjectKey: string, value: number, since: number): Candidate {
    let where = "";
    try {
      const l = JSON.parse(labels) as Record<string, string>;
      if (l.mount) where = ` ${l.mount}`;
    } catch {
      // Labels are canonical JSON; anything else is just not shown.
    }
    const unit = THRESHOLD_METRICS[p.metric].unit;
    const what = { cpu: "CPU", memory: "Memory", filesystem: "Filesystem", load: "Load (1 min)" }[p.metric];
    return {
      rule,
      clientId: host.clientId,
      siteId: host.siteId,
      hostId: host.id,
      subjectKey,
      subjectKind: "host",
      subjectName: `${host.hostname}${where}`,
      startedAt: since,
      summary: `${what} on ${host.hostname}${where} above ${p.above}${unit} for ${formatSeconds(p.forSeconds)} (now ${Math.round(value * 10) / 10}${unit})`,
    };
  }

  // ── filesystem forecasts and inventory changes ──────────────────────────────────────────────────────

  private async applyForecasts(now: number, trends: Map<string, FilesystemTrend[]>): Promise<void> {
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const [agentId, list] of trends) {
      const host = this.hosts.get(agentId);
      if (!host) continue;
      const rule = effectiveRule(this.config.rules, this.target(host), "fs_forecast");
      if (!rule) continue;
      const p = rule.params as FsForecastParams;
      for (const fs of list) {
        const subjectKey = `fs_forecast:${agentId}:${fs.mount}`;
        const key = `fs_forecast|${subjectKey}`;
        const f = fillForecast(fs);
        const open = this.openByKey.get(key);
        if (f && f.daysToFull <= p.withinDays) {
          seen.add(key);
          if (open) continue;
          const days = Math.max(0, Math.floor(f.daysToFull));
          const pct = f.capacityBytes > 0 ? ` (${((f.usedBytes / f.capacityBytes) * 100).toFixed(1)}% used)` : "";
          await this.fire(
            {
              rule,
              clientId: host.clientId,
              siteId: host.siteId,
              hostId: host.id,
              subjectKey,
              subjectKind: "host",
              subjectName: `${host.hostname} ${fs.mount}`,
              startedAt: now,
              summary:
                `Filesystem ${fs.mount} on ${host.hostname} is forecast full on ${new Date(f.fullAt).toISOString().slice(0, 10)} (in ${days} days): ` +
                `${bytes(f.usedBytes)} of ${bytes(f.capacityBytes)}${pct}, growing ${bytes(f.bytesPerDay)} a day`,
            },
            now,
          );
        } else if (open && f && f.daysToFull <= p.withinDays * FORECAST_HYSTERESIS) {
          seen.add(key);
        } else {
          this.latched.delete(key);
        }
      }
    }
    for (const a of [...this.open.values()]) {
      if (a.ruleKind === "fs_forecast" && !seen.has(keyOf(a))) await this.resolveAlert(a, now);
    }
  }

  private async applyInventory(now: number, changes: InventoryChangeSignal[]): Promise<void> {
    if (this.stopped) return;
    for (const [key, at] of this.inventoryTold) if (at < now - 2 * INVENTORY_LOOKBACK_MS) this.inventoryTold.delete(key);
    // One alert per host, inventory document and kind of change, listing what changed.
    const groups = new Map<string, { kind: InventoryChangeKind; first: InventoryChangeSignal; items: InventoryChangeSignal[] }>();
    for (const c of changes) {
      const kind = inventoryChangeKind(c);
      if (!kind) continue;
      const subjectKey = `inventory:${c.agentId}:${c.seq}:${kind}`;
      const g = groups.get(subjectKey);
      if (g) g.items.push(c);
      else groups.set(subjectKey, { kind, first: c, items: [c] });
    }
    for (const [subjectKey, g] of groups) {
      if (this.inventoryTold.has(subjectKey)) continue;
      const host = this.hosts.get(g.first.agentId);
      if (!host) continue;
      const rule = effectiveRule(this.config.rules, this.target(host), "inventory_changed");
      if (!rule || !rule.params.changes.includes(g.kind) || g.first.at < rule.createdAt) continue;
      // Told once even when a silence or maintenance holds it back: a change is news when it happens.
      this.inventoryTold.set(subjectKey, g.first.at);
      const shown = g.items.slice(0, 10).map(describeChange).join("; ");
      const more = g.items.length > 10 ? `; and ${g.items.length - 10} more` : "";
      const what = { software: "Software installed or removed", os: "Operating system changed", hardware: "Hardware changed" }[g.kind];
      await this.fire(
        {
          rule,
          clientId: host.clientId,
          siteId: host.siteId,
          hostId: host.id,
          subjectKey,
          subjectKind: "host",
          subjectName: host.hostname,
          startedAt: g.first.at,
          summary: `${what} on ${host.hostname}: ${shown}${more}`.slice(0, 2000),
        },
        now,
        { autoResolve: true },
      );
    }
  }

  // ── sweep: configuration, human actions, repeats, escalation ───────────────────────────────────────

  private async doSweep(config: AlertConfig, stored: Alert[], hosts: HostInfo[] | undefined): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    this.config = config;
    if (hosts) this.setHosts(hosts, now);
    for (const a of [...this.unsaved.values()]) await this.update(a);
    await this.syncHumanActions(stored);
    for (const alert of [...this.open.values()]) await this.remind(alert, now);
    await this.resolveStableFlapping(now);
    // Confirmed losses held back by maintenance or a silence fire once it ends.
    const sites = new Set([...this.states.values()].filter((s) => !s.connected && !s.ignored && s.lostAt > 0 && now >= s.confirmAt).map((s) => s.siteId));
    for (const siteId of sites) await this.evaluateSite(siteId, now);
  }

  /** Resolves the alerts of flapping hosts that have stayed connected for the rule's stable time. */
  private async resolveStableFlapping(now: number): Promise<void> {
    for (const state of this.states.values()) {
      if (!state.flapping || !state.connected) continue;
      const alert = this.openByKey.get(`host_down|host:${state.id}`);
      const rule = effectiveRule(this.config.rules, this.target(state), "host_down");
      if (alert && rule && now - state.connectedAt < hostDownParams(rule).stableMinutes * 60_000) continue;
      state.flapping = false;
      state.outages = [];
      if (alert) await this.resolveAlert(alert, now);
    }
  }

  /** Acknowledgements and resolutions made through the API (on any collector) reach the engine through the store. */
  private async syncHumanActions(openInStore: Alert[]): Promise<void> {
    const stored = new Map(openInStore.map((a) => [a.id, a]));
    for (const mine of [...this.open.values()]) {
      const theirs = stored.get(mine.id) ?? (this.unsaved.has(mine.id) ? null : await this.repo.findAlert(mine.id));
      if (theirs) await this.adopt(mine, theirs);
    }
    for (const a of stored.values()) {
      // Opened by another engine (a failover): take it over.
      if (!this.open.has(a.id) && !this.closed.has(a.id) && !this.openByKey.has(keyOf(a))) this.setOpen(a);
    }
  }

  /** Takes over what people did to the stored copy, and tells the channels. */
  private async adopt(mine: Alert, stored: Alert): Promise<Alert> {
    const merged = mergeHumanActions(mine, stored);
    if (merged === mine || !isOpen(mine)) return merged;
    const channels = [...(this.notified.get(mine.id) ?? [])];
    if (mine.acknowledgedAt === null && merged.acknowledgedAt !== null) {
      this.logger.info({ alertId: mine.id, by: merged.acknowledgedBy }, "alert acknowledged");
      if (merged.state !== "resolved") this.notify(merged, "acknowledged", channels);
    }
    if (merged.state === "resolved") {
      this.logger.info({ alertId: mine.id, by: merged.resolvedBy }, "alert resolved by hand");
      this.setClosed(merged);
      // The condition may still hold; it must clear before the rule fires again.
      this.latched.add(keyOf(merged));
      this.notify(merged, "resolved", channels);
      this.notified.delete(mine.id);
    } else {
      this.setOpen(merged);
    }
    return merged;
  }

  private async remind(alert: Alert, now: number): Promise<void> {
    if (alert.state !== "firing" || alert.suppressedBy || this.silenced(alert, now)) return;
    const plan = routePlan(alert, this.config.routes, this.config.channels);
    const notified = this.notified.get(alert.id) ?? new Set<string>();
    let next = alert;
    for (let step = alert.escalationStep + 1; step < plan.steps.length; step++) {
      const s = plan.steps[step]!;
      if (now < alert.createdAt + s.afterMinutes * 60_000) break;
      this.logger.info({ alertId: alert.id, step }, "alert escalated");
      this.notify(next, "firing", s.channelIds.filter((id) => !notified.has(id)));
      next = { ...next, escalationStep: step, lastNotifiedAt: now, updatedAt: now };
    }
    const repeatMs = Number(this.ruleOf(alert)?.params.repeatMinutes ?? 0) * 60_000;
    if (repeatMs > 0 && notified.size > 0 && next.lastNotifiedAt !== null && now - next.lastNotifiedAt >= repeatMs) {
      this.notify(next, "repeat", [...notified]);
      next = { ...next, lastNotifiedAt: now, updatedAt: now };
    }
    if (next !== alert) await this.update(next);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────────

  /** Fires an alert unless one is open for the rule and subject, or it is latched, silenced or in maintenance. */
  private async fire(c: Candidate, now: number, opts: { autoResolve?: boolean } = {}): Promise<Alert | undefined> {
    const key = `${c.rule.kind}|${c.subjectKey}`;
    const existing = this.openByKey.get(key);
    if (existing) return existing;
    if (this.latched.has(key)) return undefined;
    const silencedBy = this.silenced({ ...c, ruleKind: c.rule.kind, ruleId: c.rule.id, severity: c.rule.severity }, now, c.members);
    if (silencedBy) {
      this.logger.debug({ subjectKey: c.subjectKey, rule: c.rule.kind, silencedBy }, "alert held back");
      return undefined;
    }
    const plan = routePlan({ clientId: c.clientId, severity: c.rule.severity }, this.config.routes, this.config.channels);
    const first = plan.steps[0]?.channelIds ?? [];
    const alert: Alert = {
      id: newId(),
      clientId: c.clientId,
      siteId: c.siteId,
      hostId: c.hostId,
      ruleId: c.rule.id,
      ruleKind: c.rule.kind,
      subjectKey: c.subjectKey,
      subjectKind: c.subjectKind,
      subjectName: c.subjectName,
      severity: c.rule.severity,
      state: "firing",
      startedAt: c.startedAt,
      createdAt: now,
      acknowledgedAt: null,
      acknowledgedBy: "",
      resolvedAt: null,
      resolvedBy: "",
      lastNotifiedAt: first.length > 0 ? now : null,
      escalationStep: 0,
      suppressedBy: "",
      summary: c.summary,
      updatedAt: now,
    };
    this.logger.info({ alertId: alert.id, rule: alert.ruleKind, subject: alert.subjectKey, severity: alert.severity, channels: first.length }, "alert firing");
    // Notified before it is stored: a slow store must not delay the page (a failed save is retried).
    if (opts.autoResolve) {
      // Something that happened rather than a state: told once, recorded as over.
      this.notify(alert, "firing", first);
      this.notified.delete(alert.id);
      await this.save(resolve(alert, ENGINE_ACTOR, now));
      return alert;
    }
    this.setOpen(alert);
    this.notify(alert, "firing", first);
    await this.save(alert);
    return alert;
  }

  /** Resolves an alert whose condition cleared, and sends resolve notices where it was notified. */
  private async resolveAlert(alert: Alert, now: number): Promise<void> {
    const stored = await this.repo.findAlert(alert.id).catch(() => null);
    const current = stored ? await this.adopt(alert, stored) : alert;
    if (!isOpen(current)) return;
    const done = resolve(current, ENGINE_ACTOR, now);
    this.setClosed(done);
    await this.save(done);
    this.logger.info({ alertId: done.id, rule: done.ruleKind, subject: done.subjectKey }, "alert resolved");
    this.notify(done, "resolved", [...(this.notified.get(done.id) ?? [])]);
    this.notified.delete(done.id);
  }

  /** Saves an open alert's new state, after taking over what people did to the stored copy meanwhile. */
  private async update(alert: Alert): Promise<void> {
    const stored = await this.repo.findAlert(alert.id).catch(() => null);
    const current = stored ? await this.adopt(alert, stored) : alert;
    if (isOpen(current)) this.setOpen(current);
    await this.save(current);
  }

  private async save(alert: Alert): Promise<void> {
    try {
      await this.repo.saveAlert(alert);
      this.unsaved.delete(alert.id);
    } catch (err) {
      // The notification still goes out; the row is written at the next sweep.
      this.unsaved.set(alert.id, alert);
      this.logger.error({ alertId: alert.id, err: (err as Error).message }, "alert not stored; retrying at the next sweep");
    }
  }

  private notify(alert: Alert, event: AlertEvent, channelIds: readonly string[]): void {
    if (channelIds.length === 0) return;
    const names = this.names(alert.clientId, alert.siteId);
    const ctx = { ruleName: this.ruleOf(alert)?.name ?? RULE_NAMES[alert.ruleKind], clientName: names.clientName, siteName: names.siteName };
    const notification = buildNotification(alert, event, ctx, { publicUrl: this.options.publicUrl, ackKey: this.ackKey, now: this.clock.now() });
    const sent = this.notified.get(alert.id) ?? new Set<string>();
    for (const id of channelIds) {
      const channel = this.config.channels.find((c) => c.id === id);
      if (!channel || !channel.enabled) continue;
      this.queue.enqueue(channel, notification, alert.clientId);
      sent.add(id);
    }
    if (isOpen(alert)) this.notified.set(alert.id, sent);
  }

  /** Why an alert must not notify now (maintenance or a silence), or undefined. */
  private silenced(a: Pick<Alert, "clientId" | "siteId" | "hostId" | "ruleKind" | "ruleId" | "severity" | "subjectKey">, now: number, members?: readonly string[]): string | undefined {
    const inMaintenance = (target: MaintenanceTarget) =>
      this.config.maintenance.some((w) => {
        try {
          return appliesTo(w, target) && expandMaintenance(w, now, now + 1).length > 0;
        } catch {
          return false;
        }
      });
    if (inMaintenance({ clientId: a.clientId, siteId: a.siteId, hostId: a.hostId })) return "maintenance";
    if (members?.length && members.every((hostId) => inMaintenance({ clientId: a.clientId, siteId: a.siteId, hostId }))) return "maintenance";
    const target: RuleTarget = { clientId: a.clientId, siteId: a.siteId, hostId: a.hostId, tags: this.hosts.get(a.hostId)?.tags ?? [] };
    const silence = this.config.silences.find(
      (s) =>
        s.startsAt <= now &&
        now < s.endsAt &&
        scopeMatches(s.scope, s.clientId, target) &&
        (s.matcher.ruleKind === undefined || s.matcher.ruleKind === a.ruleKind) &&
        (s.matcher.ruleId === undefined || s.matcher.ruleId === a.ruleId) &&
        (s.matcher.severity === undefined || s.matcher.severity === a.severity) &&
        (s.matcher.subjectKey === undefined || s.matcher.subjectKey === a.subjectKey),
    );
    return silence ? `silence ${silence.id}` : undefined;
  }

  // ── bookkeeping ────────────────────────────────────────────────────────────────────────────────────

  private work(what: string, fn: () => Promise<void> | void): Promise<void> {
    const next = this.chain.then(fn).catch((err: unknown) => this.logger.error({ what, err: (err as Error).message }, "alert engine step failed"));
    this.chain = next;
    return next;
  }

  /**
   * Reads from the store first, off the work queue, then applies what it read on the queue: a slow query
   * must not hold up a confirmation timer that is due.
   */
  private async readThenWork(what: string, read: () => Promise<() => Promise<void> | void>): Promise<void> {
    if (this.stopped) return;
    const reading = read().then(
      (apply) => void this.work(what, apply),
      (err: unknown) => this.logger.error({ what, err: (err as Error).message }, "alert engine could not read the store"),
    );
    this.reading.add(reading);
    await reading.finally(() => this.reading.delete(reading));
    await this.chain;
  }

  private loop(everyMs: number, fn: () => Promise<void>): void {
    const index = this.loops.length;
    const tick = () => {
      if (this.stopped) return;
      void fn().finally(() => {
        if (!this.stopped) this.loops[index] = this.clock.setTimeout(tick, everyMs);
      });
    };
    this.loops.push(this.clock.setTimeout(tick, everyMs));
  }

  private async loadHosts(now: number): Promise<void> {
    this.hostsLoadedAt = now;
    this.setHosts(await this.repo.loadHosts(), now);
  }

  private setHosts(hosts: HostInfo[], now: number): void {
    this.hostsLoadedAt = now;
    this.hosts.clear();
    for (const h of hosts) {
      this.hosts.set(h.id, h);
      this.siteNames.set(h.siteId, { siteName: h.siteName, clientName: h.clientName });
    }
  }

  private async ensureHost(agentId: string, now: number): Promise<void> {
    // A host enrolled since the last load: its name is worth one reload, at most every few seconds.
    if (!this.hosts.has(agentId) && now - this.hostsLoadedAt > 5000) await this.loadHosts(now);
  }

  private state(id: string, clientId: string, siteId: string): HostState {
    let s = this.states.get(id);
    if (!s) {
      s = { id, clientId, siteId, connected: false, bootId: "", lostAt: 0, lostReason: "", links: new Map(), connectedAt: 0, outages: [], flapping: false, confirmAt: Infinity, planned: false, ignored: false, timer: undefined };
      this.states.set(id, s);
    }
    return s;
  }

  private target(h: { id: string; clientId: string; siteId: string }): RuleTarget {
    return { clientId: h.clientId, siteId: h.siteId, hostId: h.id, tags: this.hosts.get(h.id)?.tags ?? [] };
  }

  private clientIds(): string[] {
    return [...new Set([...this.hosts.values()].map((h) => h.clientId))];
  }

  private names(clientId: string, siteId: string): { clientName: string; siteName: string } {
    return this.siteNames.get(siteId) ?? { clientName: clientId, siteName: siteId };
  }

  private ruleOf(alert: Alert): AlertRule | undefined {
    return this.config.rules.find((r) => r.id === alert.ruleId) ?? BUILTIN_RULES.find((r) => r.id === alert.ruleId);
  }

  private setOpen(alert: Alert): void {
    this.open.set(alert.id, alert);
    this.openByKey.set(keyOf(alert), alert);
  }

  private setClosed(alert: Alert): void {
    this.open.delete(alert.id);
    if (this.openByKey.get(keyOf(alert))?.id === alert.id) this.openByKey.delete(keyOf(alert));
    if (this.closed.size > 10_000) this.closed.clear();
    this.closed.add(alert.id);
  }
}

/** A host-down rule's parameters; rules stored before a parameter existed get its default. */
function hostDownParams(rule: AlertRule): HostDownParams {
  return { ...HOST_DOWN_DEFAULTS, ...(rule.params as Partial<HostDownParams>) };
}

const HOST_DOWN_DEFAULTS = parseParams("host_down", {}) as HostDownParams;

function keyOf(a: { ruleKind: RuleKind; subjectKey: string }): string {
  return `${a.ruleKind}|${a.subjectKey}`;
}

/** Which kind of change an inventory change rule reports it as; undefined for changes no rule reports (upgrades, services...). */
function inventoryChangeKind(c: Pick<InventoryChangeSignal, "category" | "change">): InventoryChangeKind | undefined {
  if (c.category === "software") return c.change === "installed" || c.change === "removed" ? "software" : undefined;
  if (c.category === "os") return "os";
  if (c.category === "hardware" || c.category === "memory" || c.category === "disk") return "hardware";
  return undefined;
}

function describeChange(c: InventoryChangeSignal): string {
  if (c.category === "software") return c.change === "installed" ? `installed ${c.item} ${c.after}`.trim() : `removed ${c.item} ${c.before}`.trim();
  return `${c.category === "os" ? "" : `${c.category} `}${c.item} ${c.change}: ${c.before || "none"} → ${c.after || "none"}`;
}

function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

function formatSeconds(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}
