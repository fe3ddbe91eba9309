import pino from "pino";
import { describe, expect, it } from "vitest";
import { verifyAckToken } from "./channels/index.js";
import { AlertEngine, type AlertEngineOptions } from "./engine.js";
import { FakeClock, MemoryRepository, connectionEvent, host, recordingDeliver, rule, webhookChannel } from "./testing.js";
import type { HostInfo } from "./repository.js";
import type { CollectorConnectionEvent, InventoryChangeSignal } from "../store/queries/alert-signals.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function setup(
  configure: (repo: MemoryRepository) => void = () => undefined,
  queue: { concurrency?: number; perChannel?: number; maxQueued?: number } = {},
  earlyMs = 0,
  extra: Partial<AlertEngineOptions> = {},
) {
  const clock = new FakeClock(undefined, earlyMs);
  const repo = new MemoryRepository();
  repo.hosts = [host("h1"), host("h2"), host("h3"), host("x1", "s2")];
  repo.channels = [webhookChannel("global")];
  configure(repo);
  const d = recordingDeliver();
  const logger = pino({ level: "silent" });
  const engine = new AlertEngine({ repo, logger, publicUrl: "https://vigil.example.com", clock, deliver: d.deliver, queue, ...extra });
  await engine.start();
  let waitForDeliveries = true;
  const settle = () => engine.settled({ deliveries: waitForDeliveries });
  const h = (id: string) => repo.hosts.find((x) => x.id === id)!;
  const t = {
    clock,
    repo,
    engine,
    sent: d.sent,
    hang: d.hang,
    /** Stops waiting for deliveries to finish (some hang on purpose). */
    ignoreDeliveries: () => void (waitForDeliveries = false),
    advance: (ms: number) => clock.advance(ms, settle),
    connect: async (id: string, bootId = "boot-1") => {
      engine.onConnectionEvent(connectionEvent(h(id), "connected", "hello", bootId));
      await settle();
    },
    lose: async (id: string, reason = "close:1006") => {
      engine.onConnectionEvent(connectionEvent(h(id), "disconnected", reason));
      await settle();
    },
    events: (event?: string) => d.sent.filter((s) => event === undefined || s.notification.event === event).map((s) => `${s.notification.event} ${s.notification.subject.kind}:${s.notification.subject.name}`),
    stop: () => engine.stop(),
  };
  return t;
}

describe("host down", () => {
  it("fires once after the 10 s confirmation window and resolves when the host returns", async () => {
    const t = await setup();
    await t.connect("h1");
    await t.lose("h1");
    await t.advance(9 * SECOND);
    expect(t.events()).toEqual([]);
    await t.advance(1 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    const [alert] = t.engine.openAlerts();
    expect(alert).toMatchObject({ ruleKind: "host_down", severity: "critical", state: "firing", hostId: "h1", subjectKey: "host:h1" });
    expect(t.repo.alerts.get(alert!.id)?.state).toBe("firing");

    const n = t.sent[0]!.notification;
    expect(n).toMatchObject({ clientName: "Client c1", siteName: "Site s1", ruleName: "Host down", dashboardUrl: `https://vigil.example.com/alerts/${alert!.id}` });
    expect(n.summary).toContain("without a goodbye");
    const token = new URL(n.ackUrl!).searchParams.get("token")!;
    expect(verifyAckToken(token, "k".repeat(43), t.clock.now()).alertId).toBe(alert!.id);

    await t.advance(10 * MINUTE);
    expect(t.events("firing")).toHaveLength(1);
    await t.connect("h1");
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example"]);
    expect(t.repo.alerts.get(alert!.id)).toMatchObject({ state: "resolved", resolvedBy: "vigil" });
    expect(t.engine.openAlerts()).toEqual([]);
    expect(t.repo.deliveries.map((d) => [d.event, d.ok, d.attempts.length])).toEqual([
      ["firing", true, 1],
      ["resolved", true, 1],
    ]);
    await t.stop();
  });

  it("names a host enrolled moments before it connected by its hostname, not its id", async () => {
    const t = await setup();
    // Enrolled after the engine loaded its hosts, and connected within the reload's 5-s throttle.
    t.repo.hosts.push(host("new1"));
    await t.connect("new1");
    await t.lose("new1");
    await t.advance(10 * SECOND);
    expect(t.events()).toEqual(["firing host:new1.example"]);
    await t.stop();
  });

  it("fires on time even when its timer runs a millisecond early", async () => {
    const t = await setup(undefined, {}, 1);
    await t.connect("h1");
    await t.connect("h2");
    // Lost between two sweeps (every 5 s): only the confirmation timer can fire it on time.
    await t.advance(2 * SECOND);
    await t.lose("h1");
    await t.advance(10 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    await t.stop();
  });

  it("raises nothing for a restart shorter than the confirmation window", async () => {
    const t = await setup();
    await t.connect("h1");
    for (let i = 0; i < 5; i++) {
      await t.lose("h1");
      await t.advance(8 * SECOND);
      await t.connect("h1");
      await t.advance(30 * SECOND);
    }
    expect(t.events()).toEqual([]);
    await t.stop();
  });

  it("waits 10 minutes after a goodbye for a service stop or a reboot, and never alerts after an uninstall", async () => {
    const t = await setup();
    await t.connect("h1");
    await t.connect("x1");
    await t.lose("h1", "goodbye:service_stop");
    await t.lose("x1", "goodbye:uninstall");
    await t.advance(9 * MINUTE);
    expect(t.events()).toEqual([]);
    await t.advance(1 * MINUTE);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    expect(t.sent[0]!.notification.summary).toContain("said goodbye (service_stop)");
    await t.advance(60 * MINUTE);
    expect(t.events("firing")).toEqual(["firing host:h1.example"]);
    await t.stop();
  });

  it("takes the confirmation window from the most specific rule: a client's, a host's, or one that switches it off", async () => {
    const t = await setup((repo) => {
      repo.rules = [
        rule("host_down", { level: "client", id: "c1" }, { confirmSeconds: 30 }),
        rule("host_down", { level: "host", id: "h2" }, { confirmSeconds: 5 }),
        rule("host_down", { level: "host", id: "h3" }, {}, { enabled: false, clientId: "c1" }),
      ];
    });
    for (const id of ["h1", "h2", "h3"]) await t.connect(id);
    await t.connect("x1");
    // One host stays connected at each site, so these are host outages, not a site outage.
    await t.lose("h2");
    await t.lose("h3");
    await t.advance(5 * SECOND);
    expect(t.events()).toEqual(["firing host:h2.example"]);
    await t.lose("h1");
    await t.advance(29 * SECOND);
    expect(t.events()).toEqual(["firing host:h2.example"]);
    await t.advance(1 * SECOND);
    // h1 was the last of its site to go, within a minute of h2 and h3 (whose own alerts are off): the site
    // is dark, and it is one site alert rather than h1's own.
    expect(t.events()).toEqual(["firing host:h2.example", "firing site:Site s1"]);
    await t.stop();
  });

  it("keeps quiet through a host's maintenance window and alerts when it ends with the host still down", async () => {
    const t = await setup((repo) => {
      const now = Date.parse("2026-03-02T08:00:00Z");
      repo.maintenance = [{ id: "m1", kind: "once", scope: { level: "host", id: "h1" }, start: now, end: now + 30 * MINUTE }];
    });
    await t.connect("h1");
    await t.connect("h2");
    await t.lose("h1");
    await t.advance(29 * MINUTE);
    expect(t.events()).toEqual([]);
    expect(t.repo.alerts.size).toBe(0);
    await t.advance(1 * MINUTE + 5 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    await t.stop();
  });

  it("holds back alerts matching an ad-hoc silence until it expires", async () => {
    const t = await setup((repo) => {
      const now = Date.parse("2026-03-02T08:00:00Z");
      repo.silences = [{ id: "s1", clientId: "c1", scope: { level: "client", id: "c1" }, matcher: { ruleKind: "host_down" }, startsAt: now, endsAt: now + 20 * MINUTE, reason: "migration", createdAt: now, createdBy: "test" }];
    });
    await t.connect("h1");
    await t.connect("h2");
    await t.lose("h1");
    await t.advance(19 * MINUTE);
    expect(t.events()).toEqual([]);
    await t.advance(1 * MINUTE + 5 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    await t.stop();
  });
});

describe("host down: flap suppression", () => {
  /** One outage past the confirmation window, then back. */
  async function bounce(t: Awaited<ReturnType<typeof setup>>, downMs = 15 * SECOND, upMs = 5 * MINUTE) {
    await t.lose("h1");
    await t.advance(downMs);
    await t.connect("h1");
    await t.advance(upMs);
  }

  it("pages the first outages, then one flapping alert that holds further drops until the host is stable, then resolves once", async () => {
    const t = await setup();
    await t.connect("h1");
    await bounce(t);
    await bounce(t);
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example", "firing host:h1.example", "resolved host:h1.example"]);
    // The third outage within 30 minutes: one page saying it flaps; coming back does not resolve it.
    await bounce(t, 15 * SECOND, 2 * MINUTE);
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example", "firing host:h1.example", "resolved host:h1.example", "firing host:h1.example"]);
    expect(t.sent[4]!.notification.summary).toContain("is flapping: its connection was lost 3 times within 30 min");
    const [flapping] = t.engine.openAlerts();
    expect(flapping).toMatchObject({ ruleKind: "host_down", subjectKey: "host:h1", state: "firing" });
    // More drops, past the confirmation window each: held, not paged; the alert stays the same one.
    await bounce(t, 20 * SECOND, 3 * MINUTE);
    await bounce(t, 20 * SECOND, 9 * MINUTE);
    expect(t.events()).toHaveLength(5);
    expect(t.engine.openAlerts().map((a) => a.id)).toEqual([flapping!.id]);
    // Connected for 10 minutes without a drop: stable, resolved once.
    await t.advance(2 * MINUTE);
    expect(t.events().slice(5)).toEqual(["resolved host:h1.example"]);
    expect(t.repo.alerts.get(flapping!.id)).toMatchObject({ state: "resolved", resolvedBy: "vigil" });
    // Stable again, the next outage pages as an ordinary one.
    await t.advance(40 * MINUTE);
    await t.lose("h1");
    await t.advance(10 * SECOND);
    expect(t.events().slice(6)).toEqual(["firing host:h1.example"]);
    expect(t.sent[6]!.notification.summary).not.toContain("flapping");
    await t.stop();
  });

  it("counts only outages within the window, and follows a rule's settings (0 = off)", async () => {
    const spaced = await setup();
    await spaced.connect("h1");
    for (let i = 0; i < 4; i++) await bounce(spaced, 15 * SECOND, 16 * MINUTE);
    // Two outages at most in any 30 minutes: each paged and resolved.
    expect(spaced.events()).toEqual(Array.from({ length: 4 }, () => ["firing host:h1.example", "resolved host:h1.example"]).flat());
    await spaced.stop();

    const off = await setup((repo) => (repo.rules = [rule("host_down", { level: "global", id: "" }, { flapCount: 0 })]));
    await off.connect("h1");
    for (let i = 0; i < 4; i++) await bounce(off, 15 * SECOND, 1 * MINUTE);
    expect(off.events("firing")).toHaveLength(4);
    expect(off.events("resolved")).toHaveLength(4);
    await off.stop();

    const two = await setup((repo) => (repo.rules = [rule("host_down", { level: "host", id: "h1" }, { flapCount: 2, flapWindowMinutes: 60, stableMinutes: 1 })]));
    await two.connect("h1");
    await bounce(two, 15 * SECOND, 20 * MINUTE);
    await bounce(two, 15 * SECOND, 30 * SECOND);
    expect(two.events()).toEqual(["firing host:h1.example", "resolved host:h1.example", "firing host:h1.example"]);
    await two.advance(1 * MINUTE);
    expect(two.events()).toEqual(["firing host:h1.example", "resolved host:h1.example", "firing host:h1.example", "resolved host:h1.example"]);
    await two.stop();
  });

  it("refuses a flap count of 1", () => {
    expect(() => rule("host_down", { level: "global", id: "" }, { flapCount: 1 })).toThrow(/0 \(off\) or from 2 to 100/);
  });
});

describe("connections held by other collectors", () => {
  const START = Date.parse("2026-03-02T08:00:00Z");

  async function withCollectors(configure: (repo: MemoryRepository) => void = () => undefined) {
    const t = await setup(configure, {}, 0, { collectorId: "primary" });
    /** Collectors heartbeating now (the others' last heartbeat stays where it was). */
    const beating = new Set(["sec-a", "sec-b"]);
    const heartbeat = () => {
      for (const id of beating) {
        const life = t.repo.lives.find((l) => l.runId === id);
        if (life) life.heartbeatAt = t.clock.now();
        else t.repo.lives.push({ runId: id, heartbeatAt: t.clock.now(), stoppedAt: null });
      }
    };
    heartbeat();
    /** An event another collector records now. */
    const record = (hostId: string, collectorId: string, event: "connected" | "disconnected", reason = event === "connected" ? "hello" : "close:1006") => {
      const h = t.repo.hosts.find((x) => x.id === hostId)!;
      const e: CollectorConnectionEvent = { agentId: h.id, clientId: h.clientId, siteId: h.siteId, event, reason, at: t.clock.now(), bootId: "boot-1", collectorId };
      t.repo.remoteEvents.push(e);
    };
    /** Time passes with live collectors heartbeating every 10 s. */
    const pass = async (ms: number) => {
      for (let left = ms; left > 0; left -= Math.min(left, 1000)) {
        if (Math.floor((t.clock.now() - START) / 10_000) !== Math.floor((t.clock.now() + Math.min(left, 1000) - START) / 10_000)) heartbeat();
        await t.advance(Math.min(left, 1000));
      }
    };
    return { ...t, beating, record, pass };
  }

  it("alerts a host on a secondary that goes down, within the confirmation window plus a read, and resolves when it returns", async () => {
    const t = await withCollectors();
    t.record("h1", "sec-a", "connected");
    t.record("h2", "sec-a", "connected");
    await t.pass(5 * SECOND);
    t.record("h1", "sec-a", "disconnected");
    await t.pass(9 * SECOND);
    expect(t.events()).toEqual([]);
    await t.pass(3 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example"]);
    expect(t.sent[0]!.notification.summary).toContain("without a goodbye");
    // It came back through the other secondary.
    t.record("h1", "sec-b", "connected");
    await t.pass(3 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example"]);
    // Events are applied once however often they are read again.
    await t.pass(1 * MINUTE);
    expect(t.events()).toHaveLength(2);
    await t.stop();
  });

  it("raises nothing for blips, for a goodbye's planned window, or when the old collector notices a moved agent late", async () => {
    const t = await withCollectors();
    t.record("h1", "sec-a", "connected");
    t.record("h2", "sec-a", "connected");
    t.record("h3", "sec-a", "connected");
    await t.pass(5 * SECOND);
    // A restart: back on the same collector in 4 s.
    t.record("h1", "sec-a", "disconnected");
    await t.pass(4 * SECOND);
    t.record("h1", "sec-a", "connected");
    // Moved: connected to sec-b first; sec-a drops its half-open connection 15 s later.
    t.record("h2", "sec-b", "connected");
    await t.pass(15 * SECOND);
    t.record("h2", "sec-a", "disconnected");
    // A service stop: the 10-minute window.
    t.record("h3", "sec-a", "disconnected", "goodbye:service_stop");
    await t.pass(2 * MINUTE);
    expect(t.events()).toEqual([]);
    await t.pass(9 * MINUTE);
    expect(t.events()).toEqual(["firing host:h3.example"]);
    await t.stop();
  });

  it("when a secondary dies without a word, alerts its hosts that reconnect nowhere, and not those that come back elsewhere", async () => {
    const t = await withCollectors();
    t.record("h1", "sec-a", "connected");
    t.record("h2", "sec-a", "connected");
    t.record("x1", "sec-b", "connected");
    await t.pass(5 * SECOND);
    // sec-a is killed: no disconnects recorded, its heartbeats stop. h1 comes back through sec-b at once.
    t.beating.delete("sec-a");
    await t.pass(2 * SECOND);
    t.record("h1", "sec-b", "connected");
    // Noticed once its heartbeat is 25 s old; then the confirmation window.
    await t.pass(25 * SECOND);
    expect(t.events()).toEqual([]);
    await t.pass(15 * SECOND);
    expect(t.events()).toEqual(["firing host:h2.example"]);
    expect(t.sent[0]!.notification.summary).toContain("connected to a collector that stopped heartbeating");
    t.record("h2", "sec-b", "connected");
    await t.pass(3 * SECOND);
    expect(t.events()).toEqual(["firing host:h2.example", "resolved host:h2.example"]);
    await t.stop();
  });

  it("after its own restart, takes agents on live secondaries for connected and those on dead ones for lost", async () => {
    const t = await setup(
      (repo) => {
        repo.lives = [
          { runId: "sec-a", heartbeatAt: START - 3 * SECOND, stoppedAt: null },
          { runId: "sec-dead", heartbeatAt: START - 5 * MINUTE, stoppedAt: null },
        ];
        repo.connections = [
          { agentId: "h1", event: "connected", reason: "hello", at: START - 30 * MINUTE, bootId: "b1" },
          { agentId: "h2", event: "connected", reason: "hello", at: START - 30 * MINUTE, bootId: "b2" },
        ];
        repo.links = [
          { agentId: "h1", clientId: "c1", siteId: "s1", collectorId: "sec-a", at: START - 30 * MINUTE, bootId: "b1" },
          { agentId: "h2", clientId: "c1", siteId: "s1", collectorId: "sec-dead", at: START - 30 * MINUTE, bootId: "b2" },
        ];
      },
      {},
      0,
      { collectorId: "primary" },
    );
    // Keep sec-a heartbeating.
    for (let i = 0; i < 12; i++) {
      t.repo.lives[0]!.heartbeatAt = t.clock.now();
      await t.advance(10 * SECOND);
    }
    expect(t.events()).toEqual(["firing host:h2.example"]);
    await t.stop();
  });
});

describe("site down", () => {
  it("raises one site alert and no host alerts when every host of a site goes dark together", async () => {
    const t = await setup();
    for (const id of ["h1", "h2", "h3", "x1"]) await t.connect(id);
    await t.lose("h1");
    await t.advance(2 * SECOND);
    await t.lose("h2");
    await t.advance(3 * SECOND);
    await t.lose("h3");
    await t.advance(10 * MINUTE);
    expect(t.events()).toEqual(["firing site:Site s1"]);
    const [site] = t.engine.openAlerts();
    expect(site).toMatchObject({ ruleKind: "site_down", subjectKind: "site", hostId: "", siteId: "s1", startedAt: Date.parse("2026-03-02T08:00:00Z") });
    expect(site!.summary).toContain("h1.example, h2.example, h3.example");

    // The site returns host by host: the first one resolves the site alert, and the others get a fresh
    // confirmation window to come back in.
    await t.connect("h1");
    await t.advance(3 * SECOND);
    await t.connect("h2");
    expect(t.events()).toEqual(["firing site:Site s1", "resolved site:Site s1"]);
    await t.advance(10 * SECOND);
    expect(t.events()).toEqual(["firing site:Site s1", "resolved site:Site s1", "firing host:h3.example"]);
    await t.stop();
  });

  it("alerts hosts on their own while another host of the site is still connected", async () => {
    const t = await setup();
    for (const id of ["h1", "h2", "h3"]) await t.connect(id);
    await t.lose("h1");
    await t.lose("h2");
    await t.advance(15 * SECOND);
    expect(t.events().sort()).toEqual(["firing host:h1.example", "firing host:h2.example"]);
    // h3 goes too, a minute later: the site is dark, and the site alert stands in for the host alerts.
    await t.lose("h3");
    await t.advance(15 * SECOND);
    expect(t.events()).toContain("firing site:Site s1");
    const siteAlert = t.engine.openAlerts().find((a) => a.ruleKind === "site_down")!;
    const suppressed = t.engine.openAlerts().filter((a) => a.suppressedBy === siteAlert.id);
    expect(suppressed.map((a) => a.hostId).sort()).toEqual(["h1", "h2"]);
    await t.advance(5 * 60 * MINUTE);
    expect(t.events("repeat")).toEqual(["repeat site:Site s1"]);
    await t.stop();
  });

  it("does not count a lone host as a site, nor hosts that said goodbye", async () => {
    const t = await setup();
    for (const id of ["h1", "h2", "x1"]) await t.connect(id);
    await t.lose("x1");
    await t.lose("h1", "goodbye:os_shutdown");
    await t.lose("h2");
    await t.advance(15 * SECOND);
    expect(t.events().sort()).toEqual(["firing host:h2.example", "firing host:x1.example"]);
    await t.stop();
  });
});

describe("lifecycle", () => {
  it("repeats every 4 hours while unacknowledged; an acknowledgement through the store is noticed, told, and stops the repeats", async () => {
    const t = await setup();
    await t.connect("h1");
    await t.connect("h2");
    await t.lose("h1");
    await t.advance(4 * 60 * MINUTE + 10 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example", "repeat host:h1.example"]);
    const [alert] = t.engine.openAlerts();
    t.repo.act(alert!.id, "ack", "alice@msp.example", t.clock.now());
    await t.advance(5 * SECOND);
    expect(t.events()).toEqual(["firing host:h1.example", "repeat host:h1.example", "acknowledged host:h1.example"]);
    expect(t.sent.at(-1)!.notification).toMatchObject({ acknowledgedBy: "alice@msp.example" });
    expect(t.sent.at(-1)!.notification.ackUrl).toBeUndefined();
    await t.advance(10 * 60 * MINUTE);
    expect(t.events("repeat")).toHaveLength(1);
    await t.connect("h1");
    expect(t.repo.alerts.get(alert!.id)).toMatchObject({ state: "resolved", acknowledgedBy: "alice@msp.example" });
    await t.stop();
  });

  it("does not fire again for a condition a person resolved while it still holds", async () => {
    const t = await setup();
    await t.connect("h1");
    await t.connect("h2");
    await t.lose("h1");
    await t.advance(15 * SECOND);
    const [alert] = t.engine.openAlerts();
    t.repo.act(alert!.id, "resolve", "bob", t.clock.now());
    await t.advance(60 * MINUTE);
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example"]);
    // Once it cleared, the rule watches it again.
    await t.connect("h1");
    await t.lose("h1");
    await t.advance(15 * SECOND);
    expect(t.events("firing")).toHaveLength(2);
    await t.stop();
  });

  it("routes by client and severity, escalates while unacknowledged, and sends the default route to global and the client's channels", async () => {
    const t = await setup((repo) => {
      repo.channels = [webhookChannel("global"), webhookChannel("c1-oncall", "c1"), webhookChannel("c1-boss", "c1"), webhookChannel("c2-only", "c2")];
      repo.routes = [
        {
          id: "route1",
          clientId: "c1",
          name: "c1 critical",
          severities: ["critical"],
          channelIds: ["c1-oncall"],
          escalation: [{ afterMinutes: 15, channelIds: ["c1-boss"] }],
          enabled: true,
          createdAt: 0,
          createdBy: "t",
          updatedAt: 0,
        },
      ];
      repo.hosts.push(host("y1", "s9", "c9"));
    });
    const byChannel = () => t.sent.map((s) => `${s.notification.event}→${(s.config as { url: string }).url.split("/").pop()}`);
    await t.connect("h1");
    await t.connect("h2");
    await t.connect("y1");
    await t.lose("h1");
    await t.lose("y1");
    await t.advance(15 * SECOND);
    expect(byChannel().sort()).toEqual(["firing→c1-oncall", "firing→global"]);
    await t.advance(15 * MINUTE);
    expect(byChannel()).toContain("firing→c1-boss");
    await t.connect("h1");
    expect(byChannel().filter((x) => x.startsWith("resolved")).sort()).toEqual(["resolved→c1-boss", "resolved→c1-oncall"]);
    await t.stop();
  });

  it("stops escalating once acknowledged", async () => {
    const t = await setup((repo) => {
      repo.channels = [webhookChannel("first"), webhookChannel("second")];
      repo.routes = [{ id: "r", clientId: "", name: "all", severities: [], channelIds: ["first"], escalation: [{ afterMinutes: 10, channelIds: ["second"] }], enabled: true, createdAt: 0, createdBy: "t", updatedAt: 0 }];
    });
    await t.connect("h1");
    await t.connect("h2");
    await t.lose("h1");
    await t.advance(15 * SECOND);
    t.repo.act(t.engine.openAlerts()[0]!.id, "ack", "carol", t.clock.now());
    await t.advance(30 * MINUTE);
    expect(t.sent.map((s) => `${s.notification.event} ${(s.config as { url: string }).url.split("/").pop()}`)).toEqual(["firing first", "acknowledged first"]);
    await t.stop();
  });

  it("keeps alerting while a receiver hangs, and drops (and logs) what does not fit the bounded queue", async () => {
    const t = await setup(
      (repo) => {
        repo.channels = [webhookChannel("hangs"), webhookChannel("works")];
      },
      { concurrency: 4, perChannel: 1, maxQueued: 2 },
    );
    t.ignoreDeliveries();
    t.hang("http://127.0.0.1:9/hangs");
    for (const id of ["h1", "h2", "h3", "x1"]) await t.connect(id);
    await t.lose("x1");
    await t.advance(15 * SECOND);
    await t.lose("h1");
    await t.advance(15 * SECOND);
    await t.lose("h2");
    await t.advance(15 * SECOND);
    expect(t.engine.openAlerts().map((a) => a.hostId).sort()).toEqual(["h1", "h2", "x1"]);
    // Two deliveries to the hanging receiver wait behind the one it holds; the next alert's is dropped.
    await t.lose("h3");
    await t.advance(15 * SECOND);
    expect(t.engine.openAlerts().map((a) => a.subjectKind).sort()).toEqual(["host", "host", "host", "site"]);
    const works = t.sent.filter((s) => (s.config as { url: string }).url.endsWith("/works"));
    expect(works.map((s) => s.notification.subject.name).sort()).toEqual(["Site s1", "h1.example", "h2.example", "x1.example"]);
    expect(t.repo.deliveries.filter((d) => d.channelId === "hangs").map((d) => d.error)).toEqual(["delivery queue full (2 waiting)"]);
    await t.stop();
    // The hanging deliveries were cancelled at stop and logged as not delivered.
    expect(t.repo.deliveries.filter((d) => d.channelId === "hangs").every((d) => !d.ok)).toBe(true);
    expect(t.repo.deliveries.filter((d) => d.channelId === "works").every((d) => d.ok)).toBe(true);
  });

  it("tells a reboot as one info alert, recorded as over", async () => {
    const t = await setup();
    await t.connect("h1", "boot-1");
    await t.lose("h1", "goodbye:os_reboot");
    await t.advance(40 * SECOND);
    await t.connect("h1", "boot-2");
    expect(t.events()).toEqual(["firing host:h1.example"]);
    expect(t.sent[0]!.notification).toMatchObject({ severity: "info", ruleName: "Host rebooted" });
    expect([...t.repo.alerts.values()].map((a) => [a.ruleKind, a.state])).toEqual([["host_rebooted", "resolved"]]);
    expect(t.engine.openAlerts()).toEqual([]);
    await t.stop();
  });

  it("after a collector restart, gives agents that were connected a grace period, then alerts those that stay away", async () => {
    const t = await setup((repo) => {
      const before = Date.parse("2026-03-02T07:59:00Z");
      repo.connections = [
        { agentId: "h1", event: "connected", reason: "hello", at: before, bootId: "b1" },
        { agentId: "h2", event: "disconnected", reason: "close:1001", at: before, bootId: "b2" },
        { agentId: "x1", event: "connected", reason: "hello", at: before, bootId: "b3" },
      ];
    });
    await t.advance(50 * SECOND);
    await t.connect("h1", "b1");
    await t.connect("h2", "b2");
    await t.advance(5 * MINUTE);
    expect(t.events()).toEqual(["firing host:x1.example"]);
    expect(t.sent[0]!.notification.summary).toContain("since the collector restarted");
    await t.stop();
  });
});

describe("checks and thresholds", () => {
  const h1: HostInfo = host("h1");
  const at = (min: number) => Date.parse("2026-03-02T08:00:00Z") + min * MINUTE;

  it("fires after N failed results in a row and resolves on the next pass", async () => {
    const t = await setup();
    const streak = (...oks: boolean[]) => [{ agentId: "h1", clientId: "c1", siteId: "s1", checkId: "web", target: "http://127.0.0.1/", recent: oks.map((ok, i) => ({ at: at(-i), ok })), lastError: "HTTP 503" }];
    t.repo.streaks = streak(false, false, true);
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events()).toEqual([]);
    t.repo.streaks = streak(false, false, false, true);
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events()).toEqual([`firing check:web on ${h1.hostname}`]);
    expect(t.sent[0]!.notification.summary).toBe("Check web (http://127.0.0.1/) on h1.example failed 3 times in a row: HTTP 503");
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events("firing")).toHaveLength(1);
    t.repo.streaks = streak(true, false, false, false);
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events()).toEqual([`firing check:web on ${h1.hostname}`, `resolved check:web on ${h1.hostname}`]);
    await t.stop();
  });

  it("fires when a metric stays above the threshold for the whole duration, and resolves when it drops", async () => {
    const t = await setup((repo) => {
      repo.rules = [rule("threshold", { level: "client", id: "c1" }, { metric: "cpu", above: 90, forSeconds: 300 }, { severity: "warning" })];
    });
    const now = t.clock.now();
    const series = (min: number, last: number, firstAt = now - 300 * SECOND) => [{ agentId: "h1", clientId: "c1", siteId: "s1", labels: "{}", minValue: min, lastValue: last, firstAt, lastAt: now }];
    t.repo.series.set("cpu.utilization", series(85, 97));
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events()).toEqual([]);
    // Above all along, but the samples cover only the last minute: not held for 5 minutes yet.
    t.repo.series.set("cpu.utilization", series(93, 97, now - 60 * SECOND));
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events()).toEqual([]);
    t.repo.series.set("cpu.utilization", series(93, 97));
    t.repo.series.set("fs.used_pct", [{ agentId: "h1", clientId: "c1", siteId: "s1", labels: '{"mount":"/var"}', minValue: 96, lastValue: 97, firstAt: now - 300 * SECOND, lastAt: now }]);
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events().sort()).toEqual(["firing host:h1.example", "firing host:h1.example /var"]);
    expect(t.sent.map((s) => s.notification.summary).sort()).toEqual([
      "CPU on h1.example above 90% for 5 min (now 97%)",
      "Filesystem on h1.example /var above 95% for 5 min (now 97%)",
    ]);
    t.repo.series.set("cpu.utilization", series(60, 60));
    await t.engine.evaluate();
    await t.engine.settled();
    expect(t.events("resolved")).toEqual(["resolved host:h1.example"]);
    await t.stop();
  });
});

describe("agent flapping", () => {
  it("fires once when a host reconnects more than 6 times within an hour, and resolves when it calms down", async () => {
    const t = await setup();
    await t.connect("h1");
    await t.connect("h2");
    // Drops shorter than the confirmation window: no host-down alert, only the count.
    for (let i = 0; i < 6; i++) {
      await t.lose("h1");
      await t.advance(2 * SECOND);
      await t.connect("h1");
      await t.advance(5 * MINUTE);
    }
    expect(t.events()).toEqual([]);
    await t.lose("h1");
    await t.advance(2 * SECOND);
    await t.connect("h1");
    expect(t.events()).toEqual(["firing host:h1.example"]);
    expect(t.engine.openAlerts()[0]).toMatchObject({ ruleKind: "agent_flapping", severity: "warning", subjectKey: "flapping:h1" });
    expect(t.sent[0]!.notification.summary).toContain("reconnected 7 times within the last hour (more than 6)");
    await t.lose("h1");
    await t.advance(2 * SECOND);
    await t.connect("h1");
    expect(t.events("firing")).toHaveLength(1);
    // Quiet for an hour: the evaluation loop resolves it.
    await t.advance(61 * MINUTE);
    expect(t.events()).toEqual(["firing host:h1.example", "resolved host:h1.example"]);
    await t.stop();
  });

  it("remembers the last hour's reconnects across a collector restart, and follows a rule's limit", async () => {
    const t = await setup((repo) => {
      const start = Date.parse("2026-03-02T08:00:00Z");
      // The first connection of the hour may be a first connection; the other three are reconnects.
      repo.connects.set("h1", [start - 50 * MINUTE, start - 40 * MINUTE, start - 30 * MINUTE, start - 20 * MINUTE]);
      repo.rules = [rule("agent_flapping", { level: "host", id: "h1" }, { maxReconnectsPerHour: 3 })];
      repo.connections = [{ agentId: "h1", event: "disconnected", reason: "close:1006", at: start - 1000, bootId: "boot-1" }];
    });
    await t.connect("h2");
    await t.connect("h1");
    expect(t.events()).toEqual(["firing host:h1.example"]);
    await t.stop();
  });

  it("does not count agents coming back after the collector restarted", async () => {
    const t = await setup((repo) => {
      repo.rules = [rule("agent_flapping", { level: "global", id: "" }, { maxReconnectsPerHour: 1 })];
      repo.connections = [{ agentId: "h1", event: "connected", reason: "hello", at: Date.parse("2026-03-02T07:59:00Z"), bootId: "boot-1" }];
    });
    await t.connect("h1");
    await t.lose("h1");
    await t.connect("h1");
    expect(t.events()).toEqual([]);
    await t.stop();
  });
});

describe("filesystem forecast", () => {
  const GB = 1e9;
  /** Hourly usage of h1's /data over 12 hours, ending now, growing `perDay` bytes a day up to `last`. */
  const trend = (now: number, last: number, perDay: number, capacity = 100 * GB) => ({
    mount: "/data",
    used: Array.from({ length: 12 }, (_, i) => ({ t: now - (11 - i) * 3600_000, v: last - ((11 - i) * perDay) / 24 })),
    sizeBytes: capacity,
    usedPct: (last / capacity) * 100,
  });

  it("fires when the trend says full within 7 days, holds near the edge, and resolves when growth stops", async () => {
    const t = await setup();
    const now = t.clock.now();
    const evaluate = async () => {
      await t.engine.evaluateForecasts();
      await t.engine.settled();
    };
    t.repo.trends.set("h1", [trend(now, 50 * GB, 5 * GB)]); // 10 days
    await evaluate();
    expect(t.events()).toEqual([]);
    t.repo.trends.set("h1", [trend(now, 70 * GB, 6 * GB)]); // 5 days
    await evaluate();
    await evaluate();
    expect(t.events()).toEqual(["firing host:h1.example /data"]);
    expect(t.engine.openAlerts()[0]).toMatchObject({ ruleKind: "fs_forecast", severity: "warning", subjectKey: "fs_forecast:h1:/data" });
    expect(t.sent[0]!.notification.summary).toMatch(/^Filesystem \/data on h1\.example is forecast full on 2026-03-07 \(in 5 days\): 65\.2 GiB of 93\.1 GiB \(70\.0% used\), growing 5\.6 GiB a day$/);
    // 9 days: past the window, but not clearly; the alert stays rather than flapping at the edge.
    t.repo.trends.set("h1", [trend(now, 55 * GB, 5 * GB)]);
    await evaluate();
    expect(t.events("resolved")).toEqual([]);
    t.repo.trends.set("h1", [trend(now, 55 * GB, 0)]);
    await evaluate();
    expect(t.events()).toEqual(["firing host:h1.example /data", "resolved host:h1.example /data"]);
    await t.stop();
  });

  it("takes the window from the most specific rule, and a disabled rule switches it off", async () => {
    const t = await setup((repo) => {
      repo.hosts.push(host("h9", "s9", "c9"));
      repo.rules = [
        rule("fs_forecast", { level: "client", id: "c1" }, { withinDays: 30 }, { severity: "info" }),
        rule("fs_forecast", { level: "client", id: "c9" }, {}, { enabled: false }),
      ];
    });
    const now = t.clock.now();
    t.repo.trends.set("h1", [trend(now, 50 * GB, 5 * GB)]); // 10 days: within 30
    t.repo.trends.set("h9", [trend(now, 90 * GB, 5 * GB)]); // 2 days, but switched off
    await t.engine.evaluateForecasts();
    await t.engine.settled();
    expect(t.events()).toEqual(["firing host:h1.example /data"]);
    expect(t.engine.openAlerts()[0]?.severity).toBe("info");
    await t.stop();
  });
});

describe("inventory changed", () => {
  const change = (over: Partial<InventoryChangeSignal>): InventoryChangeSignal => ({
    agentId: "h1",
    clientId: "c1",
    siteId: "s1",
    seq: 5,
    at: Date.parse("2026-03-02T07:50:00Z"),
    category: "software",
    change: "installed",
    item: "nginx",
    before: "",
    after: "1.24.0",
    ...over,
  });

  it("tells each host's change once per kind, only the kinds the rule asks for, and never again after a restart", async () => {
    const changes = [
      change({}),
      change({ item: "curl", change: "removed", before: "8.5.0", after: "" }),
      change({ item: "openssl", change: "upgraded", before: "3.0.1", after: "3.0.2" }),
      change({ category: "os", change: "upgraded", item: "release", before: "Ubuntu 22.04", after: "Ubuntu 24.04" }),
      change({ category: "disk", change: "added", item: "WDC serial 42", before: "", after: "sdb 1.0 TB" }),
      change({ category: "service", change: "state_changed", item: "cron", before: "running", after: "stopped" }),
    ];
    const configure = (repo: MemoryRepository) => {
      repo.rules = [rule("inventory_changed", { level: "global", id: "" }, { changes: ["software", "hardware"] }, { severity: "info" })];
      repo.changes = changes;
    };
    const t = await setup(configure);
    await t.engine.evaluateInventory();
    await t.engine.settled();
    expect(t.events().sort()).toEqual(["firing host:h1.example", "firing host:h1.example"]);
    expect(t.sent.map((s) => s.notification.summary).sort()).toEqual([
      "Hardware changed on h1.example: disk WDC serial 42 added: none → sdb 1.0 TB",
      "Software installed or removed on h1.example: installed nginx 1.24.0; removed curl 8.5.0",
    ]);
    // Something that happened: recorded as over at once.
    expect([...t.repo.alerts.values()].map((a) => [a.ruleKind, a.state, a.subjectKey]).sort()).toEqual([
      ["inventory_changed", "resolved", "inventory:h1:5:hardware"],
      ["inventory_changed", "resolved", "inventory:h1:5:software"],
    ]);
    await t.engine.evaluateInventory();
    await t.engine.settled();
    expect(t.sent).toHaveLength(2);
    await t.stop();

    // A restarted engine finds them told in the store.
    const again = new AlertEngine({ repo: t.repo, logger: pino({ level: "silent" }), publicUrl: "https://vigil.example.com", clock: t.clock, deliver: recordingDeliver().deliver });
    await again.start();
    await again.evaluateInventory();
    await again.settled();
    expect([...t.repo.alerts.values()]).toHaveLength(2);
    await again.stop();
  });

  it("is off without a stored rule, and a new rule does not report older changes", async () => {
    const t = await setup((repo) => (repo.changes = [change({})]));
    await t.engine.evaluateInventory();
    await t.engine.settled();
    expect(t.events()).toEqual([]);
    t.repo.rules = [rule("inventory_changed", { level: "client", id: "c1" }, {}, { createdAt: Date.parse("2026-03-02T07:55:00Z") })];
    await t.advance(5 * SECOND);
    await t.engine.evaluateInventory();
    await t.engine.settled();
    expect(t.events()).toEqual([]);
    t.repo.changes.push(change({ seq: 6, at: Date.parse("2026-03-02T07:58:00Z"), category: "os", change: "changed", item: "release", before: "Debian 12", after: "Debian 13" }));
    await t.engine.evaluateInventory();
    await t.engine.settled();
    expect(t.events()).toEqual(["firing host:h1.example"]);
    expect(t.sent[0]!.notification.summary).toBe("Operating system changed on h1.example: release changed: Debian 12 → Debian 13");
    await t.stop();
  });
});
