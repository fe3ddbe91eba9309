import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findEnrollmentToken, saveEnrollmentToken } from "../../store/queries/enrollment-tokens.js";
import { OPERATE_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams } from "../schema.js";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["enrollment-tokens"],
  summary: "Revoke an enrollment token",
  description: "Agents already enrolled with it keep working; no new agent can enroll with it. Revoking twice is a no-op.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: {
    204: { description: "Revoked" },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerDeleteEnrollmentToken(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, logger } = c.var.deps;
    const row = await findEnrollmentToken(store, c.req.valid("param").id);
    if (!row) throw ApiError.notFound("enrollment token");
    if (row.revoked_at === null) {
      await saveEnrollmentToken(store, { ...row, revoked_at: Date.now() });
      logger.info({ enrollmentTokenId: row.id }, "enrollment token revoked");
    }
    return c.body(null, 204);
  });
}
