import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeAgentMessage } from "./codec.js";
import { decodeInventoryDocument, inventoryPartsNeeded, splitInventoryData, type InventoryDocumentInput } from "./inventory.js";
import { MAX_INVENTORY_DOCUMENT_BYTES, MAX_INVENTORY_PART_CHARS } from "./limits.js";
import { InventoryRecord } from "./records.js";

const T = 1_767_261_600_000;
const HASH = "a".repeat(64);

/** A small valid document; `extra` replaces whole sections. */
function sampleDocument(extra: Partial<InventoryDocumentInput> = {}): InventoryDocumentInput {
  return {
    schema: 1,
    collectedAt: T,
    agent: { version: "0.1.0" },
    system: { manufacturer: "Dell Inc.", model: "OptiPlex 7090", version: "", serial: "ABC123", uuid: "", sku: "", virtual: false, virtualHost: "", hostname: "ws01", fqdn: "ws01.acme.local" },
    bios: { vendor: "Dell Inc.", version: "1.2.3", releaseDate: "2021-03-04", revision: "" },
    baseboard: { manufacturer: "Dell Inc.", model: "0ABCD", version: "A00", serial: "X" },
    cpu: { manufacturer: "Intel", brand: "Core i5-10500", cores: 12, physicalCores: 6, sockets: 1, speedGHz: 3.1, speedMaxGHz: 4.5 },
    memory: { totalBytes: 17_179_869_184, modules: [] },
    disks: [],
    filesystems: [],
    network: [],
    os: { platform: "linux", distro: "Ubuntu", release: "22.04.4 LTS", codename: "jammy", kernel: "5.15.0-100-generic", arch: "x64", build: "", servicePack: "", id: "ubuntu", versionId: "22.04" },
    software: [{ name: "openssl", version: "3.0.2-0ubuntu1.15", arch: "amd64", publisher: "Ubuntu Developers", source: "dpkg" }],
    services: [{ name: "ssh.service", state: "running", startMode: "auto", description: "OpenBSD Secure Shell server" }],
    users: [],
    ...extra,
  };
}

/** Records carrying `json` gzipped and split into parts of `partChars`. */
function records(json: string | Buffer, partChars = MAX_INVENTORY_PART_CHARS, size?: number): InventoryRecord[] {
  const raw = typeof json === "string" ? Buffer.from(json) : json;
  const data = splitInventoryData(gzipSync(raw).toString("base64"), partChars);
  return data.map((d, i) => ({ kind: "inventory", ts: T, bootId: "b", hash: HASH, encoding: "gzip+base64", size: size ?? raw.length, part: i + 1, parts: data.length, data: d }));
}

describe("inventory documents in records", () => {
  it("decodes a document that fits one part", () => {
    const doc = sampleDocument();
    const r = decodeInventoryDocument(records(JSON.stringify(doc)));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.document.os.versionId).toBe("22.04");
      expect(r.rawBytes).toBe(Buffer.byteLength(JSON.stringify(doc)));
    }
  });

  it("splits and reassembles a large document in parts that each fit the limit", () => {
    // 40,000 packages with random versions: compresses poorly, so it needs more than one part.
    const software = Array.from({ length: 40_000 }, (_, i) => ({ name: `pkg-${i}`, version: randomBytes(24).toString("hex"), arch: "amd64", publisher: "", source: "dpkg" as const }));
    const json = JSON.stringify(sampleDocument({ software }));
    const parts = records(json);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBe(inventoryPartsNeeded(parts.reduce((n, p) => n + p.data.length, 0)));
    for (const p of parts) {
      expect(p.data.length).toBeLessThanOrEqual(MAX_INVENTORY_PART_CHARS);
      expect(InventoryRecord.safeParse(p).success).toBe(true);
      // Each part travels in its own batch, which must decode as a frame under the limit.
      const frame = JSON.stringify({ type: "batch", v: 1, seq: 1, sentAt: T, records: [p] });
      expect(decodeAgentMessage(frame).ok).toBe(true);
    }
    const r = decodeInventoryDocument(parts);
    expect(r.ok && r.document.software.length).toBe(40_000);
  });

  const refusals: Array<[string, () => InventoryRecord[], RegExp]> = [
    ["a missing part", () => records(JSON.stringify(sampleDocument()), 100).slice(1), /^expected \d+ parts, got|^part 2 where part 1/],
    ["parts out of order", () => { const r = records(JSON.stringify(sampleDocument()), 100); [r[0], r[1]] = [r[1]!, r[0]!]; return r; }, /^part 2 where part 1 was expected/],
    ["parts of different documents", () => { const r = records(JSON.stringify(sampleDocument()), 100); r[1] = { ...r[1]!, hash: "b".repeat(64) }; return r; }, /does not belong/],
    ["data that is not gzip", () => [{ ...records("{}")[0]!, data: Buffer.from("plain text, no gzip").toString("base64"), size: 2 }], /^data: not gzip/],
    ["base64 padding in the middle", () => { const r = records(JSON.stringify(sampleDocument()), 100); r[0] = { ...r[0]!, data: r[0]!.data.slice(0, -2) + "==" }; return r; }, /^data: not base64/],
    ["a wrong size", () => records(JSON.stringify(sampleDocument()), MAX_INVENTORY_PART_CHARS, 10), /^size: the document has \d+ bytes, the record says 10/],
    ["a decompression bomb", () => records(Buffer.alloc(MAX_INVENTORY_DOCUMENT_BYTES + 1, 32), MAX_INVENTORY_PART_CHARS, MAX_INVENTORY_DOCUMENT_BYTES), /^document: larger than 16777216 bytes/],
    ["bytes that are not UTF-8", () => records(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /^document: not UTF-8/],
    ["text that is not JSON", () => records("{not json"), /^document: not valid JSON/],
    ["a JSON array", () => records("[]"), /^document: /],
    ["a wrong type deep inside", () => records(JSON.stringify({ ...sampleDocument(), software: [{ name: "x", version: 3, arch: "", publisher: "", source: "dpkg" }] })), /^document\.software\.0\.version: /],
    ["a missing section", () => { const { memory: _m, ...rest } = sampleDocument(); return records(JSON.stringify(rest)); }, /^document\.memory: /],
    ["an unknown schema", () => records(JSON.stringify({ ...sampleDocument(), schema: 2 })), /^document\.schema: /],
    ["too many services", () => records(JSON.stringify({ ...sampleDocument(), services: Array.from({ length: 10_001 }, (_, i) => ({ name: `s${i}`, state: "running", startMode: "auto", description: "" })) })), /^document\.services: /],
    ["a hostile huge string", () => records(JSON.stringify({ ...sampleDocument(), os: { ...sampleDocument().os, distro: "x".repeat(10_000) } })), /^document\.os\.distro: /],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what} with a message naming the problem`, () => {
      const r = decodeInventoryDocument(make());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    });
  }

  it("refuses records whose envelope is wrong before any decoding", () => {
    const good = records("{}")[0]!;
    const frame = (r: unknown) => JSON.stringify({ type: "batch", v: 1, seq: 9, sentAt: T, records: [r] });
    const cases: Array<[unknown, string]> = [
      [{ ...good, data: "not base64!" }, "records.0.data"],
      [{ ...good, data: "A".repeat(MAX_INVENTORY_PART_CHARS + 4) }, "records.0.data"],
      [{ ...good, part: 3, parts: 2 }, "records.0.part"],
      [{ ...good, parts: 17 }, "records.0.parts"],
      [{ ...good, encoding: "zstd" }, "records.0.encoding"],
      [{ ...good, hash: "XYZ" }, "records.0.hash"],
      [{ ...good, size: MAX_INVENTORY_DOCUMENT_BYTES + 1 }, "records.0.size"],
    ];
    for (const [record, path] of cases) {
      const d = decodeAgentMessage(frame(record));
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.message.startsWith(path), d.message).toBe(true);
        expect(d.seq).toBe(9);
      }
    }
  });
});
