import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { verifyDummy, verifyPassword } from "../../auth/passwords.js";
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, sessionsFor } from "../../auth/sessions.js";
import type { Store } from "../../store/clickhouse.js";
import { findUserByUsername, usernameKey } from "../../store/queries/users.js";
import { authenticate } from "../auth.js";
import { ApiError } from "../errors.js";
import type { ApiEnv } from "../router.js";
import { ErrorSchema, errorResponses, jsonBody, jsonResponse } from "../schema.js";
import { LoginSchema, SessionSchema } from "./schema.js";
import { LoginThrottle, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USERNAME } from "./throttle.js";

const tags = ["session"];
const INVALID_CREDENTIALS = "invalid username or password";

const login = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Log in to the dashboard",
  description:
    `Sets the \`${SESSION_COOKIE}\` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over https). The session ends ` +
    "after 12 hours, or 2 hours without a request, or at logout. A wrong password and an unknown or disabled user " +
    `get the same 401. After ${MAX_FAILURES_PER_USERNAME} failures for a username (or ${MAX_FAILURES_PER_ADDRESS} from ` +
    "one address) within 15 minutes, logins are refused with 429 and Retry-After.",
  security: [],
  request: { body: jsonBody(LoginSchema) },
  responses: {
    200: jsonResponse("Logged in", SessionSchema),
    ...errorResponses(400, 401, 503),
    429: { description: "Too many failed logins; retry after Retry-After seconds", content: { "application/json": { schema: ErrorSchema } } },
  },
});

const me = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Who is logged in",
  description: "The user of the session cookie, or of the bearer token (the admin token answers as the user `admin-token`).",
  security: [{ bearerAuth: [] }, { sessionCookie: [] }],
  responses: { 200: jsonResponse("The caller", SessionSchema), ...errorResponses(401, 503) },
});

const logout = createRoute({
  method: "delete",
  path: "/",
  tags,
  summary: "Log out",
  description: "Ends the session of the cookie and clears the cookie. Answers 204 even without a session.",
  security: [],
  responses: { 204: { description: "Logged out" }, ...errorResponses(503) },
});

// One throttle per store, like the session cache: every API instance of this process over the store shares it.
const throttles = new WeakMap<Store, LoginThrottle>();
function throttleFor(store: Store): LoginThrottle {
  let t = throttles.get(store);
  if (!t) throttles.set(store, (t = new LoginThrottle()));
  return t;
}

/** Registers login, who-am-I and logout. */
export function registerSession(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(login, async (c) => {
    const { store, logger } = c.var.deps;
    const { username, password } = c.req.valid("json");
    const throttle = throttleFor(store);
    const userKey = `user:${usernameKey(username)}`;
    const addressKey = `addr:${clientAddress(c)}`;
    const wait = throttle.retryAfterMs([
      { key: userKey, limit: MAX_FAILURES_PER_USERNAME },
      { key: addressKey, limit: MAX_FAILURES_PER_ADDRESS },
    ]);
    if (wait > 0) {
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      return c.json({ error: { code: "too_many_requests", message: "too many failed logins; try again later" } }, 429);
    }

    const user = await findUserByUsername(store, username);
    // Unknown users cost the same scrypt work as known ones, so timing does not tell which usernames exist.
    const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyDummy(password);
    if (!user || !ok || user.disabled) {
      throttle.fail([userKey, addressKey]);
      // The name typed is logged only when it is a user's: people sometimes type their password into it.
      logger.info({ username: user?.username, address: addressKey.slice(5) }, "login failed");
      return c.json({ error: { code: "invalid_credentials", message: INVALID_CREDENTIALS } }, 401);
    }
    throttle.clear(userKey);
    const { token } = await sessionsFor(store).create(user);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: overHttps(c),
      maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    });
    logger.info({ userId: user.id, username: user.username }, "login");
    return c.json({ user: { id: user.id, username: user.username, role: user.role, clientId: user.clientId || null } }, 200);
  });

  api.openapi(me, async (c) => {
    const principal = await authenticate(c);
    if (!principal) throw ApiError.unauthorized("not logged in");
    const user = principal.userId
      ? { id: principal.userId, username: principal.subject.replace(/^user:/, ""), role: principal.role, clientId: principal.role === "viewer" ? principal.clientId : null }
      : { id: principal.subject, username: principal.subject, role: principal.role, clientId: principal.role === "viewer" ? principal.clientId : null };
    return c.json({ user }, 200);
  });

  api.openapi(logout, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await sessionsFor(c.var.deps.store).revokeToken(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict", secure: overHttps(c) });
    return c.body(null, 204);
  });
}

// Secure cookies only when the browser reached us over https (directly, or through a TLS-terminating proxy that
// says so): a Secure cookie over plain http would never come back, and `npm start` serves http on loopback.
function overHttps(c: Context<ApiEnv>): boolean {
  return c.req.url.startsWith("https:") || c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

// The address the login came from. Behind a reverse proxy on this machine (the documented setup: the collector
// listens on loopback) every peer is the proxy, so then the address the proxy appended to X-Forwarded-For (the
// last one) counts; one client must not lock out everybody. From any other peer the header is ignored: a client
// could set it to escape the per-address limit.
function clientAddress(c: Context<ApiEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = env?.incoming?.socket?.remoteAddress ?? "unknown";
  if (!/^(127\.|::1$|::ffff:127\.)/.test(peer)) return peer;
  const forwarded = c.req.header("x-forwarded-for")?.split(",").map((a) => a.trim()).filter(Boolean).at(-1);
  return forwarded?.slice(0, 64) ?? peer;
}
