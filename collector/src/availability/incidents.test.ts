import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.js";
import { annotateIncidents, countedIncidents, groupSiteIncidents, hostIncidents, type Incident } from "./incidents.js";
import type { Segment } from "./segments.js";

const segs: Segment[] = [
  { start: 0, end: 10, state: "UP" },
  { start: 10, end: 15, state: "DOWN", cause: "site_network" },
  { start: 15, end: 40, state: "DOWN", cause: "crash" },
  { start: 40, end: 50, state: "UNKNOWN", cause: "agent_stopped" },
  { start: 50, end: 60, state: "DOWN", cause: "agent_silent" },
];

describe("host incidents", () => {
  it("are maximal DOWN intervals, with the cause that took most of the time", () => {
    const list = hostIncidents({ hostId: "h1", siteId: "s1", segments: segs, businessHours: [{ start: 0, end: 20 }] });
    expect(list).toEqual([
      { id: "h1@10", hostId: "h1", siteId: "s1", start: 10, end: 40, durationMs: 30, businessMs: 10, cause: "crash", startClipped: false, endClipped: false, excluded: false },
      { id: "h1@50", hostId: "h1", siteId: "s1", start: 50, end: 60, durationMs: 10, businessMs: 0, cause: "agent_silent", startClipped: false, endClipped: true, excluded: false },
    ]);
  });

  it("a tie between causes goes to the earliest; DOWN at the range start is clipped", () => {
    const list = hostIncidents({
      hostId: "h",
      siteId: "s",
      segments: [
        { start: 0, end: 5, state: "DOWN", cause: "reboot" },
        { start: 5, end: 10, state: "DOWN", cause: "crash" },
        { start: 10, end: 20, state: "UP" },
      ],
    });
    expect(list[0]).toMatchObject({ cause: "reboot", startClipped: true, businessMs: 10 });
  });

  it("annotations exclude with a reason, and record detection and acknowledgement", () => {
    const list = hostIncidents({ hostId: "h1", siteId: "s1", segments: segs });
    const annotated = annotateIncidents(list, [
      { incidentId: "h1@10", excluded: true, exclusionReason: "ISP outage covered by contract clause 7", detectedAt: 12, acknowledgedAt: 20 },
      { incidentId: "nope", note: "ignored" },
    ]);
    expect(annotated[0]).toMatchObject({ excluded: true, exclusionReason: "ISP outage covered by contract clause 7", detectedAt: 12, acknowledgedAt: 20 });
    expect(annotated[1]).toEqual(list[1]);
    const reverted = annotateIncidents(annotated, [{ incidentId: "h1@10", excluded: false }]);
    expect(reverted[0]!.excluded).toBe(false);
    expect(reverted[0]!.exclusionReason).toBeUndefined();
  });

  it("refuses an exclusion without a reason and an acknowledgement before detection", () => {
    const list = hostIncidents({ hostId: "h1", siteId: "s1", segments: segs });
    expect(() => annotateIncidents(list, [{ incidentId: "h1@10", excluded: true }])).toThrow(/exclusionReason: required/);
    try {
      annotateIncidents(list, [{ incidentId: "h1@10", detectedAt: 20, acknowledgedAt: 10 }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe("acknowledgedAt");
    }
  });
});

describe("site incidents", () => {
  const inc = (hostId: string, start: number, end: number, cause: Incident["cause"], over: Partial<Incident> = {}): Incident => ({
    id: `${hostId}@${start}`,
    hostId,
    siteId: "s1",
    start,
    end,
    durationMs: end - start,
    businessMs: end - start,
    cause,
    startClipped: false,
    endClipped: false,
    excluded: false,
    ...over,
  });
  const hosts = [{ hostId: "a" }, { hostId: "b" }, { hostId: "c" }];

  it("group the hosts that went down together; the site incident counts once", () => {
    const incidents = [
      inc("a", 1_000, 60_000, "site_network", { detectedAt: 20_000, acknowledgedAt: 80_000 }),
      inc("b", 5_000, 90_000, "site_network", { detectedAt: 25_000 }),
      inc("c", 30_000, 61_000, "crash"),
      inc("a", 500_000, 510_000, "crash"),
    ];
    const { siteIncidents, incidents: marked } = groupSiteIncidents({ siteId: "s1", hosts, incidents, businessHours: [{ start: 0, end: 10_000 }] });
    expect(siteIncidents).toEqual([
      {
        id: "site:s1@1000",
        siteId: "s1",
        start: 1_000,
        end: 90_000,
        durationMs: 89_000,
        businessMs: 9_000,
        cause: "site_network",
        hostIds: ["a", "b", "c"],
        incidentIds: ["a@1000", "b@5000", "c@30000"],
        excluded: false,
        detectedAt: 20_000,
        acknowledgedAt: 80_000,
      },
    ]);
    expect(marked.map((i) => i.siteIncidentId)).toEqual(["site:s1@1000", "site:s1@1000", "site:s1@1000", undefined]);
    const counted = countedIncidents(marked, siteIncidents);
    expect(counted.map((c) => [c.id, c.durationMs, c.hostIds.length])).toEqual([
      ["site:s1@1000", 89_000, 3],
      ["a@500000", 10_000, 1],
    ]);
    // One host's own figures do not collapse.
    expect(countedIncidents(marked.filter((i) => i.hostId === "a"))).toHaveLength(2);
  });

  it("hosts down minutes apart stay separate incidents; power_or_network when most members were not cut off by the network", () => {
    const apart = [inc("a", 0, 10_000, "crash"), inc("b", 0, 10_000, "crash"), inc("c", 200_000, 210_000, "crash")];
    expect(groupSiteIncidents({ siteId: "s1", hosts, incidents: apart }).siteIncidents).toEqual([]);
    const power = [inc("a", 0, 100_000, "power_or_network"), inc("b", 1_000, 100_000, "crash"), inc("c", 2_000, 100_000, "site_network")];
    expect(groupSiteIncidents({ siteId: "s1", hosts, incidents: power }).siteIncidents[0]!.cause).toBe("power_or_network");
  });

  it("excluded incidents do not count; a site incident is excluded when all its members are", () => {
    const all = [inc("a", 0, 100, "crash", { excluded: true, exclusionReason: "x" }), inc("b", 0, 100, "crash", { excluded: true, exclusionReason: "x" })];
    const { siteIncidents, incidents } = groupSiteIncidents({ siteId: "s1", hosts: hosts.slice(0, 2), incidents: all });
    expect(siteIncidents[0]!.excluded).toBe(true);
    expect(countedIncidents(incidents, siteIncidents)).toEqual([]);
  });
});
