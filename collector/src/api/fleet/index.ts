import { createRouter } from "../router.js";
import { registerFleetEvents } from "./events.js";
import { registerGetFleet } from "./get.js";

/** `/api/v1/fleet`: the fleet at a glance, and its live changes. */
export function fleetApi() {
  const api = createRouter();
  registerGetFleet(api);
  registerFleetEvents(api);
  return api;
}
