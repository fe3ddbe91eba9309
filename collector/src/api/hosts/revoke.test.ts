import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAgent } from "../../store/queries/agents.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("POST /api/v1/hosts/{id}/revoke", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("revokes the agent, closes its connection and returns the host", async () => {
    const agent = await t.seedAgent();
    t.presence.connected.add(agent.agentId);
    const res = await t.call("POST", `/api/v1/hosts/${agent.agentId}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: agent.agentId, status: "revoked", revokedAt: expect.stringMatching(/Z$/) });
    expect(t.presence.disconnects).toEqual([{ agentId: agent.agentId, reason: "revoked" }]);
    const row = await findAgent(t.store, agent.agentId);
    expect(row?.revoked_at).toBe(Date.parse(res.body.revokedAt));

    const again = await t.call("POST", `/api/v1/hosts/${agent.agentId}/revoke`);
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(res.body.revokedAt);
  });

  it("answers 404 for an unknown host and stores nothing", async () => {
    const before = await t.snapshot("agents");
    const res = await t.call("POST", "/api/v1/hosts/nosuchhost/revoke");
    expect(res.status).toBe(404);
    expect(await t.snapshot("agents")).toBe(before);
  });

  it("requires the admin token and changes nothing without it", async () => {
    const agent = await t.seedAgent();
    const before = await t.snapshot("agents");
    const res = await t.call("POST", `/api/v1/hosts/${agent.agentId}/revoke`, { token: null });
    expect(res.status).toBe(401);
    expect(await t.snapshot("agents")).toBe(before);
    expect(t.presence.disconnects.map((d) => d.agentId)).not.toContain(agent.agentId);
  });
});
