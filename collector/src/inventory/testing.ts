import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { InventoryDocument, type InventoryDocumentInput, type InventoryRecord } from "@vigil/protocol";
import type { Store } from "../store/clickhouse.js";
import { inventoryRows } from "./rows.js";

// Test support for inventory: realistic documents, and storing them the way the gateway does.

/** A plausible Windows workstation; `patch` replaces whole sections. */
export function windowsWorkstation(patch: Partial<InventoryDocumentInput> = {}): InventoryDocument {
  return InventoryDocument.parse({
    schema: 1,
    collectedAt: Date.parse("2026-11-01T08:00:00Z"),
    agent: { version: "0.1.0" },
    system: { manufacturer: "Dell Inc.", model: "OptiPlex 7060", version: "", serial: "7J2KQ33", uuid: "4c4c4544-004a-3210-804b-b7c04f513333", sku: "0861", virtual: false, virtualHost: "", hostname: "ACC-PC07", fqdn: "acc-pc07.acme.local" },
    bios: { vendor: "Dell Inc.", version: "1.25.0", releaseDate: "2018-06-12", revision: "" },
    baseboard: { manufacturer: "Dell Inc.", model: "0C96W1", version: "A00", serial: "/7J2KQ33/CN1296386T0123/" },
    cpu: { manufacturer: "Intel", brand: "Core i5-8500", cores: 6, physicalCores: 6, sockets: 1, speedGHz: 3, speedMaxGHz: 4.1 },
    memory: {
      totalBytes: 8 * 1024 ** 3,
      modules: [{ sizeBytes: 8 * 1024 ** 3, type: "DDR4", speedMHz: 2666, formFactor: "DIMM", manufacturer: "SK Hynix", partNumber: "HMA81GU6CJR8N-VK", serial: "31A2B3C4", bank: "DIMM1" }],
    },
    disks: [{ device: "\\\\.\\PHYSICALDRIVE0", model: "SAMSUNG MZVLB256HAHQ", serial: "S4DXNF0M123456", vendor: "Samsung", firmware: "EXH7201Q", sizeBytes: 256060514304, type: "NVMe", interface: "NVMe", smart: "ok" }],
    filesystems: [{ mount: "C:", device: "C:", fstype: "NTFS", sizeBytes: 255195746304 }],
    network: [{ name: "Ethernet", mac: "d8:9e:f3:12:34:56", ipv4: ["192.168.10.57"], ipv6: [], speedMbps: 1000, type: "wired", virtual: false }],
    os: { platform: "win32", distro: "Microsoft Windows 10 Pro", release: "10.0.19045", codename: "", kernel: "10.0.19045", arch: "x64", build: "19045", servicePack: "", id: "", versionId: "" },
    software: [
      { name: "7-Zip 23.01 (x64)", version: "23.01", arch: "x64", publisher: "Igor Pavlov", source: "registry" },
      { name: "Google Chrome", version: "119.0.6045.160", arch: "x64", publisher: "Google LLC", source: "registry" },
      { name: "Microsoft Office Professional Plus 2016", version: "16.0.4266.1001", arch: "x86", publisher: "Microsoft Corporation", source: "registry" },
    ],
    services: [
      { name: "Spooler", state: "running", startMode: "auto", description: "" },
      { name: "wuauserv", state: "stopped", startMode: "manual", description: "" },
    ],
    users: [{ user: "jdoe", terminal: "console", host: "", loginAt: Date.parse("2026-11-01T07:45:00Z") }],
    ...patch,
  });
}

/** A plausible Ubuntu server; `patch` replaces whole sections. */
export function ubuntuServer(patch: Partial<InventoryDocumentInput> = {}): InventoryDocument {
  return InventoryDocument.parse({
    ...windowsWorkstation(),
    system: { manufacturer: "HPE", model: "ProLiant DL360 Gen10", version: "", serial: "CZJ9420ABC", uuid: "", sku: "", virtual: false, virtualHost: "", hostname: "web01", fqdn: "web01.acme.local" },
    bios: { vendor: "HPE", version: "U32", releaseDate: "2023-02-10", revision: "2.72" },
    memory: { totalBytes: 64 * 1024 ** 3, modules: [] },
    disks: [{ device: "/dev/sda", model: "MK000480GWXFF", serial: "PHYS8123ABC", vendor: "HPE", firmware: "HPG2", sizeBytes: 480103981056, type: "SSD", interface: "SAS", smart: "ok" }],
    filesystems: [{ mount: "/", device: "/dev/sda2", fstype: "ext4", sizeBytes: 470282366976 }],
    network: [{ name: "eno1", mac: "94:40:c9:aa:bb:01", ipv4: ["10.0.0.21"], ipv6: [], speedMbps: 10000, type: "wired", virtual: false }],
    os: { platform: "linux", distro: "Ubuntu", release: "22.04.4 LTS", codename: "jammy", kernel: "5.15.0-105-generic", arch: "x64", build: "", servicePack: "", id: "ubuntu", versionId: "22.04" },
    software: [
      { name: "nginx", version: "1.18.0-6ubuntu14.4", arch: "amd64", publisher: "Ubuntu Developers", source: "dpkg" },
      { name: "openssl", version: "3.0.2-0ubuntu1.15", arch: "amd64", publisher: "Ubuntu Developers", source: "dpkg" },
    ],
    services: [{ name: "nginx.service", state: "running", startMode: "auto", description: "A high performance web server" }],
    users: [],
    ...patch,
  });
}

/** The record that carries a document whole (one part), as an agent would send it. */
export function inventoryRecord(doc: InventoryDocument, bootId = "boot-1"): InventoryRecord {
  const json = JSON.stringify(doc);
  return {
    kind: "inventory",
    ts: doc.collectedAt,
    bootId,
    hash: createHash("sha256").update(json).digest("hex"),
    encoding: "gzip+base64",
    size: Buffer.byteLength(json),
    part: 1,
    parts: 1,
    data: gzipSync(json).toString("base64"),
  };
}

/** Stores a document for a host exactly as the gateway does for the batch `seq`. */
export async function storeInventory(store: Store, host: { clientId: string; siteId: string; agentId: string }, doc: InventoryDocument, seq: number): Promise<void> {
  const record = inventoryRecord(doc);
  const json = JSON.stringify(doc);
  const rows = inventoryRows(
    { document: doc, record, rawBytes: Buffer.byteLength(json), encodedBytes: Buffer.from(record.data, "base64").length },
    { clientId: host.clientId, siteId: host.siteId, agentId: host.agentId, seq, skewMs: 0, receivedAt: doc.collectedAt + 1000 },
  );
  await store.insert("inventory_history", rows.inventory_history);
  await store.insert("inventory_latest", rows.inventory_latest);
}
