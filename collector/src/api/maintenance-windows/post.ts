import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { newId } from "../../auth/secrets.js";
import { addDays, formatLocalDate } from "../../availability/civil-time.js";
import { expandMaintenance, maintenanceWindowProblems, newMaintenanceWindowProblems, type MaintenanceWindow } from "../../availability/maintenance.js";
import { localDateOf } from "../../availability/timezone.js";
import type { Store } from "../../store/clickhouse.js";
import { findAgent } from "../../store/queries/agents.js";
import { findClient, type ClientRow } from "../../store/queries/clients.js";
import { listMaintenanceWindows, saveMaintenanceWindow, type StoredMaintenanceWindow } from "../../store/queries/maintenance.js";
import { siteTimezones } from "../../store/queries/policies.js";
import { findSite } from "../../store/queries/sites.js";
import { auditChange, OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { CreateMaintenanceWindowSchema, MaintenanceWindowSchema, windowView, type CreateMaintenanceWindow } from "./schema.js";

/** Overlaps with recurring windows of the same scope are looked for this far either side of now. */
export const OVERLAP_HORIZON_MS = 366 * 86_400_000;

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["maintenance-windows"],
  summary: "Add a maintenance window",
  description:
    "A one-off window (two instants), or a weekly or monthly one (local start time and real duration in `timezone`, " +
    "by default the scope's). Time inside it is MAINTENANCE: excluded from the SLA. The scope (a client, one of its " +
    "sites or hosts) must belong to the client. Windows of the same scope must not overlap (recurring ones are " +
    `compared over ${OVERLAP_HORIZON_MS / 86_400_000} days either side of now). A window that covers time before now ` +
    "was recorded afterwards: it needs a non-empty reason and is stored with planned = false. Audited.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateMaintenanceWindowSchema) },
  responses: {
    201: jsonResponse("The new window", MaintenanceWindowSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerPostMaintenanceWindow(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const body = c.req.valid("json");
    const client = await findClient(store, body.clientId);
    if (!client) throw ApiError.notFound("client");
    const scopeZone = await scopeTimezone(store, client, body.scope);
    const now = Date.now();

    let window = coreWindow(newId(), body, scopeZone);
    const own = maintenanceWindowProblems(window);
    if (own.length > 0) throw ApiError.problems(own);
    if (window.kind !== "once" && window.firstDate === undefined) window = { ...window, firstDate: nextOccurrenceDate(window, now) };

    const existing = await listMaintenanceWindows(store, { clientId: client.id });
    const horizon = { start: now - OVERLAP_HORIZON_MS, end: now + OVERLAP_HORIZON_MS };
    const overlap = newMaintenanceWindowProblems(window, existing.map((w) => w.window), horizon);
    if (overlap.length > 0) throw ApiError.problems(overlap);

    // Maintenance entered after the fact moves downtime out of the SLA: it must say why, and is not "planned".
    const afterwards = window.kind === "once" ? window.start < now : expandMaintenance(window, 0, now).length > 0;
    const reason = body.reason.trim();
    if ((afterwards || !body.planned) && reason === "") {
      throw ApiError.invalid("reason", afterwards ? "required: the window covers time before now (recorded afterwards)" : "required for unplanned maintenance");
    }
    const stored: StoredMaintenanceWindow = {
      id: window.id,
      clientId: client.id,
      window: { ...window, reason },
      reason,
      planned: body.planned && !afterwards,
      createdAt: now,
      createdBy: principalOf(c).subject,
    };
    await saveMaintenanceWindow(store, stored);
    const view = windowView(stored);
    await auditChange(c, { clientId: client.id, entity: "maintenance_window", entityId: stored.id, action: "create", before: null, after: view });
    return c.json(view, 201);
  });
}

// The core's window from the request: instants as epoch ms, the zone defaulted to the scope's.
function coreWindow(id: string, body: CreateMaintenanceWindow, scopeZone: string): MaintenanceWindow {
  const { clientId: _clientId, planned: _planned, reason: _reason, ...w } = body;
  if (w.kind === "once") return { ...w, id, start: Date.parse(w.start), end: Date.parse(w.end) };
  const recurring = { ...w, id, timezone: w.timezone ?? scopeZone };
  return recurring as MaintenanceWindow;
}

// A recurring window without firstDate starts with its next occurrence, so adding one never rewrites the past:
// today, unless an occurrence today has already begun, then tomorrow.
function nextOccurrenceDate(window: Exclude<MaintenanceWindow, { kind: "once" }>, now: number): string {
  const today = localDateOf(now, window.timezone);
  const fromToday = { ...window, firstDate: formatLocalDate(today) };
  return expandMaintenance(fromToday, now - 86_400_000, now).length > 0 ? formatLocalDate(addDays(today, 1)) : fromToday.firstDate;
}

// The zone a recurring window of this scope is read in by default; 404 for an unknown site or host, 400 for
// one of another client.
async function scopeTimezone(store: Store, client: ClientRow, scope: CreateMaintenanceWindow["scope"]): Promise<string> {
  if (scope.level === "client") {
    if (scope.id !== client.id) throw ApiError.invalid("scope.id", "a client-wide window's scope.id must be its clientId");
    return client.timezone;
  }
  let siteId = scope.id;
  if (scope.level === "host") {
    const host = await findAgent(store, scope.id);
    if (!host) throw ApiError.notFound("host");
    if (host.client_id !== client.id) throw ApiError.invalid("scope.id", "the host belongs to another client");
    siteId = host.site_id;
  } else {
    const site = await findSite(store, scope.id);
    if (!site) throw ApiError.notFound("site");
    if (site.client_id !== client.id) throw ApiError.invalid("scope.id", "the site belongs to another client");
  }
  return (await siteTimezones(store, { clientId: client.id })).get(siteId) ?? client.timezone;
}
