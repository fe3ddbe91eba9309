import {
  annotateIncidents,
  clipSegments,
  groupSiteIncidents,
  hostIncidents,
  hostSilences,
  hostTimeline,
  appliesTo,
  expandMaintenance,
  normalize,
  networkOutageIntervals,
  scheduledIntervals,
  siteOutages,
  siteOutagesOf,
  type HostEvidence,
  type Incident,
  type IncidentAnnotation,
  type Interval,
  type MaintenanceWindow,
  type Schedule,
  type Segment,
  type SiteIncident,
  type TimelineOptions,
} from "../availability/index.js";
import type { AgentRow } from "../store/queries/agents.js";
import { clientSchedule } from "./client-policy.js";
import { EVIDENCE_PAD_MS, type ClientEvidence, type HostRecord } from "./client-evidence.js";

/** Whether scheduled time is the business calendar's hours or every hour of the period. */
export type HoursBasis = "business" | "all";

/** One host's state over a period. */
export interface HostAvailability {
  host: AgentRow;
  siteId: string;
  segments: Segment[];
}

/** A client's availability over one period: timelines, incidents and the schedules they are measured in. */
export interface ClientAvailability {
  from: number;
  to: number;
  hosts: HostAvailability[];
  /** Annotated, with site incidents' ids set on their members. */
  incidents: Incident[];
  siteIncidents: SiteIncident[];
  /** Scheduled time per site (its own time zone). */
  siteSchedules: Map<string, Interval[]>;
  /** The client's business hours in its own zone (cost's business/off-hours split), or 24x7. */
  businessHours: Interval[] | "24x7";
  /** The client's calendar (with its zone), or 24x7 when none is configured. */
  calendar: Schedule;
}

/**
 * Computes every host's timeline over [from, to) with the site-wide evidence (sites gone dark, network
 * outages seen by the site's checks), then the incidents with people's annotations applied. Pure over
 * the evidence: the same evidence gives the same answer.
 */
export function clientAvailability(
  evidence: ClientEvidence,
  from: number,
  to: number,
  hours: HoursBasis,
  options: TimelineOptions,
  now = Number.POSITIVE_INFINITY,
): ClientAvailability {
  // Timelines run past the period on both sides, so an incident crossing its edge keeps its true start
  // (and its id) and its full duration; the period's own figures come from the segments clipped to it.
  // Time after `now` is not known yet (UNMONITORED not_yet), never DOWN.
  const range = { from: from - EVIDENCE_PAD_MS, to: Math.max(to, Math.min(to + EVIDENCE_PAD_MS, now)), ...(Number.isFinite(now) ? { asOf: now } : {}) };
  const clientTz = evidence.client.timezone;
  const calendar = clientSchedule({ timezone: clientTz }, evidence.policy);
  const siteSchedules = new Map<string, Interval[]>();
  const scheduleOf = (siteId: string): Interval[] => {
    let s = siteSchedules.get(siteId);
    if (!s) {
      const zone = evidence.siteTimezones.get(siteId) ?? clientTz;
      const siteCalendar = clientSchedule({ timezone: zone }, evidence.policy);
      s = hours === "all" || siteCalendar === "24x7" ? [{ start: from, end: to }] : scheduledIntervals(siteCalendar, from, to);
      siteSchedules.set(siteId, s);
    }
    return s;
  };
  const windows = evidence.maintenance.map((m) => m.window);
  const active = evidence.hosts.filter((h) => h.host.enrolled_at < to && (h.host.revoked_at === null || h.host.revoked_at > from));
  // Each window is expanded once per period, then given to the hosts it applies to.
  const expanded = windows.map((w) => ({ window: w, intervals: expandMaintenance(w, range.from, range.to) }));
  const base = new Map(active.map((h) => [h.host.id, hostEvidence(h, evidence, expanded)]));

  const bySite = new Map<string, HostRecord[]>();
  for (const h of active) bySite.set(h.host.site_id, [...(bySite.get(h.host.site_id) ?? []), h]);

  const hostsOut: HostAvailability[] = [];
  const rawIncidents: Incident[] = [];
  for (const [siteId, members] of bySite) {
    const outages = siteOutages(members.map((h) => ({ hostId: h.host.id, active: [activeSpan(h.host)], out: hostSilences(base.get(h.host.id)!, range, options) })));
    const network = networkOutageIntervals(
      members.flatMap((h) => h.checkResults),
      options,
    );
    for (const h of members) {
      const ev: HostEvidence = { ...base.get(h.host.id)!, siteOutages: siteOutagesOf(outages, h.host.id), siteNetworkOutages: network };
      const segments = hostTimeline(ev, range, options);
      hostsOut.push({ host: h.host, siteId, segments: clipSegments(segments, from, to) });
      const own = hostIncidents({ hostId: h.host.id, siteId, segments, businessHours: scheduleOf(siteId) });
      rawIncidents.push(...own.filter((i) => i.start < to && i.end > from));
    }
  }
  const detectionDelay = (options.gapFactor ?? 2.5) * (options.sampleIntervalMs ?? 15_000);
  let incidents = annotateIncidents(rawIncidents, annotationsFor(rawIncidents, evidence, detectionDelay));
  const siteIncidents: SiteIncident[] = [];
  for (const [siteId, members] of bySite) {
    const grouped = groupSiteIncidents({
      siteId,
      hosts: members.map((h) => ({ hostId: h.host.id, active: [activeSpan(h.host)] })),
      incidents,
      businessHours: scheduleOf(siteId),
    });
    incidents = grouped.incidents;
    siteIncidents.push(...grouped.siteIncidents);
  }
  hostsOut.sort((a, b) => (a.host.hostname < b.host.hostname ? -1 : a.host.hostname > b.host.hostname ? 1 : a.host.id < b.host.id ? -1 : 1));
  return {
    from,
    to,
    hosts: hostsOut,
    incidents: incidents.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1)),
    siteIncidents,
    siteSchedules,
    businessHours: calendar === "24x7" ? "24x7" : scheduledIntervals(calendar, from, to),
    calendar,
  };
}

function activeSpan(host: AgentRow): Interval {
  return { start: host.enrolled_at, end: host.revoked_at ?? Number.POSITIVE_INFINITY };
}

function hostEvidence(h: HostRecord, evidence: ClientEvidence, maintenance: readonly { window: MaintenanceWindow; intervals: Interval[] }[]): HostEvidence {
  const target = { clientId: evidence.client.id, siteId: h.host.site_id, hostId: h.host.id };
  return {
    hostId: h.host.id,
    enrolledAt: h.host.enrolled_at,
    retiredAt: h.host.revoked_at,
    runs: h.runs,
    samples: h.samples,
    connectionEvents: h.connectionEvents,
    checkResults: h.checkResults,
    spoolLosses: h.spoolLosses,
    ...(evidence.collectorRuns ? { collectorRuns: evidence.collectorRuns } : {}),
    maintenance: normalize(maintenance.filter((m) => appliesTo(m.window, target)).flatMap((m) => m.intervals)),
  };
}

// Detection is when the silence became visible (the gap threshold after the last sample); acknowledgement
// is what people recorded. Together they give MTTA.
function annotationsFor(incidents: readonly Incident[], evidence: ClientEvidence, detectionDelayMs: number): IncidentAnnotation[] {
  const out: IncidentAnnotation[] = [];
  for (const i of incidents) {
    const a = evidence.annotations.get(i.id);
    if (!a) continue;
    const annotation: IncidentAnnotation = { incidentId: i.id, excluded: a.excluded };
    if (a.excluded) annotation.exclusionReason = a.exclusionReason;
    if (a.note) annotation.note = a.note;
    if (a.acknowledgedAt !== null) {
      annotation.detectedAt = Math.min(i.start + detectionDelayMs, a.acknowledgedAt);
      annotation.acknowledgedAt = a.acknowledgedAt;
    }
    out.push(annotation);
  }
  return out;
}
