import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { Store } from "../store/clickhouse.js";
import { StoreError, toStoreError } from "../store/errors.js";

/** Rows for several tables that must be stored together before their sender is acknowledged. */
export type TableRows = Partial<Record<string, object[]>>;

/** What the writer reports to the metrics registry. */
export interface WriterObserver {
  insertDuration(table: string, seconds: number, ok: boolean): void;
  rowsWritten(table: string, rows: number): void;
  queueDepth(rows: number): void;
}

export interface WriterOptions {
  /** Flush when this many rows are queued… */
  maxRowsPerFlush: number;
  /** …or when the oldest queued row has waited this long. */
  flushIntervalMs: number;
  /** Above this many queued rows the writer reports itself full; the gateway stops reading. */
  highWaterRows: number;
  observer?: WriterObserver;
  logger: Logger;
}

interface Job {
  rows: TableRows;
  count: number;
  resolve(): void;
  reject(err: StoreError): void;
}

/**
 * Batches rows from many agents into few large inserts, one flush at a time.
 *
 * Flushes never overlap and a failed flush is retried until it succeeds, so each table receives every
 * agent's batches in the order they were submitted. The gateway's exactly-once rule depends on that.
 * Rows that ClickHouse refuses outright (not retryable) are isolated by retrying job by job, so one
 * bad batch cannot block the others.
 */
export class BatchWriter extends EventEmitter {
  private queue: Job[] = [];
  private queuedRows = 0;
  private flushing = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Draining for close: flush at once instead of waiting for the interval. */
  private closing = false;
  private wasFull = false;

  constructor(
    private readonly store: Store,
    private readonly options: WriterOptions,
  ) {
    super();
  }

  /** Queues rows; resolves once every row is durably stored, rejects with a non-retryable StoreError. */
  submit(rows: TableRows): Promise<void> {
    if (this.closed) return Promise.reject(new StoreError("writer is closed", true));
    let count = 0;
    for (const r of Object.values(rows)) count += r?.length ?? 0;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, count, resolve, reject });
      this.queuedRows += count;
      this.options.observer?.queueDepth(this.queuedRows);
      if (this.queuedRows >= this.options.maxRowsPerFlush) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
    });
  }

  /** True while the queue is above its high-water mark; `drain` is emitted when it falls back. */
  get full(): boolean {
    return this.queuedRows >= this.options.highWaterRows;
  }

  /** Rows waiting to be stored. */
  get depth(): number {
    return this.queuedRows;
  }

  /** Stores everything queued (and what is submitted while doing so), then refuses new rows. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.queue.length > 0 || this.flushing) {
      if (!this.flushing) await this.flush();
      else await new Promise((r) => this.once("flushed", r));
    }
    this.closed = true;
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const jobs = this.take();
    try {
      await this.writeWithRetry(jobs);
    } finally {
      this.flushing = false;
      this.emit("flushed");
      if (this.wasFull && !this.full) {
        this.wasFull = false;
        this.emit("drain");
      }
      if (this.queue.length > 0) {
        if (this.queuedRows >= this.options.maxRowsPerFlush || this.closing) void this.flush();
        else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      }
    }
  }

  // One splice, not a shift per job: shift is O(queue) and a backlog holds tens of thousands of jobs.
  private take(): Job[] {
    this.wasFull ||= this.full;
    let n = 0;
    let rows = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n]!.count <= this.options.maxRowsPerFlush)) {
      rows += this.queue[n]!.count;
      n++;
    }
    const jobs = this.queue.splice(0, n);
    this.queuedRows -= rows;
    this.options.observer?.queueDepth(this.queuedRows);
    return jobs;
  }

  // Each table is written once: after a partial failure only the tables that failed are retried,
  // so a retry never duplicates rows that already landed.
  private async writeWithRetry(jobs: Job[]): Promise<void> {
    const pending = new Map<string, Array<{ job: Job; rows: object[] }>>();
    for (const job of jobs) {
      for (const [table, rows] of Object.entries(job.rows)) {
        if (!rows || rows.length === 0) continue;
        let parts = pending.get(table);
        if (!parts) pending.set(table, (parts = []));
        parts.push({ job, rows });
      }
    }
    const refused = new Set<Job>();
    for (let attempt = 0; pending.size > 0; attempt++) {
      const results = await Promise.allSettled(
        [...pending].map(async ([table, parts]) => {
          await this.insert(table, parts.flatMap((p) => p.rows));
          pending.delete(table);
        }),
      );
      const errors = results.flatMap((r) => (r.status === "rejected" ? [toStoreError(r.reason, "flush")] : []));
      if (errors.length === 0) break;
      if (errors.every((e) => e.retryable)) {
        const delay = Math.min(5000, 100 * 2 ** attempt);
        this.options.logger.warn({ err: errors[0]!.message, attempt, delayMs: delay }, "insert failed; retrying");
        await new Promise((r) => setTimeout(r, delay));
        continue;
      }
      // ClickHouse refused rows outright: insert batch by batch so only the offending batch is refused.
      for (const [table, parts] of pending) {
        for (const part of parts) {
          if (!refused.has(part.job)) await this.insertAlone(table, part, refused);
        }
        pending.delete(table);
      }
    }
    for (const j of jobs) {
      if (!refused.has(j)) j.resolve();
    }
  }

  private async insertAlone(table: string, part: { job: Job; rows: object[] }, refused: Set<Job>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.insert(table, part.rows);
      } catch (err) {
        const e = toStoreError(err, `insert into ${table}`);
        if (!e.retryable) {
          this.options.logger.error({ err: e.message, table }, "batch refused by ClickHouse");
          refused.add(part.job);
          part.job.reject(e);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  private async insert(table: string, rows: object[]): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await this.store.insert(table, rows);
      this.options.observer?.rowsWritten(table, rows.length);
      this.options.observer?.insertDuration(table, seconds(started), true);
    } catch (err) {
      this.options.observer?.insertDuration(table, seconds(started), false);
      throw err;
    }
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
