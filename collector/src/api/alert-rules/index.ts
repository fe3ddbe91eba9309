import { createRouter } from "../router.js";
import { registerAlertRules } from "./routes.js";

/** `/api/v1/alert-rules`: what raises alerts, per scope, over the built-in defaults. */
export function alertRulesApi() {
  const api = createRouter();
  registerAlertRules(api);
  return api;
}
