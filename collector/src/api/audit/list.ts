import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listAudit } from "../../store/queries/audit.js";
import { findClient } from "../../store/queries/clients.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { AuditListSchema, AuditQuery, auditView } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["audit"],
  summary: "Who changed a client's SLA-relevant settings, and how",
  description: "Changes to the client and its policy, sites, host profiles and maintenance windows, newest first. A viewer sees only its own client's.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: AuditQuery },
  responses: {
    200: jsonResponse("The entries, newest first", AuditListSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerListAudit(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const q = c.req.valid("query");
    assertClientVisible(c, q.clientId, "client");
    if (!(await findClient(store, q.clientId))) throw ApiError.notFound("client");
    const entries = await listAudit(store, q);
    return c.json({ items: entries.map(auditView) }, 200);
  });
}
