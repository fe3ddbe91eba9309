import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { listAudit } from "../../store/queries/audit.js";
import { findClient } from "../../store/queries/clients.js";
import { READ_ROLES, visibleClientId } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonResponse } from "../schema.js";
import { AuditListSchema, AuditQuery, auditView } from "./schema.js";

// Entries only admins see: user accounts are managed by admins alone.
const ADMIN_ONLY_ENTITIES = ["user"];

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["audit"],
  summary: "Who changed what, and how",
  description:
    "Changes to clients and their policy, sites, host profiles, maintenance windows, incidents, report runs and the " +
    "alerting configuration, newest first, at most `limit`. With `clientId`, that client's changes (404 for an unknown " +
    "client); with `scope=global`, only changes to settings that apply to every client (stored with clientId ''); " +
    "with neither, every change. A viewer only ever sees its own client's changes: without `clientId` its own, " +
    "`scope=global` is empty for it, and another client's id answers 404. Changes to users are shown to admins only.",
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
    const { scope, clientId: requested, ...q } = c.req.valid("query");
    if (scope === "global" && requested !== undefined) throw ApiError.invalid("scope", "global entries belong to no client: leave out clientId");
    const principal = principalOf(c);
    // Global settings are no client's: a viewer has none.
    if (scope === "global" && principal.role === "viewer") return c.json({ items: [] }, 200);
    const clientId = scope === "global" ? "" : visibleClientId(c, requested);
    if (clientId && requested !== undefined && !(await findClient(store, clientId))) throw ApiError.notFound("client");
    const excludeEntities = principal.role === "admin" ? [] : ADMIN_ONLY_ENTITIES;
    const entries = await listAudit(store, { ...q, clientId, excludeEntities });
    return c.json({ items: entries.map(auditView) }, 200);
  });
}
