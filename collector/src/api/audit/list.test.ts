import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/audit", () => {
  let t: TestApi;
  let clientId: string;
  let siteId: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId, siteId } = await t.seedClientAndSite());
    await t.call("PATCH", `/api/v1/clients/${clientId}`, { body: { sloPct: 99.5 } });
    await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { timezone: "Europe/Paris" } });
    await t.call("POST", "/api/v1/maintenance-windows", {
      body: { clientId, kind: "once", scope: { level: "site", id: siteId }, start: "2099-01-01T00:00:00Z", end: "2099-01-01T02:00:00Z", reason: "" },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists a client's changes, newest first, with actor, before and after", async () => {
    const res = await t.call("GET", `/api/v1/audit?clientId=${clientId}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { entity: string }) => e.entity).sort()).toEqual(["client", "maintenance_window", "site"]);
    const times = res.body.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const site = res.body.items.find((e: { entity: string }) => e.entity === "site");
    expect(site).toEqual({
      at: expect.stringMatching(/Z$/),
      actor: "admin-token",
      clientId,
      entity: "site",
      entityId: siteId,
      action: "update",
      before: { name: "Head office", timezone: null },
      after: { name: "Head office", timezone: "Europe/Paris" },
    });
  });

  it("filters by entity and entity id, and limits", async () => {
    const client = await t.call("GET", `/api/v1/audit?clientId=${clientId}&entity=client`);
    expect(client.body.items).toHaveLength(1);
    expect(client.body.items[0].after.policy).toEqual({ sloPct: 99.5 });
    expect((await t.call("GET", `/api/v1/audit?clientId=${clientId}&entityId=${siteId}`)).body.items).toHaveLength(1);
    expect((await t.call("GET", `/api/v1/audit?clientId=${clientId}&entity=nothing`)).body.items).toEqual([]);
    expect((await t.call("GET", `/api/v1/audit?clientId=${clientId}&limit=2`)).body.items).toHaveLength(2);
  });

  it("rejects a bad limit, and answers 404 for an unknown client", async () => {
    // Without clientId every entry is listed (viewer-scope.test.ts covers that and scope=global).
    expect((await t.call("GET", "/api/v1/audit")).status).toBe(200);
    expect((await t.call("GET", `/api/v1/audit?clientId=${clientId}&limit=0`)).body.error.message).toMatch(/^limit: /);
    const res = await t.call("GET", "/api/v1/audit?clientId=nosuchclient");
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("client not found");
  });

  it("shows a viewer its own client's trail and answers 404 for another's", async () => {
    const other = await t.seedClientAndSite("Other");
    expect((await callAs(t.app, { role: "viewer", subject: "v", clientId }, "GET", `/api/v1/audit?clientId=${clientId}`)).status).toBe(200);
    const res = await callAs(t.app, { role: "viewer", subject: "v", clientId }, "GET", `/api/v1/audit?clientId=${other.clientId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "client not found" } });
  });

  it("requires a token", async () => {
    expect((await t.call("GET", `/api/v1/audit?clientId=${clientId}`, { token: null })).status).toBe(401);
  });
});
