import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { lifecycleReport } from "../../inventory/lifecycle.js";
import { findClient } from "../../store/queries/clients.js";
import { assertClientVisible, READ_ROLES } from "../access.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses } from "../schema.js";
import { toCsv } from "../../reports/csv.js";
import { LifecycleQuery, LifecycleReportSchema } from "./schema.js";

const route = createRoute({
  method: "get",
  path: "/lifecycle",
  tags: ["reports"],
  summary: "Lifecycle risks of a client's hosts, for the QBR",
  description:
    "Operating systems past or within 180 days of their end of support (from the end-of-life table, with its sources; " +
    "releases it does not know are listed as unknown, never as supported), hardware five or more years old (from the " +
    "BIOS date, or first seen), disks reporting SMART failure, and filesystems forecast to fill within 30 days (linear " +
    "trend of fs.used_bytes). Each risk has a severity and a recommendation. `format=csv` gives one row per risk. " +
    "A viewer sees only its own client's.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: LifecycleQuery },
  responses: {
    200: {
      description: "The report, most severe and most urgent first",
      content: {
        "application/json": { schema: LifecycleReportSchema },
        "text/csv": { schema: { type: "string" } },
      },
    },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

const CSV_HEADER = ["severity", "category", "hostname", "host_id", "site_id", "title", "due_date", "recommendation", "detail", "source"];

export function registerLifecycleReport(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const q = c.req.valid("query");
    assertClientVisible(c, q.clientId, "client");
    const client = await findClient(store, q.clientId);
    if (!client) throw ApiError.notFound("client");
    const report = await lifecycleReport(store, client);
    if (q.format === "csv") {
      const csv = toCsv(
        CSV_HEADER,
        report.risks.map((r) => [r.severity, r.category, r.hostname, r.hostId, r.siteId, r.title, r.dueDate, r.recommendation, r.detail, r.source]),
      );
      const day = report.generatedAt.slice(0, 10);
      const safeName = client.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "client";
      return c.body(csv, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="lifecycle-${safeName}-${day}.csv"`,
      });
    }
    return c.json(report, 200);
  });
}
