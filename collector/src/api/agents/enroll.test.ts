import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseToken, tokenMatches } from "../../auth/secrets.js";
import { findAgent } from "../../store/queries/agents.js";
import { findEnrollmentToken, saveEnrollmentToken } from "../../store/queries/enrollment-tokens.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("POST /api/v1/agents/enroll", () => {
  let t: TestApi;
  let clientId: string;
  let siteId: string;
  let token: string;
  const enroll = (body: Record<string, unknown>) => t.call("POST", "/api/v1/agents/enroll", { token: null, body });
  const agentBody = (overrides: Record<string, unknown> = {}) => ({
    token,
    hostname: "fileserver01",
    agentVersion: "0.1.0",
    os: { platform: "linux", release: "6.1.0-18-amd64", arch: "x64" },
    machineId: "4c4c4544-0042-3510-8052-b4c04f4e4d32",
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId, siteId } = await t.seedClientAndSite());
    token = (await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } })).body.token;
  });
  afterAll(async () => {
    await t.close();
  });

  it("enrolls without an API token and stores only the agent token's hash", async () => {
    const res = await enroll(agentBody());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ agentId: expect.any(String), agentToken: expect.any(String), clientId, siteId });
    expect(parseToken(res.body.agentToken, "vga")?.id).toBe(res.body.agentId);

    const row = await findAgent(t.store, res.body.agentId);
    expect(row).toMatchObject({ client_id: clientId, site_id: siteId, hostname: "fileserver01", agent_version: "0.1.0", os_platform: "linux", revoked_at: null });
    expect(tokenMatches(res.body.agentToken, row!.token_hash)).toBe(true);
    const raw = JSON.stringify(await t.store.query("SELECT * FROM agents"));
    expect(raw).not.toContain(res.body.agentToken);
    const logs = t.logs.join("\n");
    expect(logs).toContain("agent enrolled");
    expect(logs).not.toContain(res.body.agentToken);
    expect(logs).not.toContain(token);

    const host = await t.call("GET", `/api/v1/hosts/${res.body.agentId}`);
    expect(host.body).toMatchObject({ id: res.body.agentId, hostname: "fileserver01", status: "pending", lastSeenAt: null });
  });

  it("re-enrolling the same machine keeps the agent id, replaces its token and clears a revocation", async () => {
    const first = (await enroll(agentBody({ machineId: "machine-r" }))).body;
    const enrolledAt = (await findAgent(t.store, first.agentId))!.enrolled_at;
    expect((await t.call("POST", `/api/v1/hosts/${first.agentId}/revoke`)).status).toBe(200);

    const second = await enroll(agentBody({ machineId: "machine-r", hostname: "fileserver01-renamed", agentVersion: "0.2.0" }));
    expect(second.status).toBe(201);
    expect(second.body.agentId).toBe(first.agentId);
    expect(second.body.agentToken).not.toBe(first.agentToken);

    const row = (await findAgent(t.store, first.agentId))!;
    expect(tokenMatches(second.body.agentToken, row.token_hash)).toBe(true);
    expect(tokenMatches(first.agentToken, row.token_hash)).toBe(false);
    expect(row).toMatchObject({ hostname: "fileserver01-renamed", agent_version: "0.2.0", revoked_at: null, enrolled_at: enrolledAt });
    expect((await t.call("GET", `/api/v1/hosts/${first.agentId}`)).body.status).not.toBe("revoked");
  });

  it("gives another machine, or the same machine in another client, a new agent id", async () => {
    const a = (await enroll(agentBody({ machineId: "machine-a" }))).body;
    const b = (await enroll(agentBody({ machineId: "machine-b" }))).body;
    const noId1 = (await enroll(agentBody({ machineId: undefined }))).body;
    const noId2 = (await enroll(agentBody({ machineId: undefined }))).body;
    expect(new Set([a.agentId, b.agentId, noId1.agentId, noId2.agentId]).size).toBe(4);

    const other = await t.seedClientAndSite("Other");
    const otherToken = (await t.call("POST", "/api/v1/enrollment-tokens", { body: other })).body.token;
    const c = (await enroll(agentBody({ token: otherToken, machineId: "machine-a" }))).body;
    expect(c.agentId).not.toBe(a.agentId);
    expect(c.clientId).toBe(other.clientId);
  });

  it("stores hostile strings verbatim", async () => {
    const hostname = "'); DROP TABLE agents; --";
    const res = await enroll(agentBody({ hostname, machineId: "' OR 1=1 --" }));
    expect(res.status).toBe(201);
    expect((await t.call("GET", `/api/v1/hosts/${res.body.agentId}`)).body.hostname).toBe(hostname);
    expect((await enroll(agentBody({ hostname: "x", machineId: "' OR 1=1 --" }))).body.agentId).toBe(res.body.agentId);
  });

  describe("refuses bad enrollment tokens with 401 and stores nothing", () => {
    const cases: Array<[string, () => Promise<string>, string]> = [
      ["garbage", async () => "not-a-token", "unauthorized"],
      ["a token with the wrong prefix", async () => token.replace(/^vge_/, "vga_"), "unauthorized"],
      ["an unknown but well-formed token", async () => `vge_nosuchtokenid_${"A".repeat(43)}`, "unauthorized"],
      ["a known id with the wrong secret", async () => token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA"), "unauthorized"],
      ["a token with trailing junk", async () => `${token}'; DROP TABLE agents; --`, "unauthorized"],
      ["an agent token", async () => (await t.seedAgent()).agentToken, "unauthorized"],
      ["the admin token", async () => t.adminToken, "unauthorized"],
      [
        "a revoked token",
        async () => {
          const created = (await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } })).body;
          await t.call("DELETE", `/api/v1/enrollment-tokens/${created.id}`);
          return created.token;
        },
        "token_revoked",
      ],
      [
        "an expired token",
        async () => {
          const created = (await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } })).body;
          const row = (await findEnrollmentToken(t.store, created.id))!;
          await saveEnrollmentToken(t.store, { ...row, expires_at: Date.now() - 1000 });
          return created.token;
        },
        "token_expired",
      ],
    ];
    for (const [what, makeToken, code] of cases) {
      it(what, async () => {
        const bad = await makeToken();
        const before = await t.snapshot("agents");
        const res = await enroll(agentBody({ token: bad, machineId: "machine-bad" }));
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe(code);
        expect(await t.snapshot("agents")).toBe(before);
        expect(t.logs.join("\n")).not.toContain(bad);
      });
    }
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ["an empty token", { token: "" }, "token: "],
    ["a missing hostname", { hostname: undefined }, "hostname: required"],
    ["a numeric hostname", { hostname: 42 }, "hostname: "],
    ["an over-long machine id", { machineId: "m".repeat(201) }, "machineId: "],
    ["an os of the wrong shape", { os: "linux" }, "os: "],
  ];
  for (const [what, overrides, message] of invalid) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const before = await t.snapshot("agents");
      const res = await enroll(agentBody(overrides));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message.startsWith(message)).toBe(true);
      expect(await t.snapshot("agents")).toBe(before);
    });
  }
});
