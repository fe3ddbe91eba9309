import { throwIfInvalid } from "../availability/index.js";
import { clientAvailability } from "../evidence/client-availability.js";
import { loadClientEvidence } from "../evidence/client-evidence.js";
import { findAgent } from "../store/queries/agents.js";
import { ScopeNotFoundError } from "./errors.js";
import { reportIncidents, reportParamsProblems, scopeFigures, type ReportContext } from "./sla/build.js";
import type { ReportIncident, ReportSiteIncident } from "./sla/report.js";

/** An incident as the incidents API lists it: the report's view plus its life cycle. */
export interface IncidentView extends ReportIncident {
  clientId: string;
  /** When the silence became visible: the gap threshold after the last sample. */
  detectedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** When the host came back; null while it is still down. */
  resolvedAt: string | null;
  annotatedBy: string | null;
  annotatedAt: string | null;
}

/** The incidents of a client (or a site or host of it) that overlap a period, oldest first, and its site incidents. */
export async function listIncidents(
  ctx: ReportContext,
  params: { clientId: string; from: number; to: number; siteId?: string; hostId?: string },
): Promise<{ items: IncidentView[]; siteIncidents: ReportSiteIncident[] }> {
  throwIfInvalid(reportParamsProblems(params));
  const now = ctx.now?.() ?? Date.now();
  const evidence = await loadClientEvidence(ctx.store, params.clientId, params.from, params.to, now, ctx.collectorRunId);
  if (!evidence) throw new ScopeNotFoundError("clientId", `no client ${JSON.stringify(params.clientId)}`);
  if (params.siteId !== undefined && !evidence.sites.some((s) => s.id === params.siteId)) throw new ScopeNotFoundError("siteId", "no such site of this client");
  if (params.hostId !== undefined && !evidence.hosts.some((h) => h.host.id === params.hostId)) throw new ScopeNotFoundError("hostId", "no such host of this client");
  const a = clientAvailability(evidence, params.from, params.to, "all", ctx.timeline, now);
  const scope = { ...(params.siteId ? { siteId: params.siteId } : {}), ...(params.hostId ? { hostId: params.hostId } : {}) };
  const f = scopeFigures(evidence, a, scope);
  const detectionDelay = (ctx.timeline.gapFactor ?? 2.5) * (ctx.timeline.sampleIntervalMs ?? 15_000);
  const items = reportIncidents(f.incidents, evidence, f.cost, a).map((i): IncidentView => {
    const note = evidence.annotations.get(i.id);
    const start = Date.parse(i.startedAt);
    const end = Date.parse(i.endedAt);
    return {
      ...i,
      clientId: evidence.client.id,
      detectedAt: new Date(start + detectionDelay).toISOString(),
      acknowledgedAt: note?.acknowledgedAt ? new Date(note.acknowledgedAt).toISOString() : null,
      acknowledgedBy: note?.acknowledgedBy || null,
      resolvedAt: end >= now - detectionDelay ? null : i.endedAt,
      annotatedBy: note?.updatedBy ?? null,
      annotatedAt: note ? new Date(note.updatedAt).toISOString() : null,
    };
  });
  return {
    items,
    siteIncidents: f.siteIncidents.map((s) => ({
      id: s.id,
      siteId: s.siteId,
      siteName: evidence.sites.find((x) => x.id === s.siteId)?.name ?? s.siteId,
      cause: s.cause,
      startedAt: new Date(s.start).toISOString(),
      endedAt: new Date(s.end).toISOString(),
      durationSeconds: Math.round(s.durationMs / 1000),
      hostIds: s.hostIds,
    })),
  };
}

/** Splits an incident id `<hostId>@<start ms>`; null when it is not one. */
export function parseIncidentId(id: string): { hostId: string; start: number } | null {
  const m = /^([A-Za-z0-9_-]{1,64})@(\d{1,15})$/.exec(id);
  return m ? { hostId: m[1]!, start: Number(m[2]) } : null;
}

/** The incident with this id as evidence shows it now, or null when there is none. */
export async function findIncident(ctx: ReportContext, id: string): Promise<IncidentView | null> {
  const parsed = parseIncidentId(id);
  if (!parsed) return null;
  const host = await findAgent(ctx.store, parsed.hostId);
  if (!host) return null;
  const { items } = await listIncidents(ctx, { clientId: host.client_id, hostId: host.id, from: parsed.start, to: parsed.start + 1 });
  return items.find((i) => i.id === id) ?? null;
}
