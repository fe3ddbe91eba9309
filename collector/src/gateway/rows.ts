import type { AgentRecord, Batch } from "@vigil/protocol";
import type { InventoryRows } from "../inventory/rows.js";
import type { TableRows } from "../writer/writer.js";

/** Tables that hold batch data; each row carries the batch's seq. */
export const BATCH_TABLES = ["health_samples", "metrics_raw", "check_results", "spool_losses", "inventory_history", "inventory_latest"] as const;
export type BatchTable = (typeof BATCH_TABLES)[number];

/** Who sent a batch, and how far the agent's clock is off. */
export interface BatchOrigin {
  agentId: string;
  clientId: string;
  siteId: string;
  /** Milliseconds to add to the agent's timestamps (0 when the skew is within tolerance). */
  skewMs: number;
  receivedAt: number;
}

/**
 * Turns a batch into rows per table, leaving out tables that already hold this seq (`skip`). An inventory
 * record's rows come decoded and validated from the inventory intake (`inventory`), since a document may
 * span several batches.
 */
export function batchRows(batch: Batch, origin: BatchOrigin, skip: ReadonlySet<BatchTable>, inventory?: InventoryRows): { rows: TableRows; count: number } {
  const rows: Record<BatchTable, object[]> = {
    health_samples: [],
    metrics_raw: [],
    check_results: [],
    spool_losses: [],
    inventory_history: inventory?.inventory_history ?? [],
    inventory_latest: inventory?.inventory_latest ?? [],
  };
  const common = { client_id: origin.clientId, site_id: origin.siteId, agent_id: origin.agentId, seq: batch.seq };
  const { skewMs, receivedAt } = origin;
  for (const record of batch.records) {
    addRecord(rows, record, common, skewMs, receivedAt);
  }
  const out: TableRows = {};
  let count = 0;
  for (const table of BATCH_TABLES) {
    if (skip.has(table) || rows[table].length === 0) continue;
    out[table] = rows[table];
    count += rows[table].length;
  }
  return { rows: out, count };
}

function addRecord(
  rows: Record<BatchTable, object[]>,
  record: AgentRecord,
  common: { client_id: string; site_id: string; agent_id: string; seq: number },
  skewMs: number,
  receivedAt: number,
): void {
  const ts = record.ts + skewMs;
  const base = { ...common, ts, boot_id: record.bootId, received_at: receivedAt };
  switch (record.kind) {
    case "health":
      rows.health_samples.push({ ...base, skew_ms: skewMs });
      for (const m of record.metrics) {
        rows.metrics_raw.push({ ...base, skew_ms: skewMs, name: m.name, labels: canonicalLabels(m.labels), value: m.value });
      }
      return;
    case "check":
      rows.check_results.push({
        ...base,
        skew_ms: skewMs,
        check_id: record.checkId,
        check_type: record.checkType,
        role: record.role,
        target: record.target,
        ok: record.ok ? 1 : 0,
        latency_ms: record.latencyMs,
        loss_pct: record.lossPct,
        status: record.status ?? 0,
        error: record.error ?? "",
      });
      return;
    case "spool_loss":
      rows.spool_losses.push({
        ...base,
        dropped_batches: record.droppedBatches,
        dropped_bytes: record.droppedBytes,
        first_dropped_seq: record.firstDroppedSeq,
        last_dropped_seq: record.lastDroppedSeq,
        oldest_ts: record.oldestTs === undefined ? null : record.oldestTs + skewMs,
        newest_ts: record.newestTs === undefined ? null : record.newestTs + skewMs,
      });
      return;
    case "inventory":
      // Stored by the inventory intake once the whole document has arrived and passed validation.
      return;
  }
}

const NO_LABELS = "{}";

/** The label set as JSON with sorted keys, so one series always has one spelling. */
export function canonicalLabels(labels: Record<string, string> | undefined): string {
  if (!labels) return NO_LABELS;
  const keys = Object.keys(labels);
  if (keys.length === 0) return NO_LABELS;
  if (keys.length === 1) return JSON.stringify({ [keys[0]!]: labels[keys[0]!] });
  keys.sort();
  const sorted: Record<string, string> = {};
  for (const k of keys) sorted[k] = labels[k]!;
  return JSON.stringify(sorted);
}
