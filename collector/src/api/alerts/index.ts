import { alertRoutesApi } from "../alert-routes/index.js";
import { alertRulesApi } from "../alert-rules/index.js";
import { channelsApi } from "../channels/index.js";
import { createRouter } from "../router.js";
import { silencesApi } from "../silences/index.js";
import { registerAckLink } from "./ack-link.js";
import { registerAlertActions } from "./ack.js";
import { registerGetAlert } from "./get.js";
import { registerListAlerts } from "./list.js";
import { registerSilenceAlert } from "./silence.js";

/** `/api/v1/alerts`: alerts, their delivery log, ack/resolve/silence, and the ack links from notifications. */
export function alertsApi() {
  const api = createRouter();
  // Before `/{id}`: "ack" is not an alert id.
  registerAckLink(api);
  registerListAlerts(api);
  registerGetAlert(api);
  registerAlertActions(api);
  registerSilenceAlert(api);
  return api;
}

/** Every alerting resource, mounted under `/api/v1`: alerts, channels, alert-rules, alert-routes, silences. */
export function alertingApi() {
  const api = createRouter();
  api.route("/alerts", alertsApi());
  api.route("/channels", channelsApi());
  api.route("/alert-rules", alertRulesApi());
  api.route("/alert-routes", alertRoutesApi());
  api.route("/silences", silencesApi());
  return api;
}
