import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../alerts/state.js";
import { insertCollectorRun, insertSamples, seedFleet, type AgentKey } from "../evidence/testing.js";
import { storeInventory, ubuntuServer } from "../inventory/testing.js";
import { recordAudit } from "../store/queries/audit.js";
import { saveAlert } from "../store/queries/alerts.js";
import type { Principal } from "./auth.js";
import { callAs, createTestApi, type Json, type TestApi } from "./testing.js";

// Issue 6 §2: a viewer sees one client only, in every API call. Two clients with the same kinds of data; the
// viewer of "mine" must see all of its own and nothing of "theirs", and ids of "theirs" must answer exactly as
// ids that exist nowhere.

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const P0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 2 * H;
const P1 = P0 + 4 * H;
const iso = (ms: number) => new Date(ms).toISOString();
const PERIOD = `from=${iso(P0)}&to=${iso(P1)}`;

const viewer: Principal = { role: "viewer", subject: "viewer-of-mine", clientId: "mine" };
const technician: Principal = { role: "technician", subject: "tech" };

let t: TestApi;
const hosts: Record<"mine" | "theirs", AgentKey> = {} as never;
const runs: Record<"mine" | "theirs", string> = {} as never;

const asViewer = async (url: string) => (await callAs(t.app, viewer, "GET", url)) as { status: number; body: Json };
const asAdmin = (url: string) => t.call("GET", url);
const clientIdsOf = (items: Json[]) => [...new Set(items.map((i) => i.clientId as string))].sort();

beforeAll(async () => {
  t = await createTestApi();
  await insertCollectorRun(t.store, "run-1", P0 - 8 * H, P0 + 12 * H);
  for (const client of ["mine", "theirs"] as const) {
    const seeded = await seedFleet(t.store, { clientId: client, sites: { [`${client}-site`]: ["host1"] }, enrolledAt: P0 - 10 * DAY });
    const host = seeded.host1!;
    hosts[client] = host;
    // A crash at P0+1h: 10 minutes down, then a new boot. One incident per client.
    await insertSamples(t.store, host, P0 - 7 * H, P0 + H, `${client}-a`);
    await insertSamples(t.store, host, P0 + H + 10 * MIN, P0 + 11 * H, `${client}-b`);
    // Two inventories with a package upgraded in between: one inventory change per client.
    await storeInventory(t.store, host, ubuntuServer({ system: { ...ubuntuServer().system, hostname: `${client}-host1` } }), 1);
    await storeInventory(
      t.store,
      host,
      ubuntuServer({
        system: { ...ubuntuServer().system, hostname: `${client}-host1` },
        software: [{ name: "openssl", version: "3.0.99", arch: "amd64", publisher: "", source: "dpkg" }],
      }),
      2,
    );
    await saveAlert(t.store, alert(`${client}-alert`, host));
    const window = await t.call("POST", "/api/v1/maintenance-windows", {
      body: { clientId: client, scope: { level: "client", id: client }, kind: "once", start: iso(Date.now() + DAY), end: iso(Date.now() + DAY + H), reason: "patching" },
    });
    expect(window.status).toBe(201);
    const run = await t.call("POST", "/api/v1/report-runs", { body: { clientId: client, from: iso(P0), to: iso(P1), label: `${client} QBR` } });
    expect(run.status).toBe(201);
    runs[client] = run.body.id;
  }
  // Changes to settings of every client, and to a user: neither is any one client's.
  await recordAudit(t.store, { at: Date.now(), actor: "admin-token", clientId: "", entity: "alert_rule", entityId: "r1", action: "create", before: null, after: { kind: "host_down" } });
  await recordAudit(t.store, { at: Date.now(), actor: "admin-token", clientId: "", entity: "user", entityId: "u1", action: "create", before: null, after: { username: "ann" } });
});

afterAll(async () => {
  await t.close();
});

function alert(id: string, host: AgentKey): Alert {
  return {
    id,
    clientId: host.clientId,
    siteId: host.siteId,
    hostId: host.agentId,
    ruleId: "builtin-host-down",
    ruleKind: "host_down",
    subjectKey: `host:${host.agentId}`,
    subjectKind: "host",
    subjectName: "host1",
    severity: "critical",
    state: "firing",
    startedAt: P0 + H,
    createdAt: P0 + H + MIN,
    acknowledgedAt: null,
    acknowledgedBy: "",
    resolvedAt: null,
    resolvedBy: "",
    lastNotifiedAt: null,
    escalationStep: 0,
    suppressedBy: "",
    summary: "host1 is down",
    updatedAt: P0 + H + MIN,
  };
}

describe("a viewer's lists", () => {
  // Each list: what the viewer gets, and the client ids in it. The admin's view of the same list has both
  // clients, so each of these could fail.
  const lists: Array<[string, string, (body: Json) => string[]]> = [
    ["clients", "/api/v1/clients", (b) => b.items.map((c: Json) => c.id)],
    ["fleet", "/api/v1/fleet", (b) => b.clients.map((c: Json) => c.id)],
    ["sites", "/api/v1/sites", (b) => clientIdsOf(b.items)],
    ["hosts", "/api/v1/hosts", (b) => clientIdsOf(b.items)],
    ["alerts", "/api/v1/alerts", (b) => clientIdsOf(b.items)],
    ["inventory search", "/api/v1/inventory/search?software=openssl", (b) => clientIdsOf(b.items)],
    ["audit", "/api/v1/audit", (b) => clientIdsOf(b.items)],
  ];
  for (const [name, url, clients] of lists) {
    it(`${name}: only its own client's, where the admin sees both`, async () => {
      const mine = await asViewer(url);
      expect(mine.status).toBe(200);
      expect(clients(mine.body)).toEqual(["mine"]);
      const all = await asAdmin(url);
      expect(clients(all.body)).toEqual(expect.arrayContaining(["mine", "theirs"]));
    });
  }

  // Lists that name their client: the viewer's own has its data, and nothing of the other client.
  it("incidents, maintenance windows, report runs, inventory changes and lifecycle of its own client", async () => {
    const incidents = await asViewer(`/api/v1/incidents?clientId=mine&${PERIOD}`);
    expect(incidents.status).toBe(200);
    expect(incidents.body.items.map((i: Json) => [i.clientId, i.hostId])).toEqual([["mine", hosts.mine.agentId]]);
    const windows = await asViewer("/api/v1/maintenance-windows?clientId=mine");
    expect(clientIdsOf(windows.body.items)).toEqual(["mine"]);
    const reportRuns = await asViewer("/api/v1/report-runs?clientId=mine");
    expect(reportRuns.body.items.map((r: Json) => r.id)).toEqual([runs.mine]);
    const changes = await asViewer("/api/v1/inventory/changes?clientId=mine");
    expect(changes.status).toBe(200);
    expect(changes.body.items.length).toBeGreaterThan(0);
    expect([...new Set(changes.body.items.map((c: Json) => c.hostId))]).toEqual([hosts.mine.agentId]);
    const lifecycle = await asViewer("/api/v1/reports/lifecycle?clientId=mine");
    expect(lifecycle.status).toBe(200);
    const sla = await asViewer(`/api/v1/reports/sla?clientId=mine&${PERIOD}`);
    expect(sla.status).toBe(200);
    expect(sla.body.incidents.map((i: Json) => i.hostId)).toEqual([hosts.mine.agentId]);
  });

  it("audit: its own client's entries only; the global ones and users' are not its", async () => {
    const own = await asViewer("/api/v1/audit");
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(clientIdsOf(own.body.items)).toEqual(["mine"]);
    expect((await asViewer("/api/v1/audit?scope=global")).body).toEqual({ items: [] });

    const everything = await asAdmin("/api/v1/audit");
    expect(clientIdsOf(everything.body.items)).toEqual(["", "mine", "theirs"]);
    const times = everything.body.items.map((e: Json) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await asAdmin("/api/v1/audit?limit=2")).body.items).toEqual(everything.body.items.slice(0, 2));
    const global = await asAdmin("/api/v1/audit?scope=global");
    expect(global.body.items.map((e: Json) => [e.clientId, e.entity]).sort()).toEqual([["", "alert_rule"], ["", "user"]]);
    const bad = await asAdmin("/api/v1/audit?scope=global&clientId=mine");
    expect(bad.status).toBe(400);
    // Only admins manage users, so only they see changes to them.
    const tech = (await callAs(t.app, technician, "GET", "/api/v1/audit?scope=global")) as { body: Json };
    expect(tech.body.items.map((e: Json) => e.entity)).toEqual(["alert_rule"]);
  });

  it("may not see the fleet report (every client's figures) nor the alerting configuration", async () => {
    for (const url of [`/api/v1/reports/fleet?${PERIOD}`, "/api/v1/silences", "/api/v1/channels", "/api/v1/alert-rules", "/api/v1/alert-routes"]) {
      expect({ url, status: (await asViewer(url)).status }).toEqual({ url, status: 403 });
    }
  });
});

describe("another client's ids answer as unknown ones", () => {
  // The same request with the other client's id and with an id that exists nowhere must get the same answer
  // (the id itself aside, where a message quotes it); with the viewer's own id it succeeds.
  async function sameAsUnknown(template: string, ids: { mine: string; theirs: string }): Promise<{ status: number; body: Json }> {
    const unknown = "no-such-thing";
    const own = await asViewer(template.replace("ID", ids.mine));
    expect({ template, status: own.status }).toEqual({ template, status: 200 });
    const theirs = await asViewer(template.replace("ID", ids.theirs));
    const nowhere = await asViewer(template.replace("ID", unknown));
    const masked = (body: Json, id: string) => JSON.parse(JSON.stringify(body).replaceAll(id, "<id>"));
    expect({ template, status: theirs.status, body: masked(theirs.body, ids.theirs) }).toEqual({ template, status: nowhere.status, body: masked(nowhere.body, unknown) });
    return theirs;
  }

  it("single resources: 404, exactly as for an unknown id", async () => {
    const site = { mine: hosts.mine.siteId, theirs: hosts.theirs.siteId };
    const host = { mine: hosts.mine.agentId, theirs: hosts.theirs.agentId };
    const cases: Array<[string, { mine: string; theirs: string }]> = [
      ["/api/v1/clients/ID", { mine: "mine", theirs: "theirs" }],
      ["/api/v1/sites/ID", site],
      [`/api/v1/sites/ID/timeline?${PERIOD}`, site],
      ["/api/v1/hosts/ID", host],
      ["/api/v1/hosts/ID/metrics?name=cpu.utilization", host],
      ["/api/v1/hosts/ID/inventory", host],
      [`/api/v1/hosts/ID/timeline?${PERIOD}`, host],
      ["/api/v1/alerts/ID", { mine: "mine-alert", theirs: "theirs-alert" }],
      ["/api/v1/report-runs/ID", runs],
    ];
    for (const [template, ids] of cases) {
      const res = await sameAsUnknown(template, ids);
      expect({ template, status: res.status, code: res.body.error?.code }).toEqual({ template, status: 404, code: "not_found" });
    }
  });

  it("?clientId= of another client: 404 client not found, as for an unknown client", async () => {
    const templates = [
      "/api/v1/sites?clientId=ID",
      "/api/v1/hosts?clientId=ID",
      "/api/v1/alerts?clientId=ID",
      "/api/v1/inventory/search?clientId=ID",
      "/api/v1/inventory/changes?clientId=ID",
      `/api/v1/incidents?clientId=ID&${PERIOD}`,
      "/api/v1/maintenance-windows?clientId=ID",
      "/api/v1/report-runs?clientId=ID",
      "/api/v1/audit?clientId=ID",
      `/api/v1/reports/sla?clientId=ID&${PERIOD}`,
      "/api/v1/reports/lifecycle?clientId=ID",
    ];
    for (const template of templates) {
      const res = await sameAsUnknown(template, { mine: "mine", theirs: "theirs" });
      expect({ template, status: res.status, body: res.body }).toEqual({ template, status: 404, body: { error: { code: "not_found", message: "client not found" } } });
    }
  });

  it("a site or host of another client as a filter: nothing of theirs, as for an unknown one", async () => {
    const site = { mine: hosts.mine.siteId, theirs: hosts.theirs.siteId };
    const host = { mine: hosts.mine.agentId, theirs: hosts.theirs.agentId };
    const cases: Array<[string, { mine: string; theirs: string }]> = [
      ["/api/v1/hosts?siteId=ID", site],
      ["/api/v1/alerts?siteId=ID", site],
      ["/api/v1/alerts?hostId=ID", host],
      ["/api/v1/inventory/search?siteId=ID", site],
      [`/api/v1/inventory/changes?clientId=mine&hostId=ID&from=${iso(P0 - 30 * DAY)}&to=${iso(P0 + 3 * DAY)}`, host],
      [`/api/v1/incidents?clientId=mine&siteId=ID&${PERIOD}`, site],
      [`/api/v1/incidents?clientId=mine&hostId=ID&${PERIOD}`, host],
      [`/api/v1/reports/sla?clientId=mine&siteId=ID&${PERIOD}`, site],
      [`/api/v1/reports/sla?clientId=mine&hostId=ID&${PERIOD}`, host],
    ];
    for (const [template, ids] of cases) {
      const res = await sameAsUnknown(template, ids);
      if (res.status === 200) expect({ template, items: res.body.items }).toEqual({ template, items: [] });
      else expect({ template, status: res.status }).toEqual({ template, status: 404 });
    }
  });
});
