import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AlertSeverity } from "../../alerts/channels/index.js";
import { BUILTIN_RULES, DEFAULT_SEVERITY, RULE_NAMES, type AlertRule } from "../../alerts/rules.js";
import { newId } from "../../auth/secrets.js";
import { findRule, listRules, saveRule } from "../../store/queries/alert-config.js";
import { auditChange, OPERATE_ROLES, STAFF_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { CreateRuleSchema, PatchRuleSchema, RuleListQuery, RuleListSchema, RuleSchema, ruleView, validParams, type CreateRule } from "./schema.js";
import { scopeClient } from "./scope.js";

const tags = ["alert-rules"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List alert rules, and the built-in defaults",
  description:
    "For a host, the most specific rule of a kind wins (host > tag > site > client > global > built-in); threshold rules per metric and severity. A disabled rule switches its kind off for its scope.",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { query: RuleListQuery },
  responses: { 200: jsonResponse("Stored rules and the defaults", RuleListSchema), ...errorResponses(400, 401, 403, 503) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One alert rule",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The rule", RuleSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const post = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create an alert rule",
  description: "Unknown fields and parameters out of range are refused with a 400 naming the field (`params.above: ...`).",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateRuleSchema) },
  responses: { 201: jsonResponse("The rule", RuleSchema), ...errorResponses(400, 401, 403, 503) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change an alert rule's name, severity, parameters or enabled flag",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchRuleSchema) },
  responses: { 200: jsonResponse("The rule", RuleSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const del = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete an alert rule; what it overrode applies again",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404, 503) },
});

export function registerAlertRules(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(list, async (c) => {
    const rules = await listRules(c.var.deps.store, c.req.valid("query"));
    return c.json({ items: rules.map(ruleView), defaults: BUILTIN_RULES.map(ruleView) }, 200);
  });

  api.openapi(get, async (c) => {
    const rule = await findRule(c.var.deps.store, c.req.valid("param").id);
    if (!rule) throw ApiError.notFound("alert rule");
    return c.json(ruleView(rule), 200);
  });

  api.openapi(post, async (c) => {
    const { store, logger } = c.var.deps;
    const body = c.req.valid("json") as CreateRule;
    const clientId = await scopeClient(store, body.scope, body.clientId);
    const now = Date.now();
    const rule: AlertRule = {
      id: newId(),
      clientId,
      scope: body.scope,
      name: body.name ?? RULE_NAMES[body.kind],
      kind: body.kind,
      params: validParams(body.kind, body.params),
      severity: (body.severity as AlertSeverity | undefined) ?? DEFAULT_SEVERITY[body.kind],
      enabled: body.enabled,
      createdAt: now,
      createdBy: principalOf(c).subject,
      updatedAt: now,
    };
    await saveRule(store, rule);
    await auditChange(c, { clientId, entity: "alert_rule", entityId: rule.id, action: "create", before: null, after: ruleView(rule) });
    logger.info({ ruleId: rule.id, kind: rule.kind, scope: rule.scope }, "alert rule created");
    return c.json(ruleView(rule), 201);
  });

  api.openapi(patch, async (c) => {
    const { store, logger } = c.var.deps;
    const rule = await findRule(store, c.req.valid("param").id);
    if (!rule) throw ApiError.notFound("alert rule");
    const body = c.req.valid("json");
    const next: AlertRule = {
      ...rule,
      name: body.name ?? rule.name,
      severity: (body.severity as AlertSeverity | undefined) ?? rule.severity,
      enabled: body.enabled ?? rule.enabled,
      params: body.params === undefined ? rule.params : validParams(rule.kind, body.params),
      updatedAt: Date.now(),
    };
    await saveRule(store, next);
    await auditChange(c, { clientId: rule.clientId, entity: "alert_rule", entityId: rule.id, action: "update", before: ruleView(rule), after: ruleView(next) });
    logger.info({ ruleId: rule.id }, "alert rule changed");
    return c.json(ruleView(next), 200);
  });

  api.openapi(del, async (c) => {
    const { store, logger } = c.var.deps;
    const rule = await findRule(store, c.req.valid("param").id);
    if (!rule) throw ApiError.notFound("alert rule");
    await saveRule(store, { ...rule, updatedAt: Date.now() }, true);
    await auditChange(c, { clientId: rule.clientId, entity: "alert_rule", entityId: rule.id, action: "delete", before: ruleView(rule), after: null });
    logger.info({ ruleId: rule.id }, "alert rule deleted");
    return c.body(null, 204);
  });
}
