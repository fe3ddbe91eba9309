import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

const byId = (items: Array<{ id: string }>) => [...items].sort((x, y) => x.id.localeCompare(y.id));

describe("GET /api/v1/sites", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists all sites or one client's", async () => {
    const a = (await t.call("POST", "/api/v1/clients", { body: { name: "A" } })).body.id;
    const b = (await t.call("POST", "/api/v1/clients", { body: { name: "B" } })).body.id;
    const a1 = (await t.call("POST", "/api/v1/sites", { body: { clientId: a, name: "A1" } })).body;
    const b1 = (await t.call("POST", "/api/v1/sites", { body: { clientId: b, name: "B1" } })).body;
    const a2 = (await t.call("POST", "/api/v1/sites", { body: { clientId: a, name: "A2" } })).body;

    const all = await t.call("GET", "/api/v1/sites");
    expect(all.status).toBe(200);
    // Oldest first; sites created in the same millisecond may come in either order.
    expect(byId(all.body.items)).toEqual(byId([a1, b1, a2]));
    expect(byId((await t.call("GET", `/api/v1/sites?clientId=${a}`)).body.items)).toEqual(byId([a1, a2]));
    expect((await t.call("GET", `/api/v1/sites?clientId=${b}`)).body.items).toEqual([b1]);
    expect((await t.call("GET", "/api/v1/sites?clientId=unknown")).body.items).toEqual([]);
  });

  it("rejects an empty clientId filter", async () => {
    const res = await t.call("GET", "/api/v1/sites?clientId=");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^clientId: /);
  });

  it("requires the admin token", async () => {
    expect((await t.call("GET", "/api/v1/sites", { token: null })).status).toBe(401);
  });
});
