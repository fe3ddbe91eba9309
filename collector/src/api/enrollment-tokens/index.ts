import { createRouter } from "../router.js";
import { registerDeleteEnrollmentToken } from "./delete.js";
import { registerListEnrollmentTokens } from "./list.js";
import { registerPostEnrollmentToken } from "./post.js";

/** `/api/v1/enrollment-tokens`: credentials that let an agent install join a client's site. */
export function enrollmentTokensApi() {
  const api = createRouter();
  registerPostEnrollmentToken(api);
  registerListEnrollmentTokens(api);
  registerDeleteEnrollmentToken(api);
  return api;
}
