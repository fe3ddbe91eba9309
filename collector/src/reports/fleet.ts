import { throwIfInvalid } from "../availability/index.js";
import { clientAvailability } from "../evidence/client-availability.js";
import { loadClientEvidence } from "../evidence/client-evidence.js";
import { listClients } from "../store/queries/clients.js";
import { reportParamsProblems, scopeFigures, slaSummary, type ReportContext } from "./sla/build.js";
import type { FleetReport, FleetReportClient, ReportHours } from "./sla/report.js";

/** How many clients are computed at once: their queries overlap while the CPU computes another. */
const CONCURRENCY = 4;

/** The MSP's own report: every client's SLA figures and downtime cost for one period. */
export async function buildFleetReport(ctx: ReportContext, params: { from: number; to: number; hours: ReportHours }): Promise<FleetReport> {
  throwIfInvalid(reportParamsProblems(params));
  const now = ctx.now?.() ?? Date.now();
  const clients = await listClients(ctx.store);
  const lines: FleetReportClient[] = new Array<FleetReportClient>(clients.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < clients.length; i = next++) {
      const evidence = await loadClientEvidence(ctx.store, clients[i]!.id, params.from, params.to, now, ctx.collectorRunId);
      if (!evidence) continue;
      const a = clientAvailability(evidence, params.from, params.to, params.hours, ctx.timeline, now);
      const { figures: f, cost, hostCount } = scopeFigures(evidence, a, {});
      lines[i] = {
        ...slaSummary(f, cost.total, { from: params.from, to: params.to, timezone: evidence.client.timezone }),
        clientId: evidence.client.id,
        clientName: evidence.client.name,
        currency: cost.currency,
        hostCount,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, clients.length) }, worker));
  const present = lines.filter((l): l is FleetReportClient => l !== undefined);
  return {
    kind: "fleet",
    generatedAt: new Date(now).toISOString(),
    period: { from: new Date(params.from).toISOString(), to: new Date(params.to).toISOString() },
    hours: params.hours,
    clients: present,
    breaches: present.filter((c) => c.met === false).length,
    hostCount: present.reduce((n, c) => n + c.hostCount, 0),
    incidentCount: present.reduce((n, c) => n + c.incidentCount, 0),
  };
}

