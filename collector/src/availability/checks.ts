/**
 * What check results say over time. A result holds from its timestamp until the next result of the
 * same check, but never longer than `gapFactor × checkIntervalMs` (a result that stale says nothing).
 * A role (gateway, internet) is failing while every check of that role with a fresh result fails, so
 * one unreachable target among several is not an outage.
 */
import { normalize, subtract, union, type Interval } from "./intervals.js";
import { paint, type Segment } from "./segments.js";

/** What a check is for, as the agent reports it. */
export type CheckRole = "gateway" | "internet" | "service";

/** One run of one check. */
export interface CheckResult {
  ts: number;
  checkId: string;
  role: CheckRole;
  ok: boolean;
  /** Set when results of several hosts are pooled (a site's view): checks are told apart per host. */
  hostId?: string;
  /** When the collector stored it; results received after the evaluation time are not known yet. */
  receivedAt?: number;
}

/** How often checks run, and how late a result may be before it goes stale. */
export interface CheckEvidenceOptions {
  /** Interval between runs of a check (default 30 s, the agent's default). */
  checkIntervalMs?: number;
  /** A result goes stale after this many intervals (default 2.5). */
  gapFactor?: number;
}

/** Where each check was passing and failing. */
export interface CheckState {
  checkId: string;
  hostId?: string;
  role: CheckRole;
  ok: Interval[];
  failing: Interval[];
}

/** Per check (and host, when pooled): the time its results said ok, and the time they said failing. */
export function checkStates(results: readonly CheckResult[], options: CheckEvidenceOptions = {}): CheckState[] {
  const staleMs = (options.gapFactor ?? 2.5) * (options.checkIntervalMs ?? 30_000);
  const byKey = new Map<string, CheckResult[]>();
  for (const r of results) {
    if (!Number.isFinite(r.ts)) continue;
    const key = `${r.hostId ?? ""}\u0000${r.checkId}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(r);
  }
  const out: CheckState[] = [];
  for (const key of [...byKey.keys()].sort()) {
    // At equal timestamps the failing result sorts last and so is the one that holds: input order never matters.
    const list = byKey.get(key)!.sort((a, b) => a.ts - b.ts || Number(b.ok) - Number(a.ok));
    const first = list[0]!;
    const state: CheckState = { checkId: first.checkId, role: first.role, ok: [], failing: [] };
    if (first.hostId !== undefined) state.hostId = first.hostId;
    list.forEach((r, i) => {
      const next = list[i + 1];
      const end = Math.min(next ? next.ts : Number.POSITIVE_INFINITY, r.ts + staleMs);
      (r.ok ? state.ok : state.failing).push({ start: r.ts, end });
    });
    state.ok = normalize(state.ok);
    state.failing = normalize(state.failing);
    out.push(state);
  }
  return out;
}

/** Time when every fresh result of the role's checks was failing (and at least one was fresh). */
export function roleFailing(results: readonly CheckResult[], role: CheckRole, options: CheckEvidenceOptions = {}): Interval[] {
  const states = checkStates(
    results.filter((r) => r.role === role),
    options,
  );
  return subtract(union(...states.map((s) => s.failing)), union(...states.map((s) => s.ok)));
}

/**
 * Time the network at the site was out: the gateway did not answer, or the internet beyond it did not.
 * Pool several hosts' results (with `hostId` set) to get the site's view: then every host's checks
 * must fail together.
 */
export function networkOutageIntervals(results: readonly CheckResult[], options: CheckEvidenceOptions = {}): Interval[] {
  return union(roleFailing(results, "gateway", options), roleFailing(results, "internet", options));
}

/**
 * Time a service check was failing, split into the checks whose failure means DOWN (listed in
 * `downCheckIds`, or all of them when `allDown`) and the rest, which mean DEGRADED.
 */
export function serviceCheckFailures(
  results: readonly CheckResult[],
  options: CheckEvidenceOptions & { downCheckIds?: readonly string[]; allDown?: boolean } = {},
): { down: Interval[]; degraded: Interval[] } {
  const down: Interval[] = [];
  const degraded: Interval[] = [];
  const downIds = new Set(options.downCheckIds ?? []);
  for (const s of checkStates(
    results.filter((r) => r.role === "service"),
    options,
  )) {
    (options.allDown || downIds.has(s.checkId) ? down : degraded).push(...s.failing);
  }
  const downTime = normalize(down);
  return { down: downTime, degraded: subtract(degraded, downTime) };
}

/**
 * One check's own timeline over [from, to): UP while it passes, DOWN (check_failed) while it fails,
 * UNKNOWN when no fresh result exists. Several checks passed together count as one: DOWN only while
 * all fresh ones fail.
 */
export function checkTimeline(results: readonly CheckResult[], from: number, to: number, options: CheckEvidenceOptions = {}): Segment[] {
  const states = checkStates(results, options);
  const ok = union(...states.map((s) => s.ok));
  const failing = subtract(union(...states.map((s) => s.failing)), ok);
  return paint(
    from,
    to,
    [
      { intervals: failing, label: { state: "DOWN", cause: "check_failed" } },
      { intervals: ok, label: { state: "UP" } },
    ],
    { state: "UNKNOWN", cause: "no_samples" },
  );
}
