import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import { buildSlaReport } from "../../reports/sla/build.js";
import type { SlaReport } from "../../reports/sla/report.js";
import { findReportRun, listReportRuns, saveReportRun, type ReportRunRow } from "../../store/queries/report-runs.js";
import { assertClientVisible, auditChange, POLICY_ROLES, READ_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import { reportContext } from "../reports/context.js";
import { sendSlaReport } from "../reports/respond.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, iso, jsonBody, jsonResponse } from "../schema.js";
import { CreateReportRunSchema, ReportRunGetQuery, ReportRunListQuery, ReportRunListSchema, ReportRunSchema } from "./schema.js";

const create = createRoute({
  method: "post",
  path: "/",
  tags: ["reports"],
  summary: "Generate an SLA report and freeze it with its inputs",
  description: "The stored report can be shown again unchanged (JSON, CSV or PDF) after the raw data behind it has aged out: a QBR figure stays reproducible.",
  middleware: [requireRole(...POLICY_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateReportRunSchema) },
  responses: { 201: jsonResponse("The frozen report", ReportRunSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["reports"],
  summary: "A client's frozen reports, newest first",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { query: ReportRunListQuery },
  responses: { 200: jsonResponse("Frozen reports without their bodies", ReportRunListSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["reports"],
  summary: "A frozen report, as JSON, CSV or PDF",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, query: ReportRunGetQuery },
  responses: {
    200: {
      description: "The frozen report",
      content: {
        "application/json": { schema: ReportRunSchema },
        "text/csv": { schema: { type: "string" } },
        "application/pdf": { schema: { type: "string", format: "binary" } },
      },
    },
    ...errorResponses(401, 403, 404, 503),
  },
});

function view(run: ReportRunRow) {
  return { id: run.id, clientId: run.clientId, label: run.label, params: run.params, createdAt: iso(run.createdAt), createdBy: run.createdBy };
}

/** `/api/v1/report-runs`: reports frozen with their inputs. */
export function registerReportRuns(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(create, async (c) => {
    const body = c.req.valid("json");
    assertClientVisible(c, body.clientId, "client");
    const params = {
      clientId: body.clientId,
      from: Date.parse(body.from),
      to: Date.parse(body.to),
      hours: body.hours,
      ...(body.siteId ? { siteId: body.siteId } : {}),
      ...(body.hostId ? { hostId: body.hostId } : {}),
    };
    const report = await buildSlaReport(reportContext(c), params);
    const run: ReportRunRow = {
      id: newId(),
      clientId: body.clientId,
      kind: "sla",
      label: body.label,
      params: { ...params, from: iso(params.from), to: iso(params.to) },
      report,
      createdAt: Date.now(),
      createdBy: principalOf(c).subject,
    };
    await saveReportRun(c.var.deps.store, run);
    await auditChange(c, { clientId: run.clientId, entity: "report_run", entityId: run.id, action: "create", before: null, after: { label: run.label, params: run.params } });
    return c.json({ ...view(run), report }, 201);
  });

  api.openapi(list, async (c) => {
    const { clientId } = c.req.valid("query");
    assertClientVisible(c, clientId, "client");
    const runs = await listReportRuns(c.var.deps.store, clientId);
    const items = [];
    for (const r of runs) {
      // Headline figures come from the stored body, read one at a time to keep the list light.
      const full = await findReportRun(c.var.deps.store, r.id);
      const rep = full?.report as SlaReport | undefined;
      items.push({ ...view(r), availabilityPct: rep?.availabilityPct ?? null, costTotal: rep?.cost.total ?? 0, currency: rep?.cost.currency ?? "" });
    }
    return c.json({ items }, 200);
  });

  api.openapi(get, async (c) => {
    const { id } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const run = await findReportRun(c.var.deps.store, id);
    if (!run) throw ApiError.notFound("report run");
    assertClientVisible(c, run.clientId, "report run");
    const report = run.report as SlaReport;
    if (format !== "json") return sendSlaReport(c, report, format);
    return c.json({ ...view(run), report }, 200);
  });
}
