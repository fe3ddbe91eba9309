import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { AgentConfig } from "@vigil/protocol";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertEngine } from "../../collector/src/alerts/engine.js";
import { StoreAlertRepository } from "../../collector/src/alerts/repository.js";
import { reply, startReceiver, type Receiver } from "../../collector/src/alerts/channels/testing.js";
import { createApi } from "../../collector/src/api/app.js";
import { hashToken, newId, nextVersion } from "../../collector/src/auth/secrets.js";
import { CollectorRun } from "../../collector/src/collector-runs.js";
import { loadConfig } from "../../collector/src/config.js";
import { AgentDirectory } from "../../collector/src/gateway/agent-directory.js";
import { Gateway } from "../../collector/src/gateway/gateway.js";
import { StoredSeqLedger } from "../../collector/src/gateway/ledger.js";
import { CollectorMetrics } from "../../collector/src/observability/metrics.js";
import { openStore, type Store } from "../../collector/src/store/clickhouse.js";
import { migrate } from "../../collector/src/store/migrate.js";
import { BatchWriter } from "../../collector/src/writer/writer.js";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, startAgent, tempDir, waitFor, type AgentProcess } from "../support/processes.js";

// The alert engine of a primary collector following agents connected to a secondary. Two collector processes
// cannot share the embedded store (chDB opens a data directory in one process only, and no ClickHouse server
// runs here), so both collectors live in this process over one real embedded store: the secondary is the real
// gateway, writer, run record and API on its own port, which real agent processes enroll with and connect to;
// the primary is the real alert engine, reading that store with its own collector id and delivering to a real
// webhook receiver. What crosses between them is only what crosses between two machines: rows in the store.

const ADMIN = "vat_admin_" + "S".repeat(40);

describe.concurrent("alerts for agents on a secondary collector", () => {
  let dir: string;
  let store: Store;
  let secondary: { url: string; runId: string; close(): Promise<void> };
  let engine: AlertEngine;
  let receiver: Receiver;
  let api: AdminApi;
  const received = new Map<string, string[]>();
  const agents: AgentProcess[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    dir = tempDir("alerts-secondary-store");
    dirs.push(dir);
    store = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    const config = loadConfig({ ...LOOPBACK_AGENT_ENV, VIGIL_DATA_DIR: dir, VIGIL_PORT: "0", VIGIL_ADMIN_TOKEN: ADMIN });
    await migrate(store, config.retention);
    const logger = pino({ level: "silent" });

    // The secondary: API (for enrollment) and agent gateway on one port, recording its own run.
    const run = new CollectorRun(store);
    await run.start();
    const writer = new BatchWriter(store, { ...config.writer, logger });
    const directory = new AgentDirectory(store);
    await directory.load();
    const ledger = new StoredSeqLedger(store, (agentId, seq) => void writer.submit({ agent_acks: [{ agent_id: agentId, seq }] }).catch(() => undefined));
    const metrics = new CollectorMetrics();
    const gateway = new Gateway({ directory, ledger, writer, metrics, logger, agentConfig: AgentConfig.parse(config.agentDefaults), collectorId: run.id });
    const app = createApi({ store, publicUrl: "http://127.0.0.1", adminTokenHash: hashToken(ADMIN), presence: gateway, logger });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    gateway.attach(server);
    const refresh = setInterval(() => void directory.load().catch(() => undefined), 500);
    secondary = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      runId: run.id,
      async close() {
        clearInterval(refresh);
        await gateway.close();
        await new Promise<void>((r) => server.close(() => r()));
        await writer.close();
        await run.stop("test over");
      },
    };
    api = new AdminApi(secondary.url, ADMIN);

    receiver = await startReceiver((request, res) => {
      const body = request.json() as { event: string; alert: { summary: string } };
      received.set(request.path, [...(received.get(request.path) ?? []), `${body.event}: ${body.alert.summary}`]);
      reply(res, 200);
    });

    // The primary's engine: default settings, its own collector id.
    engine = new AlertEngine({ repo: new StoreAlertRepository(store), logger, publicUrl: "http://127.0.0.1", collectorId: newId() });
    await engine.start();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.kill().catch(() => undefined)));
    await engine?.stop();
    await secondary?.close();
    await receiver?.close();
    await store?.close();
    cleanup(...dirs);
  });

  /** An enrolled agent alone at its own client, whose webhook channel posts to `/<name>`. */
  async function host(name: string) {
    const { clientId, token } = await api.enrollmentToken(name);
    const channel = await api.request("POST", "/api/v1/channels", { clientId, name, config: { type: "webhook", url: `${receiver.origin}/${name}` } });
    expect(channel.status).toBe(201);
    const stateDir = tempDir(`alerts-secondary-${name}`);
    dirs.push(stateDir);
    const agentId = await enrollAgent(secondary.url, token, stateDir);
    const start = () => {
      const agent = startAgent(stateDir);
      agents.push(agent);
      return agent;
    };
    return { agentId, clientId, path: `/${name}`, start };
  }

  const connected = (agentId: string) => async () =>
    (await store.query<{ n: number }>("SELECT count() AS n FROM connection_events WHERE agent_id = {a:String} AND event = 'connected'", { a: agentId }))[0]!.n > 0;

  it("alerts a SIGKILLed agent's host once and resolves it when the agent is back", async () => {
    const h = await host("killed");
    const agent = h.start();
    await waitFor(connected(h.agentId), "agent connected to the secondary");
    await agent.kill();
    const fired = await waitFor(() => received.get(h.path), "host-down webhook", 40_000);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatch(/^firing: .* lost its connection at .* without a goodbye/);
    h.start(); // stopped with the others in afterAll
    await waitFor(() => (received.get(h.path)?.length ?? 0) >= 2, "resolve webhook", 30_000);
    expect(received.get(h.path)!.map((m) => m.split(":")[0])).toEqual(["firing", "resolved"]);
  });

  it("when a secondary dies without a word, alerts its hosts that reconnect nowhere and not those that come back elsewhere", async () => {
    const stranded = await host("stranded");
    const moved = await host("moved");
    // A collector that was heartbeating until 20 s ago, holding both agents' connections by its own record.
    const dead = newId();
    const now = Date.now();
    await store.insert("collector_runs", [{ run_id: dead, started_at: now - 3600_000, heartbeat_at: now - 20_000, stopped_at: null, stop_reason: "", version: nextVersion() }]);
    const row = (agentId: string) => ({ at: now, agent_id: agentId, client_id: "", site_id: "", event: "connected", reason: "hello", detail: "", remote_addr: "127.0.0.1", boot_id: "", agent_version: "1", collector_id: dead });
    const hosts = await store.query<{ id: string; client_id: string; site_id: string }>("SELECT id, client_id, site_id FROM agents FINAL WHERE id IN ({ids:Array(String)})", { ids: [stranded.agentId, moved.agentId] });
    await store.insert(
      "connection_events",
      hosts.map((h) => ({ ...row(h.id), client_id: h.client_id, site_id: h.site_id })),
    );
    // One agent reconnects through the live secondary at once; the other never does.
    moved.start();
    await waitFor(connected(moved.agentId), "moved agent connected to the live secondary");
    const fired = await waitFor(() => received.get(stranded.path), "host-down webhook for the stranded host", 50_000);
    expect(fired[0]).toMatch(/^firing: .* was connected to a collector that stopped heartbeating/);
    expect(received.get(moved.path)).toBeUndefined();
  });
});
