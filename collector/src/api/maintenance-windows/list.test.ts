import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/maintenance-windows", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const once = (clientId: string, day: number) => ({
    clientId,
    kind: "once",
    scope: { level: "client", id: clientId },
    start: `2099-01-${String(day).padStart(2, "0")}T00:00:00Z`,
    end: `2099-01-${String(day).padStart(2, "0")}T01:00:00Z`,
    reason: "",
  });

  it("lists one client's windows, oldest first", async () => {
    const a = await t.seedClientAndSite("A");
    const b = await t.seedClientAndSite("B");
    const a1 = (await t.call("POST", "/api/v1/maintenance-windows", { body: once(a.clientId, 1) })).body;
    await t.call("POST", "/api/v1/maintenance-windows", { body: once(b.clientId, 1) });
    const a2 = (await t.call("POST", "/api/v1/maintenance-windows", { body: once(a.clientId, 2) })).body;
    const res = await t.call("GET", `/api/v1/maintenance-windows?clientId=${a.clientId}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((w: { id: string }) => w.id).sort()).toEqual([a1.id, a2.id].sort());
  });

  it("requires the clientId and answers 404 for an unknown client", async () => {
    const missing = await t.call("GET", "/api/v1/maintenance-windows");
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^clientId: required/);
    const unknown = await t.call("GET", "/api/v1/maintenance-windows?clientId=nosuchclient");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("client not found");
  });

  it("shows a viewer its own client's windows and answers 404 for another's", async () => {
    const mine = await t.seedClientAndSite("Mine");
    const theirs = await t.seedClientAndSite("Theirs");
    const viewer = { role: "viewer" as const, subject: "v", clientId: mine.clientId };
    expect((await callAs(t.app, viewer, "GET", `/api/v1/maintenance-windows?clientId=${mine.clientId}`)).status).toBe(200);
    const res = await callAs(t.app, viewer, "GET", `/api/v1/maintenance-windows?clientId=${theirs.clientId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "client not found" } });
  });

  it("requires a token", async () => {
    expect((await t.call("GET", "/api/v1/maintenance-windows?clientId=x", { token: null })).status).toBe(401);
  });
});
