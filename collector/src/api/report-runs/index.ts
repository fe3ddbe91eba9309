import { createRouter } from "../router.js";
import { registerReportRuns } from "./routes.js";

/** `/api/v1/report-runs`: SLA reports frozen with their inputs, for QBRs. */
export function reportRunsApi() {
  const api = createRouter();
  registerReportRuns(api);
  return api;
}
