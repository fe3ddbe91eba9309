import { CloseCode, PROTOCOL_VERSION } from "@vigil/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedAgent, healthRecord, type Refusal } from "../fleet/simulated-agent.js";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { cleanup, startCollector, type CollectorProcess } from "../support/processes.js";

interface Series {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

describe("hostile input to the agent gateway", () => {
  let collector: CollectorProcess;
  let api: AdminApi;
  let enrollmentToken: string;
  let bystander: SimulatedAgent;
  let bystanderSeq = 0;
  let bystanderTimer: NodeJS.Timeout;

  /** Enrolls a fresh simulated host and returns its agent id and token. */
  async function enrollHost(name: string): Promise<{ agentId: string; agentToken: string }> {
    const res = await fetch(`${collector.url}/api/v1/agents/enroll`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: enrollmentToken, hostname: name, agentVersion: "0.0.0-sim", machineId: `m-${name}` }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { agentId: string; agentToken: string };
  }

  async function connected(name: string): Promise<{ agent: SimulatedAgent; agentId: string }> {
    const { agentId, agentToken } = await enrollHost(name);
    const agent = new SimulatedAgent(collector.url, agentToken, name);
    await agent.connect();
    return { agent, agentId };
  }

  async function points(agentId: string, name = "cpu.utilization"): Promise<Series[]> {
    const r = await api.request<{ series: Series[] }>("GET", `/api/v1/hosts/${agentId}/metrics?name=${encodeURIComponent(name)}&from=${Date.now() - 3_600_000}`);
    expect(r.status).toBe(200);
    return r.body.series;
  }

  beforeAll(async () => {
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    api = new AdminApi(collector.url, collector.adminToken);
    enrollmentToken = (await api.enrollmentToken("Hostile Inc")).token;
    // A well-behaved agent streams throughout; every test below must leave it unharmed.
    bystander = (await connected("bystander")).agent;
    bystanderTimer = setInterval(() => bystander.sendBatch(++bystanderSeq, [healthRecord(Date.now())]), 100);
  });

  afterAll(async () => {
    clearInterval(bystanderTimer);
    bystander?.close();
    await collector?.stop();
    cleanup(collector?.dataDir);
  });

  async function bystanderStillServed(): Promise<void> {
    const target = bystanderSeq;
    await bystander.waitForAck(target, 10_000);
    expect(bystander.closed).toBeUndefined();
  }

  it("refuses an unknown token with 401 before the upgrade", async () => {
    const agent = new SimulatedAgent(collector.url, "vga_nosuchagent1234_" + "x".repeat(43));
    const refusal = (await agent.connect().catch((e: Refusal) => e)) as Refusal;
    expect(refusal.status).toBe(401);
    expect(JSON.parse(refusal.body!).error.code).toBe("unauthorized");
    await bystanderStillServed();
  });

  it("refuses a token of the wrong shape and a right id with the wrong secret", async () => {
    const { agentId } = await enrollHost("victim");
    for (const token of ["not-a-token", "", `vga_${agentId}_${"A".repeat(43)}`, `vga_${agentId}_'; DROP TABLE agents; --`]) {
      const refusal = (await new SimulatedAgent(collector.url, token).connect().catch((e: Refusal) => e)) as Refusal;
      expect(refusal.status, token).toBe(401);
    }
    await bystanderStillServed();
  });

  it("refuses a revoked token with token_revoked", async () => {
    const { agentId, agentToken } = await enrollHost("revoked");
    expect((await api.request("POST", `/api/v1/hosts/${agentId}/revoke`)).status).toBe(200);
    const refusal = (await new SimulatedAgent(collector.url, agentToken).connect().catch((e: Refusal) => e)) as Refusal;
    expect(refusal.status).toBe(401);
    expect(JSON.parse(refusal.body!).error.code).toBe("token_revoked");
  });

  it("closes with 1002 on malformed JSON and on an unknown message type, storing nothing", async () => {
    for (const frame of ["{not json", JSON.stringify({ type: "launch_missiles", v: PROTOCOL_VERSION })]) {
      const { agent, agentId } = await connected(`garbled-${frame.length}`);
      agent.sendRaw(frame);
      const { code } = await agent.waitForClose();
      expect(code).toBe(CloseCode.ProtocolError);
      const errors = agent.received.filter((m) => m.type === "error");
      expect(errors).toHaveLength(1);
      expect((await points(agentId))).toEqual([]);
    }
    await bystanderStillServed();
  });

  it("refuses a batch with wrong field types alone, keeps the connection, and stores the next batch", async () => {
    const { agent, agentId } = await connected("wrong-types");
    agent.sendRaw(JSON.stringify({ type: "batch", v: PROTOCOL_VERSION, seq: 1, sentAt: Date.now(), records: [{ kind: "health", ts: Date.now(), bootId: "b", metrics: [{ name: "cpu.utilization", value: "lots" }] }] }));
    agent.sendBatch(2, [healthRecord(Date.now())]);
    await agent.waitForAck(2);
    const error = agent.received.find((m) => m.type === "error");
    expect(error).toMatchObject({ code: "invalid_message", seq: 1, retryable: false });
    expect(agent.closed).toBeUndefined();
    const series = await points(agentId);
    expect(series.flatMap((s) => s.points)).toHaveLength(1);
    agent.close();
  });

  it("closes with 1009 on a frame over 1 MiB and stores nothing of it", async () => {
    const { agent, agentId } = await connected("oversized");
    const huge = healthRecord(Date.now());
    (huge as { metrics: unknown[] }).metrics = Array.from({ length: 3000 }, (_, i) => ({ name: "cpu.utilization", labels: { core: String(i), pad: "p".repeat(400) }, value: i }));
    agent.sendBatch(1, [huge]);
    const { code } = await agent.waitForClose();
    expect(code).toBe(1009);
    expect(await points(agentId)).toEqual([]);
    await bystanderStillServed();
  });

  it("insists on hello first (4010) and refuses an unsupported protocol version (4400)", async () => {
    const first = await enrollHost("no-hello");
    const a = new SimulatedAgent(collector.url, first.agentToken);
    await a.connect({ sendHello: false });
    a.sendBatch(1, [healthRecord(Date.now())]);
    expect((await a.waitForClose()).code).toBe(CloseCode.HelloRequired);

    const second = await enrollHost("future");
    const b = new SimulatedAgent(collector.url, second.agentToken);
    await b.connect({ sendHello: false });
    b.sendRaw(JSON.stringify({ type: "hello", v: 99 }));
    expect((await b.waitForClose()).code).toBe(CloseCode.UnsupportedVersion);
    expect(await points(first.agentId)).toEqual([]);
  });

  it("refuses a second connection with the same token (4009) while the first carries on", async () => {
    const { agentId, agentToken } = await enrollHost("twin");
    const one = new SimulatedAgent(collector.url, agentToken);
    await one.connect();
    const two = new SimulatedAgent(collector.url, agentToken);
    const refusal = (await two.connect().catch((e: Refusal) => e)) as Refusal;
    expect(refusal.closeCode).toBe(CloseCode.DuplicateSession);
    one.sendBatch(1, [healthRecord(Date.now())]);
    await one.waitForAck(1);
    expect((await points(agentId)).flatMap((s) => s.points)).toHaveLength(1);
    one.close();
  });

  it("stores hostile strings verbatim, as data", async () => {
    const { agent, agentId } = await connected("hostile-strings");
    const evil = `'); DROP TABLE metrics_raw; -- \u0000 <script>alert(1)</script> {v:String}`;
    agent.sendBatch(1, [{ kind: "health", ts: Date.now(), bootId: "b", metrics: [{ name: "fs.used_pct", labels: { mount: evil }, value: 42 }] }]);
    await agent.waitForAck(1);
    const series = await points(agentId, "fs.used_pct");
    expect(series).toHaveLength(1);
    expect(series[0]!.labels.mount).toBe(evil);
    expect(series[0]!.points[0]![1]).toBe(42);
    await bystanderStillServed();
    agent.close();
  });

  it("acknowledges a resent batch without storing it twice", async () => {
    const { agentId, agentToken } = await enrollHost("resender");
    const first = new SimulatedAgent(collector.url, agentToken);
    await first.connect();
    const ts = Date.now() - 10_000;
    first.sendBatch(1, [healthRecord(ts)]);
    first.sendBatch(2, [healthRecord(ts + 1000)]);
    await first.waitForAck(2);
    first.close();
    await first.waitForClose();
    const again = new SimulatedAgent(collector.url, agentToken);
    const welcome = await again.connect({ lastSeq: 2 });
    expect(welcome!.storedSeq).toBe(2);
    again.sendBatch(2, [healthRecord(ts + 1000)]);
    again.sendBatch(3, [healthRecord(ts + 2000)]);
    await again.waitForAck(3);
    expect((await points(agentId)).flatMap((s) => s.points).map((p) => p[0])).toEqual([ts, ts + 1000, ts + 2000]);
    again.close();
    await again.waitForClose();
    // An agent that lost its state (numbering from 0 again) is told to continue after what is stored.
    const reset = new SimulatedAgent(collector.url, agentToken);
    expect((await reset.connect({ lastSeq: 0 }))!.storedSeq).toBe(3);
    reset.close();
  });
});
