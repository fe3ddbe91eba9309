import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { splitInventoryData, type AgentRecord, type Batch, type InventoryRecord } from "@vigil/protocol";
import { describe, expect, it } from "vitest";
import { InventoryIntake } from "./intake.js";
import { inventoryRecord, ubuntuServer } from "./testing.js";

const batch = (seq: number, records: AgentRecord[]): Batch => ({ type: "batch", v: 1, seq, sentAt: Date.now(), records });
const health = (): AgentRecord => ({ kind: "health", ts: Date.now(), bootId: "b", metrics: [] });

/** A document too big for one part, split into parts of `partChars`. */
function parts(partChars = 200_000): InventoryRecord[] {
  const software = Array.from({ length: 20_000 }, (_, i) => ({ name: `pkg${i}`, version: randomBytes(16).toString("hex"), arch: "amd64", publisher: "", source: "dpkg" as const }));
  const doc = ubuntuServer({ software });
  const one = inventoryRecord(doc);
  const data = splitInventoryData(gzipSync(JSON.stringify(doc)).toString("base64"), partChars);
  return data.map((d, i) => ({ ...one, part: i + 1, parts: data.length, data: d }));
}

describe("InventoryIntake", () => {
  it("passes batches without inventory through", () => {
    expect(new InventoryIntake().offer(batch(1, [health()]))).toEqual({ refused: [], outcome: { kind: "none" } });
  });

  it("decodes a one-part document at once", () => {
    const doc = ubuntuServer();
    const r = new InventoryIntake().offer(batch(5, [health(), inventoryRecord(doc)]));
    expect(r.refused).toEqual([]);
    expect(r.outcome.kind).toBe("complete");
    if (r.outcome.kind === "complete") {
      expect(r.outcome.held).toEqual([]);
      expect(r.outcome.received.document).toEqual(doc);
    }
  });

  it("holds parts until the last one, then hands over the whole set", () => {
    const p = parts();
    expect(p.length).toBeGreaterThan(2);
    const intake = new InventoryIntake();
    for (let i = 0; i < p.length - 1; i++) expect(intake.offer(batch(10 + i, [p[i]!])).outcome.kind).toBe("held");
    expect(intake.held).toEqual(p.slice(0, -1).map((_, i) => 10 + i));
    const last = intake.offer(batch(10 + p.length - 1, [p[p.length - 1]!]));
    expect(last.outcome.kind).toBe("complete");
    if (last.outcome.kind === "complete") {
      expect(last.outcome.held.map((b) => b.seq)).toEqual(p.slice(0, -1).map((_, i) => 10 + i));
      expect(last.outcome.received.document.software).toHaveLength(20_000);
    }
    expect(intake.held).toEqual([]);
  });

  it("refuses an interrupted set, each held batch with its seq, and carries on", () => {
    const p = parts();
    const intake = new InventoryIntake();
    intake.offer(batch(20, [p[0]!]));
    intake.offer(batch(21, [p[1]!]));
    const r = intake.offer(batch(22, [health()]));
    expect(r.outcome).toEqual({ kind: "none" });
    expect(r.refused.map((x) => x.seq)).toEqual([20, 21]);
    expect(r.refused[0]!.message).toMatch(/^records: inventory part 1 of \d+: batch 22 arrived before part 3; the incomplete document was not stored$/);
    expect(intake.held).toEqual([]);
  });

  it("refuses a part that comes without the parts before it", () => {
    const p = parts();
    const r = new InventoryIntake().offer(batch(30, [health(), p[1]!]));
    expect(r.outcome).toEqual({ kind: "invalid", message: expect.stringMatching(/^records\.1: inventory part 2 of \d+ arrived without the parts before it/) });
  });

  it("refuses a batch with two inventory records", () => {
    const doc = inventoryRecord(ubuntuServer());
    expect(new InventoryIntake().offer(batch(31, [doc, doc])).outcome).toEqual({ kind: "invalid", message: "records.1: a batch may carry only one inventory record" });
  });

  it("refuses a complete set whose document is invalid, the held parts too", () => {
    const p = parts();
    const broken = [...p];
    // Still base64, but the deflate stream no longer adds up.
    broken[1] = { ...broken[1]!, data: "A".repeat(broken[1]!.data.length) };
    const intake = new InventoryIntake();
    const results = broken.map((part, i) => intake.offer(batch(40 + i, [part])));
    const r = results[results.length - 1]!;
    expect(r.outcome).toEqual({ kind: "invalid", message: expect.stringMatching(/^records\.0: inventory data: not gzip/) });
    expect(r.refused.map((x) => x.seq)).toEqual(broken.slice(0, -1).map((_, i) => 40 + i));
  });

  it("names the offending field of an invalid document", () => {
    const doc = ubuntuServer();
    const bad = JSON.stringify({ ...doc, memory: { totalBytes: "lots", modules: [] } });
    const rec: InventoryRecord = { ...inventoryRecord(doc), size: Buffer.byteLength(bad), data: gzipSync(bad).toString("base64") };
    expect(new InventoryIntake().offer(batch(50, [rec])).outcome).toEqual({ kind: "invalid", message: expect.stringMatching(/^records\.0: inventory document\.memory\.totalBytes: /) });
  });
});
