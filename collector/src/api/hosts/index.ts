import { createRouter } from "../router.js";
import { registerGetHost } from "./get.js";
import { registerListHosts } from "./list.js";
import { registerHostMetrics } from "./metrics.js";
import { registerPutHostProfile } from "./profile.js";
import { registerRevokeHost } from "./revoke.js";

/** `/api/v1/hosts`: enrolled agents, their status, metrics and business profile. */
export function hostsApi() {
  const api = createRouter();
  registerListHosts(api);
  registerGetHost(api);
  registerRevokeHost(api);
  registerHostMetrics(api);
  registerPutHostProfile(api);
  return api;
}
