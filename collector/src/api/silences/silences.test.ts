import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("/api/v1/silences", () => {
  let t: TestApi;
  let clientId: string;
  let siteId: string;
  beforeAll(async () => {
    t = await createTestApi();
    ({ clientId, siteId } = await t.seedClientAndSite("Acme"));
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates a silence for a site, lists it while it lasts, and ends it", async () => {
    const res = await t.call("POST", "/api/v1/silences", { body: { scope: { level: "site", id: siteId }, matcher: { ruleKind: "host_down" }, minutes: 120, reason: "switch replacement" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ clientId, scope: { level: "site", id: siteId }, matcher: { ruleKind: "host_down" }, reason: "switch replacement", createdBy: "admin-token" });
    expect((await t.call("GET", `/api/v1/silences?clientId=${clientId}`)).body.items.map((s: { id: string }) => s.id)).toEqual([res.body.id]);
    expect((await t.call("DELETE", `/api/v1/silences/${res.body.id}`)).status).toBe(204);
    expect((await t.call("GET", "/api/v1/silences")).body.items).toEqual([]);
    const audit = await listAudit(t.store, { clientId, entity: "silence", entityId: res.body.id });
    expect(audit.map((a) => [a.action, a.actor]).sort()).toEqual([
      ["create", "admin-token"],
      ["delete", "admin-token"],
    ]);
    expect(audit.find((a) => a.action === "create")).toMatchObject({ before: null, after: { reason: "switch replacement", scope: { level: "site", id: siteId } } });
  });

  const hostile: Array<[string, () => unknown, string]> = [
    ["no end", () => ({ scope: { level: "global" }, reason: "x" }), "endsAt: give either endsAt or minutes"],
    ["an end in the past", () => ({ scope: { level: "global" }, endsAt: "2020-01-01T00:00:00Z", reason: "x" }), "endsAt: must be after startsAt"],
    ["more than 90 days", () => ({ scope: { level: "global" }, minutes: 90 * 1440 + 1, reason: "x" }), "minutes: "],
    ["no reason", () => ({ scope: { level: "global" }, minutes: 10 }), "reason: required"],
    ["an unknown matcher field", () => ({ scope: { level: "global" }, minutes: 10, reason: "x", matcher: { hostname: "db" } }), "matcher.hostname: unknown field"],
    ["an unknown client", () => ({ scope: { level: "client", id: "nosuch" }, minutes: 10, reason: "x" }), "scope.id: no such client"],
  ];
  for (const [what, body, message] of hostile) {
    it(`refuses ${what} with a 400 naming the field`, async () => {
      const before = await t.snapshot("alert_silences");
      const res = await t.call("POST", "/api/v1/silences", { body: body() });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await t.snapshot("alert_silences")).toBe(before);
    });
  }
});
