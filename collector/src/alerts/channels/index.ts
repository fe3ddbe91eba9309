/**
 * Notification channels for alerts: what each receiver is sent and how delivery is retried.
 * Pure delivery: no storage, no rules; the alert engine decides what to send and where.
 */
export { signAckToken, verifyAckToken, type AckClaims, type AckKey } from "./ack-token.js";
export {
  CHANNEL_TYPES,
  ChannelConfigSchema,
  EmailChannelSchema,
  NtfyChannelSchema,
  PAGERDUTY_EVENTS_URL,
  PagerDutyChannelSchema,
  SlackChannelSchema,
  TeamsChannelSchema,
  WebhookChannelSchema,
  channelConfigProblems,
  parseChannelConfig,
  redactChannel,
  type ChannelConfig,
  type ChannelType,
  type EmailChannel,
  type NtfyChannel,
  type PagerDutyChannel,
  type SlackChannel,
  type TeamsChannel,
  type WebhookChannel,
} from "./config.js";
export {
  DELIVERY_DEFAULTS,
  backoffDelay,
  deliver,
  parseRetryAfter,
  type DeliverOptions,
  type DeliveryAttempt,
  type DeliveryLogger,
  type DeliveryResult,
} from "./deliver.js";
export { emailMessage, emailSubject, type EmailMessage, type MailTransport } from "./email.js";
export { AckTokenError, DeliveryError, InvalidChannelConfigError, type AckTokenProblem, type ChannelFieldProblem, type DeliveryErrorCode } from "./errors.js";
export type { HttpRequest } from "./http-request.js";
export { ALERT_EVENTS, ALERT_SEVERITIES, type AlertEvent, type AlertNotification, type AlertSeverity, type AlertSubjectKind } from "./notification.js";
export { ntfyMessage, type NtfyMessage } from "./ntfy.js";
export { pagerDutyEvent, type PagerDutyEvent } from "./pagerduty.js";
export { slackMessage, type SlackMessage } from "./slack.js";
export { teamsMessage, type TeamsMessage } from "./teams.js";
export { WEBHOOK_PAYLOAD_VERSION, webhookPayload, webhookSignature, type WebhookPayload } from "./webhook.js";
