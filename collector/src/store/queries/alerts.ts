import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";
import type { AlertEvent, AlertSeverity, AlertSubjectKind, DeliveryAttempt } from "../../alerts/channels/index.js";
import type { RuleKind } from "../../alerts/rules.js";
import type { Alert, AlertState } from "../../alerts/state.js";

interface AlertRow {
  id: string;
  client_id: string;
  site_id: string;
  host_id: string;
  rule_id: string;
  rule_kind: string;
  subject_key: string;
  subject_kind: string;
  subject_name: string;
  severity: string;
  state: string;
  started_ms: number;
  created_ms: number;
  acknowledged_ms: number | null;
  acknowledged_by: string;
  resolved_ms: number | null;
  resolved_by: string;
  last_notified_ms: number | null;
  escalation_step: number;
  suppressed_by: string;
  summary: string;
  updated_ms: number;
}

// Aliases differ from the column names: WHERE would otherwise read the alias instead of the column.
const ms = (col: string, alias: string) => `toUnixTimestamp64Milli(${col}) AS ${alias}`;
const nullableMs = (col: string, alias: string) => `if(${col} IS NULL, NULL, toUnixTimestamp64Milli(assumeNotNull(${col}))) AS ${alias}`;

const COLUMNS = `id, client_id, site_id, host_id, rule_id, rule_kind, subject_key, subject_kind, subject_name, severity, state,
  ${ms("started_at", "started_ms")}, ${ms("created_at", "created_ms")}, ${nullableMs("acknowledged_at", "acknowledged_ms")}, acknowledged_by,
  ${nullableMs("resolved_at", "resolved_ms")}, resolved_by, ${nullableMs("last_notified_at", "last_notified_ms")}, escalation_step, suppressed_by,
  summary, ${ms("updated_at", "updated_ms")}`;

const num = (v: number | null) => (v === null ? null : Number(v));

function fromRow(r: AlertRow): Alert {
  return {
    id: r.id,
    clientId: r.client_id,
    siteId: r.site_id,
    hostId: r.host_id,
    ruleId: r.rule_id,
    ruleKind: r.rule_kind as RuleKind,
    subjectKey: r.subject_key,
    subjectKind: r.subject_kind as AlertSubjectKind,
    subjectName: r.subject_name,
    severity: r.severity as AlertSeverity,
    state: r.state as AlertState,
    startedAt: Number(r.started_ms),
    createdAt: Number(r.created_ms),
    acknowledgedAt: num(r.acknowledged_ms),
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: num(r.resolved_ms),
    resolvedBy: r.resolved_by,
    lastNotifiedAt: num(r.last_notified_ms),
    escalationStep: Number(r.escalation_step),
    suppressedBy: r.suppressed_by,
    summary: r.summary,
    updatedAt: Number(r.updated_ms),
  };
}

/** Writes the alert's current state (a new version of its row). */
export async function saveAlert(store: Store, alert: Alert): Promise<void> {
  await store.insert("alerts", [
    {
      id: alert.id,
      client_id: alert.clientId,
      site_id: alert.siteId,
      host_id: alert.hostId,
      rule_id: alert.ruleId,
      rule_kind: alert.ruleKind,
      subject_key: alert.subjectKey,
      subject_kind: alert.subjectKind,
      subject_name: alert.subjectName,
      severity: alert.severity,
      state: alert.state,
      started_at: alert.startedAt,
      created_at: alert.createdAt,
      acknowledged_at: alert.acknowledgedAt,
      acknowledged_by: alert.acknowledgedBy,
      resolved_at: alert.resolvedAt,
      resolved_by: alert.resolvedBy,
      last_notified_at: alert.lastNotifiedAt,
      escalation_step: alert.escalationStep,
      suppressed_by: alert.suppressedBy,
      summary: alert.summary,
      updated_at: alert.updatedAt,
      version: nextVersion(),
    },
  ]);
}

/** The alert with this id, or null. */
export async function findAlert(store: Store, id: string): Promise<Alert | null> {
  const rows = await store.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts FINAL WHERE id = {id:String}`, { id });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Narrows a list of alerts; every field given must match. */
export interface AlertFilter {
  clientId?: string;
  siteId?: string;
  hostId?: string;
  states?: readonly AlertState[];
  severity?: AlertSeverity;
  ruleKind?: RuleKind;
  /** Alerts that fired at or after this instant (epoch ms). */
  since?: number;
  /** Alerts that fired before this instant (epoch ms). */
  until?: number;
  limit?: number;
}

/** Alerts matching the filter, newest first. */
export async function listAlerts(store: Store, filter: AlertFilter = {}): Promise<Alert[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  const eq = (column: string, key: string, value: string | undefined) => {
    if (value === undefined) return;
    parts.push(`${column} = {${key}:String}`);
    params[key] = value;
  };
  eq("client_id", "clientId", filter.clientId);
  eq("site_id", "siteId", filter.siteId);
  eq("host_id", "hostId", filter.hostId);
  eq("severity", "severity", filter.severity);
  eq("rule_kind", "ruleKind", filter.ruleKind);
  if (filter.states?.length) {
    parts.push("state IN {states:Array(String)}");
    params.states = filter.states;
  }
  if (filter.since !== undefined) {
    parts.push("created_at >= fromUnixTimestamp64Milli({since:Int64})");
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    parts.push("created_at < fromUnixTimestamp64Milli({until:Int64})");
    params.until = filter.until;
  }
  params.limit = filter.limit ?? 1000;
  const where = parts.length ? `WHERE ${parts.join(" AND ")}` : "";
  const rows = await store.query<AlertRow>(`SELECT ${COLUMNS} FROM alerts FINAL ${where} ORDER BY created_at DESC, id LIMIT {limit:UInt32}`, params);
  return rows.map(fromRow);
}

/** Every alert that is firing or acknowledged. */
export async function openAlerts(store: Store): Promise<Alert[]> {
  return listAlerts(store, { states: ["firing", "acknowledged"], limit: 1_000_000 });
}

/** One line of the delivery log. */
export interface DeliveryLogEntry {
  at: number;
  clientId: string;
  alertId: string;
  channelId: string;
  channelType: string;
  event: AlertEvent;
  deliveryId: string;
  ok: boolean;
  attempts: DeliveryAttempt[];
  /** Why it was not delivered; '' when it was. */
  error: string;
}

interface DeliveryRow {
  at_ms: number;
  client_id: string;
  alert_id: string;
  channel_id: string;
  channel_type: string;
  event: string;
  delivery_id: string;
  ok: number;
  attempts: string;
  error: string;
}

/** Appends deliveries to the log. */
export async function logDeliveries(store: Store, entries: readonly DeliveryLogEntry[]): Promise<void> {
  await store.insert(
    "alert_deliveries",
    entries.map((e) => ({
      at: e.at,
      client_id: e.clientId,
      alert_id: e.alertId,
      channel_id: e.channelId,
      channel_type: e.channelType,
      event: e.event,
      delivery_id: e.deliveryId,
      ok: e.ok ? 1 : 0,
      attempt_count: e.attempts.length,
      attempts: JSON.stringify(e.attempts),
      error: e.error,
    })),
  );
}

/** The delivery log of some alerts (all of them for an empty list is not offered), oldest first. */
export async function listDeliveries(store: Store, alertIds: readonly string[]): Promise<DeliveryLogEntry[]> {
  if (alertIds.length === 0) return [];
  const rows = await store.query<DeliveryRow>(
    `SELECT ${ms("at", "at_ms")}, client_id, alert_id, channel_id, channel_type, event, delivery_id, ok, attempts, error
     FROM alert_deliveries WHERE alert_id IN {ids:Array(String)} ORDER BY at, delivery_id`,
    { ids: alertIds },
  );
  return rows.map((r) => ({
    at: Number(r.at_ms),
    clientId: r.client_id,
    alertId: r.alert_id,
    channelId: r.channel_id,
    channelType: r.channel_type,
    event: r.event as AlertEvent,
    deliveryId: r.delivery_id,
    ok: Number(r.ok) === 1,
    attempts: JSON.parse(r.attempts) as DeliveryAttempt[],
    error: r.error,
  }));
}
