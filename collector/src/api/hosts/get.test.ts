import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/hosts/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("returns one host, its last-seen time from stored data", async () => {
    const agent = await t.seedAgent({ hostname: "db01" });
    const first = await t.call("GET", `/api/v1/hosts/${agent.agentId}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: agent.agentId, hostname: "db01", clientId: agent.clientId, siteId: agent.siteId, status: "pending", lastSeenAt: null });

    const receivedAt = Date.now() - 3600_000 + 123; // recent: inside raw retention
    await t.store.insert("metrics_raw", [
      { client_id: agent.clientId, site_id: agent.siteId, agent_id: agent.agentId, name: "cpu.utilization", labels: "{}", ts: receivedAt - 1000, value: 1, boot_id: "b", seq: 7, skew_ms: 0, received_at: receivedAt },
    ]);
    const later = await t.call("GET", `/api/v1/hosts/${agent.agentId}`);
    expect(later.body).toMatchObject({ status: "offline", lastSeenAt: new Date(receivedAt).toISOString() });

    t.presence.connected.add(agent.agentId);
    expect((await t.call("GET", `/api/v1/hosts/${agent.agentId}`)).body.status).toBe("online");
  });

  it("answers a viewer of another client 404, as for an unknown host", async () => {
    const agent = await t.seedAgent();
    const own = { role: "viewer" as const, subject: "v", clientId: agent.clientId };
    expect((await callAs(t.app, own, "GET", `/api/v1/hosts/${agent.agentId}`)).status).toBe(200);
    const res = await callAs(t.app, { ...own, clientId: "someoneelse" }, "GET", `/api/v1/hosts/${agent.agentId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "host not found" } });
  });

  it("answers 404 for an unknown host", async () => {
    const res = await t.call("GET", "/api/v1/hosts/nosuchhost");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "host not found" } });
  });

  it("requires the admin token", async () => {
    const agent = await t.seedAgent();
    const res = await t.call("GET", `/api/v1/hosts/${agent.agentId}`, { token: agent.agentToken });
    expect(res.status).toBe(401);
  });
});
