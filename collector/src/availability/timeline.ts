/**
 * A host's settled state over time, from evidence only: the agent's samples (late ones from its spool
 * included), boot ids, goodbyes, check results, spool losses, the collector's own runs, enrollment,
 * and maintenance. Pure and deterministic: the same evidence, in any order, gives the same segments.
 *
 * Precedence, highest first (each layer claims only time no earlier layer claimed):
 *  1. before enrollment / after retirement            UNMONITORED not_enrolled / retired
 *  2. maintenance                                     MAINTENANCE
 *  3. after `asOf` (no evidence can exist yet)        UNMONITORED not_yet
 *  4. samples show the host running, and …
 *     a. gateway/internet checks fail                 DOWN site_network
 *     b. a service check that defines the service fails DOWN check_failed
 *     c. another service check fails                  DEGRADED
 *     d. otherwise                                    UP
 *  5. spool loss while the collector was down         UNMONITORED collector_down
 *  6. spool loss                                      UNKNOWN spool_loss
 *  7. a gap ending in a new boot (when evidence wins) DOWN reboot / power_or_network / crash
 *  8. the collector was not running                   UNMONITORED collector_down
 *  9. every other gap, by its goodbye and the site    see classifyGap
 */
import { networkOutageIntervals, serviceCheckFailures, type CheckEvidenceOptions, type CheckResult } from "./checks.js";
import { throwIfInvalid, type FieldProblem } from "./errors.js";
import { anyOverlap, complement, intersect, normalize, union, type Interval } from "./intervals.js";
import { paint, type Layer, type Segment, type SegmentLabel } from "./segments.js";

/** One health record: the host was running at `ts` with this boot id. */
export interface HealthSample {
  ts: number;
  bootId: string;
  /** When the collector stored it (late for spooled samples); used to ignore evidence not known at `asOf`. */
  receivedAt?: number;
  seq?: number;
}

/**
 * A stretch of consecutive samples of one boot, no further apart than the gap threshold: what a
 * rollup can hand over instead of every sample. A single sample is a run with start = end.
 */
export interface SampleRun {
  start: number;
  end: number;
  bootId: string;
  receivedAt?: number;
}

/** A row of connection_events. Goodbyes (or disconnects with reason `goodbye:<reason>`) say why samples stop. */
export interface ConnectionEvent {
  at: number;
  event: "connected" | "goodbye" | "disconnected" | "refused";
  reason?: string;
}

/** Samples the agent's spool dropped between these instants (spool_losses oldest_ts..newest_ts). */
export interface SpoolLoss {
  start: number;
  end: number;
  receivedAt?: number;
}

/** Everything known about one host. Instants are epoch ms; lists may come in any order. */
export interface HostEvidence {
  hostId: string;
  enrolledAt: number;
  retiredAt?: number | null;
  /** Include at least the last sample before `from` and the first after `to`, or edges are guessed within one gap threshold. */
  samples?: readonly HealthSample[];
  /** Pre-aggregated runs of samples, merged with `samples`. */
  runs?: readonly SampleRun[];
  connectionEvents?: readonly ConnectionEvent[];
  checkResults?: readonly CheckResult[];
  spoolLosses?: readonly SpoolLoss[];
  /** When a collector was running (start → last heartbeat or stop), any collector. Absent = always. */
  collectorRuns?: readonly Interval[];
  /** Maintenance applying to this host (see maintenanceIntervals). */
  maintenance?: readonly Interval[];
  /** Spans when this host's whole site went dark at once (see siteOutages); they name the cause of its gaps. */
  siteOutages?: readonly Interval[];
  /** Spans when the site's network was out by the checks of all its hosts (networkOutageIntervals, pooled). */
  siteNetworkOutages?: readonly Interval[];
}

/** The range to paint, and the moment the evidence is read at. */
export interface TimelineRange {
  from: number;
  to: number;
  /**
   * Evaluation time: evidence received later is ignored and time after it is UNMONITORED not_yet.
   * Omit for a settled report (every piece of evidence already stored counts).
   */
  asOf?: number;
}

/** Thresholds and policies; every field has a default. */
export interface TimelineOptions extends CheckEvidenceOptions {
  /** Interval between health samples (default 15 s, the agent's default). */
  sampleIntervalMs?: number;
  /** Samples further apart than gapFactor × sampleIntervalMs leave a gap (default 2.5). */
  gapFactor?: number;
  /** What a failing service check means: DEGRADED (default) or DOWN with cause check_failed. */
  serviceCheckFailure?: "degraded" | "down";
  /** Service checks whose failure is DOWN even when serviceCheckFailure is degraded. */
  downCheckIds?: readonly string[];
  /**
   * A gap ending in a new boot while the collector was down: DOWN (default — both sides of the gap came
   * from the agent's spool, so the reboot is proven) or UNMONITORED (count no collector time against the client).
   */
  bootGapsDuringCollectorOutage?: "down" | "unmonitored";
}

/** A silence between two runs of samples, or after the last one. */
export interface Gap extends Interval {
  /** boot: the next sample has a new boot id; same: it has the same; open: none came (yet); lead: no sample before. */
  kind: "boot" | "same" | "open" | "lead";
  /** The first goodbye reason heard at the start of the gap. */
  goodbye?: string;
}

const STOP_REASONS = new Set(["service_stop", "user", "agent_restart"]);
const SHUTDOWN_REASONS = new Set(["os_reboot", "os_shutdown"]);

/** Defaults, filled in. */
export function timelineOptions(options: TimelineOptions = {}): Required<Omit<TimelineOptions, "downCheckIds">> & { downCheckIds: readonly string[] } {
  return {
    sampleIntervalMs: options.sampleIntervalMs ?? 15_000,
    gapFactor: options.gapFactor ?? 2.5,
    checkIntervalMs: options.checkIntervalMs ?? 30_000,
    serviceCheckFailure: options.serviceCheckFailure ?? "degraded",
    downCheckIds: options.downCheckIds ?? [],
    bootGapsDuringCollectorOutage: options.bootGapsDuringCollectorOutage ?? "down",
  };
}

/** Ordered, non-overlapping segments covering [from, to) for one host. */
export function hostTimeline(evidence: HostEvidence, range: TimelineRange, options: TimelineOptions = {}): Segment[] {
  throwIfInvalid(rangeProblems(evidence, range, options));
  const opts = timelineOptions(options);
  const { from, to } = range;
  const asOf = range.asOf ?? Number.POSITIVE_INFINITY;
  const known = <T extends { receivedAt?: number }>(x: T, ts: number) => ts <= asOf && (x.receivedAt ?? ts) <= asOf;

  const { up, gaps } = analyseSamples(evidence, range, opts);
  const checks = (evidence.checkResults ?? []).filter((r) => known(r, r.ts));
  const checkOpts = { checkIntervalMs: opts.checkIntervalMs, gapFactor: opts.gapFactor };
  const networkDown = union(networkOutageIntervals(checks, checkOpts), evidence.siteNetworkOutages ?? []);
  const service = serviceCheckFailures(checks, { ...checkOpts, downCheckIds: opts.downCheckIds, allDown: opts.serviceCheckFailure === "down" });

  const gapThreshold = opts.gapFactor * opts.sampleIntervalMs;
  // The spool dropped samples between oldest and newest; their neighbours up to one threshold away
  // would have joined them, so the loss accounts for that much of the gap on either side too.
  const losses = normalize(
    (evidence.spoolLosses ?? []).filter((l) => known(l, l.start)).map((l) => ({ start: l.start - gapThreshold, end: l.end + gapThreshold })),
  );
  const collectorDown = evidence.collectorRuns ? complement(evidence.collectorRuns, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY) : [];
  const siteDark = normalize(evidence.siteOutages ?? []);

  const gapLayers = new Map<string, Layer>();
  const bootDown = new Map<string, Layer>();
  for (const gap of gaps) {
    const label = classifyGap(gap, anyOverlap(siteDark, gap));
    const target = gap.kind === "boot" && label.state === "DOWN" && opts.bootGapsDuringCollectorOutage === "down" ? bootDown : gapLayers;
    const key = JSON.stringify(label);
    const layer = target.get(key) ?? { intervals: [], label };
    (layer.intervals as Interval[]).push({ start: gap.start, end: gap.end });
    target.set(key, layer);
  }
  const byKey = (m: Map<string, Layer>) => [...m.keys()].sort().map((k) => m.get(k)!);

  const layers: Layer[] = [
    { intervals: [{ start: Number.NEGATIVE_INFINITY, end: evidence.enrolledAt }], label: { state: "UNMONITORED", cause: "not_enrolled" } },
    { intervals: evidence.retiredAt == null ? [] : [{ start: evidence.retiredAt, end: Number.POSITIVE_INFINITY }], label: { state: "UNMONITORED", cause: "retired" } },
    { intervals: evidence.maintenance ?? [], label: { state: "MAINTENANCE" } },
    { intervals: [{ start: asOf, end: Number.POSITIVE_INFINITY }], label: { state: "UNMONITORED", cause: "not_yet" } },
    { intervals: intersect(networkDown, up), label: { state: "DOWN", cause: "site_network" } },
    { intervals: intersect(service.down, up), label: { state: "DOWN", cause: "check_failed" } },
    { intervals: intersect(service.degraded, up), label: { state: "DEGRADED", cause: "check_failed" } },
    { intervals: up, label: { state: "UP" } },
    { intervals: intersect(losses, collectorDown), label: { state: "UNMONITORED", cause: "collector_down" } },
    { intervals: losses, label: { state: "UNKNOWN", cause: "spool_loss" } },
    ...byKey(bootDown),
    { intervals: collectorDown, label: { state: "UNMONITORED", cause: "collector_down" } },
    ...byKey(gapLayers),
  ];
  return paint(from, to, layers, { state: "UNKNOWN", cause: "no_samples" });
}

/**
 * What a gap's time is, by its kind, its goodbye and whether the site went dark (see the README's
 * table). Collector outages and spool losses are layered over it by hostTimeline.
 */
export function classifyGap(gap: Gap, siteDark: boolean): SegmentLabel {
  if (gap.kind === "lead") return { state: "UNKNOWN", cause: "no_samples" };
  const reason = gap.goodbye;
  if (reason === "uninstall") return { state: "UNMONITORED", cause: "uninstalled" };
  if (reason !== undefined && STOP_REASONS.has(reason)) return { state: "UNKNOWN", cause: "agent_stopped" };
  if (reason !== undefined && SHUTDOWN_REASONS.has(reason)) {
    // The agent announced a shutdown, yet the same boot came back: the host never went down.
    return gap.kind === "same" ? { state: "UNKNOWN", cause: "agent_stopped" } : { state: "DOWN", cause: "reboot" };
  }
  switch (gap.kind) {
    case "boot":
      return { state: "DOWN", cause: siteDark ? "power_or_network" : "crash" };
    case "same":
      return { state: "UNKNOWN", cause: siteDark ? "link_down" : "no_samples" };
    case "open":
      return { state: "DOWN", cause: siteDark ? "power_or_network" : "agent_silent" };
  }
}

/**
 * The samples read as runs of UP time and the gaps between them, each gap with the goodbye that
 * opened it. Evidence received after `asOf` is left out.
 */
export function analyseSamples(evidence: HostEvidence, range: TimelineRange, options: TimelineOptions = {}): { up: Interval[]; gaps: Gap[]; runs: SampleRun[] } {
  const opts = timelineOptions(options);
  const asOf = range.asOf ?? Number.POSITIVE_INFINITY;
  const threshold = opts.gapFactor * opts.sampleIntervalMs;
  const runs = mergeRuns(evidence, asOf, threshold);

  const up: Interval[] = runs.map((r) => ({ start: r.start, end: r.end }));
  const gaps: Gap[] = [];
  const first = runs[0];
  gaps.push({ start: Number.NEGATIVE_INFINITY, end: first ? first.start : Number.POSITIVE_INFINITY, kind: "lead" });
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1]!;
    const next = runs[i]!;
    gaps.push({ start: prev.end, end: next.start, kind: next.bootId === prev.bootId ? "same" : "boot" });
  }
  const last = runs[runs.length - 1];
  if (last) {
    // The live edge: a last sample younger than the threshold is not late yet.
    const horizon = Math.min(asOf, range.to);
    if (horizon > last.end && horizon - last.end <= threshold) up.push({ start: last.end, end: horizon });
    else gaps.push({ start: last.end, end: Number.POSITIVE_INFINITY, kind: "open" });
  }
  const nonEmpty = gaps.filter((g) => g.end > g.start);
  attachGoodbyes(nonEmpty, evidence.connectionEvents ?? [], asOf, opts.sampleIntervalMs);
  return { up: normalize(up), gaps: nonEmpty, runs };
}

/**
 * Where the host fell silent unexplained (gaps after a sample, not before the first, and not opened by
 * an agent stop or uninstall): the "out" time of a host for site-wide detection. Open gaps end at
 * min(asOf, to).
 */
export function hostSilences(evidence: HostEvidence, range: TimelineRange, options: TimelineOptions = {}): Interval[] {
  const end = Math.min(range.asOf ?? Number.POSITIVE_INFINITY, range.to);
  return normalize(
    analyseSamples(evidence, range, options)
      .gaps.filter((g) => g.kind !== "lead" && !(g.goodbye !== undefined && (STOP_REASONS.has(g.goodbye) || g.goodbye === "uninstall")))
      .map((g) => ({ start: g.start, end: Math.min(g.end, Math.max(end, g.start)) })),
  );
}

function mergeRuns(evidence: HostEvidence, asOf: number, threshold: number): SampleRun[] {
  const points: SampleRun[] = [];
  for (const s of evidence.samples ?? []) {
    if (Number.isFinite(s.ts) && s.ts <= asOf && (s.receivedAt ?? s.ts) <= asOf) points.push({ start: s.ts, end: s.ts, bootId: s.bootId });
  }
  for (const r of evidence.runs ?? []) {
    if (Number.isFinite(r.start) && Number.isFinite(r.end) && r.end >= r.start && r.start <= asOf && (r.receivedAt ?? r.end) <= asOf) {
      points.push({ start: r.start, end: Math.min(r.end, asOf), bootId: r.bootId });
    }
  }
  return mergeSampleRuns(points, threshold);
}

/**
 * Runs and single samples (start = end) merged into maximal runs: same boot, no further apart than
 * `thresholdMs`. Associative, so settled runs can be merged again with samples stored later.
 */
export function mergeSampleRuns(input: readonly SampleRun[], thresholdMs: number): SampleRun[] {
  const points = input.map((p) => ({ start: p.start, end: p.end, bootId: p.bootId }));
  // A total order (boot id breaks ties) makes the result independent of the input's order.
  points.sort((a, b) => a.start - b.start || a.end - b.end || (a.bootId < b.bootId ? -1 : a.bootId > b.bootId ? 1 : 0));
  const runs: SampleRun[] = [];
  for (const p of points) {
    const cur = runs[runs.length - 1];
    if (cur && cur.bootId === p.bootId && p.start - cur.end <= thresholdMs) {
      cur.end = Math.max(cur.end, p.end);
    } else if (cur && p.start < cur.end) {
      // Two boots claiming the same time (a clock jumped): the newer boot takes over where it starts.
      cur.end = p.start;
      runs.push({ ...p });
    } else {
      runs.push({ ...p });
    }
  }
  return runs;
}

function attachGoodbyes(gaps: Gap[], events: readonly ConnectionEvent[], asOf: number, toleranceMs: number): void {
  const goodbyes = events
    .filter((e) => Number.isFinite(e.at) && e.at <= asOf)
    .map((e) => ({ at: e.at, reason: goodbyeReason(e) }))
    .filter((e): e is { at: number; reason: string } => e.reason !== undefined)
    .sort((a, b) => a.at - b.at || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (const gap of gaps) {
    // The goodbye arrives just after the last sample; allow for clock correction, but never reach into the previous gap.
    const windowStart = Math.max(gap.start - toleranceMs, previousEnd);
    const first = goodbyes.find((g) => g.at >= windowStart && g.at < gap.end);
    if (first && gap.kind !== "lead") gap.goodbye = first.reason;
    previousEnd = gap.end;
  }
}

function goodbyeReason(e: ConnectionEvent): string | undefined {
  if (e.event === "goodbye") return e.reason;
  if (e.event === "disconnected" && e.reason?.startsWith("goodbye:")) return e.reason.slice("goodbye:".length);
  return undefined;
}

function rangeProblems(evidence: HostEvidence, range: TimelineRange, options: TimelineOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isFinite(range.from)) problems.push({ field: "from", problem: "must be a finite instant" });
  if (!Number.isFinite(range.to)) problems.push({ field: "to", problem: "must be a finite instant" });
  if (problems.length === 0 && range.from > range.to) problems.push({ field: "from", problem: "must not be after to" });
  if (range.asOf !== undefined && Number.isNaN(range.asOf)) problems.push({ field: "asOf", problem: "must be an instant" });
  if (!Number.isFinite(evidence.enrolledAt)) problems.push({ field: "enrolledAt", problem: "must be a finite instant" });
  if (evidence.retiredAt != null && !(evidence.retiredAt >= evidence.enrolledAt)) problems.push({ field: "retiredAt", problem: "must not be before enrolledAt" });
  for (const name of ["sampleIntervalMs", "checkIntervalMs", "gapFactor"] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) problems.push({ field: name, problem: "must be a positive number" });
  }
  return problems;
}
