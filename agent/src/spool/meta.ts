import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { SpoolError, errnoOf, toSpoolError } from "./errors.js";
import { syncDir } from "./fsutil.js";

/** Loss not yet carried to the collector; the fields of a spool_loss record that describe what was lost. */
export interface PendingLoss {
  droppedBatches: number;
  droppedBytes: number;
  firstDroppedSeq: number;
  lastDroppedSeq: number;
  oldestTs?: number;
  newestTs?: number;
}

/** Contents of spool.json. */
export interface Meta {
  version: 1;
  /** Highest seq the collector acknowledged. */
  ackedSeq: number;
  /** Every seq up to here is gone from the spool, acknowledged or dropped; at least ackedSeq. */
  floorSeq: number;
  /** Highest seq handed out, as of the last write; the segments may hold more. */
  lastSeq: number;
  droppedBatches: number;
  droppedBytes: number;
  pendingLoss: PendingLoss | null;
  /**
   * Seqs above floorSeq known to be missing (damaged frames) and already counted: without this, every
   * restart would find the same hole and count it again.
   */
  lostRanges: Array<[number, number]>;
}

/** Name of the meta file inside the spool directory. */
export const META_FILE = "spool.json";
const META_TMP = "spool.json.tmp";

/** Meta of a spool that has never written one. */
export function emptyMeta(): Meta {
  return {
    version: 1,
    ackedSeq: 0,
    floorSeq: 0,
    lastSeq: 0,
    droppedBatches: 0,
    droppedBytes: 0,
    pendingLoss: null,
    lostRanges: [],
  };
}

/** Reads spool.json; null when there is none. A file we cannot trust is an error, never silently reset. */
export async function readMeta(dir: string): Promise<Meta | null> {
  const path = join(dir, META_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return null;
    throw toSpoolError(err, `cannot read ${path}`);
  }
  try {
    return parseMeta(JSON.parse(text));
  } catch (err) {
    throw new SpoolError(
      "corrupt_meta",
      `${path} is damaged (${(err as Error).message}); the spool cannot know what the collector acknowledged. ` +
        "Move the file aside to start over: unacknowledged batches are then resent and the collector drops duplicates.",
      false,
      { cause: err },
    );
  }
}

/** Writes spool.json so that a crash leaves either the old or the new file, never a mix. */
export async function writeMeta(dir: string, meta: Meta, opts: { fsync: boolean; syncDir: boolean }): Promise<void> {
  const tmp = join(dir, META_TMP);
  try {
    const fh = await open(tmp, "w", 0o600);
    try {
      await fh.writeFile(JSON.stringify(meta), "utf8");
      // Without this a crash after the rename can leave an empty spool.json on delayed-allocation filesystems.
      if (opts.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, META_FILE));
    if (opts.fsync && opts.syncDir) await syncDir(dir);
  } catch (err) {
    throw toSpoolError(err, `cannot write ${join(dir, META_FILE)}`);
  }
}

/** Removes a temporary meta file left by a crash mid-write. */
export async function removeMetaLeftovers(dir: string): Promise<void> {
  await unlink(join(dir, META_TMP)).catch(() => undefined);
}

/** Combines two losses into one report; the seq range then spans both, droppedBatches says how many really went. */
export function mergeLoss(a: PendingLoss | null, b: PendingLoss): PendingLoss {
  if (!a) return { ...b };
  const merged: PendingLoss = {
    droppedBatches: a.droppedBatches + b.droppedBatches,
    droppedBytes: a.droppedBytes + b.droppedBytes,
    firstDroppedSeq: Math.min(a.firstDroppedSeq, b.firstDroppedSeq),
    lastDroppedSeq: Math.max(a.lastDroppedSeq, b.lastDroppedSeq),
  };
  const oldest = minDefined(a.oldestTs, b.oldestTs);
  const newest = maxDefined(a.newestTs, b.newestTs);
  if (oldest !== undefined) merged.oldestTs = oldest;
  if (newest !== undefined) merged.newestTs = newest;
  return merged;
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function parseMeta(value: unknown): Meta {
  if (typeof value !== "object" || value === null) throw new Error("not a JSON object");
  const v = value as Record<string, unknown>;
  if (v.version !== 1) throw new Error(`unknown version ${String(v.version)}`);
  const meta: Meta = {
    version: 1,
    ackedSeq: count(v, "ackedSeq"),
    floorSeq: count(v, "floorSeq"),
    lastSeq: count(v, "lastSeq"),
    droppedBatches: count(v, "droppedBatches"),
    droppedBytes: count(v, "droppedBytes"),
    pendingLoss: v.pendingLoss === null || v.pendingLoss === undefined ? null : parseLoss(v.pendingLoss),
    lostRanges: parseRanges(v.lostRanges),
  };
  if (meta.floorSeq < meta.ackedSeq) throw new Error("floorSeq below ackedSeq");
  return meta;
}

function parseLoss(value: unknown): PendingLoss {
  if (typeof value !== "object" || value === null) throw new Error("pendingLoss is not an object");
  const v = value as Record<string, unknown>;
  const loss: PendingLoss = {
    droppedBatches: count(v, "droppedBatches"),
    droppedBytes: count(v, "droppedBytes"),
    firstDroppedSeq: count(v, "firstDroppedSeq"),
    lastDroppedSeq: count(v, "lastDroppedSeq"),
  };
  if (loss.droppedBatches < 1 || loss.firstDroppedSeq < 1 || loss.lastDroppedSeq < loss.firstDroppedSeq) {
    throw new Error("pendingLoss is inconsistent");
  }
  if (v.oldestTs !== undefined) loss.oldestTs = count(v, "oldestTs");
  if (v.newestTs !== undefined) loss.newestTs = count(v, "newestTs");
  return loss;
}

function parseRanges(value: unknown): Array<[number, number]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error("lostRanges is not an array");
  return value.map((r: unknown) => {
    if (!Array.isArray(r) || r.length !== 2 || !isCount(r[0]) || !isCount(r[1]) || r[0] > r[1]) {
      throw new Error("lostRanges holds a bad range");
    }
    return [r[0], r[1]] as [number, number];
  });
}

function count(v: Record<string, unknown>, key: string): number {
  const x = v[key];
  if (!isCount(x)) throw new Error(`${key} is not a non-negative integer`);
  return x;
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}
