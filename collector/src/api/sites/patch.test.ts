import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { callAs } from "../testing.js";
import { createTestApi, type TestApi } from "../testing.js";

describe("PATCH /api/v1/sites/{id}", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const auditCount = async () => (await t.store.query<{ n: number }>("SELECT count() AS n FROM audit_log"))[0]!.n;
  const stored = async () => `${await t.snapshot("sites")} / ${await t.snapshot("site_settings")} / ${await auditCount()} audit`;

  it("sets, changes and clears the time-zone override, and renames", async () => {
    const { clientId, siteId } = await t.seedClientAndSite();
    const set = await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { timezone: "america/new_york" } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ id: siteId, clientId, name: "Head office", timezone: "America/New_York" });
    expect((await t.call("GET", `/api/v1/sites/${siteId}`)).body.timezone).toBe("America/New_York");

    const renamed = await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { name: " Branch NYC " } });
    expect(renamed.body).toMatchObject({ name: "Branch NYC", timezone: "America/New_York" });

    const cleared = await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { timezone: null } });
    expect(cleared.body).toMatchObject({ name: "Branch NYC", timezone: null });
    expect((await t.call("GET", `/api/v1/sites/${siteId}`)).body).toMatchObject({ name: "Branch NYC", timezone: null });

    const entries = await listAudit(t.store, { clientId, entity: "site", entityId: siteId });
    expect(entries).toHaveLength(3);
    for (const e of entries) expect(e).toMatchObject({ actor: "admin-token", action: "update" });
    expect(entries.map((e) => e.after)).toEqual(
      expect.arrayContaining([
        { name: "Head office", timezone: "America/New_York" },
        { name: "Branch NYC", timezone: "America/New_York" },
        { name: "Branch NYC", timezone: null },
      ]),
    );
  });

  it("stores nothing when nothing changes", async () => {
    const { siteId } = await t.seedClientAndSite();
    const before = await stored();
    expect((await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { name: "Head office", timezone: null } })).status).toBe(200);
    expect(await stored()).toBe(before);
  });

  const hostile: Array<[string, unknown, RegExp]> = [
    ["an unknown time zone", { timezone: "Mars/Olympus" }, /^timezone: unknown time zone "Mars\/Olympus"/],
    ["an offset as time zone", { timezone: "+01:00" }, /^timezone: unknown time zone/],
    ["an empty time zone", { timezone: "" }, /^timezone: required/],
    ["an empty name", { name: "" }, /^name: /],
    ["an unknown field", { clientId: "elsewhere" }, /^clientId: unknown field/],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const { siteId } = await t.seedClientAndSite();
      const before = await stored();
      const res = await t.call("PATCH", `/api/v1/sites/${siteId}`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await stored()).toBe(before);
    });
  }

  it("answers 404 naming the site for an unknown id", async () => {
    const before = await stored();
    const res = await t.call("PATCH", "/api/v1/sites/nosuchsite", { body: { timezone: "UTC" } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "site not found" } });
    expect(await stored()).toBe(before);
  });

  it("lets admins and technicians change sites, not vCIOs or viewers", async () => {
    const { clientId, siteId } = await t.seedClientAndSite();
    const before = await stored();
    for (const principal of [{ role: "vcio" as const, subject: "v" }, { role: "viewer" as const, subject: "w", clientId }]) {
      expect((await callAs(t.app, principal, "PATCH", `/api/v1/sites/${siteId}`, { timezone: "UTC" })).status).toBe(403);
    }
    expect(await stored()).toBe(before);
    const res = await callAs(t.app, { role: "technician", subject: "tech-1" }, "PATCH", `/api/v1/sites/${siteId}`, { timezone: "UTC" });
    expect(res.status).toBe(200);
    expect((await listAudit(t.store, { clientId, entity: "site" }))[0]!.actor).toBe("tech-1");
  });
});
