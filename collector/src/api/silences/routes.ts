import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import type { AlertSeverity } from "../../alerts/channels/index.js";
import { listSilences, saveSilence, type AlertSilence } from "../../store/queries/alert-config.js";
import { auditChange, OPERATE_ROLES, STAFF_ROLES } from "../access.js";
import { scopeClient } from "../alert-rules/scope.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { CreateSilenceSchema, SilenceListQuery, SilenceListSchema, SilenceSchema, silenceView } from "./schema.js";

const MAX_SILENCE_MS = 90 * 86_400_000;

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["silences"],
  summary: "List silences (those not yet ended, unless expired=true)",
  description: "With `clientId`, that client's silences and the global ones. Alerting configuration: the MSP's staff only.",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { query: SilenceListQuery },
  responses: { 200: jsonResponse("The silences", SilenceListSchema), ...errorResponses(400, 401, 403, 503) },
});

const post = createRoute({
  method: "post",
  path: "/",
  tags: ["silences"],
  summary: "Silence alerts of a scope (and matcher) for a while",
  description:
    "While a silence holds, matching conditions raise no alert (they fire when it ends, if they still hold) and matching open alerts are neither repeated nor escalated. Maintenance windows silence the same way, for their scope.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateSilenceSchema) },
  responses: { 201: jsonResponse("The silence", SilenceSchema), ...errorResponses(400, 401, 403, 503) },
});

const del = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["silences"],
  summary: "End a silence now",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: "Ended" }, ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerSilences(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const silences = await listSilences(c.var.deps.store, { clientId: q.clientId, endsAfter: q.expired === "true" ? 0 : Date.now() });
    return c.json({ items: silences.map(silenceView) }, 200);
  });

  api.openapi(post, async (c) => {
    const { store, logger } = c.var.deps;
    const body = c.req.valid("json");
    const now = Date.now();
    const startsAt = body.startsAt ? Date.parse(body.startsAt) : now;
    if ((body.endsAt === undefined) === (body.minutes === undefined)) throw ApiError.invalid("endsAt", "give either endsAt or minutes");
    const endsAt = body.endsAt ? Date.parse(body.endsAt) : startsAt + body.minutes! * 60_000;
    if (endsAt <= startsAt) throw ApiError.invalid("endsAt", "must be after startsAt");
    if (endsAt <= now) throw ApiError.invalid("endsAt", "must be in the future");
    if (endsAt - startsAt > MAX_SILENCE_MS) throw ApiError.invalid("endsAt", "a silence lasts at most 90 days; use a maintenance window for recurring quiet times");
    const clientId = await scopeClient(store, body.scope, body.clientId);
    const silence: AlertSilence = {
      id: newId(),
      clientId,
      scope: body.scope,
      matcher: { ...body.matcher, severity: body.matcher.severity as AlertSeverity | undefined },
      startsAt,
      endsAt,
      reason: body.reason,
      createdAt: now,
      createdBy: principalOf(c).subject,
    };
    await saveSilence(store, silence);
    await auditChange(c, { clientId, entity: "silence", entityId: silence.id, action: "create", before: null, after: silenceView(silence) });
    logger.info({ silenceId: silence.id, scope: silence.scope, until: endsAt }, "silence created");
    return c.json(silenceView(silence), 201);
  });

  api.openapi(del, async (c) => {
    const { store, logger } = c.var.deps;
    const [silence] = await listSilences(store, { id: c.req.valid("param").id });
    if (!silence) throw ApiError.notFound("silence");
    await saveSilence(store, silence, true);
    await auditChange(c, { clientId: silence.clientId, entity: "silence", entityId: silence.id, action: "delete", before: silenceView(silence), after: null });
    logger.info({ silenceId: silence.id }, "silence ended");
    return c.body(null, 204);
  });
}
