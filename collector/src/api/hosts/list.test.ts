import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type Json, type TestApi } from "../testing.js";

describe("GET /api/v1/hosts", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const health = (agent: { clientId: string; siteId: string; agentId: string }, receivedAt: number) => ({
    client_id: agent.clientId,
    site_id: agent.siteId,
    agent_id: agent.agentId,
    ts: receivedAt - 500,
    boot_id: "boot-1",
    seq: 1,
    skew_ms: 0,
    received_at: receivedAt,
  });

  it("lists hosts with status and last-seen time, filtered by client and site", async () => {
    const pending = await t.seedAgent({ hostname: "a-pending" });
    const online = await t.seedAgent({ hostname: "b-online" });
    const offline = await t.seedAgent({ hostname: "c-offline" });
    const revoked = await t.seedAgent({ hostname: "d-revoked" });

    const stored = Date.now() - 3600_000;
    await t.store.insert("health_samples", [health(offline, stored), health(online, stored)]);
    t.presence.connected.add(online.agentId);
    t.presence.seen.set(online.agentId, stored + 60_000);
    // An older live time than what is stored: the later of the two wins.
    t.presence.seen.set(offline.agentId, stored - 60_000);
    await t.call("POST", `/api/v1/hosts/${revoked.agentId}/revoke`);

    const res = await t.call("GET", "/api/v1/hosts");
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.items.map((h: Json) => [h.hostname, h]));
    expect(res.body.items.map((h: Json) => h.hostname)).toEqual(["a-pending", "b-online", "c-offline", "d-revoked"]);
    expect(byName["a-pending"]).toEqual({
      id: pending.agentId,
      hostname: "a-pending",
      clientId: pending.clientId,
      siteId: pending.siteId,
      status: "pending",
      lastSeenAt: null,
      agentVersion: "0.1.0",
      os: { platform: "linux", release: "6.1.0", arch: "x64" },
      enrolledAt: expect.stringMatching(/Z$/),
      revokedAt: null,
    });
    expect(byName["b-online"]).toMatchObject({ status: "online", lastSeenAt: new Date(stored + 60_000).toISOString() });
    expect(byName["c-offline"]).toMatchObject({ status: "offline", lastSeenAt: new Date(stored).toISOString() });
    expect(byName["d-revoked"]).toMatchObject({ status: "revoked", revokedAt: expect.stringMatching(/Z$/) });

    const one = await t.call("GET", `/api/v1/hosts?clientId=${offline.clientId}`);
    expect(one.body.items.map((h: Json) => h.id)).toEqual([offline.agentId]);
    const site = await t.call("GET", `/api/v1/hosts?clientId=${online.clientId}&siteId=${online.siteId}`);
    expect(site.body.items.map((h: Json) => h.id)).toEqual([online.agentId]);
    const mismatch = await t.call("GET", `/api/v1/hosts?clientId=${online.clientId}&siteId=${offline.siteId}`);
    expect(mismatch.body.items).toEqual([]);
  });

  it("rejects an empty filter value", async () => {
    const res = await t.call("GET", "/api/v1/hosts?siteId=");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^siteId: /);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", "/api/v1/hosts", { token: null })).status).toBe(401);
  });
});
