import { z } from "@hono/zod-openapi";
import { Timestamp } from "../schema.js";

export const FleetStatusSchema = z.enum(["up", "down", "stopped", "maintenance", "never", "revoked"]).openapi("FleetStatus", {
  description:
    "up: an agent connection is live; down: the connection was lost without a goodbye; stopped: the agent said goodbye (service stop, shutdown, reboot); maintenance: inside a maintenance window now; never: enrolled, never connected; revoked: its agent token was revoked",
});

export const RollupStatusSchema = z.enum(["up", "down", "stopped", "maintenance", "never", "empty"]).openapi("FleetRollupStatus", {
  description: "down or stopped when any host is, else up when any host is, else maintenance, else never; empty without hosts (revoked hosts are not counted)",
});

/** How many hosts are in each status, and open alerts. */
export const FleetCountsSchema = z
  .object({
    hosts: z.number().int(),
    up: z.number().int(),
    down: z.number().int(),
    stopped: z.number().int(),
    maintenance: z.number().int(),
    never: z.number().int(),
    revoked: z.number().int(),
    firingAlerts: z.number().int().openapi({ description: "Alerts firing (not acknowledged), site alerts included" }),
    acknowledgedAlerts: z.number().int(),
  })
  .openapi("FleetCounts");
export type FleetCounts = z.infer<typeof FleetCountsSchema>;

export const FleetHostSchema = z
  .object({
    id: z.string().openapi({ description: "The agent id" }),
    clientId: z.string(),
    siteId: z.string(),
    hostname: z.string(),
    status: FleetStatusSchema,
    connected: z.boolean().openapi({ description: "An agent connection is live now (a host in maintenance may be connected or not)" }),
    lastSeenAt: Timestamp.nullable().openapi({ description: "Last frame, stored data or connection event; null if never" }),
    os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
    agentVersion: z.string(),
    firingAlerts: z.number().int(),
    acknowledgedAlerts: z.number().int(),
  })
  .openapi("FleetHost");
export type FleetHost = z.infer<typeof FleetHostSchema>;

export const FleetSiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: RollupStatusSchema,
    counts: FleetCountsSchema,
    hosts: z.array(FleetHostSchema).openapi({ description: "By hostname" }),
  })
  .openapi("FleetSite");

export const FleetClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: RollupStatusSchema,
    counts: FleetCountsSchema,
    sites: z.array(FleetSiteSchema).openapi({ description: "By name" }),
  })
  .openapi("FleetClient");

export const FleetSchema = z
  .object({
    generatedAt: Timestamp,
    counts: FleetCountsSchema,
    clients: z.array(FleetClientSchema).openapi({ description: "By name; a viewer gets only its own client" }),
  })
  .openapi("Fleet");
export type Fleet = z.infer<typeof FleetSchema>;
