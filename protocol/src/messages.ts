import { z } from "zod";
import { AgentConfig } from "./config.js";
import { ErrorCode } from "./errors.js";
import { MAX_RECORDS_PER_BATCH } from "./limits.js";
import { AgentRecord, BootId, EpochMillis } from "./records.js";
import { PROTOCOL_VERSION } from "./version.js";

const V = z.literal(PROTOCOL_VERSION);
const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** First message on every connection, agent → collector. */
export const Hello = z.object({
  type: z.literal("hello"),
  v: V,
  agentVersion: z.string().min(1).max(50),
  hostname: z.string().min(1).max(253),
  bootId: BootId,
  os: z.object({ platform: z.string().max(50), release: z.string().max(200), arch: z.string().max(50) }),
  /** When this agent process started (epoch ms). */
  startedAt: EpochMillis,
  /** Agent's clock when the hello was sent; lets the collector measure skew. */
  sentAt: EpochMillis,
  /** Highest sequence number the agent has spooled (0 when none yet). */
  lastSeq: z.number().int().nonnegative(),
});
export type Hello = z.infer<typeof Hello>;

/** Records the agent wants stored, agent → collector. Sequence numbers increase by one per batch. */
export const Batch = z.object({
  type: z.literal("batch"),
  v: V,
  seq: Seq,
  /** Agent's clock when this frame was sent (a resent batch carries the new send time). */
  sentAt: EpochMillis,
  records: z.array(AgentRecord).min(1).max(MAX_RECORDS_PER_BATCH),
});
export type Batch = z.infer<typeof Batch>;

/** Why an agent is stopping. The collector tells planned stops from crashes by it. */
export const GoodbyeReason = z.enum(["service_stop", "os_shutdown", "os_reboot", "agent_restart", "uninstall", "user"]);
export type GoodbyeReason = z.infer<typeof GoodbyeReason>;

/** Last message before a clean stop, agent → collector. */
export const Goodbye = z.object({
  type: z.literal("goodbye"),
  v: V,
  reason: GoodbyeReason,
  sentAt: EpochMillis,
  message: z.string().max(1000).optional(),
});
export type Goodbye = z.infer<typeof Goodbye>;

/** Every message an agent may send. */
export const AgentMessage = z.discriminatedUnion("type", [Hello, Batch, Goodbye]);
export type AgentMessage = z.infer<typeof AgentMessage>;

/** Answer to hello, collector → agent. */
export const Welcome = z.object({
  type: z.literal("welcome"),
  v: V,
  agentId: z.string(),
  /** Every batch with a sequence number up to this one is already stored: drop them from the spool. */
  storedSeq: z.number().int().nonnegative(),
  /** Collector's clock (epoch ms), for the agent's information. */
  serverTime: EpochMillis,
  /** Record kinds this collector stores. */
  accepts: z.array(z.string()),
  config: AgentConfig,
});
export type Welcome = z.infer<typeof Welcome>;

/** Cumulative acknowledgement: every batch up to and including `seq` is durably stored. */
export const Ack = z.object({
  type: z.literal("ack"),
  v: V,
  seq: z.number().int().nonnegative(),
});
export type Ack = z.infer<typeof Ack>;

/** Something the agent sent was refused. `retryable` says whether sending it again can succeed. */
export const ErrorMessage = z.object({
  type: z.literal("error"),
  v: V,
  code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  retryable: z.boolean(),
  /** The batch the error is about, when it is about one. */
  seq: z.number().int().positive().optional(),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** New settings for the agent, collector → agent, at any time after welcome. */
export const ConfigPush = z.object({
  type: z.literal("config"),
  v: V,
  config: AgentConfig,
});
export type ConfigPush = z.infer<typeof ConfigPush>;

/** Every message a collector may send. */
export const CollectorMessage = z.discriminatedUnion("type", [Welcome, Ack, ErrorMessage, ConfigPush]);
export type CollectorMessage = z.infer<typeof CollectorMessage>;
