import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { buildFleetReport } from "../../reports/fleet.js";
import { fleetReportCsv } from "../../reports/sla/csv.js";
import { STAFF_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses } from "../schema.js";
import { reportContext } from "./context.js";
import { FleetReportQuery, FleetReportSchema } from "./sla-schema.js";

const route = createRoute({
  method: "get",
  path: "/fleet",
  tags: ["reports"],
  summary: "Every client's SLA figures and downtime cost, for the MSP itself",
  description: "An aggregate across clients: the MSP's staff only, never a viewer.",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { query: FleetReportQuery },
  responses: {
    200: {
      description: "One line per client",
      content: { "application/json": { schema: FleetReportSchema }, "text/csv": { schema: { type: "string" } } },
    },
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerFleetReport(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const q = c.req.valid("query");
    const report = await buildFleetReport(reportContext(c), { from: Date.parse(q.from), to: Date.parse(q.to), hours: q.hours });
    if (q.format === "csv") {
      return c.body(fleetReportCsv(report), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="fleet-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}.csv"`,
      });
    }
    return c.json(report, 200);
  });
}
