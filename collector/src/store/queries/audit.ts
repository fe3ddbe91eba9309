import type { Store } from "../clickhouse.js";

/** One change to something that moves SLA figures: who, when, what, before and after. */
export interface AuditEntry {
  at: number;
  actor: string;
  clientId: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}

/** Appends an entry to the audit log. */
export async function recordAudit(store: Store, entry: AuditEntry): Promise<void> {
  await store.insert("audit_log", [
    {
      at: entry.at,
      actor: entry.actor,
      client_id: entry.clientId,
      entity: entry.entity,
      entity_id: entry.entityId,
      action: entry.action,
      detail: JSON.stringify({ before: entry.before ?? null, after: entry.after ?? null }),
    },
  ]);
}

/** What to list from the audit log; every field given must match. */
export interface AuditFilter {
  /** One client's entries; '' for those of settings that apply to every client; undefined for all. */
  clientId?: string;
  entity?: string;
  entityId?: string;
  /** Entities left out (e.g. `user` for callers who may not manage users). */
  excludeEntities?: readonly string[];
  limit?: number;
}

/** The audit entries matching the filter, newest first. */
export async function listAudit(store: Store, filter: AuditFilter): Promise<AuditEntry[]> {
  const parts: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit ?? 500 };
  if (filter.clientId !== undefined) {
    parts.push("client_id = {c:String}");
    params.c = filter.clientId;
  }
  if (filter.excludeEntities !== undefined && filter.excludeEntities.length > 0) {
    parts.push("entity NOT IN {excluded:Array(String)}");
    params.excluded = filter.excludeEntities;
  }
  if (filter.entity !== undefined) {
    parts.push("entity = {e:String}");
    params.e = filter.entity;
  }
  if (filter.entityId !== undefined) {
    parts.push("entity_id = {id:String}");
    params.id = filter.entityId;
  }
  const rows = await store.query<{ at: number; actor: string; client_id: string; entity: string; entity_id: string; action: string; detail: string }>(
    `SELECT toUnixTimestamp64Milli(at) AS at, actor, client_id, entity, entity_id, action, detail
     FROM audit_log ${parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : ""} ORDER BY at DESC LIMIT {limit:UInt32}`,
    params,
  );
  return rows.map((r) => {
    const detail = JSON.parse(r.detail) as { before: unknown; after: unknown };
    return { at: Number(r.at), actor: r.actor, clientId: r.client_id, entity: r.entity, entityId: r.entity_id, action: r.action, before: detail.before, after: detail.after };
  });
}
