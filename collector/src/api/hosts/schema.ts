import { z } from "@hono/zod-openapi";
import type { AgentRow } from "../../store/queries/agents.js";
import type { HostProfile } from "../../store/queries/policies.js";
import type { AgentPresence } from "../app.js";
import { iso, Timestamp } from "../schema.js";

export const HostStatus = z.enum(["online", "offline", "pending", "revoked"]).openapi({
  description:
    "online: connected now; revoked: its agent was revoked; pending: enrolled but never sent data; offline: otherwise",
});

export const HostSchema = z
  .object({
    id: z.string().openapi({ description: "The agent id", example: "aG3nTxxIdQ2w9aBc" }),
    hostname: z.string().openapi({ example: "fileserver01" }),
    clientId: z.string(),
    siteId: z.string(),
    status: HostStatus,
    lastSeenAt: Timestamp.nullable().openapi({ description: "Last frame or stored data from the agent; null if never" }),
    agentVersion: z.string().openapi({ example: "0.1.0" }),
    os: z.object({
      platform: z.string().openapi({ example: "linux" }),
      release: z.string().openapi({ example: "6.1.0-18-amd64" }),
      arch: z.string().openapi({ example: "x64" }),
    }),
    enrolledAt: Timestamp,
    revokedAt: Timestamp.nullable(),
  })
  .openapi("Host");
export type Host = z.infer<typeof HostSchema>;

const SHARE_PROBLEM = "must be a share from 0 to 1 (1 = the whole business), or null for an equal share";

/** Body of `PUT /hosts/{id}/profile`: the whole profile; a field left out takes its default. */
export const HostProfileInputSchema = z
  .object({
    role: z.string().trim().max(100).default("").openapi({ example: "file server", description: "What the host does, free text" }),
    tier: z.string().trim().max(40).default("").openapi({ example: "tier-1", description: "Service tier, free text" }),
    criticality: z.enum(["critical", "high", "normal", "low"]).default("normal").openapi({ description: 'How much it matters; default "normal"' }),
    businessShare: z
      .number()
      .min(0, { error: SHARE_PROBLEM })
      .max(1, { error: SHARE_PROBLEM })
      .nullable()
      .default(null)
      .openapi({ example: 1, description: "Share of the business its outage takes down (0–1); null: an equal share of the client's hosts" }),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]).openapi({ example: ["erp", "finance"], description: "At most 20" }),
  })
  .strict()
  .openapi("HostProfileInput");

/** What a host means to the business. */
export const HostProfileSchema = z
  .object({
    role: z.string(),
    tier: z.string(),
    criticality: z.enum(["critical", "high", "normal", "low"]),
    businessShare: z.number().nullable(),
    tags: z.array(z.string()),
  })
  .openapi("HostProfile");

/** A host with its profile (null: none set — criticality normal, an equal share of the business). */
export const HostDetailSchema = HostSchema.extend({ profile: HostProfileSchema.nullable() }).openapi("HostDetail");

/** The API view of a stored host profile. */
export function profileView(p: HostProfile): z.infer<typeof HostProfileSchema> {
  return { role: p.role, tier: p.tier, criticality: p.criticality, businessShare: p.businessShare, tags: p.tags };
}

export const HostListQuery = z.object({
  clientId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "clientId", in: "query" }, description: "Only this client's hosts" }),
  siteId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ param: { name: "siteId", in: "query" }, description: "Only this site's hosts" }),
});

export const HostListSchema = z.object({ items: z.array(HostSchema) }).openapi("HostList");

/** The API view of an agent: its row, when the collector last stored its data, and its live connection. */
export function hostFromRow(row: AgentRow, lastReceived: number | undefined, presence: AgentPresence): Host {
  const live = presence.lastSeen(row.id);
  const seen = [live, lastReceived].filter((t): t is number => t !== undefined && Number.isFinite(t) && t > 0);
  const lastSeen = seen.length ? Math.max(...seen) : null;
  const status =
    row.revoked_at !== null
      ? "revoked"
      : presence.isConnected(row.id)
        ? "online"
        : lastSeen === null
          ? "pending"
          : "offline";
  return {
    id: row.id,
    hostname: row.hostname,
    clientId: row.client_id,
    siteId: row.site_id,
    status,
    lastSeenAt: lastSeen === null ? null : iso(lastSeen),
    agentVersion: row.agent_version,
    os: { platform: row.os_platform, release: row.os_release, arch: row.os_arch },
    enrolledAt: iso(row.enrolled_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
  };
}
