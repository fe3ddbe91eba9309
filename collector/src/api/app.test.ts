import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type Json, type TestApi } from "./testing.js";

describe("the /api/v1 application", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("serves an OpenAPI 3.1 document of every route, with bearer security", async () => {
    const res = await t.call("GET", "/api/v1/openapi.json", { token: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Vigil API");
    expect(doc.components.securitySchemes.bearerAuth).toEqual(expect.objectContaining({ type: "http", scheme: "bearer" }));
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.sort()).toEqual(
      [
        "POST /api/v1/clients",
        "GET /api/v1/clients",
        "GET /api/v1/clients/{id}",
        "POST /api/v1/sites",
        "GET /api/v1/sites",
        "POST /api/v1/enrollment-tokens",
        "GET /api/v1/enrollment-tokens",
        "DELETE /api/v1/enrollment-tokens/{id}",
        "POST /api/v1/agents/enroll",
        "GET /api/v1/hosts",
        "GET /api/v1/hosts/{id}",
        "POST /api/v1/hosts/{id}/revoke",
        "GET /api/v1/hosts/{id}/metrics",
        "GET /api/v1/fleet",
        "GET /api/v1/fleet/events",
        "GET /api/v1/hosts/{id}/inventory",
        "GET /api/v1/inventory/search",
        "GET /api/v1/inventory/changes",
        "GET /api/v1/reports/lifecycle",
        "PATCH /api/v1/clients/{id}",
        "GET /api/v1/sites/{id}",
        "PATCH /api/v1/sites/{id}",
        "PUT /api/v1/hosts/{id}/profile",
        "POST /api/v1/maintenance-windows",
        "GET /api/v1/maintenance-windows",
        "DELETE /api/v1/maintenance-windows/{id}",
        "GET /api/v1/audit",
        "GET /api/v1/reports/sla",
        "GET /api/v1/reports/fleet",
        "GET /api/v1/incidents",
        "PATCH /api/v1/incidents/{id}",
        "POST /api/v1/report-runs",
        "GET /api/v1/report-runs",
        "GET /api/v1/report-runs/{id}",
        "GET /api/v1/hosts/{id}/timeline",
        "GET /api/v1/sites/{id}/timeline",
        "GET /api/v1/alerts",
        "GET /api/v1/alerts/{id}",
        "POST /api/v1/alerts/{id}/ack",
        "POST /api/v1/alerts/{id}/resolve",
        "POST /api/v1/alerts/{id}/silence",
        "GET /api/v1/alerts/ack",
        "POST /api/v1/alerts/ack",
        "GET /api/v1/channels",
        "POST /api/v1/channels",
        "GET /api/v1/channels/{id}",
        "PATCH /api/v1/channels/{id}",
        "DELETE /api/v1/channels/{id}",
        "POST /api/v1/channels/{id}/test",
        "GET /api/v1/alert-rules",
        "POST /api/v1/alert-rules",
        "GET /api/v1/alert-rules/{id}",
        "PATCH /api/v1/alert-rules/{id}",
        "DELETE /api/v1/alert-rules/{id}",
        "GET /api/v1/alert-routes",
        "POST /api/v1/alert-routes",
        "PATCH /api/v1/alert-routes/{id}",
        "DELETE /api/v1/alert-routes/{id}",
        "GET /api/v1/silences",
        "POST /api/v1/silences",
        "DELETE /api/v1/silences/{id}",
        "POST /api/v1/session",
        "GET /api/v1/session",
        "DELETE /api/v1/session",
        "GET /api/v1/users",
        "POST /api/v1/users",
        "GET /api/v1/users/{id}",
        "PATCH /api/v1/users/{id}",
        "DELETE /api/v1/users/{id}",
      ].sort(),
    );
    const post = doc.paths["/api/v1/clients"].post;
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    expect(post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/CreateClient");
    expect(post.responses["201"].content["application/json"].schema.$ref).toBe("#/components/schemas/Client");
    expect(post.responses["400"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    expect(doc.paths["/api/v1/agents/enroll"].post.security).toEqual([]);
    expect(doc.components.schemas.EnrollRequest.required).toEqual(expect.arrayContaining(["token", "hostname", "agentVersion"]));
    const metrics = doc.paths["/api/v1/hosts/{id}/metrics"].get;
    expect(metrics.parameters.map((p: Json) => `${p.in}:${p.name}`).sort()).toEqual(["path:id", "query:from", "query:name", "query:step", "query:to"]);
    expect(doc.components.schemas.Metrics.properties.resolution.enum).toEqual(["raw", "1m", "1h"]);
    expect(doc.components.schemas.CreateEnrollmentToken.properties.expiresInSeconds).toMatchObject({ minimum: 60, maximum: 31_536_000 });
  });

  it("answers unknown routes with a JSON 404, also when mounted in another app", async () => {
    const res = await t.call("GET", "/api/v1/nothing/here");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "no route for GET /api/v1/nothing/here" } });

    const outer = new Hono();
    outer.get("/healthz", (c) => c.json({ status: "ok" }));
    outer.route("/", t.app);
    for (const [method, path] of [["GET", "/api/v1/nothing"], ["DELETE", "/api/v1/clients"]] as const) {
      const r = await outer.request(path, { method, headers: { authorization: `Bearer ${t.adminToken}` } });
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ error: { code: "not_found", message: `no route for ${method} ${path}` } });
    }
    expect((await outer.request("/api/v1/clients", { headers: { authorization: `Bearer ${t.adminToken}` } })).status).toBe(200);
    expect((await outer.request("/api/v1/clients")).status).toBe(401);
    expect((await outer.request("/healthz")).status).toBe(200);
  });

  describe("admin authentication", () => {
    const bad: Array<[string, Record<string, string>]> = [
      ["no header", {}],
      ["an empty bearer", { authorization: "Bearer " }],
      ["another scheme", { authorization: "Basic YWRtaW46YWRtaW4=" }],
      ["the token without a scheme", { authorization: "TOKEN" }],
      ["a wrong token", { authorization: "Bearer vat_admin_wrong" }],
      ["an over-long token", { authorization: `Bearer ${"A".repeat(5000)}` }],
    ];
    for (const [what, headers] of bad) {
      it(`refuses ${what} with a JSON 401`, async () => {
        const res = await t.app.request("/api/v1/clients", { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get("content-type")).toMatch(/application\/json/);
        expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "missing or invalid bearer token" } });
      });
    }

    it("refuses almost-right tokens", async () => {
      const tok = t.adminToken;
      const almost = [tok.slice(0, -1), `${tok}A`, tok.slice(0, -1) + "B", ` ${tok}x`, tok.toUpperCase().replace("VAT", "vat") + "!"];
      for (const token of almost) {
        const res = await t.call("GET", "/api/v1/clients", { token });
        expect(res.status).toBe(401);
      }
    });

    it("accepts the admin token, with any case of the scheme", async () => {
      for (const scheme of ["Bearer", "bearer", "BEARER"]) {
        const res = await t.app.request("/api/v1/clients", { headers: { authorization: `${scheme} ${t.adminToken}` } });
        expect(res.status).toBe(200);
      }
    });

    it("never logs tokens", async () => {
      await t.call("GET", "/api/v1/clients", { token: "vat_leaky_secret_value" });
      const logs = t.logs.join("\n");
      expect(logs).not.toContain("vat_leaky_secret_value");
      expect(logs).not.toContain(t.adminToken);
    });
  });
});
