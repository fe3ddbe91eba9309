import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, parseToken } from "../../auth/secrets.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("POST /api/v1/enrollment-tokens", () => {
  let t: TestApi;
  let clientId: string;
  let siteId: string;
  let otherSiteId: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId, siteId } = await t.seedClientAndSite("Acme"));
    ({ siteId: otherSiteId } = await t.seedClientAndSite("Other"));
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates a token valid for 7 days and stores only its hash", async () => {
    const before = Date.now();
    const res = await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId } });
    expect(res.status).toBe(201);
    const { id, token, expiresAt, installCommand } = res.body;
    expect(res.body).toEqual({ id: expect.any(String), token: expect.any(String), clientId, siteId, expiresAt: expect.any(String), installCommand: expect.any(String) });
    expect(parseToken(token, "vge")?.id).toBe(id);
    const expiry = Date.parse(expiresAt) - before;
    expect(expiry).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(expiry).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(installCommand).toBe(`curl -fsSL ${t.publicUrl}/install.sh | sudo sh -s -- --token ${token}`);

    const rows = await t.store.query<Record<string, unknown>>("SELECT * FROM enrollment_tokens WHERE id = {id:String}", { id });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(t.logs.join("\n")).not.toContain(token);
  });

  it("takes a custom lifetime", async () => {
    const res = await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId, expiresInSeconds: 60 } });
    expect(res.status).toBe(201);
    const left = Date.parse(res.body.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  const hostile: Array<[string, () => unknown, string]> = [
    ["an unknown client", () => ({ clientId: "nosuch", siteId }), "clientId: no such client"],
    ["a site of another client", () => ({ clientId, siteId: otherSiteId }), "siteId: no such site for this client"],
    ["an unknown site", () => ({ clientId, siteId: "nosuch" }), "siteId: no such site for this client"],
    ["a lifetime under 60 s", () => ({ clientId, siteId, expiresInSeconds: 59 }), "expiresInSeconds: "],
    ["a lifetime over a year", () => ({ clientId, siteId, expiresInSeconds: 365 * 86_400 + 1 }), "expiresInSeconds: "],
    ["a fractional lifetime", () => ({ clientId, siteId, expiresInSeconds: 3600.5 }), "expiresInSeconds: "],
    ["a lifetime as a string", () => ({ clientId, siteId, expiresInSeconds: "3600" }), "expiresInSeconds: "],
    ["a missing site", () => ({ clientId }), "siteId: required"],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const before = await t.snapshot("enrollment_tokens");
      const res = await t.call("POST", "/api/v1/enrollment-tokens", { body: body() });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message.startsWith(message)).toBe(true);
      expect(await t.snapshot("enrollment_tokens")).toBe(before);
    });
  }

  it("requires the admin token", async () => {
    const before = await t.snapshot("enrollment_tokens");
    const res = await t.call("POST", "/api/v1/enrollment-tokens", { body: { clientId, siteId }, token: null });
    expect(res.status).toBe(401);
    expect(await t.snapshot("enrollment_tokens")).toBe(before);
  });
});
