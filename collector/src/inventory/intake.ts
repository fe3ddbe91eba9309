import { decodeInventoryDocument, type Batch, type InventoryRecord } from "@vigil/protocol";
import type { ReceivedInventory } from "./rows.js";

/** A batch refused because of the inventory it carries, with the message the agent gets. */
export interface InventoryRefusal {
  seq: number;
  message: string;
}

/** What to do with a batch, as far as inventory is concerned. */
export type IntakeOutcome =
  /** No inventory in it: store it as usual. */
  | { kind: "none" }
  /** It carries a part of a document whose later parts are still to come: hold it, acknowledge nothing yet. */
  | { kind: "held" }
  /** It completes a document: store its rows, the held batches (in order) and the document together. */
  | { kind: "complete"; held: Batch[]; received: ReceivedInventory }
  /** Its inventory is unacceptable: refuse it with this message. */
  | { kind: "invalid"; message: string };

export interface IntakeResult {
  /** Held batches refused by this batch's arrival (an interrupted or invalid set); refuse them first. */
  refused: InventoryRefusal[];
  outcome: IntakeOutcome;
}

/**
 * One connection's inventory intake: reassembles documents sent in parts (consecutive batches, part 1
 * first) and decodes and validates each complete document before anything of it is stored, so a bad
 * document never replaces a host's good snapshot. Parts live only in this connection's memory: they are
 * acknowledged together with the last part, so after a reconnect the agent sends the whole set again.
 */
export class InventoryIntake {
  private pending: { first: InventoryRecord; parts: InventoryRecord[]; batches: Batch[] } | null = null;

  /** Offers every batch that is not already stored, in the order they arrive. Never throws. */
  offer(batch: Batch): IntakeResult {
    const refused: InventoryRefusal[] = [];
    const indexes: number[] = [];
    batch.records.forEach((r, i) => {
      if (r.kind === "inventory") indexes.push(i);
    });
    const index = indexes[0];
    const part = index === undefined ? undefined : (batch.records[index] as InventoryRecord);
    const pending = this.pending;
    if (pending) {
      const expected = pending.parts.length + 1;
      if (!part || indexes.length > 1 || part.hash !== pending.first.hash || part.part !== expected || part.parts !== pending.first.parts) {
        this.pending = null;
        const total = pending.first.parts;
        pending.batches.forEach((b, i) =>
          refused.push({ seq: b.seq, message: `records: inventory part ${i + 1} of ${total}: batch ${batch.seq} arrived before part ${expected}; the incomplete document was not stored` }),
        );
      }
    }
    if (index === undefined || !part) return { refused, outcome: { kind: "none" } };
    if (indexes.length > 1) {
      return { refused, outcome: { kind: "invalid", message: `records.${indexes[1]}: a batch may carry only one inventory record` } };
    }
    if (!this.pending) {
      if (part.part !== 1) {
        return { refused, outcome: { kind: "invalid", message: `records.${index}: inventory part ${part.part} of ${part.parts} arrived without the parts before it; the document was not stored` } };
      }
      this.pending = { first: part, parts: [], batches: [] };
    }
    const current = this.pending;
    current.parts.push(part);
    current.batches.push(batch);
    if (part.part < part.parts) return { refused, outcome: { kind: "held" } };

    this.pending = null;
    const held = current.batches.slice(0, -1);
    const decoded = decodeInventoryDocument(current.parts);
    if (!decoded.ok) {
      const message = `records.${index}: inventory ${decoded.message}`;
      held.forEach((b, i) => refused.push({ seq: b.seq, message: `records: inventory part ${i + 1} of ${part.parts}: ${message} (in batch ${batch.seq})` }));
      return { refused, outcome: { kind: "invalid", message } };
    }
    return {
      refused,
      outcome: { kind: "complete", held, received: { document: decoded.document, record: current.first, rawBytes: decoded.rawBytes, encodedBytes: decoded.encodedBytes } },
    };
  }

  /** Sequence numbers of the batches held for a document still incomplete. */
  get held(): number[] {
    return this.pending?.batches.map((b) => b.seq) ?? [];
  }
}
