/** What happened to the alert that this notification tells about. */
export type AlertEvent = "firing" | "acknowledged" | "resolved" | "repeat" | "test";

/** Alert severities, shared with PagerDuty's vocabulary so they map one to one. */
export type AlertSeverity = "critical" | "warning" | "info";

/** What the alert is about. */
export type AlertSubjectKind = "host" | "site" | "check";

export const ALERT_EVENTS: readonly AlertEvent[] = ["firing", "acknowledged", "resolved", "repeat", "test"];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ["critical", "warning", "info"];

/**
 * Everything a channel needs to tell on-call staff about one alert event. A snapshot: channels format
 * it and never look anything up. Times are epoch milliseconds, like the rest of the collector's core.
 */
export interface AlertNotification {
  event: AlertEvent;
  alertId: string;
  ruleName: string;
  severity: AlertSeverity;
  subject: { kind: AlertSubjectKind; name: string };
  clientName: string;
  /** Absent for alerts above site level (a client-wide rule). */
  siteName?: string;
  /** One or two sentences, e.g. "No samples from db-01 for 45 s; last boot 3 d ago". */
  summary: string;
  startedAt: number;
  acknowledgedAt?: number;
  /** Who acknowledged: a user's display name or e-mail. */
  acknowledgedBy?: string;
  resolvedAt?: number;
  /**
   * Stable for the alert's whole lifecycle: PagerDuty closes the incident it opened with this key,
   * and webhook receivers can correlate firing, acknowledged and resolved with it.
   */
  dedupKey: string;
  /** The alert in the dashboard. */
  dashboardUrl: string;
  /** Signed, expiring link that acknowledges the alert (see ack-token.ts); shown while the alert is unacknowledged. */
  ackUrl?: string;
}
