import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/clients/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("returns the client", async () => {
    const created = await t.call("POST", "/api/v1/clients", { body: { name: "Acme", timezone: "Asia/Tokyo", currency: "JPY" } });
    const res = await t.call("GET", `/api/v1/clients/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it("answers 404 for an unknown id, hostile ones included", async () => {
    for (const id of ["doesnotexist", encodeURIComponent("' OR 1=1 --"), encodeURIComponent("{id:String}")]) {
      const res = await t.call("GET", `/api/v1/clients/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: "not_found", message: "client not found" } });
    }
  });

  it("answers 400 for an over-long id", async () => {
    const res = await t.call("GET", `/api/v1/clients/${"x".repeat(65)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^id: /);
  });

  it("requires the admin token", async () => {
    const res = await t.call("GET", "/api/v1/clients/anything", { token: null });
    expect(res.status).toBe(401);
  });
});
