import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("GET /api/v1/clients/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("returns the client with its policy and the values reports use", async () => {
    const created = await t.call("POST", "/api/v1/clients", { body: { name: "Acme", timezone: "Asia/Tokyo", currency: "JPY" } });
    const res = await t.call("GET", `/api/v1/clients/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, policy: {}, effective: expect.objectContaining({ sloPct: 99.9, businessCalendar: "24x7" }) });
    expect(res.body.effective.costModel.currency).toBe("JPY");
  });

  it("shows a viewer its own client and answers 404 for another, as for an unknown one", async () => {
    const mine = (await t.call("POST", "/api/v1/clients", { body: { name: "Mine" } })).body.id;
    const other = (await t.call("POST", "/api/v1/clients", { body: { name: "Other" } })).body.id;
    const viewer = { role: "viewer" as const, subject: "u1", clientId: mine };
    expect((await callAs(t.app, viewer, "GET", `/api/v1/clients/${mine}`)).status).toBe(200);
    const res = await callAs(t.app, viewer, "GET", `/api/v1/clients/${other}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "client not found" } });
    for (const role of ["technician", "vcio"] as const) {
      expect((await callAs(t.app, { role, subject: "u2" }, "GET", `/api/v1/clients/${other}`)).status).toBe(200);
    }
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
