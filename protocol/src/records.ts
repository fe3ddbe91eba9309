import { z } from "zod";
import {
  MAX_INVENTORY_DOCUMENT_BYTES,
  MAX_INVENTORY_PARTS,
  MAX_INVENTORY_PART_CHARS,
  MAX_LABELS,
  MAX_LABEL_VALUE_LENGTH,
  MAX_METRICS_PER_RECORD,
  MAX_NAME_LENGTH,
} from "./limits.js";

/** Epoch milliseconds, as an integer. Bounded to years 2000–2200 so a wild clock cannot poison storage. */
export const EpochMillis = z
  .number()
  .int()
  .min(946_684_800_000, "timestamp before 2000-01-01")
  .max(7_258_118_400_000, "timestamp after 2200-01-01");

const Name = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .regex(/^[a-z][a-z0-9_.]*$/, "lowercase letters, digits, '_' and '.', starting with a letter");

/** Boot id of the host (Linux: /proc/sys/kernel/random/boot_id); changes on every boot. */
export const BootId = z.string().min(1).max(100);

/** Labels that tell series of one metric apart, for example `{ core: "0" }` or `{ mount: "/" }`. */
export const Labels = z
  .record(z.string().min(1).max(MAX_NAME_LENGTH).regex(/^[a-z][a-z0-9_]*$/), z.string().max(MAX_LABEL_VALUE_LENGTH))
  .refine((l) => Object.keys(l).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);

/** One measured value. */
export const Metric = z.object({
  name: Name,
  labels: Labels.optional(),
  value: z.number().finite(),
});
export type Metric = z.infer<typeof Metric>;

/** Health of the host at one instant: CPU, memory, filesystems, network, disk I/O, uptime. */
export const HealthRecord = z.object({
  kind: z.literal("health"),
  ts: EpochMillis,
  bootId: BootId,
  metrics: z.array(Metric).max(MAX_METRICS_PER_RECORD),
});
export type HealthRecord = z.infer<typeof HealthRecord>;

/** What a check is for: the site's gateway, the internet beyond it, or a service the client relies on. */
export const CheckRole = z.enum(["gateway", "internet", "service"]);
export type CheckRole = z.infer<typeof CheckRole>;

export const CheckType = z.enum(["ping", "tcp", "http"]);
export type CheckType = z.infer<typeof CheckType>;

/** Result of one run of a check. */
export const CheckRecord = z.object({
  kind: z.literal("check"),
  ts: EpochMillis,
  bootId: BootId,
  checkId: z.string().min(1).max(MAX_NAME_LENGTH),
  checkType: CheckType,
  role: CheckRole,
  target: z.string().min(1).max(2048),
  ok: z.boolean(),
  /** Round-trip or response time in milliseconds; null when nothing answered. */
  latencyMs: z.number().finite().nonnegative().nullable(),
  /** Share of probes lost, 0–100; null where the check type has no notion of loss. */
  lossPct: z.number().min(0).max(100).nullable(),
  /** HTTP status code, for http checks that got an answer. */
  status: z.number().int().min(100).max(599).optional(),
  /** Why the check failed, in words. */
  error: z.string().max(1000).optional(),
});
export type CheckRecord = z.infer<typeof CheckRecord>;

/** The agent's spool overflowed and dropped its oldest batches: this is how the loss is reported. */
export const SpoolLossRecord = z
  .object({
    kind: z.literal("spool_loss"),
    ts: EpochMillis,
    bootId: BootId,
    droppedBatches: z.number().int().positive(),
    droppedBytes: z.number().int().nonnegative(),
    firstDroppedSeq: z.number().int().positive(),
    lastDroppedSeq: z.number().int().positive(),
    /** Time span of the samples lost, when known. */
    oldestTs: EpochMillis.optional(),
    newestTs: EpochMillis.optional(),
  })
  .refine((r) => r.firstDroppedSeq <= r.lastDroppedSeq, {
    message: "firstDroppedSeq must not be greater than lastDroppedSeq",
    path: ["lastDroppedSeq"],
  })
  .refine((r) => r.oldestTs === undefined || r.newestTs === undefined || r.oldestTs <= r.newestTs, {
    message: "oldestTs must not be later than newestTs",
    path: ["newestTs"],
  });
export type SpoolLossRecord = z.infer<typeof SpoolLossRecord>;

/**
 * One part of an inventory document: the document's JSON, gzipped, base64-encoded and split into
 * `parts` records of at most MAX_INVENTORY_PART_CHARS characters, each in its own batch (see the README).
 * Agents send it only to collectors whose `welcome.accepts` lists `inventory`.
 */
export const InventoryRecord = z
  .object({
    kind: z.literal("inventory"),
    /** When the document was collected (its `collectedAt`); the same in every part. */
    ts: EpochMillis,
    bootId: BootId,
    /** SHA-256 (hex) of the document's content, as the agent computes it; the same in every part. */
    hash: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits (SHA-256)"),
    encoding: z.literal("gzip+base64"),
    /** Bytes of the uncompressed JSON document. */
    size: z.number().int().positive().max(MAX_INVENTORY_DOCUMENT_BYTES),
    part: z.number().int().min(1).max(MAX_INVENTORY_PARTS),
    parts: z.number().int().min(1).max(MAX_INVENTORY_PARTS),
    /** This part's share of the base64 text of the gzipped document. */
    data: z
      .string()
      .min(1)
      .max(MAX_INVENTORY_PART_CHARS)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64 (RFC 4648 alphabet)"),
  })
  .refine((r) => r.part <= r.parts, { message: "part must not be greater than parts", path: ["part"] });
export type InventoryRecord = z.infer<typeof InventoryRecord>;

/** Any record a batch can carry. Kinds beyond health, check and spool_loss are announced in `welcome.accepts`. */
export const AgentRecord = z.discriminatedUnion("kind", [HealthRecord, CheckRecord, SpoolLossRecord, InventoryRecord]);
export type AgentRecord = z.infer<typeof AgentRecord>;
export type RecordKind = AgentRecord["kind"];

/** Record kinds this protocol version defines. */
export const RECORD_KINDS: readonly RecordKind[] = ["health", "check", "spool_loss", "inventory"];
