import { z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import { ALERT_SEVERITIES } from "../../alerts/channels/index.js";
import { PARAMS_SCHEMAS, RULE_KINDS, type AlertRule, type RuleKind } from "../../alerts/rules.js";
import { ApiError, describeZodError } from "../errors.js";
import { iso, Timestamp } from "../schema.js";
import { ScopeSchema } from "./scope.js";

const Severity = z.enum(ALERT_SEVERITIES as [string, ...string[]]);

const common = {
  name: z.string().trim().min(1).max(200).optional().openapi({ description: "Default: the kind's name" }),
  scope: ScopeSchema,
  clientId: z.string().min(1).max(64).optional().openapi({ description: "For a tag scope: only this client's hosts" }),
  severity: Severity.optional().openapi({ description: "Default: critical for host_down and site_down, info for host_rebooted, warning otherwise" }),
  enabled: z.boolean().default(true).openapi({ description: "A disabled rule switches its kind off for its scope" }),
};

const PARAM_DOCS: Record<RuleKind, string> = {
  host_down: "confirmSeconds 1–3600 (10), plannedConfirmSeconds 0–86400 (600), repeatMinutes 0–10080 (240)",
  site_down: "windowSeconds 5–3600 (60), minHosts 2–10000 (2), repeatMinutes",
  host_rebooted: "none",
  check_failing: "consecutive 1–20 (3), checkIds (empty = all), repeatMinutes",
  threshold: "metric cpu|memory|filesystem|load, above (0 to below 100, load below 10000), forSeconds 30–86400 (300), repeatMinutes",
  fs_forecast: "withinDays 1–365 (7), repeatMinutes 0–10080 (1440)",
  agent_flapping: "maxReconnectsPerHour 1–1000 (6), repeatMinutes",
  inventory_changed: "changes: software|os|hardware, at least one (all)",
};

/** Body of POST /alert-rules: one shape per kind, each with its own params (unknown fields refused). */
export const CreateRuleSchema = z
  .discriminatedUnion(
    "kind",
    RULE_KINDS.map((kind) =>
      z
        .object({
          ...common,
          kind: z.literal(kind),
          params: (kind === "threshold" ? PARAMS_SCHEMAS[kind] : PARAMS_SCHEMAS[kind].optional()).describe(PARAM_DOCS[kind]),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
    { error: `must be one of ${RULE_KINDS.join(", ")}` },
  )
  .openapi("CreateAlertRule");
export type CreateRule = { kind: RuleKind; name?: string; scope: { level: AlertRule["scope"]["level"]; id: string }; clientId?: string; severity?: string; enabled: boolean; params?: unknown };

/** Body of PATCH /alert-rules/{id}: kind and scope stay; params, when given, replace the old ones whole. */
export const PatchRuleSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    severity: Severity.optional(),
    enabled: z.boolean().optional(),
    params: z.record(z.string(), z.unknown()).optional().openapi({ description: "The kind's parameters (see POST)" }),
  })
  .strict()
  .openapi("PatchAlertRule");

export const RuleSchema = z
  .object({
    id: z.string(),
    clientId: z.string().nullable(),
    scope: z.object({ level: z.string(), id: z.string() }),
    name: z.string(),
    kind: z.enum(RULE_KINDS),
    params: z.record(z.string(), z.unknown()),
    severity: Severity,
    enabled: z.boolean(),
    builtin: z.boolean().openapi({ description: "A default that applies where no stored rule of its kind does" }),
    createdAt: Timestamp.nullable(),
    updatedAt: Timestamp.nullable(),
  })
  .openapi("AlertRule");

export const RuleListSchema = z.object({ items: z.array(RuleSchema), defaults: z.array(RuleSchema) }).openapi("AlertRuleList");

export const RuleListQuery = z
  .object({ clientId: z.string().min(1).max(64).optional().openapi({ param: { name: "clientId", in: "query" }, description: "That client's rules and the global ones" }) })
  .strict();

/** Validates a kind's params and applies defaults; a 400 names the field as `params.<field>`. */
export function validParams(kind: RuleKind, params: unknown): Record<string, unknown> {
  const result = PARAMS_SCHEMAS[kind].safeParse(params ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ ...i, path: ["params", ...i.path] }));
    throw new ApiError(400, "invalid_request", describeZodError({ issues } as unknown as ZodError, "json"));
  }
  return result.data as Record<string, unknown>;
}

/** The API's view of a rule. */
export function ruleView(r: AlertRule): z.infer<typeof RuleSchema> {
  return {
    id: r.id,
    clientId: r.clientId || null,
    scope: r.scope,
    name: r.name,
    kind: r.kind,
    params: r.params,
    severity: r.severity,
    enabled: r.enabled,
    builtin: r.builtin === true,
    createdAt: r.builtin ? null : iso(r.createdAt),
    updatedAt: r.builtin ? null : iso(r.updatedAt),
  };
}
