import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent } from "../../store/queries/agents.js";
import type { Store } from "../../store/clickhouse.js";
import { MAX_POINTS_PER_SERIES, planMetricsQuery, readMetrics, type MetricSeriesRows, type MetricsPlan, type MetricsQuery } from "../../store/queries/metrics.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonResponse } from "../schema.js";

/** Longest range one metrics request may cover. */
export const MAX_RANGE_MS = 400 * 86_400_000;
/** Range when `from` is not given. */
export const DEFAULT_RANGE_MS = 3600_000;
/** Most metric names one request may ask for. */
export const MAX_NAMES = 50;

const METRIC_NAME = /^[a-z][a-z0-9_.]{0,199}$/;

/** Series name of check latency (ms), read from check results rather than health metrics. */
export const CHECK_LATENCY = "check.latency_ms";

export const MetricsQuerySchema = z.object({
  name: z
    .string()
    .min(1)
    .max(4000)
    .openapi({
      param: { name: "name", in: "query" },
      description: `Metric name, or several separated by commas. Besides the agent's health metrics, \`${CHECK_LATENCY}\` gives each check's latency (labels \`check\`, \`role\`) from the check results`,
      example: "cpu.utilization",
    }),
  from: z
    .string()
    .max(40)
    .optional()
    .openapi({ param: { name: "from", in: "query" }, description: "ISO 8601 or epoch ms; default to − 1 h", example: "2026-01-05T10:00:00Z" }),
  to: z
    .string()
    .max(40)
    .optional()
    .openapi({ param: { name: "to", in: "query" }, description: "ISO 8601 or epoch ms; default now", example: "1767610800000" }),
  step: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_RANGE_MS / 1000)
    .optional()
    .openapi({
      param: { name: "step", in: "query" },
      description: "Bucket width in seconds; raised to the table's resolution and to keep ≤ 11,000 points per series",
      example: 300,
    }),
});

export const MetricSeriesSchema = z
  .object({
    name: z.string().openapi({ example: "cpu.utilization" }),
    labels: z.record(z.string(), z.string()).openapi({ example: { core: "0" } }),
    points: z
      .array(z.tuple([z.number(), z.number()]))
      .openapi({ description: "[epoch ms, value] by time; for buckets, the bucket start and the average", example: [[1767607200000, 12.5]] }),
  })
  .openapi("MetricSeries");

export const MetricsResponseSchema = z
  .object({
    series: z.array(MetricSeriesSchema),
    resolution: z.enum(["raw", "1m", "1h"]).openapi({ description: "raw up to 6 h, 1m up to 8 days, else 1h" }),
    stepSeconds: z.number().int().openapi({ description: "Bucket width; for unbucketed raw samples the nominal 15 s", example: 60 }),
  })
  .openapi("Metrics");

const route = createRoute({
  method: "get",
  path: "/{id}/metrics",
  tags: ["hosts"],
  summary: "Metric series of a host over a time range",
  description: "A viewer sees only its own client's hosts.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, query: MetricsQuerySchema },
  responses: {
    200: jsonResponse("Series with points sorted by time", MetricsResponseSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

// ISO 8601 date or date-time; without an offset it is taken as UTC.
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
// Years 1970 to 9999.
const MAX_INSTANT_MS = 253_402_300_799_999;

/** Epoch ms of an instant given as ISO 8601 or as epoch ms; 400 naming the field otherwise. */
export function parseInstant(value: string, field: string): number {
  let ms: number;
  if (/^\d{1,15}$/.test(value)) {
    ms = Number(value);
  } else {
    const m = ISO_8601.exec(value.trim());
    if (!m) throw ApiError.invalid(field, "must be ISO 8601 or epoch milliseconds");
    const [, date, time, zone] = m;
    // Date.parse rolls 2026-02-30 over into March; refuse days the month does not have.
    const [y, mo, d] = date!.split("-").map(Number) as [number, number, number];
    if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) throw ApiError.invalid(field, "not a valid date");
    let offset = zone ?? "Z";
    if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
    ms = Date.parse(`${date}T${time ?? "00:00"}${offset.toUpperCase()}`);
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_INSTANT_MS) throw ApiError.invalid(field, "not a valid instant");
  return ms;
}

/** The metric names of a comma-separated list, deduplicated; 400 naming `name` for a malformed one. */
export function parseNames(list: string): string[] {
  const names = [...new Set(list.split(",").map((n) => n.trim()).filter((n) => n.length > 0))];
  if (names.length === 0) throw ApiError.invalid("name", "required");
  if (names.length > MAX_NAMES) throw ApiError.invalid("name", `at most ${MAX_NAMES} names`);
  for (const n of names) {
    if (!METRIC_NAME.test(n)) throw ApiError.invalid("name", "lowercase letters, digits, '_' and '.', starting with a letter");
  }
  return names;
}

function parseLabels(json: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    }
  } catch {
    // Not JSON: the writer always stores canonical JSON, so this is a foreign row; show no labels.
  }
  return {};
}

export function registerHostMetrics(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const names = parseNames(query.name);
    const toMs = query.to === undefined ? Date.now() : parseInstant(query.to, "to");
    const fromMs = query.from === undefined ? toMs - DEFAULT_RANGE_MS : parseInstant(query.from, "from");
    if (fromMs >= toMs) throw ApiError.invalid("from", "must be before to");
    if (toMs - fromMs > MAX_RANGE_MS) throw ApiError.invalid("from", "range must not exceed 400 days");
    const agent = await findAgent(store, id);
    if (!agent) throw ApiError.notFound("host");
    assertClientVisible(c, agent.client_id, "host");
    const metricsQuery: MetricsQuery = {
      clientId: agent.client_id,
      agentId: agent.id,
      names: names.filter((n) => n !== CHECK_LATENCY),
      fromMs,
      toMs,
      stepSeconds: query.step,
      ...(c.var.deps.retention ? { kept: { ...c.var.deps.retention, nowMs: Date.now() } } : {}),
    };
    let plan = planMetricsQuery(fromMs, toMs, query.step, metricsQuery.kept);
    let series: MetricSeriesRows[] = [];
    if (metricsQuery.names.length > 0) ({ plan, series } = await readMetrics(store, metricsQuery));
    if (names.includes(CHECK_LATENCY)) series = [...series, ...(await readCheckLatency(store, metricsQuery, plan))];
    return c.json(
      {
        series: series.map((s) => ({ name: s.name, labels: parseLabels(s.labels), points: s.points })),
        resolution: plan.resolution,
        stepSeconds: plan.stepSeconds,
      },
      200,
    );
  });
}

/**
 * Latency of each of the host's checks as series named {@link CHECK_LATENCY}, labelled by check id and role, at
 * the plan's resolution: raw results, or the check rollups (average latency of the runs that had one).
 */
async function readCheckLatency(store: Store, q: MetricsQuery, plan: MetricsPlan): Promise<MetricSeriesRows[]> {
  const params = { client: q.clientId, agent: q.agentId, from: q.fromMs, to: q.toMs };
  const rawWhere = `client_id = {client:String} AND agent_id = {agent:String} AND latency_ms IS NOT NULL
    AND ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')`;
  let rows: Array<{ check_id: string; role: string; t: number; v: number }>;
  if (plan.resolution === "raw" && !plan.bucketed) {
    rows = await store.query(
      `SELECT check_id, role, toUnixTimestamp64Milli(ts) AS t, assumeNotNull(latency_ms) AS v FROM check_results WHERE ${rawWhere}
       ORDER BY check_id, role, t LIMIT {limit:UInt32} BY check_id, role`,
      { ...params, limit: MAX_POINTS_PER_SERIES },
    );
  } else if (plan.resolution === "raw") {
    rows = await store.query(
      `SELECT check_id, role, intDiv(toUnixTimestamp64Milli(ts), {stepMs:Int64}) * {stepMs:Int64} AS t, avg(assumeNotNull(latency_ms)) AS v
       FROM check_results WHERE ${rawWhere} GROUP BY check_id, role, t ORDER BY check_id, role, t`,
      { ...params, stepMs: plan.stepSeconds * 1000 },
    );
  } else {
    const table = plan.resolution === "1m" ? "checks_1m" : "checks_1h";
    const unit = plan.resolution === "1m" ? 60 : 3600;
    rows = await store.query(
      `SELECT check_id, role, toInt64(intDiv(toUnixTimestamp(ts), {step:UInt32})) * {step:UInt32} * 1000 AS t,
              sum(latency_sum) / sum(latency_count) AS v
       FROM ${table}
       WHERE client_id = {client:String} AND agent_id = {agent:String}
         AND ts >= toDateTime(intDiv({from:Int64}, {unitMs:Int64}) * {unit:UInt32}, 'UTC')
         AND ts <= toDateTime(intDiv({to:Int64}, 1000), 'UTC')
       GROUP BY check_id, role, t HAVING sum(latency_count) > 0 ORDER BY check_id, role, t`,
      { ...params, step: plan.stepSeconds, unit, unitMs: unit * 1000 },
    );
  }
  const out: MetricSeriesRows[] = [];
  let current: MetricSeriesRows | undefined;
  let key = "";
  for (const r of rows) {
    if (!current || key !== `${r.check_id}\u0000${r.role}`) {
      key = `${r.check_id}\u0000${r.role}`;
      current = { name: CHECK_LATENCY, labels: JSON.stringify({ check: r.check_id, role: r.role }), points: [] };
      out.push(current);
    }
    current.points.push([Number(r.t), Number(r.v)]);
  }
  return out;
}
