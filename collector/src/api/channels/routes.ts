import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { deliver, type AlertNotification } from "../../alerts/channels/index.js";
import { newId } from "../../auth/secrets.js";
import { findChannel, listChannels, saveChannel, type StoredChannel } from "../../store/queries/alert-config.js";
import { logDeliveries } from "../../store/queries/alerts.js";
import { findClient } from "../../store/queries/clients.js";
import { auditChange, OPERATE_ROLES, STAFF_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import "./email-relay.js";
import { bearerSecurity, errorResponses, IdParams, iso, jsonBody, jsonResponse } from "../schema.js";
import { ChannelListQuery, ChannelListSchema, ChannelSchema, ChannelTestResultSchema, CreateChannelSchema, PatchChannelSchema, channelView, keepRedactedSecrets } from "./schema.js";

const tags = ["channels"];

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List notification channels (secrets redacted)",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { query: ChannelListQuery },
  responses: { 200: jsonResponse("The channels", ChannelListSchema), ...errorResponses(400, 401, 403, 503) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One channel (secrets redacted)",
  middleware: [requireRole(...STAFF_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("The channel", ChannelSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const post = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create a notification channel",
  description: "Without routes, alerts go to every enabled global channel and every enabled channel of the alert's client.",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { body: jsonBody(CreateChannelSchema) },
  responses: { 201: jsonResponse("The channel (secrets redacted)", ChannelSchema), ...errorResponses(400, 401, 403, 503) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Rename, enable or disable a channel, or replace its configuration",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams, body: jsonBody(PatchChannelSchema) },
  responses: { 200: jsonResponse("The channel (secrets redacted)", ChannelSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

const del = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete a channel; routes naming it skip it",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 401, 403, 404, 503) },
});

const test = createRoute({
  method: "post",
  path: "/{id}/test",
  tags,
  summary: "Send a test message through the channel and report every attempt",
  description:
    "Two attempts at most, 15 s in all; the result is also written to the delivery log (alert id `test:<channel id>`). A PagerDuty test opens a real incident. E-mail channels need the collector's SMTP relay (VIGIL_SMTP_URL).",
  middleware: [requireRole(...OPERATE_ROLES)],
  security: bearerSecurity,
  request: { params: IdParams },
  responses: { 200: jsonResponse("What happened", ChannelTestResultSchema), ...errorResponses(400, 401, 403, 404, 503) },
});

async function existing(c: { var: { deps: { store: Parameters<typeof findChannel>[0] } } }, id: string): Promise<StoredChannel> {
  const channel = await findChannel(c.var.deps.store, id);
  if (!channel) throw ApiError.notFound("channel");
  return channel;
}

export function registerChannels(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(list, async (c) => {
    const { clientId } = c.req.valid("query");
    const channels = await listChannels(c.var.deps.store, clientId === undefined ? {} : { clientId, withGlobal: true });
    return c.json({ items: channels.map(channelView) }, 200);
  });

  api.openapi(get, async (c) => c.json(channelView(await existing(c, c.req.valid("param").id)), 200));

  api.openapi(post, async (c) => {
    const { store, logger } = c.var.deps;
    const body = c.req.valid("json");
    if (body.clientId !== null && !(await findClient(store, body.clientId))) throw ApiError.invalid("clientId", "no such client");
    const now = Date.now();
    const channel: StoredChannel = { id: newId(), clientId: body.clientId ?? "", name: body.name, config: body.config, enabled: body.enabled, createdAt: now, createdBy: principalOf(c).subject, updatedAt: now };
    await saveChannel(store, channel);
    // The API's view: secrets redacted, in the audit log as everywhere else.
    await auditChange(c, { clientId: channel.clientId, entity: "alert_channel", entityId: channel.id, action: "create", before: null, after: channelView(channel) });
    // Type and id only: the configuration holds secrets.
    logger.info({ channelId: channel.id, type: channel.config.type, clientId: channel.clientId }, "channel created");
    return c.json(channelView(channel), 201);
  });

  api.openapi(patch, async (c) => {
    const { store, logger } = c.var.deps;
    const channel = await existing(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    const next: StoredChannel = {
      ...channel,
      name: body.name ?? channel.name,
      enabled: body.enabled ?? channel.enabled,
      config: body.config ? keepRedactedSecrets(body.config, channel.config) : channel.config,
      updatedAt: Date.now(),
    };
    await saveChannel(store, next);
    await auditChange(c, { clientId: channel.clientId, entity: "alert_channel", entityId: channel.id, action: "update", before: channelView(channel), after: channelView(next) });
    logger.info({ channelId: channel.id, type: next.config.type }, "channel changed");
    return c.json(channelView(next), 200);
  });

  api.openapi(del, async (c) => {
    const { store, logger } = c.var.deps;
    const channel = await existing(c, c.req.valid("param").id);
    await saveChannel(store, { ...channel, updatedAt: Date.now() }, true);
    await auditChange(c, { clientId: channel.clientId, entity: "alert_channel", entityId: channel.id, action: "delete", before: channelView(channel), after: null });
    logger.info({ channelId: channel.id }, "channel deleted");
    return c.body(null, 204);
  });

  api.openapi(test, async (c) => {
    const { store, logger, publicUrl, email } = c.var.deps;
    const channel = await existing(c, c.req.valid("param").id);
    const now = Date.now();
    const client = channel.clientId ? await findClient(store, channel.clientId) : null;
    const notification: AlertNotification = {
      event: "test",
      alertId: `test:${channel.id}`,
      ruleName: "Test",
      severity: "info",
      subject: { kind: "host", name: "test" },
      clientName: client?.name ?? "Vigil",
      summary: `Test message for channel "${channel.name}", sent by ${principalOf(c).subject}. Nothing is wrong.`,
      startedAt: now,
      dedupKey: `vigil:test:${channel.id}:${now}`,
      dashboardUrl: publicUrl,
    };
    const result = await deliver(channel.config, notification, { timeoutMs: 5000, maxAttempts: 2, budgetMs: 15_000, logger, email });
    await logDeliveries(store, [
      {
        at: now,
        clientId: channel.clientId,
        alertId: notification.alertId,
        channelId: channel.id,
        channelType: channel.config.type,
        event: "test",
        deliveryId: result.deliveryId,
        ok: result.ok,
        attempts: result.attempts,
        error: result.error?.message ?? "",
      },
    ]);
    return c.json({ ok: result.ok, attempts: result.attempts.map((a) => ({ ...a, at: iso(a.at) })), error: result.error?.message ?? null }, 200);
  });
}
