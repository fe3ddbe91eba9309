import { describe, expect, it } from "vitest";
import { checkStates, checkTimeline, networkOutageIntervals, roleFailing, serviceCheckFailures, type CheckResult } from "./checks.js";

const S = 1000;
const r = (ts: number, ok: boolean, over: Partial<CheckResult> = {}): CheckResult => ({ ts: ts * S, checkId: "gw", role: "gateway", ok, ...over });

describe("check evidence", () => {
  it("a result holds until the next result of the same check, at most 2.5 intervals", () => {
    const [state] = checkStates([r(0, true), r(30, false), r(60, false), r(300, true)]);
    expect(state!.ok).toEqual([
      { start: 0, end: 30 * S },
      { start: 300 * S, end: 375 * S },
    ]);
    expect(state!.failing).toEqual([{ start: 30 * S, end: 135 * S }]);
  });

  it("at equal timestamps the failing result holds, whatever the input order", () => {
    const a = checkStates([r(0, true), r(0, false)]);
    const b = checkStates([r(0, false), r(0, true)]);
    expect(a).toEqual(b);
    expect(a[0]!.failing).toEqual([{ start: 0, end: 75 * S }]);
  });

  it("a role fails only while all its fresh checks fail", () => {
    const results = [r(0, false, { checkId: "a", role: "internet" }), r(0, true, { checkId: "b", role: "internet" }), r(30, false, { checkId: "b", role: "internet" })];
    // From 75 s on, a's result is stale: b is the only fresh check, and it fails.
    expect(roleFailing(results, "internet")).toEqual([{ start: 30 * S, end: 105 * S }]);
  });

  it("pooled across a site's hosts, the network is out only when every host's gateway check fails", () => {
    const site = [r(0, false, { hostId: "h1" }), r(30, false, { hostId: "h1" }), r(0, true, { hostId: "h2" }), r(30, false, { hostId: "h2" })];
    expect(networkOutageIntervals(site)).toEqual([{ start: 30 * S, end: 105 * S }]);
  });

  it("service failures split into DOWN and DEGRADED by check id", () => {
    const results = [r(0, false, { checkId: "erp", role: "service" }), r(100, false, { checkId: "web", role: "service" })];
    expect(serviceCheckFailures(results, { downCheckIds: ["erp"] })).toEqual({ down: [{ start: 0, end: 75 * S }], degraded: [{ start: 100 * S, end: 175 * S }] });
    expect(serviceCheckFailures(results, { allDown: true }).degraded).toEqual([]);
  });

  it("a check's own timeline", () => {
    expect(checkTimeline([r(0, true), r(30, false), r(60, true)], 0, 200 * S)).toEqual([
      { start: 0, end: 30 * S, state: "UP" },
      { start: 30 * S, end: 60 * S, state: "DOWN", cause: "check_failed" },
      { start: 60 * S, end: 135 * S, state: "UP" },
      { start: 135 * S, end: 200 * S, state: "UNKNOWN", cause: "no_samples" },
    ]);
  });
});
