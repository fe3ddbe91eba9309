import type { Store } from "../store/clickhouse.js";
import { BATCH_TABLES, type BatchTable } from "./rows.js";

/** Per agent, the highest batch seq each table holds: what makes a resent batch land exactly once. */
export type HighWaterMarks = Record<BatchTable, number>;

interface AgentLedgerEntry {
  stored: HighWaterMarks;
  /** Highest seq whose whole batch is stored and may be acknowledged. */
  acked: number;
  /** Highest seq queued for writing (stored or on its way). */
  accepted: number;
  /** Settles when every batch queued so far for this agent has been written or refused. */
  lastWrite: Promise<unknown>;
}

/**
 * Remembers, per agent, which batches are stored, so a resend after a reconnect is acknowledged
 * without being stored again.
 *
 * The marks come from `stored_seq`, which materialized views keep in the same INSERT as the data. A
 * crash can land between a table's part and its view's part, so at start-up the rows written shortly
 * before the last stop are read directly (cheap: found through the `stored_at` index) to close that gap.
 */
export class StoredSeqLedger {
  private readonly entries = new Map<string, AgentLedgerEntry>();
  private pendingLoads = new Map<string, Array<Waiter>>();
  private loadTimer: NodeJS.Timeout | undefined;

  /** `persistAck` stores an acknowledged mark; it is called only after the batch's rows are stored. */
  constructor(
    private readonly store: Store,
    private readonly persistAck: (agentId: string, seq: number) => void,
  ) {}

  /** Loads every agent's marks; `since` = when the previous collector run was last known alive. */
  async recover(since: number | null): Promise<void> {
    const rows = await this.store.query<{ agent_id: string; source: string; seq: number }>(
      "SELECT agent_id, source, max(seq) AS seq FROM stored_seq GROUP BY agent_id, source",
    );
    if (since !== null) {
      const from = since - 120_000;
      const parts = BATCH_TABLES.map(
        (t) => `SELECT agent_id, '${t}' AS source, max(seq) AS seq FROM ${t} WHERE stored_at >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY agent_id`,
      );
      rows.push(...(await this.store.query<{ agent_id: string; source: string; seq: number }>(parts.join(" UNION ALL "), { from })));
    }
    for (const r of rows) this.raise(this.entry(r.agent_id), r.source as BatchTable, Number(r.seq));
    const acks = await this.store.query<{ agent_id: string; seq: number }>("SELECT agent_id, max(seq) AS seq FROM agent_acks GROUP BY agent_id");
    for (const r of acks) {
      const e = this.entry(r.agent_id);
      e.acked = Math.max(e.acked, Number(r.seq));
      e.accepted = Math.max(e.accepted, e.acked);
    }
  }

  /** Marks for an agent, refreshed from the store (another collector may have stored its batches). */
  async marks(agentId: string): Promise<HighWaterMarks> {
    const entry = this.entry(agentId);
    await entry.lastWrite.catch(() => undefined);
    const fresh = await this.loadBatched(agentId);
    for (const t of BATCH_TABLES) this.raise(entry, t, fresh.marks[t]);
    entry.acked = Math.max(entry.acked, fresh.acked);
    entry.accepted = Math.max(entry.accepted, entry.acked);
    return { ...entry.stored };
  }

  /** Highest seq whose whole batch is known to be stored: the agent may drop everything up to it. */
  storedSeq(agentId: string): number {
    return this.entry(agentId).acked;
  }

  /** Highest seq any table holds for this agent. */
  highestMark(agentId: string): number {
    return Math.max(...Object.values(this.entry(agentId).stored));
  }

  /** Tables that already hold this batch. */
  storedTables(agentId: string, seq: number): Set<BatchTable> {
    const e = this.entry(agentId);
    return new Set(BATCH_TABLES.filter((t) => e.stored[t] >= seq));
  }

  /** Highest seq queued for this agent in this process. */
  accepted(agentId: string): number {
    return this.entry(agentId).accepted;
  }

  /** Records that a batch needs no write (already stored, or refused): it counts as acknowledged. */
  consumed(agentId: string, seq: number): void {
    const e = this.entry(agentId);
    e.accepted = Math.max(e.accepted, seq);
    e.acked = Math.max(e.acked, seq);
  }

  /** Records a write in flight for this batch; the marks rise when it lands. */
  track(agentId: string, seq: number, tables: Iterable<BatchTable>, write: Promise<void>): void {
    const e = this.entry(agentId);
    e.accepted = Math.max(e.accepted, seq);
    const list = [...tables];
    e.lastWrite = write.then(() => {
      for (const t of list) this.raise(e, t, seq);
      e.acked = Math.max(e.acked, seq);
      this.persistAck(agentId, seq);
    });
    e.lastWrite.catch(() => undefined);
  }

  /** Settles when every write queued so far for this agent has finished. */
  settled(agentId: string): Promise<unknown> {
    return this.entry(agentId).lastWrite.catch(() => undefined);
  }

  private entry(agentId: string): AgentLedgerEntry {
    let e = this.entries.get(agentId);
    if (!e) {
      e = { stored: emptyMarks(), acked: 0, accepted: 0, lastWrite: Promise.resolve() };
      this.entries.set(agentId, e);
    }
    return e;
  }

  // A table's mark says which batches that table holds, not that every batch below it is whole: one flush
  // writes its tables in parallel, and a crash can land between them. So marks never make a batch count as
  // accepted (a resend of it would be acknowledged unstored); resends are sorted out table by table instead.
  private raise(e: AgentLedgerEntry, table: BatchTable, seq: number): void {
    if (seq > e.stored[table]) e.stored[table] = seq;
  }

  // Hellos arrive in storms after a restart; one query serves all that arrive within a few ms.
  private loadBatched(agentId: string): Promise<Loaded> {
    return new Promise((resolve, reject) => {
      const waiting = this.pendingLoads.get(agentId);
      if (waiting) waiting.push({ resolve, reject });
      else this.pendingLoads.set(agentId, [{ resolve, reject }]);
      this.loadTimer ??= setTimeout(() => {
        this.loadTimer = undefined;
        const batch = this.pendingLoads;
        this.pendingLoads = new Map();
        this.loadMany([...batch.keys()]).then(
          (marks) => {
            for (const [id, waiters] of batch) for (const w of waiters) w.resolve(marks.get(id)!);
          },
          (err) => {
            for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
          },
        );
      }, 5);
    });
  }

  private async loadMany(ids: string[]): Promise<Map<string, Loaded>> {
    const rows = await this.store.query<{ agent_id: string; source: string; seq: number }>(
      `SELECT agent_id, source, max(seq) AS seq FROM stored_seq WHERE agent_id IN {ids:Array(String)} GROUP BY agent_id, source
       UNION ALL
       SELECT agent_id, 'ack' AS source, max(seq) AS seq FROM agent_acks WHERE agent_id IN {ids:Array(String)} GROUP BY agent_id`,
      { ids },
    );
    const out = new Map<string, Loaded>();
    for (const id of ids) out.set(id, { marks: emptyMarks(), acked: 0 });
    for (const r of rows) {
      const m = out.get(r.agent_id);
      if (!m) continue;
      if (r.source === "ack") m.acked = Number(r.seq);
      else if ((BATCH_TABLES as readonly string[]).includes(r.source)) m.marks[r.source as BatchTable] = Number(r.seq);
    }
    return out;
  }
}

interface Loaded {
  marks: HighWaterMarks;
  acked: number;
}

interface Waiter {
  resolve(value: Loaded): void;
  reject(err: unknown): void;
}

function emptyMarks(): HighWaterMarks {
  return Object.fromEntries(BATCH_TABLES.map((t) => [t, 0])) as HighWaterMarks;
}
