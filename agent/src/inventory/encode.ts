import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { INVENTORY_ENCODING, MAX_INVENTORY_PARTS, splitInventoryData, type InventoryDocument, type InventoryRecord } from "@vigil/protocol";

const gzipAsync = promisify(gzip);

/** An inventory document ready for the spool: its records (one per batch) and what it weighs. */
export interface EncodedInventory {
  records: InventoryRecord[];
  /** Bytes of the JSON document. */
  rawBytes: number;
  /** Bytes after gzip. */
  gzipBytes: number;
  /** Characters of base64 across all parts: what travels on the wire. */
  wireChars: number;
}

/** Raised when a document needs more than MAX_INVENTORY_PARTS parts even compressed. */
export class InventoryTooLargeError extends Error {
  readonly retryable = false;
}

/**
 * Serialises, gzips (in the thread pool, off the event loop) and base64-encodes a document, split into parts
 * of at most MAX_INVENTORY_PART_CHARS characters as the protocol README describes.
 */
export async function encodeInventory(document: InventoryDocument, meta: { bootId: string; hash: string }, partChars?: number): Promise<EncodedInventory> {
  const raw = Buffer.from(JSON.stringify(document), "utf8");
  const gzipped = await gzipAsync(raw, { level: 9 });
  const base64 = gzipped.toString("base64");
  const data = splitInventoryData(base64, partChars);
  if (data.length > MAX_INVENTORY_PARTS) {
    throw new InventoryTooLargeError(`inventory of ${raw.length} bytes needs ${data.length} parts compressed; at most ${MAX_INVENTORY_PARTS} may be sent`);
  }
  const records: InventoryRecord[] = data.map((d, i) => ({
    kind: "inventory",
    ts: document.collectedAt,
    bootId: meta.bootId,
    hash: meta.hash,
    encoding: INVENTORY_ENCODING,
    size: raw.length,
    part: i + 1,
    parts: data.length,
    data: d,
  }));
  return { records, rawBytes: raw.length, gzipBytes: gzipped.length, wireChars: base64.length };
}
