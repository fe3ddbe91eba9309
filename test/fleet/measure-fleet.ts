import { InspectorProfiler, summarizeProfile, type CpuProfile } from "../bench/cpu-profile.js";
import { ProcSampler, distribution, fmtNumber, formatTable, mib, openFilesLimit, sleep, type ProcSummary } from "../bench/measure.js";
import { MetricsWatcher, metricByLabel, metricValue, type MetricSamples } from "./collector-metrics.js";
import type { FleetCredentials } from "./enroll.js";
import { Fleet } from "./fleet.js";

/** A fleet measurement against a running collector. */
export interface FleetRunOptions {
  /** The collector; with `inspectPort` (it runs with --inspect=127.0.0.1:port) its CPU is profiled over the window. */
  collector: { url: string; pid: number; inspectPort?: number };
  credentials: FleetCredentials[];
  /** Health batch interval per agent (default 15,000 ms). */
  intervalMs?: number;
  /** Sending time after every agent connected, before the window opens, in intervals (default 1). */
  warmupIntervals?: number;
  /** Length of the measurement window in intervals (default 2). */
  windowIntervals?: number;
  /** How long to wait after the window for its last acks (default 10 s). */
  graceMs?: number;
  workers?: number;
  connectConcurrency?: number;
  cores?: number;
  log?: (line: string) => void;
}

/** What one fleet run measured. */
export interface FleetMeasurement {
  agents: number;
  workers: number;
  intervalMs: number;
  connect: { connected: number; failed: number; seconds: number; failures: Record<string, number> };
  /** The collector's `vigil_connected_agents` at the end of the window. */
  connectedAtEnd: number;
  windowSeconds: number;
  /** `vigil_rows_written_total{table="metrics_raw"}` over the window. */
  rowsWritten: number;
  storedPointsPerSec: number;
  sentPointsPerSec: number;
  ackedPointsPerSec: number;
  window: { sent: number; acked: number; pending: number };
  ackLatencyMs: ReturnType<typeof distribution>;
  collector: ProcSummary;
  /** The collector's limit on open files (each agent connection takes one). */
  collectorFdLimit: number | null;
  simulator: { cpuPct: number; rssMaxBytes: number; loopDelayP99Ms: number; loopDelayMaxMs: number };
  closes: Record<string, number>;
  errors: Record<string, number>;
  reconnects: number;
  batchesDelayed: number;
  /** `vigil_rejected_messages_total` by reason over the whole run. */
  rejected: Record<string, number>;
  /** Scrapes of /metrics that failed (the collector could not take the connection). */
  scrapeFailures: number;
  /** Highest seq of each agent (in credentials order), for a later run with the same fleet. */
  lastSeqs: number[];
  /** The collector's CPU profile over the window, when asked for. */
  profile?: CpuProfile;
}

/**
 * Runs a fleet against a collector: connect everyone, send for a warm-up, then measure a window of whole
 * intervals (collector /metrics, its CPU and RSS from /proc, ack latencies), then disconnect.
 */
export async function measureFleet(o: FleetRunOptions): Promise<FleetMeasurement> {
  const log = o.log ?? (() => undefined);
  const intervalMs = o.intervalMs ?? 15_000;
  const n = o.credentials.length;
  const metrics = await new MetricsWatcher(o.collector.url).start();
  const before = metrics.latest?.samples ?? new Map<string, number>();
  const fleet = await Fleet.create({
    server: o.collector.url,
    credentials: o.credentials,
    intervalMs,
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(o.connectConcurrency !== undefined ? { connectConcurrency: o.connectConcurrency } : {}),
    ...(o.cores !== undefined ? { cores: o.cores } : {}),
  });
  try {
    log(`${n} agents in ${fleet.pids.length} process(es): connecting…`);
    const connect = await fleet.connect();
    log(`connected ${connect.connected}/${n} in ${connect.seconds.toFixed(1)} s${connect.failed ? `, ${connect.failed} failed: ${counts(connect.failures)}` : ""}`);

    const t0 = await fleet.start();
    const from = t0 + (o.warmupIntervals ?? 1) * intervalMs;
    const to = from + (o.windowIntervals ?? 2) * intervalMs;
    await fleet.setWindow(from, to);
    log(`sending every ${intervalMs / 1000} s; warm-up until ${time(from)}, measuring until ${time(to)}`);
    await sleep(from - Date.now());

    const profiler = o.collector.inspectPort ? await InspectorProfiler.connect(o.collector.inspectPort) : undefined;
    const m1 = await metrics.now();
    await profiler?.start();
    const collector = new ProcSampler(o.collector.pid, { fds: true, threads: true }).start();
    const sims = fleet.pids.map((pid) => new ProcSampler(pid).start());
    await sleep(to - Date.now());
    const m2 = await metrics.now();
    const collectorStats = collector.stop();
    const profile = await profiler?.stop();
    profiler?.close();
    const simStats = sims.map((s) => s.stop());
    const windowSeconds = (to - from) / 1000;

    const stats = await fleet.report(o.graceMs ?? 10_000);
    const after = (await metrics.now())?.samples ?? new Map<string, number>();
    // Rates use the scrapes' own times: a scrape that failed at a window edge only shifts the edge.
    const rowsWritten = m1 && m2 ? rows(m2.samples) - rows(m1.samples) : NaN;
    const rowsSeconds = m1 && m2 ? (m2.at - m1.at) / 1000 : NaN;
    const ppb = stats.pointsPerBatch;
    return {
      agents: n,
      workers: fleet.pids.includes(process.pid) ? 0 : fleet.pids.length,
      intervalMs,
      connect,
      connectedAtEnd: m2 ? metricValue(m2.samples, "vigil_connected_agents") : NaN,
      windowSeconds,
      rowsWritten,
      storedPointsPerSec: rowsWritten / rowsSeconds,
      sentPointsPerSec: (stats.window.sent * ppb) / windowSeconds,
      ackedPointsPerSec: (stats.window.acked * ppb) / windowSeconds,
      window: { sent: stats.window.sent, acked: stats.window.acked, pending: stats.window.pending },
      ackLatencyMs: distribution(stats.window.latenciesMs),
      collector: collectorStats,
      collectorFdLimit: openFilesLimit(o.collector.pid),
      simulator: {
        cpuPct: simStats.reduce((a, s) => a + s.cpuPct, 0),
        rssMaxBytes: simStats.reduce((a, s) => a + s.rssMaxBytes, 0),
        loopDelayP99Ms: stats.loopDelayP99Ms,
        loopDelayMaxMs: stats.loopDelayMaxMs,
      },
      closes: stats.closes,
      errors: stats.errors,
      reconnects: stats.reconnects,
      batchesDelayed: stats.batchesDelayed,
      rejected: delta(metricByLabel(before, "vigil_rejected_messages_total", "reason"), metricByLabel(after, "vigil_rejected_messages_total", "reason")),
      scrapeFailures: metrics.failures,
      lastSeqs: stats.lastSeqs,
      ...(profile ? { profile } : {}),
    };
  } finally {
    metrics.stop();
    log("disconnecting…");
    await fleet.stop();
  }
}

/** The figures of several fleet runs side by side, one column per run, then the collector's CPU by thread. */
export function fleetTable(runs: readonly FleetMeasurement[]): string {
  const row = (label: string, f: (m: FleetMeasurement) => string | number): Array<string | number> => [label, ...runs.map(f)];
  const threadNames = [...new Set(runs.flatMap((m) => m.collector.threads.slice(0, 6).map(([n]) => n)))];
  const threads = formatTable(
    ["collector CPU by thread (% of one core)", ...runs.map((m) => `N = ${fmtNumber(m.agents)}`)],
    threadNames.map((name) => [name, ...runs.map((m) => (m.collector.threads.find(([n]) => n === name)?.[1] ?? 0).toFixed(1))]),
  );
  return `${figures()}\n\n${threads}\n(MergeMutate = ClickHouse background merges; ThreadPool = insert and query pipelines; node = libuv and V8 helper threads)`;

  function figures(): string {
    return formatTable(
      ["", ...runs.map((m) => `N = ${fmtNumber(m.agents)}`)],
      [
        row("simulator processes", (m) => (m.workers === 0 ? "in-process" : m.workers)),
        row("connected (connect phase)", (m) => `${fmtNumber(m.connect.connected)} in ${m.connect.seconds.toFixed(1)} s`),
        row("connect failures", (m) => (m.connect.failed ? `${m.connect.failed}: ${counts(m.connect.failures)}` : "0")),
        row("connected at end (collector)", (m) => m.connectedAtEnd),
        row("window", (m) => `${m.windowSeconds} s (${m.windowSeconds / (m.intervalMs / 1000)} intervals)`),
        row("points/s stored (metrics_raw rows)", (m) => Math.round(m.storedPointsPerSec)),
        row("points/s sent", (m) => Math.round(m.sentPointsPerSec)),
        row("points/s acknowledged", (m) => Math.round(m.ackedPointsPerSec)),
        row("window batches sent / acked / unacked", (m) => `${m.window.sent} / ${m.window.acked} / ${m.window.pending}`),
        row("ack latency p50 (ms)", (m) => m.ackLatencyMs.p50),
        row("ack latency p95 (ms)", (m) => m.ackLatencyMs.p95),
        row("ack latency p99 (ms)", (m) => m.ackLatencyMs.p99),
        row("ack latency max (ms)", (m) => m.ackLatencyMs.max),
        row("collector CPU (% of one core)", (m) => m.collector.cpuPct.toFixed(1)),
        row("collector RSS median / max", (m) => `${mib(m.collector.rssMedianBytes)} / ${mib(m.collector.rssMaxBytes)}`),
        row("collector open files max / limit", (m) => `${fmtNumber(m.collector.fdsMax)} / ${m.collectorFdLimit === null ? "?" : fmtNumber(m.collectorFdLimit)}`),
        row("simulator CPU (% of one core, all)", (m) => m.simulator.cpuPct.toFixed(1)),
        row("simulator RSS (all)", (m) => mib(m.simulator.rssMaxBytes)),
        row("simulator event-loop delay p99 / max", (m) => `${m.simulator.loopDelayP99Ms.toFixed(0)} / ${m.simulator.loopDelayMaxMs.toFixed(0)} ms`),
        row("closes by collector (code×n)", (m) => counts(m.closes)),
        row("error messages (code×n)", (m) => counts(m.errors)),
        row("reconnects / delayed batches", (m) => `${m.reconnects} / ${m.batchesDelayed}`),
        row("collector rejected (reason×n)", (m) => counts(m.rejected)),
        row("/metrics scrapes failed", (m) => m.scrapeFailures),
      ],
    );
  }
}

/** Where the collector's JS time went over the window: self time by package and by function. */
export function profileText(profile: CpuProfile, top = 15): string {
  const { functions, packages } = summarizeProfile(profile, top);
  const rows = (list: Array<[string, number]>) => list.map(([k, pct]) => [k, `${pct.toFixed(1)} %`]);
  return [
    "Collector CPU profile over the window (self time, % of samples; (idle) = waiting, e.g. for chDB):",
    formatTable(["package", "self"], rows(packages)),
    "",
    formatTable(["function", "self"], rows(functions)),
  ].join("\n");
}

/** `a×1, b×2`, or `none`. */
export function counts(c: Record<string, number>): string {
  const e = Object.entries(c).filter(([, v]) => v > 0);
  return e.length === 0 ? "none" : e.map(([k, v]) => `${k}×${v}`).join(", ");
}

function rows(m: MetricSamples): number {
  return metricValue(m, "vigil_rows_written_total", { table: "metrics_raw" });
}

function delta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) if (v - (a[k] ?? 0) > 0) out[k] = v - (a[k] ?? 0);
  return out;
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
