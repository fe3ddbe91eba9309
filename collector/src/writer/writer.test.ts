import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type Store } from "../store/clickhouse.js";
import { StoreError } from "../store/errors.js";
import { migrate } from "../store/migrate.js";
import { BatchWriter } from "./writer.js";

const logger = pino({ level: "silent" });

/** The real store, with failures and slowness injected into inserts for one table. */
class FaultyStore implements Store {
  failures = 0;
  delayMs = 0;
  insertCalls: string[] = [];
  constructor(
    private readonly inner: Store,
    private readonly failingTable = "metrics_raw",
  ) {}
  get kind() {
    return this.inner.kind;
  }
  get database() {
    return this.inner.database;
  }
  query<T>(sql: string, params?: Record<string, unknown>) {
    return this.inner.query<T>(sql, params);
  }
  command(sql: string, params?: Record<string, unknown>) {
    return this.inner.command(sql, params);
  }
  async insert(table: string, rows: readonly object[]) {
    this.insertCalls.push(table);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (table === this.failingTable && this.failures > 0) {
      this.failures--;
      throw new StoreError("injected: connection reset", true);
    }
    return this.inner.insert(table, rows);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

// Recent timestamps: rows older than the raw retention are dropped by TTL as soon as they land.
const BASE = Date.now() - 3_600_000;
const metric = (agent: string, seq: number, value: unknown = seq) => ({
  client_id: "c", site_id: "s", agent_id: agent, name: "cpu.utilization", labels: "{}", ts: BASE + seq * 1000,
  value, boot_id: "b", seq, skew_ms: 0, received_at: Date.now(),
});
const sample = (agent: string, seq: number) => ({
  client_id: "c", site_id: "s", agent_id: agent, ts: BASE + seq * 1000, boot_id: "b", seq, skew_ms: 0, received_at: Date.now(),
});

describe("BatchWriter on the embedded store", () => {
  let dir: string;
  let real: Store;
  let store: FaultyStore;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-writer-"));
    real = await openStore({ kind: "embedded", path: dir, database: "vigil" });
    await migrate(real, { rawDays: 30, minuteRollupDays: 90, hourRollupDays: 730 });
  });
  afterAll(async () => {
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await real.command("TRUNCATE TABLE metrics_raw");
    await real.command("TRUNCATE TABLE health_samples");
    store = new FaultyStore(real);
  });

  const count = async (table: string, agent: string) =>
    Number((await real.query<{ n: number }>(`SELECT count() AS n FROM ${table} WHERE agent_id = {a:String}`, { a: agent }))[0]!.n);

  it("combines many submissions into few inserts and resolves each once its rows are stored", async () => {
    const writer = new BatchWriter(store, { maxRowsPerFlush: 10_000, flushIntervalMs: 50, highWaterRows: 100_000, logger });
    const done = Array.from({ length: 200 }, (_, i) => writer.submit({ metrics_raw: [metric("many", i + 1)], health_samples: [sample("many", i + 1)] }));
    await done[199];
    expect(await count("metrics_raw", "many")).toBe(200);
    await Promise.all(done);
    expect(store.insertCalls.length).toBeLessThanOrEqual(4);
    await writer.close();
  });

  it("retries only the table that failed, so a retry never duplicates rows that landed", async () => {
    store.failures = 2;
    const writer = new BatchWriter(store, { maxRowsPerFlush: 10_000, flushIntervalMs: 10, highWaterRows: 100_000, logger });
    await writer.submit({ metrics_raw: [metric("flaky", 1), metric("flaky", 2)], health_samples: [sample("flaky", 1)] });
    expect(store.insertCalls.filter((t) => t === "metrics_raw")).toHaveLength(3);
    expect(store.insertCalls.filter((t) => t === "health_samples")).toHaveLength(1);
    expect(await count("metrics_raw", "flaky")).toBe(2);
    expect(await count("health_samples", "flaky")).toBe(1);
    await writer.close();
  });

  it("refuses only the batch ClickHouse cannot parse, and stores its neighbours once", async () => {
    const writer = new BatchWriter(store, { maxRowsPerFlush: 10_000, flushIntervalMs: 20, highWaterRows: 100_000, logger });
    const good1 = writer.submit({ metrics_raw: [metric("mixed", 1)] });
    const bad = writer.submit({ metrics_raw: [metric("mixed", 2, "not a number")] }).catch((e: unknown) => e);
    const good2 = writer.submit({ metrics_raw: [metric("mixed", 3)] });
    await expect(good1).resolves.toBeUndefined();
    await expect(good2).resolves.toBeUndefined();
    const err = await bad;
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).retryable).toBe(false);
    const seqs = await real.query<{ seq: number }>("SELECT seq FROM metrics_raw WHERE agent_id = 'mixed' ORDER BY seq");
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 3]);
    await writer.close();
  });

  it("reports itself full above the high-water mark and emits drain once it has caught up", async () => {
    store.delayMs = 100;
    const writer = new BatchWriter(store, { maxRowsPerFlush: 50, flushIntervalMs: 10, highWaterRows: 100, logger });
    let drained = false;
    writer.on("drain", () => (drained = true));
    const pending = Array.from({ length: 300 }, (_, i) => writer.submit({ metrics_raw: [metric("slow", i + 1)] }));
    expect(writer.full).toBe(true);
    expect(writer.depth).toBeGreaterThanOrEqual(100);
    await Promise.all(pending);
    expect(writer.full).toBe(false);
    expect(drained).toBe(true);
    expect(await count("metrics_raw", "slow")).toBe(300);
    await writer.close();
  });

  it("stores what is queued when closed, then refuses new rows", async () => {
    const writer = new BatchWriter(store, { maxRowsPerFlush: 10_000, flushIntervalMs: 60_000, highWaterRows: 100_000, logger });
    const p = writer.submit({ metrics_raw: [metric("closing", 1)] });
    await writer.close();
    await p;
    expect(await count("metrics_raw", "closing")).toBe(1);
    await expect(writer.submit({ metrics_raw: [metric("closing", 2)] })).rejects.toMatchObject({ retryable: true });
  });
});
