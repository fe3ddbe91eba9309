import { randomBytes } from "node:crypto";
import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";
import type { AlertSeverity, ChannelConfig } from "../../alerts/channels/index.js";
import type { AlertRule, RuleKind, Scope, ScopeLevel } from "../../alerts/rules.js";

// Alerting configuration: channels (with their secrets), rules, routes and silences. Rows are versioned;
// deleting writes a tombstone (deleted = 1), so FINAL reads see only live rows.

const ms = (col: string, alias: string) => `toUnixTimestamp64Milli(${col}) AS ${alias}`;

/** A delivery channel as stored: `config` holds its secrets and must go through redactChannel before it is shown. */
export interface StoredChannel {
  id: string;
  /** '' = global (the MSP's own), otherwise the client it belongs to. */
  clientId: string;
  name: string;
  config: ChannelConfig;
  enabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

interface ChannelRow {
  id: string;
  client_id: string;
  name: string;
  config: string;
  enabled: number;
  created_ms: number;
  created_by: string;
  updated_ms: number;
}

/** Live channels: every one, or one client's plus (with `withGlobal`) the global ones. */
export async function listChannels(store: Store, filter: { clientId?: string; withGlobal?: boolean } = {}): Promise<StoredChannel[]> {
  let where = "";
  if (filter.clientId !== undefined) where = filter.withGlobal ? "AND client_id IN ({c:String}, '')" : "AND client_id = {c:String}";
  const rows = await store.query<ChannelRow>(
    `SELECT id, client_id, name, config, enabled, ${ms("created_at", "created_ms")}, created_by, ${ms("updated_at", "updated_ms")}
     FROM alert_channels FINAL WHERE deleted = 0 ${where} ORDER BY created_at, id`,
    filter.clientId === undefined ? {} : { c: filter.clientId },
  );
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    config: JSON.parse(r.config) as ChannelConfig,
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_ms),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_ms),
  }));
}

/** The live channel with this id, or null. */
export async function findChannel(store: Store, id: string): Promise<StoredChannel | null> {
  const rows = await store.query<ChannelRow>(
    `SELECT id, client_id, name, config, enabled, ${ms("created_at", "created_ms")}, created_by, ${ms("updated_at", "updated_ms")}
     FROM alert_channels FINAL WHERE deleted = 0 AND id = {id:String}`,
    { id },
  );
  const r = rows[0];
  return r
    ? { id: r.id, clientId: r.client_id, name: r.name, config: JSON.parse(r.config) as ChannelConfig, enabled: Number(r.enabled) === 1, createdAt: Number(r.created_ms), createdBy: r.created_by, updatedAt: Number(r.updated_ms) }
    : null;
}

/** Writes a channel (a new version of its row); `deleted` writes its tombstone. */
export async function saveChannel(store: Store, c: StoredChannel, deleted = false): Promise<void> {
  await store.insert("alert_channels", [
    {
      id: c.id,
      client_id: c.clientId,
      name: c.name,
      type: c.config.type,
      config: JSON.stringify(c.config),
      enabled: c.enabled ? 1 : 0,
      created_at: c.createdAt,
      created_by: c.createdBy,
      updated_at: c.updatedAt,
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  ]);
}

interface RuleRow {
  id: string;
  client_id: string;
  scope_level: string;
  scope_id: string;
  name: string;
  kind: string;
  params: string;
  severity: string;
  enabled: number;
  created_ms: number;
  created_by: string;
  updated_ms: number;
}

/** Live stored rules (built-in defaults not included): all, or those of one client plus the global ones. */
export async function listRules(store: Store, filter: { clientId?: string } = {}): Promise<AlertRule[]> {
  const where = filter.clientId === undefined ? "" : "AND client_id IN ({c:String}, '')";
  const rows = await store.query<RuleRow>(
    `SELECT id, client_id, scope_level, scope_id, name, kind, params, severity, enabled, ${ms("created_at", "created_ms")}, created_by, ${ms("updated_at", "updated_ms")}
     FROM alert_rules FINAL WHERE deleted = 0 ${where} ORDER BY created_at, id`,
    filter.clientId === undefined ? {} : { c: filter.clientId },
  );
  return rows.map(ruleFromRow);
}

/** The live rule with this id, or null. */
export async function findRule(store: Store, id: string): Promise<AlertRule | null> {
  const rows = await store.query<RuleRow>(
    `SELECT id, client_id, scope_level, scope_id, name, kind, params, severity, enabled, ${ms("created_at", "created_ms")}, created_by, ${ms("updated_at", "updated_ms")}
     FROM alert_rules FINAL WHERE deleted = 0 AND id = {id:String}`,
    { id },
  );
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

function ruleFromRow(r: RuleRow): AlertRule {
  return {
    id: r.id,
    clientId: r.client_id,
    scope: { level: r.scope_level as ScopeLevel, id: r.scope_id },
    name: r.name,
    kind: r.kind as RuleKind,
    params: JSON.parse(r.params) as Record<string, unknown>,
    severity: r.severity as AlertSeverity,
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_ms),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_ms),
  };
}

/** Writes a rule (a new version of its row); `deleted` writes its tombstone. */
export async function saveRule(store: Store, r: AlertRule, deleted = false): Promise<void> {
  await store.insert("alert_rules", [
    {
      id: r.id,
      client_id: r.clientId,
      scope_level: r.scope.level,
      scope_id: r.scope.id,
      name: r.name,
      kind: r.kind,
      params: JSON.stringify(r.params),
      severity: r.severity,
      enabled: r.enabled ? 1 : 0,
      created_at: r.createdAt,
      created_by: r.createdBy,
      updated_at: r.updatedAt,
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  ]);
}

/** One step of an escalation: notify these channels when the alert is still unacknowledged this long after it fired. */
export interface EscalationStep {
  afterMinutes: number;
  channelIds: string[];
}

/** Alerts of a client ('' = any) with one of the severities (empty = any) go to `channelIds`, then up the escalation. */
export interface AlertRoute {
  id: string;
  clientId: string;
  name: string;
  severities: AlertSeverity[];
  channelIds: string[];
  escalation: EscalationStep[];
  enabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

interface RouteRow {
  id: string;
  client_id: string;
  name: string;
  severities: string[];
  channel_ids: string[];
  escalation: string;
  enabled: number;
  created_ms: number;
  created_by: string;
  updated_ms: number;
}

/** Live routes: all, or those of one client plus the ones for any client. */
export async function listRoutes(store: Store, filter: { clientId?: string; id?: string } = {}): Promise<AlertRoute[]> {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filter.clientId !== undefined) {
    parts.push("client_id IN ({c:String}, '')");
    params.c = filter.clientId;
  }
  if (filter.id !== undefined) {
    parts.push("id = {id:String}");
    params.id = filter.id;
  }
  const rows = await store.query<RouteRow>(
    `SELECT id, client_id, name, severities, channel_ids, escalation, enabled, ${ms("created_at", "created_ms")}, created_by, ${ms("updated_at", "updated_ms")}
     FROM alert_routes FINAL WHERE deleted = 0 ${parts.map((p) => `AND ${p}`).join(" ")} ORDER BY created_at, id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    name: r.name,
    severities: r.severities as AlertSeverity[],
    channelIds: r.channel_ids,
    escalation: JSON.parse(r.escalation) as EscalationStep[],
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_ms),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_ms),
  }));
}

/** Writes a route (a new version of its row); `deleted` writes its tombstone. */
export async function saveRoute(store: Store, r: AlertRoute, deleted = false): Promise<void> {
  await store.insert("alert_routes", [
    {
      id: r.id,
      client_id: r.clientId,
      name: r.name,
      severities: r.severities,
      channel_ids: r.channelIds,
      escalation: JSON.stringify(r.escalation),
      enabled: r.enabled ? 1 : 0,
      created_at: r.createdAt,
      created_by: r.createdBy,
      updated_at: r.updatedAt,
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  ]);
}

/** Which alerts a silence mutes, besides its scope; absent fields match anything. */
export interface SilenceMatcher {
  ruleKind?: RuleKind;
  ruleId?: string;
  severity?: AlertSeverity;
  subjectKey?: string;
}

/** No notifications for matching alerts between `startsAt` and `endsAt` (epoch ms). */
export interface AlertSilence {
  id: string;
  /** '' for a global silence. */
  clientId: string;
  scope: Scope;
  matcher: SilenceMatcher;
  startsAt: number;
  endsAt: number;
  reason: string;
  createdAt: number;
  createdBy: string;
}

interface SilenceRow {
  id: string;
  client_id: string;
  scope_level: string;
  scope_id: string;
  matcher: string;
  starts_ms: number;
  ends_ms: number;
  reason: string;
  created_ms: number;
  created_by: string;
}

/** Live silences that end after `endsAfter` (epoch ms; all for 0): every one, or one client's plus the global ones. */
export async function listSilences(store: Store, filter: { clientId?: string; endsAfter?: number; id?: string } = {}): Promise<AlertSilence[]> {
  const parts = ["ends_at > fromUnixTimestamp64Milli({after:Int64})"];
  const params: Record<string, unknown> = { after: filter.endsAfter ?? 0 };
  if (filter.clientId !== undefined) {
    parts.push("client_id IN ({c:String}, '')");
    params.c = filter.clientId;
  }
  if (filter.id !== undefined) {
    parts.push("id = {id:String}");
    params.id = filter.id;
  }
  const rows = await store.query<SilenceRow>(
    `SELECT id, client_id, scope_level, scope_id, matcher, ${ms("starts_at", "starts_ms")}, ${ms("ends_at", "ends_ms")}, reason,
       ${ms("created_at", "created_ms")}, created_by
     FROM alert_silences FINAL WHERE deleted = 0 AND ${parts.join(" AND ")} ORDER BY starts_at, id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    scope: { level: r.scope_level as ScopeLevel, id: r.scope_id },
    matcher: JSON.parse(r.matcher) as SilenceMatcher,
    startsAt: Number(r.starts_ms),
    endsAt: Number(r.ends_ms),
    reason: r.reason,
    createdAt: Number(r.created_ms),
    createdBy: r.created_by,
  }));
}

/** Writes a silence (a new version of its row); `deleted` writes its tombstone. */
export async function saveSilence(store: Store, s: AlertSilence, deleted = false): Promise<void> {
  await store.insert("alert_silences", [
    {
      id: s.id,
      client_id: s.clientId,
      scope_level: s.scope.level,
      scope_id: s.scope.id,
      matcher: JSON.stringify(s.matcher),
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      reason: s.reason,
      created_at: s.createdAt,
      created_by: s.createdBy,
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  ]);
}

const ACK_KEY = "ack_link";

/**
 * The key that signs ack links, shared by every collector through the store: created on first use.
 * Two collectors creating it at once each re-read the winner, so both sign and verify with the same key.
 */
export async function ackLinkKey(store: Store): Promise<string> {
  const read = async () =>
    (await store.query<{ value: string }>("SELECT value FROM alert_keys FINAL WHERE name = {n:String}", { n: ACK_KEY }))[0]?.value;
  const existing = await read();
  if (existing) return existing;
  await store.insert("alert_keys", [{ name: ACK_KEY, value: randomBytes(32).toString("base64url"), created_at: Date.now(), version: nextVersion() }]);
  return (await read())!;
}
