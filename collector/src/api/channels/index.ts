import { createRouter } from "../router.js";
import { registerChannels } from "./routes.js";

/** `/api/v1/channels`: where alert notifications go (webhook, Slack, Teams, PagerDuty, e-mail, ntfy). */
export function channelsApi() {
  const api = createRouter();
  registerChannels(api);
  return api;
}
