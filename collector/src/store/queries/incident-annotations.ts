import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** What people recorded about one incident. */
export interface StoredAnnotation {
  incidentId: string;
  clientId: string;
  hostId: string;
  note: string;
  excluded: boolean;
  exclusionReason: string;
  acknowledgedAt: number | null;
  acknowledgedBy: string;
  updatedAt: number;
  updatedBy: string;
}

interface Row {
  incident_id: string;
  client_id: string;
  host_id: string;
  note: string;
  excluded: number;
  exclusion_reason: string;
  acknowledged_at: number | null;
  acknowledged_by: string;
  updated_at: number;
  updated_by: string;
}

/** The annotations of a client's incidents (or every client's), by incident id. */
export async function listAnnotations(store: Store, filter: { clientId?: string } = {}): Promise<Map<string, StoredAnnotation>> {
  const where = filter.clientId === undefined ? "" : "WHERE client_id = {c:String}";
  const rows = await store.query<Row>(
    `SELECT incident_id, client_id, host_id, note, excluded, exclusion_reason,
       if(acknowledged_at IS NULL, NULL, toUnixTimestamp64Milli(assumeNotNull(acknowledged_at))) AS acknowledged_at,
       acknowledged_by, toUnixTimestamp64Milli(updated_at) AS updated_at, updated_by
     FROM incident_annotations FINAL ${where}`,
    filter.clientId === undefined ? {} : { c: filter.clientId },
  );
  return new Map(
    rows.map((r) => [
      r.incident_id,
      {
        incidentId: r.incident_id,
        clientId: r.client_id,
        hostId: r.host_id,
        note: r.note,
        excluded: r.excluded === 1,
        exclusionReason: r.exclusion_reason,
        acknowledgedAt: r.acknowledged_at === null ? null : Number(r.acknowledged_at),
        acknowledgedBy: r.acknowledged_by,
        updatedAt: Number(r.updated_at),
        updatedBy: r.updated_by,
      },
    ]),
  );
}

/** Writes an incident's whole annotation (a new version of its row). */
export async function saveAnnotation(store: Store, a: StoredAnnotation): Promise<void> {
  await store.insert("incident_annotations", [
    {
      incident_id: a.incidentId,
      client_id: a.clientId,
      host_id: a.hostId,
      note: a.note,
      excluded: a.excluded ? 1 : 0,
      exclusion_reason: a.exclusionReason,
      acknowledged_at: a.acknowledgedAt,
      acknowledged_by: a.acknowledgedBy,
      updated_at: a.updatedAt,
      updated_by: a.updatedBy,
      version: nextVersion(),
    },
  ]);
}
