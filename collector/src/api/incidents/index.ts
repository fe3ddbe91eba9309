import { createRouter } from "../router.js";
import { registerListIncidents } from "./list.js";
import { registerPatchIncident } from "./patch.js";

/** `/api/v1/incidents`: what went down, why, and what people said about it. */
export function incidentsApi() {
  const api = createRouter();
  registerListIncidents(api);
  registerPatchIncident(api);
  return api;
}
