import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../auth/secrets.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/enrollment-tokens", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists tokens without their secrets, all or one client's", async () => {
    const a = await t.seedClientAndSite("A");
    const b = await t.seedClientAndSite("B");
    const ta = (await t.call("POST", "/api/v1/enrollment-tokens", { body: a })).body;
    const tb = (await t.call("POST", "/api/v1/enrollment-tokens", { body: b })).body;

    const all = await t.call("GET", "/api/v1/enrollment-tokens");
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    const item = all.body.items.find((i: { id: string }) => i.id === ta.id);
    expect(item).toEqual({ id: ta.id, clientId: a.clientId, siteId: a.siteId, expiresAt: ta.expiresAt, revokedAt: null, createdAt: expect.any(String) });
    const text = JSON.stringify(all.body);
    for (const secret of [ta.token, tb.token, hashToken(ta.token), hashToken(tb.token)]) expect(text).not.toContain(secret);

    const onlyB = await t.call("GET", `/api/v1/enrollment-tokens?clientId=${b.clientId}`);
    expect(onlyB.body.items.map((i: { id: string }) => i.id)).toEqual([tb.id]);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", "/api/v1/enrollment-tokens", { token: "x" })).status).toBe(401);
  });
});
