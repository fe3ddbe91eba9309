import type { Context, MiddlewareHandler } from "hono";
import { tokenMatches } from "../auth/secrets.js";
import type { ApiDeps } from "./app.js";
import { ApiError } from "./errors.js";
import type { ApiEnv } from "./router.js";

/** What a caller may do. Only `admin` exists today; the dashboard adds the others. */
export type Role = "admin" | "technician" | "vcio" | "viewer";

/** The authenticated caller of a request. A viewer sees one client only. */
export type Principal =
  | { role: "admin" | "technician" | "vcio"; subject: string }
  | { role: "viewer"; subject: string; clientId: string };

/** Turns a presented bearer token into a principal, or null when the token is not one of its kind. */
export type Authenticator = (token: string, deps: ApiDeps) => Principal | null | Promise<Principal | null>;

/** The bootstrap admin API token (`VIGIL_ADMIN_TOKEN`), compared against its hash in constant time. */
export const adminTokenAuthenticator: Authenticator = (token, deps) =>
  tokenMatches(token, deps.adminTokenHash) ? { role: "admin", subject: "admin-token" } : null;

// Tried in order; sessions and per-user API tokens are added here later.
const AUTHENTICATORS: readonly Authenticator[] = [adminTokenAuthenticator];

/** Longest bearer token looked at; anything longer is not ours. */
const MAX_TOKEN_LENGTH = 512;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header || header.length > MAX_TOKEN_LENGTH + 20) return null;
  const m = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return m ? m[1]! : null;
}

/** The principal of this request (resolved once, then kept in the `principal` variable), or null. */
export async function authenticate(c: Context<ApiEnv>): Promise<Principal | null> {
  const known = c.get("principal");
  if (known) return known;
  const token = bearerToken(c.req.header("authorization"));
  if (!token) return null;
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
