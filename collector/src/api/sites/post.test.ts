import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

describe("POST /api/v1/sites", () => {
  let t: TestApi;
  let clientId: string;
  beforeAll(async () => {
    t = await createTestApi();
    clientId = (await t.call("POST", "/api/v1/clients", { body: { name: "Acme" } })).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates a site of a client", async () => {
    const res = await t.call("POST", "/api/v1/sites", { body: { clientId, name: " Head office " } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), clientId, name: "Head office", timezone: null, createdAt: expect.any(String) });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
  });

  it("stores SQL-looking names verbatim", async () => {
    const name = "x'); DROP TABLE sites; --";
    const res = await t.call("POST", "/api/v1/sites", { body: { clientId, name } });
    expect(res.status).toBe(201);
    const list = await t.call("GET", `/api/v1/sites?clientId=${clientId}`);
    expect(list.body.items.map((s: { name: string }) => s.name)).toContain(name);
  });

  const hostile: Array<[string, unknown, string]> = [
    ["an unknown client", { clientId: "nosuchclient", name: "Branch" }, "clientId: no such client"],
    ["an injected client id", { clientId: "' OR '1'='1", name: "Branch" }, "clientId: no such client"],
    ["a missing client id", { name: "Branch" }, "clientId: required"],
    ["an empty name", { clientId: "CLIENT", name: "" }, "name: "],
    ["a 10k-char name", { clientId: "CLIENT", name: "y".repeat(10_000) }, "name: "],
    ["a numeric name", { clientId: "CLIENT", name: 42 }, "name: "],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const before = await t.snapshot("sites");
      const payload = JSON.parse(JSON.stringify(body).replace("CLIENT", clientId));
      const res = await t.call("POST", "/api/v1/sites", { body: payload });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message.startsWith(message)).toBe(true);
      expect(await t.snapshot("sites")).toBe(before);
    });
  }

  it("requires the admin token", async () => {
    const before = await t.snapshot("sites");
    const res = await t.call("POST", "/api/v1/sites", { body: { clientId, name: "Sneaky" }, token: "Bearer" });
    expect(res.status).toBe(401);
    expect(await t.snapshot("sites")).toBe(before);
  });
});
