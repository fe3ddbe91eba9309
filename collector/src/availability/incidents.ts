/**
 * Incidents: maximal DOWN stretches of a host's timeline, with their cause, their length in business
 * hours, and what people said about them (exclusion with a reason, detection and acknowledgement).
 * Host incidents of a site that went dark together are grouped into one site incident, which is what
 * counts in incident numbers (one power cut is one incident, not one per server).
 */
import { throwIfInvalid, type FieldProblem } from "./errors.js";
import { normalize, overlapLength, type Interval } from "./intervals.js";
import type { DownCause, Segment } from "./segments.js";
import { siteOutages, type SiteOutageOptions } from "./site-outages.js";

/** One host's maximal DOWN interval. */
export interface Incident {
  /** Stable across recomputation while the start is unchanged: `<hostId>@<start ms>`. */
  id: string;
  hostId: string;
  siteId: string;
  start: number;
  end: number;
  durationMs: number;
  /** The part inside business hours (the whole duration for 24x7). */
  businessMs: number;
  /** The cause that accounts for most of the time (the earliest on a tie). */
  cause: DownCause;
  /** Started before the timeline's range: the true start is earlier. */
  startClipped: boolean;
  /** Reaches the end of the timeline's range: it continues, or is still open. */
  endClipped: boolean;
  /** Left out of the SLA (its time moves from D to E) — only with a reason. */
  excluded: boolean;
  exclusionReason?: string;
  /** Root-cause note from people. */
  note?: string;
  /** The site incident it belongs to, when its whole site went out with it. */
  siteIncidentId?: string;
  detectedAt?: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
}

/** What people recorded about an incident. */
export interface IncidentAnnotation {
  incidentId: string;
  excluded?: boolean;
  exclusionReason?: string;
  note?: string;
  detectedAt?: number;
  acknowledgedAt?: number;
  resolvedAt?: number;
}

/** Several hosts' incidents that are one outage of their site. */
export interface SiteIncident {
  /** `site:<siteId>@<start ms>`. */
  id: string;
  siteId: string;
  start: number;
  end: number;
  durationMs: number;
  businessMs: number;
  /** site_network when most members were up but cut off by the site's network; power_or_network otherwise. */
  cause: "site_network" | "power_or_network";
  hostIds: string[];
  incidentIds: string[];
  /** Every member is excluded. */
  excluded: boolean;
  detectedAt?: number;
  acknowledgedAt?: number;
}

/** An incident as it counts in MTTR, MTBF, MTTA and recovery cost: a site incident, or a host incident outside one. */
export interface CountedIncident {
  id: string;
  start: number;
  end: number;
  durationMs: number;
  cause: DownCause;
  hostIds: string[];
  detectedAt?: number;
  acknowledgedAt?: number;
}

/** The incidents in a host's timeline. `businessHours` defaults to 24x7. */
export function hostIncidents(args: { hostId: string; siteId: string; segments: readonly Segment[]; businessHours?: readonly Interval[] | "24x7" }): Incident[] {
  const { segments } = args;
  if (segments.length === 0) return [];
  const business = args.businessHours === undefined || args.businessHours === "24x7" ? args.businessHours : normalize(args.businessHours);
  const rangeStart = segments[0]!.start;
  const rangeEnd = segments[segments.length - 1]!.end;
  const out: Incident[] = [];
  let current: { start: number; end: number; byCause: Map<DownCause, number>; order: DownCause[] } | null = null;
  const flush = () => {
    if (!current) return;
    let cause = current.order[0]!;
    for (const c of current.order) if (current.byCause.get(c)! > current.byCause.get(cause)!) cause = c;
    const durationMs = current.end - current.start;
    out.push({
      id: `${args.hostId}@${current.start}`,
      hostId: args.hostId,
      siteId: args.siteId,
      start: current.start,
      end: current.end,
      durationMs,
      businessMs: businessTime(current, business),
      cause,
      startClipped: current.start === rangeStart,
      endClipped: current.end === rangeEnd,
      excluded: false,
    });
    current = null;
  };
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    if (s.state !== "DOWN") {
      flush();
      continue;
    }
    if (!current || current.end !== s.start) {
      flush();
      current = { start: s.start, end: s.start, byCause: new Map(), order: [] };
    }
    if (!current.byCause.has(s.cause)) current.order.push(s.cause);
    current.byCause.set(s.cause, (current.byCause.get(s.cause) ?? 0) + (s.end - s.start));
    current.end = s.end;
  }
  flush();
  return out;
}

/** Problems with an annotation: an exclusion needs a reason; acknowledgement cannot precede detection. */
export function incidentAnnotationProblems(a: IncidentAnnotation): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (a.excluded && !(typeof a.exclusionReason === "string" && a.exclusionReason.trim() !== "")) {
    problems.push({ field: "exclusionReason", problem: "required when the incident is excluded from the SLA" });
  }
  for (const name of ["detectedAt", "acknowledgedAt", "resolvedAt"] as const) {
    const v = a[name];
    if (v !== undefined && !Number.isFinite(v)) problems.push({ field: name, problem: "must be a finite instant" });
  }
  if (a.detectedAt !== undefined && a.acknowledgedAt !== undefined && a.acknowledgedAt < a.detectedAt) {
    problems.push({ field: "acknowledgedAt", problem: "must not be before detectedAt" });
  }
  return problems;
}

/** The incidents with their annotations applied (by id; unknown ids are ignored). Throws on an invalid annotation. */
export function annotateIncidents(incidents: readonly Incident[], annotations: readonly IncidentAnnotation[]): Incident[] {
  const byId = new Map<string, IncidentAnnotation>();
  for (const a of annotations) {
    throwIfInvalid(incidentAnnotationProblems(a));
    byId.set(a.incidentId, { ...byId.get(a.incidentId), ...a });
  }
  return incidents.map((i) => {
    const a = byId.get(i.id);
    if (!a) return i;
    const next: Incident = { ...i, excluded: a.excluded ?? i.excluded };
    if (next.excluded) next.exclusionReason = a.exclusionReason ?? i.exclusionReason;
    else delete next.exclusionReason;
    for (const name of ["note", "detectedAt", "acknowledgedAt", "resolvedAt"] as const) {
      if (a[name] !== undefined) (next as unknown as Record<string, unknown>)[name] = a[name];
    }
    return next;
  });
}

/**
 * Groups a site's host incidents into site incidents where every active host went DOWN within
 * `windowMs` of each other. Returns the site incidents and the host incidents with `siteIncidentId` set.
 */
export function groupSiteIncidents(args: {
  siteId: string;
  hosts: readonly { hostId: string; active?: readonly Interval[] }[];
  incidents: readonly Incident[];
  businessHours?: readonly Interval[] | "24x7";
  options?: SiteOutageOptions;
}): { siteIncidents: SiteIncident[]; incidents: Incident[] } {
  const mine = args.incidents.filter((i) => i.siteId === args.siteId);
  const activity = args.hosts.map((h) => ({
    hostId: h.hostId,
    ...(h.active ? { active: h.active } : {}),
    out: mine.filter((i) => i.hostId === h.hostId),
  }));
  const memberOf = new Map<string, string>();
  const siteIncidents: SiteIncident[] = [];
  for (const outage of siteOutages(activity, args.options)) {
    const members = outage.hostIds
      .map((hostId) => mine.find((i) => i.hostId === hostId && i.start <= outage.allOut.start && outage.allOut.start < i.end))
      .filter((i): i is Incident => i !== undefined);
    const start = Math.min(...members.map((m) => m.start));
    const end = Math.max(...members.map((m) => m.end));
    const id = `site:${args.siteId}@${start}`;
    const networkVotes = members.filter((m) => m.cause === "site_network").length;
    const site: SiteIncident = {
      id,
      siteId: args.siteId,
      start,
      end,
      durationMs: end - start,
      businessMs: businessTime({ start, end }, args.businessHours),
      cause: networkVotes * 2 > members.length ? "site_network" : "power_or_network",
      hostIds: members.map((m) => m.hostId),
      incidentIds: members.map((m) => m.id),
      excluded: members.every((m) => m.excluded),
    };
    const detected = members.map((m) => m.detectedAt).filter((t): t is number => t !== undefined);
    const acked = members.map((m) => m.acknowledgedAt).filter((t): t is number => t !== undefined);
    if (detected.length) site.detectedAt = Math.min(...detected);
    if (acked.length) site.acknowledgedAt = Math.min(...acked);
    siteIncidents.push(site);
    for (const m of members) memberOf.set(m.id, id);
  }
  const incidents = args.incidents.map((i) => (memberOf.has(i.id) ? { ...i, siteIncidentId: memberOf.get(i.id)! } : i));
  return { siteIncidents, incidents };
}

/**
 * What counts as one incident: each non-excluded site incident once (instead of its members), and
 * each non-excluded host incident outside a site incident. For one host's figures, pass no site incidents.
 */
export function countedIncidents(incidents: readonly Incident[], siteIncidents: readonly SiteIncident[] = []): CountedIncident[] {
  const sites = new Map(siteIncidents.map((s) => [s.id, s]));
  const out: CountedIncident[] = [];
  const seenSites = new Set<string>();
  for (const i of [...incidents].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1))) {
    const site = i.siteIncidentId ? sites.get(i.siteIncidentId) : undefined;
    if (site) {
      if (site.excluded || seenSites.has(site.id)) continue;
      seenSites.add(site.id);
      out.push(withTimes({ id: site.id, start: site.start, end: site.end, durationMs: site.durationMs, cause: site.cause, hostIds: site.hostIds }, site));
      continue;
    }
    if (i.excluded) continue;
    out.push(withTimes({ id: i.id, start: i.start, end: i.end, durationMs: i.durationMs, cause: i.cause, hostIds: [i.hostId] }, i));
  }
  return out;
}

function withTimes(c: CountedIncident, from: { detectedAt?: number; acknowledgedAt?: number }): CountedIncident {
  if (from.detectedAt !== undefined) c.detectedAt = from.detectedAt;
  if (from.acknowledgedAt !== undefined) c.acknowledgedAt = from.acknowledgedAt;
  return c;
}

function businessTime(i: Interval, businessHours: readonly Interval[] | "24x7" | undefined): number {
  if (businessHours === undefined || businessHours === "24x7") return i.end - i.start;
  return overlapLength(i, normalize(businessHours));
}
