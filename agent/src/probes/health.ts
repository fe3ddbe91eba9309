import { existsSync, readdirSync, readFileSync } from "node:fs";
import { stat, statfs } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { MetricName, type HealthRecord, type Metric } from "@vigil/protocol";
import { readBootId } from "./boot.js";

/** Takes health samples of this host; rates cover the time since the previous sample. */
export interface HealthProbe {
  /** One health record: CPU, memory, filesystems, network, disk I/O, uptime. */
  sample(): Promise<HealthRecord>;
}

type Labels = Readonly<Record<string, string>>;

/** Cumulative counters, turned into rates by comparing two readings. */
interface Counters {
  /** Monotonic milliseconds: wall-clock jumps must not distort rates. */
  at: number;
  /** Busy and total CPU time; key "" is all CPUs, otherwise the core number. */
  cpu: Map<string, [busy: number, total: number]>;
  /** Bytes received and sent per interface. */
  net: Map<string, [rx: number, tx: number]>;
  /** Bytes read and written, reads and writes completed, per whole disk. */
  disk: Map<string, [readBytes: number, writeBytes: number, reads: number, writes: number]>;
}

/** Where the numbers come from on one kind of platform. */
interface Source {
  counters(): Promise<Counters>;
  /** Appends the point-in-time metrics (memory, filesystems, load...). */
  gauges(metrics: Metric[], labels: LabelCache): Promise<void>;
}

// Shortest span rates are measured over: long enough for the kernel's tick counters (USER_HZ = 100)
// to move, short enough for `collect --once`.
const BASELINE_MS = 250;

/** A health probe for this platform: /proc and /sys on Linux, systeminformation elsewhere. */
export function createHealthProbe(): HealthProbe {
  const source: Source = process.platform === "linux" ? linuxSource() : portableSource();
  const labels = new LabelCache();
  let previous: Counters | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function take(): Promise<HealthRecord> {
    previous ??= await source.counters();
    // The first call, or one right after another, would compare counters that have not moved yet.
    const wait = BASELINE_MS - (performance.now() - previous.at);
    if (wait > 0) await sleep(wait);
    const ts = Date.now();
    const current = await source.counters();
    const metrics: Metric[] = [];
    addRates(metrics, previous, current, labels);
    previous = current;
    await source.gauges(metrics, labels);
    return { kind: "health", ts, bootId: readBootId(), metrics };
  }

  return {
    sample() {
      // Overlapping calls would share one baseline and report rates over a sliver of time.
      const next = queue.then(take);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function addRates(metrics: Metric[], prev: Counters, cur: Counters, labels: LabelCache): void {
  const seconds = (cur.at - prev.at) / 1000;
  if (seconds <= 0) return;
  for (const [key, [busy, total]] of cur.cpu) {
    const before = prev.cpu.get(key);
    if (!before) continue;
    const dTotal = total - before[1];
    if (dTotal <= 0) continue;
    const pct = clampPct(((busy - before[0]) / dTotal) * 100);
    if (key === "") metrics.push({ name: MetricName.cpuUtilization, value: pct });
    else metrics.push({ name: MetricName.cpuCoreUtilization, labels: labels.get("core", key), value: pct });
  }
  for (const [iface, [rx, tx]] of cur.net) {
    const before = prev.net.get(iface);
    // A counter that went backwards belongs to a re-created interface: no rate this time.
    if (!before || rx < before[0] || tx < before[1]) continue;
    const l = labels.get("iface", iface);
    metrics.push({ name: MetricName.netRx, labels: l, value: round2((rx - before[0]) / seconds) });
    metrics.push({ name: MetricName.netTx, labels: l, value: round2((tx - before[1]) / seconds) });
  }
  for (const [device, c] of cur.disk) {
    const b = prev.disk.get(device);
    if (!b || c[0] < b[0] || c[1] < b[1] || c[2] < b[2] || c[3] < b[3]) continue;
    const l = labels.get("device", device);
    metrics.push({ name: MetricName.diskReadBps, labels: l, value: round2((c[0] - b[0]) / seconds) });
    metrics.push({ name: MetricName.diskWriteBps, labels: l, value: round2((c[1] - b[1]) / seconds) });
    metrics.push({ name: MetricName.diskReadOps, labels: l, value: round2((c[2] - b[2]) / seconds) });
    metrics.push({ name: MetricName.diskWriteOps, labels: l, value: round2((c[3] - b[3]) / seconds) });
  }
}

function addMemory(metrics: Metric[], total: number, available: number, swapTotal: number, swapUsed: number): void {
  const used = Math.max(0, total - available);
  metrics.push(
    { name: MetricName.memoryTotal, value: total },
    { name: MetricName.memoryUsed, value: used },
    { name: MetricName.memoryAvailable, value: available },
    { name: MetricName.memoryUsedPct, value: total > 0 ? clampPct((used / total) * 100) : 0 },
    { name: MetricName.swapTotal, value: swapTotal },
    { name: MetricName.swapUsed, value: swapUsed },
    { name: MetricName.swapUsedPct, value: swapTotal > 0 ? clampPct((swapUsed / swapTotal) * 100) : 0 },
  );
}

function addFs(metrics: Metric[], labels: Labels, size: number, used: number, usedPct: number): void {
  metrics.push(
    { name: MetricName.fsSize, labels, value: size },
    { name: MetricName.fsUsed, labels, value: used },
    { name: MetricName.fsUsedPct, labels, value: clampPct(usedPct) },
  );
}

function addLoadAndUptime(metrics: Metric[]): void {
  // Windows has no load average; os.loadavg() answers zeros there, which would read as idle.
  if (process.platform !== "win32") {
    const [l1, l5, l15] = os.loadavg();
    metrics.push(
      { name: MetricName.load1, value: l1 ?? 0 },
      { name: MetricName.load5, value: l5 ?? 0 },
      { name: MetricName.load15, value: l15 ?? 0 },
    );
  }
  metrics.push({ name: MetricName.uptime, value: Math.round(os.uptime()) });
}

// ---------------------------------------------------------------------------------------------
// Linux: read the kernel's own files. No child processes: the agent must stay under 0.2% of a core.
// procfs and sysfs are served from kernel memory and never wait on a disk, so synchronous reads
// cost less than a thread-pool round trip.

/** Filesystem types that hold no user data, or whose usage says nothing about running out of space. */
const PSEUDO_FS = new Set([
  "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "securityfs", "debugfs",
  "tracefs", "pstore", "bpf", "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc",
  "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "nfsd", "devfs", "fuse",
  // Read-only images (snaps, live media) are always 100% full by design.
  "squashfs", "iso9660", "udf", "erofs",
]);

/** Network filesystems: another machine's disk, and statfs on a hung server can block for minutes. */
const NETWORK_FS = new Set([
  "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "9p", "afs", "lustre", "davfs", "sshfs",
]);

/** Union filesystems that container runtimes stack on a real disk, once per container. */
const UNION_FS = new Set(["overlay", "aufs", "shiftfs"]);

/** statfs longer than this is given up for the current sample (a wedged device or driver). */
const STATFS_TIMEOUT_MS = 2000;

interface Mount {
  mount: string;
  labels: Labels;
  /** A statfs still running from an earlier sample; no second one is queued behind it. */
  pending: boolean;
}

function linuxSource(): Source {
  const wholeDisk = new Map<string, boolean>();
  let mountsText = "";
  let mounts: Mount[] = [];
  const temperature = new TemperatureReader("/sys");

  async function refreshMounts(): Promise<Mount[]> {
    const text = readOr("/proc/self/mounts", "");
    // Mounts rarely change; parse (and stat) only when the table does.
    if (text === mountsText) return mounts;
    mountsText = text;
    mounts = await realMounts(parseMounts(text));
    return mounts;
  }

  return {
    async counters() {
      return {
        at: performance.now(),
        cpu: parseProcStat(readOr("/proc/stat", "")),
        net: parseNetDev(readOr("/proc/net/dev", "")),
        disk: parseDiskStats(readOr("/proc/diskstats", ""), (name) => isWholeDisk(wholeDisk, name)),
      };
    },
    // Mount labels are built once per mount-table change, so the shared label cache is not needed.
    async gauges(metrics) {
      addLoadAndUptime(metrics);
      const mem = parseMeminfo(readOr("/proc/meminfo", ""));
      if (mem) addMemory(metrics, mem.total, mem.available, mem.swapTotal, mem.swapTotal - mem.swapFree);
      const fsSamples = await Promise.all((await refreshMounts()).map(statMount));
      for (const s of fsSamples) if (s) addFs(metrics, s.labels, s.size, s.used, s.usedPct);
      metrics.push({ name: MetricName.processCount, value: countProcesses() });
      const celsius = temperature.read();
      if (celsius !== null) metrics.push({ name: MetricName.cpuTemperature, value: celsius });
    },
  };
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

/** CPU busy/total ticks from /proc/stat. Busy excludes idle and iowait (waiting, not working). */
function parseProcStat(text: string): Counters["cpu"] {
  const cpu: Counters["cpu"] = new Map();
  let start = 0;
  // The cpu lines come first; stop before the long `intr` line.
  while (text.startsWith("cpu", start)) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const f = text.slice(start, end).split(" ").filter((s) => s.length > 0);
    start = end + 1;
    // user nice system idle iowait irq softirq steal; guest time is already inside user and nice.
    let total = 0;
    for (let i = 1; i <= 8 && i < f.length; i++) total += Number(f[i]);
    const idle = Number(f[4] ?? 0) + Number(f[5] ?? 0);
    if (!Number.isFinite(total)) continue;
    cpu.set(f[0] === "cpu" ? "" : f[0]!.slice(3), [total - idle, total]);
  }
  return cpu;
}

/** Bytes received and sent per interface from /proc/net/dev. */
function parseNetDev(text: string): Counters["net"] {
  const net: Counters["net"] = new Map();
  const lines = text.split("\n");
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    // The host end of each container's virtual cable: its traffic also crosses the bridge, and a
    // busy container host has hundreds of them.
    if (iface.startsWith("veth")) continue;
    const f = line.slice(colon + 1).trim().split(/\s+/);
    const rx = Number(f[0]);
    const tx = Number(f[8]);
    if (Number.isFinite(rx) && Number.isFinite(tx)) net.set(iface, [rx, tx]);
  }
  return net;
}

/** Bytes and operations per whole disk from /proc/diskstats (sectors there are always 512 bytes). */
function parseDiskStats(text: string, isWhole: (name: string) => boolean): Counters["disk"] {
  const disk: Counters["disk"] = new Map();
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !isWhole(f[2]!)) continue;
    disk.set(f[2]!, [Number(f[5]) * 512, Number(f[9]) * 512, Number(f[3]), Number(f[7])]);
  }
  return disk;
}

// Whole hardware disks have a `device` link in sysfs; partitions are not in /sys/block at all, and
// loop, ram, zram, device-mapper and md devices are virtual and would count the same I/O twice.
function isWholeDisk(cache: Map<string, boolean>, name: string): boolean {
  let whole = cache.get(name);
  if (whole === undefined) {
    whole = !/^(loop|ram|zram)/.test(name) && existsSync(`/sys/block/${name.replaceAll("/", "!")}/device`);
    cache.set(name, whole);
  }
  return whole;
}

/** Memory and swap figures in bytes from /proc/meminfo. */
function parseMeminfo(
  text: string,
): { total: number; available: number; swapTotal: number; swapFree: number } | null {
  const kb = new Map<string, number>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) kb.set(line.slice(0, colon), Number.parseInt(line.slice(colon + 1), 10));
  }
  const total = kb.get("MemTotal");
  if (total === undefined || !Number.isFinite(total)) return null;
  // MemAvailable (kernel 3.14+) counts reclaimable cache as available; older kernels lack it.
  const available =
    kb.get("MemAvailable") ?? (kb.get("MemFree") ?? 0) + (kb.get("Buffers") ?? 0) + (kb.get("Cached") ?? 0);
  return {
    total: total * 1024,
    available: available * 1024,
    swapTotal: (kb.get("SwapTotal") ?? 0) * 1024,
    swapFree: (kb.get("SwapFree") ?? 0) * 1024,
  };
}

interface MountEntry {
  device: string;
  mount: string;
  fstype: string;
}

/** Filesystems worth reporting from /proc/self/mounts: real ones, each device once. */
export function parseMounts(text: string): MountEntry[] {
  const byDevice = new Map<string, MountEntry>();
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    if (f.length < 3) continue;
    const device = unescapeMount(f[0]!);
    const mount = unescapeMount(f[1]!);
    const fstype = f[2]!;
    if (PSEUDO_FS.has(fstype) || NETWORK_FS.has(fstype)) continue;
    // FUSE filesystems are mostly network or virtual; disks mounted through FUSE show as fuseblk.
    if (fstype.startsWith("fuse.")) continue;
    // Inside a container the root is an overlay and is the disk that matters; anywhere else an
    // overlay is a container's layer stack over a disk that is already reported.
    if (UNION_FS.has(fstype) && mount !== "/") continue;
    // Bind mounts and btrfs subvolumes repeat a device; its usage is the same from any of them.
    const seen = byDevice.get(device);
    if (!seen || mount.length < seen.mount.length) byDevice.set(device, { device, mount, fstype });
  }
  return [...byDevice.values()];
}

// The kernel writes space, tab, newline and backslash in mount paths as octal escapes.
function unescapeMount(s: string): string {
  return s.includes("\\") ? s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : s;
}

async function realMounts(entries: MountEntry[]): Promise<Mount[]> {
  const result: Mount[] = [];
  for (const e of entries) {
    // Containers bind-mount single files (/etc/hosts, /etc/resolv.conf) from the host's disk.
    const isDir = await stat(e.mount).then(
      (s) => s.isDirectory(),
      () => true,
    );
    if (!isDir) continue;
    result.push({ mount: e.mount, labels: Object.freeze({ mount: e.mount, device: e.device, fstype: e.fstype }), pending: false });
  }
  return result;
}

async function statMount(m: Mount): Promise<{ labels: Labels; size: number; used: number; usedPct: number } | null> {
  if (m.pending) return null;
  m.pending = true;
  const request = statfs(m.mount).finally(() => (m.pending = false));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), STATFS_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const s = await Promise.race([request, timeout]);
    if (s === null || s.blocks === 0) return null;
    const used = (s.blocks - s.bfree) * s.bsize;
    const avail = s.bavail * s.bsize;
    // Like df: blocks reserved for root count as neither used nor available, so a disk reads 100%
    // when ordinary users can no longer write.
    const usedPct = used + avail > 0 ? (used / (used + avail)) * 100 : 0;
    return { labels: m.labels, size: s.blocks * s.bsize, used, usedPct: round2(usedPct) };
  } catch {
    // Permission denied or the mount vanished between reading the table and asking.
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function countProcesses(): number {
  let n = 0;
  try {
    for (const name of readdirSync("/proc")) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) n++;
    }
  } catch {
    // /proc unreadable: report none rather than fail the sample.
  }
  return n;
}

/** hwmon drivers whose first sensor is the CPU package (Intel, AMD, ARM boards). */
const CPU_HWMON = new Set(["coretemp", "k10temp", "zenpower", "cpu_thermal", "cpu-thermal", "soc_thermal"]);
/** Thermal zone types that measure the CPU rather than the board or a battery. */
const CPU_ZONE = /x86_pkg_temp|cpu|soc|core|package/i;
/** Samples between searches for a sensor when none was found (driver loaded late). */
const SENSOR_RETRY_SAMPLES = 40;

/** Reads the CPU temperature from sysfs, finding the right sensor once and reusing it. */
class TemperatureReader {
  private file: string | null = null;
  private untilRetry = 0;

  constructor(private readonly sysDir: string) {}

  /** Degrees Celsius, or null when the host exposes no CPU sensor. */
  read(): number | null {
    if (this.file === null) {
      if (this.untilRetry-- > 0) return null;
      this.file = findCpuTemperatureFile(this.sysDir);
      if (this.file === null) {
        this.untilRetry = SENSOR_RETRY_SAMPLES;
        return null;
      }
    }
    const milli = Number.parseInt(readOr(this.file, ""), 10);
    // Unplugged or glitching sensors report nonsense such as -273 or 255 °C.
    if (!Number.isFinite(milli) || milli <= -40_000 || milli >= 150_000) {
      this.file = null;
      return null;
    }
    return milli / 1000;
  }
}

/** The sysfs file holding the CPU temperature in millidegrees, or null. */
export function findCpuTemperatureFile(sysDir: string): string | null {
  const hwmonDir = path.join(sysDir, "class/hwmon");
  for (const entry of listDir(hwmonDir)) {
    const dir = path.join(hwmonDir, entry);
    if (!CPU_HWMON.has(readOr(path.join(dir, "name"), "").trim())) continue;
    // temp1 is the package sensor on coretemp and Tctl on k10temp.
    const inputs = listDir(dir).filter((f) => /^temp\d+_input$/.test(f)).sort(byNumber);
    if (inputs[0]) return path.join(dir, inputs[0]);
  }
  const thermalDir = path.join(sysDir, "class/thermal");
  for (const entry of listDir(thermalDir).filter((e) => e.startsWith("thermal_zone")).sort(byNumber)) {
    const dir = path.join(thermalDir, entry);
    if (CPU_ZONE.test(readOr(path.join(dir, "type"), "")) && existsSync(path.join(dir, "temp"))) {
      return path.join(dir, "temp");
    }
  }
  return null;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function byNumber(a: string, b: string): number {
  return Number(a.replace(/\D/g, "")) - Number(b.replace(/\D/g, ""));
}

// ---------------------------------------------------------------------------------------------
// Other platforms: systeminformation, loaded only here (it spawns helpers; fine off Linux, where
// there is no /proc to read). Disk I/O, process count and temperature are not reported there.

function portableSource(): Source {
  const si = import("systeminformation");
  return {
    async counters() {
      const cpu: Counters["cpu"] = new Map();
      let allBusy = 0;
      let allTotal = 0;
      os.cpus().forEach((c, i) => {
        const busy = c.times.user + c.times.nice + c.times.sys + c.times.irq;
        const total = busy + c.times.idle;
        cpu.set(String(i), [busy, total]);
        allBusy += busy;
        allTotal += total;
      });
      cpu.set("", [allBusy, allTotal]);
      const net: Counters["net"] = new Map();
      try {
        for (const n of await (await si).networkStats("*")) net.set(n.iface, [n.rx_bytes, n.tx_bytes]);
      } catch {
        // No network figures this time.
      }
      return { at: performance.now(), cpu, net, disk: new Map() };
    },
    async gauges(metrics, labels) {
      addLoadAndUptime(metrics);
      const lib = await si;
      try {
        const m = await lib.mem();
        addMemory(metrics, m.total, m.available, m.swaptotal, m.swapused);
      } catch {
        // Memory figures unavailable this time.
      }
      try {
        const seen = new Set<string>();
        for (const f of await lib.fsSize()) {
          if (f.size <= 0 || seen.has(f.fs) || PSEUDO_FS.has(f.type) || NETWORK_FS.has(f.type)) continue;
          seen.add(f.fs);
          addFs(metrics, labels.fs(f.mount, f.fs, f.type), f.size, f.used, f.use);
        }
      } catch {
        // Filesystem figures unavailable this time.
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Reuses label objects across samples, so a steady host allocates no new ones every 15 s. */
class LabelCache {
  private readonly cache = new Map<string, Labels>();

  get(key: "core" | "iface" | "device", value: string): Labels {
    return this.remember(`${key}\0${value}`, () => ({ [key]: value }));
  }

  fs(mount: string, device: string, fstype: string): Labels {
    return this.remember(`fs\0${mount}\0${device}\0${fstype}`, () => ({ mount, device, fstype }));
  }

  private remember(id: string, make: () => Record<string, string>): Labels {
    let labels = this.cache.get(id);
    if (!labels) {
      // Interfaces and disks come and go; never let the cache grow without bound.
      if (this.cache.size >= 1000) this.cache.clear();
      labels = Object.freeze(make());
      this.cache.set(id, labels);
    }
    return labels;
  }
}

function clampPct(pct: number): number {
  return round2(Math.min(100, Math.max(0, pct)));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
