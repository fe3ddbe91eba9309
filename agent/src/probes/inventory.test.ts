import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { InventoryDocument } from "@vigil/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeInventory } from "../inventory/encode.js";
import { inventoryHash } from "../inventory/hash.js";
import { collectInventory, isoDate, parseLsblk, parseSmartHealth, readOsRelease, type CollectedInventory } from "./inventory.js";

const linux = process.platform === "linux";
const dpkg = linux && existsSync("/var/lib/dpkg/status");

describe("collectInventory on this machine", () => {
  let first: CollectedInventory;
  let second: CollectedInventory;

  beforeAll(async () => {
    first = await collectInventory({ agentVersion: "0.1.0" });
    second = await collectInventory({ agentVersion: "0.1.0" });
  }, 120_000);

  it("produces a document the protocol accepts", () => {
    expect(InventoryDocument.parse(first.document)).toEqual(first.document);
    expect(first.document.schema).toBe(1);
    expect(first.document.agent.version).toBe("0.1.0");
    expect(Math.abs(first.document.collectedAt - Date.now())).toBeLessThan(120_000);
  });

  it("describes the machine as the OS sees it: CPU, memory, host name", () => {
    const d = first.document;
    expect(d.cpu.cores).toBe(os.cpus().length);
    expect(d.cpu.brand.length + d.cpu.manufacturer.length).toBeGreaterThan(0);
    expect(d.memory.totalBytes).toBe(os.totalmem());
    expect(d.system.hostname).toBe(os.hostname());
    expect(typeof d.system.virtual).toBe("boolean");
    expect(d.bios.releaseDate).toMatch(/^(\d{4}-\d{2}-\d{2})?$/);
  });

  it("reports the operating system with its os-release identity", () => {
    const { os: o } = first.document;
    expect(o.platform).toBe(process.platform);
    expect(o.arch).toBe(process.arch);
    expect(o.kernel).toBe(os.release());
    expect(o.distro.length).toBeGreaterThan(0);
    if (linux) {
      const release = readOsRelease();
      expect(o.id).toBe(release.get("ID"));
      expect(o.versionId).toBe(release.get("VERSION_ID") ?? "");
    }
  });

  it.runIf(dpkg)("lists exactly the packages dpkg says are installed, with their versions", () => {
    const installed = execFileSync("dpkg-query", ["-W", "-f", "${Status}\\t${Package}\\t${Version}\\n"], { encoding: "utf8" })
      .split("\n")
      .filter((l) => / installed\t/.test(l))
      .map((l) => l.split("\t"));
    const software = first.document.software;
    expect(software.length).toBe(installed.length);
    expect(software.every((s) => s.source === "dpkg")).toBe(true);
    const byName = new Map(software.map((s) => [s.name, s.version]));
    for (const [, name, version] of installed) expect(byName.get(name!), name).toBe(version);
    // dpkg itself is always there.
    expect(byName.get("dpkg")).toMatch(/^\d+\.\d+/);
    const names = software.map((s) => s.name);
    expect([...names].sort()).toEqual(names);
  });

  it("lists services with a known state", () => {
    const services = first.document.services;
    for (const s of services) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(["running", "exited", "stopped", "failed", "starting", "stopping", "unknown"]).toContain(s.state);
    }
    if (linux) expect(services.length).toBeGreaterThan(0);
  });

  it("lists the root filesystem with its size, and real network interfaces with their MAC", () => {
    const d = first.document;
    const root = d.filesystems.find((f) => f.mount === "/");
    expect(root?.sizeBytes).toBeGreaterThan(0);
    const withMac = d.network.filter((n) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(n.mac));
    expect(withMac.length).toBeGreaterThan(0);
    expect(d.network.map((n) => n.name)).not.toContain("lo");
    const v4 = Object.values(os.networkInterfaces()).flat().filter((a) => a && a.family === "IPv4" && !a.internal).map((a) => a!.address);
    for (const a of v4) expect(d.network.some((n) => n.ipv4.includes(a))).toBe(true);
  });

  it("lists whole disks, not partitions or RAM disks", () => {
    for (const disk of first.document.disks) {
      expect(disk.sizeBytes).toBeGreaterThan(0);
      expect(disk.device).not.toMatch(/loop|ram|zram/);
      expect(["ok", "failing", "unknown"]).toContain(disk.smart);
    }
  });

  it("measures what collecting costs, including the tools it ran", () => {
    const { stats } = first;
    expect(stats.durationMs).toBeGreaterThan(0);
    expect(stats.cpuMs).toBeGreaterThan(0);
    if (linux) expect(stats.childCpuMs).toBeGreaterThan(0);
    expect(first.document.agent.collection).toEqual({ durationMs: stats.durationMs, cpuMs: stats.cpuMs, childCpuMs: stats.childCpuMs });
    // The figures for the record: printed, not asserted against a budget.
    console.log(`inventory collection: ${JSON.stringify(stats)}; software ${first.document.software.length}, services ${first.document.services.length}`);
  });

  it("hashes two collections of an unchanged machine alike, and compresses well", async () => {
    expect(inventoryHash(second.document)).toBe(inventoryHash(first.document));
    const encoded = await encodeInventory(first.document, { bootId: "b", hash: inventoryHash(first.document) });
    expect(encoded.records).toHaveLength(1);
    expect(encoded.gzipBytes).toBeLessThan(encoded.rawBytes / 3);
    console.log(`inventory size: ${encoded.rawBytes} bytes JSON, ${encoded.gzipBytes} gzipped, ${encoded.wireChars} base64 on the wire`);
  });
});

describe("inventory parsers", () => {
  it("reads whole disks from lsblk -P, with the bus and medium", () => {
    const text = [
      'NAME="sda" TYPE="disk" SIZE="480103981056" MODEL="Samsung SSD 870" SERIAL="S6PXNG0T" VENDOR="ATA     " REV="SVT02B6Q" ROTA="0" TRAN="sata"',
      'NAME="sdb" TYPE="disk" SIZE="4000787030016" MODEL="ST4000NM000A\\x20A" SERIAL="WS2A" VENDOR="ATA" REV="TN02" ROTA="1" TRAN="sata"',
      'NAME="nvme0n1" TYPE="disk" SIZE="1024209543168" MODEL="WD Blue SN570" SERIAL="2201" VENDOR="" REV="" ROTA="0" TRAN="nvme"',
      'NAME="vda" TYPE="disk" SIZE="274877906944" MODEL="" SERIAL="" VENDOR="0x1af4" REV="" ROTA="1" TRAN=""',
      'NAME="zram0" TYPE="disk" SIZE="8589934592" MODEL="" SERIAL="" VENDOR="" REV="" ROTA="0" TRAN=""',
      'NAME="loop0" TYPE="loop" SIZE="65536" MODEL="" SERIAL="" VENDOR="" REV="" ROTA="0" TRAN=""',
      'NAME="sr0" TYPE="rom" SIZE="1073741312" MODEL="DVD" SERIAL="" VENDOR="" REV="" ROTA="1" TRAN="sata"',
    ].join("\n");
    const disks = parseLsblk(text);
    expect(disks.map((d) => [d.device, d.type, d.interface])).toEqual([
      ["/dev/sda", "SSD", "SATA"],
      ["/dev/sdb", "HDD", "SATA"],
      ["/dev/nvme0n1", "NVMe", "NVMe"],
      ["/dev/vda", "HDD", "virtio"],
    ]);
    expect(disks[1]!.model).toBe("ST4000NM000A A");
    expect(disks[0]!.vendor).toBe("ATA");
  });

  it("reads SMART overall health from smartctl -H for ATA, NVMe and SCSI", () => {
    expect(parseSmartHealth("=== START OF READ SMART DATA SECTION ===\nSMART overall-health self-assessment test result: PASSED\n")).toBe("ok");
    expect(parseSmartHealth("SMART overall-health self-assessment test result: FAILED!\nDrive failure expected in less than 24 hours. SAVE ALL DATA.\n")).toBe("failing");
    expect(parseSmartHealth("SMART Health Status: OK\n")).toBe("ok");
    expect(parseSmartHealth("SMART Health Status: FAILURE PREDICTION THRESHOLD EXCEEDED [asc=5d, ascq=10]\n")).toBe("failing");
    expect(parseSmartHealth("Smartctl open device: /dev/sda failed: Permission denied\n")).toBe("unknown");
    expect(parseSmartHealth("/dev/vda: Unable to detect device type\n")).toBe("unknown");
  });

  it("normalises firmware dates and refuses impossible ones", () => {
    expect(isoDate("2021-09-14")).toBe("2021-09-14");
    expect(isoDate("09/14/2021")).toBe("2021-09-14");
    expect(isoDate("1/5/2019")).toBe("2019-01-05");
    expect(isoDate("02/30/2021")).toBe("");
    expect(isoDate("")).toBe("");
    expect(isoDate("unknown")).toBe("");
    expect(isoDate("01/01/1970")).toBe("");
  });

  it("reads os-release, quoted or not", () => {
    const r = readOsRelease('NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n# comment\n');
    expect(r.get("ID")).toBe("ubuntu");
    expect(r.get("VERSION_ID")).toBe("22.04");
    expect(r.get("NAME")).toBe("Ubuntu");
  });
});
