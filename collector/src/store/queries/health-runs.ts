import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** A settled run of one agent's health samples: one boot, no gap above the threshold. */
export interface StoredRun {
  agentId: string;
  clientId: string;
  siteId: string;
  bootId: string;
  start: number;
  end: number;
}

// Aliases must not reuse column names: ClickHouse would read the alias in WHERE, comparing numbers to times.
const RUN_COLUMNS = `agent_id AS agentId, client_id AS clientId, site_id AS siteId, boot_id AS bootId,
  toUnixTimestamp64Milli(start) AS start_ms, toUnixTimestamp64Milli(end) AS end_ms`;

type RunRow = Omit<StoredRun, "start" | "end"> & { start_ms: number; end_ms: number };

function numeric(rows: RunRow[]): StoredRun[] {
  return rows.map(({ start_ms, end_ms, ...r }) => ({ ...r, start: Number(start_ms), end: Number(end_ms) }));
}

/**
 * The samples stored in (storedAfter, storedUntil], grouped into runs per agent by ClickHouse: a new run
 * starts at a new boot id or after a gap above the threshold. Far fewer rows than samples cross the wire.
 */
export async function newSampleRuns(store: Store, args: { storedAfter: number; storedUntil: number; thresholdMs: number }): Promise<StoredRun[]> {
  const rows = await store.query<RunRow>(
    `SELECT agent_id AS agentId, any(client_id) AS clientId, any(site_id) AS siteId, boot_id AS bootId,
       toUnixTimestamp64Milli(min(ts)) AS start_ms, toUnixTimestamp64Milli(max(ts)) AS end_ms
     FROM (
       SELECT client_id, site_id, agent_id, boot_id, ts,
         sum(brk) OVER (PARTITION BY agent_id ORDER BY ts, boot_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run
       FROM (
         SELECT client_id, site_id, agent_id, toString(boot_id) AS boot_id, ts,
           if(boot_id != lagInFrame(toString(boot_id), 1, '') OVER w
              OR dateDiff('millisecond', lagInFrame(ts, 1, toDateTime64(0, 3, 'UTC')) OVER w, ts) > {thr:UInt32}, 1, 0) AS brk
         FROM health_samples
         WHERE stored_at > fromUnixTimestamp64Milli({from:Int64}) AND stored_at <= fromUnixTimestamp64Milli({to:Int64})
         WINDOW w AS (PARTITION BY agent_id ORDER BY ts, boot_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
       )
     )
     GROUP BY agent_id, boot_id, run
     ORDER BY agent_id, start_ms`,
    { from: args.storedAfter, to: args.storedUntil, thr: Math.round(args.thresholdMs) },
  );
  return numeric(rows);
}

/** The live runs of these agents that overlap [lo, hi]. */
export async function existingRuns(store: Store, agentIds: readonly string[], lo: number, hi: number): Promise<StoredRun[]> {
  const rows = await store.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM health_runs FINAL
     WHERE agent_id IN {ids:Array(String)} AND deleted = 0
       AND end >= fromUnixTimestamp64Milli({lo:Int64}) AND start <= fromUnixTimestamp64Milli({hi:Int64})`,
    { ids: agentIds, lo: Math.max(0, lo), hi },
  );
  return numeric(rows);
}

/** Writes runs (new versions under their start) and tombstones for runs merged into others. */
export async function saveRuns(store: Store, runs: readonly StoredRun[], tombstones: readonly StoredRun[]): Promise<void> {
  const version = nextVersion();
  const row = (r: StoredRun, deleted: number) => ({
    client_id: r.clientId,
    site_id: r.siteId,
    agent_id: r.agentId,
    boot_id: r.bootId,
    start: r.start,
    end: r.end,
    deleted,
    version,
  });
  if (runs.length + tombstones.length === 0) return;
  await store.insert("health_runs", [...tombstones.map((r) => row(r, 1)), ...runs.map((r) => row(r, 0))]);
}

/**
 * A client's runs for a report over [from, to]: those overlapping it, plus each agent's last run before
 * `from` and first after `to`, so the edges of the period are read from evidence rather than guessed.
 */
export async function runsForReport(store: Store, clientId: string | undefined, from: number, to: number): Promise<StoredRun[]> {
  const client = clientId === undefined ? "" : "client_id = {c:String} AND";
  const rows = await store.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM health_runs FINAL
     WHERE ${client} deleted = 0
       AND end >= fromUnixTimestamp64Milli({from:Int64}) AND start <= fromUnixTimestamp64Milli({to:Int64})
     UNION ALL
     SELECT agent_id AS agentId, any(client_id) AS clientId, any(site_id) AS siteId, argMax(boot_id, end) AS bootId,
       toUnixTimestamp64Milli(argMax(start, end)) AS start_ms, toUnixTimestamp64Milli(max(end)) AS end_ms
     FROM health_runs FINAL
     WHERE ${client} deleted = 0 AND end < fromUnixTimestamp64Milli({from:Int64})
     GROUP BY agent_id
     UNION ALL
     SELECT agent_id AS agentId, any(client_id) AS clientId, any(site_id) AS siteId, argMin(boot_id, start) AS bootId,
       toUnixTimestamp64Milli(min(start)) AS start_ms, toUnixTimestamp64Milli(argMin(end, start)) AS end_ms
     FROM health_runs FINAL
     WHERE ${client} deleted = 0 AND start > fromUnixTimestamp64Milli({to:Int64})
     GROUP BY agent_id`,
    { c: clientId ?? "", from, to },
  );
  return numeric(rows);
}
