import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { MAX_INVENTORY_DOCUMENT_BYTES, MAX_INVENTORY_PART_CHARS, MAX_INVENTORY_PARTS } from "./limits.js";
import { EpochMillis, type InventoryRecord } from "./records.js";

/** Version of the inventory document layout; documents carry it as `schema`. */
export const INVENTORY_SCHEMA_VERSION = 1 as const;

/** The only `encoding` of inventory records: gzip (RFC 1952), then base64 (RFC 4648, with padding). */
export const INVENTORY_ENCODING = "gzip+base64" as const;

/** Most entries in `software`. */
export const MAX_INVENTORY_SOFTWARE = 50_000;
/** Most entries in `services`. */
export const MAX_INVENTORY_SERVICES = 10_000;

const Text = (max: number) => z.string().max(max);
const Count = z.number().int().nonnegative().max(1_000_000);
const Bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** A calendar date, or "" when unknown. */
const DateOnly = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, "a date as YYYY-MM-DD, or empty when unknown");

export const InventorySystem = z.object({
  manufacturer: Text(200),
  model: Text(200),
  version: Text(200),
  serial: Text(200),
  uuid: Text(100),
  sku: Text(200),
  /** True for virtual machines and containers. */
  virtual: z.boolean(),
  /** The hypervisor, when virtual and known (`KVM`, `VMware`, `Hyper-V`). */
  virtualHost: Text(200),
  hostname: Text(253),
  fqdn: Text(253),
});
export type InventorySystem = z.infer<typeof InventorySystem>;

export const InventoryBios = z.object({
  vendor: Text(200),
  version: Text(200),
  releaseDate: DateOnly,
  revision: Text(100),
});
export type InventoryBios = z.infer<typeof InventoryBios>;

export const InventoryBaseboard = z.object({
  manufacturer: Text(200),
  model: Text(200),
  version: Text(200),
  serial: Text(200),
});
export type InventoryBaseboard = z.infer<typeof InventoryBaseboard>;

export const InventoryCpu = z.object({
  manufacturer: Text(200),
  brand: Text(200),
  /** Logical processors (threads). */
  cores: Count,
  physicalCores: Count,
  sockets: Count,
  /** Base and highest clock in GHz; 0 when unknown. */
  speedGHz: z.number().nonnegative().max(100),
  speedMaxGHz: z.number().nonnegative().max(100),
});
export type InventoryCpu = z.infer<typeof InventoryCpu>;

export const InventoryMemoryModule = z.object({
  sizeBytes: Bytes,
  type: Text(50),
  /** 0 when unknown. */
  speedMHz: z.number().nonnegative().max(1_000_000),
  formFactor: Text(50),
  manufacturer: Text(200),
  partNumber: Text(200),
  serial: Text(200),
  bank: Text(200),
});
export type InventoryMemoryModule = z.infer<typeof InventoryMemoryModule>;

export const InventoryMemory = z.object({
  totalBytes: Bytes,
  modules: z.array(InventoryMemoryModule).max(512),
});
export type InventoryMemory = z.infer<typeof InventoryMemory>;

/** SMART overall health: `ok`, `failing` (the drive predicts its failure or a test failed), `unknown`. */
export const SmartStatus = z.enum(["ok", "failing", "unknown"]);
export type SmartStatus = z.infer<typeof SmartStatus>;

export const InventoryDisk = z.object({
  /** Device name: `/dev/sda`, `\\.\PHYSICALDRIVE0`, `disk0`. */
  device: Text(200),
  model: Text(200),
  serial: Text(200),
  vendor: Text(200),
  firmware: Text(100),
  sizeBytes: Bytes,
  /** `HDD`, `SSD`, `NVMe`, or "" when unknown. */
  type: Text(50),
  /** Bus: `SATA`, `SAS`, `NVMe`, `USB`, `virtio`... or "". */
  interface: Text(50),
  smart: SmartStatus,
});
export type InventoryDisk = z.infer<typeof InventoryDisk>;

export const InventoryFilesystem = z.object({
  mount: Text(1000),
  device: Text(500),
  fstype: Text(50),
  sizeBytes: Bytes,
});
export type InventoryFilesystem = z.infer<typeof InventoryFilesystem>;

export const InventoryNetworkInterface = z.object({
  name: Text(200),
  mac: Text(50),
  ipv4: z.array(Text(50)).max(256),
  ipv6: z.array(Text(100)).max(256),
  /** Link speed in Mbit/s; null when unknown or not applicable. */
  speedMbps: z.number().nonnegative().max(10_000_000).nullable(),
  /** `wired`, `wireless`, `virtual`, or "". */
  type: Text(50),
  virtual: z.boolean(),
});
export type InventoryNetworkInterface = z.infer<typeof InventoryNetworkInterface>;

export const InventoryOs = z.object({
  /** Node.js platform name: `linux`, `win32`, `darwin`, `freebsd`. */
  platform: Text(50),
  /** Distribution or product name: `Ubuntu`, `Debian GNU/Linux`, `Microsoft Windows 11 Pro`, `macOS`. */
  distro: Text(200),
  /** Release as the OS states it: `22.04.4 LTS`, `12`, `10.0.22631`, `14.5`. */
  release: Text(200),
  codename: Text(100),
  kernel: Text(200),
  arch: Text(50),
  /** Build number (Windows: `22631`), or "". */
  build: Text(100),
  servicePack: Text(100),
  /** os-release `ID` and `VERSION_ID` on Linux (`ubuntu`, `22.04`); "" elsewhere. */
  id: Text(100),
  versionId: Text(100),
});
export type InventoryOs = z.infer<typeof InventoryOs>;

/** Where a software entry was found. */
export const SoftwareSource = z.enum(["dpkg", "rpm", "registry", "applications", "other"]);
export type SoftwareSource = z.infer<typeof SoftwareSource>;

export const InventorySoftware = z.object({
  name: z.string().min(1).max(300),
  version: Text(200),
  /** Package architecture (`amd64`, `x86_64`, `all`), or "". */
  arch: Text(50),
  publisher: Text(300),
  source: SoftwareSource,
});
export type InventorySoftware = z.infer<typeof InventorySoftware>;

/** A service's state: systemd's active/sub state, the Windows service state, or launchd's. */
export const ServiceState = z.enum(["running", "exited", "stopped", "failed", "starting", "stopping", "unknown"]);
export type ServiceState = z.infer<typeof ServiceState>;

/** Whether a service starts with the system. */
export const ServiceStartMode = z.enum(["auto", "manual", "disabled", "unknown"]);
export type ServiceStartMode = z.infer<typeof ServiceStartMode>;

export const InventoryService = z.object({
  name: z.string().min(1).max(300),
  state: ServiceState,
  startMode: ServiceStartMode,
  description: Text(500),
});
export type InventoryService = z.infer<typeof InventoryService>;

export const InventoryUser = z.object({
  user: Text(256),
  /** Terminal or session (`pts/0`, `console`, `RDP-Tcp#3`), or "". */
  terminal: Text(100),
  /** Remote host of the session, or "". */
  host: Text(253),
  loginAt: EpochMillis.nullable(),
});
export type InventoryUser = z.infer<typeof InventoryUser>;

/** What the agent measured about the collection itself. Not part of the content hash. */
export const InventoryCollection = z.object({
  durationMs: z.number().nonnegative().max(86_400_000),
  /** CPU time of the agent process while collecting (includes anything else it did meanwhile). */
  cpuMs: z.number().nonnegative().max(86_400_000),
  /** CPU time of the tools it ran (dpkg-query, systemctl...). */
  childCpuMs: z.number().nonnegative().max(86_400_000),
});
export type InventoryCollection = z.infer<typeof InventoryCollection>;

/**
 * Everything the agent knows about what the host is: hardware, operating system, software, services,
 * users. Sent compressed inside `inventory` records; the protocol README documents every field.
 */
export const InventoryDocument = z.object({
  schema: z.literal(INVENTORY_SCHEMA_VERSION),
  collectedAt: EpochMillis,
  agent: z.object({ version: z.string().min(1).max(50), collection: InventoryCollection.optional() }),
  system: InventorySystem,
  bios: InventoryBios,
  baseboard: InventoryBaseboard,
  cpu: InventoryCpu,
  memory: InventoryMemory,
  disks: z.array(InventoryDisk).max(256),
  filesystems: z.array(InventoryFilesystem).max(1000),
  network: z.array(InventoryNetworkInterface).max(1000),
  os: InventoryOs,
  software: z.array(InventorySoftware).max(MAX_INVENTORY_SOFTWARE),
  services: z.array(InventoryService).max(MAX_INVENTORY_SERVICES),
  users: z.array(InventoryUser).max(1000),
  /** Sections the agent cut to their maximum length, by name (`software`, `services`...). */
  truncated: z.array(Text(50)).max(20).optional(),
});
export type InventoryDocument = z.infer<typeof InventoryDocument>;
export type InventoryDocumentInput = z.input<typeof InventoryDocument>;

/** Outcome of reassembling and decoding an inventory document. */
export type DecodedInventory =
  | { ok: true; document: InventoryDocument; rawBytes: number; encodedBytes: number }
  | { ok: false; message: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Splits the base64 text of a gzipped document into the `data` of successive parts, each at most
 * `partChars` long (a multiple of 4, so every part but the last decodes on its own too).
 */
export function splitInventoryData(base64: string, partChars = MAX_INVENTORY_PART_CHARS): string[] {
  const size = Math.max(4, partChars - (partChars % 4));
  const parts: string[] = [];
  for (let i = 0; i < base64.length; i += size) parts.push(base64.slice(i, i + size));
  return parts.length > 0 ? parts : [""];
}

/**
 * Reassembles an inventory document from its records (parts 1..n, in order) and validates it: the parts
 * belong together, the data is base64 of gzip, the JSON has the declared size and matches
 * {@link InventoryDocument}. Never throws; the message names what is wrong (for a field, its path).
 */
export function decodeInventoryDocument(records: readonly InventoryRecord[]): DecodedInventory {
  const first = records[0];
  if (!first) return { ok: false, message: "no parts" };
  if (records.length !== first.parts) return { ok: false, message: `expected ${first.parts} parts, got ${records.length}` };
  for (const [i, r] of records.entries()) {
    if (r.part !== i + 1) return { ok: false, message: `part ${r.part} where part ${i + 1} was expected` };
    if (r.hash !== first.hash || r.parts !== first.parts || r.size !== first.size || r.ts !== first.ts) {
      return { ok: false, message: `part ${r.part} does not belong to the document of part 1 (hash, parts, size and ts must match)` };
    }
  }
  const base64 = records.length === 1 ? first.data : records.map((r) => r.data).join("");
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return { ok: false, message: "data: not base64 (RFC 4648, padded)" };
  const gzipped = Buffer.from(base64, "base64");
  let raw: Buffer;
  try {
    // maxOutputLength stops a decompression bomb before it costs memory.
    raw = gunzipSync(gzipped, { maxOutputLength: MAX_INVENTORY_DOCUMENT_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      return { ok: false, message: `document: larger than ${MAX_INVENTORY_DOCUMENT_BYTES} bytes uncompressed` };
    }
    return { ok: false, message: `data: not gzip (${(err as Error).message})` };
  }
  if (raw.length !== first.size) return { ok: false, message: `size: the document has ${raw.length} bytes, the record says ${first.size}` };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    return { ok: false, message: "document: not UTF-8" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `document: not valid JSON: ${(err as Error).message.slice(0, 200)}` };
  }
  const parsed = InventoryDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `document.${issue.path.join(".")}` : "document";
    return { ok: false, message: `${where}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, document: parsed.data, rawBytes: raw.length, encodedBytes: gzipped.length };
}

/** Most parts a document of `base64Chars` characters needs; above MAX_INVENTORY_PARTS it cannot be sent. */
export function inventoryPartsNeeded(base64Chars: number, partChars = MAX_INVENTORY_PART_CHARS): number {
  const size = Math.max(4, partChars - (partChars % 4));
  return Math.max(1, Math.ceil(base64Chars / size));
}

/** True when a document of this many parts may be sent. */
export function inventoryFits(parts: number): boolean {
  return parts >= 1 && parts <= MAX_INVENTORY_PARTS;
}
