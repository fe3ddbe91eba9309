import type { Store } from "../clickhouse.js";

// What the alert engine reads from telemetry: recent check results, metric series over a rule's duration,
// and how each agent's last connection ended (to pick up where a restarted collector left off). Read from
// the store rather than from the gateway so they see agents connected to every collector, late samples
// included, and need no state of their own.

/** The newest results of one check on one host, newest first. */
export interface CheckStreak {
  agentId: string;
  clientId: string;
  siteId: string;
  checkId: string;
  target: string;
  /** The newest results (ok = passed), newest first, at most `depth`. */
  recent: Array<{ at: number; ok: boolean }>;
  lastError: string;
}

/** The newest `depth` results of every check that reported since `sinceMs`. */
export async function checkStreaks(store: Store, sinceMs: number, depth: number): Promise<CheckStreak[]> {
  const rows = await store.query<{ agent_id: string; client: string; site: string; check_id: string; last_target: string; recent: Array<[number, number]>; last_error: string }>(
    `SELECT agent_id, any(client_id) AS client, any(site_id) AS site, check_id, argMax(target, ts) AS last_target,
       arraySlice(arrayReverseSort(x -> x.1, groupArray((toUnixTimestamp64Milli(ts), ok))), 1, {depth:UInt32}) AS recent,
       argMax(error, ts) AS last_error
     FROM check_results WHERE ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY agent_id, check_id`,
    { since: sinceMs, depth },
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    clientId: r.client,
    siteId: r.site,
    checkId: r.check_id,
    target: r.last_target,
    recent: r.recent.map((x) => ({ at: Number(x[0]), ok: Number(x[1]) === 1 })),
    lastError: r.last_error,
  }));
}

/** One metric series (host and label set) over a period. */
export interface SeriesStats {
  agentId: string;
  clientId: string;
  siteId: string;
  /** Canonical JSON of the labels ('{}' when none). */
  labels: string;
  minValue: number;
  lastValue: number;
  firstAt: number;
  lastAt: number;
}

/** For every series of the metric with samples since `sinceMs`: the lowest and the newest value, the first and last sample time. */
export async function seriesStats(store: Store, metric: string, sinceMs: number): Promise<SeriesStats[]> {
  const rows = await store.query<{ agent_id: string; client: string; site: string; labels: string; min_value: number; last_value: number; first_ms: number; last_ms: number }>(
    `SELECT agent_id, any(client_id) AS client, any(site_id) AS site, labels, min(value) AS min_value, argMax(value, ts) AS last_value,
       toUnixTimestamp64Milli(min(ts)) AS first_ms, toUnixTimestamp64Milli(max(ts)) AS last_ms
     FROM metrics_raw WHERE name = {name:String} AND ts >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY agent_id, labels`,
    { name: metric, since: sinceMs },
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    clientId: r.client,
    siteId: r.site,
    labels: r.labels,
    minValue: Number(r.min_value),
    lastValue: Number(r.last_value),
    firstAt: Number(r.first_ms),
    lastAt: Number(r.last_ms),
  }));
}

/** How an agent's connection last changed. */
export interface LastConnection {
  agentId: string;
  event: "connected" | "disconnected";
  /** `hello`, or `goodbye:<reason>` / `close:<code>` for a disconnect. */
  reason: string;
  at: number;
  /** Boot id of its last connection ('' when none in the period). */
  bootId: string;
}

/** Each agent's last connect or disconnect since `sinceMs`. */
export async function lastConnections(store: Store, sinceMs: number): Promise<LastConnection[]> {
  const rows = await store.query<{ agent_id: string; last_event: string; last_reason: string; last_ms: number; last_boot: string }>(
    `SELECT agent_id, argMax(event, at) AS last_event, argMax(reason, at) AS last_reason, toUnixTimestamp64Milli(max(at)) AS last_ms,
       argMaxIf(boot_id, at, event = 'connected') AS last_boot
     FROM connection_events WHERE at >= fromUnixTimestamp64Milli({since:Int64}) AND event IN ('connected', 'disconnected')
     GROUP BY agent_id`,
    { since: sinceMs },
  );
  return rows.map((r) => ({ agentId: r.agent_id, event: r.last_event as LastConnection["event"], reason: r.last_reason, at: Number(r.last_ms), bootId: r.last_boot }));
}

/** When each agent connected (welcomed) since `sinceMs`, oldest first: how often it reconnects. */
export async function connectTimes(store: Store, sinceMs: number): Promise<Map<string, number[]>> {
  const rows = await store.query<{ agent_id: string; times: number[] }>(
    `SELECT agent_id, arraySort(groupArray(toUnixTimestamp64Milli(at))) AS times
     FROM connection_events WHERE at >= fromUnixTimestamp64Milli({since:Int64}) AND event = 'connected'
     GROUP BY agent_id`,
    { since: sinceMs },
  );
  return new Map(rows.map((r) => [r.agent_id, r.times.map(Number)]));
}

/** One stored inventory change, as the alert engine reads it. */
export interface InventoryChangeSignal {
  agentId: string;
  clientId: string;
  siteId: string;
  /** The batch seq of the document that showed the change, and when it was collected. */
  seq: number;
  at: number;
  category: string;
  change: string;
  item: string;
  before: string;
  after: string;
}

/** Inventory changes of every client found in documents collected since `sinceMs`, oldest first. */
export async function inventoryChangesSince(store: Store, sinceMs: number, limit = 100_000): Promise<InventoryChangeSignal[]> {
  const rows = await store.query<{ agent_id: string; client_id: string; site_id: string; seq: number; at_ms: number; category: string; change: string; item: string; before: string; after: string }>(
    `SELECT agent_id, client_id, site_id, seq, toUnixTimestamp64Milli(ts) AS at_ms, category, change, item, before, after
     FROM inventory_changes FINAL WHERE ts >= fromUnixTimestamp64Milli({since:Int64})
     ORDER BY ts, agent_id, seq, category, change, item
     LIMIT {limit:UInt32}`,
    { since: sinceMs, limit },
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    clientId: r.client_id,
    siteId: r.site_id,
    seq: Number(r.seq),
    at: Number(r.at_ms),
    category: r.category,
    change: r.change,
    item: r.item,
    before: r.before,
    after: r.after,
  }));
}

/** A connect or disconnect as some collector recorded it (the alert engine hears other collectors' this way). */
export interface CollectorConnectionEvent {
  agentId: string;
  clientId: string;
  siteId: string;
  event: "connected" | "disconnected";
  reason: string;
  at: number;
  bootId: string;
  /** The run id of the collector that held the connection. */
  collectorId: string;
}

/** Connects and disconnects since `sinceMs` recorded by collectors other than `exceptCollectorId`, oldest first. */
export async function connectionEventsSince(store: Store, sinceMs: number, exceptCollectorId: string, limit = 200_000): Promise<CollectorConnectionEvent[]> {
  const rows = await store.query<{ agent_id: string; client_id: string; site_id: string; event: string; reason: string; at_ms: number; boot_id: string; collector_id: string }>(
    `SELECT agent_id, client_id, site_id, event, reason, toUnixTimestamp64Milli(at) AS at_ms, boot_id, collector_id
     FROM connection_events
     WHERE at >= fromUnixTimestamp64Milli({since:Int64}) AND event IN ('connected', 'disconnected') AND collector_id != {except:String}
     ORDER BY at, agent_id
     LIMIT {limit:UInt32}`,
    { since: sinceMs, except: exceptCollectorId, limit },
  );
  return rows.map((r) => ({
    agentId: r.agent_id,
    clientId: r.client_id,
    siteId: r.site_id,
    event: r.event as CollectorConnectionEvent["event"],
    reason: r.reason,
    at: Number(r.at_ms),
    bootId: r.boot_id,
    collectorId: r.collector_id,
  }));
}

/** A connection a collector still holds by its own record: its last event for the agent is `connected`. */
export interface OpenLink {
  agentId: string;
  clientId: string;
  siteId: string;
  collectorId: string;
  at: number;
  bootId: string;
}

/** Per agent and collector, the connections whose last event since `sinceMs` is a connect. */
export async function openLinks(store: Store, sinceMs: number): Promise<OpenLink[]> {
  const rows = await store.query<{ agent_id: string; client: string; site: string; collector_id: string; last_event: string; last_ms: number; last_boot: string }>(
    `SELECT agent_id, argMax(client_id, at) AS client, argMax(site_id, at) AS site, collector_id, argMax(event, at) AS last_event,
       toUnixTimestamp64Milli(max(at)) AS last_ms, argMax(boot_id, at) AS last_boot
     FROM connection_events WHERE at >= fromUnixTimestamp64Milli({since:Int64}) AND event IN ('connected', 'disconnected')
     GROUP BY agent_id, collector_id
     HAVING last_event = 'connected'`,
    { since: sinceMs },
  );
  return rows.map((r) => ({ agentId: r.agent_id, clientId: r.client, siteId: r.site, collectorId: r.collector_id, at: Number(r.last_ms), bootId: r.last_boot }));
}

/** A collector process's life as `collector_runs` records it. */
export interface CollectorLife {
  runId: string;
  heartbeatAt: number;
  /** Set after a clean stop. */
  stoppedAt: number | null;
}

/** Collector runs alive at some point since `sinceMs` (their last heartbeat or stop). */
export async function collectorLives(store: Store, sinceMs: number): Promise<CollectorLife[]> {
  const rows = await store.query<{ run_id: string; heartbeat_ms: number; stopped_ms: number | null }>(
    `SELECT run_id, toUnixTimestamp64Milli(heartbeat_at) AS heartbeat_ms, toUnixTimestamp64Milli(stopped_at) AS stopped_ms
     FROM collector_runs FINAL WHERE heartbeat_at >= fromUnixTimestamp64Milli({since:Int64}) OR stopped_at >= fromUnixTimestamp64Milli({since:Int64})`,
    { since: sinceMs },
  );
  return rows.map((r) => ({ runId: r.run_id, heartbeatAt: Number(r.heartbeat_ms), stoppedAt: r.stopped_ms === null ? null : Number(r.stopped_ms) }));
}
