import { z } from "zod";
import { CheckRole } from "./records.js";

/**
 * A host name, IPv4 address or IPv6 address (without brackets). It must not start with '-': the agent hands
 * it to tools such as ping, which would read it as an option.
 */
const Host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9:][A-Za-z0-9.:_-]*$/, "a host name or IP address, not starting with '-'");

const CheckBase = { id: z.string().min(1).max(200), role: CheckRole.default("service") };

/** A check the agent runs every check interval. */
export const CheckSpec = z.discriminatedUnion("type", [
  z.object({ ...CheckBase, type: z.literal("ping"), host: Host }),
  z.object({ ...CheckBase, type: z.literal("tcp"), host: Host, port: z.number().int().min(1).max(65535) }),
  z.object({
    ...CheckBase,
    type: z.literal("http"),
    url: z.url({ protocol: /^https?$/ }),
    expectStatus: z.number().int().min(100).max(599).default(200),
  }),
]);
export type CheckSpec = z.infer<typeof CheckSpec>;

/** `checkId` of the built-in check that pings the host's default gateway (when `pingGateway` is on). */
export const GATEWAY_CHECK_ID = "gateway";

/** Settings the collector pushes to an agent (in `welcome` and `config`). */
export const AgentConfig = z
  .object({
    /** Seconds between health samples (default 15). */
    healthIntervalSeconds: z.number().int().min(1).max(3600).default(15),
    /** Seconds between check runs (default 30). */
    checkIntervalSeconds: z.number().int().min(5).max(3600).default(30),
    /** Ping the host's default gateway as a `gateway` check (default true). */
    pingGateway: z.boolean().default(true),
    /** Further checks to run, beyond the gateway ping. Ids are unique, and not `gateway` while pingGateway is on. */
    checks: z.array(CheckSpec).max(100).default([]),
    /** Hours between inventory collections, after the one at start (default 6). Only sent when it changed. */
    inventoryIntervalHours: z.number().int().min(1).max(24).default(6),
  })
  .superRefine((config, ctx) => {
    // A check's id names its series: two checks with one id would be stored as one.
    const seen = new Set<string>(config.pingGateway ? [GATEWAY_CHECK_ID] : []);
    config.checks.forEach((check, i) => {
      if (seen.has(check.id)) {
        const why = check.id === GATEWAY_CHECK_ID && config.pingGateway ? "is the built-in gateway check's id" : "is used twice";
        ctx.addIssue({ code: "custom", path: ["checks", i, "id"], message: `check id ${JSON.stringify(check.id)} ${why}` });
      }
      seen.add(check.id);
    });
  });
export type AgentConfig = z.infer<typeof AgentConfig>;
export type AgentConfigInput = z.input<typeof AgentConfig>;

/** The configuration an agent uses before the collector has said otherwise. */
export const DEFAULT_AGENT_CONFIG: AgentConfig = AgentConfig.parse({});
