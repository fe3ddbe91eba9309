/**
 * A site that went dark as a whole: every monitored host of the site went out (silent, or DOWN)
 * within a short window of each other and stayed out together. One site outage, not N host outages:
 * it names the cause of the hosts' gaps (power_or_network) and groups their incidents.
 */
import { ALL_TIME, intersect, normalize, type Interval } from "./intervals.js";

/** One host of a site: when it was monitored, and when it was out. */
export interface SiteHostActivity {
  hostId: string;
  /** When the host counted as part of the site (enrolled, not retired). Absent = always. */
  active?: readonly Interval[];
  /** When it was out: silent (hostSilences) or DOWN (incidents). */
  out: readonly Interval[];
}

/** A stretch when the whole site was out. */
export interface SiteOutage {
  /** When the first host of the group went out. */
  start: number;
  /** When the last host of the group came back (or the end of its evidence). */
  end: number;
  /** When every monitored host was out at once. */
  allOut: Interval;
  /** Hosts that went out together, sorted. */
  hostIds: string[];
}

/** How close together the hosts must go out, and how many make a site. */
export interface SiteOutageOptions {
  /** The hosts' outages must begin within this span (default 60 s). */
  windowMs?: number;
  /** Fewer hosts than this never make a site outage: one host alone cannot tell its site from itself (default 2). */
  minHosts?: number;
}

/**
 * Site outages: maximal stretches when every active host was out, where the hosts that went out within
 * `windowMs` before the last one did number at least `minHosts`. Hosts already out long before (a
 * dead machine) neither block the detection nor join the group.
 */
export function siteOutages(hosts: readonly SiteHostActivity[], options: SiteOutageOptions = {}): SiteOutage[] {
  const windowMs = options.windowMs ?? 60_000;
  const minHosts = options.minHosts ?? 2;
  const prepared = [...hosts]
    .sort((a, b) => (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0))
    .map((h) => {
      const active = normalize(h.active ?? [ALL_TIME]);
      return { hostId: h.hostId, active, out: normalize(h.out), activeOut: intersect(active, h.out) };
    });

  // Sweep: count active hosts and active hosts that are out; where the counts meet, the site is dark.
  const events: { t: number; active: number; out: number }[] = [];
  for (const h of prepared) {
    for (const i of h.active) events.push({ t: i.start, active: 1, out: 0 }, { t: i.end, active: -1, out: 0 });
    for (const i of h.activeOut) events.push({ t: i.start, active: 0, out: 1 }, { t: i.end, active: 0, out: -1 });
  }
  events.sort((a, b) => a.t - b.t);
  const dark: Interval[] = [];
  let active = 0;
  let out = 0;
  for (let k = 0; k < events.length; ) {
    const t = events[k]!.t;
    while (k < events.length && events[k]!.t === t) {
      active += events[k]!.active;
      out += events[k]!.out;
      k++;
    }
    const next = k < events.length ? events[k]!.t : Number.POSITIVE_INFINITY;
    if (active >= minHosts && out === active && next > t) dark.push({ start: t, end: next });
  }

  const result: SiteOutage[] = [];
  for (const d of normalize(dark)) {
    if (!Number.isFinite(d.start)) continue;
    const group: { hostId: string; start: number; end: number }[] = [];
    for (const h of prepared) {
      const o = h.out.find((i) => i.start <= d.start && d.start < i.end);
      if (o && containsStart(h.active, d.start) && o.start >= d.start - windowMs) group.push({ hostId: h.hostId, start: o.start, end: o.end });
    }
    if (group.length < minHosts) continue;
    result.push({
      start: Math.min(...group.map((g) => g.start)),
      end: Math.max(...group.map((g) => g.end)),
      allOut: d,
      hostIds: group.map((g) => g.hostId),
    });
  }
  return result;
}

/** The spans of the outages a host took part in: the `siteOutages` input of its timeline. */
export function siteOutagesOf(outages: readonly SiteOutage[], hostId: string): Interval[] {
  return normalize(outages.filter((o) => o.hostIds.includes(hostId)).map((o) => ({ start: o.start, end: o.end })));
}

function containsStart(intervals: readonly Interval[], t: number): boolean {
  return intervals.some((i) => i.start <= t && t < i.end);
}
