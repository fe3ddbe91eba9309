import { mkdir, open, readFile, readdir, truncate, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { MAX_FRAME_BYTES, MAX_RECORDS_PER_BATCH } from "@vigil/protocol";
import type { AgentRecord, SpoolLossRecord } from "@vigil/protocol";
import { SpoolError, errnoOf, toSpoolError } from "./errors.js";
import { HEADER_BYTES, checkFrame, decodePayload, encodeFrame, scanFrames } from "./frame.js";
import type { DamagedRegion } from "./frame.js";
import { syncDir, readUpTo, writeFully } from "./fsutil.js";
import { SpoolLock } from "./lock.js";
import { emptyMeta, mergeLoss, readMeta, removeMetaLeftovers, writeMeta } from "./meta.js";
import type { Meta, PendingLoss } from "./meta.js";

export { SpoolError } from "./errors.js";
export type { SpoolErrorCode } from "./errors.js";

/** Where and how big the spool is. */
export interface SpoolOptions {
  dir: string;
  /** Bound on segment bytes on disk; the oldest data is dropped (and reported) beyond it. Default 64 MiB. */
  maxBytes?: number;
  /** Segment file size; capped at maxBytes/4 so that one overflow drops at most a quarter. Default 1 MiB. */
  segmentBytes?: number;
  /** false trades crash safety for speed (tests, throwaway agents). Default true. */
  fsync?: boolean;
}

/** One unacknowledged batch; `bytes` is its size on disk, the unit the bound and the loss counts use. */
export interface SpooledBatch {
  seq: number;
  records: AgentRecord[];
  bytes: number;
}

/** Counters for the agent's own health reporting; dropped* are totals over the spool's life. */
export interface SpoolStats {
  pendingBatches: number;
  pendingBytes: number;
  lastSeq: number;
  ackedSeq: number;
  droppedBatches: number;
  droppedBytes: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_SEGMENT_BYTES = 1024 * 1024;
const LOCK_FILE = "spool.lock";
const SEGMENT_NAME = /^(\d{20})\.seg$/;
// Room left in a wire frame for the batch envelope (type, v, sentAt) around what the spool stores.
const ENVELOPE_RESERVE = 256;
const MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES - ENVELOPE_RESERVE;

// Index of one segment file. Only positions are kept, never payloads, so a full 64 MiB spool of small
// batches costs a few MB of memory at most.
interface Segment {
  readonly path: string;
  /** Bytes on disk, damaged regions included. */
  size: number;
  readonly seqs: number[];
  readonly offsets: number[];
  readonly sizes: number[];
  /** Entries before this index are acknowledged or dropped. */
  head: number;
  /** Highest seq ever written here (or before, while empty): keeps segments searchable by seq. */
  maxSeq: number;
}

interface Run {
  seg: Segment;
  from: number;
  to: number; // exclusive
}

/** Durable, bounded queue of batches awaiting the collector's acknowledgement; one writer per directory. */
export class Spool {
  private readonly dir: string;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly fsync: boolean;
  private readonly lock: SpoolLock;

  private segments: Segment[] = [];
  private active: { seg: Segment; fh: FileHandle } | null = null;
  private ackedSeq = 0;
  private floorSeq = 0;
  private lastSeq = 0;
  private droppedBatches = 0;
  private droppedBytes = 0;
  private pendingLoss: PendingLoss | null = null;
  private lostRanges: Array<[number, number]> = [];
  private pendingBatches = 0;
  private pendingBytes = 0;
  private diskBytes = 0;
  private metaDirty = false;
  private closed = false;
  // Every operation runs alone: appends, reads, acks and segment deletion never interleave.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(opts: Required<SpoolOptions>, lock: SpoolLock) {
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = opts.segmentBytes;
    this.fsync = opts.fsync;
    this.lock = lock;
  }

  /** Opens (creating if need be) and recovers a spool: torn tails cut, damage counted as loss, seq restored. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const options = normalizeOptions(opts);
    await ensureDir(options.dir, options.fsync);
    const lock = await SpoolLock.acquire(join(options.dir, LOCK_FILE));
    const spool = new Spool(options, lock);
    try {
      await spool.recover();
    } catch (err) {
      await spool.active?.fh.close().catch(() => undefined);
      await lock.release();
      throw toSpoolError(err, `cannot open spool ${options.dir}`);
    }
    return spool;
  }

  /** Durably stores one batch under the next seq and returns that seq; carries any unreported loss with it. */
  append(records: AgentRecord[]): Promise<number> {
    return this.serialize(() => this.doAppend(records));
  }

  /** Unacknowledged batches with seq > afterSeq, oldest first, at most `limit` of them. */
  readAfter(afterSeq: number, limit: number): Promise<SpooledBatch[]> {
    return this.serialize(() => this.doReadAfter(afterSeq, limit));
  }

  /** Records that the collector stored every batch up to seq, and frees what that makes unnecessary. */
  ack(seq: number): Promise<void> {
    return this.serialize(() => this.doAck(seq));
  }

  /** Accepts the collector's word that it stored everything up to seq, even beyond what this spool handed out. */
  skipTo(seq: number): Promise<void> {
    return this.serialize(() => this.doAck(seq));
  }

  /** Current counters; cheap, no I/O. */
  stats(): SpoolStats {
    return {
      pendingBatches: this.pendingBatches,
      pendingBytes: this.pendingBytes,
      lastSeq: this.lastSeq,
      ackedSeq: this.ackedSeq,
      droppedBatches: this.droppedBatches,
      droppedBytes: this.droppedBytes,
    };
  }

  /** Finishes queued work, saves state and releases the directory for another process. */
  close(): Promise<void> {
    return this.serialize(async () => {
      if (this.closed) return;
      this.closed = true;
      try {
        if (this.metaDirty) await this.persistMeta(false);
      } finally {
        await this.active?.fh.close().catch(() => undefined);
        this.active = null;
        await this.lock.release();
      }
    }, true);
  }

  private serialize<T>(op: () => Promise<T>, evenIfClosed = false): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed && !evenIfClosed) throw new SpoolError("closed", "spool is closed", false);
      return op();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- append

  private async doAppend(records: AgentRecord[]): Promise<number> {
    if (!Array.isArray(records) || records.length === 0) {
      throw new SpoolError("invalid", "a batch needs at least one record", false);
    }
    if (records.length > MAX_RECORDS_PER_BATCH) {
      throw new SpoolError("too_large", `a batch may carry at most ${MAX_RECORDS_PER_BATCH} records`, false);
    }
    // Refused here rather than by the collector: a batch it can never accept would block the spool forever.
    const plain = encodeFrame(this.lastSeq + 1, records);
    if (plain.length - HEADER_BYTES > MAX_PAYLOAD_BYTES) {
      throw new SpoolError("too_large", `batch of ${plain.length} bytes exceeds the wire frame limit`, false);
    }

    let frames: Array<{ seq: number; frame: Buffer }> = [{ seq: this.lastSeq + 1, frame: plain }];
    const carriesLoss = this.pendingLoss !== null;
    if (this.pendingLoss) {
      const loss = lossRecord(this.pendingLoss, records[0]?.bootId ?? "unknown");
      const combined = records.length < MAX_RECORDS_PER_BATCH ? encodeFrame(this.lastSeq + 1, [loss, ...records]) : null;
      if (combined && combined.length - HEADER_BYTES <= MAX_PAYLOAD_BYTES) {
        frames = [{ seq: this.lastSeq + 1, frame: combined }];
      } else {
        // No room beside the caller's records: the report travels in a batch of its own, just before.
        frames = [
          { seq: this.lastSeq + 1, frame: encodeFrame(this.lastSeq + 1, [loss]) },
          { seq: this.lastSeq + 2, frame: encodeFrame(this.lastSeq + 2, records) },
        ];
      }
    }
    const data = frames.length === 1 ? (frames[0] as { frame: Buffer }).frame : Buffer.concat(frames.map((f) => f.frame));
    const firstSeq = this.lastSeq + 1;
    const seq = firstSeq + frames.length - 1;
    if (!Number.isSafeInteger(seq)) throw new SpoolError("invalid", "sequence numbers exhausted", false);

    const created = await this.ensureActive(firstSeq, data.length);
    const { seg, fh } = this.active as { seg: Segment; fh: FileHandle };
    const position = seg.size;
    try {
      await writeFully(fh, data, position);
      if (this.fsync) {
        await fh.datasync();
        if (created) await syncDir(this.dir);
      }
    } catch (err) {
      await this.undoWrite(created, position, data.length, seq);
      throw toSpoolError(err, `cannot write batch ${firstSeq} to ${seg.path}`);
    }

    let offset = position;
    for (const f of frames) {
      seg.seqs.push(f.seq);
      seg.offsets.push(offset);
      seg.sizes.push(f.frame.length);
      seg.maxSeq = f.seq;
      offset += f.frame.length;
      this.pendingBatches++;
      this.pendingBytes += f.frame.length;
    }
    seg.size += data.length;
    this.diskBytes += data.length;
    this.lastSeq = seq;

    if (carriesLoss) {
      // The frame with the report is durable; only now may the pending loss be forgotten. A crash before the
      // meta write below leaves it pending on disk; open() then finds it in this batch, the first after the
      // meta's lastSeq, and forgets it. Should that batch be unreadable, the loss is reported twice: that is
      // acceptable, whereas the opposite order (meta first) could report it zero times.
      this.pendingLoss = null;
      this.metaDirty = true;
    }
    await this.enforceBound();
    if (this.metaDirty) {
      // The batch is stored whatever happens here; failing the append would make the caller store it twice.
      // metaDirty stays set and the next ack or close retries (and reports) the write.
      await this.persistMeta(false).catch(() => undefined);
    }
    return seq;
  }

  // Says whether it started a new segment, because only then must the directory be synced: a new file's
  // name is not durable until it is.
  private async ensureActive(firstSeq: number, bytes: number): Promise<boolean> {
    const current = this.active;
    if (current && (current.seg.size === 0 || current.seg.size + bytes <= this.segmentBytes)) return false;
    if (current) {
      this.active = null;
      await current.fh.close().catch(() => undefined);
    }
    const path = join(this.dir, segmentName(firstSeq));
    let fh: FileHandle;
    try {
      // "w": a file of this name can only be a leftover holding nothing valid (its seqs were never handed out).
      fh = await open(path, "w", 0o600);
    } catch (err) {
      throw toSpoolError(err, `cannot create segment ${path}`);
    }
    const seg: Segment = { path, size: 0, seqs: [], offsets: [], sizes: [], head: 0, maxSeq: this.lastSeq };
    this.segments.push(seg);
    this.active = { seg, fh };
    return true;
  }

  // Takes a failed write back so that no later frame follows a partial one, and moves on to a fresh segment:
  // after a failed fsync the old one's cached pages cannot be trusted.
  private async undoWrite(created: boolean, position: number, length: number, lastTriedSeq: number): Promise<void> {
    const { seg, fh } = this.active as { seg: Segment; fh: FileHandle };
    const truncated = await fh.truncate(position).then(
      () => true,
      () => false,
    );
    await this.retireActive();
    if (!truncated) {
      // The frames may be on disk, whole: never hand their seqs out again, so two batches never share one.
      // Remembered as a hole already accounted for: if they prove damaged at the next open, that is not a
      // loss (append failed, the caller still has the records).
      this.lostRanges = addRange(this.lostRanges, this.lastSeq + 1, lastTriedSeq);
      this.lastSeq = lastTriedSeq;
      this.metaDirty = true;
      seg.size = position + length;
      this.diskBytes += length;
      return;
    }
    if (created) {
      this.segments.pop();
      await unlink(seg.path).catch(() => undefined);
    }
  }

  private async retireActive(): Promise<void> {
    const fh = this.active?.fh;
    this.active = null;
    await fh?.close().catch(() => undefined);
  }

  // Drops whole segments, oldest first, until the spool fits; never the newest, which holds the batch just written.
  private async enforceBound(): Promise<void> {
    if (this.diskBytes <= this.maxBytes) return;
    const victims: Segment[] = [];
    let bytes = this.diskBytes;
    for (const seg of this.segments.slice(0, -1)) {
      if (bytes <= this.maxBytes) break;
      victims.push(seg);
      bytes -= seg.size;
    }
    if (victims.length === 0) return;
    for (const seg of victims) {
      if (seg.head < seg.seqs.length) {
        const loss = await this.describeLoss(seg);
        this.droppedBatches += seg.seqs.length - seg.head;
        this.droppedBytes += sumFrom(seg.sizes, seg.head);
        this.pendingLoss = mergeLoss(this.pendingLoss, loss);
      }
      this.advanceFloor(seg.seqs[seg.seqs.length - 1] ?? this.floorSeq);
    }
    this.metaDirty = true;
    // Meta first, so that a crash cannot leave the segments gone and the loss unrecorded. If the write fails
    // (a full disk, most likely) the segments go anyway, since deleting them is what frees space; a crash
    // then still reveals the loss at open, as a hole in the seqs.
    await this.persistMeta(true).catch(() => undefined);
    for (const seg of victims) await this.removeSegment(seg);
  }

  // Reads the batches about to be dropped for the time span they covered, and for loss reports among them:
  // a dropped spool_loss record means an earlier loss never reached the collector, so it is carried forward.
  private async describeLoss(seg: Segment): Promise<PendingLoss> {
    const first = seg.seqs[seg.head] as number;
    let loss: PendingLoss = {
      droppedBatches: seg.seqs.length - seg.head,
      droppedBytes: sumFrom(seg.sizes, seg.head),
      firstDroppedSeq: first,
      lastDroppedSeq: seg.seqs[seg.seqs.length - 1] as number,
    };
    let buf: Buffer;
    try {
      buf = await readFile(seg.path);
    } catch {
      return loss; // The counts are what matters; the time span is only known when readable.
    }
    let oldest = Infinity;
    let newest = -Infinity;
    for (let i = seg.head; i < seg.seqs.length; i++) {
      const offset = seg.offsets[i] as number;
      const size = seg.sizes[i] as number;
      const seq = seg.seqs[i] as number;
      if (checkFrame(buf, offset, seq - 1)?.seq !== seq) continue;
      const payload = decodePayload(buf, offset, size);
      for (const r of payload?.records ?? []) {
        if (r.kind === "spool_loss") {
          loss = mergeLoss(loss, lossFromRecord(r));
          if (r.oldestTs !== undefined) oldest = Math.min(oldest, r.oldestTs);
          if (r.newestTs !== undefined) newest = Math.max(newest, r.newestTs);
        } else if (typeof r.ts === "number") {
          oldest = Math.min(oldest, r.ts);
          newest = Math.max(newest, r.ts);
        }
      }
    }
    if (Number.isFinite(oldest)) loss.oldestTs = Math.min(oldest, loss.oldestTs ?? Infinity);
    if (Number.isFinite(newest)) loss.newestTs = Math.max(newest, loss.newestTs ?? -Infinity);
    return loss;
  }

  // ---------------------------------------------------------------- read

  private async doReadAfter(afterSeq: number, limit: number): Promise<SpooledBatch[]> {
    if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) throw new SpoolError("invalid", "afterSeq must be an integer >= 0", false);
    if (!Number.isSafeInteger(limit) || limit < 0) throw new SpoolError("invalid", "limit must be an integer >= 0", false);
    const out: SpooledBatch[] = [];
    let from = afterSeq;
    while (out.length < limit) {
      const runs = this.runsAfter(from, limit - out.length);
      if (runs.length === 0) break;
      const damaged: number[] = [];
      for (const run of runs) await this.readRun(run, out, damaged);
      if (damaged.length === 0) break;
      // Frames that were intact at open but are not now: count them as lost and fill up with later ones.
      this.forgetDamaged(damaged);
      from = out.length > 0 ? Math.max(from, (out[out.length - 1] as SpooledBatch).seq) : from;
      await this.persistMeta(false).catch(() => undefined);
    }
    return out;
  }

  // Locates live entries after `from` by binary search, grouped per segment so each group is one read.
  private runsAfter(from: number, limit: number): Run[] {
    const runs: Run[] = [];
    let left = limit;
    let s = lowerBound(this.segments.length, (i) => (this.segments[i] as Segment).maxSeq > from);
    for (; s < this.segments.length && left > 0; s++) {
      const seg = this.segments[s] as Segment;
      let lo = seg.head;
      let hi = seg.seqs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((seg.seqs[mid] as number) > from) hi = mid;
        else lo = mid + 1;
      }
      const to = Math.min(seg.seqs.length, lo + left);
      if (to > lo) {
        runs.push({ seg, from: lo, to });
        left -= to - lo;
      }
    }
    return runs;
  }

  private async readRun(run: Run, out: SpooledBatch[], damaged: number[]): Promise<void> {
    const { seg } = run;
    const start = seg.offsets[run.from] as number;
    const end = (seg.offsets[run.to - 1] as number) + (seg.sizes[run.to - 1] as number);
    let buf: Buffer;
    try {
      const fh = await open(seg.path, "r");
      try {
        buf = await readUpTo(fh, end - start, start);
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (errnoOf(err) !== "ENOENT") throw toSpoolError(err, `cannot read ${seg.path}`);
      buf = Buffer.alloc(0); // Deleted behind our back: its batches are lost, and reported as such.
    }
    for (let i = run.from; i < run.to; i++) {
      const seq = seg.seqs[i] as number;
      const offset = (seg.offsets[i] as number) - start;
      const size = seg.sizes[i] as number;
      const frame = checkFrame(buf, offset, seq - 1);
      const payload = frame?.seq === seq ? decodePayload(buf, offset, size) : null;
      if (payload && payload.seq === seq) out.push({ seq, records: payload.records, bytes: size });
      else damaged.push(seq);
    }
  }

  private forgetDamaged(seqs: number[]): void {
    const lost = new Set(seqs);
    for (const seg of this.segments) {
      for (let i = seg.seqs.length - 1; i >= seg.head; i--) {
        const seq = seg.seqs[i] as number;
        if (!lost.has(seq)) continue;
        const size = seg.sizes[i] as number;
        seg.seqs.splice(i, 1);
        seg.offsets.splice(i, 1);
        seg.sizes.splice(i, 1);
        this.pendingBatches--;
        this.pendingBytes -= size;
        this.recordHole(seq, seq, size);
      }
    }
  }

  // ---------------------------------------------------------------- ack

  // ack and skipTo behave alike: both names exist because their callers mean different things.
  private async doAck(seq: number): Promise<void> {
    if (!Number.isSafeInteger(seq) || seq < 0) throw new SpoolError("invalid", "seq must be an integer >= 0", false);
    let jumped = false;
    if (seq > this.ackedSeq) {
      if (seq > this.lastSeq) {
        jumped = true;
        // Beyond what we handed out: the collector knows of seqs this spool lost (a wiped state directory).
        // Handing them out again would get new batches discarded as duplicates, so jump past them; a plain
        // ack does the same rather than trust that it cannot happen.
        this.lastSeq = seq;
        await this.retireActive(); // its segment is now fully acknowledged; the next seq starts a new one
      }
      this.ackedSeq = seq;
      this.advanceFloor(seq);
      this.metaDirty = true;
    }
    // A lost ack only costs a resend, but a lost jump would hand out seqs the collector already has.
    await this.commit(jumped);
  }

  // Saves state, then deletes segments holding nothing live. A failed save is reported here (unlike in
  // append, the caller can simply try again) and nothing is deleted until it succeeds.
  private async commit(durable: boolean): Promise<void> {
    const doomed: Segment[] = [];
    for (const seg of this.segments) {
      if (seg.head < seg.seqs.length || seg === this.active?.seg) break;
      doomed.push(seg);
    }
    if (!this.metaDirty && doomed.length === 0) return;
    // The meta must be durable before the deletions, or a crash could leave a hole that looks like loss.
    await this.persistMeta(durable || doomed.length > 0);
    for (const seg of doomed) await this.removeSegment(seg);
  }

  // Every seq up to `seq` is acknowledged or dropped: move each segment's head past them.
  private advanceFloor(seq: number): void {
    if (seq <= this.floorSeq) return;
    this.floorSeq = seq;
    for (const seg of this.segments) {
      while (seg.head < seg.seqs.length && (seg.seqs[seg.head] as number) <= seq) {
        this.pendingBatches--;
        this.pendingBytes -= seg.sizes[seg.head] as number;
        seg.head++;
      }
      if (seg.head < seg.seqs.length) break;
    }
    this.lostRanges = this.lostRanges.filter((r) => r[1] > seq).map((r) => [Math.max(r[0], seq + 1), r[1]]);
  }

  private async removeSegment(seg: Segment): Promise<void> {
    const i = this.segments.indexOf(seg);
    if (i >= 0) this.segments.splice(i, 1);
    this.diskBytes -= seg.size;
    if (this.active?.seg === seg) await this.retireActive();
    // A failed unlink leaves a file whose seqs are all below the floor; the next open deletes it.
    await unlink(seg.path).catch(() => undefined);
  }

  // ---------------------------------------------------------------- meta

  private async persistMeta(syncDirectory: boolean): Promise<void> {
    const meta: Meta = {
      version: 1,
      ackedSeq: this.ackedSeq,
      floorSeq: this.floorSeq,
      lastSeq: this.lastSeq,
      droppedBatches: this.droppedBatches,
      droppedBytes: this.droppedBytes,
      pendingLoss: this.pendingLoss,
      lostRanges: this.lostRanges,
    };
    this.metaDirty = true;
    await writeMeta(this.dir, meta, { fsync: this.fsync, syncDir: syncDirectory });
    this.metaDirty = false;
  }

  // A hole in the seqs (damage, a segment deleted by hand, a crash before the meta recorded a drop): the
  // batches are gone, so they are counted and reported like a drop, and remembered so they count once.
  private recordHole(first: number, last: number, bytes: number): void {
    this.droppedBatches += last - first + 1;
    this.droppedBytes += bytes;
    this.pendingLoss = mergeLoss(this.pendingLoss, {
      droppedBatches: last - first + 1,
      droppedBytes: bytes,
      firstDroppedSeq: first,
      lastDroppedSeq: last,
    });
    this.lostRanges = addRange(this.lostRanges, first, last);
    this.metaDirty = true;
  }

  // ---------------------------------------------------------------- recovery

  // Whether batch `seq` is still here and carries exactly this loss report (see doAppend).
  private async carriesLoss(seq: number, loss: PendingLoss): Promise<boolean> {
    const runs = this.runsAfter(seq - 1, 1);
    const run = runs[0];
    if (!run || run.seg.seqs[run.from] !== seq) return false;
    const out: SpooledBatch[] = [];
    await this.readRun(run, out, []);
    return (out[0]?.records ?? []).some(
      (r) =>
        r.kind === "spool_loss" &&
        r.droppedBatches === loss.droppedBatches &&
        r.droppedBytes === loss.droppedBytes &&
        r.firstDroppedSeq === loss.firstDroppedSeq &&
        r.lastDroppedSeq === loss.lastDroppedSeq &&
        r.oldestTs === loss.oldestTs &&
        r.newestTs === loss.newestTs,
    );
  }

  private async recover(): Promise<void> {
    const stored = await readMeta(this.dir);
    await removeMetaLeftovers(this.dir);
    const meta = stored ?? emptyMeta();
    this.ackedSeq = meta.ackedSeq;
    this.floorSeq = Math.max(meta.floorSeq, meta.ackedSeq);
    this.lastSeq = Math.max(meta.lastSeq, this.floorSeq);
    this.droppedBatches = meta.droppedBatches;
    this.droppedBytes = meta.droppedBytes;
    this.pendingLoss = meta.pendingLoss;
    this.lostRanges = meta.lostRanges;

    const names = (await readdir(this.dir)).filter((n) => SEGMENT_NAME.test(n)).sort();
    if (!stored && names.length > 0) {
      // No record of what was acknowledged: resend everything present (the collector drops duplicates), and
      // do not report the seqs before the oldest segment as lost; most likely they were acknowledged.
      this.floorSeq = Math.max(0, Number(SEGMENT_NAME.exec(names[0] as string)?.[1]) - 1);
    }

    const damage = new Map<number, number>(); // damaged bytes, by the seq of the frame before them
    const noteDamage = (d: DamagedRegion): void => void damage.set(d.afterSeq, (damage.get(d.afterSeq) ?? 0) + d.bytes);
    let prevSeq = 0;
    const emptied: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const path = join(this.dir, names[i] as string);
      const isLast = i === names.length - 1;
      const buf = await readFile(path);
      const scan = scanFrames(buf, prevSeq);
      scan.damaged.forEach(noteDamage);
      // After the last good frame of the newest segment: an append cut short by a crash, whose seq was never
      // returned, so nothing is lost. Anywhere else it is damage to batches that had been stored.
      if (!isLast && scan.end < buf.length) noteDamage({ afterSeq: scan.frames.at(-1)?.seq ?? prevSeq, bytes: buf.length - scan.end });
      if (scan.frames.length === 0) {
        emptied.push(path);
        continue;
      }
      if (scan.end < buf.length) {
        await truncate(path, scan.end);
      }
      const seg: Segment = {
        path,
        size: scan.end,
        seqs: scan.frames.map((f) => f.seq),
        offsets: scan.frames.map((f) => f.offset),
        sizes: scan.frames.map((f) => f.size),
        head: 0,
        maxSeq: scan.frames[scan.frames.length - 1]?.seq ?? 0,
      };
      this.segments.push(seg);
      this.diskBytes += seg.size;
      for (const f of scan.frames) {
        if (f.seq <= this.floorSeq) {
          seg.head++;
        } else {
          this.pendingBatches++;
          this.pendingBytes += f.size;
        }
      }
      prevSeq = seg.seqs[seg.seqs.length - 1] as number;
    }
    this.lastSeq = Math.max(this.lastSeq, prevSeq);
    if (stored?.pendingLoss && (await this.carriesLoss(stored.lastSeq + 1, stored.pendingLoss))) {
      this.pendingLoss = null;
      this.metaDirty = true;
    }

    // Every seq between the floor and lastSeq should be in a segment; what is not was lost.
    let expected = this.floorSeq + 1;
    const holes: Array<[number, number]> = [];
    for (const seg of this.segments) {
      for (let i = seg.head; i < seg.seqs.length; i++) {
        const seq = seg.seqs[i] as number;
        if (seq > expected) holes.push([expected, seq - 1]);
        expected = seq + 1;
      }
    }
    if (this.lastSeq >= expected) holes.push([expected, this.lastSeq]);
    for (const [first, last] of holes) {
      for (const [a, b] of subtractRanges(first, last, this.lostRanges)) this.recordHole(a, b, damage.get(a - 1) ?? 0);
    }

    const doomed = this.segments.filter((seg) => seg.head === seg.seqs.length);
    if (!stored || this.metaDirty || doomed.length > 0 || emptied.length > 0 || meta.lastSeq !== this.lastSeq) {
      await this.persistMeta(true);
    }
    for (const path of emptied) await unlink(path).catch(() => undefined);
    for (const seg of doomed) await this.removeSegment(seg);

    const newest = this.segments[this.segments.length - 1];
    if (newest && newest.size < this.segmentBytes) {
      this.active = { seg: newest, fh: await open(newest.path, "r+") };
    }
  }
}

function normalizeOptions(opts: SpoolOptions): Required<SpoolOptions> {
  if (!opts || typeof opts.dir !== "string" || opts.dir === "") throw new SpoolError("invalid", "spool dir is required", false);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  for (const [name, value] of [
    ["maxBytes", maxBytes],
    ["segmentBytes", segmentBytes],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new SpoolError("invalid", `${name} must be a positive integer`, false);
  }
  return {
    dir: opts.dir,
    maxBytes,
    segmentBytes: Math.max(1, Math.min(segmentBytes, Math.floor(maxBytes / 4))),
    fsync: opts.fsync ?? true,
  };
}

async function ensureDir(dir: string, fsync: boolean): Promise<void> {
  try {
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    // A directory that vanishes in a power cut would take the spool with it.
    if (created !== undefined && fsync) await syncDir(dirname(created));
  } catch (err) {
    throw toSpoolError(err, `cannot create spool directory ${dir}`);
  }
}

function segmentName(firstSeq: number): string {
  return `${String(firstSeq).padStart(20, "0")}.seg`;
}

function lossRecord(loss: PendingLoss, bootId: string): SpoolLossRecord {
  return { kind: "spool_loss", ts: Date.now(), bootId, ...loss };
}

function lossFromRecord(r: SpoolLossRecord): PendingLoss {
  const loss: PendingLoss = {
    droppedBatches: r.droppedBatches,
    droppedBytes: r.droppedBytes,
    firstDroppedSeq: r.firstDroppedSeq,
    lastDroppedSeq: r.lastDroppedSeq,
  };
  if (r.oldestTs !== undefined) loss.oldestTs = r.oldestTs;
  if (r.newestTs !== undefined) loss.newestTs = r.newestTs;
  return loss;
}

// First index in [0, n) for which pred holds, given pred is false then true.
function lowerBound(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sumFrom(values: number[], from: number): number {
  let sum = 0;
  for (let i = from; i < values.length; i++) sum += values[i] as number;
  return sum;
}

function addRange(ranges: Array<[number, number]>, first: number, last: number): Array<[number, number]> {
  const all = [...ranges, [first, last] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of all) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function subtractRanges(first: number, last: number, ranges: Array<[number, number]>): Array<[number, number]> {
  let pieces: Array<[number, number]> = [[first, last]];
  for (const [a, b] of ranges) {
    pieces = pieces.flatMap(([x, y]): Array<[number, number]> => {
      if (b < x || a > y) return [[x, y]];
      const left: Array<[number, number]> = a > x ? [[x, a - 1]] : [];
      const right: Array<[number, number]> = b < y ? [[b + 1, y]] : [];
      return [...left, ...right];
    });
  }
  return pieces;
}
