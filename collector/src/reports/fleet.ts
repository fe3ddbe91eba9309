import { throwIfInvalid } from "../availability/index.js";
import { clientAvailability } from "../evidence/client-availability.js";
import { fleetEvidenceBatches } from "../evidence/client-evidence.js";
import { reportParamsProblems, scopeFigures, slaSummary, type ReportContext } from "./sla/build.js";
import type { FleetReport, FleetReportClient, ReportHours } from "./sla/report.js";

/** The MSP's own report: every client's SLA figures and downtime cost for one period. */
export async function buildFleetReport(ctx: ReportContext, params: { from: number; to: number; hours: ReportHours }): Promise<FleetReport> {
  throwIfInvalid(reportParamsProblems(params));
  const now = ctx.now?.() ?? Date.now();
  // One read of each table for every client: per-client reads would pay each query's cost once per client.
  // Check results come in batches of clients, all queried at once: a batch is computed while the store
  // reads the next, so the computing hides behind the reading instead of following it.
  const batches = await fleetEvidenceBatches(ctx.store, params.from, params.to, now, ctx.collectorRunId);
  const clients: FleetReportClient[] = [];
  for (const batch of batches) {
    for (const evidence of await batch) {
      const a = clientAvailability(evidence, params.from, params.to, params.hours, ctx.timeline, now);
      const { figures, cost, hostCount } = scopeFigures(evidence, a, {});
      clients.push({
        ...slaSummary(figures, cost.total, { from: params.from, to: params.to, timezone: evidence.client.timezone }),
        clientId: evidence.client.id,
        clientName: evidence.client.name,
        currency: cost.currency,
        hostCount,
      });
    }
  }
  return {
    kind: "fleet",
    generatedAt: new Date(now).toISOString(),
    period: { from: new Date(params.from).toISOString(), to: new Date(params.to).toISOString() },
    hours: params.hours,
    clients,
    breaches: clients.filter((c) => c.met === false).length,
    hostCount: clients.reduce((n, c) => n + c.hostCount, 0),
    incidentCount: clients.reduce((n, c) => n + c.incidentCount, 0),
  };
}
