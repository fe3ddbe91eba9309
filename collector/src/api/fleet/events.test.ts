import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../auth/secrets.js";
import { PresenceEvents } from "../../gateway/presence-events.js";
import { createApi } from "../app.js";
import type { Principal } from "../auth.js";
import { createRouter } from "../router.js";
import { createTestApi, loginUser, type Json, type TestApi } from "../testing.js";
import { enrollHost, insertConnectionEvent, insertRun } from "./testing.js";

/** Reads Server-Sent Events from a response body, one at a time. */
class EventReader {
  private buffer = "";
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  /** The next event (comments skipped) as {event, data}. */
  async next(): Promise<{ event: string; data: string }> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = block.split("\n").filter((l) => !l.startsWith(":"));
        if (lines.length === 0) continue;
        const field = (name: string) => lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2)).join("\n");
        return { event: field("event"), data: field("data") };
      }
      const { done, value } = await this.reader.read();
      if (done) throw new Error("stream ended");
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** The next `host` event's host. */
  async nextHost(): Promise<Json> {
    for (;;) {
      const e = await this.next();
      if (e.event === "host") return JSON.parse(e.data);
    }
  }

  async close(): Promise<void> {
    await this.reader.cancel();
  }
}

describe("GET /api/v1/fleet/events", () => {
  let t: TestApi;
  const hub = new PresenceEvents();
  let app: ReturnType<typeof createApi>;
  let a: { clientId: string; siteId: string; agentId: string };
  let b: { clientId: string; siteId: string; agentId: string };

  beforeAll(async () => {
    t = await createTestApi();
    app = createApi({ store: t.store, publicUrl: t.publicUrl, adminTokenHash: hashToken(t.adminToken), presence: t.presence, presenceEvents: hub, fleetPollMs: 300, fleetHeartbeatMs: 200, logger: pino({ level: "silent" }) });
    const ca = await t.seedClientAndSite("Alpha");
    a = { ...ca, agentId: await enrollHost(t, ca.clientId, ca.siteId, "alpha-01") };
    const cb = await t.seedClientAndSite("Bravo");
    b = { ...cb, agentId: await enrollHost(t, cb.clientId, cb.siteId, "bravo-01") };
  });
  afterAll(async () => {
    await t.close();
  });

  const open = async (principal?: Principal): Promise<EventReader> => {
    let res: Response;
    if (principal) {
      const outer = createRouter();
      outer.use("*", async (c, next) => {
        c.set("principal", principal);
        await next();
      });
      outer.route("/", app);
      res = await outer.request("/api/v1/fleet/events");
    } else {
      res = await app.request("/api/v1/fleet/events", { headers: { authorization: `Bearer ${t.adminToken}` } });
    }
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = new EventReader(res);
    expect((await reader.next()).event).toBe("ready");
    return reader;
  };

  const event = (host: typeof a, ev: "connected" | "goodbye" | "disconnected", reason: string) =>
    hub.onConnectionEvent({ agentId: host.agentId, clientId: host.clientId, siteId: host.siteId, event: ev, reason, remoteAddr: "127.0.0.1" });

  it("pushes a host's status when this collector's agent connects, drops and says goodbye, and unsubscribes on close", async () => {
    const stream = await open();
    expect(hub.size).toBe(1);
    t.presence.connected.add(a.agentId);
    event(a, "connected", "hello");
    expect(await stream.nextHost()).toMatchObject({ id: a.agentId, clientId: a.clientId, hostname: "alpha-01", status: "up", connected: true });
    t.presence.connected.delete(a.agentId);
    event(a, "disconnected", "close:1006");
    expect(await stream.nextHost()).toMatchObject({ id: a.agentId, status: "down" });
    t.presence.connected.add(a.agentId);
    event(a, "connected", "hello");
    expect(await stream.nextHost()).toMatchObject({ id: a.agentId, status: "up" });
    t.presence.connected.delete(a.agentId);
    event(a, "goodbye", "os_reboot");
    event(a, "disconnected", "goodbye:os_reboot");
    // Shown before the writer would have stored the goodbye.
    expect(await stream.nextHost()).toMatchObject({ id: a.agentId, status: "stopped" });
    await stream.close();
    await expect.poll(() => hub.size).toBe(0);
  });

  it("sends a viewer only its own client's hosts", async () => {
    const stream = await open({ role: "viewer", subject: "v", clientId: b.clientId });
    t.presence.connected.add(a.agentId);
    event(a, "connected", "hello");
    t.presence.connected.add(b.agentId);
    event(b, "connected", "hello");
    const first = await stream.nextHost();
    expect(first).toMatchObject({ id: b.agentId, status: "up" });
    await stream.close();
    t.presence.connected.clear();
    await expect.poll(() => hub.size).toBe(0);
  });

  it("notices agents on other collectors by reading the store", async () => {
    const stream = await open();
    await insertRun(t.store, "run-elsewhere", true);
    await insertConnectionEvent(t.store, { ...b, collectorId: "run-elsewhere", event: "connected", reason: "hello", at: Date.now() });
    expect(await stream.nextHost()).toMatchObject({ id: b.agentId, status: "up", connected: true });
    await stream.close();
  });

  it("ends a stream opened with a session when that session ends (logout, expiry, a disabled user)", async () => {
    const { cookie } = await loginUser(t, "watcher", "technician");
    const res = await app.request("/api/v1/fleet/events", { headers: { cookie } });
    expect(res.status).toBe(200);
    const stream = new EventReader(res);
    expect((await stream.next()).event).toBe("ready");
    expect((await t.call("DELETE", "/api/v1/session", { token: null, headers: { cookie, "X-Vigil-Request": "1" } })).status).toBe(204);
    await expect(stream.nextHost()).rejects.toThrow("stream ended");
    await expect.poll(() => hub.size).toBe(0);
  });
});
