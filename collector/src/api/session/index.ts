import { createRouter } from "../router.js";
import { registerSession } from "./routes.js";

/** `/api/v1/session`: dashboard login, who-am-I and logout. */
export function sessionApi() {
  const api = createRouter();
  registerSession(api);
  return api;
}
