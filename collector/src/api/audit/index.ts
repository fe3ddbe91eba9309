import { createRouter } from "../router.js";
import { registerListAudit } from "./list.js";

/** `/api/v1/audit`: the trail of changes to settings that move SLA figures. */
export function auditApi() {
  const api = createRouter();
  registerListAudit(api);
  return api;
}
