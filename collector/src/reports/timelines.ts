import { checkTimeline, intersect, intervalsIn, normalize, paint, throwIfInvalid, union, type AvailabilityState, type Interval, type Segment, type UnmonitoredCause } from "../availability/index.js";
import { clientAvailability } from "../evidence/client-availability.js";
import { loadClientEvidence } from "../evidence/client-evidence.js";
import { findAgent } from "../store/queries/agents.js";
import { hostCheckResults } from "../store/queries/evidence.js";
import { findSite } from "../store/queries/sites.js";
import { ScopeNotFoundError } from "./errors.js";
import { reportParamsProblems, type ReportContext } from "./sla/build.js";

/** A segment as the API shows it. */
export interface TimelineSegment {
  start: string;
  end: string;
  state: AvailabilityState;
  cause: string | null;
}

function view(segments: readonly Segment[]): TimelineSegment[] {
  return segments.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), state: s.state, cause: "cause" in s ? s.cause : null }));
}

/** A host's state over [from, to) from its evidence, and each of its checks' own timeline. */
export async function hostTimelineView(ctx: ReportContext, hostId: string, from: number, to: number) {
  throwIfInvalid(reportParamsProblems({ from, to }));
  const host = await findAgent(ctx.store, hostId);
  if (!host) throw new ScopeNotFoundError("id", "no such host");
  const now = ctx.now?.() ?? Date.now();
  const evidence = await loadClientEvidence(ctx.store, host.client_id, from, to, now, ctx.collectorRunId);
  if (!evidence) throw new ScopeNotFoundError("id", "no such host");
  const a = clientAvailability(evidence, from, to, "all", ctx.timeline, now);
  const segments = a.hosts.find((h) => h.host.id === hostId)?.segments ?? paint(from, to, [], { state: "UNMONITORED", cause: "not_enrolled" });
  const results = await hostCheckResults(ctx.store, host.client_id, hostId, from, to);
  const checkIds = [...new Set(results.map((r) => r.checkId))].sort();
  return {
    hostId,
    clientId: host.client_id,
    siteId: host.site_id,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    segments: view(segments),
    checks: checkIds.map((checkId) => {
      const own = results.filter((r) => r.checkId === checkId);
      return { checkId, role: own[0]!.role, segments: view(checkTimeline(own, from, to, ctx.timeline)) };
    }),
  };
}

/**
 * A site's state over [from, to): DOWN while the whole site was out (its cause from the site incident),
 * DEGRADED while some of its hosts were down or impaired, UNMONITORED while none of them was monitored,
 * MAINTENANCE while all of them were in maintenance, UP otherwise.
 */
export async function siteTimelineView(ctx: ReportContext, siteId: string, from: number, to: number) {
  throwIfInvalid(reportParamsProblems({ from, to }));
  const site = await findSite(ctx.store, siteId);
  if (!site) throw new ScopeNotFoundError("id", "no such site");
  const now = ctx.now?.() ?? Date.now();
  const evidence = await loadClientEvidence(ctx.store, site.client_id, from, to, now, ctx.collectorRunId);
  if (!evidence) throw new ScopeNotFoundError("id", "no such site");
  const a = clientAvailability(evidence, from, to, "all", ctx.timeline, now);
  const hosts = a.hosts.filter((h) => h.siteId === siteId);
  const outages = a.siteIncidents.filter((s) => s.siteId === siteId);
  // Time every host of the site spent in a state (with this cause, when given).
  const allIn = (state: Segment["state"], cause?: string): Interval[] => {
    if (hosts.length === 0) return [];
    const of = (h: (typeof hosts)[number]) => normalize(h.segments.filter((x) => x.state === state && (cause === undefined || ("cause" in x && x.cause === cause))));
    return hosts.slice(1).reduce((acc, h) => intersect(acc, of(h)), of(hosts[0]!));
  };
  const unmonitored: UnmonitoredCause[] = ["collector_down", "not_yet", "not_enrolled", "retired", "uninstalled"];
  const segments = paint(
    from,
    to,
    [
      ...outages.map((o) => ({ intervals: [{ start: o.start, end: o.end }], label: { state: "DOWN" as const, cause: o.cause } })),
      { intervals: union(...hosts.map((h) => union(intervalsIn(h.segments, "DOWN"), intervalsIn(h.segments, "DEGRADED")))), label: { state: "DEGRADED", cause: "check_failed" } },
      { intervals: allIn("MAINTENANCE"), label: { state: "MAINTENANCE" } },
      ...unmonitored.map((cause) => ({ intervals: allIn("UNMONITORED", cause), label: { state: "UNMONITORED" as const, cause } })),
      { intervals: hosts.length === 0 ? [{ start: from, end: to }] : [], label: { state: "UNMONITORED", cause: "not_enrolled" } },
    ],
    { state: "UP" },
  );
  return { siteId, clientId: site.client_id, from: new Date(from).toISOString(), to: new Date(to).toISOString(), hostIds: hosts.map((h) => h.host.id), segments: view(segments) };
}
