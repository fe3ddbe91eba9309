import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { generateToken, hashToken, newId } from "../../auth/secrets.js";
import { findClient } from "../../store/queries/clients.js";
import { saveEnrollmentToken } from "../../store/queries/enrollment-tokens.js";
import { findSite } from "../../store/queries/sites.js";
import { OPERATE_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses, iso, jsonBody, jsonResponse } from "../schema.js";
import {
  CreatedEnrollmentTokenSchema,
  CreateEnrollmentTokenSchema,
  DEFAULT_EXPIRY_SECONDS,
  installCommand,
} from "./schema.js";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["enrollment-tokens"],
  summary: "Create an enrollment token for a client's site",
  description: "The token is returned once; only its hash is stored.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateEnrollmentTokenSchema) },
  responses: {
    201: jsonResponse("The new token and the command that installs an agent with it", CreatedEnrollmentTokenSchema),
    ...errorResponses(400, 401, 403, 503),
  },
});

export function registerPostEnrollmentToken(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, async (c) => {
    const { store, publicUrl, logger } = c.var.deps;
    const body = c.req.valid("json");
    if (!(await findClient(store, body.clientId))) throw ApiError.invalid("clientId", "no such client");
    const site = await findSite(store, body.siteId);
    if (!site || site.client_id !== body.clientId) throw ApiError.invalid("siteId", "no such site for this client");
    const id = newId();
    const token = generateToken("vge", id);
    const now = Date.now();
    const expiresAt = now + (body.expiresInSeconds ?? DEFAULT_EXPIRY_SECONDS) * 1000;
    await saveEnrollmentToken(store, {
      id,
      client_id: body.clientId,
      site_id: body.siteId,
      token_hash: hashToken(token),
      expires_at: expiresAt,
      revoked_at: null,
      created_at: now,
      created_by: principalOf(c).subject,
    });
    logger.info({ enrollmentTokenId: id, clientId: body.clientId, siteId: body.siteId }, "enrollment token created");
    return c.json(
      {
        id,
        token,
        clientId: body.clientId,
        siteId: body.siteId,
        expiresAt: iso(expiresAt),
        installCommand: installCommand(publicUrl, token),
      },
      201,
    );
  });
}
