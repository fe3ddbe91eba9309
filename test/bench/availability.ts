import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { expandMaintenance, type Interval, type MaintenanceWindow } from "../../collector/src/availability/index.js";
import { loadConfig } from "../../collector/src/config.js";
import { clientAvailability } from "../../collector/src/evidence/client-availability.js";
import { loadClientEvidence, type ClientEvidence } from "../../collector/src/evidence/client-evidence.js";
import { SETTLE_JOB } from "../../collector/src/evidence/settler.js";
import type { ApiDeps } from "../../collector/src/api/app.js";
import { loadFleet } from "../../collector/src/api/fleet/snapshot.js";
import { buildFleetReport } from "../../collector/src/reports/fleet.js";
import { buildSlaReport, scopeFigures, slaReportFrom, type ReportContext, type SlaReportParams } from "../../collector/src/reports/sla/build.js";
import { renderSlaPdf } from "../../collector/src/reports/sla/pdf.js";
import type { SlaReport } from "../../collector/src/reports/sla/report.js";
import { openStore, type Store } from "../../collector/src/store/clickhouse.js";
import { migrate } from "../../collector/src/store/migrate.js";
import { listAgents } from "../../collector/src/store/queries/agents.js";
import { findClient, listClients } from "../../collector/src/store/queries/clients.js";
import { checkEvidence, collectorRuns, connectionEvents, spoolLosses, unsettledSamples } from "../../collector/src/store/queries/evidence.js";
import { runsForReport } from "../../collector/src/store/queries/health-runs.js";
import { listAnnotations } from "../../collector/src/store/queries/incident-annotations.js";
import { readJobMark } from "../../collector/src/store/queries/job-marks.js";
import { listMaintenanceWindows } from "../../collector/src/store/queries/maintenance.js";
import { findClientPolicy, hostProfiles, listClientPolicies, siteTimezones, type ClientPolicy } from "../../collector/src/store/queries/policies.js";
import { listSites } from "../../collector/src/store/queries/sites.js";
import { cleanup, tempDir } from "../support/processes.js";
import type { CpuProfile } from "./cpu-profile.js";
import { fmtNumber, formatTable, median, mib, readRssBytes } from "./measure.js";

/** Sizes of the availability (SLA report) benchmark. */
export interface AvailabilityOptions {
  clients: number;
  hostsPerClient: number;
  /** Length of the reports' period in days (90). */
  days: number;
  /** Days of history seeded (90); agents were enrolled 10 days before it starts. */
  historyDays: number;
  /** Measured repetitions of each operation, after one warm-up (5). */
  runs: number;
  /** Days of raw check_results kept (the gateway ping every 30 s); older check history is only in checks_1m (30). */
  rawCheckDays: number;
  /** Also take a CPU profile of one run of each operation and print where the JavaScript time goes. */
  profile: boolean;
  /** Keep the store in this directory, and reuse the fleet already seeded there (its "now" is then the seeding time). */
  dataDir?: string;
  log: (line: string) => void;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const SAMPLE_MS = 15_000;
/** How far the settler's mark is behind "now": its 30 s lag plus up to a 60 s pass interval. */
const MARK_LAG_MS = 90_000;
const CHECK_MS = 30_000;
const TIMELINE = { sampleIntervalMs: SAMPLE_MS, checkIntervalMs: CHECK_MS };
/** Rows per INSERT … SELECT of the bulk check history. */
const BULK_ROWS = 6_000_000;
/** The collector run that is "this process" in the seeded collector_runs. */
const LIVE_RUN = "bench-run-3";

/**
 * SLA reports over a seeded history: N clients × M hosts × D days of settled health runs (the form long
 * reports read; no 15-second samples but the last hour's), with weekly patch reboots, crashes, stopped
 * agents, sites going dark, gateway outages, maintenance windows, collector outages and the gateway ping's
 * check history. Times the SLA report of one client (all hours and business hours), the fleet report over
 * every client and the PDF of the one-client report; then takes the one-client report apart (each query,
 * the computation) and tries the changes that would make it faster.
 */
export async function availabilityBench(o: AvailabilityOptions): Promise<void> {
  const dataDir = o.dataDir ?? tempDir("bench-availability");
  const config = loadConfig({});
  const store = await openStore({ kind: "embedded", path: path.join(dataDir, "clickhouse"), database: "vigil" });
  try {
    await migrate(store, config.retention);
    const reused = o.dataDir !== undefined && (await count(store, "clients")) > 0;
    // A fleet seeded earlier is planned again from its own "now" (the plan is deterministic) but not written.
    const fleet = planFleet(o, reused ? (await readJobMark(store, SETTLE_JOB)) + MARK_LAG_MS : undefined);
    if (reused) {
      console.log(`Reusing the fleet seeded in ${dataDir} on ${new Date(fleet.now).toISOString()} (its "now"); the sizes must match the options.`);
    } else {
      o.log(`seeding ${fmtNumber(fleet.hosts.length)} hosts × ${o.historyDays} days`);
      const seeded = await seed(store, fleet, o);
      console.log(
        `Seeded ${o.clients} clients, ${fleet.sites.length} sites, ${fmtNumber(fleet.hosts.length)} hosts, ${o.historyDays} days of history ` +
          `(agents enrolled ${o.historyDays + 10} days ago) in ${seeded.seconds.toFixed(1)} s:`,
      );
      console.log(formatTable(["table", "rows", "seconds", "what"], seeded.tables.map((t) => [t.table, t.rows, t.seconds.toFixed(1), t.what])));
      console.log("(rows: what the table holds after the step; for (merges), the active parts left)");
    }
    console.log(
      `(per host over ${o.historyDays} days: median ${median(fleet.hosts.map((h) => h.runs.length))} settled runs; the settler's mark is ${MARK_LAG_MS / 1000} s before "now", ` +
        `so reports also read that much raw health_samples)`,
    );
    console.log(`${os.cpus().length} CPUs; load average before measuring ${loadAverage()} (other work on the machine skews the figures).`);

    const to = fleet.now;
    const from = to - o.days * DAY;
    const ctx: ReportContext = { store, timeline: TIMELINE, collectorRunId: LIVE_RUN, now: () => fleet.now };
    const client = fleet.clients[fleet.sampleClient]!;
    const params = (hours: "all" | "business"): SlaReportParams => ({ clientId: client.id, from, to, hours });
    const describe = `${client.id}: ${client.hosts} hosts on ${client.sites} sites, ${client.policy.businessCalendar === undefined ? "no calendar" : "Mon–Fri 08:00–18:00"}, ${client.timezone}`;
    let report: SlaReport | undefined;
    let pdfBytes = 0;
    const cases: Array<{ what: string; run: () => Promise<unknown> }> = [
      { what: `SLA report, one client, ${o.days} days, hours=all`, run: async () => (report = await buildSlaReport(ctx, params("all"))) },
      { what: `SLA report, one client, ${o.days} days, hours=business`, run: () => buildSlaReport(ctx, params("business")) },
      { what: `fleet report, ${o.clients} clients (${fmtNumber(fleet.hosts.length)} hosts), ${o.days} days, hours=all`, run: () => buildFleetReport(ctx, { from, to, hours: "all" }) },
      { what: "renderSlaPdf of the one-client report (hours=all)", run: async () => (pdfBytes = (await renderSlaPdf(report!)).length) },
      // What the dashboard's fleet page (GET /api/v1/fleet) and its live stream's 5-s poll read.
      { what: `dashboard fleet view, all ${o.clients} clients (${fmtNumber(fleet.hosts.length)} hosts)`, run: () => loadFleet(fleetViewDeps(store), undefined) },
      { what: "dashboard fleet view, one client (a viewer's)", run: () => loadFleet(fleetViewDeps(store), client.id) },
    ];

    const rows: Array<Array<string | number>> = [];
    const rssBefore = readRssBytes(process.pid) ?? 0;
    let rssPeakSampled = rssBefore;
    const sampler = setInterval(() => (rssPeakSampled = Math.max(rssPeakSampled, readRssBytes(process.pid) ?? 0)), 25);
    try {
      for (const c of cases) {
        o.log(`${c.what}: 1 warm-up + ${o.runs} runs`);
        const times = await repeat(c.run, o.runs);
        const sorted = [...times].sort((a, b) => a - b);
        rows.push([c.what, ms(median(times)), ms(sorted[0]!), ms(sorted.at(-1)!), verdict(median(times))]);
      }
    } finally {
      clearInterval(sampler);
    }
    console.log(`\nReport times, ${o.runs} runs after one warm-up (one client = ${describe}):`);
    console.log(formatTable(["operation", "median ms", "min ms", "max ms", "target < 500 ms"], rows));
    if (report) {
      console.log(
        `(one-client report: ${report.byHost.length} hosts, ${report.incidents.length} incidents, ${report.siteIncidents.length} site incidents, ` +
          `availability ${report.availabilityPct?.toFixed(3)} %, cost ${fmtNumber(report.cost.total)} ${report.cost.currency}; PDF ${fmtNumber(pdfBytes / 1024)} KiB)`,
      );
    }
    console.log(
      `RSS of the process (Node and the embedded ClickHouse): ${mib(rssBefore)} before the reports, peak while reporting ${mib(rssPeakSampled)} (sampled every 25 ms); ` +
        `peak over the whole run ${mib(process.resourceUsage().maxRSS * 1024)} (getrusage, seeding included). Load average after: ${loadAverage()}.`,
    );

    await breakdown(store, ctx, params("all"), o);
    await experiments(store, ctx, params("all"), o);
    if (o.profile) await profiles(cases, o);
  } finally {
    await store.close();
    if (o.dataDir === undefined) cleanup(dataDir);
  }
}

/** Runs `fn` once to warm up, then `n` times; the times of the `n` runs in ms. */
async function repeat(fn: () => unknown, n: number): Promise<number[]> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

function ms(n: number): string {
  return n.toFixed(n < 10 ? 1 : 0);
}

/** The API dependencies the fleet view reads: the store, and a gateway with no live agents (a bench has none). */
function fleetViewDeps(store: Store): ApiDeps {
  const presence = { isConnected: () => false, lastSeen: () => undefined, disconnect: () => undefined };
  return { store, presence, publicUrl: "http://127.0.0.1", adminTokenHash: "", logger: undefined as never };
}

function verdict(medianMs: number): string {
  return medianMs < 500 ? "met" : `NOT met, ${(medianMs / 500).toFixed(1)}×`;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
}

/**
 * Where the time of the one-client report goes: each evidence query alone, the whole load, and the
 * computation over loaded evidence; then the fleet report's reading against its computing.
 */
async function breakdown(store: Store, ctx: ReportContext, p: SlaReportParams, o: AvailabilityOptions): Promise<void> {
  // buildSlaReport reads the period and the one before it, padded by 6 hours.
  const lo = 2 * p.from - p.to - 6 * HOUR;
  const hi = p.to + 6 * HOUR;
  const c = p.clientId;
  const now = ctx.now!();
  const mark = await readJobMark(store, SETTLE_JOB);
  const queries: Array<[string, () => Promise<unknown>]> = [
    ["findClient + readJobMark", () => Promise.all([findClient(store, c), readJobMark(store, SETTLE_JOB)])],
    ["policy, sites, zones, profiles", () => Promise.all([findClientPolicy(store, c), listSites(store, { clientId: c }), siteTimezones(store, { clientId: c }), hostProfiles(store, { clientId: c })])],
    ["maintenance windows + annotations", () => Promise.all([listMaintenanceWindows(store, { clientId: c }), listAnnotations(store, { clientId: c })])],
    ["listAgents", () => listAgents(store, { clientId: c })],
    ["runsForReport (health_runs FINAL)", () => runsForReport(store, c, lo, hi)],
    ["unsettledSamples (health_samples)", () => unsettledSamples(store, c, mark, lo, hi)],
    ["connectionEvents", () => connectionEvents(store, c, lo, hi)],
    ["spoolLosses", () => spoolLosses(store, c, lo, hi)],
    ["checkEvidence (checks_1m, check_results)", () => checkEvidence(store, [c], lo, hi)],
    ["collectorRuns", () => collectorRuns(store, lo, hi, now, LIVE_RUN)],
    ["loadClientEvidence (all of the above at once)", () => loadClientEvidence(store, c, 2 * p.from - p.to, p.to, now, LIVE_RUN)],
  ];
  const rows: Array<Array<string | number>> = [];
  for (const [what, run] of queries) {
    let result: unknown;
    const times = await repeat(async () => (result = await run()), o.runs);
    rows.push([what, ms(median(times)), rowCount(result)]);
  }
  const evidence = (await loadClientEvidence(store, c, 2 * p.from - p.to, p.to, now, LIVE_RUN))!;
  const compute: Array<[string, () => unknown]> = [
    ["slaReportFrom (JS, both periods), hours=all", () => slaReportFrom(evidence, p, TIMELINE, now)],
    ["slaReportFrom (JS, both periods), hours=business", () => slaReportFrom(evidence, { ...p, hours: "business" }, TIMELINE, now)],
    ["  of which clientAvailability, this period, all", () => clientAvailability(evidence, p.from, p.to, "all", TIMELINE, now)],
  ];
  for (const [what, run] of compute) rows.push([what, ms(median(await repeat(run, o.runs))), ""]);
  console.log(`\nThe one-client report (${c}, hours=all) taken apart, each step alone, median of ${o.runs}:`);
  console.log(formatTable(["step", "median ms", "rows"], rows));

  // The fleet report's work one client at a time: how much is reading and how much computing.
  let load = 0;
  let computeMs = 0;
  const clients = await listClients(store);
  for (const { id } of clients) {
    const t0 = performance.now();
    const ev = (await loadClientEvidence(store, id, p.from, p.to, now, LIVE_RUN))!;
    const t1 = performance.now();
    scopeFigures(ev, clientAvailability(ev, p.from, p.to, "all", TIMELINE, now), {});
    computeMs += performance.now() - t1;
    load += t1 - t0;
  }
  console.log(
    `Fleet report's work done one client at a time (hours=all): reading ${ms(load)} ms + computing ${ms(computeMs)} ms over ${clients.length} clients ` +
      `(buildFleetReport reads each table once for all clients, and computes one batch of clients while the store reads the next batch's check results).`,
  );
}

function rowCount(result: unknown): string {
  if (typeof result === "string") return result;
  if (Array.isArray(result)) return result.length === 0 ? "0" : typeof result[0] !== "object" || result[0] === null || Array.isArray(result[0]) || result[0] instanceof Map ? "" : fmtNumber(result.length);
  if (result instanceof Map) return fmtNumber([...result.values()].reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 1), 0));
  if (result && typeof result === "object" && "hosts" in result) {
    const ev = result as ClientEvidence;
    const n = (k: "runs" | "connectionEvents" | "checkResults" | "samples") => fmtNumber(ev.hosts.reduce((s, h) => s + h[k].length, 0));
    return `${n("runs")} runs, ${n("samples")} samples, ${n("connectionEvents")} events, ${n("checkResults")} check results`;
  }
  return "";
}

// The product's checkEvidence query (collector/src/store/queries/evidence.ts), copied, with `{extra}` where the
// experiments change it. Keep in step with the original.
const FAILING_MINUTES_SQL = (clientFilter: string, extra: string) => `SELECT site_id, role, ts AS minute FROM checks_1m
       WHERE ${clientFilter} AND ts >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64}))
         AND ts <= fromUnixTimestamp64Milli({to:Int64}) ${extra}
       GROUP BY site_id, role, ts HAVING sum(failures) > 0`;
const CHECK_EVIDENCE_SQL = (clientFilter: string, extra: string) => `WITH failing AS (
       ${FAILING_MINUTES_SQL(clientFilter, extra)}
     )
     SELECT agent_id, toString(check_id) AS check, toString(role) AS check_role, toUnixTimestamp64Milli(ts) AS ts_ms, ok
     FROM check_results
     WHERE ${clientFilter} AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})
       AND (site_id, role) IN (SELECT site_id, role FROM failing)
       AND (site_id, role, toStartOfMinute(ts)) IN (
         SELECT site_id, role, arrayJoin([minute - 120, minute - 60, minute, minute + 60, minute + 120]) FROM failing
       )`;

/**
 * What would make the reports faster, tried here with the bench's own SQL and a stand-in cache, never the
 * product's code: (1) checkEvidence finding failing minutes with `failures > 0` in WHERE instead of grouping
 * every minute of the client first; (2) the fleet's evidence read with one query per table instead of 13 per
 * client; (3) the computation with time-zone conversions cached.
 */
async function experiments(store: Store, ctx: ReportContext, p: SlaReportParams, o: AvailabilityOptions): Promise<void> {
  const now = ctx.now!();
  const lo = 2 * p.from - p.to - 6 * HOUR;
  const hi = p.to + 6 * HOUR;
  const rows: Array<Array<string | number>> = [];
  const row = async (what: string, run: () => Promise<unknown> | unknown) => {
    let result: unknown;
    const times = await repeat(async () => (result = await run()), o.runs);
    rows.push([what, ms(median(times)), rowCount(result)]);
  };
  const oneClient = { c: p.clientId, from: lo, to: hi };
  const clientFilter = "client_id = {c:String}";
  await row("checkEvidence, one client, as it is", () => store.query(CHECK_EVIDENCE_SQL(clientFilter, ""), oneClient));
  await row("checkEvidence, one client, failures > 0 in WHERE", () => store.query(CHECK_EVIDENCE_SQL(clientFilter, "AND failures > 0"), oneClient));

  // Every client's evidence over the fleet report's period, one query per table (no client filter), each alone.
  const flo = p.from - 6 * HOUR;
  const fhi = p.to + 6 * HOUR;
  const range = { from: flo, to: fhi };
  const mark = await readJobMark(store, SETTLE_JOB);
  const fleetQueries: Array<[string, () => Promise<unknown>]> = [
    [
      "clients, policies, sites, zones, profiles, windows, annotations, agents",
      () =>
        Promise.all([
          listClients(store),
          listClientPolicies(store),
          listSites(store),
          siteTimezones(store),
          hostProfiles(store),
          listMaintenanceWindows(store),
          listAnnotations(store),
          listAgents(store),
        ]).then((r) => `${fmtNumber(r[7].length)} agents`),
    ],
    [
      "health_runs FINAL (the runsForReport query)",
      () =>
        store.query(
          `SELECT agent_id, boot_id, toUnixTimestamp64Milli(start) AS start_ms, toUnixTimestamp64Milli(end) AS end_ms FROM health_runs FINAL
           WHERE deleted = 0 AND end >= fromUnixTimestamp64Milli({from:Int64}) AND start <= fromUnixTimestamp64Milli({to:Int64})
           UNION ALL
           SELECT agent_id, argMax(boot_id, end), toUnixTimestamp64Milli(argMax(start, end)), toUnixTimestamp64Milli(max(end)) FROM health_runs FINAL
           WHERE deleted = 0 AND end < fromUnixTimestamp64Milli({from:Int64}) GROUP BY agent_id
           UNION ALL
           SELECT agent_id, argMin(boot_id, start), toUnixTimestamp64Milli(min(start)), toUnixTimestamp64Milli(argMin(end, start)) FROM health_runs FINAL
           WHERE deleted = 0 AND start > fromUnixTimestamp64Milli({to:Int64}) GROUP BY agent_id`,
          range,
        ),
    ],
    [
      "health_samples after the mark, connection_events, spool_losses, collectorRuns",
      () =>
        Promise.all([
          store.query(
            `SELECT agent_id, toUnixTimestamp64Milli(ts) AS ts_ms, toString(boot_id) AS boot, toUnixTimestamp64Milli(received_at) AS received_ms FROM health_samples
             WHERE stored_at > fromUnixTimestamp64Milli({after:Int64}) AND ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts <= fromUnixTimestamp64Milli({to:Int64})`,
            { ...range, after: mark },
          ),
          store.query(
            `SELECT agent_id, toUnixTimestamp64Milli(at) AS at_ms, toString(event) AS kind, toString(reason) AS why FROM connection_events
             WHERE event IN ('goodbye', 'disconnected') AND at >= fromUnixTimestamp64Milli({from:Int64}) AND at <= fromUnixTimestamp64Milli({to:Int64})`,
            range,
          ),
          store.query(
            `SELECT agent_id, toUnixTimestamp64Milli(assumeNotNull(oldest_ts)) AS start_ms, toUnixTimestamp64Milli(assumeNotNull(newest_ts)) AS end_ms FROM spool_losses
             WHERE oldest_ts IS NOT NULL AND newest_ts IS NOT NULL AND newest_ts >= fromUnixTimestamp64Milli({from:Int64}) AND oldest_ts <= fromUnixTimestamp64Milli({to:Int64})`,
            range,
          ),
          collectorRuns(store, flo, fhi, now, LIVE_RUN),
        ]).then((r) => `${fmtNumber(r[0].length)} samples, ${fmtNumber(r[1].length)} events`),
    ],
    ["failing minutes of checks_1m (failures > 0)", () => store.query(FAILING_MINUTES_SQL("1", "AND failures > 0"), range)],
    ["check_results around them (the checkEvidence query, failures > 0)", () => store.query(CHECK_EVIDENCE_SQL("1", "AND failures > 0"), range)],
  ];
  for (const [what, run] of fleetQueries) await row(`all clients in one query: ${what}`, run);
  // The computation with Intl's formatToParts (timezone.ts's wallClock, under every local ↔ UTC conversion)
  // answered from a cache: about what expanding each maintenance window and calendar once per client, or
  // a per-zone offset cache, would give.
  const clients = await listClients(store);
  const evidence = await Promise.all(clients.map(async (c) => (await loadClientEvidence(store, c.id, p.from, p.to, now, LIVE_RUN))!));
  const one = (await loadClientEvidence(store, p.clientId, 2 * p.from - p.to, p.to, now, LIVE_RUN))!;
  const fleetCompute = (hours: "all" | "business") => {
    for (const ev of evidence) scopeFigures(ev, clientAvailability(ev, p.from, p.to, hours, TIMELINE, now), {});
  };
  for (const cached of [false, true]) {
    const undo = cached ? cacheFormatToParts() : () => {};
    try {
      const how = cached ? "with formatToParts cached" : "as it is";
      await row(`slaReportFrom (JS), one client, hours=all, ${how}`, () => void slaReportFrom(one, p, TIMELINE, now));
      await row(`slaReportFrom (JS), one client, hours=business, ${how}`, () => void slaReportFrom(one, { ...p, hours: "business" }, TIMELINE, now));
      await row(`fleet computation (JS), ${clients.length} clients, hours=all, ${how}`, () => fleetCompute("all"));
    } finally {
      undo();
    }
  }
  console.log(`\nExperiments (the bench's own SQL and a stand-in cache; the product is unchanged), median of ${o.runs}:`);
  console.log(formatTable(["what", "median ms", "rows"], rows));
}

/** Memoizes Intl.DateTimeFormat#formatToParts per formatter and instant; returns the function that undoes it. */
function cacheFormatToParts(): () => void {
  const proto = Intl.DateTimeFormat.prototype;
  const original = proto.formatToParts;
  const caches = new WeakMap<Intl.DateTimeFormat, Map<number, Intl.DateTimeFormatPart[]>>();
  proto.formatToParts = function (this: Intl.DateTimeFormat, date?: Date | number) {
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map()));
    const key = Number(date ?? Date.now());
    let parts = cache.get(key);
    if (!parts) cache.set(key, (parts = original.call(this, date)));
    return parts;
  };
  return () => {
    proto.formatToParts = original;
  };
}

/** One CPU profile per operation (in this process, through the inspector): self time by function and by file. */
async function profiles(cases: Array<{ what: string; run: () => Promise<unknown> }>, o: AvailabilityOptions): Promise<void> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    for (const c of cases) {
      o.log(`profiling: ${c.what}`);
      await session.post("Profiler.start");
      const t = performance.now();
      await c.run();
      const wall = performance.now() - t;
      const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
      const s = summarize(profile);
      const pct = (v: number) => `${((v / Math.max(1e-9, s.busyMs)) * 100).toFixed(0)} %`;
      console.log(`\nCPU profile of one run: ${c.what}: ${ms(wall)} ms wall, of which the JS thread was busy ${ms(s.busyMs)} ms and idle ${ms(s.idleMs)} ms (idle: waiting for ClickHouse):`);
      console.log(formatTable(["busy time by file", "ms", "of busy"], s.files.map(([k, v]) => [k, ms(v), pct(v)])));
      console.log(formatTable(["busy time by function (self)", "ms", "of busy"], s.functions.map(([k, v]) => [k, ms(v), pct(v)])));
    }
  } finally {
    session.disconnect();
  }
}

function summarize(profile: CpuProfile & { timeDeltas?: number[] }, top = 12): { busyMs: number; idleMs: number; files: Array<[string, number]>; functions: Array<[string, number]> } {
  // Each sample's time is the delta to the next one; a node's time is the sum over its samples.
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const timeOf = new Map<number, number>();
  for (let i = 0; i < samples.length; i++) timeOf.set(samples[i]!, (timeOf.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  const byFile = new Map<string, number>();
  const byFn = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const n of profile.nodes) {
    const t = timeOf.get(n.id) ?? 0;
    if (t === 0) continue;
    const { functionName, url } = n.callFrame;
    if (functionName === "(idle)") {
      idle += t;
      continue;
    }
    busy += t;
    const file = fileOf(url, functionName);
    byFile.set(file, (byFile.get(file) ?? 0) + t);
    // Line numbers are of tsx's output, not of the source: the function and file name it well enough.
    const fn = `${functionName || "(anonymous)"}${url ? ` ${url.split("/").at(-1)}` : ""}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { busyMs: busy, idleMs: idle, files: sorted(byFile), functions: sorted(byFn) };
}

function fileOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith("node:")) return "node: internals";
  const own = /\/(collector|protocol)\/src\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

// ---------------------------------------------------------------------------------------------------
// The seeded fleet, planned in memory first: what happened to every host, as settled runs and events.

interface PlannedClient {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  policy: ClientPolicy;
  sites: number;
  hosts: number;
  maintenance: MaintenanceWindow[];
}

interface PlannedSite {
  id: string;
  clientId: string;
  name: string;
  timezone?: string;
  /** Spans (padded) in which the site's gateway ping failed while its hosts kept running. */
  gatewayOutages: Interval[];
}

interface PlannedHost {
  id: string;
  clientId: string;
  siteId: string;
  hostname: string;
  /** Offset of its 15-second sample grid. */
  phase: number;
  runs: Array<{ start: number; end: number; bootId: string }>;
  events: Array<{ at: number; event: string; reason: string; bootId: string }>;
  spoolLosses: Interval[];
  /** Crash incidents people acknowledged: incident start (the last sample before it) and when. */
  acknowledged: Array<{ start: number; at: number; note: string; excluded: boolean }>;
}

interface Fleet {
  now: number;
  /** The settler's mark: samples stored up to here are in health_runs. */
  mark: number;
  historyStart: number;
  enrolledAt: number;
  clients: PlannedClient[];
  sites: PlannedSite[];
  hosts: PlannedHost[];
  collectorRuns: Array<{ id: string; start: number; heartbeat: number; stopped: number | null; reason: string }>;
  /** Index of the client whose report is timed. */
  sampleClient: number;
}

/** A gap in a host's samples, from its last sample before to its first after. */
interface Gap {
  start: number;
  end: number;
  /** What opened it: the goodbye reason, or none (crash, power, spool loss). */
  goodbye: "os_reboot" | "os_shutdown" | "service_stop" | null;
  newBoot: boolean;
  /** Site and collector events come first and are never displaced by a host's own. */
  shared: boolean;
  ack?: { at: number; note: string; excluded: boolean };
}

const ZONES: Array<[string, string]> = [
  ["Europe/Berlin", "EUR"],
  ["America/New_York", "USD"],
  ["Europe/London", "GBP"],
  ["Australia/Sydney", "AUD"],
  ["America/Chicago", "USD"],
];
const SLOS = [99.9, 99.5, 99.95, 99.9, 99];
const OFFICE_HOURS = { weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ start: "08:00", end: "18:00" }]])) };

function planFleet(o: AvailabilityOptions, seededAt?: number): Fleet {
  const rnd = mulberry32(20260704);
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const now = seededAt ?? Math.floor(Date.now() / 1000) * 1000;
  const mark = now - MARK_LAG_MS;
  const historyStart = now - o.historyDays * DAY;
  const enrolledAt = now - (o.historyDays + 10) * DAY;
  // Nothing happens in the last two hours: every host is running at "now".
  const quietFrom = now - 2 * HOUR;
  const span = quietFrom - historyStart;
  const round = (t: number) => Math.floor(t / MIN) * MIN;

  // Two collector outages: a restart whose agents backfilled from their spools, and a long one in which
  // one host in ten overflowed its spool.
  const c1 = { start: round(historyStart + 0.31 * span), end: 0 };
  c1.end = c1.start + 15 * MIN;
  const c2 = { start: round(historyStart + 0.72 * span), end: 0 };
  c2.end = c2.start + 2 * HOUR;
  const collectorRunsOut: Fleet["collectorRuns"] = [
    { id: "bench-run-1", start: enrolledAt - DAY, heartbeat: c1.start, stopped: c1.start, reason: "SIGTERM" },
    { id: "bench-run-2", start: c1.end, heartbeat: c2.start, stopped: null, reason: "" },
    { id: LIVE_RUN, start: c2.end, heartbeat: now - 4000, stopped: null, reason: "" },
  ];

  const clients: PlannedClient[] = [];
  const sites: PlannedSite[] = [];
  const hosts: PlannedHost[] = [];
  for (let ci = 0; ci < o.clients; ci++) {
    const id = `bench-client-${pad(ci, 3)}`;
    const [timezone, currency] = ZONES[ci % ZONES.length]!;
    const policy: ClientPolicy = {
      sloPct: SLOS[ci % SLOS.length]!,
      costModel: {
        annualRevenue: Math.round(between(1, 40)) * 500_000,
        employees: Math.round(between(10, 400)),
        loadedHourlyCost: Math.round(between(35, 90)),
        itDependenceShare: 0.3,
        productivityLossShare: 0.5,
        recoveryCostPerIncident: 150,
        ...(ci % 3 === 0 ? { slaPenaltyPerHour: 250 } : {}),
        ...(ci % 2 === 0 ? { offHoursFactor: 0.2 } : {}),
      },
      reportRecipients: [`it@client${ci}.example`],
      reportSchedule: { monthly: true, quarterly: true },
    };
    // Half of the clients work office hours; of the others some say 24x7 and some leave it unset.
    if (ci % 2 === 0) policy.businessCalendar = OFFICE_HOURS;
    else if (ci % 4 === 1) policy.businessCalendar = "24x7";
    const siteCount = 2 + (ci % 4);
    const siteIds: string[] = [];
    for (let si = 0; si < siteCount; si++) {
      const site: PlannedSite = { id: `${id}-site-${si}`, clientId: id, name: si === 0 ? "Head office" : `Branch ${si}`, gatewayOutages: [] };
      // A branch abroad now and then: its own time zone.
      if (si === siteCount - 1 && ci % 5 === 1) site.timezone = "America/Los_Angeles";
      sites.push(site);
      siteIds.push(site.id);
    }
    // Patch night: Sunday 02:00 local for 4 hours, client-wide; and a one-off window at a branch (UPS replacement).
    const patch: MaintenanceWindow = { id: `${id}-patch`, kind: "weekly", scope: { level: "client", id }, timezone, weekday: "sun", start: "02:00", durationMinutes: 240, reason: "Patch window" };
    const upsStart = round(historyStart + between(0.1, 0.9) * span);
    const ups: MaintenanceWindow = { id: `${id}-ups`, kind: "once", scope: { level: "site", id: siteIds[1]! }, start: upsStart, end: upsStart + 4 * HOUR, reason: "UPS replacement" };
    clients.push({ id, name: `Client ${pad(ci, 3)} GmbH`, timezone, currency, policy, sites: siteCount, hosts: o.hostsPerClient, maintenance: [patch, ups] });
    const patchNights = expandMaintenance(patch, historyStart, quietFrom);

    // Events shared by every host of a site: the power going out (20 min), the planned UPS shutdown.
    const siteGaps = new Map<string, Array<{ start: number; minutes: number; goodbye: Gap["goodbye"] }>>();
    for (const [si, siteId] of siteIds.entries()) {
      const list: Array<{ start: number; minutes: number; goodbye: Gap["goodbye"] }> = [];
      const outages = rnd() < 0.4 ? 0 : rnd() < 0.8 ? 1 : 2;
      for (let k = 0; k < outages; k++) list.push({ start: round(historyStart + between(0.02, 0.98) * span), minutes: 20, goodbye: null });
      if (si === 1) list.push({ start: upsStart + 30 * MIN, minutes: 120, goodbye: "os_shutdown" });
      siteGaps.set(siteId, list);
      // The gateway unreachable for 5–15 minutes while the hosts keep running (their samples backfilled).
      if (rnd() < 0.6) {
        const s = round(historyStart + between(0.02, 0.98) * span);
        sites[sites.length - siteCount + si]!.gatewayOutages.push({ start: s, end: s + Math.round(between(5, 15)) * MIN });
      }
    }

    for (let hi = 0; hi < o.hostsPerClient; hi++) {
      const siteIndex = hi < o.hostsPerClient / 2 ? 0 : 1 + (hi % (siteCount - 1));
      const siteId = siteIds[siteIndex]!;
      const hostId = `${id}-h${pad(hi, 3)}`;
      const phase = Math.floor(rnd() * SAMPLE_MS);
      const grid = (t: number) => Math.floor((t - phase) / SAMPLE_MS) * SAMPLE_MS + phase;
      const gaps: Gap[] = [];
      for (const g of siteGaps.get(siteId) ?? []) {
        const start = grid(g.start + between(0, 10_000));
        gaps.push({ start, end: grid(g.start + g.minutes * MIN + between(60_000, 180_000)), goodbye: g.goodbye, newBoot: true, shared: true });
      }
      if (rnd() < 0.1) gaps.push({ start: grid(c2.start + 20 * MIN), end: grid(c2.end - 5 * MIN), goodbye: null, newBoot: false, shared: true });
      // Weekly patch reboot: most hosts in the patch window, staggered; some whenever someone got round to it.
      const inWindow = rnd() < 0.85;
      for (const night of patchNights) {
        const at = inWindow ? night.start + (hi % 20) * 6 * MIN + between(0, 5 * MIN) : night.start + between(-5 * DAY, 0);
        if (at < historyStart + HOUR) continue;
        const start = grid(at);
        gaps.push({ start, end: grid(start + between(150_000, 240_000)), goodbye: "os_reboot", newBoot: true, shared: false });
      }
      // Crashes (0–3 a quarter, 2–30 min), some acknowledged by a technician; agents stopped (0–2, 5 min–3 h).
      const crashes = Math.floor((rnd() * 4 * o.historyDays) / 90);
      for (let k = 0; k < crashes; k++) {
        const start = grid(historyStart + between(0.01, 0.99) * span);
        const end = grid(start + between(2, 30) * MIN);
        const gap: Gap = { start, end, goodbye: null, newBoot: true, shared: false };
        if (rnd() < 0.5) gap.ack = { at: start + Math.round(between(3, 40) * MIN), note: rnd() < 0.5 ? "Blue screen, driver update scheduled" : "", excluded: rnd() < 0.1 };
        gaps.push(gap);
      }
      const stops = Math.floor((rnd() * 3 * o.historyDays) / 90);
      for (let k = 0; k < stops; k++) {
        const start = grid(historyStart + between(0.01, 0.99) * span);
        gaps.push({ start, end: grid(start + between(5, 180) * MIN), goodbye: "service_stop", newBoot: false, shared: false });
      }
      hosts.push(hostFrom({ hostId, clientId: id, siteId, hostname: `${siteIndex === 0 ? "hq" : `br${siteIndex}`}-${hi < 3 ? "srv" : "ws"}${pad(hi, 2)}`, phase }, gaps, historyStart, mark, grid));
    }
  }
  return { now, mark, historyStart, enrolledAt, clients, sites, hosts, collectorRuns: collectorRunsOut, sampleClient: Math.min(2, o.clients - 1) };
}

/** A host's runs and connection events from its gaps (overlapping ones dropped, shared ones first). */
function hostFrom(
  h: { hostId: string; clientId: string; siteId: string; hostname: string; phase: number },
  candidates: Gap[],
  historyStart: number,
  mark: number,
  grid: (t: number) => number,
): PlannedHost {
  const accepted: Gap[] = [];
  const margin = 10 * MIN;
  for (const g of [...candidates.filter((c) => c.shared), ...candidates.filter((c) => !c.shared)]) {
    if (g.end <= g.start) continue;
    if (accepted.some((a) => g.start < a.end + margin && a.start < g.end + margin)) continue;
    accepted.push(g);
  }
  accepted.sort((a, b) => a.start - b.start);
  const host: PlannedHost = { id: h.hostId, clientId: h.clientId, siteId: h.siteId, hostname: h.hostname, phase: h.phase, runs: [], events: [], spoolLosses: [], acknowledged: [] };
  let boot = 0;
  let cursor = grid(historyStart) + SAMPLE_MS;
  const bootId = () => `${h.hostId}-boot-${boot}`;
  host.events.push({ at: cursor - 2000, event: "connected", reason: "", bootId: bootId() });
  for (const g of accepted) {
    host.runs.push({ start: cursor, end: g.start, bootId: bootId() });
    const old = bootId();
    if (g.goodbye) {
      host.events.push({ at: g.start + 800, event: "goodbye", reason: g.goodbye, bootId: old });
      host.events.push({ at: g.start + 900, event: "disconnected", reason: `goodbye:${g.goodbye}`, bootId: old });
    } else {
      host.events.push({ at: g.start + 45_000, event: "disconnected", reason: "close:1006", bootId: old });
    }
    if (g.newBoot) boot++;
    if (!g.goodbye && !g.newBoot) host.spoolLosses.push({ start: g.start + SAMPLE_MS, end: g.end - SAMPLE_MS });
    if (g.ack) host.acknowledged.push({ start: g.start, ...g.ack });
    host.events.push({ at: g.end - 3000, event: "connected", reason: "", bootId: bootId() });
    cursor = g.end;
  }
  // The live run: settled up to the mark (its samples are stored about a second after they are taken).
  host.runs.push({ start: cursor, end: grid(mark - 1000), bootId: bootId() });
  return host;
}

// ---------------------------------------------------------------------------------------------------
// Writing the planned fleet: configuration and events from JS in batches; the bulk check history with
// INSERT … SELECT from numbers() inside ClickHouse.

interface Seeded {
  seconds: number;
  tables: Array<{ table: string; rows: number; seconds: number; what: string }>;
}

async function seed(store: Store, f: Fleet, o: AvailabilityOptions): Promise<Seeded> {
  const started = performance.now();
  const tables: Seeded["tables"] = [];
  const step = async (table: string, what: string, fn: () => Promise<number>) => {
    o.log(`seeding ${table}: ${what}`);
    const t = performance.now();
    const rows = await fn();
    tables.push({ table, rows, seconds: (performance.now() - t) / 1000, what });
  };
  const version = f.now * 1000;
  const at = (ms: number) => ms; // DateTime64(3) columns take epoch milliseconds.

  await step("clients, sites, agents", "configuration", async () => {
    await store.insert(
      "clients",
      f.clients.map((c) => ({ id: c.id, name: c.name, timezone: c.timezone, currency: c.currency, created_at: at(f.enrolledAt - DAY), updated_at: at(f.enrolledAt - DAY), deleted: 0, version })),
    );
    await store.insert(
      "sites",
      f.sites.map((s) => ({ id: s.id, client_id: s.clientId, name: s.name, created_at: at(f.enrolledAt - DAY), updated_at: at(f.enrolledAt - DAY), deleted: 0, version })),
    );
    await store.insert(
      "agents",
      f.hosts.map((h, i) => ({
        id: h.id,
        client_id: h.clientId,
        site_id: h.siteId,
        hostname: h.hostname,
        machine_id: `machine-${h.id}`,
        token_hash: `hash-${h.id}`,
        agent_version: "0.1.0",
        os_platform: i % 3 === 0 ? "linux" : "win32",
        os_release: i % 3 === 0 ? "6.1.0" : "10.0.20348",
        os_arch: "x64",
        enrollment_token_id: `token-${h.clientId}`,
        enrolled_at: at(f.enrolledAt + (i % 60) * MIN),
        revoked_at: null,
        updated_at: at(f.enrolledAt),
        version,
      })),
    );
    return f.clients.length + f.sites.length + f.hosts.length;
  });

  await step("client_policies, site_settings, host_profiles", "SLO, calendar, cost model; zones; shares", async () => {
    await store.insert(
      "client_policies",
      f.clients.map((c) => ({ client_id: c.id, policy: JSON.stringify(c.policy), updated_at: at(f.enrolledAt), updated_by: "bench", version })),
    );
    const zoned = f.sites.filter((s) => s.timezone);
    await store.insert(
      "site_settings",
      zoned.map((s) => ({ site_id: s.id, client_id: s.clientId, timezone: s.timezone, updated_at: at(f.enrolledAt), updated_by: "bench", version })),
    );
    const servers = f.hosts.filter((h) => /-srv0[01]$/.test(h.hostname));
    await store.insert(
      "host_profiles",
      servers.map((h) => {
        const erp = h.hostname.endsWith("srv00");
        return {
          agent_id: h.id,
          client_id: h.clientId,
          role: erp ? "ERP database" : "File server",
          tier: erp ? "tier-1" : "tier-2",
          criticality: erp ? "critical" : "high",
          business_share: erp ? 0.3 : null,
          tags: erp ? ["erp", "sql"] : ["files"],
          updated_at: at(f.enrolledAt),
          updated_by: "bench",
          version,
        };
      }),
    );
    return f.clients.length + zoned.length + servers.length;
  });

  await step("maintenance_windows, incident_annotations", "2 windows per client; acknowledged crashes", async () => {
    const windows = f.clients.flatMap((c) =>
      c.maintenance.map((w) => ({
        id: w.id,
        client_id: c.id,
        scope_level: w.scope.level,
        scope_id: w.scope.id,
        definition: JSON.stringify(w),
        reason: w.reason ?? "",
        planned: 1,
        created_at: at(f.enrolledAt),
        created_by: "bench",
        deleted: 0,
        version,
      })),
    );
    await store.insert("maintenance_windows", windows);
    const notes = f.hosts.flatMap((h) =>
      h.acknowledged.map((a) => ({
        incident_id: `${h.id}@${a.start}`,
        client_id: h.clientId,
        host_id: h.id,
        note: a.note,
        excluded: a.excluded ? 1 : 0,
        exclusion_reason: a.excluded ? "Caused by the client's own electrician" : "",
        acknowledged_at: at(a.at),
        acknowledged_by: "tech@msp.example",
        updated_at: at(a.at),
        updated_by: "tech@msp.example",
        version,
      })),
    );
    await store.insert("incident_annotations", notes);
    return windows.length + notes.length;
  });

  await step("health_runs", "settled runs, one boot each side of every gap", async () => {
    const rows = f.hosts.flatMap((h) =>
      h.runs.map((r) => ({ client_id: h.clientId, site_id: h.siteId, agent_id: h.id, boot_id: r.bootId, start: at(r.start), end: at(r.end), deleted: 0, version })),
    );
    await insertChunks(store, "health_runs", rows);
    await store.insert("job_marks", [{ job: SETTLE_JOB, mark: at(f.mark), version }]);
    return rows.length;
  });

  await step("connection_events", "connects, goodbyes, disconnects", async () => {
    const rows = f.hosts.flatMap((h) =>
      h.events.map((e) => ({
        at: at(e.at),
        agent_id: h.id,
        client_id: h.clientId,
        site_id: h.siteId,
        event: e.event,
        reason: e.reason,
        detail: "",
        remote_addr: "203.0.113.7",
        boot_id: e.bootId,
        agent_version: "0.1.0",
        collector_id: "bench",
      })),
    );
    await insertChunks(store, "connection_events", rows);
    return rows.length;
  });

  await step("spool_losses, collector_runs", "overflowed spools; 3 collector runs, 2 outages", async () => {
    const losses = f.hosts.flatMap((h) =>
      h.spoolLosses.map((l) => ({
        client_id: h.clientId,
        site_id: h.siteId,
        agent_id: h.id,
        ts: at(l.end + 10 * MIN),
        dropped_batches: Math.round((l.end - l.start) / SAMPLE_MS),
        dropped_bytes: Math.round((l.end - l.start) / SAMPLE_MS) * 900,
        first_dropped_seq: 1,
        last_dropped_seq: Math.round((l.end - l.start) / SAMPLE_MS),
        oldest_ts: at(l.start),
        newest_ts: at(l.end),
        boot_id: h.runs.find((r) => r.start >= l.end)?.bootId ?? "",
        seq: 1,
        received_at: at(l.end + 10 * MIN),
      })),
    );
    await store.insert("spool_losses", losses);
    await store.insert(
      "collector_runs",
      f.collectorRuns.map((r) => ({ run_id: r.id, started_at: at(r.start), heartbeat_at: at(r.heartbeat), stopped_at: r.stopped === null ? null : at(r.stopped), stop_reason: r.reason, version })),
    );
    return losses.length + f.collectorRuns.length;
  });

  // Per host, the arrays the bulk statements index by host number.
  const hostArrays = (list: PlannedHost[]) => ({
    c: list.map((h) => h.clientId),
    s: list.map((h) => h.siteId),
    a: list.map((h) => h.id),
    b: list.map((h) => h.runs.at(-1)!.bootId),
    p: list.map((h) => h.phase),
  });

  await step("health_samples", "raw samples of the last hour only (stored ~1 s after they are taken)", async () => {
    const first = f.now - HOUR;
    const perHost = HOUR / SAMPLE_MS;
    await store.command(
      `INSERT INTO health_samples (client_id, site_id, agent_id, ts, boot_id, seq, skew_ms, received_at, stored_at)
       SELECT c[i], s[i], a[i], t, b[i], 1000000 + k, 0, t + toIntervalMillisecond(40), t + toIntervalMillisecond(900)
       FROM (
         SELECT intDiv(number, {n:UInt32}) + 1 AS i, number % {n:UInt32} AS k,
           {c:Array(String)} AS c, {s:Array(String)} AS s, {a:Array(String)} AS a, {b:Array(String)} AS b, {p:Array(Int64)} AS p,
           fromUnixTimestamp64Milli(toInt64({first:Int64} - ({first:Int64} - p[i]) % 15000 + 15000 + k * 15000)) AS t
         FROM numbers({total:UInt64})
       ) WHERE t <= fromUnixTimestamp64Milli({now:Int64})`,
      { ...hostArrays(f.hosts), n: perHost, first, now: f.now, total: perHost * f.hosts.length },
    );
    return count(store, "health_samples");
  });

  // The gateway ping every 30 s on every host. Raw results for the last `rawCheckDays` (their view fills
  // checks_1m), only the 1-minute rollup before that; around each gateway outage raw results from JS.
  const { rawDays, minuteRollupDays } = loadConfig({}).retention;
  // The rollup from the start of history or of its retention, whichever is later; raw results after rawFrom.
  const checksFrom = Math.ceil(Math.max(f.historyStart, f.now - minuteRollupDays * DAY) / MIN) * MIN;
  const rawFrom = Math.max(checksFrom, Math.floor((f.now - Math.min(o.rawCheckDays, rawDays) * DAY) / MIN) * MIN);
  const outagesBySite = new Map(f.sites.map((s) => [s.id, s.gatewayOutages.map((g) => ({ start: g.start - 5 * MIN, end: g.end + 5 * MIN }))]));
  const outageArrays = (list: PlannedHost[]) => ({
    os: list.map((h) => (outagesBySite.get(h.siteId) ?? []).map((g) => g.start)),
    oe: list.map((h) => (outagesBySite.get(h.siteId) ?? []).map((g) => g.end)),
  });
  // (Every key is new, so skipping the AggregatingMergeTree's merge on insert changes nothing but halves the time.)
  await step("checks_1m", `gateway ping rollup, ${Math.round((rawFrom - checksFrom) / DAY)} days before the raw results`, async () => {
    const minutes = Math.round((rawFrom - checksFrom) / MIN);
    if (minutes <= 0) return 0;
    const per = Math.max(1, Math.floor(BULK_ROWS / minutes));
    for (let i = 0; i < f.hosts.length; i += per) {
      const chunk = f.hosts.slice(i, i + per);
      await store.command(
        `INSERT INTO checks_1m (client_id, site_id, agent_id, check_id, role, ts, runs, failures, latency_sum, latency_count, latency_max, loss_sum)
         SELECT c[i], s[i], a[i], 'gateway', 'gateway', t, 2, 0, 2 * lat, 2, lat * 1.5, 0
         FROM (
           SELECT intDiv(number, {n:UInt32}) + 1 AS i, number % {n:UInt32} AS k,
             {c:Array(String)} AS c, {s:Array(String)} AS s, {a:Array(String)} AS a, {os:Array(Array(Int64))} AS os, {oe:Array(Array(Int64))} AS oe,
             toDateTime(intDiv({from:Int64}, 1000) + k * 60, 'UTC') AS t, 0.4 + (cityHash64(number) % 100) / 100 AS lat
           FROM numbers({total:UInt64})
         ) WHERE NOT arrayExists((x, y) -> toInt64(toUnixTimestamp(t)) * 1000 + 59999 >= x AND toInt64(toUnixTimestamp(t)) * 1000 < y, os[i], oe[i])
         SETTINGS optimize_on_insert = 0`,
        { ...hostArrays(chunk), ...outageArrays(chunk), n: minutes, from: checksFrom, total: minutes * chunk.length },
      );
    }
    return count(store, "checks_1m");
  });

  // Three views (checks_1m, checks_1h, stored_seq) make this the slow part; the settings about double its speed.
  await step("check_results", `raw gateway pings of the last ${Math.round((f.now - rawFrom) / DAY)} days (their views fill checks_1m)`, async () => {
    const perHost = Math.floor((f.now - rawFrom) / CHECK_MS);
    if (perHost <= 0) return 0;
    const per = Math.max(1, Math.floor(BULK_ROWS / perHost));
    for (let i = 0; i < f.hosts.length; i += per) {
      const chunk = f.hosts.slice(i, i + per);
      await store.command(
        `INSERT INTO check_results (client_id, site_id, agent_id, check_id, check_type, role, target, ts, ok, latency_ms, loss_pct, status, error, boot_id, seq, skew_ms, received_at, stored_at)
         SELECT c[i], s[i], a[i], 'gateway', 'ping', 'gateway', '192.168.1.1', t, 1, lat, 0, 0, '', b[i], 2000000 + k, 0,
           t + toIntervalMillisecond(40), t + toIntervalMillisecond(900)
         FROM (
           SELECT intDiv(number, {n:UInt32}) + 1 AS i, number % {n:UInt32} AS k,
             {c:Array(String)} AS c, {s:Array(String)} AS s, {a:Array(String)} AS a, {b:Array(String)} AS b, {p:Array(Int64)} AS p,
             {os:Array(Array(Int64))} AS os, {oe:Array(Array(Int64))} AS oe,
             toInt64({from:Int64} + p[i] % 30000 + k * 30000) AS tms, fromUnixTimestamp64Milli(tms) AS t, 0.4 + (cityHash64(number) % 100) / 100 AS lat
           FROM numbers({total:UInt64})
         ) WHERE NOT arrayExists((x, y) -> tms >= x AND tms < y, os[i], oe[i])
         SETTINGS max_block_size = 1048576, parallel_view_processing = 1, optimize_on_insert = 0`,
        { ...hostArrays(chunk), ...outageArrays(chunk), n: perHost, from: rawFrom, total: perHost * chunk.length },
      );
    }
    // Around each gateway outage still within raw retention: results every 30 s, failing inside it (older
    // ones live on only as failures in checks_1m, which their rows' view writes).
    const rows: object[] = [];
    for (const h of f.hosts) {
      const site = f.sites.find((s) => s.id === h.siteId)!;
      for (const g of site.gatewayOutages) {
        if (g.start < f.now - rawDays * DAY) continue;
        for (let t = g.start - 5 * MIN + (h.phase % CHECK_MS); t < g.end + 5 * MIN; t += CHECK_MS) {
          const ok = t < g.start || t >= g.end;
          rows.push({
            client_id: h.clientId,
            site_id: h.siteId,
            agent_id: h.id,
            check_id: "gateway",
            check_type: "ping",
            role: "gateway",
            target: "192.168.1.1",
            ts: at(t),
            ok: ok ? 1 : 0,
            latency_ms: ok ? 0.7 : null,
            loss_pct: ok ? 0 : 100,
            status: 0,
            error: ok ? "" : "timeout",
            boot_id: h.runs.find((r) => r.end >= t)?.bootId ?? "",
            seq: 3_000_000 + Math.floor(t / CHECK_MS),
            skew_ms: 0,
            received_at: at(t + 40),
          });
        }
      }
    }
    await insertChunks(store, "check_results", rows);
    // Older outages: their failing minutes in the rollup only, as raw retention left them.
    const older = f.hosts.flatMap((h) =>
      f.sites
        .find((s) => s.id === h.siteId)!
        .gatewayOutages.filter((g) => g.start < f.now - rawDays * DAY && g.start - 5 * MIN >= checksFrom)
        .flatMap((g) => {
          const minutes: object[] = [];
          for (let t = g.start - 5 * MIN; t < g.end + 5 * MIN; t += MIN) {
            const down = t >= g.start && t < g.end;
            minutes.push({ client_id: h.clientId, site_id: h.siteId, agent_id: h.id, check_id: "gateway", role: "gateway", ts: Math.floor(t / 1000), runs: 2,
              failures: down ? 2 : 0, latency_sum: down ? 0 : 1.4, latency_count: down ? 0 : 2, latency_max: down ? 0 : 0.9, loss_sum: down ? 200 : 0 });
          }
          return minutes;
        }),
    );
    await insertChunks(store, "checks_1m", older);
    return count(store, "check_results");
  });

  // The versioned tables the reports read with FINAL merged, as the months would have merged them; the big
  // ones left to background merges, which are waited for so that they do not compete with the timed runs.
  await step("(merges)", "OPTIMIZE FINAL of the small tables; background merges of the big ones awaited", async () => {
    for (const t of ["clients", "sites", "agents", "client_policies", "site_settings", "host_profiles", "maintenance_windows", "incident_annotations", "health_runs", "job_marks", "collector_runs"]) {
      await store.command(`OPTIMIZE TABLE ${t} FINAL`);
    }
    const until = performance.now() + 10 * MIN;
    while (performance.now() < until) {
      const [m] = await store.query<{ n: number }>("SELECT count() AS n FROM system.merges WHERE database = currentDatabase()");
      if (Number(m?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const [parts] = await store.query<{ n: number }>("SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND active");
    return Number(parts?.n ?? 0);
  });
  return { seconds: (performance.now() - started) / 1000, tables };
}

async function insertChunks(store: Store, table: string, rows: readonly object[], size = 50_000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await store.insert(table, rows.slice(i, i + size));
}

async function count(store: Store, table: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count() AS n FROM ${table}`);
  return Number(row?.n ?? 0);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** A small seeded PRNG, so every run seeds the same fleet. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
