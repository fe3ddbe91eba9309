/**
 * The vocabulary of a timeline — states, causes, segments — and the painter that turns layers of
 * evidence, in order of precedence, into ordered non-overlapping segments covering a range.
 */
import { clip, intersect, normalize, partition, totalLength, type Interval } from "./intervals.js";

/** What the evidence says about a host (or check, or site) over a stretch of time. */
export type AvailabilityState = "UP" | "DOWN" | "DEGRADED" | "UNKNOWN" | "UNMONITORED" | "MAINTENANCE";

/** Every state, in the order reports list them. */
export const STATES: readonly AvailabilityState[] = ["UP", "DEGRADED", "DOWN", "UNKNOWN", "UNMONITORED", "MAINTENANCE"];

/** Why a host was DOWN; also the cause of the incident it belongs to. */
export type DownCause = "reboot" | "crash" | "power_or_network" | "site_network" | "check_failed" | "agent_silent";

/** Why nothing is known: the agent was stopped, sent nothing, lost samples, or the site's link was down. */
export type UnknownCause = "agent_stopped" | "no_samples" | "spool_loss" | "link_down";

/** Why nobody was watching: the collector was down, or the host was not (yet, or any more) monitored. */
export type UnmonitoredCause = "collector_down" | "not_enrolled" | "retired" | "uninstalled" | "not_yet";

/** A state with its cause, where the state has causes. */
export type SegmentLabel =
  | { state: "UP" }
  | { state: "MAINTENANCE" }
  | { state: "DEGRADED"; cause: "check_failed" }
  | { state: "DOWN"; cause: DownCause }
  | { state: "UNKNOWN"; cause: UnknownCause }
  | { state: "UNMONITORED"; cause: UnmonitoredCause };

/** A stretch of [start, end) in one state. */
export type Segment = SegmentLabel & Interval;

/** Any cause a segment can carry. */
export type SegmentCause = DownCause | UnknownCause | UnmonitoredCause;

/** Time in a state, with the label to paint it with. */
export interface Layer {
  intervals: readonly Interval[];
  label: SegmentLabel;
}

/**
 * Paints [from, to): each layer claims the time it covers that no earlier layer claimed; what is left
 * gets `rest`. Adjacent segments with the same label merge. The result depends only on the layers'
 * order, never on the order of intervals within them.
 */
export function paint(from: number, to: number, layers: readonly Layer[], rest: SegmentLabel): Segment[] {
  let remaining: Interval[] = from < to ? [{ start: from, end: to }] : [];
  const pieces: Segment[] = [];
  for (const layer of layers) {
    if (remaining.length === 0) break;
    const { inside, outside } = partition(remaining, layer.intervals);
    for (const i of inside) pieces.push(segment(layer.label, i.start, i.end));
    remaining = outside;
  }
  for (const i of remaining) pieces.push(segment(rest, i.start, i.end));
  pieces.sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    // The pieces were made here, so extending one in place is safe.
    if (last && last.end === p.start && sameLabel(last, p)) (last as { end: number }).end = p.end;
    else out.push(p);
  }
  return out;
}

/** A segment with the label's state and cause. */
export function segment(label: SegmentLabel, start: number, end: number): Segment {
  return ("cause" in label ? { start, end, state: label.state, cause: label.cause } : { start, end, state: label.state }) as Segment;
}

/** Whether two segments carry the same state and cause. */
export function sameLabel(a: SegmentLabel, b: SegmentLabel): boolean {
  return a.state === b.state && causeOf(a) === causeOf(b);
}

/** The cause of a segment, or undefined for states without one. */
export function causeOf(s: SegmentLabel): SegmentCause | undefined {
  return "cause" in s ? s.cause : undefined;
}

/** The time a list of segments spends in the given state (optionally only within `within`). */
export function intervalsIn(segments: readonly Segment[], state: AvailabilityState, within?: readonly Interval[]): Interval[] {
  const own = normalize(segments.filter((s) => s.state === state));
  return within ? intersect(own, within) : own;
}

/** Milliseconds per state, counted only within `within` when given. */
export function durationsByState(segments: readonly Segment[], within?: readonly Interval[]): Record<AvailabilityState, number> {
  const out = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<AvailabilityState, number>;
  for (const state of STATES) out[state] = totalLength(intervalsIn(segments, state, within));
  return out;
}

/** The segments cut to [from, to). */
export function clipSegments(segments: readonly Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    for (const i of clip([s], from, to)) out.push(segment(s, i.start, i.end));
  }
  return out;
}
