import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("PUT /api/v1/hosts/{id}/profile", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const auditCount = async () => (await t.store.query<{ n: number }>("SELECT count() AS n FROM audit_log"))[0]!.n;
  const stored = async () => `${await t.snapshot("host_profiles")} / ${await auditCount()} audit`;

  it("sets the profile, shows it on the host, replaces it whole and audits each change", async () => {
    const agent = await t.seedAgent({ hostname: "erp01" });
    expect((await t.call("GET", `/api/v1/hosts/${agent.agentId}`)).body.profile).toBeNull();

    const profile = { role: "ERP database", tier: "tier-1", criticality: "critical", businessShare: 0.8, tags: ["erp", "finance", "erp"] };
    const res = await t.call("PUT", `/api/v1/hosts/${agent.agentId}/profile`, { body: profile });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...profile, tags: ["erp", "finance"] });
    const host = await t.call("GET", `/api/v1/hosts/${agent.agentId}`);
    expect(host.body).toMatchObject({ id: agent.agentId, hostname: "erp01", profile: res.body });

    const replaced = await t.call("PUT", `/api/v1/hosts/${agent.agentId}/profile`, { body: { role: "spare" } });
    expect(replaced.body).toEqual({ role: "spare", tier: "", criticality: "normal", businessShare: null, tags: [] });

    const entries = await listAudit(t.store, { clientId: agent.clientId, entity: "host_profile", entityId: agent.agentId });
    expect(entries).toHaveLength(2);
    const created = entries.find((e) => e.action === "create")!;
    expect(created).toMatchObject({ actor: "admin-token", before: null, after: res.body });
    expect(entries.find((e) => e.action === "update")).toMatchObject({ before: res.body, after: replaced.body });
  });

  it("stores nothing when the profile does not change", async () => {
    const agent = await t.seedAgent();
    await t.call("PUT", `/api/v1/hosts/${agent.agentId}/profile`, { body: { tier: "tier-2" } });
    const before = await stored();
    expect((await t.call("PUT", `/api/v1/hosts/${agent.agentId}/profile`, { body: { tier: "tier-2" } })).status).toBe(200);
    expect(await stored()).toBe(before);
  });

  const hostile: Array<[string, unknown, RegExp]> = [
    ["a share above 1", { businessShare: 1.01 }, /^businessShare: must be a share from 0 to 1/],
    ["a negative share", { businessShare: -0.1 }, /^businessShare: must be a share from 0 to 1/],
    ["an unknown criticality", { criticality: "urgent" }, /^criticality: /],
    ["a 101-char role", { role: "r".repeat(101) }, /^role: /],
    ["a 41-char tier", { tier: "t".repeat(41) }, /^tier: /],
    ["21 tags", { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /^tags: /],
    ["an empty tag", { tags: [" "] }, /^tags\.0: /],
    ["an unknown field", { owner: "bob" }, /^owner: unknown field/],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const agent = await t.seedAgent();
      const before = await stored();
      const res = await t.call("PUT", `/api/v1/hosts/${agent.agentId}/profile`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await stored()).toBe(before);
    });
  }

  it("answers 404 naming the host for an unknown id", async () => {
    const before = await stored();
    const res = await t.call("PUT", "/api/v1/hosts/nosuchhost/profile", { body: { role: "x" } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "host not found" } });
    expect(await stored()).toBe(before);
  });

  it("lets admins and technicians set profiles, not vCIOs or viewers", async () => {
    const agent = await t.seedAgent();
    const before = await stored();
    for (const principal of [{ role: "vcio" as const, subject: "v" }, { role: "viewer" as const, subject: "w", clientId: agent.clientId }]) {
      expect((await callAs(t.app, principal, "PUT", `/api/v1/hosts/${agent.agentId}/profile`, { role: "x" })).status).toBe(403);
    }
    expect(await stored()).toBe(before);
    expect((await callAs(t.app, { role: "technician", subject: "tech" }, "PUT", `/api/v1/hosts/${agent.agentId}/profile`, { role: "x" })).status).toBe(200);
  });
});
