import { createRouter } from "../router.js";
import { registerUsers } from "./routes.js";

/** `/api/v1/users`: dashboard accounts (admin only). */
export function usersApi() {
  const api = createRouter();
  registerUsers(api);
  return api;
}
