import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeInventory, ubuntuServer } from "../../inventory/testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/hosts/{id}/inventory", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("returns the newest document with its collection time and sizes", async () => {
    const host = await t.seedAgent({ hostname: "web01" });
    const older = ubuntuServer({ collectedAt: Date.parse("2026-10-01T06:00:00Z") });
    const newer = ubuntuServer({ collectedAt: Date.parse("2026-10-01T12:00:00Z"), memory: { totalBytes: 128 * 1024 ** 3, modules: [] } });
    await storeInventory(t.store, host, newer, 20);
    // Arriving later with a lower seq (a backfill) must not replace the newer snapshot.
    await storeInventory(t.store, host, older, 10);
    const res = await t.call("GET", `/api/v1/hosts/${host.agentId}/inventory`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      hostId: host.agentId,
      clientId: host.clientId,
      siteId: host.siteId,
      collectedAt: "2026-10-01T12:00:00.000Z",
      receivedAt: "2026-10-01T12:00:01.000Z",
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      sizeBytes: Buffer.byteLength(JSON.stringify(newer)),
      parts: 1,
    });
    expect(res.body.compressedBytes).toBeLessThan(res.body.sizeBytes);
    expect(res.body.inventory).toEqual(newer);
  });

  it("answers 404 for a host without inventory, and for an unknown host", async () => {
    const host = await t.seedAgent();
    const none = await t.call("GET", `/api/v1/hosts/${host.agentId}/inventory`);
    expect(none.status).toBe(404);
    expect(none.body.error).toEqual({ code: "not_found", message: "no inventory received from this host yet" });
    const unknown = await t.call("GET", "/api/v1/hosts/nosuchhost/inventory");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("host not found");
  });

  it("requires the admin token", async () => {
    const host = await t.seedAgent();
    expect((await t.call("GET", `/api/v1/hosts/${host.agentId}/inventory`, { token: null })).status).toBe(401);
    expect((await t.call("GET", `/api/v1/hosts/${host.agentId}/inventory`, { token: host.agentToken })).status).toBe(401);
  });

  it("is described in the OpenAPI document", async () => {
    const doc = await t.call("GET", "/api/v1/openapi.json", { token: null });
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/v1/hosts/{id}/inventory", "/api/v1/inventory/search", "/api/v1/inventory/changes", "/api/v1/reports/lifecycle"]));
  });
});
