import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type pino from "pino";
import type { TimelineOptions } from "../availability/index.js";
import type { PresenceEventSource } from "../gateway/presence-events.js";
import type { Store } from "../store/clickhouse.js";
import { agentsApi } from "./agents/index.js";
import { alertingApi } from "./alerts/index.js";
import type { EmailRelay } from "./channels/email-relay.js";
import { auditApi } from "./audit/index.js";
import { clientsApi } from "./clients/index.js";
import { enrollmentTokensApi } from "./enrollment-tokens/index.js";
import { fleetApi } from "./fleet/index.js";
import { ApiError, errorResponse, handleError } from "./errors.js";
import { hostsApi } from "./hosts/index.js";
import { incidentsApi } from "./incidents/index.js";
import { hostInventoryApi, inventoryApi } from "./inventory/index.js";
import { maintenanceWindowsApi } from "./maintenance-windows/index.js";
import { reportRunsApi } from "./report-runs/index.js";
import { timelinesApi } from "./timelines/index.js";
import { reportsApi } from "./reports/index.js";
import { createRouter, type ApiEnv } from "./router.js";
import { sitesApi } from "./sites/index.js";
import { sessionApi } from "./session/index.js";
import { usersApi } from "./users/index.js";

/** Which agents hold a live connection; implemented by the gateway. */
export interface AgentPresence {
  isConnected(agentId: string): boolean;
  /** Epoch ms of the last frame on a live or recent connection. */
  lastSeen(agentId: string): number | undefined;
  /** Closes a live connection of this agent. */
  disconnect(agentId: string, reason: "revoked"): void;
}

/** What the API needs from the rest of the collector. */
export interface ApiDeps {
  store: Store;
  /** Base URL agents use to reach this collector (goes into install commands). */
  publicUrl: string;
  /** hashToken() of the bootstrap admin API token. */
  adminTokenHash: string;
  presence: AgentPresence;
  logger: pino.Logger;
  /** The agents' sample and check intervals, which set the availability timeline's gap thresholds. */
  timeline?: TimelineOptions;
  /** This collector's run id: reports extend only its own run to now. */
  collectorRunId?: string;
  /** Retention settings: metric ranges older than raw data are read from the rollups. */
  retention?: { rawDays: number; minuteRollupDays: number };
  /** This collector's agent connection events as they happen (live fleet updates); without it the fleet stream polls only. */
  presenceEvents?: PresenceEventSource;
  /** How often the live fleet stream reads the store for changes on other collectors (ms; default 5000). */
  fleetPollMs?: number;
  /** How often the live fleet stream sends a keep-alive and checks that its session still stands (ms; default 15000). */
  fleetHeartbeatMs?: number;
  /** The collector's SMTP relay for e-mail channels' test sends. */
  email?: EmailRelay;
}

/** Prefix of every API route. */
export const API_PREFIX = "/api/v1";

/** Largest request body the API reads. */
const MAX_BODY_BYTES = 64 * 1024;

/** Builds the /api/v1 application: routes, auth, errors as JSON, and the OpenAPI document at /api/v1/openapi.json. */
export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = createRouter();
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "Admin API token (VIGIL_ADMIN_TOKEN). Dashboard users authenticate with the session cookie instead (sessionCookie)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "vigil_session",
    description:
      "Dashboard session from POST /api/v1/session (HttpOnly, SameSite=Strict). Requests other than GET/HEAD/OPTIONS " +
      "authenticated by it must send the header `X-Vigil-Request: 1`, or get 403. Routes marked bearerAuth accept it too.",
  });
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `body: larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.route(`${API_PREFIX}/session`, sessionApi());
  app.route(`${API_PREFIX}/users`, usersApi());
  app.route(`${API_PREFIX}/clients`, clientsApi());
  app.route(`${API_PREFIX}/sites`, sitesApi());
  app.route(`${API_PREFIX}/enrollment-tokens`, enrollmentTokensApi());
  app.route(`${API_PREFIX}/agents`, agentsApi());
  app.route(`${API_PREFIX}/hosts`, hostsApi());
  app.route(`${API_PREFIX}/fleet`, fleetApi());
  app.route(`${API_PREFIX}/hosts`, hostInventoryApi());
  app.route(`${API_PREFIX}/inventory`, inventoryApi());
  app.route(`${API_PREFIX}/reports`, reportsApi());
  app.route(API_PREFIX, alertingApi());
  app.route(`${API_PREFIX}/maintenance-windows`, maintenanceWindowsApi());
  app.route(`${API_PREFIX}/audit`, auditApi());
  app.route(`${API_PREFIX}/incidents`, incidentsApi());
  app.route(`${API_PREFIX}/report-runs`, reportRunsApi());
  app.route(API_PREFIX, timelinesApi());
  app.doc31(`${API_PREFIX}/openapi.json`, {
    openapi: "3.1.0",
    info: {
      title: "Vigil API",
      version: "1",
      description: "Uptime, SLA and downtime-cost monitoring for managed service providers.",
    },
    servers: [{ url: deps.publicUrl }],
  });
  // A catch-all route rather than only notFound(): it still answers JSON when this app is mounted in another.
  const noRoute = (c: Context) => errorResponse(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
  app.all(`${API_PREFIX}/*`, noRoute);
  app.notFound(noRoute);
  app.onError(handleError);
  return app;
}
