import { describe, expect, it } from "vitest";
import { toCsv } from "../csv.js";
import { parseCsv } from "../testing.js";
import { fleetReportCsv, slaReportCsv } from "./csv.js";
import type { FleetReport } from "./report.js";
import { FIXTURE_HOSTS, fixtureReport } from "./testing.js";

/** The CSV's sections: blocks of rows between blank lines. */
function sections(text: string): string[][][] {
  const out: string[][][] = [[]];
  for (const row of parseCsv(text)) {
    if (row.length === 1 && row[0] === "") out.push([]);
    else out[out.length - 1]!.push(row);
  }
  return out;
}

const HOSTILE = '=cmd|\' /C calc\'!A0, "quoted"\nsecond line';

describe("toCsv", () => {
  it("neutralises cells a spreadsheet would run as a formula", () => {
    const csv = toCsv(["a"], [["=1+1"], ["+1"], ["-1"], ["@SUM(A1)"], ["\tx"], ["\rx"], ["plain"]]);
    expect(parseCsv(csv).map((r) => r[0])).toEqual(["a", "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "plain"]);
  });

  it("writes numbers and booleans as they are, negative numbers included", () => {
    expect(toCsv(["n", "b", "z"], [[-5, true, null], [0.1 + 0.2, false, Number.NaN]])).toBe("n,b,z\r\n-5,true,\r\n0.30000000000000004,false,\r\n");
  });
});

describe("slaReportCsv", () => {
  const report = fixtureReport();
  const csv = slaReportCsv(report);
  const [summary, incidents, hosts, siteIncidents] = sections(csv);
  const value = (key: string) => summary!.find((r) => r[0] === key)?.[1];

  it("has a key,value summary, then the incidents, the hosts and the site incidents, each with a header", () => {
    expect(sections(csv)).toHaveLength(4);
    expect(summary![0]).toEqual(["key", "value"]);
    expect(incidents![0]![0]).toBe("incidentId");
    expect(hosts![0]![0]).toBe("hostId");
    expect(siteIncidents![0]![0]).toBe("siteIncidentId");
    expect(incidents).toHaveLength(report.incidents.length + 1);
    expect(hosts).toHaveLength(report.byHost.length + 1);
    expect(siteIncidents).toHaveLength(report.siteIncidents.length + 1);
    for (const block of [summary!, incidents!, hosts!, siteIncidents!]) for (const row of block) expect(row).toHaveLength(block[0]!.length);
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("writes every figure exactly as the report holds it", () => {
    expect(value("clientName")).toBe("Acme Dental GmbH");
    expect(value("scope")).toBe("client");
    expect(value("periodFrom")).toBe("2026-04-30T22:00:00.000Z");
    expect(value("periodTo")).toBe("2026-05-31T22:00:00.000Z");
    expect(value("timezone")).toBe("Europe/Berlin");
    expect(value("hours")).toBe("business");
    expect(value("sloPct")).toBe("99.9");
    expect(value("availabilityPct")).toBe(String(report.availabilityPct));
    expect(value("met")).toBe("false");
    for (const key of ["scheduledSeconds", "excludedSeconds", "unmonitoredSeconds", "unknownSeconds", "downSeconds", "monitoredSeconds", "errorBudgetSeconds", "incidentCount", "mttrSeconds", "mtbfSeconds", "mttaSeconds"] as const) {
      expect(value(key), key).toBe(String(report[key]));
    }
    expect(value("coveragePct")).toBe("100");
    expect(value("coverageLow")).toBe("false");
    expect(value("errorBudgetBurnPct")).toBe(String(report.errorBudgetBurnPct));
    expect(value("costTotal")).toBe("3744.4");
    expect(value("costRevenue")).toBe("839.62");
    expect(value("costProductivity")).toBe("1364.38");
    expect(value("costRecovery")).toBe("1200");
    expect(value("costPenalty")).toBe("0");
    expect(value("costIntangible")).toBe("340.4");
    expect(value("costPerHour")).toBe(String(report.cost.inputs.costPerHour));
    expect(value("costModel.annualRevenue")).toBe("3000000");
    expect(value("defaults")).toBe("costModel.slaPenaltyPerHour; costModel.offHoursFactor");
    expect(value("previousCostTotal")).toBe("6120.4");
    expect(value("summary")).toBe(report.summary);
  });

  it("lists each incident with UTC and local times, exclusions and clipping", () => {
    const header = incidents![0]!;
    const rows = incidents!.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const crash = rows.find((r) => r.cause === "crash")!;
    expect(crash).toMatchObject({ hostname: "branch-fs.acme.local", startedAt: "2026-05-14T12:00:00.000Z", startedLocal: "2026-05-14 14:00", durationSeconds: "1500", businessSeconds: "1500", excluded: "false", clipped: "false" });
    expect(crash.cost).toBe(String(report.incidents.find((i) => i.cause === "crash")!.cost));
    expect(rows.find((r) => r.excluded === "true")).toMatchObject({ hostname: "ws-ben", exclusionReason: "Planned migration to the new practice software" });
    expect(rows.find((r) => r.clipped === "true")).toMatchObject({ hostname: "ws-carl", endedLocal: "2026-06-01 00:00" });
  });

  it("neutralises a hostile hostname and keeps it one cell", () => {
    const hosts = FIXTURE_HOSTS.map((h) => (h.hostId === "h-fs1" ? { ...h, hostname: HOSTILE, siteName: "@evil" } : h));
    const text = slaReportCsv(fixtureReport({ hosts }));
    const [, inc, byHost] = sections(text);
    const fs1 = byHost!.find((r) => r[0] === "h-fs1")!;
    expect(fs1[1]).toBe(`'${HOSTILE}`);
    expect(fs1[3]).toBe("'@evil");
    expect(inc!.filter((r) => r[1] === "h-fs1").every((r) => r[2] === `'${HOSTILE}`)).toBe(true);
    // Nothing anywhere starts a cell with a formula character unless it is a number we wrote.
    for (const row of parseCsv(text)) for (const cell of row) if (/^[=+\-@]/.test(cell)) expect(cell).toMatch(/^-?\d/);
  });

  it("leaves nulls empty and says when there is no previous period", () => {
    const r = fixtureReport({ incidents: [], previous: false });
    const [s] = sections(slaReportCsv(r));
    const v = (key: string) => s!.find((row) => row[0] === key)?.[1];
    expect(v("mttrSeconds")).toBe("");
    expect(v("previousAvailabilityPct")).toBe("");
    expect(v("incidentCount")).toBe("0");
  });
});

describe("fleetReportCsv", () => {
  it("has one row per client with its figures in its own currency", () => {
    const a = fixtureReport();
    const fleet: FleetReport = {
      kind: "fleet",
      generatedAt: a.generatedAt,
      period: { from: a.period.from, to: a.period.to },
      hours: "business",
      clients: [
        { ...a.previousPeriod!, ...a, clientId: "c-acme", clientName: "Acme Dental GmbH", currency: "EUR", hostCount: 6, costTotal: a.cost.total },
        { ...a, period: { ...a.period, timezone: "Asia/Tokyo" }, clientId: "c-evil", clientName: "=HYPERLINK(\"http://x\")", currency: "JPY", hostCount: 2, costTotal: 123456, availabilityPct: null, met: null },
      ],
      breaches: 1,
      hostCount: 8,
      incidentCount: 6,
    };
    const rows = parseCsv(fleetReportCsv(fleet));
    expect(rows).toHaveLength(3);
    const header = rows[0]!;
    for (const row of rows) expect(row).toHaveLength(header.length);
    const acme = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(acme).toMatchObject({ clientId: "c-acme", clientName: "Acme Dental GmbH", hours: "business", hostCount: "6", sloPct: "99.9", met: "false", currency: "EUR", costTotal: "3744.4" });
    expect(acme.availabilityPct).toBe(String(a.availabilityPct));
    expect(acme.downSeconds).toBe(String(a.downSeconds));
    const evil = Object.fromEntries(header.map((h, i) => [h, rows[2]![i]]));
    expect(evil).toMatchObject({ clientName: "'=HYPERLINK(\"http://x\")", timezone: "Asia/Tokyo", availabilityPct: "", met: "", currency: "JPY", costTotal: "123456" });
  });
});
