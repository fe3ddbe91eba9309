import type { Store } from "../clickhouse.js";
import { nextVersion } from "../../auth/secrets.js";

/** Roles a dashboard user can hold. */
export type UserRole = "admin" | "technician" | "vcio" | "viewer";

/** A dashboard user as stored. `passwordHash` never leaves the collector. */
export interface UserRow {
  id: string;
  username: string;
  passwordHash: string;
  role: UserRole;
  /** The one client a viewer sees; '' for other roles. */
  clientId: string;
  disabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

interface Row {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  client_id: string;
  disabled: number;
  created_at: number | string;
  created_by: string;
  updated_at: number | string;
}

const COLUMNS = `id, username, password_hash, role, client_id, disabled,
  toUnixTimestamp64Milli(created_at) AS created_at, created_by, toUnixTimestamp64Milli(updated_at) AS updated_at`;

/** The key usernames are unique by: "Alice" and "alice" are the same user. */
export function usernameKey(username: string): string {
  return username.normalize("NFC").toLowerCase();
}

/** The live user with this id, or null. */
export async function findUser(store: Store, id: string): Promise<UserRow | null> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM users FINAL WHERE id = {id:String} AND deleted = 0`, { id });
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The live user with this username (case-insensitively), or null. */
export async function findUserByUsername(store: Store, username: string): Promise<UserRow | null> {
  const rows = await store.query<Row>(
    `SELECT ${COLUMNS} FROM users FINAL WHERE username_key = {key:String} AND deleted = 0 ORDER BY created_at, id LIMIT 1`,
    { key: usernameKey(username) },
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Every live user, by username. */
export async function listUsers(store: Store): Promise<UserRow[]> {
  const rows = await store.query<Row>(`SELECT ${COLUMNS} FROM users FINAL WHERE deleted = 0 ORDER BY username_key, id`);
  return rows.map(fromRow);
}

/** How many live, enabled admins there are. */
export async function countEnabledAdmins(store: Store): Promise<number> {
  const [row] = await store.query<{ n: number | string }>("SELECT count() AS n FROM users FINAL WHERE deleted = 0 AND disabled = 0 AND role = 'admin'");
  return Number(row?.n ?? 0);
}

/** Writes the user's current state (a new version of its row); `updatedAt` is set to now. */
export async function saveUser(store: Store, user: UserRow): Promise<UserRow> {
  const saved = { ...user, updatedAt: Date.now() };
  await store.insert("users", [toRow(saved, 0)]);
  return saved;
}

/** Deletes the user (a tombstone version of its row). */
export async function deleteUser(store: Store, user: UserRow): Promise<void> {
  await store.insert("users", [toRow({ ...user, updatedAt: Date.now() }, 1)]);
}

function toRow(u: UserRow, deleted: 0 | 1) {
  return {
    id: u.id,
    username: u.username,
    username_key: usernameKey(u.username),
    password_hash: u.passwordHash,
    role: u.role,
    client_id: u.clientId,
    disabled: u.disabled ? 1 : 0,
    created_at: u.createdAt,
    created_by: u.createdBy,
    updated_at: u.updatedAt,
    deleted,
    version: nextVersion(),
  };
}

function fromRow(r: Row): UserRow {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role as UserRole,
    clientId: r.client_id,
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    updatedAt: Number(r.updated_at),
  };
}
