import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { MAX_INVENTORY_PART_CHARS, splitInventoryData, type AgentRecord, type InventoryDocument, type InventoryRecord } from "@vigil/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedAgent, healthRecord } from "../fleet/simulated-agent.js";
import { AdminApi } from "../support/api.js";
import { LOOPBACK_AGENT_ENV } from "../support/loopback-env.js";
import { agentCredentials, cleanup, enrollAgent, startAgent, startCollector, tempDir, waitFor, type AgentProcess, type CollectorProcess } from "../support/processes.js";

interface HostInventory {
  hostId: string;
  clientId: string;
  collectedAt: string;
  receivedAt: string;
  hash: string;
  sizeBytes: number;
  compressedBytes: number;
  parts: number;
  inventory: InventoryDocument;
}
interface Change {
  hostId: string;
  at: string;
  previousAt: string;
  category: string;
  change: string;
  item: string;
  before: string;
  after: string;
}

/** The records an agent would send for a document: gzipped, base64, in parts of at most `partChars`. */
function records(doc: unknown, partChars = MAX_INVENTORY_PART_CHARS, patch: Partial<InventoryRecord> = {}): InventoryRecord[] {
  const json = JSON.stringify(doc);
  const data = splitInventoryData(gzipSync(json).toString("base64"), partChars);
  const hash = createHash("sha256").update(json).digest("hex");
  const ts = (doc as { collectedAt?: number }).collectedAt ?? Date.now();
  return data.map((d, i) => ({ kind: "inventory", ts, bootId: "sim-boot", hash, encoding: "gzip+base64", size: Buffer.byteLength(json), part: i + 1, parts: data.length, data: d, ...patch }));
}

function osRelease(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync("/etc/os-release", "utf8").split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!.replace(/^"(.*)"$/, "$1"));
  }
  return out;
}

describe("inventory from the real agent, through a real collector, to the API", () => {
  let collector: CollectorProcess;
  let api: AdminApi;
  let agent: AgentProcess;
  let stateDir: string;
  let agentId: string;
  let clientId: string;
  let first: HostInventory;
  let sim: SimulatedAgent;
  let seq: number;
  let good: InventoryDocument;

  const inventory = async () => api.request<HostInventory>("GET", `/api/v1/hosts/${agentId}/inventory`);
  const changes = async () => (await api.request<{ items: Change[] }>("GET", `/api/v1/inventory/changes?clientId=${clientId}&hostId=${agentId}&from=${Date.now() - 86_400_000}`)).body.items;
  /** Sends one batch and waits for the collector's answer to it: an ack, or an error naming its seq. */
  async function send(recordsOfBatch: AgentRecord[]): Promise<{ seq: number; error?: string }> {
    const s = ++seq;
    const errorsBefore = sim.received.length;
    sim.sendBatch(s, recordsOfBatch);
    await sim.waitForAck(s, 30_000);
    const error = sim.received.slice(errorsBefore).find((m) => m.type === "error" && m.seq === s);
    return { seq: s, ...(error && error.type === "error" ? { error: error.message } : {}) };
  }

  beforeAll(async () => {
    collector = await startCollector({ env: LOOPBACK_AGENT_ENV });
    api = new AdminApi(collector.url, collector.adminToken);
    stateDir = tempDir("agent");
    const enrollment = await api.enrollmentToken("Inventory Ltd");
    clientId = enrollment.clientId;
    agentId = await enrollAgent(collector.url, enrollment.token, stateDir);
    agent = startAgent(stateDir, { healthInterval: 1, checkInterval: 5 });
  }, 120_000);

  afterAll(async () => {
    sim?.close();
    await agent?.stop();
    await collector?.stop();
    cleanup(stateDir, collector?.dataDir);
  });

  it("arrives shortly after the agent starts and describes this machine", async () => {
    first = await waitFor(async () => {
      const r = await inventory();
      return r.status === 200 ? r.body : undefined;
    }, "inventory of the host", 90_000);
    const doc = first.inventory;
    expect(first).toMatchObject({ hostId: agentId, clientId, parts: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(doc.system.hostname).toBe(os.hostname());
    expect(doc.memory.totalBytes).toBe(os.totalmem());
    expect(doc.cpu.cores).toBe(os.cpus().length);
    expect(doc.os.platform).toBe(process.platform);
    expect(doc.agent.version).toMatch(/^\d+\.\d+\.\d+/);
    if (existsSync("/etc/os-release")) {
      expect(doc.os.id).toBe(osRelease().get("ID"));
      expect(doc.os.versionId).toBe(osRelease().get("VERSION_ID") ?? "");
    }
    if (existsSync("/var/lib/dpkg/status")) {
      const installed = execFileSync("dpkg-query", ["-W", "-f", "${Status}\\n"], { encoding: "utf8" }).split("\n").filter((s) => / installed$/.test(s)).length;
      expect(doc.software).toHaveLength(installed);
      expect(doc.software.find((s) => s.name === "dpkg")?.source).toBe("dpkg");
    }
    expect(doc.filesystems.some((f) => f.mount === "/")).toBe(true);
    expect(first.compressedBytes).toBeLessThan(first.sizeBytes / 3);

    // The agent remembers what it sent and what collecting cost.
    const state = JSON.parse(readFileSync(path.join(stateDir, "inventory.json"), "utf8"));
    expect(state).toMatchObject({ agentId, sentHash: first.hash, lastRun: { outcome: "sent", rawBytes: first.sizeBytes, gzipBytes: first.compressedBytes, parts: 1 } });
    expect(state.lastRun.cpuMs).toBeGreaterThan(0);
    console.log(
      `inventory of this host: ${first.sizeBytes} bytes JSON, ${first.compressedBytes} gzipped (${state.lastRun.wireChars} base64 on the wire); ` +
        `collection ${state.lastRun.durationMs} ms, agent CPU ${state.lastRun.cpuMs} ms + tools ${state.lastRun.childCpuMs} ms, ` +
        `longest event-loop stall ${state.lastRun.maxEventLoopDelayMs} ms; ${doc.software.length} packages, ${doc.services.length} services`,
    );
  });

  it("is not sent again by a restarted agent when nothing changed", async () => {
    expect(await agent.stop()).toBe(0);
    agent = startAgent(stateDir, { healthInterval: 1, checkInterval: 5 });
    await waitFor(() => agent.logs.some((l) => l.includes('"inventory unchanged; not sent"')), "the restarted agent's inventory run", 60_000);
    expect(agent.logs.some((l) => l.includes('"inventory sent"'))).toBe(false);
    const now = await inventory();
    expect(now.body.receivedAt).toBe(first.receivedAt);
    expect(now.body.hash).toBe(first.hash);
  });

  it("records what changed between the real snapshot and a realistic successor", async () => {
    // The real agent steps aside; a simulated one speaks for the same host with its token.
    expect(await agent.stop()).toBe(0);
    sim = new SimulatedAgent(collector.url, agentCredentials(stateDir).agentToken, os.hostname());
    seq = (await sim.connect())!.storedSeq;
    const real = first.inventory;
    const upgraded = real.software[0]!;
    good = {
      ...real,
      collectedAt: Date.now(),
      memory: { ...real.memory, totalBytes: real.memory.totalBytes + 8 * 1024 ** 3 },
      software: [{ ...upgraded, version: `${upgraded.version}+deb12u9` }, ...real.software.slice(1), { name: "zz-backup-agent", version: "7.1.2-1", arch: "amd64", publisher: "Backup Co", source: "dpkg" }],
      services: [...real.services.filter((s) => s.name !== "vigil-test.service"), { name: "vigil-test.service", state: "failed", startMode: "auto", description: "added for the test" }],
    };
    // Other records may share the batch; the inventory goes in as one record of it.
    const sent = await send([healthRecord(Date.now()), ...records(good)]);
    expect(sent.error).toBeUndefined();
    const stored = await inventory();
    expect(stored.body.inventory).toEqual(good);

    const found = await changes();
    const summary = found.map((c) => [c.category, c.change, c.item]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["memory", "changed", "total"],
        ["software", "upgraded", expect.stringContaining(upgraded.name)],
        ["software", "installed", "zz-backup-agent"],
        ["service", "added", "vigil-test.service"],
      ]),
    );
    expect(found).toHaveLength(4);
    for (const c of found) {
      expect(c.at).toBe(new Date(good.collectedAt).toISOString());
      expect(c.previousAt).toBe(first.collectedAt);
    }
  });

  it("refuses hostile inventory documents with a clear error naming the batch, and keeps the good snapshot", async () => {
    const before = await inventory();
    const wrongTypes = { ...good, software: [{ name: "x", version: 42, arch: "", publisher: "", source: "dpkg" }] };
    const notGzip = records(good, MAX_INVENTORY_PART_CHARS, { data: Buffer.from("this is not gzip").toString("base64"), size: 16 });
    const bombJson = Buffer.alloc(17 * 1024 * 1024, 0x20);
    const bomb: InventoryRecord = { ...records(good)[0]!, size: 16 * 1024 * 1024, data: gzipSync(bombJson).toString("base64") };
    const cases: Array<[string, AgentRecord[], RegExp]> = [
      ["wrong types", records(wrongTypes), /^records\.0: inventory document\.software\.0\.version: /],
      ["data that is not gzip", notGzip, /^records\.0: inventory data: not gzip/],
      ["a decompression bomb", [bomb], /^records\.0: inventory document: larger than 16777216 bytes uncompressed/],
      ["a part larger than allowed", [{ ...records(good)[0]!, data: "A".repeat(MAX_INVENTORY_PART_CHARS + 4) }], /^records\.0\.data: /],
      ["a lone middle part", [{ ...records(good)[0]!, part: 2, parts: 3 }], /^records\.0: inventory part 2 of 3 arrived without the parts before it/],
      ["a document that is not an object", records([1, 2, 3]), /^records\.0: inventory document: /],
      ["two inventory records in one batch", [...records(good), ...records(good)], /^records\.1: a batch may carry only one inventory record/],
    ];
    for (const [what, recs, message] of cases) {
      const r = await send(recs);
      expect(r.error, what).toMatch(message);
    }
    // The connection still works, the good snapshot is untouched and no change was recorded.
    expect((await send([healthRecord(Date.now())])).error).toBeUndefined();
    expect(sim.closed).toBeUndefined();
    const after = await inventory();
    expect(after.body).toEqual(before.body);
    expect(await changes()).toHaveLength(4);
  });

  it("reassembles a document too large for one frame from its parts, and refuses an interrupted set", async () => {
    const software = Array.from({ length: 30_000 }, (_, i) => ({ name: `pkg-${i}`, version: randomBytes(20).toString("hex"), arch: "amd64", publisher: "", source: "dpkg" as const }));
    const big = { ...good, collectedAt: Date.now(), software };
    const parts = records(big);
    expect(parts.length).toBeGreaterThan(1);
    // An interrupted set first: part 1, then a batch that is not part 2.
    const part1 = await sendNoWait(parts[0]!);
    const interrupt = await send([healthRecord(Date.now())]);
    expect(interrupt.error).toBeUndefined();
    expect(sim.received.find((m) => m.type === "error" && m.seq === part1)).toMatchObject({ code: "invalid_message", message: expect.stringMatching(/^records: inventory part 1 of \d+: batch \d+ arrived before part 2/) });
    expect((await inventory()).body.inventory.software).toEqual(good.software);

    // Then the whole set: nothing is acknowledged until the last part is stored.
    for (const p of parts.slice(0, -1)) await sendNoWait(p);
    expect(sim.acked).toBeLessThan(seq);
    const last = await send([parts[parts.length - 1]!]);
    expect(last.error).toBeUndefined();
    const stored = await inventory();
    expect(stored.body.parts).toBe(parts.length);
    expect(stored.body.inventory.software).toHaveLength(30_000);
    expect(stored.body.sizeBytes).toBeGreaterThan(MAX_INVENTORY_PART_CHARS);
  });

  /** Sends one batch without waiting for its ack (parts are acknowledged with the last one). */
  async function sendNoWait(record: AgentRecord): Promise<number> {
    const s = ++seq;
    sim.sendBatch(s, [record]);
    await new Promise((r) => setTimeout(r, 50));
    return s;
  }
});
