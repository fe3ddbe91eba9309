import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../collector/src/store/clickhouse.js";
import { SimulatedAgent, healthRecord } from "../fleet/simulated-agent.js";
import { AdminApi } from "../support/api.js";
import { freePort } from "../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, runAgentCli, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

interface Status {
  connected: boolean;
  lastError: string | null;
  lastAckSeq: number;
  spool: { pendingBatches: number; lastSeq: number };
}
const status = (dir: string) => JSON.parse(readFileSync(path.join(dir, "status.json"), "utf8")) as Status;

describe("an agent through a collector outage", () => {
  const dirs: string[] = [];
  let collector: CollectorProcess | undefined;
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    await agent?.kill().catch(() => undefined);
    await collector?.kill().catch(() => undefined);
    cleanup(...dirs);
  });

  it("says it cannot reach the collector, keeps spooling, backfills everything when it returns, and says goodbye on stop", async () => {
    const dataDir = tempDir("outage-collector");
    const stateDir = tempDir("outage-agent");
    dirs.push(dataDir, stateDir);
    const port = await freePort();
    collector = await startCollector({ dataDir, port, env: LOOPBACK_AGENT_ENV });
    const api = new AdminApi(collector.url, collector.adminToken);
    const { token } = await api.enrollmentToken("Outage AG");
    const agentId = await enrollAgent(collector.url, token, stateDir);
    await collector.stop();

    agent = startAgent(stateDir, { healthInterval: 1 });
    const down = await waitFor(() => {
      const s = status(stateDir);
      return s.lastError?.includes("cannot reach the collector") && s.spool.pendingBatches >= 3 ? s : undefined;
    }, "agent reports the outage and spools");
    expect(down.connected).toBe(false);
    expect(down.lastError).toContain(`127.0.0.1:${port}`);
    const human = await runAgentCli(["status", "--state-dir", stateDir]);
    expect(human.stdout).toMatch(/connected:\s+no/);
    expect(human.stdout).toMatch(/cannot reach the collector/);

    collector = await startCollector({ dataDir, port, env: LOOPBACK_AGENT_ENV });
    await waitFor(() => {
      const s = status(stateDir);
      return s.connected && s.lastAckSeq >= down.spool.lastSeq;
    }, "backlog delivered", 60_000);
    expect((await agent.stop("SIGTERM"))).toBe(0);
    agent = undefined;
    const final = status(stateDir);
    await collector.stop();
    collector = undefined;

    const store = await openStore({ kind: "embedded", path: path.join(dataDir, "clickhouse"), database: "vigil" });
    try {
      const seqs = await store.query<{ seq: number }>(
        `SELECT DISTINCT seq FROM (SELECT seq FROM health_samples WHERE agent_id = {a:String}
           UNION ALL SELECT seq FROM check_results WHERE agent_id = {a:String}
           UNION ALL SELECT seq FROM inventory_history WHERE agent_id = {a:String}) ORDER BY seq`,
        { a: agentId },
      );
      // Batches taken while the collector was down are all there, once each, as evidence.
      // (A batch stored just before the stop may have lost its ack; it stays spooled and is not stored twice.)
      const stored = seqs.map((r) => Number(r.seq));
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
      expect(stored.length).toBeGreaterThanOrEqual(final.lastAckSeq);
      expect(stored.length).toBeLessThanOrEqual(final.spool.lastSeq);
      expect(final.lastAckSeq).toBeGreaterThan(down.spool.lastSeq);
      // Before the collector's config arrived the agent ran no checks, so it never pinged its real gateway.
      const gatewayChecks = await store.query("SELECT ts FROM check_results WHERE agent_id = {a:String} AND check_id = 'gateway'", { a: agentId });
      expect(gatewayChecks).toEqual([]);
      const events = await store.query<{ event: string; reason: string }>(
        "SELECT event, reason FROM connection_events WHERE agent_id = {a:String} ORDER BY at",
        { a: agentId },
      );
      expect(events).toContainEqual({ event: "goodbye", reason: "service_stop" });
      expect(events.at(-1)).toEqual({ event: "disconnected", reason: "goodbye:service_stop" });
    } finally {
      await store.close();
    }
  }, 180_000);

  it("refuses enrollment against an unreachable collector with a clear message", async () => {
    const port = await freePort();
    const dir = tempDir("unreachable");
    dirs.push(dir);
    const r = await runAgentCli(["enroll", "--server", `http://127.0.0.1:${port}`, "--token", "vge_x_" + "y".repeat(30), "--state-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the collector at http://127.0.0.1:${port}`);
  });
});

describe("clock skew", () => {
  let collector: CollectorProcess;
  afterAll(async () => {
    await collector?.stop();
    cleanup(collector?.dataDir);
  });

  it("corrects timestamps from an agent whose clock is two minutes slow", async () => {
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    const api = new AdminApi(collector.url, collector.adminToken);
    const { token } = await api.enrollmentToken("Skew SARL");
    const res = await fetch(`${collector.url}/api/v1/agents/enroll`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, hostname: "slow-clock", agentVersion: "0.0.0-sim", machineId: "slow-clock" }),
    });
    const { agentId, agentToken } = (await res.json()) as { agentId: string; agentToken: string };
    const skew = -120_000;
    const agent = new SimulatedAgent(collector.url, agentToken);
    // The simulated agent's clock runs two minutes behind in every field it sends.
    const realNow = Date.now;
    Date.now = () => realNow() + skew;
    try {
      await agent.connect();
      agent.sendBatch(1, [healthRecord(Date.now())]);
    } finally {
      Date.now = realNow;
    }
    await agent.waitForAck(1);
    agent.close();
    const r = await api.request<{ series: Array<{ points: Array<[number, number]> }> }>("GET", `/api/v1/hosts/${agentId}/metrics?name=cpu.utilization`);
    const [ts] = r.body.series[0]!.points[0]!;
    expect(Math.abs(ts - Date.now())).toBeLessThan(10_000);
  });
});
