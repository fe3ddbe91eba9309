import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** A customer of the MSP: the scope of sites, hosts, SLA reports and downtime cost. */
export interface ClientRow {
  id: string;
  name: string;
  /** IANA time zone that reports and business hours use. */
  timezone: string;
  /** ISO 4217 code that downtime cost is stated in. */
  currency: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `id, name, timezone, currency,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at`;

/** Writes the client's current state (a new version of its row). */
export async function saveClient(store: Store, client: Omit<ClientRow, "updated_at">): Promise<void> {
  await store.insert("clients", [{ ...client, updated_at: Date.now(), deleted: 0, version: nextVersion() }]);
}

/** The client with this id, or null. */
export async function findClient(store: Store, id: string): Promise<ClientRow | null> {
  const rows = await store.query<ClientRow>(`SELECT ${COLUMNS} FROM clients FINAL WHERE id = {id:String} AND deleted = 0`, { id });
  return rows[0] ?? null;
}

/** Every client, or only the one with `filter.id`, oldest first. */
export async function listClients(store: Store, filter: { id?: string } = {}): Promise<ClientRow[]> {
  if (filter.id === undefined) return store.query<ClientRow>(`SELECT ${COLUMNS} FROM clients FINAL WHERE deleted = 0 ORDER BY created_at, id`);
  return store.query<ClientRow>(`SELECT ${COLUMNS} FROM clients FINAL WHERE deleted = 0 AND id = {id:String} ORDER BY created_at, id`, { id: filter.id });
}
