import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthRunSettler } from "../../evidence/settler.js";
import { insertCollectorRun, insertGoodbye, insertSamples, seedFleet, type AgentKey } from "../../evidence/testing.js";
import { saveClientPolicy } from "../../store/queries/policies.js";
import { createTestApi, type Json, type TestApi } from "../testing.js";

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
// 02:00 UTC two days ago: a fixed hour keeps the business-hours case away from midnight.
const P0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 2 * H;
const P1 = P0 + 4 * H;
const iso = (ms: number) => new Date(ms).toISOString();

let api: TestApi;
let hosts: Record<string, AgentKey>;

async function report(query: Record<string, string>): Promise<{ status: number; body: Json; headers: Headers }> {
  return api.call("GET", `/api/v1/reports/sla?${new URLSearchParams(query)}`);
}

const period = { clientId: "acme", from: iso(P0), to: iso(P1) };

beforeAll(async () => {
  api = await createTestApi();
  const store = api.store;
  hosts = await seedFleet(store, { clientId: "acme", clientName: "Acme GmbH", sites: { office: ["fs1", "ws1"] }, enrolledAt: P0 - 10 * DAY });
  const { fs1, ws1 } = hosts as { fs1: AgentKey; ws1: AgentKey };
  // fs1: crashes at P0+1h for 10 min (new boot, no goodbye); its agent is stopped P0+3h for 10 min (same boot after).
  await insertSamples(store, fs1, P0 - 7 * H, P0 + H, "fs-a");
  await insertSamples(store, fs1, P0 + H + 10 * MIN, P0 + 3 * H, "fs-b");
  await insertGoodbye(store, fs1, P0 + 3 * H + 1000, "service_stop");
  await insertSamples(store, fs1, P0 + 3 * H + 10 * MIN, P0 + 11 * H, "fs-b");
  // ws1: a clean reboot at P0+2h, back 5 min later.
  await insertSamples(store, ws1, P0 - 7 * H, P0 + 2 * H, "ws-a");
  await insertGoodbye(store, ws1, P0 + 2 * H + 1000, "os_reboot");
  await insertSamples(store, ws1, P0 + 2 * H + 5 * MIN, P0 + 11 * H, "ws-b");
  // The collector was down P0+3h30..3h40 while both agents spooled: their backfilled samples are evidence.
  await insertCollectorRun(store, "run-1", P0 - 8 * H, P0 + 3 * H + 30 * MIN);
  await insertCollectorRun(store, "run-2", P0 + 3 * H + 40 * MIN, P0 + 12 * H);
  // A second client whose one host crashed once: the fleet report must agree with each client's own.
  const beta = await seedFleet(store, { clientId: "beta", clientName: "Beta Ltd", currency: "GBP", sites: { depot: ["db1"] }, enrolledAt: P0 - 10 * DAY });
  await insertSamples(store, beta.db1!, P0 - 7 * H, P0 + 30 * MIN, "db-a");
  await insertSamples(store, beta.db1!, P0 + 45 * MIN, P0 + 11 * H, "db-b");
});

afterAll(async () => {
  await api.close();
});

describe("GET /api/v1/reports/sla", () => {
  it("reports downtime, unknown time, incidents with causes and the cost from the evidence", async () => {
    const { status, body } = await report(period);
    expect(status).toBe(200);
    expect(body.scope).toMatchObject({ level: "client", clientId: "acme", clientName: "Acme GmbH" });
    expect(body.period).toEqual({ from: iso(P0), to: iso(P1), timezone: "UTC" });
    expect(body.scheduledSeconds).toBe(2 * 4 * 3600);
    expect(body.downSeconds).toBe(900);
    expect(body.unknownSeconds).toBe(600);
    expect(body.unmonitoredSeconds).toBe(0);
    expect(body.excludedSeconds).toBe(0);
    expect(body.availabilityPct).toBeCloseTo((1 - 900 / 28200) * 100, 9);
    expect(body.met).toBe(false);
    expect(body.sloPct).toBe(99.9);
    expect(body.defaults).toEqual(expect.arrayContaining(["sloPct", "businessCalendar", "costModel.annualRevenue"]));
    expect(body.incidents.map((i: Json) => [i.hostname, i.cause, i.durationSeconds])).toEqual([
      ["fs1", "crash", 600],
      ["ws1", "reboot", 300],
    ]);
    expect(body.incidentCount).toBe(2);
    expect(body.mttrSeconds).toBe(450);
    // Default model, 24x7: (2,000,000 / 8,760 × 25% + 20 × 45 × 50%) per hour × (600 s + 300 s) × share 1/2.
    expect(body.cost).toMatchObject({ currency: "EUR", revenue: 7.13, productivity: 56.25, recovery: 0, total: 63.38 });
    expect(body.byHost.map((h: Json) => [h.hostname, h.downSeconds])).toEqual([
      ["fs1", 600],
      ["ws1", 300],
    ]);
    expect(body.previousPeriod).toMatchObject({ availabilityPct: 100, downSeconds: 0, incidentCount: 0 });
    expect(body.summary).toMatch(/available 96\.8/);
  });

  it("gives the same figures from settled runs as from raw samples", async () => {
    const raw = (await report(period)).body;
    const settler = new HealthRunSettler(api.store, { thresholdMs: 37_500, lagMs: 0 });
    await settler.settle();
    const settled = (await report(period)).body;
    expect({ ...settled, generatedAt: "" }).toEqual({ ...raw, generatedAt: "" });
  });

  it("counts only business hours when asked, in the client's calendar", async () => {
    const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(P0).getUTCDay()]!;
    await saveClientPolicy(api.store, "acme", { sloPct: 99.5, businessCalendar: { weekly: { [weekday]: [{ start: "03:00", end: "03:45" }] } } }, "test");
    const { body } = await report({ ...period, hours: "business" });
    expect(body.scheduledSeconds).toBe(2 * 45 * 60);
    expect(body.downSeconds).toBe(600); // the crash at 03:00–03:10; the reboot at 04:00 is outside
    expect(body.calendar).toMatch(/03:00–03:45 \(UTC\)/);
    expect(body.sloPct).toBe(99.5);
    await saveClientPolicy(api.store, "acme", {}, "test");
  });

  it("narrows to a site and to a host", async () => {
    const host = (await report({ ...period, hostId: hosts.ws1!.agentId })).body;
    expect(host.scope).toMatchObject({ level: "host", hostname: "ws1", siteId: "office" });
    expect(host.downSeconds).toBe(300);
    expect(host.scheduledSeconds).toBe(4 * 3600);
    const site = (await report({ ...period, siteId: "office" })).body;
    expect(site.scope.level).toBe("site");
    expect(site.downSeconds).toBe(900);
  });

  it("serves CSV and PDF downloads", async () => {
    const csv = await report({ ...period, format: "csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="sla-Acme-GmbH-[\d-]+\.csv"; filename\*=UTF-8''sla-Acme-GmbH-[\d-]+\.csv$/);
    expect(csv.body).toContain("crash");
    const res = await api.app.request(`/api/v1/reports/sla?${new URLSearchParams({ ...period, format: "pdf" })}`, { headers: { authorization: `Bearer ${api.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="sla-Acme-GmbH-[\d-]+\.pdf";/);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("refuses bad requests with the field named", async () => {
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ ...period, from: iso(P1), to: iso(P0) }, 400, /^from: must not be after to/],
      [{ ...period, from: iso(P0 - 800 * DAY) }, 400, /^to: .*2 years/],
      [{ ...period, from: "yesterday" }, 400, /from/],
      [{ ...period, from: iso(Date.now() + DAY), to: iso(Date.now() + 2 * DAY) }, 400, /^from: is in the future/],
      [{ ...period, hours: "weekends" }, 400, /hours/],
      [{ ...period, format: "docx" }, 400, /format/],
      [{ ...period, clientId: "nobody" }, 404, /clientId/],
      [{ ...period, siteId: "elsewhere" }, 404, /siteId/],
      [{ ...period, hostId: "no-such-host" }, 404, /hostId/],
    ];
    for (const [query, status, message] of cases) {
      const res = await report(query);
      expect([res.status, res.body.error?.message]).toEqual([status, expect.stringMatching(message)]);
    }
    expect((await api.call("GET", `/api/v1/reports/sla?${new URLSearchParams(period)}`, { token: null })).status).toBe(401);
  });
});

describe("GET /api/v1/reports/fleet", () => {
  it("lists every client with the same figures as the client's own report", async () => {
    const { status, body } = await api.call("GET", `/api/v1/reports/fleet?from=${iso(P0)}&to=${iso(P1)}`);
    expect(status).toBe(200);
    expect(body.clients.map((c: Json) => c.clientName).sort()).toEqual(["Acme GmbH", "Beta Ltd"]);
    for (const line of body.clients) {
      const own = (await report({ clientId: line.clientId, from: iso(P0), to: iso(P1) })).body;
      expect(line).toMatchObject({ availabilityPct: own.availabilityPct, downSeconds: own.downSeconds, incidentCount: own.incidentCount, costTotal: own.cost.total, currency: own.cost.currency });
    }
    const beta = body.clients.find((c: Json) => c.clientId === "beta");
    expect(beta).toMatchObject({ downSeconds: 900, hostCount: 1, currency: "GBP" });
    expect(body.hostCount).toBe(3);
  });
});

describe("timelines", () => {
  it("shows a host's states with causes, and its site's", async () => {
    const { status, body } = await api.call("GET", `/api/v1/hosts/${hosts.fs1!.agentId}/timeline?from=${iso(P0)}&to=${iso(P1)}`);
    expect(status).toBe(200);
    expect(body.segments.map((s: Json) => [s.state, s.cause, (Date.parse(s.end) - Date.parse(s.start)) / 1000])).toEqual([
      ["UP", null, 3600],
      ["DOWN", "crash", 600],
      ["UP", null, 6600],
      ["UNKNOWN", "agent_stopped", 600],
      ["UP", null, 3000],
    ]);
    const site = await api.call("GET", `/api/v1/sites/office/timeline?from=${iso(P0)}&to=${iso(P1)}`);
    expect(site.body.segments.map((s: Json) => s.state)).toEqual(["UP", "DEGRADED", "UP", "DEGRADED", "UP"]);
    expect((await api.call("GET", `/api/v1/hosts/nope/timeline?from=${iso(P0)}&to=${iso(P1)}`)).status).toBe(404);
    expect((await api.call("GET", `/api/v1/sites/office/timeline?from=${iso(P1)}&to=${iso(P0)}`)).status).toBe(400);
  });
});

describe("incidents", () => {
  it("lists incidents with their life cycle, and an exclusion with a reason moves the time out of D, audited", async () => {
    const list = await api.call("GET", `/api/v1/incidents?${new URLSearchParams(period)}`);
    expect(list.status).toBe(200);
    const reboot = list.body.items.find((i: Json) => i.cause === "reboot");
    expect(reboot).toMatchObject({ hostname: "ws1", resolvedAt: iso(P0 + 2 * H + 5 * MIN), acknowledgedAt: null, excluded: false });

    const noReason = await api.call("PATCH", `/api/v1/incidents/${encodeURIComponent(reboot.id)}`, { body: { excluded: true } });
    expect([noReason.status, noReason.body.error.message]).toEqual([400, expect.stringMatching(/^exclusionReason/)]);
    const before = await api.snapshot("incident_annotations");
    expect(before).toMatch(/^0 rows/);

    const ok = await api.call("PATCH", `/api/v1/incidents/${encodeURIComponent(reboot.id)}`, {
      body: { excluded: true, exclusionReason: "approved patch reboot", note: "KB5031455", acknowledged: true },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ excluded: true, exclusionReason: "approved patch reboot", note: "KB5031455", acknowledgedBy: "admin-token" });

    let { body } = await report(period);
    expect(body.downSeconds).toBe(600);
    expect(body.excludedSeconds).toBe(300);
    expect(body.incidentCount).toBe(1);
    expect(body.mttaSeconds).toBeNull(); // the only acknowledged incident is excluded

    const crash = list.body.items.find((i: Json) => i.cause === "crash");
    expect((await api.call("PATCH", `/api/v1/incidents/${encodeURIComponent(crash.id)}`, { body: { acknowledged: true } })).status).toBe(200);
    ({ body } = await report(period));
    expect(body.mttaSeconds).toBeGreaterThan(0);

    const audit = await api.call("GET", `/api/v1/audit?clientId=acme&entity=incident`);
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body)).toContain("approved patch reboot");

    expect((await api.call("PATCH", `/api/v1/incidents/${encodeURIComponent(`${hosts.ws1!.agentId}@${P0}`)}`, { body: { note: "x" } })).status).toBe(404);
    expect((await api.call("PATCH", "/api/v1/incidents/not-an-id", { body: { note: "x" } })).status).toBe(404);
  });
});

describe("frozen report runs", () => {
  it("keeps the report as generated, even after the evidence changes", async () => {
    const created = await api.call("POST", "/api/v1/report-runs", { body: { ...period, label: "QBR" } });
    expect(created.status).toBe(201);
    const frozenDown = created.body.report.downSeconds;
    // New evidence: ws1 goes silent for good inside the period would change a live report; the frozen one stays.
    await api.store.command("ALTER TABLE incident_annotations DELETE WHERE 1");
    const live = (await report(period)).body;
    expect(live.downSeconds).not.toBe(frozenDown);
    const again = await api.call("GET", `/api/v1/report-runs/${created.body.id}`);
    expect(again.body.report.downSeconds).toBe(frozenDown);
    expect(again.body.params).toMatchObject({ clientId: "acme", from: iso(P0), to: iso(P1), hours: "all" });
    const listed = await api.call("GET", "/api/v1/report-runs?clientId=acme");
    expect(listed.body.items).toEqual([expect.objectContaining({ id: created.body.id, label: "QBR", costTotal: created.body.report.cost.total })]);
    const pdf = await api.app.request(`/api/v1/report-runs/${created.body.id}?format=pdf`, { headers: { authorization: `Bearer ${api.adminToken}` } });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });
});
