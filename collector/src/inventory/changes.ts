import type { InventoryDocument } from "@vigil/protocol";
import { compareVersions } from "./versions.js";

/** What part of the machine changed. */
export type ChangeCategory = "hardware" | "memory" | "disk" | "filesystem" | "network" | "os" | "software" | "service";

/** How it changed. */
export type ChangeKind = "added" | "removed" | "changed" | "installed" | "upgraded" | "downgraded" | "state_changed" | "start_mode_changed";

/** One difference between two consecutive inventory documents of a host. */
export interface InventoryChange {
  category: ChangeCategory;
  change: ChangeKind;
  /** What changed: a package, a service, a disk (model and serial), an interface... Unique per category and kind. */
  item: string;
  /** The value before and after, in words; "" when it did not exist. */
  before: string;
  after: string;
}

/**
 * The changes from one inventory document of a host to the next: hardware added or removed, memory changed,
 * OS upgraded, software installed, removed or updated, service state changed. Volatile parts (logged-in
 * users, collection times, IPv6 addresses) are not compared.
 */
export function diffInventories(prev: InventoryDocument, next: InventoryDocument): InventoryChange[] {
  const out: InventoryChange[] = [];
  const add = (category: ChangeCategory, change: ChangeKind, item: string, before: string, after: string) => out.push({ category, change, item, before, after });

  // Hardware: the machine itself, its firmware, board and processor.
  const system = (d: InventoryDocument) => words(d.system.manufacturer, d.system.model, d.system.serial && `serial ${d.system.serial}`);
  if (system(prev) !== system(next)) add("hardware", "changed", "system", system(prev), system(next));
  const bios = (d: InventoryDocument) => words(d.bios.vendor, d.bios.version, d.bios.releaseDate && `(${d.bios.releaseDate})`);
  if (bios(prev) !== bios(next)) add("hardware", "changed", "bios", bios(prev), bios(next));
  const board = (d: InventoryDocument) => words(d.baseboard.manufacturer, d.baseboard.model, d.baseboard.serial && `serial ${d.baseboard.serial}`);
  if (board(prev) !== board(next)) add("hardware", "changed", "baseboard", board(prev), board(next));
  const cpu = (d: InventoryDocument) => words(d.cpu.manufacturer, d.cpu.brand, `${d.cpu.cores} threads`, d.cpu.sockets > 1 ? `${d.cpu.sockets} sockets` : "");
  if (cpu(prev) !== cpu(next)) add("hardware", "changed", "cpu", cpu(prev), cpu(next));

  // Memory: the total, and modules by slot.
  if (prev.memory.totalBytes !== next.memory.totalBytes) add("memory", "changed", "total", bytes(prev.memory.totalBytes), bytes(next.memory.totalBytes));
  diffKeyed(
    prev.memory.modules,
    next.memory.modules,
    (m) => m.bank || `${m.partNumber} ${m.serial}`,
    (m) => words(bytes(m.sizeBytes), m.type, m.speedMHz ? `${m.speedMHz} MHz` : "", m.manufacturer, m.partNumber, m.serial && `serial ${m.serial}`),
    (key, before, after) => add("memory", before === "" ? "added" : after === "" ? "removed" : "changed", `module ${key}`, before, after),
  );

  // Disks by serial (a disk moved to another port is the same disk), their size and SMART health.
  diffKeyed(
    prev.disks,
    next.disks,
    (d) => (d.serial ? `${d.model} serial ${d.serial}`.trim() : d.device),
    (d) => words(d.device, bytes(d.sizeBytes), d.type, d.interface, `SMART ${d.smart}`),
    (key, before, after) => add("disk", before === "" ? "added" : after === "" ? "removed" : "changed", key, before, after),
  );

  diffKeyed(
    prev.filesystems,
    next.filesystems,
    (f) => f.mount,
    (f) => words(f.device, f.fstype, bytes(f.sizeBytes)),
    (key, before, after) => add("filesystem", before === "" ? "added" : after === "" ? "removed" : "changed", key, before, after),
  );

  diffKeyed(
    prev.network,
    next.network,
    (n) => n.name,
    (n) => words(n.mac, n.ipv4.join(" "), n.speedMbps ? `${n.speedMbps} Mbit/s` : ""),
    (key, before, after) => add("network", before === "" ? "added" : after === "" ? "removed" : "changed", key, before, after),
  );

  // The operating system: its release (upgraded or downgraded when the product stayed the same) and kernel.
  const osName = (d: InventoryDocument) => words(d.os.distro, d.os.release, d.os.build && d.os.build !== d.os.release ? `build ${d.os.build}` : "");
  if (osName(prev) !== osName(next)) {
    let kind: ChangeKind = "changed";
    if (prev.os.distro === next.os.distro) {
      const c = compareVersions(osVersion(prev), osVersion(next));
      kind = c < 0 ? "upgraded" : c > 0 ? "downgraded" : "changed";
    }
    add("os", kind, "release", osName(prev), osName(next));
  }
  if (prev.os.kernel !== next.os.kernel) {
    const c = compareVersions(prev.os.kernel, next.os.kernel);
    add("os", c < 0 ? "upgraded" : c > 0 ? "downgraded" : "changed", "kernel", prev.os.kernel, next.os.kernel);
  }

  // Software by name (and architecture, where the same name is installed for several).
  const arches = new Map<string, Set<string>>();
  for (const s of [...prev.software, ...next.software]) arches.set(s.name, (arches.get(s.name) ?? new Set()).add(s.arch));
  const sw = (d: InventoryDocument) => {
    const byKey = new Map<string, string[]>();
    for (const s of d.software) {
      const key = (arches.get(s.name)?.size ?? 0) > 1 && s.arch ? `${s.name} (${s.arch})` : s.name;
      byKey.set(key, [...(byKey.get(key) ?? []), s.version]);
    }
    return new Map([...byKey].map(([k, v]) => [k, v.sort(compareVersions).join(", ")]));
  };
  const before = sw(prev);
  const after = sw(next);
  for (const [name, version] of after) {
    const was = before.get(name);
    if (was === undefined) add("software", "installed", name, "", version);
    else if (was !== version) {
      const c = was.includes(",") || version.includes(",") ? 0 : compareVersions(was, version);
      add("software", c < 0 ? "upgraded" : c > 0 ? "downgraded" : "changed", name, was, version);
    }
  }
  for (const [name, version] of before) if (!after.has(name)) add("software", "removed", name, version, "");

  // Services: added, removed, started or stopped, enabled or disabled.
  const prevServices = new Map(prev.services.map((s) => [s.name, s]));
  const nextServices = new Map(next.services.map((s) => [s.name, s]));
  for (const [name, s] of nextServices) {
    const was = prevServices.get(name);
    if (!was) add("service", "added", name, "", `${s.state}, ${s.startMode}`);
    else {
      if (was.state !== s.state) add("service", "state_changed", name, was.state, s.state);
      if (was.startMode !== s.startMode) add("service", "start_mode_changed", name, was.startMode, s.startMode);
    }
  }
  for (const [name, s] of prevServices) if (!nextServices.has(name)) add("service", "removed", name, `${s.state}, ${s.startMode}`, "");
  return out;
}

/** Compares two lists keyed by `key`; `report` gets "" as before (added) or after (removed). */
function diffKeyed<T>(prev: T[], next: T[], key: (t: T) => string, describe: (t: T) => string, report: (key: string, before: string, after: string) => void): void {
  const index = (list: T[]) => {
    const m = new Map<string, string>();
    for (const t of list) {
      const k = key(t);
      // Two entries with one key (two disks without serials on one device name) are told apart by a counter.
      let unique = k;
      for (let n = 2; m.has(unique); n++) unique = `${k} #${n}`;
      m.set(unique, describe(t));
    }
    return m;
  };
  const a = index(prev);
  const b = index(next);
  for (const [k, after] of b) {
    const before = a.get(k);
    if (before === undefined) report(k, "", after);
    else if (before !== after) report(k, before, after);
  }
  for (const [k, before] of a) if (!b.has(k)) report(k, before, "");
}

/** The OS version to compare: Windows by build, Linux by VERSION_ID, else the release. */
function osVersion(d: InventoryDocument): string {
  return d.os.build || d.os.versionId || d.os.release;
}

function words(...parts: string[]): string {
  return parts.filter((p) => p && p.trim()).join(" ");
}

/** Bytes in binary units, as people read memory and disk sizes: "16 GiB", "931.5 GiB". */
export function bytes(n: number): string {
  if (!(n > 0)) return "0 B";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
