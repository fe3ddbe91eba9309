import { createRouter } from "../router.js";
import { registerGetHost } from "./get.js";
import { registerListHosts } from "./list.js";
import { registerHostMetrics } from "./metrics.js";
import { registerRevokeHost } from "./revoke.js";

/** `/api/v1/hosts`: enrolled agents, their status and their metrics. */
export function hostsApi() {
  const api = createRouter();
  registerListHosts(api);
  registerGetHost(api);
  registerRevokeHost(api);
  registerHostMetrics(api);
  return api;
}
