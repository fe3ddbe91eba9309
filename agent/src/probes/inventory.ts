import { existsSync, readFileSync, readdirSync } from "node:fs";
import { statfs } from "node:fs/promises";
import os from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import {
  InventoryDocument,
  MAX_INVENTORY_SERVICES,
  MAX_INVENTORY_SOFTWARE,
  type InventoryDisk as Disk,
  type InventoryFilesystem as Filesystem,
  type InventoryMemoryModule as MemoryModule,
  type InventoryNetworkInterface as NetworkInterface,
  type SmartStatus,
} from "@vigil/protocol";
import { parseMounts } from "./health.js";
import { clamp, runTool } from "./inventory-exec.js";
import { collectServices } from "./inventory-services.js";
import { collectSoftware } from "./inventory-software.js";

type Systeminformation = typeof import("systeminformation");

/** What collecting cost, measured around it. */
export interface InventoryCollectionStats {
  durationMs: number;
  /** CPU time of the agent process (user + system) while collecting. */
  cpuMs: number;
  /** CPU time of the tools it ran (Linux: from /proc/self/stat; 0 where the platform does not say). */
  childCpuMs: number;
  /** Longest the event loop was held up meanwhile: what the health ticker could have felt. */
  maxEventLoopDelayMs: number;
}

export interface CollectedInventory {
  document: InventoryDocument;
  stats: InventoryCollectionStats;
}

export interface InventoryProbeOptions {
  agentVersion: string;
  now?: () => number;
}

// Section maxima, so that a freak host yields a valid document with `truncated` rather than none.
const MAX = { software: MAX_INVENTORY_SOFTWARE, services: MAX_INVENTORY_SERVICES, users: 1000, network: 1000, filesystems: 1000, disks: 256, modules: 512 } as const;

/**
 * Collects this host's inventory with systeminformation and the platform's own tools (dpkg-query or rpm,
 * systemctl, lsblk, smartctl, reg, system_profiler). Meant to run every few hours, off the health path:
 * tools run as child processes, and Linux disks and interfaces are read without blocking the event loop.
 */
export async function collectInventory(opts: InventoryProbeOptions): Promise<CollectedInventory> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const child0 = childCpuMs();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    const si = await import("systeminformation");
    const linux = process.platform === "linux";
    const [system, bios, baseboard, cpu, osInfo] = [await si.system(), await si.bios(), await si.baseboard(), await si.cpu(), await si.osInfo()];
    const modules = await memoryModules(si);
    const disks = linux ? await linuxDisks() : await portableDisks(si);
    const filesystems = linux ? await linuxFilesystems() : await portableFilesystems(si);
    const network = linux ? linuxNetwork() : await portableNetwork(si);
    const osRelease = linux ? readOsRelease() : new Map<string, string>();
    const software = await collectSoftware();
    const services = await collectServices(() => si.services("*"));
    const users = await si.users().catch(() => []);

    const truncated: string[] = [];
    const cap = <T>(name: keyof typeof MAX, list: T[]): T[] => {
      if (list.length <= MAX[name]) return list;
      truncated.push(name);
      return list.slice(0, MAX[name]);
    };
    const collectedAt = (opts.now ?? Date.now)();
    const document = {
      schema: 1 as const,
      collectedAt,
      agent: { version: clamp(opts.agentVersion, 50) || "unknown" },
      system: {
        manufacturer: clamp(system.manufacturer, 200),
        model: clamp(system.model, 200),
        version: clamp(system.version, 200),
        serial: clamp(placeholder(system.serial), 200),
        uuid: clamp(system.uuid, 100),
        sku: clamp(placeholder(system.sku), 200),
        virtual: Boolean(system.virtual),
        virtualHost: clamp(system.virtualHost, 200),
        hostname: clamp(os.hostname(), 253),
        fqdn: clamp(osInfo.fqdn, 253),
      },
      bios: { vendor: clamp(bios.vendor, 200), version: clamp(bios.version, 200), releaseDate: isoDate(bios.releaseDate), revision: clamp(bios.revision, 100) },
      baseboard: { manufacturer: clamp(baseboard.manufacturer, 200), model: clamp(baseboard.model, 200), version: clamp(baseboard.version, 200), serial: clamp(placeholder(baseboard.serial), 200) },
      cpu: {
        manufacturer: clamp(cpu.manufacturer, 200),
        brand: clamp(cpu.brand, 200),
        cores: count(cpu.cores || os.cpus().length),
        physicalCores: count(cpu.physicalCores),
        sockets: count(cpu.processors),
        speedGHz: ghz(cpu.speed),
        speedMaxGHz: ghz(cpu.speedMax),
      },
      memory: { totalBytes: os.totalmem(), modules: cap("modules", modules) },
      disks: cap("disks", disks),
      filesystems: cap("filesystems", filesystems),
      network: cap("network", network),
      os: {
        platform: clamp(process.platform, 50),
        distro: clamp(osInfo.distro, 200),
        release: clamp(osInfo.release, 200),
        codename: clamp(osInfo.codename, 100),
        kernel: clamp(osInfo.kernel || os.release(), 200),
        arch: clamp(process.arch, 50),
        build: clamp(osInfo.build, 100),
        servicePack: clamp(osInfo.servicepack, 100),
        id: clamp(osRelease.get("ID"), 100),
        versionId: clamp(osRelease.get("VERSION_ID"), 100),
      },
      software: cap("software", software),
      services: cap("services", services),
      users: cap(
        "users",
        users.map((u) => ({ user: clamp(u.user, 256), terminal: clamp(u.tty, 100), host: clamp(u.ip, 253), loginAt: loginTime(u.date, u.time) })),
      ),
      ...(truncated.length > 0 ? { truncated } : {}),
    };
    const stats: InventoryCollectionStats = {
      durationMs: round(performance.now() - started),
      cpuMs: round(cpuMs(process.cpuUsage(cpu0))),
      childCpuMs: round(Math.max(0, childCpuMs() - child0)),
      maxEventLoopDelayMs: round(delay.max / 1e6),
    };
    const withStats = { ...document, agent: { ...document.agent, collection: { durationMs: stats.durationMs, cpuMs: stats.cpuMs, childCpuMs: stats.childCpuMs } } };
    // Validated here, so a bug shows up in the agent's log instead of as a batch the collector refuses.
    return { document: InventoryDocument.parse(withStats), stats };
  } finally {
    delay.disable();
  }
}

// ---------------------------------------------------------------------------------------------
// Memory

async function memoryModules(si: Systeminformation): Promise<MemoryModule[]> {
  const layout = await si.memLayout().catch(() => []);
  return (
    layout
      // Without dmidecode (or root) systeminformation invents one module the size of all memory.
      .filter((m) => m.size > 0 && (m.type || m.bank || m.partNum || m.manufacturer))
      .map((m) => ({
        sizeBytes: Math.round(m.size),
        type: clamp(m.type, 50),
        speedMHz: Math.max(0, Number(m.clockSpeed) || 0),
        formFactor: clamp(m.formFactor, 50),
        manufacturer: clamp(m.manufacturer, 200),
        partNumber: clamp(m.partNum, 200),
        serial: clamp(m.serialNum, 200),
        bank: clamp(m.bank, 200),
      }))
  );
}

// ---------------------------------------------------------------------------------------------
// Disks

/** Whole disks from `lsblk -P` (every util-linux since 2.19 has it), SMART health from `smartctl -H`. */
async function linuxDisks(): Promise<Disk[]> {
  const columns = ["NAME,TYPE,SIZE,MODEL,SERIAL,VENDOR,REV,ROTA,TRAN", "NAME,TYPE,SIZE,MODEL,ROTA"];
  let text: string | null = null;
  for (const c of columns) {
    text = await runTool("lsblk", ["-P", "-b", "-d", "-o", c]);
    if (text !== null) break;
  }
  if (text === null) return [];
  const disks = parseLsblk(text);
  const smartctl = findExecutable("smartctl");
  for (const d of disks) {
    if (!smartctl) break;
    const out = await runTool(smartctl, ["-H", d.device], { timeoutMs: 30_000, anyExitCode: true });
    d.smart = out === null ? "unknown" : parseSmartHealth(out);
  }
  return disks;
}

/** Disks from `lsblk -P -b -d -o NAME,TYPE,SIZE,MODEL,SERIAL,VENDOR,REV,ROTA,TRAN`. */
export function parseLsblk(text: string): Disk[] {
  const disks: Disk[] = [];
  for (const line of text.split("\n")) {
    const f = new Map<string, string>();
    for (const m of line.matchAll(/([A-Z:_-]+)="([^"]*)"/g)) f.set(m[1]!, m[2]!.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).trim());
    const name = f.get("NAME");
    const size = Number(f.get("SIZE"));
    // RAM disks, loop devices, compressed swap and floppies are not hardware worth inventorying.
    if (!name || f.get("TYPE") !== "disk" || /^(loop|ram|zram|fd|nbd)/.test(name) || !(size > 0)) continue;
    const tran = (f.get("TRAN") ?? "").toLowerCase();
    const type = tran === "nvme" || name.startsWith("nvme") ? "NVMe" : f.get("ROTA") === "0" ? "SSD" : f.get("ROTA") === "1" ? "HDD" : "";
    const iface = tran === "nvme" ? "NVMe" : tran ? tran.toUpperCase() : /^vd/.test(name) ? "virtio" : "";
    disks.push({
      device: clamp(`/dev/${name}`, 200),
      model: clamp(f.get("MODEL"), 200),
      serial: clamp(f.get("SERIAL"), 200),
      vendor: clamp(f.get("VENDOR"), 200),
      firmware: clamp(f.get("REV"), 100),
      sizeBytes: size,
      type,
      interface: clamp(iface, 50),
      smart: "unknown",
    });
  }
  return disks;
}

/** SMART overall health from `smartctl -H` text (ATA and NVMe: PASSED/FAILED!; SCSI: "SMART Health Status: OK"). */
export function parseSmartHealth(text: string): SmartStatus {
  const ata = /self-assessment test result:\s*(\S+)/i.exec(text);
  if (ata) return /^PASSED/i.test(ata[1]!) ? "ok" : "failing";
  const scsi = /SMART Health Status:\s*(.+)/i.exec(text);
  if (scsi) return /^OK\b/i.test(scsi[1]!.trim()) ? "ok" : "failing";
  return "unknown";
}

async function portableDisks(si: Systeminformation): Promise<Disk[]> {
  const layout = await si.diskLayout().catch(() => []);
  return layout.map((d) => {
    const status = (d.smartStatus ?? "").toLowerCase();
    return {
      device: clamp(d.device || d.name, 200),
      model: clamp(d.name, 200),
      serial: clamp(d.serialNum, 200),
      vendor: clamp(d.vendor, 200),
      firmware: clamp(d.firmwareRevision, 100),
      sizeBytes: Math.max(0, Math.round(d.size || 0)),
      type: d.type === "HD" ? "HDD" : clamp(d.type, 50),
      interface: clamp(d.interfaceType, 50),
      smart: status === "ok" ? "ok" : /fail|degraded/.test(status) ? "failing" : "unknown",
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Filesystems

async function linuxFilesystems(): Promise<Filesystem[]> {
  let text: string;
  try {
    text = readFileSync("/proc/self/mounts", "utf8");
  } catch {
    return [];
  }
  const out: Filesystem[] = [];
  for (const m of parseMounts(text)) {
    const s = await withTimeout(statfs(m.mount), 2000).catch(() => null);
    if (!s || s.blocks === 0) continue;
    out.push({ mount: clamp(m.mount, 1000), device: clamp(m.device, 500), fstype: clamp(m.fstype, 50), sizeBytes: s.blocks * s.bsize });
  }
  return out.sort((a, b) => (a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0));
}

async function portableFilesystems(si: Systeminformation): Promise<Filesystem[]> {
  const list = await si.fsSize().catch(() => []);
  const seen = new Set<string>();
  return list
    .filter((f) => f.size > 0 && !seen.has(f.mount) && seen.add(f.mount))
    .map((f) => ({ mount: clamp(f.mount, 1000), device: clamp(f.fs, 500), fstype: clamp(f.type, 50), sizeBytes: Math.round(f.size) }))
    .sort((a, b) => (a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Network

// Interfaces that come and go with containers and VMs: listing them would make the inventory change all day.
const EPHEMERAL_IFACE = /^(veth|tap|vnet|cali|flannel|cni|lxc|br-[0-9a-f]{12}$)/;

/** Interfaces from sysfs and os.networkInterfaces(): no child process, nothing that blocks. */
function linuxNetwork(): NetworkInterface[] {
  const addresses = os.networkInterfaces();
  const temporary = temporaryIpv6();
  let names: string[];
  try {
    names = readdirSync("/sys/class/net");
  } catch {
    names = Object.keys(addresses);
  }
  const out: NetworkInterface[] = [];
  for (const name of names.sort()) {
    if (name === "lo" || EPHEMERAL_IFACE.test(name)) continue;
    const dir = `/sys/class/net/${name}`;
    const speed = Number(readSys(`${dir}/speed`));
    const physical = existsSync(`${dir}/device`);
    const wireless = existsSync(`${dir}/wireless`) || existsSync(`${dir}/phy80211`);
    const list = addresses[name] ?? [];
    out.push({
      name: clamp(name, 200),
      mac: clamp(readSys(`${dir}/address`), 50),
      ipv4: list.filter((a) => a.family === "IPv4").map((a) => a.address).sort().slice(0, 256),
      ipv6: list.filter((a) => a.family === "IPv6" && !temporary.has(a.address)).map((a) => a.address).sort().slice(0, 256),
      speedMbps: Number.isFinite(speed) && speed > 0 ? speed : null,
      type: wireless ? "wireless" : physical ? "wired" : "virtual",
      virtual: !physical,
    });
  }
  return out;
}

/** IPv6 privacy addresses (RFC 4941): they rotate daily and say nothing about the machine. */
function temporaryIpv6(): Set<string> {
  const out = new Set<string>();
  for (const line of readSys("/proc/net/if_inet6").split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !(parseInt(f[4]!, 16) & 0x01)) continue;
    const hex = f[0]!;
    const groups = hex.match(/.{4}/g)?.map((g) => g.replace(/^0+(?=.)/, "")) ?? [];
    out.add(compressIpv6(groups));
  }
  return out;
}

/** The canonical (RFC 5952) spelling that os.networkInterfaces() uses. */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

async function portableNetwork(si: Systeminformation): Promise<NetworkInterface[]> {
  const list = await si.networkInterfaces().catch(() => []);
  const addresses = os.networkInterfaces();
  return (Array.isArray(list) ? list : [list])
    .filter((n) => !n.internal && !EPHEMERAL_IFACE.test(n.iface))
    .map((n) => {
      const own = addresses[n.iface] ?? [];
      const v4 = own.filter((a) => a.family === "IPv4").map((a) => a.address);
      const v6 = own.filter((a) => a.family === "IPv6").map((a) => a.address);
      return {
        name: clamp(n.iface, 200),
        mac: clamp(n.mac, 50),
        ipv4: (v4.length ? v4 : n.ip4 ? [n.ip4] : []).sort().slice(0, 256),
        ipv6: (v6.length ? v6 : n.ip6 ? [n.ip6] : []).sort().slice(0, 256),
        speedMbps: typeof n.speed === "number" && n.speed > 0 ? n.speed : null,
        type: clamp(n.virtual ? "virtual" : n.type, 50),
        virtual: Boolean(n.virtual),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** ID, VERSION_ID and friends from /etc/os-release (or /usr/lib/os-release). */
export function readOsRelease(text?: string): Map<string, string> {
  const out = new Map<string, string>();
  const source = text ?? (readSys("/etc/os-release") || readSys("/usr/lib/os-release"));
  for (const line of source.split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, "$2"));
  }
  return out;
}

/** CPU time of waited-for child processes, from fields 16 and 17 of /proc/self/stat (clock ticks of 10 ms). */
function childCpuMs(): number {
  if (process.platform !== "linux") return 0;
  const stat = readSys("/proc/self/stat");
  // The command name (field 2) may contain spaces; count from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) * 10 : 0;
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

function readSys(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function findExecutable(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/sbin", "/usr/local/sbin"])) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

/** YYYY-MM-DD from what firmware tables say (ISO already, or US-style MM/DD/YYYY), else "". */
export function isoDate(value: unknown): string {
  const s = clamp(value, 40);
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1]!.padStart(2, "0"), us[2]!.padStart(2, "0")] : [];
  if (!y || !m || !d) return "";
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d) || Number(y) < 1980 ? "" : `${y}-${m}-${d}`;
}

/** Firmware fields often hold placeholders instead of nothing. */
function placeholder(value: unknown): string {
  const s = clamp(value, 200);
  return /^(-|none|n\/a|default string|to be filled by o\.e\.m\.|system serial number|0+|not specified|not applicable)$/i.test(s) ? "" : s;
}

function loginTime(date: string, time: string): number | null {
  if (!date || !time) return null;
  const ms = new Date(`${date}T${time.length === 5 ? `${time}:00` : time}`).getTime();
  return Number.isFinite(ms) && ms >= 946_684_800_000 && ms <= 7_258_118_400_000 ? ms : null;
}

function count(n: unknown): number {
  const v = Math.round(Number(n));
  return Number.isFinite(v) && v >= 0 ? Math.min(v, 1_000_000) : 0;
}

function ghz(n: unknown): number {
  const v = Number(n);
  return Number.isFinite(v) && v > 0 && v <= 100 ? Math.round(v * 100) / 100 : 0;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
