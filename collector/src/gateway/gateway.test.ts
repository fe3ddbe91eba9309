import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CONNECT_PATH, PROTOCOL_VERSION, type AgentConfig } from "@vigil/protocol";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { generateToken, hashToken } from "../auth/secrets.js";
import { CollectorMetrics } from "../observability/metrics.js";
import type { AgentRow } from "../store/queries/agents.js";
import type { BatchWriter } from "../writer/writer.js";
import type { AgentDirectory } from "./agent-directory.js";
import { Gateway } from "./gateway.js";
import type { StoredSeqLedger } from "./ledger.js";
import type { ConnectionEvent } from "./session.js";

const PING_MS = 100;

/** A writer that stores nothing and can be made to look full. */
class FakeWriter extends EventEmitter {
  full = false;
  depth = 0;
  submit(): Promise<void> {
    return Promise.resolve();
  }
}

interface Harness {
  url: string;
  token: string;
  events: ConnectionEvent[];
  writer: FakeWriter;
  gateway: Gateway;
  close(): Promise<void>;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function harness(): Promise<Harness> {
  const agentId = "agent-1";
  const token = generateToken("vga", agentId);
  const agent: AgentRow = {
    id: agentId,
    client_id: "c1",
    site_id: "s1",
    hostname: "host-1",
    machine_id: "m1",
    token_hash: hashToken(token),
    agent_version: "1.0.0",
    os_platform: "linux",
    os_release: "6",
    os_arch: "x64",
    enrollment_token_id: "e1",
    enrolled_at: 0,
    revoked_at: null,
    updated_at: 0,
  };
  const directory = { get: async () => agent, reload: async () => agent, invalidate: () => undefined } as unknown as AgentDirectory;
  const ledger = { marks: async () => ({}), highestMark: () => 0, storedSeq: () => 0, accepted: () => 0 } as unknown as StoredSeqLedger;
  const writer = new FakeWriter();
  const events: ConnectionEvent[] = [];
  const gateway = new Gateway({
    directory,
    ledger,
    writer: writer as unknown as BatchWriter,
    metrics: new CollectorMetrics(),
    logger: pino({ level: "silent" }),
    agentConfig: {} as AgentConfig,
    collectorId: "run-1",
    pingIntervalMs: PING_MS,
    observer: { onConnectionEvent: (e) => events.push(e) },
  });
  const server: Server = createServer();
  gateway.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const h: Harness = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}${CONNECT_PATH}`,
    token,
    events,
    writer,
    gateway,
    close: async () => {
      await gateway.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(h);
  return h;
}

/** Connects as the agent and says hello; `autoPong: false` makes a peer that has gone silent. */
async function connect(h: Harness, autoPong: boolean): Promise<{ ws: WebSocket; pings: () => number; closed: Promise<number> }> {
  const ws = new WebSocket(h.url, { headers: { Authorization: `Bearer ${h.token}` }, autoPong });
  let pings = 0;
  ws.on("ping", () => pings++);
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const welcomed = new Promise<void>((resolve) => ws.once("message", () => resolve()));
  const now = Date.now();
  ws.send(JSON.stringify({ type: "hello", v: PROTOCOL_VERSION, agentVersion: "1.0.0", hostname: "host-1", bootId: "b1", os: { platform: "linux", release: "6", arch: "x64" }, startedAt: now, sentAt: now, lastSeq: 0 }));
  await welcomed;
  return { ws, pings: () => pings, closed };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`never happened: ${what}`);
}

describe("gateway liveness", () => {
  it("drops a peer that stops answering pings at the next ping, without a close handshake", async () => {
    const h = await harness();
    const peer = await connect(h, false);
    // An abrupt drop: the peer sees no close frame (1006), and the collector records the loss itself.
    expect(await peer.closed).toBe(1006);
    await until("disconnected event", () => h.events.some((e) => e.event === "disconnected"));
    expect(h.events.find((e) => e.event === "disconnected")).toMatchObject({ agentId: "agent-1", reason: "close:1006" });
    expect(h.gateway.isConnected("agent-1")).toBe(false);
    expect(peer.pings()).toBeGreaterThanOrEqual(1);
  });

  it("keeps a peer that answers, across many ping intervals", async () => {
    const h = await harness();
    const peer = await connect(h, true);
    await until("several pings", () => peer.pings() >= 6);
    expect(h.gateway.isConnected("agent-1")).toBe(true);
    expect(h.events.map((e) => e.event)).toEqual(["connected"]);
    expect(h.gateway.lastSeen("agent-1")).toBeGreaterThan(0);
    peer.ws.close();
    await peer.closed;
  });

  it("judges nobody while reads are paused for a full writer: the pongs are unread, not missing", async () => {
    const h = await harness();
    const peer = await connect(h, true);
    h.writer.full = true;
    // Any frame while the writer is full pauses every socket's reads (a goodbye leaves the connection open).
    peer.ws.send(JSON.stringify({ type: "goodbye", v: PROTOCOL_VERSION, reason: "user", sentAt: Date.now() }));
    const before = peer.pings();
    await until("pings while paused", () => peer.pings() >= before + 4);
    expect(h.gateway.isConnected("agent-1")).toBe(true);
    h.writer.full = false;
    h.writer.emit("drain");
    const resumed = peer.pings();
    await until("pings after resuming", () => peer.pings() >= resumed + 3);
    expect(h.gateway.isConnected("agent-1")).toBe(true);
    peer.ws.close();
    await peer.closed;
  });
});
