import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { buildSlaReport } from "../../reports/sla/build.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses } from "../schema.js";
import { reportContext } from "./context.js";
import { sendSlaReport } from "./respond.js";
import { SlaReportQuery, SlaReportSchema } from "./sla-schema.js";

const route = createRoute({
  method: "get",
  path: "/sla",
  tags: ["reports"],
  summary: "SLA and downtime-cost report of a client, site or host",
  description:
    "Availability over the period from the hosts' evidence (samples, reboots, goodbyes, checks, site outages, the " +
    "collector's own uptime), with maintenance and excluded incidents left out, the incidents, MTTR/MTBF/MTTA, the error " +
    "budget, and the downtime cost with its formula and inputs; `previousPeriod` has the same figures for the period of " +
    "equal length before. `hours=business` counts only the client's business hours. `format=csv|pdf` downloads it.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: SlaReportQuery },
  responses: {
    200: {
      description: "The report",
      content: {
        "application/json": { schema: SlaReportSchema },
        "text/csv": { schema: { type: "string" } },
        "application/pdf": { schema: { type: "string", format: "binary" } },
      },
    },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerSlaReport(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const q = c.req.valid("query");
    assertClientVisible(c, q.clientId, "client");
    // A period that has not begun has no evidence at all: say so rather than answer a report of nothing.
    if (Date.parse(q.from) > Date.now()) throw ApiError.invalid("from", "is in the future: the period has not started yet");
    const report = await buildSlaReport(reportContext(c), {
      clientId: q.clientId,
      from: Date.parse(q.from),
      to: Date.parse(q.to),
      hours: q.hours,
      ...(q.siteId ? { siteId: q.siteId } : {}),
      ...(q.hostId ? { hostId: q.hostId } : {}),
    });
    return sendSlaReport(c, report, q.format);
  });
}
