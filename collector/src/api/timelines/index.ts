import { createRouter } from "../router.js";
import { registerTimelines } from "./routes.js";

/** `/api/v1/hosts/{id}/timeline` and `/api/v1/sites/{id}/timeline`: state over time, from evidence. */
export function timelinesApi() {
  const api = createRouter();
  registerTimelines(api);
  return api;
}
