import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/sites/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("returns the site with its time zone (null: the client's)", async () => {
    const { clientId, siteId } = await t.seedClientAndSite();
    const res = await t.call("GET", `/api/v1/sites/${siteId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: siteId, clientId, name: "Head office", timezone: null, createdAt: expect.any(String) });
  });

  it("answers 404 for an unknown site", async () => {
    const res = await t.call("GET", "/api/v1/sites/nosuchsite");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "site not found" } });
  });

  it("answers a viewer of another client 404, as for an unknown site", async () => {
    const mine = await t.seedClientAndSite("Mine");
    const theirs = await t.seedClientAndSite("Theirs");
    const viewer = { role: "viewer" as const, subject: "v", clientId: mine.clientId };
    expect((await callAs(t.app, viewer, "GET", `/api/v1/sites/${mine.siteId}`)).status).toBe(200);
    const res = await callAs(t.app, viewer, "GET", `/api/v1/sites/${theirs.siteId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "site not found" } });
  });

  it("requires a token", async () => {
    expect((await t.call("GET", "/api/v1/sites/x", { token: null })).status).toBe(401);
  });
});
