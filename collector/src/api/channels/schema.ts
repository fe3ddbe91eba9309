import { z } from "@hono/zod-openapi";
import { CHANNEL_TYPES, ChannelConfigSchema, InvalidChannelConfigError, parseChannelConfig, redactChannel, type ChannelConfig } from "../../alerts/channels/index.js";
import { ApiError } from "../errors.js";
import type { StoredChannel } from "../../store/queries/alert-config.js";
import { iso, Timestamp } from "../schema.js";

const CONFIG_DOC =
  "By type: webhook {url, secret?, headers?}, slack {webhookUrl}, teams {webhookUrl}, pagerduty {routingKey, url?}, email {to}, ntfy {url, token?, priority?}. Secrets are stored as given and only ever shown redacted (`…` and the last four characters).";

/** Body of POST /channels. */
export const CreateChannelSchema = z
  .object({
    clientId: z.string().min(1).max(64).nullable().default(null).openapi({ description: "The client it belongs to; null = global (the MSP's own on-call)" }),
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    config: ChannelConfigSchema.describe(CONFIG_DOC),
  })
  .strict()
  .openapi("CreateChannel");

/** Body of PATCH /channels/{id}; a config replaces the old one whole, except secrets sent back exactly as shown redacted. */
export const PatchChannelSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    enabled: z.boolean().optional(),
    // Checked in the handler, once secrets sent back redacted have their stored values again.
    config: z.record(z.string(), z.unknown()).optional().openapi({ description: `${CONFIG_DOC} A secret sent back as shown (redacted) keeps its stored value.` }),
  })
  .strict()
  .openapi("PatchChannel");

export const ChannelSchema = z
  .object({
    id: z.string(),
    clientId: z.string().nullable(),
    name: z.string(),
    type: z.enum(CHANNEL_TYPES),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()).openapi({ description: "Redacted: secrets show as `…` and their last four characters" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Channel");

export const ChannelListSchema = z.object({ items: z.array(ChannelSchema) }).openapi("ChannelList");

export const ChannelListQuery = z
  .object({ clientId: z.string().min(1).max(64).optional().openapi({ param: { name: "clientId", in: "query" }, description: "That client's channels and the global ones" }) })
  .strict();

export const ChannelTestResultSchema = z
  .object({
    ok: z.boolean(),
    attempts: z.array(z.object({ at: Timestamp, durationMs: z.number(), status: z.number().int().optional(), error: z.string().optional(), code: z.string().optional() })),
    error: z.string().nullable(),
  })
  .openapi("ChannelTestResult");

/** The API's view of a channel: never its secrets. */
export function channelView(c: StoredChannel): z.infer<typeof ChannelSchema> {
  return {
    id: c.id,
    clientId: c.clientId || null,
    name: c.name,
    type: c.config.type,
    enabled: c.enabled,
    config: redactChannel(c.config) as unknown as Record<string, unknown>,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/**
 * A new configuration where secrets sent back exactly as the API showed them (redacted) keep their stored
 * values, so a client can change a name or a URL without knowing the secret.
 */
export function keepRedactedSecrets(given: Record<string, unknown>, stored: ChannelConfig): ChannelConfig {
  const out = { ...given };
  if (given.type === stored.type) {
    const shown = redactChannel(stored) as unknown as Record<string, unknown>;
    const old = stored as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(out)) {
      if (typeof value === "string" && value === shown[key] && value !== old[key]) out[key] = old[key];
    }
    const headers = out.headers;
    if (stored.type === "webhook" && stored.headers && typeof headers === "object" && headers !== null) {
      const shownHeaders = (shown.headers ?? {}) as Record<string, string>;
      out.headers = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, value === shownHeaders[name] && stored.headers![name] !== undefined ? stored.headers![name]! : value]),
      );
    }
  }
  try {
    return parseChannelConfig(out);
  } catch (err) {
    if (err instanceof InvalidChannelConfigError) throw ApiError.problems(err.problems, "config");
    throw err;
  }
}
