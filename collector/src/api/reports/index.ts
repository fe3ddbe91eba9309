import { createRouter } from "../router.js";
import { registerLifecycleReport } from "./lifecycle.js";

/** `/api/v1/reports`: reports for a client's QBR (lifecycle risks; SLA and cost reports join here). */
export function reportsApi() {
  const api = createRouter();
  registerLifecycleReport(api);
  return api;
}
