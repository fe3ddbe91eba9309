import type { z } from "zod";
import { ErrorCode } from "./errors.js";
import { MAX_FRAME_BYTES } from "./limits.js";
import { AgentMessage, CollectorMessage } from "./messages.js";
import { SUPPORTED_VERSIONS } from "./version.js";

/** Outcome of decoding one frame: the message, or why it was refused. */
export type Decoded<T> =
  | { ok: true; message: T }
  | { ok: false; code: ErrorCode; message: string; seq?: number };

const AGENT_TYPES = new Set(["hello", "batch", "goodbye"]);
const COLLECTOR_TYPES = new Set(["welcome", "ack", "error", "config"]);

/** Decodes a text frame sent by an agent. Never throws. */
export function decodeAgentMessage(frame: string): Decoded<AgentMessage> {
  return decode(frame, AgentMessage, AGENT_TYPES);
}

/** Decodes a text frame sent by a collector. Never throws. */
export function decodeCollectorMessage(frame: string): Decoded<CollectorMessage> {
  return decode(frame, CollectorMessage, COLLECTOR_TYPES);
}

/** Encodes a message as a text frame. */
export function encodeMessage(message: AgentMessage | CollectorMessage): string {
  return JSON.stringify(message);
}

function decode<T>(frame: string, schema: z.ZodType<T>, types: Set<string>): Decoded<T> {
  if (Buffer.byteLength(frame, "utf8") > MAX_FRAME_BYTES) {
    return { ok: false, code: ErrorCode.FrameTooLarge, message: `frame larger than ${MAX_FRAME_BYTES} bytes` };
  }
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch (err) {
    return { ok: false, code: ErrorCode.InvalidJson, message: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, code: ErrorCode.InvalidMessage, message: "a message must be a JSON object" };
  }
  const { type, v, seq } = value as { type?: unknown; v?: unknown; seq?: unknown };
  const seqHint = typeof seq === "number" && Number.isSafeInteger(seq) && seq > 0 ? { seq } : {};
  if (typeof type !== "string" || !types.has(type)) {
    return {
      ok: false,
      code: ErrorCode.UnknownType,
      message: `type: unknown message type ${describe(type)} (expected one of ${[...types].join(", ")})`,
      ...seqHint,
    };
  }
  if (typeof v !== "number" || !SUPPORTED_VERSIONS.includes(v)) {
    return {
      ok: false,
      code: ErrorCode.UnsupportedVersion,
      message: `v: protocol version ${describe(v)} not supported (supported: ${SUPPORTED_VERSIONS.join(", ")})`,
    };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? first.path.join(".") : type;
    return { ok: false, code: ErrorCode.InvalidMessage, message: `${where}: ${first?.message ?? "invalid"}`, ...seqHint };
  }
  return { ok: true, message: parsed.data };
}

/**
 * Names a received value in an error message: short whatever the input, and never throws
 * (JSON.stringify of a deeply nested value would overflow the stack; a long string would be echoed whole).
 */
function describe(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return Array.isArray(value) ? "(an array)" : "(an object)";
}
