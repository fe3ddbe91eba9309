import { crc32 } from "node:zlib";
import type { AgentRecord } from "@vigil/protocol";

/*
 * On disk a batch is one frame: [u32 LE payload length][u32 LE crc32 of payload][payload], the payload
 * being the UTF-8 JSON `{"seq":N,"records":[...]}`. Serialising seq first, always, lets recovery read a
 * frame's seq without parsing the records and gives resynchronisation a fixed byte pattern to look for.
 */

/** Bytes of a frame before its payload. */
export const HEADER_BYTES = 8;

const PREFIX = Buffer.from('{"seq":', "utf8");
// Shortest payload that can be valid: {"seq":1,"records":[]}
const MIN_PAYLOAD = 23;

/** Payload of a frame as written. */
export interface FramePayload {
  seq: number;
  records: AgentRecord[];
}

/** Encodes one batch as a frame. */
export function encodeFrame(seq: number, records: readonly AgentRecord[]): Buffer {
  const json = JSON.stringify({ seq, records });
  const length = Buffer.byteLength(json, "utf8");
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  frame.write(json, HEADER_BYTES, "utf8");
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES)), 4);
  return frame;
}

/** Seq and size of the whole, undamaged frame at `offset` whose seq is above `prevSeq`, or null. */
export function checkFrame(buf: Buffer, offset: number, prevSeq: number): { seq: number; size: number } | null {
  // Cheapest tests first: resynchronisation calls this at every candidate position in damaged bytes.
  if (offset < 0 || offset + HEADER_BYTES + MIN_PAYLOAD > buf.length) return null;
  const length = buf.readUInt32LE(offset);
  const start = offset + HEADER_BYTES;
  if (length < MIN_PAYLOAD || start + length > buf.length) return null;
  if (buf.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0) return null;
  let seq = 0;
  let digits = 0;
  for (let i = start + PREFIX.length; i < start + length; i++) {
    const c = buf[i] as number;
    if (c < 0x30 || c > 0x39) break;
    seq = seq * 10 + (c - 0x30);
    if (++digits > 16) return null;
  }
  if (digits === 0 || !Number.isSafeInteger(seq) || seq < 1 || seq <= prevSeq) return null;
  if (crc32(buf.subarray(start, start + length)) !== buf.readUInt32LE(offset + 4)) return null;
  return { seq, size: HEADER_BYTES + length };
}

/** Parses the payload of a frame already found intact by `checkFrame`; null if it is not what we wrote. */
export function decodePayload(buf: Buffer, offset: number, size: number): FramePayload | null {
  try {
    const value = JSON.parse(buf.toString("utf8", offset + HEADER_BYTES, offset + size)) as Partial<FramePayload>;
    if (typeof value.seq !== "number" || !Array.isArray(value.records)) return null;
    return { seq: value.seq, records: value.records };
  } catch {
    return null;
  }
}

/** A frame found by a scan. */
export interface ScannedFrame {
  seq: number;
  offset: number;
  size: number;
}

/** Damaged bytes found between good frames (or after the last one), keyed by the seq of the frame before them. */
export interface DamagedRegion {
  afterSeq: number;
  bytes: number;
}

/** Outcome of scanning a segment file. */
export interface ScanResult {
  frames: ScannedFrame[];
  /** End of the last good frame: everything after it is damaged or torn. */
  end: number;
  /** Damaged regions between good frames; the region after `end` is not included. */
  damaged: DamagedRegion[];
}

/** Every intact frame of a segment, in order; damaged bytes are skipped so they cost only their own frames. */
export function scanFrames(buf: Buffer, prevSeq: number): ScanResult {
  const frames: ScannedFrame[] = [];
  const damaged: DamagedRegion[] = [];
  let offset = 0;
  let end = 0;
  let last = prevSeq;
  while (offset < buf.length) {
    const frame = checkFrame(buf, offset, last);
    if (frame) {
      frames.push({ seq: frame.seq, offset, size: frame.size });
      last = frame.seq;
      offset += frame.size;
      end = offset;
      continue;
    }
    const next = findNextFrame(buf, offset + 1, last);
    if (next < 0) break;
    damaged.push({ afterSeq: last, bytes: next - offset });
    offset = next;
  }
  return { frames, end, damaged };
}

function findNextFrame(buf: Buffer, from: number, prevSeq: number): number {
  let searchFrom = from + HEADER_BYTES;
  for (;;) {
    const at = buf.indexOf(PREFIX, searchFrom);
    if (at < 0) return -1;
    if (checkFrame(buf, at - HEADER_BYTES, prevSeq)) return at - HEADER_BYTES;
    searchFrom = at + 1;
  }
}
