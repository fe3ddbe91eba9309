import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import pino from "pino";
import { hashToken } from "../auth/secrets.js";
import { openStore, type Store } from "../store/clickhouse.js";
import { migrate } from "../store/migrate.js";
import { createApi, type AgentPresence } from "./app.js";
import type { Principal } from "./auth.js";
import { createRouter, type ApiEnv } from "./router.js";

// Test support for the API: a real embedded store in a temp dir, the real app, and a stand-in gateway.

/** A parsed JSON response body; tests read fields freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** The gateway's side of presence, controlled by the test. */
export class FakePresence implements AgentPresence {
  readonly connected = new Set<string>();
  readonly seen = new Map<string, number>();
  readonly disconnects: Array<{ agentId: string; reason: string }> = [];

  isConnected(agentId: string): boolean {
    return this.connected.has(agentId);
  }

  lastSeen(agentId: string): number | undefined {
    return this.seen.get(agentId);
  }

  disconnect(agentId: string, reason: "revoked"): void {
    this.disconnects.push({ agentId, reason });
    this.connected.delete(agentId);
  }
}

export interface CallOptions {
  body?: unknown;
  /** Bearer token; default the admin token, null for no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestApi {
  app: OpenAPIHono<ApiEnv>;
  store: Store;
  presence: FakePresence;
  adminToken: string;
  publicUrl: string;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  call(method: string, path: string, options?: CallOptions): Promise<{ status: number; body: Json; headers: Headers }>;
  /**
   * What a versioned table holds: its live row count and highest version. Any write changes it. (Physical row
   * counts would not do: background merges of ReplacingMergeTree parts shrink them at any moment.)
   */
  snapshot(table: string): Promise<string>;
  /** Creates a client and a site through the API. */
  seedClientAndSite(name?: string): Promise<{ clientId: string; siteId: string }>;
  /** Creates a client, site and enrollment token, and enrolls an agent through the API. */
  seedAgent(options?: { hostname?: string; machineId?: string }): Promise<{ clientId: string; siteId: string; agentId: string; agentToken: string; enrollmentToken: string }>;
  close(): Promise<void>;
}

/** Opens a fresh embedded store in a temp dir, migrates it and builds the API over it. */
export async function createTestApi(): Promise<TestApi> {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-api-"));
  const store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
  await migrate(store, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  const logs: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  const presence = new FakePresence();
  const adminToken = "vat_admin_" + "A".repeat(40);
  const publicUrl = "http://127.0.0.1:8080";
  const app = createApi({ store, publicUrl, adminTokenHash: hashToken(adminToken), presence, logger });

  const call: TestApi["call"] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? adminToken : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(url, { method, headers, body });
    const text = await res.text();
    let parsed: Json = text;
    if (res.headers.get("content-type")?.includes("application/json")) parsed = JSON.parse(text);
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const api: TestApi = {
    app,
    store,
    presence,
    adminToken,
    publicUrl,
    logs,
    call,
    async snapshot(table) {
      const [row] = await store.query<{ n: number; v: number }>(`SELECT count() AS n, max(version) AS v FROM ${table} FINAL`);
      return `${row?.n} rows, max version ${row?.v}`;
    },
    async seedClientAndSite(name = "Acme") {
      const client = await call("POST", "/api/v1/clients", { body: { name } });
      if (client.status !== 201) throw new Error(`seed client: ${client.status}`);
      const site = await call("POST", "/api/v1/sites", { body: { clientId: client.body.id, name: "Head office" } });
      if (site.status !== 201) throw new Error(`seed site: ${site.status}`);
      return { clientId: client.body.id as string, siteId: site.body.id as string };
    },
    async seedAgent(options = {}) {
      const { clientId, siteId } = await api.seedClientAndSite();
      const t = await call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } });
      if (t.status !== 201) throw new Error(`seed token: ${t.status}`);
      const e = await call("POST", "/api/v1/agents/enroll", {
        token: null,
        body: {
          token: t.body.token,
          hostname: options.hostname ?? "fileserver01",
          agentVersion: "0.1.0",
          os: { platform: "linux", release: "6.1.0", arch: "x64" },
          machineId: options.machineId ?? `machine-${Math.random().toString(36).slice(2)}`,
        },
      });
      if (e.status !== 201) throw new Error(`seed enroll: ${e.status}`);
      return { clientId, siteId, agentId: e.body.agentId, agentToken: e.body.agentToken, enrollmentToken: t.body.token };
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return api;
}

// Calling the real app as a principal that no authenticator issues yet (viewer, technician, vcio): the
// principal is set before the app's routes run, as a session lookup will set it.

/** Calls `app` (the test API's app) as `principal` instead of with a bearer token; JSON bodies come back parsed. */
export async function callAs(
  app: OpenAPIHono<ApiEnv>,
  principal: Principal,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const outer = createRouter();
  outer.use("*", async (c, next) => {
    c.set("principal", principal);
    await next();
  });
  outer.route("/", app);
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  if (body !== undefined) init.headers = { "content-type": "application/json" };
  const res = await outer.request(url, init);
  const text = await res.text();
  return { status: res.status, body: res.headers.get("content-type")?.includes("application/json") ? JSON.parse(text) : text };
}

/** Password {@link loginUser} gives the users it creates. */
export const TEST_PASSWORD = "correct horse battery";

/**
 * Creates a dashboard user through the API (as the admin token) and logs them in: returns the user's id and the
 * `Cookie` header value of their session. Call with `{ token: null, headers: { cookie, "x-vigil-request": "1" } }`.
 */
export async function loginUser(
  t: TestApi,
  username: string,
  role: Principal["role"],
  clientId?: string,
): Promise<{ id: string; cookie: string }> {
  const created = await t.call("POST", "/api/v1/users", { body: { username, password: TEST_PASSWORD, role, ...(clientId ? { clientId } : {}) } });
  if (created.status !== 201) throw new Error(`create user ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await t.call("POST", "/api/v1/session", { token: null, body: { username, password: TEST_PASSWORD } });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  const cookie = /vigil_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`login ${username}: no session cookie`);
  return { id: created.body.id as string, cookie };
}
