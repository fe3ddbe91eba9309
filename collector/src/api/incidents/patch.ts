import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findIncident } from "../../reports/incidents.js";
import { listAnnotations, saveAnnotation, type StoredAnnotation } from "../../store/queries/incident-annotations.js";
import { assertClientVisible, auditChange, STAFF_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import { reportContext } from "../reports/context.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { AnnotateIncidentSchema, IncidentIdParams, IncidentSchema } from "./schema.js";

const route = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["incidents"],
  summary: "Annotate an incident: root-cause note, SLA exclusion with a reason, acknowledgement",
  description: "Every change is written to the audit log with who made it and when. An excluded incident's time counts as excluded (E), not down (D).",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { params: IncidentIdParams, body: jsonBody(AnnotateIncidentSchema) },
  responses: { 200: jsonResponse("The incident as it now stands", IncidentSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerPatchIncident(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    if (body.excluded === true && !body.exclusionReason) throw ApiError.invalid("exclusionReason", "required when excluding an incident from the SLA");
    if (body.exclusionReason !== undefined && body.excluded !== true) throw ApiError.invalid("exclusionReason", "only with excluded: true");
    const ctx = reportContext(c);
    const incident = await findIncident(ctx, id);
    if (!incident) throw ApiError.notFound("incident");
    assertClientVisible(c, incident.clientId, "incident");
    const before = (await listAnnotations(ctx.store, { clientId: incident.clientId })).get(id);
    const now = Date.now();
    const actor = principalOf(c).subject;
    const after: StoredAnnotation = {
      incidentId: id,
      clientId: incident.clientId,
      hostId: incident.hostId,
      note: body.note === undefined ? (before?.note ?? "") : (body.note ?? ""),
      excluded: body.excluded ?? before?.excluded ?? false,
      exclusionReason: body.excluded === false ? "" : (body.exclusionReason ?? before?.exclusionReason ?? ""),
      acknowledgedAt: body.acknowledged ? (before?.acknowledgedAt ?? now) : (before?.acknowledgedAt ?? null),
      acknowledgedBy: body.acknowledged ? before?.acknowledgedBy || actor : (before?.acknowledgedBy ?? ""),
      updatedAt: now,
      updatedBy: actor,
    };
    await saveAnnotation(ctx.store, after);
    await auditChange(c, { clientId: incident.clientId, entity: "incident", entityId: id, action: "update", before: before ?? null, after });
    const updated = await findIncident(ctx, id);
    return c.json(updated ?? incident, 200);
  });
}
