import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAudit } from "../../store/queries/audit.js";
import { callAs } from "../testing.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";

describe("PATCH /api/v1/clients/{id}", () => {
  let t: TestApi;
  let id: string;
  beforeAll(async () => {
    t = await createTestApi();
  });
  beforeEach(async () => {
    id = (await t.call("POST", "/api/v1/clients", { body: { name: "Acme", timezone: "Europe/Berlin", currency: "EUR" } })).body.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const patch = (body: unknown, clientId = id) => t.call("PATCH", `/api/v1/clients/${clientId}`, { body });
  const auditCount = async () => (await t.store.query<{ n: number }>("SELECT count() AS n FROM audit_log"))[0]!.n;
  const stored = async () => `${await t.snapshot("clients")} / ${await t.snapshot("client_policies")} / ${await auditCount()} audit`;

  it("starts with every setting defaulted", async () => {
    const res = await t.call("GET", `/api/v1/clients/${id}`);
    expect(res.body.policy).toEqual({});
    expect(res.body.effective).toMatchObject({
      sloPct: 99.9,
      businessCalendar: "24x7",
      costModel: { currency: "EUR", annualRevenue: 2_000_000, operatingHoursPerYear: 8760, employees: 20 },
      reportRecipients: [],
      reportSchedule: { monthly: false, quarterly: false },
    });
    expect(res.body.effective.defaults).toEqual(expect.arrayContaining(["sloPct", "businessCalendar", "costModel.annualRevenue", "costModel.offHoursFactor"]));
    expect(res.body.effective.defaults).not.toContain("costModel.currency");
  });

  it("sets the policy, shows what reports use, and GET returns the same", async () => {
    const body = {
      sloPct: 99.95,
      businessCalendar: { weekly: { mon: [{ start: "08:00", end: "18:00" }], fri: [{ start: "22:00", end: "02:00" }] }, holidays: ["2026-12-25"] },
      costModel: { annualRevenue: 3_000_000, itDependenceShare: 0.4 },
      reportRecipients: ["it@acme.example", "CEO@acme.example", "ceo@acme.example"],
      reportSchedule: { quarterly: true },
    };
    const res = await patch(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, name: "Acme", timezone: "Europe/Berlin", currency: "EUR" });
    expect(res.body.policy).toEqual({ ...body, reportRecipients: ["it@acme.example", "CEO@acme.example"] });
    const e = res.body.effective;
    expect(e.sloPct).toBe(99.95);
    expect(e.businessCalendar).toEqual({ timezone: "Europe/Berlin", ...body.businessCalendar });
    // Mon 10 h + Fri 4 h a week, × 52.
    expect(e.costModel).toMatchObject({ currency: "EUR", annualRevenue: 3_000_000, itDependenceShare: 0.4, operatingHoursPerYear: 14 * 52 });
    expect(e.reportSchedule).toEqual({ monthly: false, quarterly: true });
    expect(e.defaults).not.toContain("sloPct");
    expect(e.defaults).not.toContain("businessCalendar");
    expect(e.defaults).not.toContain("costModel.annualRevenue");
    expect(e.defaults).toContain("costModel.operatingHoursPerYear");
    const got = await t.call("GET", `/api/v1/clients/${id}`);
    expect(got.body).toEqual(res.body);
  });

  it("changes name, time zone and currency; the cost model follows the client's currency", async () => {
    await patch({ costModel: { annualRevenue: 500_000_000 } });
    const res = await patch({ name: " Acme KK ", timezone: "asia/tokyo", currency: "JPY" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Acme KK", timezone: "Asia/Tokyo", currency: "JPY" });
    expect(res.body.effective.costModel).toMatchObject({ currency: "JPY", annualRevenue: 500_000_000 });
    const list = await t.call("GET", "/api/v1/clients");
    expect(list.body.items.find((c: Json) => c.id === id)).toMatchObject({ name: "Acme KK", timezone: "Asia/Tokyo", currency: "JPY" });
  });

  it("removes a policy field with null: it takes its default again", async () => {
    await patch({ sloPct: 99.5, businessCalendar: "24x7", reportRecipients: ["a@acme.example"] });
    const res = await patch({ sloPct: null, reportRecipients: null });
    expect(res.status).toBe(200);
    expect(res.body.policy).toEqual({ businessCalendar: "24x7" });
    expect(res.body.effective.sloPct).toBe(99.9);
    expect(res.body.effective.defaults).toContain("sloPct");
    expect(res.body.effective.defaults).not.toContain("businessCalendar");
  });

  it("replaces a policy field whole", async () => {
    await patch({ costModel: { annualRevenue: 1, employees: 2 } });
    const res = await patch({ costModel: { employees: 3 } });
    expect(res.body.policy.costModel).toEqual({ employees: 3 });
  });

  it("audits each change with the actor, before and after", async () => {
    await patch({ sloPct: 99.5 });
    await patch({ name: "Acme Two", sloPct: null });
    const entries = await listAudit(t.store, { clientId: id, entity: "client" });
    expect(entries).toHaveLength(2);
    const last = entries.find((e) => (e.after as Json).name === "Acme Two")!;
    expect(last).toMatchObject({ actor: "admin-token", entity: "client", entityId: id, action: "update" });
    expect(last.before).toEqual({ name: "Acme", timezone: "Europe/Berlin", currency: "EUR", policy: { sloPct: 99.5 } });
    expect(last.after).toEqual({ name: "Acme Two", timezone: "Europe/Berlin", currency: "EUR", policy: {} });
  });

  it("stores and audits nothing when nothing changes", async () => {
    await patch({ sloPct: 99.5 });
    const before = await stored();
    expect((await patch({ sloPct: 99.5, name: "Acme" })).status).toBe(200);
    expect((await patch({})).status).toBe(200);
    expect(await stored()).toBe(before);
  });

  const hostile: Array<[string, unknown, RegExp]> = [
    ["an unknown field", { colour: "red" }, /^colour: unknown field/],
    ["an unknown cost field", { costModel: { revenue: 1 } }, /^costModel\.revenue: unknown field/],
    ["a cost-model currency", { costModel: { currency: "USD" } }, /^costModel\.currency: not settable/],
    ["a negative cost", { costModel: { annualRevenue: -1 } }, /^costModel\.annualRevenue: must not be negative/],
    ["a share above 1", { costModel: { itDependenceShare: 1.5 } }, /^costModel\.itDependenceShare: must be a share from 0 to 1/],
    ["operating hours of 0", { costModel: { operatingHoursPerYear: 0 } }, /^costModel\.operatingHoursPerYear: /],
    ["a cost given as text", { costModel: { employees: "20" } }, /^costModel\.employees: .*expected number/],
    ["an SLO above 100", { sloPct: 100.5 }, /^sloPct: must be at most 100/],
    ["a negative SLO", { sloPct: -1 }, /^sloPct: must not be negative/],
    ["an SLO with 5 decimals", { sloPct: 99.99999 }, /^sloPct: at most 4 decimal places/],
    ["an invalid time zone", { timezone: "Mars/Olympus" }, /^timezone: not a valid IANA time zone/],
    ["an unknown currency", { currency: "QQQ" }, /^currency: not an ISO 4217 currency/],
    ["an empty name", { name: " " }, /^name: /],
    ["a window ending where it starts", { businessCalendar: { weekly: { mon: [{ start: "09:00", end: "09:00" }] } } }, /^businessCalendar\.weekly\.mon\[0\]\.end: equals start/],
    ["an impossible time", { businessCalendar: { weekly: { tue: [{ start: "25:00", end: "26:00" }] } } }, /^businessCalendar\.weekly\.tue\[0\]\.start: must be a local time/],
    [
      "overlapping windows (Sunday night into Monday)",
      { businessCalendar: { weekly: { sun: [{ start: "22:00", end: "06:00" }], mon: [{ start: "05:00", end: "12:00" }] } } },
      /^businessCalendar\.weekly\.sun\[0\]: overlaps weekly\.mon\[0\] \(mon 05:00–12:00\)/,
    ],
    ["an unknown weekday", { businessCalendar: { weekly: { xyz: [] } } }, /^businessCalendar\.weekly\.xyz: unknown field/],
    ["a window with an extra field", { businessCalendar: { weekly: { mon: [{ start: "09:00", end: "17:00", tz: "UTC" }] } } }, /^businessCalendar\.weekly\.mon\.0\.tz: unknown field/],
    ["a calendar without windows", { businessCalendar: { weekly: {} } }, /^businessCalendar\.weekly: has no windows/],
    ["a holiday that is no date", { businessCalendar: { weekly: { mon: [{ start: "09:00", end: "17:00" }] }, holidays: ["2026-02-30"] } }, /^businessCalendar\.holidays\[0\]: must be a real date/],
    ["24x5", { businessCalendar: "24x5" }, /^businessCalendar: must be "24x7" or a calendar/],
    ["a bad recipient", { reportRecipients: ["not-an-email"] }, /^reportRecipients\.0: /],
    ["21 recipients", { reportRecipients: Array.from({ length: 21 }, (_, i) => `u${i}@acme.example`) }, /^reportRecipients: /],
    ["a schedule flag as text", { reportSchedule: { monthly: "yes" } }, /^reportSchedule\.monthly: /],
    ["an unknown schedule", { reportSchedule: { weekly: true } }, /^reportSchedule\.weekly: unknown field/],
  ];
  for (const [what, body, message] of hostile) {
    it(`rejects ${what} with 400 and stores nothing`, async () => {
      const before = await stored();
      const res = await patch(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.message).toMatch(message);
      expect(await stored()).toBe(before);
    });
  }

  it("rejects a valid change together with an invalid one, storing neither", async () => {
    const before = await stored();
    const res = await patch({ name: "Renamed", sloPct: 150 });
    expect(res.status).toBe(400);
    expect(await stored()).toBe(before);
    expect((await t.call("GET", `/api/v1/clients/${id}`)).body.name).toBe("Acme");
  });

  it("answers 404 naming the client for an unknown id and stores nothing", async () => {
    const before = await stored();
    const res = await patch({ sloPct: 99 }, "nosuchclient");
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "client not found" } });
    expect(await stored()).toBe(before);
  });

  it("lets admin and vcio change the policy, not technicians or viewers", async () => {
    const before = await stored();
    for (const principal of [
      { role: "technician" as const, subject: "tech" },
      { role: "viewer" as const, subject: "v", clientId: id },
    ]) {
      const res = await callAs(t.app, principal, "PATCH", `/api/v1/clients/${id}`, { sloPct: 90 });
      expect(res.status).toBe(403);
    }
    expect(await stored()).toBe(before);
    const res = await callAs(t.app, { role: "vcio", subject: "vcio-1" }, "PATCH", `/api/v1/clients/${id}`, { sloPct: 99.5 });
    expect(res.status).toBe(200);
    const [entry] = await listAudit(t.store, { clientId: id });
    expect(entry!.actor).toBe("vcio-1");
  });

  it("requires a token", async () => {
    const before = await stored();
    expect((await t.call("PATCH", `/api/v1/clients/${id}`, { body: { sloPct: 90 }, token: null })).status).toBe(401);
    expect(await stored()).toBe(before);
  });
});
