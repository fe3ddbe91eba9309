import { describe, expect, it } from "vitest";
import type { DownCause } from "../../availability/index.js";
import type { SlaReport } from "./report.js";
import { executiveSummary } from "./summary.js";
import { FIXTURE_HOSTS, fixtureReport, type FixtureIncident } from "./testing.js";

const crash = (hostId: string, start: string, minutes: number, cause: DownCause = "crash"): FixtureIncident => ({
  hostId,
  cause,
  start,
  end: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
});

describe("executiveSummary", () => {
  it("says availability against the target, the cost and its main cause, for a CFO", () => {
    expect(executiveSummary(fixtureReport())).toBe(
      "IT was available 99.54% of business hours (target 99.9%: not met). " +
        "There were 3 outages, costing an estimated EUR 3,744, most of it from the power or network outage at Main Office on 5 May. " +
        "1 outage was left out of the SLA (Planned migration to the new practice software). " +
        "Some figures rest on assumed defaults for the cost model; the report lists them.",
    );
  });

  it("is what the fixture report carries, and does not depend on the order of incidents", () => {
    const r = fixtureReport();
    expect(executiveSummary(r)).toBe(r.summary);
    const shuffled: SlaReport = { ...r, incidents: [...r.incidents].reverse(), siteIncidents: [...r.siteIncidents].reverse() };
    expect(executiveSummary(shuffled)).toBe(r.summary);
  });

  it("says the target was met, and that there were no outages", () => {
    const s = executiveSummary(fixtureReport({ incidents: [] }));
    expect(s).toBe("IT was available 100% of business hours (target 99.9%: met). There were no outages during business hours.");
  });

  it("speaks of the whole time when the SLA counts all hours", () => {
    const s = executiveSummary(fixtureReport({ hours: "all", incidents: [] }));
    expect(s).toContain("available 100% of the time (target 99.9%: met)");
    expect(s).toContain("There were no outages.");
    expect(s).not.toContain("business hours");
  });

  it("says when there is no evidence, instead of a figure", () => {
    const r = fixtureReport({ incidents: [] });
    const s = executiveSummary({ ...r, availabilityPct: null, met: null, monitoredSeconds: 0, unknownSeconds: r.scheduledSeconds, coveragePct: 0, coverageLow: true });
    expect(s).toMatch(/^Monitoring has no evidence for IT during business hours in this period, so availability cannot be stated \(target 99\.9%\)\./);
    expect(s).not.toContain("rests on little evidence");
  });

  it("says when there were no business hours, or all of them were excluded", () => {
    const r = fixtureReport({ incidents: [] });
    expect(executiveSummary({ ...r, availabilityPct: null, met: null, scheduledSeconds: 0, monitoredSeconds: 0 })).toMatch(/^There were no business hours in this period/);
    expect(executiveSummary({ ...r, availabilityPct: null, met: null, excludedSeconds: r.scheduledSeconds, monitoredSeconds: 0 })).toMatch(/^All of the business hours was excluded/);
  });

  it("warns when the figure rests on little evidence", () => {
    const s = executiveSummary(fixtureReport({ unknownSecondsPerHost: 100 * 3600 }));
    expect(s).toContain("That figure rests on little evidence: monitoring covered only 52.34% of the business hours it should have.");
  });

  it("names the scope: a site, or a host", () => {
    const r = fixtureReport({ incidents: [] });
    expect(executiveSummary({ ...r, scope: { ...r.scope, level: "site", siteId: "site-main", siteName: "Main Office" } })).toMatch(/^IT at Main Office was available/);
    expect(executiveSummary({ ...r, scope: { ...r.scope, level: "host", siteId: "site-main", siteName: "Main Office", hostId: "h-fs1", hostname: "fs1.acme.local" } })).toMatch(
      /^fs1\.acme\.local was available/,
    );
  });

  it.each<[DownCause, string]>([
    ["reboot", "the reboot of fs1.acme.local (Main Office)"],
    ["crash", "the crash of fs1.acme.local (Main Office)"],
    ["power_or_network", "the power or network outage at fs1.acme.local (Main Office)"],
    ["site_network", "the site network outage that cut off fs1.acme.local (Main Office)"],
    ["check_failed", "the failed check on fs1.acme.local (Main Office)"],
    ["agent_silent", "the outage of fs1.acme.local (Main Office), whose agent went silent"],
  ])("puts a %s in words", (cause, words) => {
    const s = executiveSummary(fixtureReport({ incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 90, cause)] }));
    expect(s).toContain(`There was 1 outage, costing an estimated EUR 2,329: ${words} on 12 May.`);
  });

  it("names the costliest outage when it is not most of the cost", () => {
    const s = executiveSummary(
      fixtureReport({
        incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 60), crash("h-dc1", "2026-05-13T08:00:00.000Z", 50), crash("h-branch-fs", "2026-05-14T08:00:00.000Z", 90)],
      }),
    );
    expect(s).toContain("There were 3 outages, costing an estimated EUR 4,433; the largest part (EUR 1,663) came from the crash of fs1.acme.local (Main Office) on 12 May.");
  });

  it("dates the incident in the report's timezone", () => {
    // 22:30 UTC on 12 May is 00:30 on 13 May in Berlin, and still 18:30 on 12 May in New York.
    const incidents = [crash("h-fs1", "2026-05-12T22:30:00.000Z", 60)];
    const r = fixtureReport({ incidents, hours: "all" });
    expect(executiveSummary(r)).toContain("on 13 May.");
    expect(executiveSummary({ ...r, period: { ...r.period, timezone: "America/New_York" } })).toContain("on 12 May.");
  });

  it("gives the year when the incident is not in the period's year", () => {
    const r = fixtureReport({ incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 60)] });
    const earlier = { ...r, incidents: r.incidents.map((i) => ({ ...i, startedAt: "2025-12-31T10:00:00.000Z" })) };
    expect(executiveSummary(earlier)).toContain("on 31 December 2025.");
  });

  it("formats money in the report's currency: whole units for large sums, the minor unit for small ones", () => {
    const r = fixtureReport({ incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 60)] });
    const small = { ...r, cost: { ...r.cost, total: 42.5 }, incidents: r.incidents.map((i) => ({ ...i, cost: 42.5 })) };
    expect(executiveSummary(small)).toContain("costing an estimated EUR 42.50:");
    const yen = { ...r, cost: { ...r.cost, currency: "JPY", total: 1_234_567 }, incidents: r.incidents.map((i) => ({ ...i, cost: 1_234_567 })) };
    expect(executiveSummary(yen)).toContain("costing an estimated JPY 1,234,567:");
  });

  it("says outages that cost nothing under the model cost nothing", () => {
    const r = fixtureReport({ incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 60)] });
    const free = { ...r, cost: { ...r.cost, total: 0 }, incidents: r.incidents.map((i) => ({ ...i, cost: 0 })) };
    expect(executiveSummary(free)).toContain("There was 1 outage, at no estimated cost under the cost model.");
  });

  it("says which settings were assumed", () => {
    const r = fixtureReport({ incidents: [] });
    expect(executiveSummary({ ...r, defaults: ["sloPct", "businessCalendar"] })).toContain("Some figures rest on assumed defaults for the SLA target and the business hours; the report lists them.");
    expect(executiveSummary({ ...r, defaults: [] })).not.toContain("assumed");
  });

  it("keeps a hostile hostname to one line of plain text", () => {
    const hosts = FIXTURE_HOSTS.map((h) => (h.hostId === "h-fs1" ? { ...h, hostname: "evil\u202Egnp.exe\nline two\u0007" } : h));
    const s = executiveSummary(fixtureReport({ hosts, incidents: [crash("h-fs1", "2026-05-12T08:00:00.000Z", 60)] }));
    expect(s).toContain("the crash of evilgnp.exe line two (Main Office) on 12 May");
    for (const hostile of ["\n", "\u0007", "\u202E"]) expect(s.includes(hostile)).toBe(false);
  });
});
