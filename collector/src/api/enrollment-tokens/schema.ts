import { z } from "@hono/zod-openapi";
import type { EnrollmentTokenRow } from "../../store/queries/enrollment-tokens.js";
import { iso, Timestamp } from "../schema.js";

export const DEFAULT_EXPIRY_SECONDS = 7 * 86_400;
export const MIN_EXPIRY_SECONDS = 60;
export const MAX_EXPIRY_SECONDS = 365 * 86_400;

export const CreateEnrollmentTokenSchema = z
  .object({
    clientId: z.string().min(1).max(64).openapi({ example: "k3JxA9bq2xPwLm0T" }),
    siteId: z.string().min(1).max(64).openapi({ example: "Qm9aXc2LpR7tHw1e" }),
    expiresInSeconds: z
      .number()
      .int()
      .min(MIN_EXPIRY_SECONDS)
      .max(MAX_EXPIRY_SECONDS)
      .optional()
      .openapi({ example: DEFAULT_EXPIRY_SECONDS, description: "Lifetime in seconds; default 7 days" }),
  })
  .openapi("CreateEnrollmentToken");

/** An enrollment token as listed: never the token or its hash. */
export const EnrollmentTokenSchema = z
  .object({
    id: z.string().openapi({ example: "T0kxnIdxxQ2w9aBc" }),
    clientId: z.string(),
    siteId: z.string(),
    expiresAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("EnrollmentToken");
export type EnrollmentToken = z.infer<typeof EnrollmentTokenSchema>;

/** Answer to creating a token: the only time the token itself is shown. */
export const CreatedEnrollmentTokenSchema = z
  .object({
    id: z.string().openapi({ example: "T0kxnIdxxQ2w9aBc" }),
    token: z.string().openapi({ description: "Secret; shown once", example: "vge_T0kxnIdxxQ2w9aBc_…" }),
    clientId: z.string(),
    siteId: z.string(),
    expiresAt: Timestamp,
    installCommand: z.string().openapi({
      description: "Linux one-liner that installs the agent as a service, enrolls it and starts it (Windows and macOS: see deploy/README.md)",
    }),
  })
  .openapi("CreatedEnrollmentToken");

export const EnrollmentTokenListQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "clientId", in: "query" }, description: "Only this client's tokens" }),
});

export const EnrollmentTokenListSchema = z.object({ items: z.array(EnrollmentTokenSchema) }).openapi("EnrollmentTokenList");

/** The listed view of a stored token. */
export function enrollmentTokenFromRow(row: EnrollmentTokenRow): EnrollmentToken {
  return {
    id: row.id,
    clientId: row.client_id,
    siteId: row.site_id,
    expiresAt: iso(row.expires_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    createdAt: iso(row.created_at),
  };
}

/**
 * The Linux one-liner a technician runs on a host: the collector's install.sh installs the agent as a
 * service, enrolls it with the token and starts it (deploy/agent/install.sh). Both parts are safe in a
 * shell unquoted: the URL was checked at start-up and tokens are [A-Za-z0-9_-] only.
 */
export function installCommand(publicUrl: string, token: string): string {
  return `curl -fsSL ${publicUrl}/install.sh | sudo sh -s -- --token ${token}`;
}
