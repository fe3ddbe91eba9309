import { randomBytes } from "node:crypto";
import type { Store } from "../store/clickhouse.js";
import { findSession, listLiveSessions, saveSessions, type SessionRow } from "../store/queries/sessions.js";
import { findUser, type UserRow } from "../store/queries/users.js";
import { hashToken } from "./secrets.js";

// Dashboard login sessions. The browser holds a random token in a cookie; the store holds only its sha256, so
// a copy of the database logs nobody in. Lookups are cached for a few seconds so that every API call of a
// page does not query ClickHouse; whatever ends a session in this process (logout, a user disabled, deleted
// or given another role) drops the cached entries at once. Other collectors of a cluster see it within the
// cache time.

/** Name of the session cookie. */
export const SESSION_COOKIE = "vigil_session";
/** A session ends this long after login, however busy. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** Last-seen is written at most this often (idle expiry is this precise). */
const TOUCH_EVERY_MS = 5 * 60_000;
/** How long a resolved session is trusted without asking the store again. */
const CACHE_MS = 5_000;
/** Most cached sessions; the oldest entries go first beyond this. */
const CACHE_MAX = 10_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A live session and its user (enabled and not deleted). */
export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
}

/** Creates, resolves and ends sessions over one store. */
export class SessionService {
  private readonly cache = new Map<string, { at: number; resolved: ResolvedSession }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session for the user; returns the token to put in the cookie (shown nowhere else). */
  async create(user: UserRow): Promise<{ token: string; session: SessionRow }> {
    const token = randomBytes(32).toString("base64url");
    const now = this.now();
    const session: SessionRow = { id: hashToken(token), userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_ABSOLUTE_MS, revoked: false };
    await saveSessions(this.store, [session]);
    return { token, session };
  }

  /** The live session of this token and its user, or null (unknown, revoked, expired, idle, user disabled or deleted). */
  async resolve(token: string): Promise<ResolvedSession | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const id = hashToken(token);
    const now = this.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.at < CACHE_MS && this.live(cached.resolved.session, now)) return cached.resolved;
    this.cache.delete(id);

    const session = await findSession(this.store, id);
    if (!session || !this.live(session, now)) return null;
    const user = await findUser(this.store, session.userId);
    if (!user || user.disabled) return null;
    let current = session;
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      current = { ...session, lastSeenAt: now };
      await saveSessions(this.store, [current]);
    }
    const resolved = { session: current, user };
    this.remember(id, { at: now, resolved });
    return resolved;
  }

  /** Ends the session of this token (logout). Unknown tokens are ignored. */
  async revokeToken(token: string): Promise<void> {
    if (!TOKEN_PATTERN.test(token)) return;
    const id = hashToken(token);
    this.cache.delete(id);
    const session = await findSession(this.store, id);
    if (session && !session.revoked) await saveSessions(this.store, [{ ...session, revoked: true }]);
  }

  /** Ends every session of the user (disabled, deleted, password or role changed). */
  async revokeUser(userId: string): Promise<void> {
    this.forgetUser(userId);
    const live = await listLiveSessions(this.store, userId, this.now());
    await saveSessions(this.store, live.map((s) => ({ ...s, revoked: true })));
  }

  /** Drops the user's cached sessions, so the next request reads the user afresh. */
  forgetUser(userId: string): void {
    for (const [id, entry] of this.cache) if (entry.resolved.user.id === userId) this.cache.delete(id);
  }

  private live(session: SessionRow, now: number): boolean {
    return !session.revoked && now < session.expiresAt && now - session.lastSeenAt < SESSION_IDLE_MS;
  }

  private remember(id: string, entry: { at: number; resolved: ResolvedSession }): void {
    if (this.cache.size >= CACHE_MAX) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(id, entry);
  }
}

// One service per store, so every API instance over the same store shares the cache and its invalidation.
const services = new WeakMap<Store, SessionService>();

/** The session service of this store (created on first use). */
export function sessionsFor(store: Store): SessionService {
  let service = services.get(store);
  if (!service) {
    service = new SessionService(store);
    services.set(store, service);
  }
  return service;
}
