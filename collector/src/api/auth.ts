import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { tokenMatches } from "../auth/secrets.js";
import { SESSION_COOKIE, sessionsFor } from "../auth/sessions.js";
import type { ApiDeps } from "./app.js";
import { ApiError } from "./errors.js";
import type { ApiEnv } from "./router.js";

/** What a caller may do. */
export type Role = "admin" | "technician" | "vcio" | "viewer";

/**
 * The authenticated caller of a request. A viewer sees one client only. `subject` names the caller in audit
 * entries (`user:<username>` for a dashboard user); `userId` is set for dashboard users.
 */
export type Principal =
  | { role: "admin" | "technician" | "vcio"; subject: string; userId?: string }
  | { role: "viewer"; subject: string; clientId: string; userId?: string };

/** Turns a presented bearer token into a principal, or null when the token is not one of its kind. */
export type Authenticator = (token: string, deps: ApiDeps) => Principal | null | Promise<Principal | null>;

/** The bootstrap admin API token (`VIGIL_ADMIN_TOKEN`), compared against its hash in constant time. */
export const adminTokenAuthenticator: Authenticator = (token, deps) =>
  tokenMatches(token, deps.adminTokenHash) ? { role: "admin", subject: "admin-token" } : null;

// Tried in order on a bearer token; per-user API tokens are added here later. Sessions come from the cookie.
const AUTHENTICATORS: readonly Authenticator[] = [adminTokenAuthenticator];

/** Longest bearer token looked at; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 512;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_TOKEN_LENGTH + 20) return null;
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m ? m[1]! : null;
}

/** Methods that change nothing, so a cookie alone may authorise them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Header the dashboard sends with every request; a cross-site form cannot, so changes without it are refused. */
export const CSRF_HEADER = "X-Vigil-Request";

/** The principal of a dashboard user (the session's or the login's). */
export function userPrincipal(user: { id: string; username: string; role: Role; clientId: string }): Principal {
  const subject = `user:${user.username}`;
  return user.role === "viewer" ? { role: "viewer", subject, clientId: user.clientId, userId: user.id } : { role: user.role, subject, userId: user.id };
}

/**
 * The principal of the `vigil_session` cookie, or null. A cookie-authenticated request that may change
 * something must carry `X-Vigil-Request: 1` (403 otherwise), which a cross-site form or link cannot send.
 */
export async function sessionPrincipal(c: Context<ApiEnv>): Promise<Principal | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const resolved = await sessionsFor(c.get("deps").store).resolve(token);
  if (!resolved) return null;
  if (!SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== "1") {
    throw new ApiError(403, "forbidden", `missing ${CSRF_HEADER} header`);
  }
  return userPrincipal(resolved.user);
}

/**
 * The principal of this request (resolved once, then kept in the `principal` variable), or null. A bearer
 * token, when one is sent, is the credential; otherwise the session cookie.
 */
export async function authenticate(c: Context<ApiEnv>): Promise<Principal | null> {
  const known = c.get("principal");
  if (known) return known;
  const token = bearerToken(c.req.header("authorization"));
  if (!token) {
    if (c.req.header("authorization")) return null;
    const principal = await sessionPrincipal(c);
    if (principal) c.set("principal", principal);
    return principal;
  }
  for (const authenticator of AUTHENTICATORS) {
    const principal = await authenticator(token, c.get("deps"));
    if (principal) {
      c.set("principal", principal);
      return principal;
    }
  }
  return null;
}

/**
 * Route middleware: the caller must be authenticated (401 otherwise) and hold one of the roles (403 otherwise).
 * Routes that serve a viewer must also check the principal's client scope themselves.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = await authenticate(c);
    if (!principal) throw ApiError.unauthorized();
    if (!roles.includes(principal.role)) throw new ApiError(403, "forbidden", `requires role ${roles.join(" or ")}`);
    await next();
  };
}

/** The principal set by {@link requireRole}; throws 401 when a route forgot to require one. */
export function principalOf(c: Context<ApiEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw ApiError.unauthorized();
  return principal;
}
