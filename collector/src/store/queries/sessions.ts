import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** A login session as stored; `id` is the sha256 (hex) of the token the browser holds. */
export interface SessionRow {
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revoked: boolean;
}

interface Row {
  id: string;
  user_id: string;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  revoked: number;
}

const COLUMNS = `id, user_id, toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(last_seen_at) AS last_seen_at,
  toUnixTimestamp64Milli(expires_at) AS expires_at, revoked`;

/** The session with this id (token hash), revoked or not, or null. */
export async function findSession(store: Store, id: string): Promise<SessionRow | null> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM sessions FINAL WHERE id = {id:String}`, { id });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The user's sessions that are neither revoked nor past their absolute expiry. */
export async function listLiveSessions(store: Store, userId: string, now: number): Promise<SessionRow[]> {
  const rows = await store.query<Row>(
    `SELECT ${COLUMNS} FROM sessions FINAL WHERE user_id = {u:String} AND revoked = 0 AND expires_at > fromUnixTimestamp64Milli({now:Int64})`,
    { u: userId, now },
  );
  return rows.map(fromRow);
}

/** Writes the session's current state (a new version of its row). */
export async function saveSessions(store: Store, sessions: readonly SessionRow[]): Promise<void> {
  if (sessions.length === 0) return;
  await store.insert(
    "sessions",
    sessions.map((s) => ({
      id: s.id,
      user_id: s.userId,
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      expires_at: s.expiresAt,
      revoked: s.revoked ? 1 : 0,
      version: nextVersion(),
    })),
  );
}

function fromRow(r: Row): SessionRow {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    revoked: Number(r.revoked) === 1,
  };
}
