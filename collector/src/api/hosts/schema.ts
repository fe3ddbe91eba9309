import { z } from "@hono/zod-openapi";
import type { AgentRow } from "../../store/queries/agents.js";
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
