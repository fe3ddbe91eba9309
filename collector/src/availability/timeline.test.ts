import { describe, expect, it } from "vitest";
import type { CheckResult } from "./checks.js";
import { InvalidInputError } from "./errors.js";
import { durationsByState, sameLabel, type Segment } from "./segments.js";
import { siteOutages, siteOutagesOf } from "./site-outages.js";
import { hostSilences, hostTimeline, type HealthSample, type HostEvidence, type SampleRun, type TimelineOptions, type TimelineRange } from "./timeline.js";

const T = (hhmmss: string) => Date.parse(`2026-06-01T${hhmmss}Z`);
const S = 1000;
const MIN = 60_000;

/** Samples every `step` ms from `from` to `to` inclusive. */
function samples(from: string, to: string, bootId: string, opts: { step?: number; receivedAt?: number } = {}): HealthSample[] {
  const out: HealthSample[] = [];
  for (let t = T(from); t <= T(to); t += opts.step ?? 15 * S) out.push({ ts: t, bootId, receivedAt: opts.receivedAt ?? t + 200 });
  return out;
}

function checks(from: string, to: string, role: CheckResult["role"], ok: boolean, checkId = role as string, step = 30 * S): CheckResult[] {
  const out: CheckResult[] = [];
  for (let t = T(from); t <= T(to); t += step) out.push({ ts: t, checkId, role, ok });
  return out;
}

const evidence = (over: Partial<HostEvidence>): HostEvidence => ({ hostId: "h1", enrolledAt: T("00:00:00"), ...over });
const range = (from: string, to: string, asOf?: string): TimelineRange => (asOf ? { from: T(from), to: T(to), asOf: T(asOf) } : { from: T(from), to: T(to) });

/** Segments as compact tuples, and a check of the invariants every timeline must keep. */
function timeline(ev: HostEvidence, r: TimelineRange, options?: TimelineOptions): [string, string, string, string?][] {
  const segs = hostTimeline(ev, r, options);
  assertCovers(segs, r.from, r.to);
  return segs.map((s) => {
    const row: [string, string, string, string?] = [iso(s.start), iso(s.end), s.state];
    if ("cause" in s) row.push(s.cause);
    return row;
  });
}

function assertCovers(segs: Segment[], from: number, to: number): void {
  if (from === to) return expect(segs).toEqual([]);
  expect(segs[0]!.start).toBe(from);
  expect(segs[segs.length - 1]!.end).toBe(to);
  for (let i = 0; i < segs.length; i++) {
    expect(segs[i]!.end).toBeGreaterThan(segs[i]!.start);
    if (i > 0) {
      expect(segs[i]!.start).toBe(segs[i - 1]!.end);
      expect(sameLabel(segs[i]!, segs[i - 1]!), "adjacent segments with one label are merged").toBe(false);
    }
  }
}

const iso = (t: number) => new Date(t).toISOString().slice(11, 19);

describe("host timeline", () => {
  it("samples show UP", () => {
    expect(timeline(evidence({ samples: samples("09:00:00", "11:00:00", "A") }), range("09:30:00", "10:30:00"))).toEqual([["09:30:00", "10:30:00", "UP"]]);
  });

  it("reboot: DOWN from the last sample of the old boot to the first of the new, cause reboot after a goodbye", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:02:00", "11:00:00", "B")],
      connectionEvents: [
        { at: T("10:00:01"), event: "goodbye", reason: "os_reboot" },
        { at: T("10:00:01"), event: "disconnected", reason: "goodbye:os_reboot" },
        { at: T("10:01:55"), event: "connected", reason: "hello" },
      ],
    });
    expect(timeline(ev, range("09:30:00", "10:30:00"))).toEqual([
      ["09:30:00", "10:00:00", "UP"],
      ["10:00:00", "10:02:00", "DOWN", "reboot"],
      ["10:02:00", "10:30:00", "UP"],
    ]);
  });

  it("a disconnect recording the goodbye (goodbye:os_shutdown) counts as the goodbye", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:05:00", "11:00:00", "B")],
      connectionEvents: [{ at: T("10:00:02"), event: "disconnected", reason: "goodbye:os_shutdown" }],
    });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:05:00", "DOWN", "reboot"]);
  });

  it("crash: a new boot without a goodbye", () => {
    const ev = evidence({ samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:03:00", "11:00:00", "B")] });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:03:00", "DOWN", "crash"]);
  });

  it("a reboot faster than the gap threshold still shows: the boot id changed", () => {
    const ev = evidence({ samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:00:15", "11:00:00", "B")] });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:00:15", "DOWN", "crash"]);
  });

  it("agent stopped while the host ran: UNKNOWN, not DOWN", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:20:00", "11:00:00", "A")],
      connectionEvents: [{ at: T("10:00:03"), event: "goodbye", reason: "service_stop" }],
    });
    const segs = timeline(ev, range("09:30:00", "10:30:00"));
    expect(segs[1]).toEqual(["10:00:00", "10:20:00", "UNKNOWN", "agent_stopped"]);
    expect(segs.some((s) => s[2] === "DOWN")).toBe(false);
  });

  it("agent stopped, and the host rebooted while it was stopped: UNKNOWN (nobody knows when it went down)", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:20:00", "11:00:00", "B")],
      connectionEvents: [{ at: T("10:00:03"), event: "goodbye", reason: "user" }],
    });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:20:00", "UNKNOWN", "agent_stopped"]);
  });

  it("an agent restart shorter than the gap threshold leaves no trace", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:00:30", "11:00:00", "A")],
      connectionEvents: [{ at: T("10:00:02"), event: "goodbye", reason: "agent_restart" }],
    });
    expect(timeline(ev, range("09:30:00", "10:30:00"))).toEqual([["09:30:00", "10:30:00", "UP"]]);
  });

  it("the same boot after silence without a goodbye is UNKNOWN; an uninstall is UNMONITORED; an announced shutdown that never happened is UNKNOWN", () => {
    const base = { samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:10:00", "11:00:00", "A")] };
    expect(timeline(evidence(base), range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:10:00", "UNKNOWN", "no_samples"]);
    const uninstall = evidence({ ...base, connectionEvents: [{ at: T("10:00:01"), event: "goodbye", reason: "uninstall" }] });
    expect(timeline(uninstall, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:10:00", "UNMONITORED", "uninstalled"]);
    const shutdown = evidence({ ...base, connectionEvents: [{ at: T("10:00:01"), event: "goodbye", reason: "os_shutdown" }] });
    expect(timeline(shutdown, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:10:00", "UNKNOWN", "agent_stopped"]);
  });

  it("a goodbye long before the gap does not explain it", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:03:00", "11:00:00", "B")],
      connectionEvents: [{ at: T("09:40:00"), event: "goodbye", reason: "os_reboot" }],
    });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:03:00", "DOWN", "crash"]);
  });

  describe("the collector's own outage", () => {
    const collectorRuns = [
      { start: T("08:00:00"), end: T("10:00:00") },
      { start: T("11:00:00"), end: T("13:00:00") },
    ];

    it("is UNMONITORED, never DOWN, when no samples cover it", () => {
      const ev = evidence({ collectorRuns, samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("11:00:00", "12:00:00", "A")] });
      expect(timeline(ev, range("09:30:00", "11:30:00"))).toEqual([
        ["09:30:00", "10:00:00", "UP"],
        ["10:00:00", "11:00:00", "UNMONITORED", "collector_down"],
        ["11:00:00", "11:30:00", "UP"],
      ]);
    });

    it("is UP when the agent's spool backfilled it", () => {
      const ev = evidence({ collectorRuns, samples: samples("09:00:00", "12:00:00", "A", { receivedAt: T("11:00:30") }) });
      expect(timeline(ev, range("09:30:00", "11:30:00"))).toEqual([["09:30:00", "11:30:00", "UP"]]);
    });

    it("a reboot proven by spooled samples on both sides is DOWN by default, UNMONITORED on request", () => {
      const ev = evidence({ collectorRuns, samples: [...samples("09:00:00", "10:20:00", "A"), ...samples("10:25:00", "12:00:00", "B")] });
      expect(timeline(ev, range("09:30:00", "11:30:00"))).toEqual([
        ["09:30:00", "10:20:00", "UP"],
        ["10:20:00", "10:25:00", "DOWN", "crash"],
        ["10:25:00", "11:30:00", "UP"],
      ]);
      expect(timeline(ev, range("09:30:00", "11:30:00"), { bootGapsDuringCollectorOutage: "unmonitored" })[1]).toEqual(["10:20:00", "10:25:00", "UNMONITORED", "collector_down"]);
    });

    it("a host silent through the outage is DOWN only from when the collector was back to see it", () => {
      const ev = evidence({ collectorRuns, samples: samples("09:00:00", "09:59:45", "A") });
      expect(timeline(ev, range("09:30:00", "12:00:00"))).toEqual([
        ["09:30:00", "09:59:45", "UP"],
        ["09:59:45", "10:00:00", "DOWN", "agent_silent"],
        ["10:00:00", "11:00:00", "UNMONITORED", "collector_down"],
        ["11:00:00", "12:00:00", "DOWN", "agent_silent"],
      ]);
    });
  });

  describe("a link outage at the site", () => {
    // Samples taken 10:00–10:30 reach the collector only at 10:31 (from the spool).
    const link = [
      ...samples("09:00:00", "09:59:45", "A"),
      ...samples("10:00:00", "10:30:00", "A", { receivedAt: T("10:31:00") }),
      ...samples("10:30:15", "11:00:00", "A"),
    ];

    it("is provisionally DOWN (agent_silent) while nothing arrives, and settles as UP when the spool backfills", () => {
      expect(timeline(evidence({ samples: link }), range("09:30:00", "11:00:00", "10:20:00"))).toEqual([
        ["09:30:00", "09:59:45", "UP"],
        ["09:59:45", "10:20:00", "DOWN", "agent_silent"],
        ["10:20:00", "11:00:00", "UNMONITORED", "not_yet"],
      ]);
      expect(timeline(evidence({ samples: link }), range("09:30:00", "11:00:00"))).toEqual([["09:30:00", "11:00:00", "UP"]]);
    });

    it("with gateway checks failing meanwhile is the client's downtime: DOWN site_network", () => {
      const checkResults = [...checks("09:00:00", "09:59:30", "gateway", true), ...checks("10:00:00", "10:29:30", "gateway", false), ...checks("10:30:00", "11:00:00", "gateway", true)];
      expect(timeline(evidence({ samples: link, checkResults }), range("09:30:00", "11:00:00"))).toEqual([
        ["09:30:00", "10:00:00", "UP"],
        ["10:00:00", "10:30:00", "DOWN", "site_network"],
        ["10:30:00", "11:00:00", "UP"],
      ]);
    });

    it("internet checks: one unreachable target is no outage, all of them failing is", () => {
      const okOther = checks("09:00:00", "11:00:00", "internet", true, "dns9");
      const failing = checks("10:00:00", "10:09:30", "internet", false, "dns1");
      const okBefore = checks("09:00:00", "09:59:30", "internet", true, "dns1");
      const okAfter = checks("10:10:00", "11:00:00", "internet", true, "dns1");
      const r = range("09:30:00", "11:00:00");
      expect(timeline(evidence({ samples: link, checkResults: [...okBefore, ...failing, ...okAfter, ...okOther] }), r)).toEqual([["09:30:00", "11:00:00", "UP"]]);
      const bothFail = [...okBefore, ...failing, ...okAfter, ...checks("09:00:00", "09:59:30", "internet", true, "dns9"), ...checks("10:00:00", "10:09:30", "internet", false, "dns9"), ...checks("10:10:00", "11:00:00", "internet", true, "dns9")];
      expect(timeline(evidence({ samples: link, checkResults: bothFail }), r)[1]).toEqual(["10:00:00", "10:10:00", "DOWN", "site_network"]);
    });

    it("a site-wide network outage passed in from the site's pooled checks applies to a host without its own", () => {
      const ev = evidence({ samples: link, siteNetworkOutages: [{ start: T("10:05:00"), end: T("10:15:00") }] });
      expect(timeline(ev, range("09:30:00", "11:00:00"))[1]).toEqual(["10:05:00", "10:15:00", "DOWN", "site_network"]);
    });

    it("with the spool overflowing, the lost span is UNKNOWN (spool_loss), not DOWN", () => {
      const ev = evidence({
        samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("12:00:00", "13:00:00", "A", { receivedAt: T("12:05:00") })],
        spoolLosses: [{ start: T("10:00:15"), end: T("11:59:45"), receivedAt: T("12:05:00") }],
      });
      expect(timeline(ev, range("09:30:00", "12:30:00"))).toEqual([
        ["09:30:00", "10:00:00", "UP"],
        ["10:00:00", "12:00:00", "UNKNOWN", "spool_loss"],
        ["12:00:00", "12:30:00", "UP"],
      ]);
    });
  });

  it("service checks: DEGRADED by default, DOWN check_failed when configured (globally or per check)", () => {
    const ev = evidence({
      samples: samples("09:00:00", "11:00:00", "A"),
      checkResults: [...checks("09:00:00", "09:59:30", "service", true, "erp"), ...checks("10:00:00", "10:09:30", "service", false, "erp"), ...checks("10:10:00", "11:00:00", "service", true, "erp")],
    });
    const r = range("09:30:00", "10:30:00");
    expect(timeline(ev, r)[1]).toEqual(["10:00:00", "10:10:00", "DEGRADED", "check_failed"]);
    expect(timeline(ev, r, { serviceCheckFailure: "down" })[1]).toEqual(["10:00:00", "10:10:00", "DOWN", "check_failed"]);
    expect(timeline(ev, r, { downCheckIds: ["erp"] })[1]).toEqual(["10:00:00", "10:10:00", "DOWN", "check_failed"]);
    expect(timeline(ev, r, { downCheckIds: ["other"] })[1]).toEqual(["10:00:00", "10:10:00", "DEGRADED", "check_failed"]);
  });

  it("a stale check result says nothing after 2.5 check intervals", () => {
    const ev = evidence({ samples: samples("09:00:00", "11:00:00", "A"), checkResults: [{ ts: T("10:00:00"), checkId: "erp", role: "service", ok: false }] });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:01:15", "DEGRADED", "check_failed"]);
  });

  it("maintenance overrides everything", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:30:00", "11:00:00", "B")],
      maintenance: [{ start: T("10:10:00"), end: T("10:40:00") }],
    });
    expect(timeline(ev, range("09:30:00", "11:00:00"))).toEqual([
      ["09:30:00", "10:00:00", "UP"],
      ["10:00:00", "10:10:00", "DOWN", "crash"],
      ["10:10:00", "10:40:00", "MAINTENANCE"],
      ["10:40:00", "11:00:00", "UP"],
    ]);
  });

  it("before enrollment and after retirement: UNMONITORED", () => {
    const ev = evidence({ enrolledAt: T("09:45:00"), retiredAt: T("10:15:00"), samples: samples("09:45:05", "11:00:00", "A") });
    expect(timeline(ev, range("09:30:00", "10:30:00"))).toEqual([
      ["09:30:00", "09:45:00", "UNMONITORED", "not_enrolled"],
      ["09:45:00", "09:45:05", "UNKNOWN", "no_samples"],
      ["09:45:05", "10:15:00", "UP"],
      ["10:15:00", "10:30:00", "UNMONITORED", "retired"],
    ]);
  });

  it("a host that never sent anything is UNKNOWN", () => {
    expect(timeline(evidence({}), range("09:30:00", "10:30:00"))).toEqual([["09:30:00", "10:30:00", "UNKNOWN", "no_samples"]]);
  });

  it("a host silent to the end is DOWN agent_silent; when its whole site went dark too, power_or_network", () => {
    const ev = evidence({ samples: samples("09:00:00", "10:00:00", "A") });
    expect(timeline(ev, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:30:00", "DOWN", "agent_silent"]);
    expect(timeline({ ...ev, siteOutages: [{ start: T("09:59:50"), end: T("10:30:00") }] }, range("09:30:00", "10:30:00"))[1]).toEqual([
      "10:00:00",
      "10:30:00",
      "DOWN",
      "power_or_network",
    ]);
    // The same boot coming back after a site-wide silence, with nothing backfilled: the link was down, we do not know more.
    const back = evidence({ samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:20:00", "11:00:00", "A")], siteOutages: [{ start: T("09:59:50"), end: T("10:20:00") }] });
    expect(timeline(back, range("09:30:00", "10:30:00"))[1]).toEqual(["10:00:00", "10:20:00", "UNKNOWN", "link_down"]);
  });

  it("the live edge: a last sample younger than the threshold is not late; older is DOWN from that sample; after asOf is not_yet", () => {
    const ev = evidence({ samples: samples("09:00:00", "10:00:00", "A") });
    expect(timeline(ev, range("09:30:00", "10:30:00", "10:00:20"))).toEqual([
      ["09:30:00", "10:00:20", "UP"],
      ["10:00:20", "10:30:00", "UNMONITORED", "not_yet"],
    ]);
    expect(timeline(ev, range("09:30:00", "10:30:00", "10:01:00"))).toEqual([
      ["09:30:00", "10:00:00", "UP"],
      ["10:00:00", "10:01:00", "DOWN", "agent_silent"],
      ["10:01:00", "10:30:00", "UNMONITORED", "not_yet"],
    ]);
  });

  it("pre-aggregated runs give the same timeline as the samples they summarise", () => {
    const s = [...samples("09:00:00", "10:00:00", "A"), ...samples("10:02:00", "10:40:00", "B"), ...samples("10:50:00", "11:00:00", "B")];
    const runs: SampleRun[] = [
      { start: T("09:00:00"), end: T("10:00:00"), bootId: "A" },
      { start: T("10:02:00"), end: T("10:40:00"), bootId: "B" },
      { start: T("10:50:00"), end: T("11:00:00"), bootId: "B" },
    ];
    const r = range("09:30:00", "10:55:00");
    expect(timeline(evidence({ runs }), r)).toEqual(timeline(evidence({ samples: s }), r));
    expect(timeline(evidence({ runs, samples: s }), r)).toEqual(timeline(evidence({ samples: s }), r));
  });

  it("refuses a bad range with a field error", () => {
    expect(() => hostTimeline(evidence({}), { from: T("10:00:00"), to: T("09:00:00") })).toThrow(InvalidInputError);
    expect(() => hostTimeline(evidence({ enrolledAt: NaN }), range("09:00:00", "10:00:00"))).toThrow(/enrolledAt/);
    expect(() => hostTimeline(evidence({}), range("09:00:00", "10:00:00"), { sampleIntervalMs: 0 })).toThrow(/sampleIntervalMs/);
    expect(hostTimeline(evidence({}), range("09:00:00", "09:00:00"))).toEqual([]);
  });
});

describe("determinism", () => {
  // Everything at once: reboots, a crash, stops, a link outage with backfill, checks, a spool loss,
  // maintenance and a collector outage.
  const full = evidence({
    enrolledAt: T("08:30:00"),
    samples: [
      ...samples("08:30:10", "09:10:00", "A"),
      ...samples("09:12:00", "09:40:00", "B"),
      ...samples("09:50:00", "10:30:00", "B", { receivedAt: T("10:31:00") }),
      ...samples("11:00:00", "11:20:00", "C"),
      ...samples("12:00:00", "12:40:00", "C"),
    ],
    connectionEvents: [
      { at: T("09:10:01"), event: "goodbye", reason: "os_reboot" },
      { at: T("09:40:02"), event: "goodbye", reason: "service_stop" },
      { at: T("09:49:50"), event: "connected", reason: "hello" },
      { at: T("10:30:05"), event: "disconnected", reason: "close:1006" },
    ],
    checkResults: [...checks("08:30:00", "12:40:00", "gateway", true), ...checks("10:00:00", "10:05:00", "service", false, "erp"), ...checks("10:10:00", "10:12:00", "internet", false, "dns")],
    spoolLosses: [{ start: T("11:20:15"), end: T("11:40:00") }],
    maintenance: [{ start: T("12:10:00"), end: T("12:20:00") }],
    collectorRuns: [
      { start: T("08:00:00"), end: T("11:45:00") },
      { start: T("11:50:00"), end: T("13:00:00") },
    ],
  });
  const r = range("08:00:00", "13:00:00");

  function shuffled<T>(list: readonly T[] | undefined, seed: number): T[] {
    const out = [...(list ?? [])];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  it("the same evidence in any order gives the same timeline, and recomputing changes nothing", () => {
    const reference = hostTimeline(full, r);
    assertCovers(reference, r.from, r.to);
    expect(hostTimeline(full, r)).toEqual(reference);
    for (let seed = 1; seed <= 8; seed++) {
      const again: HostEvidence = {
        ...full,
        samples: shuffled(full.samples, seed),
        connectionEvents: shuffled(full.connectionEvents, seed + 100),
        checkResults: shuffled(full.checkResults, seed + 200),
        spoolLosses: shuffled(full.spoolLosses, seed),
        maintenance: shuffled(full.maintenance, seed),
        collectorRuns: shuffled(full.collectorRuns, seed),
      };
      expect(hostTimeline(again, r)).toEqual(reference);
    }
  });

  it("duplicated evidence (an at-least-once resend) changes nothing", () => {
    const doubled: HostEvidence = { ...full, samples: [...full.samples!, ...full.samples!], checkResults: [...full.checkResults!, ...full.checkResults!] };
    expect(hostTimeline(doubled, r)).toEqual(hostTimeline(full, r));
  });

  it("tells the whole story of the mixed scenario", () => {
    const d = durationsByState(hostTimeline(full, r));
    expect(Object.values(d).reduce((a, b) => a + b, 0)).toBe(5 * 60 * MIN);
    expect(timeline(full, r)).toEqual([
      ["08:00:00", "08:30:00", "UNMONITORED", "not_enrolled"],
      ["08:30:00", "08:30:10", "UNKNOWN", "no_samples"],
      ["08:30:10", "09:09:55", "UP"],
      ["09:09:55", "09:12:00", "DOWN", "reboot"],
      ["09:12:00", "09:40:00", "UP"],
      ["09:40:00", "09:50:00", "UNKNOWN", "agent_stopped"],
      ["09:50:00", "10:00:00", "UP"],
      ["10:00:00", "10:06:15", "DEGRADED", "check_failed"],
      ["10:06:15", "10:10:00", "UP"],
      ["10:10:00", "10:13:15", "DOWN", "site_network"],
      ["10:13:15", "10:30:00", "UP"],
      ["10:30:00", "11:00:00", "DOWN", "crash"],
      ["11:00:00", "11:20:00", "UP"],
      // The loss reaches one gap threshold (37.5 s) past its newest lost sample.
      ["11:20:00", "11:40:37", "UNKNOWN", "spool_loss"],
      ["11:40:37", "11:45:00", "UNKNOWN", "no_samples"],
      ["11:45:00", "11:50:00", "UNMONITORED", "collector_down"],
      ["11:50:00", "12:00:00", "UNKNOWN", "no_samples"],
      ["12:00:00", "12:10:00", "UP"],
      ["12:10:00", "12:20:00", "MAINTENANCE"],
      ["12:20:00", "12:40:00", "UP"],
      ["12:40:00", "13:00:00", "DOWN", "agent_silent"],
    ]);
  });
});

describe("a site that went dark", () => {
  // Three servers lose power within 20 s at 10:00 and boot again at 10:30–10:35. A fourth host died the day before.
  const hosts: Record<string, HostEvidence> = {
    h1: evidence({ hostId: "h1", samples: [...samples("09:00:00", "10:00:00", "A1"), ...samples("10:30:00", "11:00:00", "B1")] }),
    h2: evidence({ hostId: "h2", samples: [...samples("09:00:00", "10:00:15", "A2"), ...samples("10:31:00", "11:00:00", "B2")] }),
    h3: evidence({ hostId: "h3", samples: [...samples("09:00:00", "09:59:45", "A3"), ...samples("10:35:00", "11:00:00", "B3")] }),
    dead: evidence({ hostId: "dead", samples: [{ ts: T("00:10:00"), bootId: "X" }] }),
  };
  const r = range("09:30:00", "11:00:00");

  it("is one site outage grouping the hosts that went out together, and names their gaps power_or_network", () => {
    const outages = siteOutages(Object.values(hosts).map((h) => ({ hostId: h.hostId, out: hostSilences(h, r) })));
    expect(outages).toEqual([
      { start: T("09:59:45"), end: T("10:35:00"), allOut: { start: T("10:00:15"), end: T("10:30:00") }, hostIds: ["h1", "h2", "h3"] },
    ]);
    const h1 = hostTimeline({ ...hosts.h1!, siteOutages: siteOutagesOf(outages, "h1") }, r);
    expect(h1.find((s) => s.state === "DOWN")).toEqual({ start: T("10:00:00"), end: T("10:30:00"), state: "DOWN", cause: "power_or_network" });
    const dead = hostTimeline({ ...hosts.dead!, siteOutages: siteOutagesOf(outages, "dead") }, r);
    expect(dead).toEqual([{ start: r.from, end: r.to, state: "DOWN", cause: "agent_silent" }]);
  });

  it("hosts going out minutes apart are not a site outage", () => {
    const late = evidence({ hostId: "h3", samples: [...samples("09:00:00", "10:05:00", "A3"), ...samples("10:35:00", "11:00:00", "B3")] });
    const list = [hosts.h1!, hosts.h2!, late].map((h) => ({ hostId: h.hostId, out: hostSilences(h, r) }));
    expect(siteOutages(list)).toEqual([]);
  });

  it("one host alone is never a site", () => {
    expect(siteOutages([{ hostId: "h1", out: hostSilences(hosts.h1!, r) }])).toEqual([]);
  });

  it("a retired host neither blocks nor joins", () => {
    const list = [
      { hostId: "h1", out: [{ start: 100, end: 200 }] },
      { hostId: "h2", out: [{ start: 110, end: 220 }] },
      { hostId: "old", active: [{ start: 0, end: 50 }], out: [] },
    ];
    expect(siteOutages(list, { windowMs: 60 })).toEqual([{ start: 100, end: 220, allOut: { start: 110, end: 200 }, hostIds: ["h1", "h2"] }]);
  });
});

describe("silences for site detection", () => {
  it("leave out gaps the agent explained by stopping", () => {
    const ev = evidence({
      samples: [...samples("09:00:00", "10:00:00", "A"), ...samples("10:20:00", "10:40:00", "A"), ...samples("10:50:00", "11:00:00", "B")],
      connectionEvents: [{ at: T("10:00:01"), event: "goodbye", reason: "agent_restart" }],
    });
    expect(hostSilences(ev, range("09:00:00", "11:00:00"))).toEqual([{ start: T("10:40:00"), end: T("10:50:00") }]);
  });
});
