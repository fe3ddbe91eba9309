import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** A token a technician hands to an agent install so it enrolls into one client and site. Only its hash is kept. */
export interface EnrollmentTokenRow {
  id: string;
  client_id: string;
  site_id: string;
  token_hash: string;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
  /** Who created it (the principal's subject). */
  created_by: string;
}

const COLUMNS = `id, client_id, site_id, token_hash, toUnixTimestamp64Milli(expires_at) AS expires_at,
  if(revoked_at IS NULL, NULL, toUnixTimestamp64Milli(assumeNotNull(revoked_at))) AS revoked_at,
  toUnixTimestamp64Milli(created_at) AS created_at, created_by`;

/** Writes the token's current state (a new version of its row). */
export async function saveEnrollmentToken(store: Store, token: EnrollmentTokenRow): Promise<void> {
  await store.insert("enrollment_tokens", [{ ...token, version: nextVersion() }]);
}

/** The enrollment token with this id, or null. */
export async function findEnrollmentToken(store: Store, id: string): Promise<EnrollmentTokenRow | null> {
  const rows = await store.query<EnrollmentTokenRow>(`SELECT ${COLUMNS} FROM enrollment_tokens FINAL WHERE id = {id:String}`, { id });
  return rows[0] ?? null;
}

/** Every enrollment token (revoked and expired included), or those of one client, newest first. */
export async function listEnrollmentTokens(store: Store, filter: { clientId?: string } = {}): Promise<EnrollmentTokenRow[]> {
  const where = filter.clientId === undefined ? "" : "WHERE client_id = {clientId:String}";
  return store.query<EnrollmentTokenRow>(
    `SELECT ${COLUMNS} FROM enrollment_tokens FINAL ${where} ORDER BY created_at DESC, id`,
    filter.clientId === undefined ? {} : { clientId: filter.clientId },
  );
}
