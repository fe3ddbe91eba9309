import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/clients", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("is empty at first", async () => {
    const res = await t.call("GET", "/api/v1/clients");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [] });
  });

  it("lists every client once, oldest first", async () => {
    const a = await t.call("POST", "/api/v1/clients", { body: { name: "Alpha" } });
    const b = await t.call("POST", "/api/v1/clients", { body: { name: "Beta", timezone: "America/New_York", currency: "USD" } });
    const res = await t.call("GET", "/api/v1/clients");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items).toEqual(expect.arrayContaining([a.body, b.body]));
    const times = res.body.items.map((c: { createdAt: string }) => c.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it("requires the admin token", async () => {
    const res = await t.call("GET", "/api/v1/clients", { token: "nope" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });
});
