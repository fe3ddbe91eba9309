import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appendFile, mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentRecord, SpoolLossRecord } from "@vigil/protocol";
import { AgentRecord as AgentRecordSchema, SpoolLossRecord as SpoolLossSchema } from "@vigil/protocol";
import { encodeFrame } from "./frame.js";
import { Spool, SpoolError } from "./spool.js";
import type { SpoolOptions } from "./spool.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SPOOL_URL = pathToFileURL(fileURLToPath(new URL("./spool.ts", import.meta.url))).href;
const T0 = 1_700_000_000_000;

let dir: string;
const opened: Spool[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-spool-"));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openSpool(opts: Partial<SpoolOptions> = {}): Promise<Spool> {
  const spool = await Spool.open({ dir, fsync: false, ...opts });
  opened.push(spool);
  return spool;
}

function health(n: number, pad = 0): AgentRecord {
  return {
    kind: "health",
    ts: T0 + n,
    bootId: "boot-a",
    metrics: [{ name: "cpu.usage", labels: pad > 0 ? { pad: "x".repeat(pad) } : undefined, value: n }],
  };
}

function valueOf(records: AgentRecord[]): number | undefined {
  const r = records.find((x) => x.kind === "health");
  return r?.kind === "health" ? r.metrics[0]?.value : undefined;
}

function lossIn(records: AgentRecord[]): SpoolLossRecord | undefined {
  const r = records.find((x) => x.kind === "spool_loss");
  return r?.kind === "spool_loss" ? r : undefined;
}

function flip(buf: Buffer, at: number): void {
  buf.writeUInt8(buf.readUInt8(at) ^ 0x55, at);
}

async function segmentFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith(".seg")).sort();
}

async function expectSpoolError(p: Promise<unknown>, code: string): Promise<SpoolError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpoolError);
  expect((err as SpoolError).code).toBe(code);
  return err as SpoolError;
}

describe("append, readAfter, ack", () => {
  it("round-trips batches and acknowledges cumulatively", async () => {
    const spool = await openSpool();
    expect(await spool.append([health(1)])).toBe(1);
    expect(await spool.append([health(2), health(22)])).toBe(2);
    expect(await spool.append([health(3)])).toBe(3);

    const all = await spool.readAfter(0, 10);
    expect(all.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(all[1]?.records).toEqual([health(2), health(22)]);
    expect(all.every((b) => b.bytes === encodeFrame(b.seq, b.records).length)).toBe(true);
    expect((await spool.readAfter(1, 10)).map((b) => b.seq)).toEqual([2, 3]);
    expect((await spool.readAfter(0, 2)).map((b) => b.seq)).toEqual([1, 2]);
    expect(await spool.readAfter(3, 10)).toEqual([]);
    expect(await spool.readAfter(0, 0)).toEqual([]);

    await spool.ack(2);
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([3]);
    await spool.ack(1); // older than what is acknowledged: ignored
    expect(spool.stats()).toMatchObject({ ackedSeq: 2, lastSeq: 3, pendingBatches: 1, droppedBatches: 0 });
    expect(spool.stats().pendingBytes).toBe(all[2]?.bytes);
    await spool.ack(3);
    expect(await spool.readAfter(0, 10)).toEqual([]);
    expect(spool.stats()).toMatchObject({ pendingBatches: 0, pendingBytes: 0 });
  });

  it("keeps sequence numbers and unacknowledged batches across reopen", async () => {
    let spool = await openSpool();
    for (let i = 1; i <= 3; i++) await spool.append([health(i)]);
    await spool.ack(1);
    await spool.close();

    spool = await openSpool();
    expect(spool.stats()).toMatchObject({ lastSeq: 3, ackedSeq: 1, pendingBatches: 2 });
    expect(await spool.append([health(4)])).toBe(4);
    const batches = await spool.readAfter(0, 10);
    expect(batches.map((b) => b.seq)).toEqual([2, 3, 4]);
    expect(batches.map((b) => valueOf(b.records))).toEqual([2, 3, 4]);
  });

  it("continues the sequence after everything was acknowledged, even with no segment left", async () => {
    let spool = await openSpool({ maxBytes: 4000, segmentBytes: 400 });
    for (let i = 1; i <= 10; i++) await spool.append([health(i, 100)]);
    await spool.ack(10);
    await spool.close();

    spool = await openSpool();
    expect(spool.stats()).toMatchObject({ lastSeq: 10, ackedSeq: 10, pendingBatches: 0 });
    expect(await spool.append([health(11)])).toBe(11);
    await spool.ack(11);
    await spool.close();
    expect(await segmentFiles()).toHaveLength(1); // the newest is kept while open; reopening clears it

    spool = await openSpool();
    expect(await segmentFiles()).toEqual([]); // only the meta remembers seq 11 now
    expect(await spool.append([health(12)])).toBe(12);
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([12]);
  });

  it("deletes segments once every batch in them is acknowledged", async () => {
    const spool = await openSpool({ maxBytes: 1 << 20, segmentBytes: 400 });
    for (let i = 1; i <= 12; i++) await spool.append([health(i, 100)]);
    const before = await segmentFiles();
    expect(before.length).toBeGreaterThan(3);
    await spool.ack(12);
    expect(await segmentFiles()).toEqual([before[before.length - 1]]);
    expect(spool.stats().droppedBatches).toBe(0);
  });

  it("skipTo jumps the sequence past what the collector already stored", async () => {
    let spool = await openSpool();
    await spool.append([health(1)]);
    await spool.append([health(2)]);
    await spool.skipTo(100);
    expect(spool.stats()).toMatchObject({ lastSeq: 100, ackedSeq: 100, pendingBatches: 0 });
    expect(await spool.readAfter(0, 10)).toEqual([]);
    expect(await spool.append([health(3)])).toBe(101);
    await spool.skipTo(50); // behind: ignored
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([101]);
    await spool.close();

    spool = await openSpool();
    expect(await spool.append([health(4)])).toBe(102);
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([101, 102]);
    expect(spool.stats().droppedBatches).toBe(0);
  });

  it("hands out unique, contiguous seqs to concurrent appends", async () => {
    const spool = await openSpool({ segmentBytes: 2000 });
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => spool.append([health(i + 1)])));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const batches = await spool.readAfter(0, 100);
    expect(batches.map((b) => b.seq)).toEqual(seqs.slice().sort((a, b) => a - b));
    // Each promise got the seq its own records were stored under.
    for (let i = 0; i < 50; i++) expect(valueOf(batches[(seqs[i] as number) - 1]?.records ?? [])).toBe(i + 1);
  });

  it("refuses batches it could never deliver, and calls after close", async () => {
    const spool = await openSpool();
    await expectSpoolError(spool.append([]), "invalid");
    await expectSpoolError(spool.append([health(1, 300_000), health(2, 300_000), health(3, 300_000), health(4, 300_000)]), "too_large");
    expect(spool.stats().lastSeq).toBe(0);
    await spool.close();
    await expectSpoolError(spool.append([health(1)]), "closed");
  });
});

describe("bound", () => {
  it("drops the oldest segments, counts them and reports the loss in the next batch", async () => {
    const spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while (spool.stats().droppedBatches === 0) {
      n++;
      await spool.append([health(n, 200)]);
      expect(n).toBeLessThan(100);
    }
    const stats = spool.stats();
    const dropped = stats.droppedBatches;
    expect(stats.droppedBytes).toBeGreaterThan(0);
    const remaining = await spool.readAfter(0, 1000);
    expect(remaining[0]?.seq).toBe(dropped + 1);
    expect(remaining.map((b) => b.seq)).toEqual(Array.from({ length: n - dropped }, (_, i) => dropped + 1 + i));
    expect(remaining.some((b) => lossIn(b.records))).toBe(false);
    expect((await readdir(dir)).filter((f) => f.endsWith(".seg")).length).toBeGreaterThan(0);
    let disk = 0;
    for (const f of await segmentFiles()) disk += (await stat(join(dir, f))).size;
    expect(disk).toBeLessThanOrEqual(4000);

    const seq = await spool.append([health(n + 1, 200)]);
    const [batch] = await spool.readAfter(seq - 1, 1);
    const loss = lossIn(batch?.records ?? []);
    expect(loss).toEqual({
      kind: "spool_loss",
      ts: expect.any(Number),
      bootId: "boot-a",
      droppedBatches: dropped,
      droppedBytes: stats.droppedBytes,
      firstDroppedSeq: 1,
      lastDroppedSeq: dropped,
      oldestTs: T0 + 1,
      newestTs: T0 + dropped,
    });
    expect(SpoolLossSchema.safeParse(loss).success).toBe(true);
    expect(valueOf(batch?.records ?? [])).toBe(n + 1);

    // Reported once. The bigger batch may itself have overflowed the spool again, and that loss comes next,
    // but it cannot include the seqs already reported.
    await spool.ack(seq);
    const next = await spool.append([health(n + 2)]);
    expect(lossIn((await spool.readAfter(next - 1, 1))[0]?.records ?? [])?.firstDroppedSeq ?? Infinity).toBeGreaterThan(dropped);
    await spool.ack(next); // nothing left to overflow: no more loss to report
    const last = await spool.append([health(n + 3)]);
    expect(lossIn((await spool.readAfter(last - 1, 1))[0]?.records ?? [])).toBeUndefined();
  });

  it("counts only unacknowledged batches as lost", async () => {
    const spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while ((await segmentFiles()).length < 2) await spool.append([health(++n, 150)]);
    const [first, second] = await segmentFiles();
    const inFirst = Number(second?.slice(0, 20)) - 1;
    expect(inFirst).toBeGreaterThanOrEqual(2);
    await spool.ack(1); // batch 1 stored by the collector; its segment still holds the others
    while (spool.stats().droppedBatches === 0) await spool.append([health(++n, 150)]);
    expect(await segmentFiles()).not.toContain(first);
    expect(spool.stats().droppedBatches).toBe(inFirst - 1);
    const seq = await spool.append([health(n + 1)]);
    const loss = lossIn((await spool.readAfter(seq - 1, 1))[0]?.records ?? []);
    expect(loss).toMatchObject({ droppedBatches: inFirst - 1, firstDroppedSeq: 2, lastDroppedSeq: inFirst });
  });

  it("keeps unreported loss across a reopen", async () => {
    let spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while (spool.stats().droppedBatches === 0) await spool.append([health(++n, 200)]);
    const dropped = spool.stats().droppedBatches;
    await spool.close();

    spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    expect(spool.stats()).toMatchObject({ droppedBatches: dropped, lastSeq: n });
    const seq = await spool.append([health(++n, 10)]);
    expect(seq).toBe(n);
    const loss = lossIn((await spool.readAfter(seq - 1, 1))[0]?.records ?? []);
    expect(loss).toMatchObject({ droppedBatches: dropped, firstDroppedSeq: 1, lastDroppedSeq: dropped });
  });

  it("carries a dropped loss report forward into the next one", async () => {
    const spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while (spool.stats().droppedBatches === 0) await spool.append([health(++n, 200)]);
    const reportSeq = await spool.append([health(++n, 200)]); // carries the first loss report
    // Overflow until the batch with the report is dropped too, unsent.
    while ((await spool.readAfter(0, 1))[0]!.seq <= reportSeq) await spool.append([health(++n, 200)]);
    const remaining = await spool.readAfter(0, 1000);
    const reported = remaining.reduce((sum, b) => sum + (lossIn(b.records)?.droppedBatches ?? 0), 0);
    const dropped = spool.stats().droppedBatches;

    const seq = await spool.append([health(n + 1, 10)]);
    const loss = lossIn((await spool.readAfter(seq - 1, 1))[0]?.records ?? []);
    // The first report went down with its batch, so the new one covers it too ...
    expect(loss).toMatchObject({ firstDroppedSeq: 1, oldestTs: T0 + 1, lastDroppedSeq: remaining[0]!.seq - 1 });
    // ... and every dropped batch is accounted for by exactly one report still on its way.
    expect(reported + (loss?.droppedBatches ?? 0)).toBe(dropped);
  });

  it("does not report a loss again when a crash came between its batch and the meta write", async () => {
    let spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while (spool.stats().droppedBatches === 0) await spool.append([health(++n, 200)]);
    await spool.close();
    const metaBefore = await readFile(join(dir, "spool.json"));

    spool = await openSpool({ maxBytes: 1 << 20 });
    const carrier = await spool.append([health(++n)]);
    await spool.close();
    await writeFile(join(dir, "spool.json"), metaBefore); // as if killed right after the frame was written

    spool = await openSpool({ maxBytes: 1 << 20 });
    const seq = await spool.append([health(n + 1)]);
    const batches = await spool.readAfter(0, 1000);
    expect(batches.filter((b) => lossIn(b.records)).map((b) => b.seq)).toEqual([carrier]);
    expect(seq).toBe(carrier + 1);
  });

  it("keeps a single batch larger than the whole bound", async () => {
    const spool = await openSpool({ maxBytes: 1000 });
    await spool.append([health(1, 10)]);
    const seq = await spool.append([health(2, 3000)]);
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([seq]);
    expect(spool.stats().droppedBatches).toBe(1);
  });

  it("puts the loss report in a batch of its own when the caller's batch is full", async () => {
    const spool = await openSpool({ maxBytes: 4000, segmentBytes: 1000 });
    let n = 0;
    while (spool.stats().droppedBatches === 0) await spool.append([health(++n, 200)]);
    const full = Array.from({ length: 2000 }, (_, i) => health(1000 + i));
    const seq = await spool.append(full);
    const [lossBatch, batch] = await spool.readAfter(seq - 2, 2);
    expect(lossBatch?.seq).toBe(seq - 1);
    expect(lossBatch?.records).toHaveLength(1);
    expect(lossIn(lossBatch?.records ?? [])).toBeDefined();
    expect(batch?.records).toEqual(full);
  });
});

describe("recovery", () => {
  async function fiveBatches(): Promise<string> {
    const spool = await openSpool();
    for (let i = 1; i <= 5; i++) await spool.append([health(i, 50)]);
    await spool.close();
    const segs = await segmentFiles();
    expect(segs).toHaveLength(1);
    return join(dir, segs[0] as string);
  }

  async function expectIntact(spool: Spool, seqs: number[]): Promise<void> {
    const batches = await spool.readAfter(0, 100);
    expect(batches.map((b) => b.seq)).toEqual(seqs);
    expect(batches.map((b) => valueOf(b.records))).toEqual(seqs);
  }

  it.each([
    ["random garbage", Buffer.from("\x07\x00garbage\xff\xfe not a frame")],
    ["a partial frame", encodeFrame(6, [health(6, 50)]).subarray(0, 40)],
    ["a partial header", Buffer.from([0x30, 0x01, 0x00])],
    ["a frame with a bad checksum", (() => {
      const f = encodeFrame(6, [health(6, 50)]);
      flip(f, f.length - 3);
      return f;
    })()],
  ])("cuts a torn tail (%s) and carries on", async (_what, tail) => {
    const path = await fiveBatches();
    const size = (await stat(path)).size;
    await appendFile(path, tail);

    let spool = await openSpool();
    expect((await stat(path)).size).toBe(size);
    await expectIntact(spool, [1, 2, 3, 4, 5]);
    expect(spool.stats()).toMatchObject({ lastSeq: 5, droppedBatches: 0 });
    expect(await spool.append([health(6)])).toBe(6);
    await spool.close();

    spool = await openSpool();
    await expectIntact(spool, [1, 2, 3, 4, 5, 6]);
    expect(spool.stats().droppedBatches).toBe(0);
  });

  it("skips a damaged frame in the middle, reports it as lost once", async () => {
    const path = await fiveBatches();
    const buf = await readFile(path);
    const frameBytes = encodeFrame(1, [health(1, 50)]).length;
    const third = buf.indexOf('{"seq":3', 0, "utf8");
    expect(third).toBeGreaterThan(0);
    flip(buf, third + 30);
    await writeFile(path, buf);

    let spool = await openSpool();
    await expectIntact(spool, [1, 2, 4, 5]);
    expect(spool.stats()).toMatchObject({ lastSeq: 5, droppedBatches: 1, droppedBytes: frameBytes });
    await spool.close();

    spool = await openSpool();
    expect(spool.stats().droppedBatches).toBe(1); // the same hole is not counted again
    const seq = await spool.append([health(6)]);
    const loss = lossIn((await spool.readAfter(5, 1))[0]?.records ?? []);
    expect(seq).toBe(6);
    expect(loss).toMatchObject({ droppedBatches: 1, firstDroppedSeq: 3, lastDroppedSeq: 3, droppedBytes: frameBytes });
  });

  it("reports batches of a segment that vanished", async () => {
    let spool = await openSpool({ maxBytes: 1 << 20, segmentBytes: 400 });
    for (let i = 1; i <= 12; i++) await spool.append([health(i, 100)]);
    await spool.close();
    const segs = await segmentFiles();
    const victim = segs[1] as string;
    const next = segs[2] as string;
    await unlink(join(dir, victim));

    spool = await openSpool({ maxBytes: 1 << 20, segmentBytes: 400 });
    const first = Number(victim.slice(0, 20));
    const last = Number(next.slice(0, 20)) - 1;
    expect(spool.stats().droppedBatches).toBe(last - first + 1);
    const seq = await spool.append([health(13)]);
    const loss = lossIn((await spool.readAfter(seq - 1, 1))[0]?.records ?? []);
    expect(loss).toMatchObject({ firstDroppedSeq: first, lastDroppedSeq: last, droppedBatches: last - first + 1 });
  });

  it("notices a frame damaged while open, reports it and still returns the rest", async () => {
    const spool = await openSpool();
    for (let i = 1; i <= 5; i++) await spool.append([health(i, 50)]);
    const path = join(dir, (await segmentFiles())[0] as string);
    const buf = await readFile(path);
    flip(buf, buf.indexOf('{"seq":2', 0, "utf8") + 20);
    await writeFile(path, buf);

    await expectIntact(spool, [1, 3, 4, 5]);
    expect(spool.stats()).toMatchObject({ droppedBatches: 1, pendingBatches: 4 });
    const seq = await spool.append([health(6)]);
    expect(lossIn((await spool.readAfter(seq - 1, 1))[0]?.records ?? [])).toMatchObject({ firstDroppedSeq: 2, lastDroppedSeq: 2 });
  });

  it("refuses a damaged meta file with a clear, non-retryable error", async () => {
    let spool = await openSpool();
    await spool.append([health(1)]);
    await spool.close();
    await writeFile(join(dir, "spool.json"), '{"version":1,"ackedSeq":');

    const err = await expectSpoolError(Spool.open({ dir, fsync: false }), "corrupt_meta");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("spool.json");

    await unlink(join(dir, "spool.json")); // what the operator is told to do
    spool = await openSpool();
    expect((await spool.readAfter(0, 10)).map((b) => b.seq)).toEqual([1]);
    expect(spool.stats().droppedBatches).toBe(0);
  });
});

describe("durability under SIGKILL", () => {
  interface CrashConfig {
    maxBytes: number;
    segmentBytes: number;
    /** Acknowledge up to this many seqs behind the newest, every few appends; 0 never acknowledges. */
    ackLag: number;
  }

  function expectedRecord(seq: number): AgentRecord {
    return {
      kind: "health",
      ts: T0 + seq,
      bootId: "b",
      metrics: [{ name: "n", labels: { s: `v${seq}${"-".repeat(seq % 97)}` }, value: seq }],
    };
  }

  // Runs a writer in a child process, kills it at a random point, and repeats: each round recovers what
  // the previous one left. Returns every seq whose append() had resolved, and the highest acknowledged.
  async function crashRounds(spoolDir: string, config: CrashConfig, rounds: number): Promise<{ printed: number[]; acked: number }> {
    const script = join(dir, "writer.mjs");
    await writeFile(
      script,
      `import { Spool } from ${JSON.stringify(SPOOL_URL)};
const [dir, maxBytes, segmentBytes, ackLag] = [process.argv[2], ...process.argv.slice(3).map(Number)];
const spool = await Spool.open({ dir, maxBytes, segmentBytes });
for (let i = 0; ; i++) {
  const next = spool.stats().lastSeq + 1;
  const seq = await spool.append([{ kind: "health", ts: ${T0} + next, bootId: "b", metrics: [{ name: "n", labels: { s: "v" + next + "-".repeat(next % 97) }, value: next }] }]);
  process.stdout.write("seq " + seq + "\\n");
  if (ackLag > 0 && i % 7 === 6) { const a = Math.max(seq - ackLag, 0); await spool.ack(a); process.stdout.write("ack " + a + "\\n"); }
}
`,
    );
    const printed: number[] = [];
    let acked = 0;
    for (let round = 0; round < rounds; round++) {
      const killAfter = 5 + Math.floor(Math.random() * 150);
      const args = [String(config.maxBytes), String(config.segmentBytes), String(config.ackLag)];
      const child = spawn(process.execPath, ["--import", "tsx", script, spoolDir, ...args], {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      let pending = "";
      let lines = 0;
      const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
      child.stdout.on("data", (d: Buffer) => {
        pending += d.toString();
        const parts = pending.split("\n");
        pending = parts.pop() ?? "";
        for (const line of parts) {
          const [what, n] = line.split(" ");
          if (what === "seq") printed.push(Number(n));
          if (what === "ack") acked = Math.max(acked, Number(n));
          if (++lines === killAfter) child.kill("SIGKILL");
        }
      });
      await exited;
      expect(child.signalCode, stderr).toBe("SIGKILL");
    }
    expect(printed.length).toBeGreaterThan(rounds * 4);
    // The sequence survived every kill: it only ever went up (a batch stored just before a kill may not
    // have been printed, so printed seqs can skip one).
    for (let i = 1; i < printed.length; i++) expect(printed[i]).toBeGreaterThan(printed[i - 1] as number);
    return { printed, acked };
  }

  it("never loses or duplicates a batch whose append resolved", async () => {
    const spoolDir = join(dir, "spool");
    const config = { maxBytes: 1 << 30, segmentBytes: 8192, ackLag: 20 };
    const { printed, acked } = await crashRounds(spoolDir, config, 6);

    const spool = await openSpool({ dir: spoolDir, ...config });
    const stats = spool.stats();
    const batches = await spool.readAfter(0, 100_000);
    expect(stats.droppedBatches).toBe(0);
    expect(stats.ackedSeq).toBeGreaterThanOrEqual(acked);
    expect(stats.lastSeq).toBeGreaterThanOrEqual(Math.max(...printed));
    // Contiguous from the acknowledgement mark to the last seq, no duplicates ...
    const seqs = batches.map((b) => b.seq);
    expect(seqs).toEqual(Array.from({ length: stats.lastSeq - stats.ackedSeq }, (_, i) => stats.ackedSeq + 1 + i));
    // ... every printed seq not acknowledged is there, and every batch's content is intact.
    const present = new Set(seqs);
    for (const seq of printed.filter((s) => s > stats.ackedSeq)) expect(present.has(seq)).toBe(true);
    for (const b of batches) {
      expect(b.records).toEqual([expectedRecord(b.seq)]);
      expect(AgentRecordSchema.safeParse(b.records[0]).success).toBe(true);
    }
  });

  it("accounts for every dropped batch exactly once when kills land during overflow", async () => {
    const spoolDir = join(dir, "spool");
    const config = { maxBytes: 20_000, segmentBytes: 2000, ackLag: 0 };
    const { printed } = await crashRounds(spoolDir, config, 6);

    let spool = await openSpool({ dir: spoolDir, ...config });
    const stats = spool.stats();
    const batches = await spool.readAfter(0, 100_000);
    const seqs = batches.map((b) => b.seq);
    const first = seqs[0] as number;
    expect(stats.droppedBatches).toBeGreaterThan(0);
    // Nothing acknowledged: everything before the oldest batch was dropped, and counted once.
    expect(stats.droppedBatches).toBe(first - 1);
    expect(seqs).toEqual(Array.from({ length: stats.lastSeq - first + 1 }, (_, i) => first + i));
    for (const seq of printed.filter((s) => s >= first)) expect(seqs).toContain(seq);
    for (const b of batches) expect(b.records.filter((r) => r.kind === "health")).toEqual([expectedRecord(b.seq)]);
    await spool.close();

    // Flush the unreported loss out (with room to spare, so nothing more is dropped): the reports in the
    // spool then add up to exactly what was dropped, none missing, none counted twice.
    spool = await openSpool({ dir: spoolDir, maxBytes: 1 << 30 });
    await spool.append([health(0)]);
    const reported = (await spool.readAfter(0, 100_000)).reduce((sum, b) => sum + (lossIn(b.records)?.droppedBatches ?? 0), 0);
    expect(reported).toBe(stats.droppedBatches);
  });
});

describe("single writer", () => {
  async function holdInChild(spoolDir: string): Promise<ChildProcess> {
    const script = join(dir, "holder.mjs");
    await writeFile(
      script,
      `import { Spool } from ${JSON.stringify(SPOOL_URL)};
await Spool.open({ dir: process.argv[2], fsync: false });
process.stdout.write("ready\\n");
setInterval(() => {}, 1 << 30);
`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", script, spoolDir], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      child.on("exit", (code) => reject(new Error(`holder exited with ${code}: ${stderr}`)));
    });
    return child;
  }

  it("refuses a second process while the first holds the spool, then takes over once it is dead", async () => {
    const spoolDir = join(dir, "spool");
    const child = await holdInChild(spoolDir);

    const err = await expectSpoolError(Spool.open({ dir: spoolDir, fsync: false }), "locked");
    expect(err.message).toContain(String(child.pid));

    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
    const spool = await openSpool({ dir: spoolDir });
    expect(await spool.append([health(1)])).toBe(1);
    const lock = JSON.parse(await readFile(join(spoolDir, "spool.lock"), "utf8")) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it("refuses a second open in the same process and allows it after close", async () => {
    const spool = await openSpool();
    await expectSpoolError(Spool.open({ dir, fsync: false }), "locked");
    await spool.close();
    await expect(stat(join(dir, "spool.lock"))).rejects.toThrow();
    const again = await openSpool();
    expect(again.stats().lastSeq).toBe(0);
  });

  it("takes over a lock left by a process that is gone, or by an earlier boot", async () => {
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise<void>((resolve) => gone.on("exit", () => resolve()));
    await writeFile(join(dir, "spool.lock"), JSON.stringify({ pid: gone.pid }));
    let spool = await openSpool();
    await spool.close();

    if (process.platform === "linux") {
      // A live pid, but recorded in another boot: stale.
      await writeFile(join(dir, "spool.lock"), JSON.stringify({ pid: process.ppid, bootId: "some-earlier-boot" }));
      spool = await openSpool();
      await spool.close();
    }

    await writeFile(join(dir, "spool.lock"), ""); // unreadable: never written by a live holder
    spool = await openSpool();
    expect(spool.stats().lastSeq).toBe(0);
  });
});
