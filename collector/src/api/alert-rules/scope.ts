import { z } from "@hono/zod-openapi";
import { SCOPE_LEVELS, type Scope } from "../../alerts/rules.js";
import type { Store } from "../../store/clickhouse.js";
import { findAgent } from "../../store/queries/agents.js";
import { findClient } from "../../store/queries/clients.js";
import { findSite } from "../../store/queries/sites.js";
import { ApiError } from "../errors.js";

/** Where a rule or silence applies. */
export const ScopeSchema = z
  .object({
    level: z.enum(SCOPE_LEVELS),
    id: z.string().max(64).default("").openapi({ description: "The client's, site's or host's id, or the tag (a host profile tag, or `tier:<tier>`); empty for global" }),
  })
  .strict()
  .openapi("AlertScope");

/**
 * Checks that the scope's client, site or host exists and returns the client it belongs to ('' for global,
 * and for a tag without `clientId`). A site or host of another client than `clientId` is refused.
 */
export async function scopeClient(store: Store, scope: Scope, clientId: string | null | undefined): Promise<string> {
  if (scope.level === "global") {
    if (scope.id) throw ApiError.invalid("scope.id", "must be empty for a global scope");
    if (clientId) throw ApiError.invalid("clientId", "must be empty for a global scope");
    return "";
  }
  if (!scope.id) throw ApiError.invalid("scope.id", "required");
  let owner: string;
  if (scope.level === "client") {
    if (!(await findClient(store, scope.id))) throw ApiError.invalid("scope.id", "no such client");
    owner = scope.id;
  } else if (scope.level === "site") {
    const site = await findSite(store, scope.id);
    if (!site) throw ApiError.invalid("scope.id", "no such site");
    owner = site.client_id;
  } else if (scope.level === "host") {
    const agent = await findAgent(store, scope.id);
    if (!agent) throw ApiError.invalid("scope.id", "no such host");
    owner = agent.client_id;
  } else {
    if (clientId && !(await findClient(store, clientId))) throw ApiError.invalid("clientId", "no such client");
    return clientId ?? "";
  }
  if (clientId && clientId !== owner) throw ApiError.invalid("scope.id", "belongs to another client than clientId");
  return owner;
}
