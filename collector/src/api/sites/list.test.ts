import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
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

  it("includes each site's time-zone override, null without one", async () => {
    const { clientId, siteId } = await t.seedClientAndSite("Zoned");
    const other = (await t.call("POST", "/api/v1/sites", { body: { clientId, name: "Branch" } })).body.id;
    await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { timezone: "America/New_York" } });
    const items = (await t.call("GET", `/api/v1/sites?clientId=${clientId}`)).body.items;
    expect(items.find((s: { id: string }) => s.id === siteId).timezone).toBe("America/New_York");
    expect(items.find((s: { id: string }) => s.id === other).timezone).toBeNull();
  });

  it("shows a viewer only its own client's sites", async () => {
    const mine = await t.seedClientAndSite("Mine");
    const theirs = await t.seedClientAndSite("Theirs");
    const viewer = { role: "viewer" as const, subject: "v", clientId: mine.clientId };
    const all = await callAs(t.app, viewer, "GET", "/api/v1/sites");
    expect(all.status).toBe(200);
    expect((all.body as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([mine.siteId]);
    // Another client's id answers as an unknown client's does for a viewer.
    const other = await callAs(t.app, viewer, "GET", `/api/v1/sites?clientId=${theirs.clientId}`);
    expect(other).toEqual({ status: 404, body: { error: { code: "not_found", message: "client not found" } } });
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
