import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { generateToken, hashToken, newId, parseToken, tokenMatches } from "../../auth/secrets.js";
import { findAgentByMachine, saveAgent } from "../../store/queries/agents.js";
import { findEnrollmentToken } from "../../store/queries/enrollment-tokens.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { EnrollRequestSchema, EnrollResponseSchema } from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/enroll",
  tags: ["agents"],
  summary: "Exchange an enrollment token for an agent id and agent token",
  description:
    "No API token: the enrollment token is the credential. A machine that enrolls again into the same client " +
    "(same machineId) keeps its agent id and gets a new agent token; the old one stops working. " +
    "401 codes: `unauthorized` (unknown or malformed token), `token_expired`, `token_revoked`.",
  security: [],
  request: { body: jsonBody(EnrollRequestSchema) },
  responses: {
    201: jsonResponse("Enrolled; the agent token is shown once", EnrollResponseSchema),
    ...errorResponses(400, 401, 503),
  },
});

export function registerEnrollAgent(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, logger } = c.var.deps;
    const body = c.req.valid("json");
    const parsed = parseToken(body.token, "vge");
    const grant = parsed ? await findEnrollmentToken(store, parsed.id) : null;
    if (!grant || !tokenMatches(body.token, grant.token_hash)) throw ApiError.unauthorized("enrollment token is not valid");
    const now = Date.now();
    if (grant.revoked_at !== null) throw new ApiError(401, "token_revoked", "enrollment token was revoked");
    if (grant.expires_at <= now) throw new ApiError(401, "token_expired", "enrollment token has expired");

    const existing = body.machineId ? await findAgentByMachine(store, grant.client_id, body.machineId) : null;
    const agentId = existing?.id ?? newId();
    const agentToken = generateToken("vga", agentId);
    await saveAgent(store, {
      id: agentId,
      client_id: grant.client_id,
      site_id: grant.site_id,
      hostname: body.hostname,
      machine_id: body.machineId ?? "",
      token_hash: hashToken(agentToken),
      agent_version: body.agentVersion,
      os_platform: body.os?.platform ?? "",
      os_release: body.os?.release ?? "",
      os_arch: body.os?.arch ?? "",
      enrollment_token_id: grant.id,
      // A re-enrolled host keeps its history: monitoring began at the first enrollment.
      enrolled_at: existing?.enrolled_at ?? now,
      revoked_at: null,
      updated_at: now,
    });
    logger.info(
      { agentId, clientId: grant.client_id, siteId: grant.site_id, enrollmentTokenId: grant.id, reenrolled: existing !== null },
      "agent enrolled",
    );
    return c.json({ agentId, agentToken, clientId: grant.client_id, siteId: grant.site_id }, 201);
  });
}
