import type { Context } from "hono";
import { recordAudit } from "../store/queries/audit.js";
import { principalOf, type Principal, type Role } from "./auth.js";
import { ApiError } from "./errors.js";
import type { ApiEnv } from "./router.js";

// Who may read and change what, beyond requireRole: a viewer sees one client, and every change is audited.

/** Roles that may read a client's data; a viewer only its own client's. */
export const READ_ROLES: readonly Role[] = ["admin", "technician", "vcio", "viewer"];

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

/** What changed, for the audit log. */
export interface Change {
  clientId: string;
  /** Alerting configuration (`alert_rule`, `alert_channel`, `alert_route`, `silence`) that applies to every client has clientId ''. */
  entity: "client" | "site" | "host_profile" | "maintenance_window" | "incident" | "report_run" | "alert_rule" | "alert_channel" | "alert_route" | "silence";
  entityId: string;
  action: "create" | "update" | "delete";
  before: unknown;
  after: unknown;
}

/** Appends an audit entry for a change made by the request's principal (its subject is the actor). */
export async function auditChange(c: Context<ApiEnv>, change: Change): Promise<void> {
  await recordAudit(c.var.deps.store, { ...change, at: Date.now(), actor: principalOf(c).subject });
}
