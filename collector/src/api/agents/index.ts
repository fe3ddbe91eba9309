import { createRouter } from "../router.js";
import { registerEnrollAgent } from "./enroll.js";

/** `/api/v1/agents`: enrollment. (The agent stream, `/api/v1/agents/connect`, belongs to the gateway.) */
export function agentsApi() {
  const api = createRouter();
  registerEnrollAgent(api);
  return api;
}
