import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AlertSeverity } from "../../alerts/channels/index.js";
import { newId } from "../../auth/secrets.js";
import type { Store } from "../../store/clickhouse.js";
import { listChannels, listRoutes, saveRoute, type AlertRoute, type EscalationStep } from "../../store/queries/alert-config.js";
import { findClient } from "../../store/queries/clients.js";
import { auditChange, OPERATE_ROLES, STAFF_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { CreateRouteSchema, PatchRouteSchema, RouteListQuery, RouteListSchema, RouteSchema, routeView } from "./schema.js";

const tags = ["alert-routes"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List alert routes",
  description:
    "An alert goes to the channels of every enabled route of its client (or of every client) that takes its severity, then up their escalation steps. Without a matching route it goes to every enabled global channel and every enabled channel of its client.",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { query: RouteListQuery },
  responses: { 200: jsonResponse("The routes", RouteListSchema), ...errorResponses(400, 401, 403, 503) },
});

const post = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create an alert route with its escalation steps",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateRouteSchema) },
  responses: { 201: jsonResponse("The route", RouteSchema), ...errorResponses(400, 401, 403, 503) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Change an alert route",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchRouteSchema) },
  responses: { 200: jsonResponse("The route", RouteSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const del = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete an alert route",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404, 503) },
});

/** Every channel id must exist and be global or the route's client's; a 400 names the first one that is not. */
async function checkChannels(store: Store, clientId: string, channelIds: readonly string[], escalation: readonly EscalationStep[]): Promise<void> {
  const usable = new Set((await listChannels(store, clientId ? { clientId, withGlobal: true } : { clientId: "" })).map((c) => c.id));
  channelIds.forEach((id, i) => {
    if (!usable.has(id)) throw ApiError.invalid(`channelIds.${i}`, clientId ? "no such channel for this client (or global)" : "no such global channel");
  });
  escalation.forEach((step, s) =>
    step.channelIds.forEach((id, i) => {
      if (!usable.has(id)) throw ApiError.invalid(`escalation.${s}.channelIds.${i}`, clientId ? "no such channel for this client (or global)" : "no such global channel");
    }),
  );
}

export function registerAlertRoutes(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(list, async (c) => {
    const routes = await listRoutes(c.var.deps.store, c.req.valid("query"));
    return c.json({ items: routes.map(routeView) }, 200);
  });

  api.openapi(post, async (c) => {
    const { store, logger } = c.var.deps;
    const body = c.req.valid("json");
    const clientId = body.clientId ?? "";
    if (clientId && !(await findClient(store, clientId))) throw ApiError.invalid("clientId", "no such client");
    await checkChannels(store, clientId, body.channelIds, body.escalation);
    const now = Date.now();
    const route: AlertRoute = {
      id: newId(),
      clientId,
      name: body.name,
      severities: body.severities as AlertSeverity[],
      channelIds: body.channelIds,
      escalation: body.escalation,
      enabled: body.enabled,
      createdAt: now,
      createdBy: principalOf(c).subject,
      updatedAt: now,
    };
    await saveRoute(store, route);
    await auditChange(c, { clientId, entity: "alert_route", entityId: route.id, action: "create", before: null, after: routeView(route) });
    logger.info({ routeId: route.id, clientId }, "alert route created");
    return c.json(routeView(route), 201);
  });

  api.openapi(patch, async (c) => {
    const { store, logger } = c.var.deps;
    const [route] = await listRoutes(store, { id: c.req.valid("param").id });
    if (!route) throw ApiError.notFound("alert route");
    const body = c.req.valid("json");
    const next: AlertRoute = {
      ...route,
      name: body.name ?? route.name,
      severities: (body.severities as AlertSeverity[] | undefined) ?? route.severities,
      channelIds: body.channelIds ?? route.channelIds,
      escalation: body.escalation ?? route.escalation,
      enabled: body.enabled ?? route.enabled,
      updatedAt: Date.now(),
    };
    await checkChannels(store, next.clientId, next.channelIds, next.escalation);
    await saveRoute(store, next);
    await auditChange(c, { clientId: route.clientId, entity: "alert_route", entityId: route.id, action: "update", before: routeView(route), after: routeView(next) });
    logger.info({ routeId: route.id }, "alert route changed");
    return c.json(routeView(next), 200);
  });

  api.openapi(del, async (c) => {
    const { store, logger } = c.var.deps;
    const [route] = await listRoutes(store, { id: c.req.valid("param").id });
    if (!route) throw ApiError.notFound("alert route");
    await saveRoute(store, { ...route, updatedAt: Date.now() }, true);
    await auditChange(c, { clientId: route.clientId, entity: "alert_route", entityId: route.id, action: "delete", before: routeView(route), after: null });
    logger.info({ routeId: route.id }, "alert route deleted");
    return c.body(null, 204);
  });
}
