import type { InventoryDocument, InventoryRecord } from "@vigil/protocol";

/** Rows one stored inventory document becomes: its history entry and the host's new latest snapshot. */
export interface InventoryRows {
  inventory_history: object[];
  inventory_latest: object[];
}

/** Where an inventory document came from; the same fields every batch row carries. */
export interface InventoryOrigin {
  clientId: string;
  siteId: string;
  agentId: string;
  seq: number;
  skewMs: number;
  receivedAt: number;
}

/** A decoded document and the record (its first part) that carried it. */
export interface ReceivedInventory {
  document: InventoryDocument;
  record: InventoryRecord;
  rawBytes: number;
  encodedBytes: number;
}

/**
 * The rows of one document. `ts` is the collection time, corrected by the measured clock skew like every
 * other timestamp; the document is stored as the collector validated it (unknown fields dropped).
 */
export function inventoryRows(received: ReceivedInventory, origin: InventoryOrigin): InventoryRows {
  const { document: doc, record } = received;
  const json = JSON.stringify(doc);
  const common = {
    client_id: origin.clientId,
    site_id: origin.siteId,
    agent_id: origin.agentId,
    ts: record.ts + origin.skewMs,
    boot_id: record.bootId,
    hash: record.hash,
    hostname: doc.system.hostname,
    os_distro: doc.os.distro,
    os_release: doc.os.release,
    memory_bytes: doc.memory.totalBytes,
    document: json,
    raw_bytes: received.rawBytes,
    encoded_bytes: received.encodedBytes,
    parts: record.parts,
    seq: origin.seq,
    skew_ms: origin.skewMs,
    received_at: origin.receivedAt,
  };
  return {
    inventory_history: [{ ...common, software_count: doc.software.length }],
    inventory_latest: [
      {
        ...common,
        os_platform: doc.os.platform,
        os_id: doc.os.id,
        os_version_id: doc.os.versionId,
        os_build: doc.os.build,
        os_kernel: doc.os.kernel,
        os_arch: doc.os.arch,
        manufacturer: doc.system.manufacturer,
        model: doc.system.model,
        serial: doc.system.serial,
        virtual: doc.system.virtual ? 1 : 0,
        bios_date: doc.bios.releaseDate,
        cpu_brand: doc.cpu.brand,
        cpu_cores: doc.cpu.cores,
        software_names: doc.software.map((s) => s.name),
        software_versions: doc.software.map((s) => s.version),
      },
    ],
  };
}
