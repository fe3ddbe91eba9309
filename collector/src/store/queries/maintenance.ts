import type { Store } from "../clickhouse.js";
import type { MaintenanceWindow } from "../../availability/index.js";
import { nextVersion } from "../../auth/secrets.js";

/** A stored maintenance window: the core's definition plus who recorded it and whether it was planned. */
export interface StoredMaintenanceWindow {
  id: string;
  clientId: string;
  window: MaintenanceWindow;
  reason: string;
  /** False when it was recorded after the fact (it then needs a reason, and is audited). */
  planned: boolean;
  createdAt: number;
  createdBy: string;
}

interface Row {
  id: string;
  client_id: string;
  definition: string;
  reason: string;
  planned: number;
  created_at: number;
  created_by: string;
}

/** The live maintenance windows of a client, or of every client; with `id`, only that one. */
export async function listMaintenanceWindows(store: Store, filter: { clientId?: string; id?: string } = {}): Promise<StoredMaintenanceWindow[]> {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filter.clientId !== undefined) {
    parts.push("AND client_id = {c:String}");
    params.c = filter.clientId;
  }
  if (filter.id !== undefined) {
    parts.push("AND id = {id:String}");
    params.id = filter.id;
  }
  const rows = await store.query<Row>(
    `SELECT id, client_id, definition, reason, planned, toUnixTimestamp64Milli(created_at) AS created_at, created_by
     FROM maintenance_windows FINAL WHERE deleted = 0 ${parts.join(" ")} ORDER BY created_at, id`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    clientId: r.client_id,
    window: JSON.parse(r.definition) as MaintenanceWindow,
    reason: r.reason,
    planned: r.planned === 1,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
  }));
}

/** Writes a maintenance window (a new version of its row). */
export async function saveMaintenanceWindow(store: Store, w: StoredMaintenanceWindow): Promise<void> {
  await store.insert("maintenance_windows", [row(w, 0)]);
}

/** Deletes a maintenance window (a tombstone version of its row). */
export async function deleteMaintenanceWindow(store: Store, w: StoredMaintenanceWindow): Promise<void> {
  await store.insert("maintenance_windows", [row(w, 1)]);
}

function row(w: StoredMaintenanceWindow, deleted: 0 | 1) {
  return {
    id: w.id,
    client_id: w.clientId,
    scope_level: w.window.scope.level,
    scope_id: w.window.scope.id,
    definition: JSON.stringify(w.window),
    reason: w.reason,
    planned: w.planned ? 1 : 0,
    created_at: w.createdAt,
    created_by: w.createdBy,
    deleted,
    version: nextVersion(),
  };
}
