import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** A location of a client (office, data centre) whose hosts share a network. */
export interface SiteRow {
  id: string;
  client_id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `id, client_id, name,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at`;

/** Writes the site's current state (a new version of its row). */
export async function saveSite(store: Store, site: Omit<SiteRow, "updated_at">): Promise<void> {
  await store.insert("sites", [{ ...site, updated_at: Date.now(), deleted: 0, version: nextVersion() }]);
}

/** The site with this id, or null. */
export async function findSite(store: Store, id: string): Promise<SiteRow | null> {
  const rows = await store.query<SiteRow>(`SELECT ${COLUMNS} FROM sites FINAL WHERE id = {id:String} AND deleted = 0`, { id });
  return rows[0] ?? null;
}

/** Every site, or those of one client, oldest first. */
export async function listSites(store: Store, filter: { clientId?: string } = {}): Promise<SiteRow[]> {
  const where = filter.clientId === undefined ? "" : "AND client_id = {clientId:String}";
  return store.query<SiteRow>(
    `SELECT ${COLUMNS} FROM sites FINAL WHERE deleted = 0 ${where} ORDER BY created_at, id`,
    filter.clientId === undefined ? {} : { clientId: filter.clientId },
  );
}
