/**
 * Alerts and their lifecycle: firing → acknowledged → resolved. Pure functions over plain objects; the
 * engine decides when, the store keeps them, the API shows them.
 */
import type { AlertSeverity, AlertSubjectKind } from "./channels/index.js";
import type { RuleKind } from "./rules.js";

/** Where an alert is in its life. */
export type AlertState = "firing" | "acknowledged" | "resolved";

export const ALERT_STATES: readonly AlertState[] = ["firing", "acknowledged", "resolved"];

/** One alert: a rule's condition on one subject. Times are epoch ms. */
export interface Alert {
  id: string;
  clientId: string;
  siteId: string;
  /** '' for a site alert. */
  hostId: string;
  ruleId: string;
  ruleKind: RuleKind;
  /** Stable name of what the alert is about; with ruleId, the deduplication key. */
  subjectKey: string;
  subjectKind: AlertSubjectKind;
  subjectName: string;
  severity: AlertSeverity;
  state: AlertState;
  /** When the condition began (the connection was lost, the check first failed). */
  startedAt: number;
  /** When the alert fired (after the confirmation window). */
  createdAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string;
  resolvedAt: number | null;
  resolvedBy: string;
  lastNotifiedAt: number | null;
  /** Highest escalation step notified; 0 = the route's first channels. */
  escalationStep: number;
  /** Id of the site alert that stands for this host alert, or ''. */
  suppressedBy: string;
  summary: string;
  updatedAt: number;
}

/** Who resolves alerts whose condition cleared. */
export const ENGINE_ACTOR = "vigil";

/** Deduplication key: one open alert per rule and subject. */
export function dedupKey(ruleId: string, subjectKey: string): string {
  return `${ruleId}|${subjectKey}`;
}

/** True while the alert is firing or acknowledged. */
export function isOpen(alert: Pick<Alert, "state">): boolean {
  return alert.state !== "resolved";
}

/** The alert acknowledged by `by` at `at`; an acknowledged or resolved alert is returned unchanged. */
export function acknowledge(alert: Alert, by: string, at: number): Alert {
  if (alert.state !== "firing") return alert;
  return { ...alert, state: "acknowledged", acknowledgedAt: at, acknowledgedBy: by, updatedAt: at };
}

/** The alert resolved by `by` at `at`; a resolved alert is returned unchanged. */
export function resolve(alert: Alert, by: string, at: number): Alert {
  if (alert.state === "resolved") return alert;
  return { ...alert, state: "resolved", resolvedAt: at, resolvedBy: by, updatedAt: at };
}

/**
 * Merges what people did to a stored alert (acknowledge, resolve: through the API, perhaps on another
 * collector) into the engine's copy, which owns everything else. The later human action wins.
 */
export function mergeHumanActions(mine: Alert, stored: Alert): Alert {
  let out = mine;
  if (stored.acknowledgedAt !== null && mine.acknowledgedAt === null) {
    out = { ...out, acknowledgedAt: stored.acknowledgedAt, acknowledgedBy: stored.acknowledgedBy, state: out.state === "resolved" ? "resolved" : "acknowledged" };
  }
  if (stored.state === "resolved" && out.state !== "resolved") {
    out = { ...out, state: "resolved", resolvedAt: stored.resolvedAt, resolvedBy: stored.resolvedBy };
  }
  return out;
}
