import { z } from "@hono/zod-openapi";
import { ALERT_SEVERITIES } from "../../alerts/channels/index.js";
import { RULE_KINDS } from "../../alerts/rules.js";
import type { AlertSilence } from "../../store/queries/alert-config.js";
import { ScopeSchema } from "../alert-rules/scope.js";
import { iso, Timestamp } from "../schema.js";

const Matcher = z
  .object({
    ruleKind: z.enum(RULE_KINDS).optional(),
    ruleId: z.string().min(1).max(64).optional(),
    severity: z.enum(ALERT_SEVERITIES as [string, ...string[]]).optional(),
    subjectKey: z.string().min(1).max(300).optional().openapi({ description: "An alert's subject.key, e.g. `host:<id>` or `check:<hostId>:<checkId>`" }),
  })
  .strict()
  .openapi("SilenceMatcher");

const Instant = z.iso.datetime({ offset: true }).openapi({ example: "2026-07-04T22:00:00Z" });

/** Body of POST /silences. */
export const CreateSilenceSchema = z
  .object({
    clientId: z.string().min(1).max(64).optional().openapi({ description: "For a tag scope: only this client's hosts" }),
    scope: ScopeSchema,
    matcher: Matcher.default({}),
    startsAt: Instant.optional().openapi({ description: "Default now" }),
    endsAt: Instant.optional().openapi({ description: "Either endsAt or minutes" }),
    minutes: z.number().int().min(1).max(90 * 1440).optional().openapi({ description: "Length from startsAt; either endsAt or minutes" }),
    reason: z.string().trim().min(1, "required").max(500),
  })
  .strict()
  .openapi("CreateSilence");

export const SilenceSchema = z
  .object({
    id: z.string(),
    clientId: z.string().nullable(),
    scope: z.object({ level: z.string(), id: z.string() }),
    matcher: Matcher,
    startsAt: Timestamp,
    endsAt: Timestamp,
    reason: z.string(),
    createdAt: Timestamp,
    createdBy: z.string(),
  })
  .openapi("Silence");

export const SilenceListSchema = z.object({ items: z.array(SilenceSchema) }).openapi("SilenceList");

export const SilenceListQuery = z
  .object({
    clientId: z.string().min(1).max(64).optional().openapi({ param: { name: "clientId", in: "query" }, description: "That client's and the global silences" }),
    expired: z.enum(["true", "false"]).default("false").openapi({ param: { name: "expired", in: "query" }, description: "Include silences that have ended" }),
  })
  .strict();

/** The API's view of a silence. */
export function silenceView(s: AlertSilence): z.infer<typeof SilenceSchema> {
  return {
    id: s.id,
    clientId: s.clientId || null,
    scope: s.scope,
    matcher: s.matcher as z.infer<typeof Matcher>,
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    reason: s.reason,
    createdAt: iso(s.createdAt),
    createdBy: s.createdBy,
  };
}
