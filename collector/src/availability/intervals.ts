/**
 * Half-open time intervals [start, end) in epoch milliseconds, and set arithmetic on lists of them.
 * Every function accepts unsorted, overlapping input and returns a normalized list (sorted, disjoint,
 * non-empty, with touching intervals merged), so results can be fed straight into the next step.
 */

/** A span of time [start, end) in epoch milliseconds; `start` may be -Infinity and `end` Infinity. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The whole time line, for "always" (an input that was not recorded is taken as always true). */
export const ALL_TIME: Interval = { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };

/** Sorts, drops empty (and NaN) intervals, and merges overlapping or touching ones. */
export function normalize(intervals: Iterable<Interval>): Interval[] {
  const list = Array.isArray(intervals) ? (intervals as Interval[]) : [...intervals];
  // Most inputs are already normalized (the output of another function here): skip the sort.
  if (isNormalized(list)) return list.slice();
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    // Touching intervals merge too: [0,5) ∪ [5,9) is one stretch of time, and must be one segment.
    if (last && i.start <= last.end) {
      if (i.end > last.end) out[out.length - 1] = { start: last.start, end: i.end };
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** Whether a list is sorted, disjoint, non-empty and without touching neighbours, as normalize returns. */
export function isNormalized(list: readonly Interval[]): boolean {
  let prevEnd = Number.NaN;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (!(x.end > x.start) || (i > 0 && !(x.start > prevEnd))) return false;
    prevEnd = x.end;
  }
  return true;
}

/** Everything in any of the lists. */
export function union(...lists: Iterable<Interval>[]): Interval[] {
  return normalize(lists.flatMap((l) => [...l]));
}

/** Time that is in both lists. */
export function intersect(a: Iterable<Interval>, b: Iterable<Interval>): Interval[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const p = x[i]!;
    const q = y[j]!;
    const start = Math.max(p.start, q.start);
    const end = Math.min(p.end, q.end);
    if (end > start) out.push({ start, end });
    if (p.end < q.end) i++;
    else j++;
  }
  return out;
}

/** Time that is in `a` but not in `b`. */
export function subtract(a: Iterable<Interval>, b: Iterable<Interval>): Interval[] {
  const x = normalize(a);
  const y = normalize(b);
  const out: Interval[] = [];
  let j = 0;
  for (const p of x) {
    let start = p.start;
    // Intervals of b that end before this one starts can never matter again: x is sorted.
    while (j < y.length && y[j]!.end <= start) j++;
    let k = j;
    while (k < y.length && y[k]!.start < p.end) {
      const q = y[k]!;
      if (q.start > start) out.push({ start, end: q.start });
      start = Math.max(start, q.end);
      if (start >= p.end) break;
      k++;
    }
    if (start < p.end) out.push({ start, end: p.end });
  }
  return out;
}

/** `a ∩ b` and `a − b` in one pass: what a claims of b, and what it keeps. */
export function partition(a: Iterable<Interval>, b: Iterable<Interval>): { inside: Interval[]; outside: Interval[] } {
  const x = normalize(a);
  const y = normalize(b);
  const inside: Interval[] = [];
  const outside: Interval[] = [];
  let j = 0;
  for (const p of x) {
    let start = p.start;
    while (j < y.length && y[j]!.end <= start) j++;
    for (let k = j; k < y.length && y[k]!.start < p.end && start < p.end; k++) {
      const q = y[k]!;
      if (q.start > start) outside.push({ start, end: q.start });
      const end = Math.min(q.end, p.end);
      const from = Math.max(q.start, start);
      if (end > from) inside.push({ start: from, end });
      start = Math.max(start, end);
    }
    if (start < p.end) outside.push({ start, end: p.end });
  }
  return { inside, outside };
}

/** The part of the list inside [from, to). */
export function clip(intervals: Iterable<Interval>, from: number, to: number): Interval[] {
  return intersect(intervals, [{ start: from, end: to }]);
}

/** What [from, to) holds beyond the list. */
export function complement(intervals: Iterable<Interval>, from: number, to: number): Interval[] {
  return subtract([{ start: from, end: to }], intervals);
}

/** Total milliseconds covered, counting overlaps once. */
export function totalLength(intervals: Iterable<Interval>): number {
  let sum = 0;
  for (const i of normalize(intervals)) sum += i.end - i.start;
  return sum;
}

/** Whether two intervals share any instant (touching is not overlapping). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether the instant lies in one of the intervals. */
export function containsInstant(intervals: Iterable<Interval>, t: number): boolean {
  for (const i of intervals) if (i.start <= t && t < i.end) return true;
  return false;
}

/**
 * Milliseconds of `target` inside a normalized list, found by binary search: for measuring many
 * incidents against one long schedule.
 */
export function overlapLength(target: Interval, sorted: readonly Interval[]): number {
  let lo = 0;
  let hi = sorted.length;
  // First interval that ends after the target starts.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end <= target.start) lo = mid + 1;
    else hi = mid;
  }
  let sum = 0;
  for (let i = lo; i < sorted.length && sorted[i]!.start < target.end; i++) {
    sum += Math.min(sorted[i]!.end, target.end) - Math.max(sorted[i]!.start, target.start);
  }
  return sum;
}

/** Whether any interval of the list overlaps `target`. */
export function anyOverlap(intervals: Iterable<Interval>, target: Interval): boolean {
  for (const i of intervals) if (overlaps(i, target)) return true;
  return false;
}
