import path from "node:path";
import { ENROLL_PATH, EnrollResponse } from "@vigil/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlaReport } from "../../../collector/src/reports/sla/report.js";
import { openStore } from "../../../collector/src/store/clickhouse.js";
import { AdminApi } from "../../support/api.js";
import { freePort } from "../../support/free-port.js";
import { LOOPBACK_AGENT_ENV } from "../../support/loopback-env.js";
import { cleanup, startCollector, tempDir, type CollectorProcess } from "../../support/processes.js";
import { ScriptedHost } from "./scripted-host.js";

// Issue 3 §6: scripted reboots, crashes, an agent stopped while its host runs, a site network loss with
// backfill, a site gone dark, the collector down, and a maintenance window, each driven through the real
// protocol against a real collector process, then read back from the SLA report. Samples every second
// (the collector pushes a 1 s health interval, so the report's gap threshold is 2.5 s); every record
// carries an exact scripted timestamp, so expected downtime is known to the millisecond. The assertions
// allow one sample interval (1 s), as the issue says.

const S = 1000;
const TOLERANCE_S = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = (t: number) => sleep(Math.max(0, t - Date.now()));
/** The next whole second at least `leadMs` away: a scenario's T0. */
const nextSecond = (leadMs = 500) => Math.ceil((Date.now() + leadMs) / S) * S;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The cost model every scenario's client gets: round numbers, so the cost of a second is easy to check.
 * revenue rate 8,760,000 / 8,760 h × 36% = 360/h; productivity 12 × 300 × 90% = 3,240/h (3,600/h = 1/s
 * together); penalty 360/h; recovery 25 per counted incident; intangibles 20% on top of everything.
 */
const COST_MODEL = {
  annualRevenue: 8_760_000,
  operatingHoursPerYear: 8760,
  itDependenceShare: 0.36,
  employees: 12,
  loadedHourlyCost: 300,
  productivityLossShare: 0.9,
  recoveryCostPerIncident: 25,
  slaPenaltyPerHour: 360,
  intangiblesShare: 0.2,
};

/** The README's formula by hand: each part rounded to the cent, intangible on the rounded parts. */
function handCost(chargedMs: number, recoveryIncidents: number) {
  const h = chargedMs / 3_600_000;
  const cents = (x: number) => Math.round(x * 100 + 1e-9);
  const revenue = cents(((COST_MODEL.annualRevenue / COST_MODEL.operatingHoursPerYear) * COST_MODEL.itDependenceShare) * h);
  const productivity = cents(COST_MODEL.employees * COST_MODEL.loadedHourlyCost * COST_MODEL.productivityLossShare * h);
  const recovery = cents(COST_MODEL.recoveryCostPerIncident * recoveryIncidents);
  const penalty = cents(COST_MODEL.slaPenaltyPerHour * h);
  const intangible = cents((COST_MODEL.intangiblesShare * (revenue + productivity + recovery + penalty)) / 100);
  return { revenue: revenue / 100, productivity: productivity / 100, recovery: recovery / 100, penalty: penalty / 100, intangible: intangible / 100, total: (revenue + productivity + recovery + penalty + intangible) / 100 };
}
/** What one second of whole-business downtime costs under COST_MODEL (for the ±1 s tolerance). */
const COST_PER_SECOND = ((360 + 3240 + 360) / 3600) * 1.2;

/** An incident as GET /api/v1/incidents lists it (the fields this test reads). */
interface ApiIncident {
  id: string;
  hostId: string;
  cause: string;
  durationSeconds: number;
  startedAt: string;
  endedAt: string;
  detectedAt: string;
  resolvedAt: string | null;
  siteIncidentId: string | null;
  excluded: boolean;
}
interface ApiIncidentList {
  items: ApiIncident[];
  siteIncidents: { id: string; cause: string; durationSeconds: number; hostIds: string[] }[];
}

/** What a scenario hands to its assertions. */
interface Outcome {
  clientId: string;
  siteId: string;
  from: number;
  to: number;
  hosts: ScriptedHost[];
  /** Extra facts the script measured. */
  facts: Record<string, number>;
}

describe("availability scenarios with the fleet simulator through the real protocol", () => {
  const dirs: string[] = [];
  const hosts: ScriptedHost[] = [];
  let collector: CollectorProcess | undefined;
  let api: AdminApi;
  let port: number;
  let dataDir: string;
  const env = { ...LOOPBACK_AGENT_ENV, VIGIL_WRITER_FLUSH_MS: "100" };
  const measured: Record<string, unknown> = {};

  beforeAll(async () => {
    dataDir = tempDir("availability");
    dirs.push(dataDir);
    port = await freePort();
    collector = await startCollector({ dataDir, port, env });
    api = new AdminApi(collector.url, collector.adminToken);
  });

  afterAll(async () => {
    for (const h of hosts) h.shutdown();
    await collector?.stop().catch(() => undefined);
    cleanup(...dirs);
    console.log("measured:\n" + JSON.stringify(measured, null, 1));
  });

  /** A client with one site, the test cost model, and an enrollment token. */
  async function newClient(name: string): Promise<{ clientId: string; siteId: string; token: string }> {
    const c = await api.enrollmentToken(name);
    const patched = await api.request("PATCH", `/api/v1/clients/${c.clientId}`, { costModel: COST_MODEL });
    if (patched.status !== 200) throw new Error(`set cost model: ${patched.status} ${JSON.stringify(patched.body)}`);
    return c;
  }

  /** Enrolls a simulated host (its own machine id) and connects it. */
  async function newHost(token: string, hostname: string): Promise<ScriptedHost> {
    const res = await fetch(collector!.url + ENROLL_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token, hostname, agentVersion: "0.0.0-sim", os: { platform: "linux", release: "sim", arch: "x64" }, machineId: `avail-${hostname}` }),
    });
    if (res.status !== 201) throw new Error(`enroll ${hostname}: ${res.status} ${await res.text()}`);
    const { agentId, agentToken } = EnrollResponse.parse(await res.json());
    const h = new ScriptedHost(collector!.url, agentId, agentToken, hostname);
    hosts.push(h);
    await h.connect();
    return h;
  }

  /** The collector's recent warnings and errors, for a failure message. */
  const errorLogs = () => (collector?.logs ?? []).filter((l) => /"level":(40|50|60)/.test(l)).slice(-5).join("\n");

  async function slaReport(o: Outcome, extra = ""): Promise<SlaReport> {
    const r = await api.request<SlaReport>("GET", `/api/v1/reports/sla?clientId=${o.clientId}&from=${iso(o.from)}&to=${iso(o.to)}&hours=all${extra}`);
    if (r.status !== 200) throw new Error(`SLA report: ${r.status} ${JSON.stringify(r.body)}\n${errorLogs()}`);
    return r.body;
  }

  async function incidentsOf(o: Outcome): Promise<ApiIncidentList> {
    const r = await api.request<ApiIncidentList>("GET", `/api/v1/incidents?clientId=${o.clientId}&from=${iso(o.from)}&to=${iso(o.to)}`);
    if (r.status !== 200) throw new Error(`incidents: ${r.status} ${JSON.stringify(r.body)}\n${errorLogs()}`);
    return r.body;
  }

  /** GET /incidents tells the same story as the report: same incidents, causes, times; detected one gap threshold in; resolved. */
  async function expectIncidentsApiAgrees(o: Outcome, r: SlaReport): Promise<ApiIncidentList> {
    const list = await incidentsOf(o);
    const pick = (i: { id: string; hostId: string; cause: string; startedAt: string; endedAt: string; durationSeconds: number; siteIncidentId: string | null; excluded: boolean }) =>
      ({ id: i.id, hostId: i.hostId, cause: i.cause, startedAt: i.startedAt, endedAt: i.endedAt, durationSeconds: i.durationSeconds, siteIncidentId: i.siteIncidentId, excluded: i.excluded });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(list.items.map(pick).sort(byId)).toEqual(r.incidents.map(pick).sort(byId));
    expect(list.siteIncidents.map((x) => x.id).sort()).toEqual(r.siteIncidents.map((x) => x.id).sort());
    for (const i of list.items) {
      expect(Date.parse(i.detectedAt) - Date.parse(i.startedAt), "detection delay = gap threshold").toBe(2500);
      expect(i.resolvedAt).toBe(i.endedAt);
    }
    return list;
  }

  /** Samples every second from T0 + first·S through T0 + last·S on these hosts (with `extra` records per host and tick). */
  async function sampleEachSecond(T0: number, first: number, last: number, hs: ScriptedHost[], extra?: (h: ScriptedHost, k: number, ts: number) => ReturnType<ScriptedHost["gatewayCheck"]>[]) {
    for (let k = first; k <= last; k++) {
      const ts = T0 + k * S;
      await until(ts);
      for (const h of hs) h.sample(ts, extra?.(h, k, ts) ?? []);
    }
  }

  const expectSeconds = (actual: number, expected: number, what: string) => {
    expect(Math.abs(actual - expected), `${what}: ${actual} s, scripted ${expected} s`).toBeLessThanOrEqual(TOLERANCE_S);
  };
  const expectCost = (r: SlaReport, chargedMs: number, recoveryIncidents: number, what: string) => {
    const hand = handCost(chargedMs, recoveryIncidents);
    // Within one sample interval of the script's cost…
    expect(Math.abs(r.cost.total - hand.total), `${what}: cost ${r.cost.total}, by hand ${hand.total}`).toBeLessThanOrEqual(COST_PER_SECOND + 0.01);
    expect(r.cost.recovery).toBe(hand.recovery);
    expect(r.cost.inputs.recoveryIncidents).toBe(recoveryIncidents);
    // …and exactly what the formula gives for the hours the report charged.
    const own = handCost(r.cost.inputs.chargedHours * 3_600_000, recoveryIncidents);
    expect(r.cost).toMatchObject({ currency: "EUR", revenue: own.revenue, productivity: own.productivity, penalty: own.penalty, intangible: own.intangible, total: own.total });
    expect(r.cost.total).toBeCloseTo(r.cost.revenue + r.cost.productivity + r.cost.recovery + r.cost.penalty + r.cost.intangible, 2);
    expect(r.costTotal).toBe(r.cost.total);
    expect(r.cost.inputs.costPerHour).toBeCloseTo(3600, 6);
  };
  const summary = (r: SlaReport) => ({
    scheduled: r.scheduledSeconds,
    excluded: r.excludedSeconds,
    unknown: r.unknownSeconds,
    unmonitored: r.unmonitoredSeconds,
    down: r.downSeconds,
    monitored: r.monitoredSeconds,
    availabilityPct: r.availabilityPct,
    incidentCount: r.incidentCount,
    incidents: r.incidents.map((i) => `${i.hostname} ${i.cause} ${i.durationSeconds}s ${i.startedAt}→${i.endedAt}${i.siteIncidentId ? " (site)" : ""}`),
    siteIncidents: r.siteIncidents.map((s) => `${s.cause} ${s.durationSeconds}s hosts=${s.hostIds.length}`),
    cost: r.cost.total,
    chargedHours: r.cost.inputs.chargedHours,
    byHost: r.byHost.map((h) => `${h.hostname} down=${h.downSeconds} unknown=${h.unknownSeconds} unmonitored=${h.unmonitoredSeconds} incidents=${h.incidentCount}`),
  });

  // ── 5. The collector is SIGKILLed while agents sample; it runs first, so its outage lies outside every other period.

  let collectorDown: Outcome;

  it("5. collector down: SIGKILL for ~6 s while agents keep sampling; backfilled time is UP, lost time UNMONITORED/UNKNOWN, nothing DOWN", async () => {
    const c = await newClient("Collector Down KG");
    const a = await newHost(c.token, "cd-backfill");
    const b = await newHost(c.token, "cd-spool-lost");
    a.keepConnected();
    const T0 = nextSecond();
    let last = Number.POSITIVE_INFINITY;
    let lossRecord: ReturnType<ScriptedHost["dropSpool"]>;
    const sampler = (async () => {
      for (let k = 0; k <= last; k++) {
        const ts = T0 + k * S;
        await until(ts);
        a.sample(ts);
        const extra = lossRecord ? [lossRecord] : [];
        lossRecord = undefined;
        b.sample(ts, extra);
      }
    })();
    await until(T0 + 5.5 * S);
    const killedAt = Date.now();
    await collector!.kill();
    await sleep(4000);
    collector = await startCollector({ dataDir, port, env });
    const listeningAt = Date.now();
    // b's spool overflowed while the collector was away: it reports the loss with its next sample.
    const loss = b.dropSpool(Date.now());
    expect(loss).toBeDefined();
    await b.connect();
    lossRecord = loss;
    last = Math.max(20, Math.ceil((Date.now() - T0) / S) + 5);
    await sampler;
    await Promise.all([a.drained(), b.drained()]);
    expect(a.isConnected).toBe(true);
    collectorDown = {
      ...c,
      from: T0,
      to: T0 + last * S,
      hosts: [a, b],
      facts: { killedAt, listeningAt, lossOldest: loss!.kind === "spool_loss" ? loss!.oldestTs! : 0, lossNewest: loss!.kind === "spool_loss" ? loss!.newestTs! : 0 },
    };

    const r = await slaReport(collectorDown);
    measured["5 collector down"] = { outageMs: listeningAt - killedAt, ...summary(r) };
    const lenS = last;
    expect(r.scheduledSeconds).toBe(2 * lenS);
    expect(r.downSeconds).toBe(0);
    expect(r.incidents).toEqual([]);
    expect(r.siteIncidents).toEqual([]);
    expect(r.incidentCount).toBe(0);
    expect(r.availabilityPct).toBe(100);
    expect(r.cost.total).toBe(0);
    expect(await incidentsOf(collectorDown)).toEqual({ items: [], siteIncidents: [] });

    // a backfilled every sample: UP all along, the collector's outage does not show.
    const ha = r.byHost.find((h) => h.hostId === a.agentId)!;
    expect(ha).toMatchObject({ downSeconds: 0, unknownSeconds: 0, unmonitoredSeconds: 0, incidentCount: 0, availabilityPct: 100 });
    // b lost the samples it took while the collector was away: that gap is not evidence of anything, never DOWN.
    const hb = r.byHost.find((h) => h.hostId === b.agentId)!;
    const { lossOldest, lossNewest } = collectorDown.facts as { lossOldest: number; lossNewest: number };
    const lastBefore = Math.max(...b.samples.filter((s) => s.ts < lossOldest).map((s) => s.ts));
    const firstAfter = Math.min(...b.samples.filter((s) => s.ts > lossNewest).map((s) => s.ts));
    expect(hb.downSeconds).toBe(0);
    expect(hb.incidentCount).toBe(0);
    // Whatever of it lies in the collector's outage is UNMONITORED collector_down (the README's layer 5), at
    // any time after the restart — not only once the killed run's last heartbeat is 30 s old.
    expect(hb.unmonitoredSeconds, "b's lost samples during the collector's outage count as UNMONITORED").toBeGreaterThan(0);
    expectSeconds(hb.unknownSeconds + hb.unmonitoredSeconds, (firstAfter - lastBefore) / S, "b's lost span (unknown + unmonitored)");
    expectSeconds(r.unknownSeconds + r.unmonitoredSeconds, (firstAfter - lastBefore) / S, "client unknown + unmonitored");
  }, 90_000);

  // ── The agent-side scenarios run at once, each in its own client, after the collector is back.

  describe("agent-side scenarios, each in its own client", () => {
    const runs: Record<string, Promise<Outcome>> = {};
    const outcome = (name: string) => runs[name]!;

    beforeAll(() => {
      const start = (name: string, script: () => Promise<Outcome>) => {
        const p = script();
        p.catch(() => undefined); // awaited by its test; no unhandled rejection before that
        runs[name] = p;
      };

      // 1. goodbye os_reboot, 10 s silence, back with a new boot id.
      start("reboot", async () => {
        const c = await newClient("Reboot GmbH");
        const h = await newHost(c.token, "srv-reboot");
        const T0 = nextSecond();
        await sampleEachSecond(T0, 0, 5, [h]);
        await h.drained();
        await h.goodbye("os_reboot");
        h.reboot();
        await until(T0 + 15 * S - 300);
        await h.connect();
        await sampleEachSecond(T0, 15, 20, [h]);
        await h.drained();
        return { ...c, from: T0, to: T0 + 20 * S, hosts: [h], facts: {} };
      });

      // 2. silence 8 s without goodbye (the connection just dies), back with a new boot id.
      start("crash", async () => {
        const c = await newClient("Crash AG");
        const h = await newHost(c.token, "srv-crash");
        const T0 = nextSecond();
        await sampleEachSecond(T0, 0, 5, [h]);
        await h.drained();
        h.drop();
        h.reboot();
        await until(T0 + 13 * S - 300);
        await h.connect();
        await sampleEachSecond(T0, 13, 20, [h]);
        await h.drained();
        return { ...c, from: T0, to: T0 + 20 * S, hosts: [h], facts: {} };
      });

      // 3. goodbye service_stop, 10 s silence, back with the same boot id: the host ran, unobserved.
      start("stopped", async () => {
        const c = await newClient("Stopped Agent SARL");
        const h = await newHost(c.token, "srv-stopped");
        const T0 = nextSecond();
        await sampleEachSecond(T0, 0, 5, [h]);
        await h.drained();
        await h.goodbye("service_stop");
        await until(T0 + 15 * S - 300);
        await h.connect();
        await sampleEachSecond(T0, 15, 20, [h]);
        await h.drained();
        return { ...c, from: T0, to: T0 + 20 * S, hosts: [h], facts: {} };
      });

      // 4. Both hosts of a site lose the link for 10 s: they keep sampling into their spools, their
      //    gateway pings (every 5 s) fail meanwhile, and they backfill when the link returns.
      start("site-network", async () => {
        const c = await newClient("Site Network BV");
        const hs = [await newHost(c.token, "sn-fs1"), await newHost(c.token, "sn-ws1")];
        const T0 = nextSecond();
        const checks = (h: ScriptedHost, k: number, ts: number) => (k % 5 === 0 ? [h.gatewayCheck(ts, !(k >= 5 && k < 15))] : []);
        const sampling = sampleEachSecond(T0, 0, 20, hs, checks);
        await until(T0 + 4.5 * S);
        for (const h of hs) h.drop();
        await until(T0 + 14.5 * S);
        for (const h of hs) await h.connect();
        await sampling;
        await Promise.all(hs.map((h) => h.drained()));
        return { ...c, from: T0, to: T0 + 20 * S, hosts: hs, facts: {} };
      });

      // 4b. The site goes dark (power): both hosts fall silent at once without goodbye and come back with
      //     new boot ids, one a second later than the other.
      start("site-power", async () => {
        const c = await newClient("Site Power Oy");
        const hs = [await newHost(c.token, "sp-fs1"), await newHost(c.token, "sp-ws1")];
        const T0 = nextSecond();
        await sampleEachSecond(T0, 0, 5, hs);
        await Promise.all(hs.map((h) => h.drained()));
        for (const h of hs) {
          h.drop();
          h.reboot();
        }
        await until(T0 + 15 * S - 300);
        await hs[0]!.connect();
        const first = sampleEachSecond(T0, 15, 15, [hs[0]!]);
        await until(T0 + 16 * S - 300);
        await hs[1]!.connect();
        await first;
        await sampleEachSecond(T0, 16, 21, hs);
        await Promise.all(hs.map((h) => h.drained()));
        return { ...c, from: T0, to: T0 + 21 * S, hosts: hs, facts: {} };
      });

      // 6. A host maintenance window [T0+3, T0+15) made through the API; the host crashes inside it
      //    ([5, 9)), and again across its end ([12, 19)): only the part after the window counts.
      start("maintenance", async () => {
        const c = await newClient("Maintenance Ltd");
        const h = await newHost(c.token, "srv-maint");
        const T0 = nextSecond(1500);
        const created = await api.request<{ id: string }>("POST", "/api/v1/maintenance-windows", {
          clientId: c.clientId,
          kind: "once",
          scope: { level: "host", id: h.agentId },
          start: iso(T0 + 3 * S),
          end: iso(T0 + 15 * S),
          reason: "firmware update",
          planned: true,
        });
        if (created.status !== 201) throw new Error(`create maintenance window: ${created.status} ${JSON.stringify(created.body)}`);
        await sampleEachSecond(T0, 0, 5, [h]);
        await h.drained();
        h.drop();
        h.reboot();
        await until(T0 + 9 * S - 300);
        await h.connect();
        await sampleEachSecond(T0, 9, 12, [h]);
        await h.drained();
        h.drop();
        h.reboot();
        await until(T0 + 19 * S - 300);
        await h.connect();
        await sampleEachSecond(T0, 19, 24, [h]);
        await h.drained();
        return { ...c, from: T0, to: T0 + 24 * S, hosts: [h], facts: {} };
      });
    });

    it("1. reboot: goodbye os_reboot, 10 s silence, new boot id → one incident 'reboot' of 10 s", async () => {
      const o = await outcome("reboot");
      const r = await slaReport(o);
      measured["1 reboot"] = summary(r);
      expect(r.scheduledSeconds).toBe(20);
      expectSeconds(r.downSeconds, 10, "downSeconds");
      expect(r.unknownSeconds).toBe(0);
      expect(r.unmonitoredSeconds).toBe(0);
      expect(r.incidents).toHaveLength(1);
      const i = r.incidents[0]!;
      expect(i.cause).toBe("reboot");
      expectSeconds(i.durationSeconds, 10, "incident duration");
      expect(Math.abs(Date.parse(i.startedAt) - (o.from + 5 * S))).toBeLessThanOrEqual(S);
      expect(Math.abs(Date.parse(i.endedAt) - (o.from + 15 * S))).toBeLessThanOrEqual(S);
      expect(i.excluded).toBe(false);
      expect(r.incidentCount).toBe(1);
      expect(r.availabilityPct).toBeCloseTo(50, 0);
      expectCost(r, 10 * S, 1, "reboot");
      await expectIncidentsApiAgrees(o, r);
    });

    it("2. crash: 8 s silence without goodbye, new boot id → one incident 'crash' of 8 s", async () => {
      const o = await outcome("crash");
      const r = await slaReport(o);
      measured["2 crash"] = summary(r);
      expect(r.scheduledSeconds).toBe(20);
      expectSeconds(r.downSeconds, 8, "downSeconds");
      expect(r.unknownSeconds).toBe(0);
      expect(r.unmonitoredSeconds).toBe(0);
      expect(r.incidents).toHaveLength(1);
      expect(r.incidents[0]!.cause).toBe("crash");
      expectSeconds(r.incidents[0]!.durationSeconds, 8, "incident duration");
      expect(r.incidentCount).toBe(1);
      expectCost(r, 8 * S, 1, "crash");
      await expectIncidentsApiAgrees(o, r);
    });

    it("3. agent stopped: goodbye service_stop, 10 s silence, same boot id → no incident, 10 s UNKNOWN", async () => {
      const o = await outcome("stopped");
      const r = await slaReport(o);
      measured["3 agent stopped"] = summary(r);
      expect(r.scheduledSeconds).toBe(20);
      expect(r.downSeconds).toBe(0);
      expect(r.incidents).toEqual([]);
      expect(r.incidentCount).toBe(0);
      expectSeconds(r.unknownSeconds, 10, "unknownSeconds");
      expect(r.unmonitoredSeconds).toBe(0);
      expectSeconds(r.monitoredSeconds, 10, "monitoredSeconds");
      expect(r.availabilityPct).toBe(100);
      expect(r.cost.total).toBe(0);
      expect(await incidentsOf(o)).toEqual({ items: [], siteIncidents: [] });
    });

    it("4. site network loss with backfill: failed gateway pings make both hosts DOWN 'site_network', one site incident", async () => {
      const o = await outcome("site-network");
      const r = await slaReport(o);
      measured["4 site network"] = summary(r);
      expect(r.scheduledSeconds).toBe(40);
      expectSeconds(r.downSeconds, 20, "downSeconds (two hosts × 10 s)");
      expect(r.unknownSeconds).toBe(0);
      expect(r.unmonitoredSeconds).toBe(0);
      expect(r.incidents).toHaveLength(2);
      for (const h of o.hosts) {
        const i = r.incidents.find((x) => x.hostId === h.agentId)!;
        expect(i.cause).toBe("site_network");
        expectSeconds(i.durationSeconds, 10, `${h.hostname} incident`);
        expect(Math.abs(Date.parse(i.startedAt) - (o.from + 5 * S))).toBeLessThanOrEqual(S);
        expect(i.siteIncidentId).not.toBeNull();
      }
      expect(r.siteIncidents).toHaveLength(1);
      const s = r.siteIncidents[0]!;
      expect(s.cause).toBe("site_network");
      expectSeconds(s.durationSeconds, 10, "site incident");
      expect([...s.hostIds].sort()).toEqual(o.hosts.map((h) => h.agentId).sort());
      expect(r.incidents.every((i) => i.siteIncidentId === s.id)).toBe(true);
      // The site incident counts once, in the figures and in recovery cost; both hosts down = the whole business.
      expect(r.incidentCount).toBe(1);
      expectCost(r, 10 * S, 1, "site network");
      // Each host's line: its share (½) of the 10 s and half the site incident's recovery, plus intangibles.
      for (const h of r.byHost) expect(h.cost).toBeCloseTo(((5 * (360 + 3240 + 360)) / 3600 + 25 / 2) * 1.2, 2);
      await expectIncidentsApiAgrees(o, r);
      // One host's own report: its own incident and time; it takes down half of the business (default share ½).
      const one = await slaReport(o, `&hostId=${o.hosts[0]!.agentId}`);
      measured["4 site network, one host"] = summary(one);
      expect(one.scope.level).toBe("host");
      expect(one.scheduledSeconds).toBe(20);
      expectSeconds(one.downSeconds, 10, "one host's downSeconds");
      expect(one.incidentCount).toBe(1);
      expect(one.incidents.map((i) => i.cause)).toEqual(["site_network"]);
      expect(one.cost.inputs.chargedHours * 3600).toBeCloseTo(5, 3);
    });

    it("4b. site gone dark: both hosts silent without goodbye, new boot ids → 'power_or_network', one site incident", async () => {
      const o = await outcome("site-power");
      const r = await slaReport(o);
      measured["4b site power"] = summary(r);
      expect(r.scheduledSeconds).toBe(42);
      expectSeconds(r.downSeconds, 21, "downSeconds (10 s + 11 s)");
      expect(r.unknownSeconds).toBe(0);
      expect(r.unmonitoredSeconds).toBe(0);
      const [fs1, ws1] = o.hosts as [ScriptedHost, ScriptedHost];
      const i1 = r.incidents.find((x) => x.hostId === fs1.agentId)!;
      const i2 = r.incidents.find((x) => x.hostId === ws1.agentId)!;
      expect(r.incidents).toHaveLength(2);
      expect(i1.cause).toBe("power_or_network");
      expect(i2.cause).toBe("power_or_network");
      expectSeconds(i1.durationSeconds, 10, "sp-fs1 incident");
      expectSeconds(i2.durationSeconds, 11, "sp-ws1 incident");
      expect(r.siteIncidents).toHaveLength(1);
      expect(r.siteIncidents[0]!.cause).toBe("power_or_network");
      expectSeconds(r.siteIncidents[0]!.durationSeconds, 11, "site incident");
      expect(r.incidentCount).toBe(1);
      // 10 s with both down (weight min(1, ½ + ½) = 1), then 1 s with one of two equal shares (½).
      expectCost(r, 10.5 * S, 1, "site power");
      await expectIncidentsApiAgrees(o, r);
    });

    it("6. maintenance window: a crash inside it is no incident; one across its end counts only after it", async () => {
      const o = await outcome("maintenance");
      const r = await slaReport(o);
      measured["6 maintenance"] = summary(r);
      expect(r.scheduledSeconds).toBe(24);
      expectSeconds(r.excludedSeconds, 12, "excludedSeconds (the window)");
      expect(r.excludedSeconds).toBeGreaterThanOrEqual(12);
      expectSeconds(r.downSeconds, 4, "downSeconds (after the window)");
      expect(r.unknownSeconds).toBe(0);
      expect(r.unmonitoredSeconds).toBe(0);
      // Nothing starts inside the window.
      for (const i of r.incidents) expect(Date.parse(i.startedAt)).toBeGreaterThanOrEqual(o.from + 15 * S);
      expect(r.incidents).toHaveLength(1);
      expect(r.incidents[0]!.cause).toBe("crash");
      expectSeconds(r.incidents[0]!.durationSeconds, 4, "incident after the window");
      expect(r.incidentCount).toBe(1);
      expectCost(r, 4 * S, 1, "maintenance");
      await expectIncidentsApiAgrees(o, r);
    });

    it("reports read the same once the settler has compacted every sample into runs", async () => {
      // Scenarios whose script failed have failed their own test; the others are compared here.
      const all: Record<string, Outcome> = {};
      for (const [name, p] of Object.entries(runs)) await p.then((o) => (all[name] = o), () => undefined);
      if (collectorDown) all["collector-down"] = collectorDown;
      const before = new Map<string, SlaReport>();
      for (const [name, o] of Object.entries(all)) before.set(name, await slaReport(o));
      // The settler leaves the last 30 s alone and passes once at start-up (a stop waits for a pass in
      // progress): restart the collector once every sample is older than that, and stop it again.
      await until(Math.max(...Object.values(all).map((o) => o.to)) + 32_000);
      await collector!.stop();
      collector = await startCollector({ dataDir, port, env });
      await collector.stop();
      collector = undefined;
      // Every sample of the scenarios' hosts is now in settled runs (health_runs), none is read raw.
      const store = await openStore({ kind: "embedded", path: path.join(dataDir, "clickhouse"), database: "vigil" });
      try {
        const [mark] = await store.query<{ mark: number }>("SELECT toUnixTimestamp64Milli(mark) AS mark FROM job_marks FINAL WHERE job = 'health_runs'");
        expect(mark, "the settler's mark").toBeDefined();
        const ids = hosts.map((h) => h.agentId);
        const [unsettled] = await store.query<{ n: number }>(
          "SELECT count() AS n FROM health_samples WHERE agent_id IN {ids:Array(String)} AND stored_at > fromUnixTimestamp64Milli({m:Int64})",
          { ids, m: Number(mark!.mark) },
        );
        expect(Number(unsettled!.n), "samples not yet settled").toBe(0);
        const [runsCount] = await store.query<{ n: number }>("SELECT count() AS n FROM health_runs FINAL WHERE agent_id IN {ids:Array(String)} AND deleted = 0", { ids });
        measured["settled runs"] = Number(runsCount!.n);
        expect(Number(runsCount!.n)).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
      collector = await startCollector({ dataDir, port, env });
      api = new AdminApi(collector.url, collector.adminToken);
      for (const [name, o] of Object.entries(all)) {
        const after = await slaReport(o);
        const strip = (r: SlaReport) => ({ ...r, generatedAt: "" });
        expect(strip(after), name).toEqual(strip(before.get(name)!));
      }
    }, 120_000);
  });
});
