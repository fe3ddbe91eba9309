import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { findClient, saveClient } from "../../store/queries/clients.js";
import { findClientPolicy, saveClientPolicy } from "../../store/queries/policies.js";
import { auditChange, POLICY_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, IdParams, jsonBody, jsonResponse } from "../schema.js";
import { effectivePolicy, patchPolicy, policyProblems } from "../../evidence/client-policy.js";
import { canonicalTimeZone, clientDetail, ClientDetailSchema, PatchClientSchema } from "./schema.js";

const route = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["clients"],
  summary: "Change a client and its availability policy",
  description:
    "Any of name, timezone, currency and the policy: sloPct, businessCalendar, costModel, reportRecipients, " +
    "reportSchedule. A policy field given replaces the stored one whole; null removes it, so it takes its default " +
    "again (see `effective`). The business calendar is read in the client's time zone and the cost model is in " +
    "the client's currency. Nothing is stored unless everything is valid; every change is audited.",
  middleware: [requireRole(...POLICY_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchClientSchema) },
  responses: {
    200: jsonResponse("The client with its policy", ClientDetailSchema),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

export function registerPatchClient(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store } = c.var.deps;
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const [current, policy] = await Promise.all([findClient(store, id), findClientPolicy(store, id)]);
    if (!current) throw ApiError.notFound("client");
    const { updated_at: _updatedAt, ...before } = current;
    const after = {
      ...before,
      name: body.name ?? before.name,
      timezone: body.timezone === undefined ? before.timezone : canonicalTimeZone(body.timezone),
      currency: body.currency ?? before.currency,
    };
    const nextPolicy = patchPolicy(policy, body);
    const problems = policyProblems(nextPolicy, after.timezone);
    if (problems.length > 0) throw ApiError.problems(problems);

    const clientChanged = after.name !== before.name || after.timezone !== before.timezone || after.currency !== before.currency;
    const policyChanged = JSON.stringify(nextPolicy) !== JSON.stringify(policy);
    if (clientChanged) await saveClient(store, after);
    if (policyChanged) await saveClientPolicy(store, id, nextPolicy, principalOf(c).subject);
    if (clientChanged || policyChanged) {
      const view = (row: typeof before, p: typeof policy) => ({ name: row.name, timezone: row.timezone, currency: row.currency, policy: p });
      await auditChange(c, { clientId: id, entity: "client", entityId: id, action: "update", before: view(before, policy), after: view(after, nextPolicy) });
    }
    return c.json(clientDetail(after, nextPolicy, effectivePolicy(after, nextPolicy)), 200);
  });
}
