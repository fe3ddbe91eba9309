import type { CheckResult, CheckRole, ConnectionEvent, HealthSample, Interval, SpoolLoss } from "../../availability/index.js";
import type { Store } from "../clickhouse.js";

// What availability is computed from, read per client (or for every client at once: the fleet report)
// and period. Every query is bounded by the period (padded by the caller) and, for one client, by the
// client's sorting key prefix: never a scan of all history. Results are keyed by agent id, which is
// unique across clients.

type ByAgent<T> = Map<string, T[]>;

/** One client's rows, or (undefined) every client's. */
export type ClientFilter = string | undefined;

// The fixed SQL fragment for the filter; the id itself travels as the {c:String} parameter.
function clientClause(clientId: ClientFilter): string {
  return clientId === undefined ? "" : "client_id = {c:String} AND";
}

function push<T>(map: ByAgent<T>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Samples of the client stored after `storedAfter` (those the settler has not compacted yet), by agent. */
export async function unsettledSamples(store: Store, clientId: ClientFilter, storedAfter: number, from: number, to: number): Promise<ByAgent<HealthSample>> {
  // One row per agent with its samples as [ts, boot, received] arrays: the fleet's thousands of rows cost far
  // more to parse as objects than the store takes to find them.
  const rows = await store.query<{ agent_id: string; samples: Array<[number, string, number]> }>(
    `SELECT agent_id, groupArray((toUnixTimestamp64Milli(ts), toString(boot_id), toUnixTimestamp64Milli(received_at))) AS samples
     FROM health_samples
     WHERE ${clientClause(clientId)} stored_at > fromUnixTimestamp64Milli({after:Int64})
       AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
     GROUP BY agent_id`,
    { c: clientId ?? "", after: storedAfter, from, to },
  );
  const out: ByAgent<HealthSample> = new Map();
  for (const r of rows) out.set(r.agent_id, r.samples.map(([ts, bootId, received]) => ({ ts: Number(ts), bootId, receivedAt: Number(received) })));
  return out;
}

/** Goodbyes and disconnects of the client's agents in [from, to], by agent: why samples stopped. */
export async function connectionEvents(store: Store, clientId: ClientFilter, from: number, to: number): Promise<ByAgent<ConnectionEvent>> {
  // One row per agent with its events as [at, event, reason] arrays, for the same reason as the samples'.
  const rows = await store.query<{ agent_id: string; events: Array<[number, ConnectionEvent["event"], string]> }>(
    `SELECT agent_id, groupArray((toUnixTimestamp64Milli(at), toString(event), toString(reason))) AS events
     FROM connection_events
     WHERE ${clientClause(clientId)} event IN ('goodbye', 'disconnected')
       AND at >= fromUnixTimestamp64Milli({from:Int64}) AND at <= fromUnixTimestamp64Milli({to:Int64})
     GROUP BY agent_id`,
    { c: clientId ?? "", from, to },
  );
  const out: ByAgent<ConnectionEvent> = new Map();
  for (const r of rows) out.set(r.agent_id, r.events.map(([at, event, reason]) => ({ at: Number(at), event, reason })));
  return out;
}

/** Spans whose samples the agents' spools dropped, overlapping [from, to], by agent. */
export async function spoolLosses(store: Store, clientId: ClientFilter, from: number, to: number): Promise<ByAgent<SpoolLoss>> {
  const rows = await store.query<{ agent_id: string; start_ms: number; end_ms: number; received_ms: number }>(
    `SELECT agent_id, toUnixTimestamp64Milli(assumeNotNull(oldest_ts)) AS start_ms, toUnixTimestamp64Milli(assumeNotNull(newest_ts)) AS end_ms,
       toUnixTimestamp64Milli(received_at) AS received_ms
     FROM spool_losses
     WHERE ${clientClause(clientId)} oldest_ts IS NOT NULL AND newest_ts IS NOT NULL
       AND newest_ts >= fromUnixTimestamp64Milli({from:Int64}) AND oldest_ts <= fromUnixTimestamp64Milli({to:Int64})`,
    { c: clientId ?? "", from, to },
  );
  const out: ByAgent<SpoolLoss> = new Map();
  for (const r of rows) push(out, r.agent_id, { start: Number(r.start_ms), end: Number(r.end_ms), receivedAt: Number(r.received_ms) });
  return out;
}

/**
 * Check results that can change a state, for the given clients, by agent: every result of the (site, role)
 * pairs with a failure in the period, within two minutes of a minute that had one. A healthy fleet's
 * checks are never read.
 */
export async function checkEvidence(store: Store, clientIds: readonly string[], from: number, to: number): Promise<ByAgent<CheckResult>> {
  if (clientIds.length === 0) return new Map();
  // Keyed by client, so one query serves several clients exactly as one query per client would. The
  // (client, minute) pair is what the sorting key and partitions can prune granules with; the full tuple
  // then keeps only the failing (site, role) pairs' results.
  const rows = await store.query<{ agent_id: string; check: string; check_role: string; ts_ms: number; ok: number }>(
    `WITH failing AS (
       SELECT client_id, site_id, role, ts AS minute FROM checks_1m
       WHERE client_id IN {clients:Array(String)} AND failures > 0 AND ts >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64}))
         AND ts <= fromUnixTimestamp64Milli({to:Int64})
       GROUP BY client_id, site_id, role, ts HAVING sum(failures) > 0
     ),
     around AS (
       SELECT client_id, site_id, role, arrayJoin([minute - 120, minute - 60, minute, minute + 60, minute + 120]) AS around_minute FROM failing
     )
     SELECT agent_id, toString(check_id) AS check, toString(role) AS check_role, toUnixTimestamp64Milli(ts) AS ts_ms, ok
     FROM check_results
     WHERE client_id IN {clients:Array(String)} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
       AND (client_id, toStartOfMinute(ts)) IN (SELECT client_id, around_minute FROM around)
       AND (client_id, site_id, role, toStartOfMinute(ts)) IN (SELECT client_id, site_id, role, around_minute FROM around)`,
    { clients: [...clientIds], from, to },
  );
  const out: ByAgent<CheckResult> = new Map();
  for (const r of rows) {
    const role: CheckRole = r.check_role === "gateway" || r.check_role === "internet" ? r.check_role : "service";
    push(out, r.agent_id, { hostId: r.agent_id, checkId: r.check, role, ts: Number(r.ts_ms), ok: r.ok === 1 });
  }
  return out;
}

/**
 * When any collector was running, overlapping [from, to]: start → last heartbeat or stop. Only the run of
 * the asking process (`currentRunId`) is extended to `now`: it is alive, while another run's last
 * heartbeat is all that is known of it (a crashed collector's outage must show at once).
 */
export async function collectorRuns(store: Store, from: number, to: number, now: number, currentRunId?: string): Promise<Interval[]> {
  const rows = await store.query<{ run_id: string; start_ms: number; end_ms: number }>(
    `SELECT run_id, toUnixTimestamp64Milli(started_at) AS start_ms,
       toUnixTimestamp64Milli(greatest(heartbeat_at, ifNull(stopped_at, heartbeat_at))) AS end_ms
     FROM collector_runs FINAL
     WHERE greatest(heartbeat_at, ifNull(stopped_at, heartbeat_at)) >= fromUnixTimestamp64Milli({from:Int64})
       AND started_at <= fromUnixTimestamp64Milli({to:Int64})`,
    { from, to },
  );
  return rows.map((r) => {
    const end = Number(r.end_ms);
    return { start: Number(r.start_ms), end: r.run_id === currentRunId ? Math.max(end, now) : end };
  });
}

/** Whether any collector run was ever recorded. */
export async function anyCollectorRun(store: Store): Promise<boolean> {
  const rows = await store.query<{ n: number }>("SELECT count() AS n FROM (SELECT 1 FROM collector_runs LIMIT 1)");
  return Number(rows[0]?.n) > 0;
}

/** Every check result of one host in [from, to], for its checks' own timelines (at most `limit` rows). */
export async function hostCheckResults(store: Store, clientId: string, agentId: string, from: number, to: number, limit = 500_000): Promise<CheckResult[]> {
  const rows = await store.query<{ check: string; check_role: string; ts_ms: number; ok: number }>(
    `SELECT toString(check_id) AS check, toString(role) AS check_role, toUnixTimestamp64Milli(ts) AS ts_ms, ok
     FROM check_results
     WHERE client_id = {c:String} AND agent_id = {a:String}
       AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
     ORDER BY check_id, ts LIMIT {limit:UInt32}`,
    { c: clientId, a: agentId, from, to, limit },
  );
  return rows.map((r) => ({
    checkId: r.check,
    role: r.check_role === "gateway" || r.check_role === "internet" ? r.check_role : "service",
    ts: Number(r.ts_ms),
    ok: r.ok === 1,
  }));
}
