import type { Store } from "../clickhouse.js";

/** Which table a metrics query reads: raw samples, or the 1-minute / 1-hour rollups. */
export type MetricsResolution = "raw" | "1m" | "1h";

/** How a metrics query over a time range is answered. */
export interface MetricsPlan {
  resolution: MetricsResolution;
  /** Width of each point's bucket in seconds; for unbucketed raw samples, the nominal sample interval. */
  stepSeconds: number;
  /** False when raw samples are returned as they are. */
  bucketed: boolean;
}

/** Longest range answered from raw samples. */
export const RAW_MAX_SPAN_MS = 6 * 3600_000;
/** Longest range answered from the 1-minute rollup; longer ranges read the 1-hour rollup. */
export const MINUTE_MAX_SPAN_MS = 8 * 86_400_000;
/** Most points one series may have in an answer; the step widens to stay under it. */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Nominal interval of raw samples (the agent's default health interval). */
export const RAW_STEP_SECONDS = 15;

const TABLE_STEP: Record<Exclude<MetricsResolution, "raw">, number> = { "1m": 60, "1h": 3600 };

/** How long raw data and 1-minute rollups are kept, and the time now. */
export interface Kept {
  rawDays: number;
  minuteRollupDays: number;
  nowMs: number;
}

/**
 * Picks the table and step for a range: raw up to 6 hours, 1-minute rollups up to 8 days, else 1-hour rollups.
 * The step is at least the table's resolution (a multiple of it for rollups) and wide enough that no series
 * gets more than {@link MAX_POINTS_PER_SERIES} points.
 */
export function planMetricsQuery(fromMs: number, toMs: number, requestedStepSeconds?: number, kept?: Kept): MetricsPlan {
  const span = toMs - fromMs;
  // Buckets touched by [from, to] are at most span/step + 1.
  const capStep = Math.max(1, Math.ceil(span / 1000 / (MAX_POINTS_PER_SERIES - 1)));
  // A range reaching back past a table's retention reads the next coarser table, which still has it.
  const age = kept ? kept.nowMs - fromMs : 0;
  const rawGone = kept !== undefined && age > kept.rawDays * 86_400_000;
  const minuteGone = kept !== undefined && age > kept.minuteRollupDays * 86_400_000;
  if (span <= RAW_MAX_SPAN_MS && !rawGone) {
    if (requestedStepSeconds === undefined || requestedStepSeconds <= RAW_STEP_SECONDS) {
      return { resolution: "raw", stepSeconds: RAW_STEP_SECONDS, bucketed: false };
    }
    return { resolution: "raw", stepSeconds: Math.max(requestedStepSeconds, capStep), bucketed: true };
  }
  const resolution = span <= MINUTE_MAX_SPAN_MS && !minuteGone ? "1m" : "1h";
  const unit = TABLE_STEP[resolution];
  const wanted = Math.max(requestedStepSeconds ?? unit, unit, capStep);
  return { resolution, stepSeconds: Math.ceil(wanted / unit) * unit, bucketed: true };
}

/** One metric series of one agent: a name, its canonical label JSON, and [epoch ms, value] points by time. */
export interface MetricSeriesRows {
  name: string;
  labels: string;
  points: Array<[number, number]>;
}

/** What to read: metrics of one agent of one client over [fromMs, toMs]. */
export interface MetricsQuery {
  clientId: string;
  agentId: string;
  names: string[];
  fromMs: number;
  toMs: number;
  stepSeconds?: number;
  /** Retention, so that old ranges are read from tables that still hold them. */
  kept?: Kept;
}

interface PointRow {
  name: string;
  labels: string;
  t: number;
  v: number;
}

const ORDER = "ORDER BY name, labels, t";

/**
 * Reads metric series for a range at the resolution {@link planMetricsQuery} picks. Rollup rows are merged with
 * GROUP BY (the AggregatingMergeTree may still hold unmerged parts); averages are sum(sum_value) / sum(count).
 */
export async function readMetrics(store: Store, q: MetricsQuery): Promise<{ plan: MetricsPlan; series: MetricSeriesRows[] }> {
  let plan = planMetricsQuery(q.fromMs, q.toMs, q.stepSeconds, q.kept);
  const params = { client: q.clientId, agent: q.agentId, names: q.names, from: q.fromMs, to: q.toMs };
  const rawWhere = `client_id = {client:String} AND agent_id = {agent:String} AND name IN {names:Array(String)}
    AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
    AND isFinite(value)`;
  const rawBucketed = (stepSeconds: number) =>
    store.query<PointRow>(
      `SELECT name, labels, intDiv(toUnixTimestamp64Milli(ts), {stepMs:Int64}) * {stepMs:Int64} AS t, avg(value) AS v
       FROM metrics_raw WHERE ${rawWhere} GROUP BY name, labels, t ${ORDER}`,
      { ...params, stepMs: stepSeconds * 1000 },
    );

  let rows: PointRow[];
  if (plan.resolution === "raw" && !plan.bucketed) {
    rows = await store.query<PointRow>(
      `SELECT name, labels, toUnixTimestamp64Milli(ts) AS t, value AS v FROM metrics_raw WHERE ${rawWhere}
       ${ORDER} LIMIT {limit:UInt32} BY name, labels`,
      { ...params, limit: MAX_POINTS_PER_SERIES + 1 },
    );
    const series = groupSeries(rows);
    if (series.every((s) => s.points.length <= MAX_POINTS_PER_SERIES)) return { plan, series };
    // Samples come faster than the cap allows: average them into buckets after all.
    const capStep = Math.ceil((q.toMs - q.fromMs) / 1000 / (MAX_POINTS_PER_SERIES - 1));
    plan = { resolution: "raw", stepSeconds: Math.max(RAW_STEP_SECONDS, capStep), bucketed: true };
    rows = await rawBucketed(plan.stepSeconds);
  } else if (plan.resolution === "raw") {
    rows = await rawBucketed(plan.stepSeconds);
  } else {
    const table = plan.resolution === "1m" ? "metrics_1m" : "metrics_1h";
    const unit = TABLE_STEP[plan.resolution];
    // A rollup row stands for [ts, ts + unit): include every row that overlaps the range.
    rows = await store.query<PointRow>(
      `SELECT name, labels, toInt64(intDiv(toUnixTimestamp(ts), {step:UInt32})) * {step:UInt32} * 1000 AS t,
              sum(sum_value) / sum(count) AS v
       FROM ${table}
       WHERE client_id = {client:String} AND agent_id = {agent:String} AND name IN {names:Array(String)}
         AND ts >= toDateTime(intDiv({from:Int64}, {unitMs:Int64}) * {unit:UInt32}, 'UTC')
         AND ts <= toDateTime(intDiv({to:Int64}, 1000), 'UTC')
       GROUP BY name, labels, t HAVING sum(count) > 0 AND isFinite(v) ${ORDER}`,
      { ...params, step: plan.stepSeconds, unit, unitMs: unit * 1000 },
    );
  }
  return { plan, series: groupSeries(rows) };
}

function groupSeries(rows: PointRow[]): MetricSeriesRows[] {
  const out: MetricSeriesRows[] = [];
  let current: MetricSeriesRows | undefined;
  for (const r of rows) {
    if (!current || current.name !== r.name || current.labels !== r.labels) {
      current = { name: r.name, labels: r.labels, points: [] };
      out.push(current);
    }
    current.points.push([Number(r.t), Number(r.v)]);
  }
  return out;
}
