import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findAgent } from "../../store/queries/agents.js";
import { hostProfiles, saveHostProfile, type HostProfile } from "../../store/queries/policies.js";
import { auditChange, OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { HostProfileInputSchema, HostProfileSchema, profileView } from "./schema.js";

const route = createRoute({
  method: "put",
  path: "/{id}/profile",
  tags: ["hosts"],
  summary: "Set what a host means to the business",
  description:
    "Replaces the host's profile: role, tier, criticality, the share of the business its outage takes down (used by " +
    "the downtime cost) and tags. A field left out takes its default. Every change is audited.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(HostProfileInputSchema) },
  responses: {
    200: jsonResponse("The host's profile", HostProfileSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerPutHostProfile(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const host = await findAgent(store, id);
    if (!host) throw ApiError.notFound("host");
    const previous = (await hostProfiles(store, { clientId: host.client_id })).get(id);
    const profile: HostProfile = { hostId: id, clientId: host.client_id, ...body, tags: [...new Set(body.tags)] };
    const before = previous ? profileView(previous) : null;
    const after = profileView(profile);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await saveHostProfile(store, profile, principalOf(c).subject);
      await auditChange(c, { clientId: host.client_id, entity: "host_profile", entityId: id, action: previous ? "update" : "create", before, after });
    }
    return c.json(after, 200);
  });
}
