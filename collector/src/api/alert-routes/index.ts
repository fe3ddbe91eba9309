import { createRouter } from "../router.js";
import { registerAlertRoutes } from "./routes.js";

/** `/api/v1/alert-routes`: which channels an alert goes to, per client and severity, and its escalation. */
export function alertRoutesApi() {
  const api = createRouter();
  registerAlertRoutes(api);
  return api;
}
