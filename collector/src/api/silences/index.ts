import { createRouter } from "../router.js";
import { registerSilences } from "./routes.js";

/** `/api/v1/silences`: ad-hoc quiet times for alerts, with an expiry. */
export function silencesApi() {
  const api = createRouter();
  registerSilences(api);
  return api;
}
