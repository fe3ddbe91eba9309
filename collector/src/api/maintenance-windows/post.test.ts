import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { callAs } from "../testing.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";

const DAY = 86_400_000;
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("POST /api/v1/maintenance-windows", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await createTestApi();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: unknown) => t.call("POST", "/api/v1/maintenance-windows", { body });
  const auditCount = async () => (await t.store.query<{ n: number }>("SELECT count() AS n FROM audit_log"))[0]!.n;
  const stored = async () => `${await t.snapshot("maintenance_windows")} / ${await auditCount()} audit`;
  const future = (days: number, hours = 0) => new Date(Date.now() + days * DAY + hours * 3600_000).toISOString();

  it("adds a weekly window of a site in the site's time zone, starting with its next occurrence", async () => {
    const { clientId, siteId } = await t.seedClientAndSite();
    await t.call("PATCH", `/api/v1/sites/${siteId}`, { body: { timezone: "America/New_York" } });
    const body = { clientId, kind: "weekly", scope: { level: "site", id: siteId }, weekday: "sun", start: "02:00", durationMinutes: 240, reason: "patching" };
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      clientId,
      kind: "weekly",
      scope: { level: "site", id: siteId },
      timezone: "America/New_York",
      weekday: "sun",
      start: "02:00",
      durationMinutes: 240,
      firstDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      reason: "patching",
      planned: true,
      createdAt: expect.any(String),
      createdBy: "admin-token",
    });
    const list = await t.call("GET", `/api/v1/maintenance-windows?clientId=${clientId}`);
    expect(list.body.items).toEqual([res.body]);
    const [entry] = await listAudit(t.store, { clientId, entity: "maintenance_window" });
    expect(entry).toMatchObject({ actor: "admin-token", entityId: res.body.id, action: "create", before: null, after: res.body });
  });

  it("defaults firstDate to tomorrow when today's occurrence has begun, else today", async () => {
    const { clientId } = await t.seedClientAndSite();
    const now = Date.now();
    const scope = { level: "client", id: clientId };
    const base = { clientId, kind: "weekly", scope, timezone: "UTC", durationMinutes: 30, reason: "" };
    const begun = await post({ ...base, weekday: WEEKDAYS[new Date(now).getUTCDay()], start: "00:00" });
    expect(begun.status).toBe(201);
    expect(begun.body).toMatchObject({ firstDate: utcDate(now + DAY), planned: true });
    const upcoming = await post({ ...base, weekday: WEEKDAYS[new Date(now + DAY).getUTCDay()], start: "12:00" });
    expect(upcoming.body).toMatchObject({ firstDate: utcDate(now), planned: true });
  });

  it("adds one-off and monthly windows; instants come back in UTC", async () => {
    const agent = await t.seedAgent();
    const once = await post({ clientId: agent.clientId, kind: "once", scope: { level: "host", id: agent.agentId }, start: "2099-07-04T22:00:00+02:00", end: "2099-07-05T02:00:00+02:00", reason: "disk swap" });
    expect(once.status).toBe(201);
    expect(once.body).toMatchObject({ kind: "once", start: "2099-07-04T20:00:00.000Z", end: "2099-07-05T00:00:00.000Z", planned: true });
    const monthly = await post({ clientId: agent.clientId, kind: "monthly", scope: { level: "client", id: agent.clientId }, on: { nth: -1, weekday: "sat" }, start: "22:00", durationMinutes: 120, reason: "" });
    expect(monthly.status).toBe(201);
    expect(monthly.body).toMatchObject({ kind: "monthly", on: { nth: -1, weekday: "sat" }, timezone: "UTC", reason: "" });
  });

  it("lets windows of different scopes overlap", async () => {
    const { clientId, siteId } = await t.seedClientAndSite();
    const times = { kind: "once", start: future(10), end: future(10, 4), reason: "" };
    expect((await post({ clientId, scope: { level: "client", id: clientId }, ...times })).status).toBe(201);
    expect((await post({ clientId, scope: { level: "site", id: siteId }, ...times })).status).toBe(201);
  });

  it("records a window added afterwards as unplanned, with its reason", async () => {
    const { clientId } = await t.seedClientAndSite();
    const res = await post({ clientId, kind: "once", scope: { level: "client", id: clientId }, start: future(-1), end: future(-1, 2), reason: " UPS replaced after a fault " });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ planned: false, reason: "UPS replaced after a fault" });
  });

  describe("refuses, storing nothing", () => {
    let c: { clientId: string; siteId: string };
    let other: { clientId: string; siteId: string };
    beforeAll(async () => {
      c = await t.seedClientAndSite("Refusals");
      other = await t.seedClientAndSite("Other");
      const weekly = { clientId: c.clientId, kind: "weekly", scope: { level: "site", id: c.siteId }, timezone: "UTC", weekday: "sat", start: "22:00", durationMinutes: 180, reason: "" };
      expect((await post(weekly)).status).toBe(201);
    });
    const cases: Array<[string, (c: Json, other: Json) => unknown, number, RegExp]> = [
      [
        "a window overlapping one of the same scope",
        (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "site", id: c.siteId }, timezone: "UTC", weekday: "sun", start: "00:30", durationMinutes: 30, reason: "" }),
        400,
        /^start: overlaps maintenance window "[^"]+" in the same scope \(site:/,
      ],
      ["an inverted one-off window", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(5, 2), end: future(5), reason: "" }), 400, /^end: must be after start/],
      ["a one-off window without length", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(5), end: future(5), reason: "" }), 400, /^end: must be after start/],
      ["an instant that is not ISO 8601", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: "tomorrow", end: future(5), reason: "" }), 400, /^start: /],
      ["an unknown time zone", (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "client", id: c.clientId }, timezone: "Mars/Olympus", weekday: "mon", start: "01:00", durationMinutes: 60, reason: "" }), 400, /^timezone: unknown time zone/],
      ["a zero duration", (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "client", id: c.clientId }, weekday: "mon", start: "01:00", durationMinutes: 0, reason: "" }), 400, /^durationMinutes: must be at least 1/],
      ["a start time that is no time", (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "client", id: c.clientId }, weekday: "mon", start: "25:00", durationMinutes: 60, reason: "" }), 400, /^start: must be a local time/],
      ["an inverted date range", (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "client", id: c.clientId }, weekday: "mon", start: "01:00", durationMinutes: 60, firstDate: "2099-02-01", lastDate: "2099-01-01", reason: "" }), 400, /^lastDate: must not be before firstDate/],
      ["a monthly nth of 6", (c) => ({ clientId: c.clientId, kind: "monthly", scope: { level: "client", id: c.clientId }, on: { nth: 6, weekday: "mon" }, start: "01:00", durationMinutes: 60, reason: "" }), 400, /^on\.nth: /],
      ["an unknown kind", (c) => ({ clientId: c.clientId, kind: "daily", scope: { level: "client", id: c.clientId }, reason: "" }), 400, /^kind: must be once, weekly or monthly$/],
      ["an unknown field", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(5), end: future(6), reason: "", id: "mine" }), 400, /^id: unknown field/],
      ["a missing reason", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(5), end: future(6) }), 400, /^reason: required/],
      ["a past window without a reason", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(-2), end: future(-1), reason: "  " }), 400, /^reason: required: the window covers time before now/],
      ["an unplanned window without a reason", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: c.clientId }, start: future(5), end: future(6), planned: false, reason: "" }), 400, /^reason: required for unplanned maintenance/],
      ["a recurring window from a past date without a reason", (c) => ({ clientId: c.clientId, kind: "weekly", scope: { level: "client", id: c.clientId }, weekday: "tue", start: "03:00", durationMinutes: 60, firstDate: "2020-01-01", reason: "" }), 400, /^reason: required: the window covers time before now/],
      ["an unknown client", () => ({ clientId: "nosuchclient", kind: "once", scope: { level: "client", id: "nosuchclient" }, start: future(5), end: future(6), reason: "" }), 404, /^client not found$/],
      ["an unknown site", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "site", id: "nosuchsite" }, start: future(5), end: future(6), reason: "" }), 404, /^site not found$/],
      ["an unknown host", (c) => ({ clientId: c.clientId, kind: "once", scope: { level: "host", id: "nosuchhost" }, start: future(5), end: future(6), reason: "" }), 404, /^host not found$/],
      ["another client's site", (c, o) => ({ clientId: c.clientId, kind: "once", scope: { level: "site", id: o.siteId }, start: future(5), end: future(6), reason: "" }), 400, /^scope\.id: the site belongs to another client/],
      ["another client as the scope", (c, o) => ({ clientId: c.clientId, kind: "once", scope: { level: "client", id: o.clientId }, start: future(5), end: future(6), reason: "" }), 400, /^scope\.id: /],
    ];
    for (const [what, body, status, message] of cases) {
      it(what, async () => {
        const before = await stored();
        const res = await post(body(c, other));
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(await stored()).toBe(before);
      });
    }
  });

  it("lets admins and technicians add windows, not vCIOs or viewers", async () => {
    const { clientId } = await t.seedClientAndSite();
    const body = { clientId, kind: "once", scope: { level: "client", id: clientId }, start: future(20), end: future(20, 1), reason: "" };
    const before = await stored();
    for (const principal of [{ role: "vcio" as const, subject: "v" }, { role: "viewer" as const, subject: "w", clientId }]) {
      expect((await callAs(t.app, principal, "POST", "/api/v1/maintenance-windows", body)).status).toBe(403);
    }
    expect(await stored()).toBe(before);
    const res = await callAs(t.app, { role: "technician", subject: "tech-7" }, "POST", "/api/v1/maintenance-windows", body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ createdBy: "tech-7" });
  });
});
