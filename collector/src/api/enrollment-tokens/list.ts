import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listEnrollmentTokens } from "../../store/queries/enrollment-tokens.js";
import { OPERATE_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { enrollmentTokenFromRow, EnrollmentTokenListQuery, EnrollmentTokenListSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["enrollment-tokens"],
  summary: "List enrollment tokens (without their secrets)",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { query: EnrollmentTokenListQuery },
  responses: {
    200: jsonResponse("Tokens, newest first, revoked and expired included", EnrollmentTokenListSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerListEnrollmentTokens(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const rows = await listEnrollmentTokens(c.var.deps.store, c.req.valid("query"));
    return c.json({ items: rows.map(enrollmentTokenFromRow) }, 200);
  });
}
