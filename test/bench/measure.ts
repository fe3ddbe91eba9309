import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

/** Kernel clock ticks per second (USER_HZ), the unit of utime and stime in /proc/<pid>/stat. */
export const CLOCK_TICKS = readClockTicks();

function readClockTicks(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** CPU times of one process from /proc/<pid>/stat, in clock ticks. */
export interface ProcStat {
  ppid: number;
  utime: number;
  stime: number;
  /** Time of children this process has waited for (exited and reaped). */
  cutime: number;
  cstime: number;
}

/** Reads /proc/<pid>/stat, or null when the process is gone. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name may hold spaces and parentheses: the fields start after the last ')'.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]), cutime: Number(f[13]), cstime: Number(f[14]) };
}

/** Resident set size of a process in bytes (VmRSS), or null when the process is gone. */
export function readRssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Number of open file descriptors of a process, or null when it is gone. */
export function openFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** The process's soft limit on open files, or null when unknown. */
export function openFilesLimit(pid: number | "self" = "self"): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU ticks (utime + stime) of each thread of a process, by thread id, with the thread's name. */
export function threadTicks(pid: number): Map<number, { name: string; ticks: number }> {
  const out = new Map<number, { name: string; ticks: number }>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), { name, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** Live child processes of a process (every thread's children list). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** Live descendants of a process, depth first. */
export function descendantPids(pid: number): number[] {
  const out: number[] = [];
  for (const c of childPids(pid)) out.push(c, ...descendantPids(c));
  return out;
}

/**
 * CPU ticks a process has used so far: its own utime + stime, plus (with `tree`) the reaped children's
 * cutime + cstime and the ticks of descendants still running. Null when the process is gone.
 */
export function cpuTicks(pid: number, tree: boolean): number | null {
  const s = readProcStat(pid);
  if (!s) return null;
  let ticks = s.utime + s.stime;
  if (tree) {
    ticks += s.cutime + s.cstime;
    for (const c of childPids(pid)) ticks += cpuTicks(c, true) ?? 0;
  }
  return ticks;
}

/** What a ProcSampler saw over its window. */
export interface ProcSummary {
  seconds: number;
  /** CPU used over the window, in percent of one core. */
  cpuPct: number;
  rssMedianBytes: number;
  rssMaxBytes: number;
  /** Largest RSS of the process plus its live descendants at one sample (equals rssMaxBytes without `tree`). */
  treeRssMaxBytes: number;
  samples: number;
  /** Most open file descriptors seen (only with the `fds` option, else 0). */
  fdsMax: number;
  /** CPU by thread name (digits folded, so pools add up), % of one core, largest first (only with `threads`). */
  threads: Array<[string, number]>;
  /** False when the process disappeared during the window. */
  alive: boolean;
}

/** Samples a process's CPU time and RSS from /proc every `everyMs` between start() and stop(). */
export class ProcSampler {
  private timer: NodeJS.Timeout | undefined;
  private startTicks = 0;
  private startedAt = 0;
  private lastTicks = 0;
  private lastAt = 0;
  private alive = true;
  private readonly rss: number[] = [];
  private treeRssMax = 0;
  private fdsMax = 0;
  private threadsAtStart = new Map<number, { name: string; ticks: number }>();

  constructor(
    readonly pid: number,
    private readonly opts: { tree?: boolean; fds?: boolean; threads?: boolean; everyMs?: number } = {},
  ) {}

  /** Takes the first reading and starts sampling. */
  start(): this {
    this.startedAt = this.lastAt = performance.now();
    this.startTicks = this.lastTicks = cpuTicks(this.pid, this.opts.tree ?? false) ?? 0;
    if (this.opts.threads) this.threadsAtStart = threadTicks(this.pid);
    this.sample();
    this.timer = setInterval(() => this.sample(), this.opts.everyMs ?? 1000);
    this.timer.unref();
    return this;
  }

  /** Takes the last reading and summarizes the window. */
  stop(): ProcSummary {
    clearInterval(this.timer);
    this.sample();
    const seconds = (this.lastAt - this.startedAt) / 1000;
    const sorted = [...this.rss].sort((a, b) => a - b);
    const byName = new Map<string, number>();
    if (this.opts.threads) {
      for (const [tid, t] of threadTicks(this.pid)) {
        // Node's own threads share the process name; the one whose id is the pid runs the JavaScript.
        const name = tid === this.pid ? "main JS thread" : t.name.replace(/\d+/g, "#");
        byName.set(name, (byName.get(name) ?? 0) + t.ticks - (this.threadsAtStart.get(tid)?.ticks ?? 0));
      }
    }
    return {
      seconds,
      cpuPct: seconds > 0 ? ((this.lastTicks - this.startTicks) / CLOCK_TICKS / seconds) * 100 : 0,
      rssMedianBytes: percentile(sorted, 50),
      rssMaxBytes: sorted.at(-1) ?? 0,
      treeRssMaxBytes: Math.max(this.treeRssMax, sorted.at(-1) ?? 0),
      fdsMax: this.fdsMax,
      threads: [...byName]
        .map(([name, ticks]): [string, number] => [name, seconds > 0 ? (ticks / CLOCK_TICKS / seconds) * 100 : 0])
        .filter(([, pct]) => pct > 0)
        .sort((a, b) => b[1] - a[1]),
      samples: sorted.length,
      alive: this.alive,
    };
  }

  private sample(): void {
    const ticks = cpuTicks(this.pid, this.opts.tree ?? false);
    const rss = readRssBytes(this.pid);
    if (ticks === null || rss === null) {
      this.alive = false;
      return;
    }
    this.lastTicks = ticks;
    this.lastAt = performance.now();
    this.rss.push(rss);
    if (this.opts.fds) this.fdsMax = Math.max(this.fdsMax, openFds(this.pid) ?? 0);
    if (this.opts.tree) {
      let tree = rss;
      for (const d of descendantPids(this.pid)) tree += readRssBytes(d) ?? 0;
      this.treeRssMax = Math.max(this.treeRssMax, tree);
    }
  }
}

/** Nearest-rank percentile (0–100) of an ascending array; 0 for an empty one. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Median of some numbers (nearest rank); 0 when there are none. */
export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Count, p50, p95, p99 and max of some numbers. */
export function distribution(values: ArrayLike<number>): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => (typeof c === "number" ? fmtNumber(c) : c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** A number with thousands separators and at most `digits` decimals. */
export function fmtNumber(n: number, digits = n !== 0 && Math.abs(n) < 10 ? 2 : 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Bytes as MiB with one decimal. */
export function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
