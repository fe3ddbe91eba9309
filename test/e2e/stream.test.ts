import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, enrollAgent, runAgentCli, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

interface Host {
  id: string;
  hostname: string;
  status: string;
  lastSeenAt: string | null;
  agentVersion: string;
}
interface Series {
  name: string;
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

describe("an enrolled agent streams health into ClickHouse through the collector", () => {
  let collector: CollectorProcess;
  let api: AdminApi;
  let agent: AgentProcess;
  let stateDir: string;
  let agentId: string;

  beforeAll(async () => {
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    api = new AdminApi(collector.url, collector.adminToken);
    stateDir = tempDir("agent");
    const { token } = await api.enrollmentToken();
    agentId = await enrollAgent(collector.url, token, stateDir);
    agent = startAgent(stateDir, { healthInterval: 1, checkInterval: 5 });
  });

  afterAll(async () => {
    await agent?.stop();
    await collector?.stop();
    cleanup(stateDir, collector?.dataDir);
  });

  it("shows the host online with its agent version", async () => {
    const host = await waitFor(async () => {
      const r = await api.request<{ items: Host[] }>("GET", "/api/v1/hosts");
      return r.body.items.find((h) => h.id === agentId && h.status === "online");
    }, "host online");
    expect(host.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(host.lastSeenAt).not.toBeNull();
  });

  it("makes cpu.utilization and memory.used_pct queryable through the API", async () => {
    for (const name of ["cpu.utilization", "memory.used_pct"]) {
      const series = await waitFor(async () => {
        const r = await api.request<{ series: Series[] }>("GET", `/api/v1/hosts/${agentId}/metrics?name=${name}`);
        return r.status === 200 && r.body.series[0] && r.body.series[0].points.length >= 3 ? r.body.series : undefined;
      }, `${name} points`);
      for (const [ts, value] of series[0]!.points) {
        expect(ts).toBeGreaterThan(Date.now() - 120_000);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(100);
      }
    }
  });

  it("stores per-filesystem usage with its mount label", async () => {
    const series = await waitFor(async () => {
      const r = await api.request<{ series: Series[] }>("GET", `/api/v1/hosts/${agentId}/metrics?name=fs.used_pct`);
      return r.body.series.find((s) => s.labels.mount === "/");
    }, "fs.used_pct for /");
    expect(series.points.length).toBeGreaterThan(0);
  });

  it("reports connected, the last ack and the spool in `vigil-agent status`", async () => {
    const status = await waitFor(async () => {
      const r = await runAgentCli(["status", "--state-dir", stateDir]);
      return r.code === 0 && /last ack:\s+\d{4}-/.test(r.stdout) ? r.stdout : undefined;
    }, "status connected");
    expect(status).toMatch(/connected:\s+yes/);
    expect(status).toMatch(/spool:\s+\d+ batches/);
    expect(status).toMatch(/last error: none/);
  });

  it("exposes ingest counters on /metrics", async () => {
    const text = await waitFor(async () => {
      const t = await (await fetch(`${collector.url}/metrics`)).text();
      return /vigil_rows_written_total\{table="metrics_raw"\} [1-9]/.test(t) ? t : undefined;
    }, "rows written");
    expect(text).toMatch(/vigil_connected_agents 1/);
    expect(text).toMatch(/vigil_insert_duration_seconds_bucket/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it("revoking the host closes its connection and the agent says it must be enrolled again", async () => {
    const r = await api.request("POST", `/api/v1/hosts/${agentId}/revoke`);
    expect(r.status).toBe(200);
    const status = await waitFor(async () => {
      const s = await runAgentCli(["status", "--state-dir", stateDir]);
      return /enroll it again/.test(s.stdout) ? s.stdout : undefined;
    }, "agent reports revocation");
    expect(status).toMatch(/connected:\s+no/);
    // No tight retry loop: over the next seconds the agent tries at most once more.
    const refusals = async () => Number(/vigil_rejected_messages_total\{reason="token_revoked"\} (\d+)/.exec(await (await fetch(`${collector.url}/metrics`)).text())?.[1] ?? 0);
    const before = await refusals();
    await new Promise((r) => setTimeout(r, 4000));
    expect((await refusals()) - before).toBeLessThanOrEqual(1);
    const hosts = await api.request<{ items: Host[] }>("GET", "/api/v1/hosts");
    expect(hosts.body.items.find((h) => h.id === agentId)?.status).toBe("revoked");
  });
});
