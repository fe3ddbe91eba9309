import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { recordInventoryChanges } from "../../inventory/change-log.js";
import type { ChangeCategory, ChangeKind } from "../../inventory/changes.js";
import { findClient } from "../../store/queries/clients.js";
import { readChanges } from "../../store/queries/inventory.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import { parseInstant } from "../hosts/metrics.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, iso, jsonResponse } from "../schema.js";
import { ChangesQuery, ChangesResultSchema } from "./schema.js";

/** Period when `from` is not given. */
const DEFAULT_RANGE_MS = 30 * 86_400_000;
/** Longest period one request may cover. */
const MAX_RANGE_MS = 1830 * 86_400_000;

const route = createRoute({
  method: "get",
  path: "/changes",
  tags: ["inventory"],
  summary: "Inventory changes of a client's hosts in a period",
  description:
    "Differences between consecutive inventories of each host: hardware added or removed, memory changed, OS upgraded, " +
    "software installed, removed or updated, services started, stopped, enabled or disabled. Each change is dated by the " +
    "inventory that first showed it (`at`) and the one before (`previousAt`). Newest first. A viewer sees only its own client's.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: ChangesQuery },
  responses: {
    200: jsonResponse("Changes, newest first", ChangesResultSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerInventoryChanges(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const q = c.req.valid("query");
    const toMs = q.to === undefined ? Date.now() : parseInstant(q.to, "to");
    const fromMs = q.from === undefined ? toMs - DEFAULT_RANGE_MS : parseInstant(q.from, "from");
    if (fromMs >= toMs) throw ApiError.invalid("from", "must be before to");
    if (toMs - fromMs > MAX_RANGE_MS) throw ApiError.invalid("from", "range must not exceed 1830 days");
    assertClientVisible(c, q.clientId, "client");
    if (!(await findClient(store, q.clientId))) throw ApiError.notFound("client");
    // Changes are derived from the stored inventories; documents not compared yet are compared now (once).
    await recordInventoryChanges(store, { clientId: q.clientId, agentId: q.hostId, fromMs, toMs });
    const rows = await readChanges(store, { clientId: q.clientId, agentId: q.hostId, category: q.category, fromMs, toMs, limit: q.limit });
    return c.json(
      {
        from: iso(fromMs),
        to: iso(toMs),
        items: rows.map((r) => ({
          hostId: r.agent_id,
          hostname: r.hostname,
          siteId: r.site_id,
          at: iso(Number(r.ts)),
          previousAt: iso(Number(r.prev_ts)),
          category: r.category as ChangeCategory,
          change: r.change as ChangeKind,
          item: r.item,
          before: r.before,
          after: r.after,
        })),
      },
      200,
    );
  });
}
