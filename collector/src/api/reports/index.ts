import { createRouter } from "../router.js";
import { registerFleetReport } from "./fleet.js";
import { registerLifecycleReport } from "./lifecycle.js";
import { registerSlaReport } from "./sla.js";

/** `/api/v1/reports`: reports for a client's QBR (SLA and downtime cost, lifecycle risks) and the MSP's fleet. */
export function reportsApi() {
  const api = createRouter();
  registerSlaReport(api);
  registerFleetReport(api);
  registerLifecycleReport(api);
  return api;
}
