import type { InventoryDocument } from "@vigil/protocol";
import { beforeAll, describe, expect, it } from "vitest";
// The agent's real probe: the snapshots compared here are this machine's, collected twice.
import { collectInventory } from "../../../agent/src/probes/inventory.js";
import { bytes, diffInventories, type InventoryChange } from "./changes.js";
import { ubuntuServer, windowsWorkstation } from "./testing.js";

const find = (changes: InventoryChange[], category: string, item: string) => changes.filter((c) => c.category === category && c.item === item);

describe("diffInventories between real consecutive snapshots of this machine", () => {
  let first: InventoryDocument;
  let second: InventoryDocument;

  beforeAll(async () => {
    first = (await collectInventory({ agentVersion: "0.1.0" })).document;
    second = (await collectInventory({ agentVersion: "0.1.0" })).document;
  }, 120_000);

  it("finds nothing between two collections of an unchanged machine", () => {
    expect(diffInventories(first, second)).toEqual([]);
  });

  it("finds a package upgrade, an installation and a removal", () => {
    const [upgraded, removed] = [second.software[0]!, second.software[1]!];
    const next: InventoryDocument = {
      ...second,
      software: [
        { ...upgraded, version: `${upgraded.version}+deb12u9` },
        ...second.software.slice(2),
        { name: "zz-new-tool", version: "2.4.1-1", arch: "amd64", publisher: "Debian", source: "dpkg" },
      ],
    };
    const changes = diffInventories(first, next);
    const item = (name: string) => changes.filter((c) => c.category === "software" && c.item.startsWith(name));
    expect(item(upgraded.name)).toEqual([{ category: "software", change: "upgraded", item: expect.stringContaining(upgraded.name), before: upgraded.version, after: `${upgraded.version}+deb12u9` }]);
    expect(item(removed.name)).toEqual([{ category: "software", change: "removed", item: expect.stringContaining(removed.name), before: removed.version, after: "" }]);
    expect(item("zz-new-tool")).toEqual([{ category: "software", change: "installed", item: "zz-new-tool", before: "", after: "2.4.1-1" }]);
    expect(changes).toHaveLength(3);
  });

  it("finds memory added, a disk replaced, an OS upgrade and a kernel update", () => {
    const next: InventoryDocument = {
      ...second,
      memory: { ...second.memory, totalBytes: second.memory.totalBytes * 2 },
      disks: [{ device: "/dev/sdz", model: "Samsung SSD 870 EVO", serial: "S6PXNZ0T900001", vendor: "ATA", firmware: "SVT02B6Q", sizeBytes: 1_000_204_886_016, type: "SSD", interface: "SATA", smart: "ok" }],
      os: { ...second.os, release: "13", versionId: "13", codename: "trixie", kernel: "6.12.48+deb13-amd64" },
    };
    const changes = diffInventories(first, next);
    expect(find(changes, "memory", "total")).toEqual([{ category: "memory", change: "changed", item: "total", before: bytes(first.memory.totalBytes), after: bytes(first.memory.totalBytes * 2) }]);
    expect(find(changes, "disk", "Samsung SSD 870 EVO serial S6PXNZ0T900001")[0]?.change).toBe("added");
    for (const d of first.disks) expect(changes.some((c) => c.category === "disk" && c.change === "removed" && c.before.includes(d.device))).toBe(true);
    expect(find(changes, "os", "release")[0]).toMatchObject({ change: "upgraded", after: expect.stringContaining("13") });
    expect(find(changes, "os", "kernel")[0]?.after).toBe("6.12.48+deb13-amd64");
  });

  it("ignores who is logged in and when it was collected", () => {
    const next = { ...second, collectedAt: second.collectedAt + 3600_000, users: [{ user: "root", terminal: "pts/9", host: "10.1.1.1", loginAt: null }] };
    expect(diffInventories(first, next)).toEqual([]);
  });
});

describe("diffInventories on typical fleet changes", () => {
  it("reports service state and start mode changes, and services added or removed", () => {
    const before = ubuntuServer();
    const after = ubuntuServer({
      services: [
        { name: "nginx.service", state: "failed", startMode: "disabled", description: "A high performance web server" },
        { name: "postgresql.service", state: "running", startMode: "auto", description: "PostgreSQL" },
      ],
    });
    expect(diffInventories(before, after)).toEqual([
      { category: "service", change: "state_changed", item: "nginx.service", before: "running", after: "failed" },
      { category: "service", change: "start_mode_changed", item: "nginx.service", before: "auto", after: "disabled" },
      { category: "service", change: "added", item: "postgresql.service", before: "", after: "running, auto" },
    ]);
  });

  it("reports a Windows feature update as an OS upgrade, by build", () => {
    const w10 = windowsWorkstation();
    const w11 = windowsWorkstation({ os: { ...w10.os, distro: "Microsoft Windows 11 Pro", release: "10.0.26100", build: "26100", kernel: "10.0.26100" } });
    const changes = diffInventories(w10, w11);
    expect(find(changes, "os", "release")).toEqual([
      { category: "os", change: "changed", item: "release", before: "Microsoft Windows 10 Pro 10.0.19045 build 19045", after: "Microsoft Windows 11 Pro 10.0.26100 build 26100" },
    ]);
    const patched = windowsWorkstation({ os: { ...w10.os, release: "10.0.19045", build: "19045", kernel: "10.0.19045.5011" } });
    expect(find(diffInventories(w10, patched), "os", "kernel")[0]?.change).toBe("upgraded");
  });

  it("reports hardware swaps, a failing disk, network and filesystem changes", () => {
    const a = windowsWorkstation();
    const b = windowsWorkstation({
      bios: { ...a.bios, version: "1.27.0", releaseDate: "2024-03-01" },
      memory: { totalBytes: 16 * 1024 ** 3, modules: [a.memory.modules[0]!, { ...a.memory.modules[0]!, bank: "DIMM2", serial: "99999999" }] },
      disks: [{ ...a.disks[0]!, smart: "failing" }],
      filesystems: [{ ...a.filesystems[0]!, sizeBytes: 511_000_000_000 }, { mount: "D:", device: "D:", fstype: "NTFS", sizeBytes: 1e12 }],
      network: [{ ...a.network[0]!, ipv4: ["192.168.10.80"] }],
    });
    const changes = diffInventories(a, b);
    expect(find(changes, "hardware", "bios")[0]).toMatchObject({ change: "changed", before: "Dell Inc. 1.25.0 (2018-06-12)", after: "Dell Inc. 1.27.0 (2024-03-01)" });
    expect(find(changes, "memory", "total")[0]).toMatchObject({ before: "8 GiB", after: "16 GiB" });
    expect(find(changes, "memory", "module DIMM2")[0]?.change).toBe("added");
    expect(find(changes, "disk", "SAMSUNG MZVLB256HAHQ serial S4DXNF0M123456")[0]).toMatchObject({ change: "changed", before: expect.stringContaining("SMART ok"), after: expect.stringContaining("SMART failing") });
    expect(find(changes, "filesystem", "C:")[0]?.change).toBe("changed");
    expect(find(changes, "filesystem", "D:")[0]?.change).toBe("added");
    expect(find(changes, "network", "Ethernet")[0]).toMatchObject({ before: expect.stringContaining("192.168.10.57"), after: expect.stringContaining("192.168.10.80") });
  });

  it("keeps packages installed for two architectures apart", () => {
    const libc = (arch: string, version: string) => ({ name: "libc6", version, arch, publisher: "", source: "dpkg" as const });
    const a = ubuntuServer({ software: [libc("amd64", "2.35-0ubuntu3.6"), libc("i386", "2.35-0ubuntu3.6")] });
    const b = ubuntuServer({ software: [libc("amd64", "2.35-0ubuntu3.8"), libc("i386", "2.35-0ubuntu3.6")] });
    expect(diffInventories(a, b)).toEqual([{ category: "software", change: "upgraded", item: "libc6 (amd64)", before: "2.35-0ubuntu3.6", after: "2.35-0ubuntu3.8" }]);
  });
});
