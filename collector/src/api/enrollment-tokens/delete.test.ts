import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

describe("DELETE /api/v1/enrollment-tokens/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("revokes the token: listed with revokedAt, refused at enrollment; a second revoke is a no-op", async () => {
    const scope = await t.seedClientAndSite();
    const created = (await t.call("POST", "/api/v1/enrollment-tokens", { body: scope })).body;
    const res = await t.call("DELETE", `/api/v1/enrollment-tokens/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBe("");

    const listed = (await t.call("GET", "/api/v1/enrollment-tokens")).body.items[0];
    expect(listed.id).toBe(created.id);
    expect(Date.parse(listed.revokedAt)).toBeGreaterThan(0);

    const again = await t.call("DELETE", `/api/v1/enrollment-tokens/${created.id}`);
    expect(again.status).toBe(204);
    expect((await t.call("GET", "/api/v1/enrollment-tokens")).body.items[0].revokedAt).toBe(listed.revokedAt);

    const enroll = await t.call("POST", "/api/v1/agents/enroll", {
      token: null,
      body: { token: created.token, hostname: "h1", agentVersion: "0.1.0" },
    });
    expect(enroll.status).toBe(401);
    expect(enroll.body.error.code).toBe("token_revoked");
  });

  it("answers 404 for an unknown token and stores nothing", async () => {
    const before = await t.snapshot("enrollment_tokens");
    const res = await t.call("DELETE", "/api/v1/enrollment-tokens/nosuchtoken");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect(await t.snapshot("enrollment_tokens")).toBe(before);
  });

  it("requires the admin token", async () => {
    const scope = await t.seedClientAndSite();
    const created = (await t.call("POST", "/api/v1/enrollment-tokens", { body: scope })).body;
    const before = await t.snapshot("enrollment_tokens");
    const res = await t.call("DELETE", `/api/v1/enrollment-tokens/${created.id}`, { token: null });
    expect(res.status).toBe(401);
    expect(await t.snapshot("enrollment_tokens")).toBe(before);
  });
});
