/**
 * Channel configurations: where and how a notification is delivered. Validated with zod so the API
 * can reuse the schema, with messages that read well after the field name ("webhookUrl: must use http or https").
 */
import { z } from "zod";
import { InvalidChannelConfigError, type ChannelFieldProblem } from "./errors.js";

export const CHANNEL_TYPES = ["webhook", "slack", "teams", "pagerduty", "email", "ntfy"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** Header names the webhook channel sets itself; a configured header must not replace them. */
export const RESERVED_WEBHOOK_HEADERS = [
  "content-type",
  "content-length",
  "host",
  "user-agent",
  "x-vigil-event",
  "x-vigil-delivery",
  "x-vigil-timestamp",
  "x-vigil-signature",
];

const requiredString = (what = "a string") =>
  z.string({ error: (issue) => (issue.input === undefined ? "required" : `must be ${what}`) });

/**
 * An absolute http(s) URL without credentials. fetch refuses URLs with credentials anyway, so catching
 * them here gives a message about the field instead of a failed delivery; `credentialsHint` says where
 * they belong for this channel. Messages never echo the URL: for Slack and Teams the URL is the secret.
 */
function httpUrl(credentialsHint: string) {
  return requiredString("a URL")
    .trim()
    .min(1, "required")
    .max(2048, "must be at most 2048 characters")
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be an absolute http(s) URL" });
        return;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: `must use http or https, not ${url.protocol.replace(/:$/, "")}` });
      }
      if (url.username || url.password) ctx.addIssue({ code: "custom", message: `must not contain a user name or password; ${credentialsHint}` });
    });
}

/** A secret pasted from somewhere: trimmed, one line, no blanks inside. */
const token = (min: number, max: number) =>
  requiredString()
    .trim()
    .min(min, min > 1 ? `must be at least ${min} characters` : "required")
    .max(max, `must be at most ${max} characters`)
    .regex(/^\S+$/, "must not contain spaces or line breaks");

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

const webhookHeaders = z
  .record(z.string(), requiredString())
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > 20) ctx.addIssue({ code: "custom", message: "at most 20 headers" });
    for (const name of names) {
      const value = headers[name]!;
      if (!HEADER_NAME.test(name)) ctx.addIssue({ code: "custom", path: [name], message: "is not a valid HTTP header name" });
      else if (RESERVED_WEBHOOK_HEADERS.includes(name.toLowerCase())) ctx.addIssue({ code: "custom", path: [name], message: "is set by Vigil and cannot be overridden" });
      if (/[\r\n\0]/.test(value)) ctx.addIssue({ code: "custom", path: [name], message: "must not contain line breaks" });
      else if (value.length > 4096) ctx.addIssue({ code: "custom", path: [name], message: "must be at most 4096 characters" });
    }
  });

export const WebhookChannelSchema = z.strictObject({
  type: z.literal("webhook"),
  url: httpUrl("put credentials in headers (e.g. Authorization) instead"),
  /** HMAC key for X-Vigil-Signature; without it requests are sent unsigned. */
  secret: token(16, 256).optional(),
  headers: webhookHeaders.optional(),
});

export const SlackChannelSchema = z.strictObject({
  type: z.literal("slack"),
  webhookUrl: httpUrl("paste the incoming webhook URL exactly as Slack shows it"),
});

export const TeamsChannelSchema = z.strictObject({
  type: z.literal("teams"),
  webhookUrl: httpUrl("paste the workflow's HTTP POST URL exactly as Teams shows it"),
});

export const PagerDutyChannelSchema = z.strictObject({
  type: z.literal("pagerduty"),
  /** The integration key of an Events API v2 integration on a PagerDuty service. */
  routingKey: token(1, 128),
  url: httpUrl("PagerDuty authenticates with the routing key").optional(),
});

export const EmailChannelSchema = z.strictObject({
  type: z.literal("email"),
  to: z
    .array(requiredString("an e-mail address").trim().pipe(z.email("must be an e-mail address")), {
      error: (issue) => (issue.input === undefined ? "required" : "must be a list of e-mail addresses"),
    })
    .min(1, "needs at least one address")
    .max(50, "at most 50 addresses"),
});

const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

export const NtfyChannelSchema = z.strictObject({
  type: z.literal("ntfy"),
  /** Server and topic, e.g. https://ntfy.sh/acme-oncall. */
  url: httpUrl("use token for authentication").superRefine((value, ctx) => {
    if (!URL.canParse(value)) return;
    const topic = new URL(value).pathname.split("/").pop() ?? "";
    if (!NTFY_TOPIC.test(topic)) ctx.addIssue({ code: "custom", message: "must end with the topic, e.g. https://ntfy.sh/acme-oncall (letters, digits, - and _)" });
  }),
  /** Access token (tk_...) for servers with access control. */
  token: token(1, 256).optional(),
  /** Fixed priority for alerts, 1 (min) to 5 (urgent); by default it follows the severity. */
  priority: z
    .number({ error: "must be a number from 1 (min) to 5 (urgent)" })
    .int("must be a whole number from 1 (min) to 5 (urgent)")
    .min(1, "must be a number from 1 (min) to 5 (urgent)")
    .max(5, "must be a number from 1 (min) to 5 (urgent)")
    .optional(),
});

/** Any channel's configuration; `type` says which. */
export const ChannelConfigSchema = z.discriminatedUnion(
  "type",
  [WebhookChannelSchema, SlackChannelSchema, TeamsChannelSchema, PagerDutyChannelSchema, EmailChannelSchema, NtfyChannelSchema],
  {
    error: (issue) => {
      if (issue.code === "invalid_union") return `must be one of ${CHANNEL_TYPES.join(", ")}`;
      if (issue.code === "invalid_type") return "must be an object";
      return undefined;
    },
  },
);

export type WebhookChannel = z.infer<typeof WebhookChannelSchema>;
export type SlackChannel = z.infer<typeof SlackChannelSchema>;
export type TeamsChannel = z.infer<typeof TeamsChannelSchema>;
export type PagerDutyChannel = z.infer<typeof PagerDutyChannelSchema>;
export type EmailChannel = z.infer<typeof EmailChannelSchema>;
export type NtfyChannel = z.infer<typeof NtfyChannelSchema>;
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;

/** Problems of a zod error as `{ field, problem }`, one per unknown key so each names its field. */
export function channelConfigProblems(error: z.ZodError): ChannelFieldProblem[] {
  const problems: ChannelFieldProblem[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push({ field: [...base, key].join("."), problem: "is not a setting of this channel type" });
    } else {
      problems.push({ field: base.join(".") || "channel", problem: issue.message });
    }
  }
  return problems;
}

/** Validates and normalises (trims) a channel configuration; throws InvalidChannelConfigError naming every bad field. */
export function parseChannelConfig(input: unknown): ChannelConfig {
  const result = ChannelConfigSchema.safeParse(input);
  if (!result.success) throw new InvalidChannelConfigError(channelConfigProblems(result.error));
  return result.data;
}

/** `…` and the last four characters; less for short values, so a short secret is not half shown. */
export function lastFour(value: string): string {
  return value.length >= 12 ? `…${value.slice(-4)}` : "…";
}

/** A URL whose path and query are the secret (Slack, Teams, ntfy topics): origin kept, the rest reduced to its last four. */
export function redactUrlPath(value: string): string {
  if (!URL.canParse(value)) return lastFour(value);
  const url = new URL(value);
  return `${url.origin}/${lastFour(url.pathname.slice(1) + url.search)}`;
}

/**
 * The configuration as the API may show it: secrets, routing keys, tokens, webhook paths, ntfy topics
 * and custom header values reduced to "…last4" so an operator can tell channels apart without reading them.
 * ntfy topics count as secrets because on a public server the topic name is the only access control.
 */
export function redactChannel(config: ChannelConfig): ChannelConfig {
  switch (config.type) {
    case "webhook": {
      const out: WebhookChannel = { type: "webhook", url: config.url };
      if (config.secret !== undefined) out.secret = lastFour(config.secret);
      if (config.headers !== undefined) {
        out.headers = Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name, lastFour(value)]));
      }
      return out;
    }
    case "slack":
    case "teams":
      return { type: config.type, webhookUrl: redactUrlPath(config.webhookUrl) } as SlackChannel | TeamsChannel;
    case "pagerduty": {
      const out: PagerDutyChannel = { type: "pagerduty", routingKey: lastFour(config.routingKey) };
      if (config.url !== undefined) out.url = config.url;
      return out;
    }
    case "email":
      return { type: "email", to: [...config.to] };
    case "ntfy": {
      const out: NtfyChannel = { type: "ntfy", url: redactUrlPath(config.url) };
      if (config.token !== undefined) out.token = lastFour(config.token);
      if (config.priority !== undefined) out.priority = config.priority;
      return out;
    }
  }
}

/** Every secret string in a configuration, so error messages can be scrubbed of them. */
export function channelSecrets(config: ChannelConfig): string[] {
  const secrets: string[] = [];
  switch (config.type) {
    case "webhook":
      if (config.secret) secrets.push(config.secret);
      for (const value of Object.values(config.headers ?? {})) if (value.length >= 4) secrets.push(value);
      break;
    case "slack":
    case "teams":
      secrets.push(config.webhookUrl, ...urlSecretParts(config.webhookUrl));
      break;
    case "pagerduty":
      secrets.push(config.routingKey);
      break;
    case "ntfy":
      secrets.push(config.url, ...urlSecretParts(config.url));
      if (config.token) secrets.push(config.token);
      break;
    case "email":
      break;
  }
  // Longest first, so a URL is replaced whole before its parts.
  return secrets.sort((a, b) => b.length - a.length);
}

function urlSecretParts(value: string): string[] {
  if (!URL.canParse(value)) return [];
  const url = new URL(value);
  const parts = url.pathname.split("/").filter((p) => p.length >= 8);
  for (const v of url.searchParams.values()) if (v.length >= 8) parts.push(v);
  return parts;
}
