import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeInventoryDocument, InventoryRecord, MAX_INVENTORY_PART_CHARS, type AgentRecord, type InventoryDocument } from "@vigil/protocol";
import cron from "node-cron";
import pino from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { collectInventory, type CollectedInventory } from "../probes/inventory.js";
import { inventoryHash } from "./hash.js";
import { InventoryReporter } from "./reporter.js";
import { inventoryCron } from "./schedule.js";

const logger = pino({ level: "silent" });

describe("InventoryReporter", () => {
  let real: CollectedInventory;
  let dir: string;
  let spooled: AgentRecord[][];
  let nextSeq: number;
  let current: InventoryDocument;
  const reporters: InventoryReporter[] = [];

  beforeAll(async () => {
    // The real inventory of this machine is the starting point; tests change copies of it.
    real = await collectInventory({ agentVersion: "0.1.0" });
  }, 120_000);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-inventory-"));
    spooled = [];
    nextSeq = 100;
    current = real.document;
  });

  afterEach(() => {
    for (const r of reporters.splice(0)) r.stop();
    rmSync(dir, { recursive: true, force: true });
  });


  function reporter(agentId = "agent-1"): InventoryReporter {
    const r = new InventoryReporter({
      stateDir: dir,
      agentId,
      bootId: "boot-1",
      agentVersion: "0.1.0",
      logger,
      intervalHours: () => 6,
      startDelayMs: 60_000,
      collect: async () => ({ document: { ...current, collectedAt: Date.now() }, stats: real.stats }),
      append: async (batches) => {
        spooled.push(...batches);
        return batches.map(() => nextSeq++);
      },
    });
    reporters.push(r);
    return r;
  }

  const sentDocuments = () =>
    spooled.map((b) => {
      const d = decodeInventoryDocument(b.map((r) => InventoryRecord.parse(r)));
      if (!d.ok) throw new Error(d.message);
      return d.document;
    });

  it("waits for the collector's welcome, then sends the first collection", async () => {
    const r = reporter();
    const run = r.runNow("test");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spooled).toHaveLength(0);
    r.onWelcome(["health", "check", "spool_loss", "inventory"]);
    expect(await run).toBe("sent");
    expect(spooled).toHaveLength(1);
    const [doc] = sentDocuments();
    expect(doc!.software).toEqual(real.document.software);
    const record = spooled[0]![0] as InventoryRecord;
    expect(record).toMatchObject({ kind: "inventory", bootId: "boot-1", hash: inventoryHash(real.document), part: 1, parts: 1, encoding: "gzip+base64" });
    const state = JSON.parse(readFileSync(path.join(dir, "inventory.json"), "utf8"));
    expect(state).toMatchObject({ agentId: "agent-1", sentHash: record.hash, sentSeqs: [100, 100], lastRun: { outcome: "sent", parts: 1 } });
    expect(state.lastRun.rawBytes).toBeGreaterThan(state.lastRun.gzipBytes);
  });

  it("sends nothing while nothing changed, across restarts too, and sends again after a change", async () => {
    const r = reporter();
    r.onWelcome(["inventory"]);
    expect(await r.runNow("test")).toBe("sent");
    // Who is logged in and when it was collected change all the time; they alone are no reason to send.
    current = { ...real.document, users: [{ user: "alice", terminal: "pts/3", host: "10.0.0.9", loginAt: Date.now() }] };
    expect(await r.runNow("test")).toBe("unchanged");
    r.stop();

    const restarted = reporter();
    restarted.onWelcome(["inventory"]);
    expect(await restarted.runNow("test")).toBe("unchanged");
    // A package upgrade is a change.
    current = { ...real.document, software: real.document.software.map((s, i) => (i === 0 ? { ...s, version: `${s.version}+security1` } : s)) };
    expect(await restarted.runNow("test")).toBe("sent");
    expect(spooled).toHaveLength(2);
    expect(sentDocuments()[1]!.software[0]!.version).toMatch(/\+security1$/);
  });

  it("does not collect for a collector that does not accept inventory, and catches up when one does", async () => {
    const r = reporter();
    r.onWelcome(["health", "check", "spool_loss"]);
    expect(await r.runNow("test")).toBe("not_accepted");
    expect(spooled).toHaveLength(0);
    r.onWelcome(["health", "check", "spool_loss", "inventory"]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await r.runNow("test");
    expect(spooled).toHaveLength(1);
  });

  it("sends a refused document again with the next collection", async () => {
    const r = reporter();
    r.onWelcome(["inventory"]);
    await r.runNow("test");
    r.onRefused(99); // another batch: nothing to do
    expect(await r.runNow("test")).toBe("unchanged");
    r.onRefused(100);
    expect(await r.runNow("test")).toBe("sent");
  });

  it("sends again when the agent was enrolled anew (another agent id)", async () => {
    const r = reporter("agent-1");
    r.onWelcome(["inventory"]);
    await r.runNow("test");
    r.stop();
    const other = reporter("agent-2");
    other.onWelcome(["inventory"]);
    expect(await other.runNow("test")).toBe("sent");
  });

  it("splits a document too large for one frame into parts with consecutive sequence numbers", async () => {
    const software = Array.from({ length: 40_000 }, (_, i) => ({ name: `pkg-${i}`, version: randomBytes(24).toString("hex"), arch: "amd64", publisher: "", source: "dpkg" as const }));
    current = { ...real.document, software };
    const r = reporter();
    r.onWelcome(["inventory"]);
    expect(await r.runNow("test")).toBe("sent");
    expect(spooled.length).toBeGreaterThan(1);
    const parts = spooled.map((b) => b[0] as InventoryRecord);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => i + 1));
    for (const p of parts) expect(p.data.length).toBeLessThanOrEqual(MAX_INVENTORY_PART_CHARS);
    const decoded = decodeInventoryDocument(parts);
    expect(decoded.ok && decoded.document.software.length).toBe(40_000);
    expect(r.status().sentSeqs).toEqual([100, 100 + parts.length - 1]);
  });

  it("stops without spooling what a collection still in progress finds", async () => {
    let release!: () => void;
    const r = new InventoryReporter({
      stateDir: dir,
      agentId: "a",
      bootId: "b",
      agentVersion: "0.1.0",
      logger,
      intervalHours: () => 6,
      startDelayMs: 60_000,
      collect: () => new Promise((resolve) => (release = () => resolve(real))),
      append: async (batches) => {
        spooled.push(...batches);
        return batches.map(() => nextSeq++);
      },
    });
    r.onWelcome(["inventory"]);
    const run = r.runNow("test");
    await new Promise((resolve) => setTimeout(resolve, 10));
    r.stop();
    release();
    expect(await run).toBeNull();
    expect(spooled).toHaveLength(0);
  });
});

describe("inventoryCron", () => {
  it("runs every N hours at a minute and hour offset that depend on the agent id", () => {
    const expr = inventoryCron("agent-1", 6);
    expect(cron.validate(expr)).toBe(true);
    const m = /^(\d+) ([\d,]+) \* \* \*$/.exec(expr)!;
    const hours = m[2]!.split(",").map(Number);
    expect(hours).toHaveLength(4);
    expect(hours.every((h, i) => i === 0 || h - hours[i - 1]! === 6)).toBe(true);
    expect(hours[0]).toBeLessThan(6);
    expect(inventoryCron("agent-1", 6)).toBe(expr);
    // A fleet spreads over the interval instead of collecting all at once.
    const starts = new Set(Array.from({ length: 200 }, (_, i) => {
      const [minute, list] = inventoryCron(`agent-${i}`, 6).split(" ");
      return Number(list!.split(",")[0]) * 60 + Number(minute);
    }));
    // 200 agents over 360 slots: about 150 distinct start times when the spread is uniform.
    expect(starts.size).toBeGreaterThan(120);
  });

  it("accepts 1 to 24 hours", () => {
    expect(inventoryCron("a", 24)).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(inventoryCron("a", 1).split(" ")[1]!.split(",")).toHaveLength(24);
    expect(() => inventoryCron("a", 0)).toThrow(RangeError);
    expect(() => inventoryCron("a", 25)).toThrow(RangeError);
  });

  it("schedules with node-cron and reports the next run", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vigil-inventory-"));
    const r = new InventoryReporter({ stateDir: dir, agentId: "x", bootId: "b", agentVersion: "1", logger, intervalHours: () => 6, startDelayMs: 60_000, append: async () => [] });
    r.start();
    const next = (r as unknown as { schedule: { nextRun(): Date | null } }).schedule.nextRun();
    expect(next).toBeInstanceOf(Date);
    expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    r.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
