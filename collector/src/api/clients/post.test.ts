import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

describe("POST /api/v1/clients", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates a client with defaults", async () => {
    const res = await t.call("POST", "/api/v1/clients", { body: { name: "  Acme Dental  " } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: "Acme Dental",
      timezone: "UTC",
      currency: "EUR",
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    const got = await t.call("GET", `/api/v1/clients/${res.body.id}`);
    expect(got.body).toMatchObject(res.body);
  });

  it("keeps a given time zone (canonically spelled) and currency", async () => {
    const res = await t.call("POST", "/api/v1/clients", { body: { name: "Bäckerei Müller", timezone: "europe/berlin", currency: "CHF" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Bäckerei Müller", timezone: "Europe/Berlin", currency: "CHF" });
  });

  it("stores SQL-looking names verbatim and harmlessly", async () => {
    const name = "'); DROP TABLE clients; -- {id:String} \\' \" `";
    const res = await t.call("POST", "/api/v1/clients", { body: { name } });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
    const got = await t.call("GET", `/api/v1/clients/${res.body.id}`);
    expect(got.body.name).toBe(name);
    const list = await t.call("GET", "/api/v1/clients");
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain(name);
  });

  const hostile: Array<[string, unknown, RegExp]> = [
    ["empty name", { name: "" }, /^name: /],
    ["blank name", { name: "   " }, /^name: /],
    ["10k-char name", { name: "x".repeat(10_000) }, /^name: /],
    ["numeric name", { name: 42 }, /^name: .*expected string/],
    ["missing name", {}, /^name: required/],
    ["unknown time zone", { name: "A", timezone: "Mars/Olympus" }, /^timezone: not a valid IANA time zone/],
    ["offset as time zone", { name: "A", timezone: "+01:00" }, /^timezone: /],
    ["lowercase currency word", { name: "A", currency: "euro" }, /^currency: must be an ISO 4217 code/],
    ["lowercase currency code", { name: "A", currency: "eur" }, /^currency: /],
    ["unknown currency code", { name: "A", currency: "QQQ" }, /^currency: not an ISO 4217 currency/],
    ["array body", [{ name: "A" }], /^body: /],
    ["null body", null, /^body: /],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const before = await t.snapshot("clients");
      const res = await t.call("POST", "/api/v1/clients", { body: body === null ? "null" : body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toMatch(message);
      expect(await t.snapshot("clients")).toBe(before);
    });
  }

  it("rejects malformed JSON with 400 naming the body", async () => {
    const before = await t.snapshot("clients");
    const res = await t.call("POST", "/api/v1/clients", { body: '{"name": "A",' });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_request", message: "body: malformed JSON" });
    expect(await t.snapshot("clients")).toBe(before);
  });

  it("rejects a body that is not JSON with 415", async () => {
    const before = await t.snapshot("clients");
    const res = await t.call("POST", "/api/v1/clients", { body: "name=A", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    expect(await t.snapshot("clients")).toBe(before);
  });

  it("rejects a missing body with 400", async () => {
    const res = await t.call("POST", "/api/v1/clients");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
  });

  it("rejects an oversized body with 413", async () => {
    const before = await t.snapshot("clients");
    const res = await t.call("POST", "/api/v1/clients", { body: { name: "A", padding: "x".repeat(100_000) } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
    expect(await t.snapshot("clients")).toBe(before);
  });

  it("requires the admin token and stores nothing without it", async () => {
    const before = await t.snapshot("clients");
    for (const token of [null, "", "wrong", t.adminToken.slice(0, -1), t.adminToken + "A", t.adminToken.toLowerCase()]) {
      const res = await t.call("POST", "/api/v1/clients", { body: { name: "Sneaky" }, token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(await t.snapshot("clients")).toBe(before);
  });
});
