import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { streamSSE } from "hono/streaming";
import { SESSION_COOKIE, sessionsFor } from "../../auth/sessions.js";
import type { ApiDeps } from "../app.js";
import { READ_ROLES } from "../access.js";
import { principalOf, requireRole } from "../auth.js";
import type { ApiEnv } from "../router.js";
import { bearerSecurity, errorResponses } from "../schema.js";
import { FleetWatcher } from "./watcher.js";

/** Between heartbeat comments, so proxies and the browser keep an idle stream open. */
export const HEARTBEAT_MS = 15_000;

const route = createRoute({
  method: "get",
  path: "/events",
  tags: ["fleet"],
  summary: "Live host status changes (Server-Sent Events)",
  description:
    "A text/event-stream: first `event: ready` once changes are being watched, then `event: host` with a FleetHost as data whenever a host's status, connection or open alerts change (or a host appears), and a comment line every 15 s. Only hosts the caller may see. After a reconnect, read GET /fleet again: changes while disconnected are not replayed.",
  middleware: [requireRole(...READ_ROLES)],
  security: bearerSecurity,
  responses: {
    200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses(401, 403, 503),
  },
});

// One watcher per API instance, shared by every open stream.
const watchers = new WeakMap<ApiDeps, FleetWatcher>();

function watcherOf(deps: ApiDeps): FleetWatcher {
  let w = watchers.get(deps);
  if (!w) {
    w = new FleetWatcher(deps, deps.presenceEvents, deps.fleetPollMs);
    watchers.set(deps, w);
  }
  return w;
}

/** `GET /fleet/events`. */
export function registerFleetEvents(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(route, (c) => {
    const principal = principalOf(c);
    const watcher = watcherOf(c.var.deps);
    const response = streamSSE(c, async (stream) => {
      let seq = 0;
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      const unsubscribe = await watcher.subscribe(principal.role === "viewer" ? principal.clientId : undefined, (host) => {
        void stream.writeSSE({ event: "host", id: String(++seq), data: JSON.stringify(host) });
      });
      // The stream may have been closed while the watcher was getting ready.
      if (stream.aborted) return unsubscribe();
      // A stream opened with a session ends with it: logout, expiry or a disabled user stop the events too.
      const sessionToken = principal.userId ? getCookie(c, SESSION_COOKIE) : undefined;
      const sessionEnded = async () => sessionToken !== undefined && !(await sessionsFor(c.var.deps.store).resolve(sessionToken).catch(() => true));
      const heartbeat = setInterval(() => {
        void sessionEnded().then(async (ended) => {
          if (ended) stream.abort();
          else await stream.write(": heartbeat\n\n");
        });
      }, c.var.deps.fleetHeartbeatMs ?? HEARTBEAT_MS);
      try {
        await stream.writeSSE({ event: "ready", data: "{}", retry: 3000 });
        await closed;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
    return response as never;
  });
}
