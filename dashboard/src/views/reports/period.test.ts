import { describe, expect, it } from "vitest";
import { customPeriodProblems, resolvePeriod, selectionFromQuery, selectionToQuery, type ReportSelection } from "./period";

// Report periods are the client's calendar, not the browser's: a vCIO in New York preparing a Berlin
// client's QBR must get Berlin's quarter, including its daylight-saving changes.

const base: ReportSelection = { clientId: "c1", period: "last-quarter", hours: "all", from: "", to: "" };
const at = (iso: string) => Date.parse(iso);

describe("report periods", () => {
  it("takes last quarter at midnight in the client's zone, across the October DST change", () => {
    const p = resolvePeriod(base, "Europe/Berlin", at("2026-11-23T12:00:00Z"))!;
    expect(new Date(p.from).toISOString()).toBe("2026-06-30T22:00:00.000Z"); // 1 July 00:00 CEST
    expect(new Date(p.to).toISOString()).toBe("2026-09-30T22:00:00.000Z"); // 1 October 00:00 CEST
    expect(p.sofar).toBe(false);
  });

  it("cuts a running period at now, to the second, so the page and its downloads agree", () => {
    const now = at("2026-11-23T12:34:56.789Z");
    const p = resolvePeriod({ ...base, period: "this-month" }, "America/New_York", now)!;
    expect(new Date(p.from).toISOString()).toBe("2026-11-01T04:00:00.000Z"); // 1 November 00:00 EDT
    expect(p.to).toBe(at("2026-11-23T12:34:56Z"));
    expect(p.sofar).toBe(true);
  });

  it("decides 'today' in the client's zone: just after midnight in Tokyo is already tomorrow there", () => {
    const now = at("2026-11-30T15:30:00Z"); // 1 December 00:30 in Tokyo
    const p = resolvePeriod({ ...base, period: "this-month" }, "Asia/Tokyo", now)!;
    expect(new Date(p.from).toISOString()).toBe("2026-11-30T15:00:00.000Z");
  });

  it("checks a custom period before asking the server", () => {
    const now = at("2026-11-23T12:00:00Z");
    expect(customPeriodProblems({ from: "", to: "2026-11-01" }, "UTC", now)).toEqual({ from: "Pick the first day of the period." });
    expect(customPeriodProblems({ from: "2026-11-10", to: "2026-11-01" }, "UTC", now)).toEqual({ to: "The last day must not be before the first." });
    expect(customPeriodProblems({ from: "2026-12-01", to: "2026-12-31" }, "UTC", now).from).toMatch(/not started/);
    expect(customPeriodProblems({ from: "11/01/2026", to: "2026-11-02" }, "UTC", now)).toEqual({ from: "Enter a date as YYYY-MM-DD." });
    expect(resolvePeriod({ ...base, period: "custom", from: "2026-11-10", to: "2026-11-01" }, "UTC", now)).toBeNull();
    const ok = resolvePeriod({ ...base, period: "custom", from: "2026-11-01", to: "2026-11-02" }, "UTC", now)!;
    expect([ok.from, ok.to]).toEqual([at("2026-11-01T00:00:00Z"), at("2026-11-03T00:00:00Z")]);
  });

  it("round-trips through the URL and falls back to defaults for values it does not know", () => {
    const s: ReportSelection = { clientId: "c9", period: "custom", hours: "business", from: "2026-10-01", to: "2026-10-31" };
    expect(selectionFromQuery(selectionToQuery(s))).toEqual(s);
    expect(selectionFromQuery(new URLSearchParams("period=<script>&hours=nights"))).toEqual({ clientId: "", period: "this-month", hours: "all", from: "", to: "" });
  });
});
