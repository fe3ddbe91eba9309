import type { Context } from "hono";
import { recordAudit } from "../store/queries/audit.js";
import { principalOf, type Principal, type Role } from "./auth.js";
import { ApiError } from "./errors.js";
import type { ApiEnv } from "./router.js";

// Who may read and change what, beyond requireRole: a viewer sees one client, and every change is audited.

// The role matrix (README "Roles"): every route names one of these sets, never an ad-hoc list.

/** Roles that may read a client's data; a viewer only its own client's. */
export const READ_ROLES: readonly Role[] = ["admin", "technician", "vcio", "viewer"];

/** The MSP's own staff: read across clients (fleet report, alerting configuration, silences) and annotate incidents. */
export const STAFF_ROLES: readonly Role[] = ["admin", "technician", "vcio"];

/** Who runs the fleet: sites, enrollment tokens, hosts, maintenance, alert handling and alerting configuration. */
export const OPERATE_ROLES: readonly Role[] = ["admin", "technician"];

/** Who sets a client's policy (SLO, cost model, calendar, recipients) and freezes its reports. */
export const POLICY_ROLES: readonly Role[] = ["admin", "vcio"];

/** Who creates clients and manages users. */
export const ADMIN_ROLES: readonly Role[] = ["admin"];

/** Whether the principal may see this client's data (a viewer only its own client). */
export function canSeeClient(principal: Principal, clientId: string): boolean {
  return principal.role !== "viewer" || principal.clientId === clientId;
}

/**
 * Throws 404 `"<what> not found"` unless the caller may see the client. A viewer asking for another client's
 * resource gets the same answer as for one that does not exist, so ids of other clients do not leak.
 */
export function assertClientVisible(c: Context<ApiEnv>, clientId: string, what: string): void {
  if (!canSeeClient(principalOf(c), clientId)) throw ApiError.notFound(what);
}

/**
 * The client a list is narrowed to: for a viewer always its own (asking for another answers 404 "client not found",
 * as an unknown client does); for everyone else the client asked for, or undefined for every client.
 */
export function visibleClientId(c: Context<ApiEnv>, requested: string | undefined): string | undefined {
  const principal = principalOf(c);
  if (principal.role !== "viewer") return requested;
  if (requested !== undefined && requested !== principal.clientId) throw ApiError.notFound("client");
  return principal.clientId;
}

/** What changed, for the audit log. */
export interface Change {
  clientId: string;
  /** Alerting configuration (`alert_rule`, `alert_channel`, `alert_route`, `silence`) that applies to every client has clientId ''. */
  entity: "client" | "site" | "host_profile" | "maintenance_window" | "incident" | "report_run" | "alert_rule" | "alert_channel" | "alert_route" | "silence" | "user";
  entityId: string;
  action: "create" | "update" | "delete";
  before: unknown;
  after: unknown;
}

/** Appends an audit entry for a change made by the request's principal (its subject is the actor). */
export async function auditChange(c: Context<ApiEnv>, change: Change): Promise<void> {
  await recordAudit(c.var.deps.store, { ...change, at: Date.now(), actor: principalOf(c).subject });
}
