import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FleetCredentials } from "./enroll.js";
import type { WorkerReply, WorkerRequest } from "./fleet-worker.js";
import { FleetShard, type ConnectResult, type ShardOptions, type ShardStats } from "./shard.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");

/** Agents per worker process when `workers` is not given. */
export const AGENTS_PER_WORKER = 5000;
/** Connections per source address before the next 127.0.0.x is used (ephemeral ports run out near 28,000). */
export const AGENTS_PER_SOURCE_ADDRESS = 20_000;

/** How a fleet is run. */
export interface FleetOptions {
  server: string;
  credentials: FleetCredentials[];
  /** Each agent sends one health batch per interval (default 15,000 ms), staggered evenly across it. */
  intervalMs?: number;
  /** Cores per simulated host; a batch carries 6 + cores points (default 4). */
  cores?: number;
  /** Child processes running the agents; 0 runs them in this process (default: one per 5,000 agents). */
  workers?: number;
  /** Connection attempts in flight at once, per worker (default 200). */
  connectConcurrency?: number;
  /** Source addresses (default: 127.0.0.1, plus 127.0.0.2… for every further 20,000 agents). */
  localAddresses?: string[];
  /** Reconnect after the collector closes a connection (default true). */
  reconnect?: boolean;
}

/** Everything the fleet's shards counted, merged. */
export type FleetStats = ShardStats & { shards: number };

/** One shard, in this process or in a child process. */
interface ShardHandle {
  readonly pid: number;
  connect(): Promise<ConnectResult>;
  start(t0: number): Promise<void>;
  halt(): Promise<void>;
  setWindow(from: number, to: number): Promise<void>;
  report(graceMs: number): Promise<ShardStats>;
  stop(): Promise<void>;
}

/**
 * N simulated agents speaking the real protocol to a collector, spread over worker processes so that
 * the simulator is not the bottleneck. Connect, start sending, mark a measurement window, report, stop.
 */
export class Fleet {
  private constructor(
    private readonly shards: ShardHandle[],
    readonly size: number,
    readonly intervalMs: number,
  ) {}

  /** Creates the shards (forks the workers); nothing connects yet. */
  static async create(opts: FleetOptions): Promise<Fleet> {
    const n = opts.credentials.length;
    const workers = opts.workers ?? Math.ceil(n / AGENTS_PER_WORKER);
    const intervalMs = opts.intervalMs ?? 15_000;
    const localAddresses =
      opts.localAddresses ?? (n > AGENTS_PER_SOURCE_ADDRESS ? Array.from({ length: Math.ceil(n / AGENTS_PER_SOURCE_ADDRESS) }, (_, i) => `127.0.0.${i + 1}`) : undefined);
    const parts = Math.max(1, Math.min(workers, n));
    const shards: ShardHandle[] = [];
    for (let p = 0; p < parts; p++) {
      const from = Math.floor((p * n) / parts);
      const to = Math.floor(((p + 1) * n) / parts);
      const options: ShardOptions = {
        server: opts.server,
        agents: opts.credentials.slice(from, to),
        firstIndex: from,
        fleetSize: n,
        intervalMs,
        ...(opts.cores !== undefined ? { cores: opts.cores } : {}),
        ...(opts.connectConcurrency !== undefined ? { connectConcurrency: opts.connectConcurrency } : {}),
        ...(localAddresses ? { localAddresses } : {}),
        ...(opts.reconnect !== undefined ? { reconnect: opts.reconnect } : {}),
      };
      shards.push(workers === 0 ? new LocalShard(options) : await RemoteShard.fork(options));
    }
    return new Fleet(shards, n, intervalMs);
  }

  /** Process ids running the agents (this process when they run in-process). */
  get pids(): number[] {
    return [...new Set(this.shards.map((s) => s.pid))];
  }

  /** Connects every agent; resolves when each has connected or used up its attempts. */
  async connect(): Promise<ConnectResult & { seconds: number }> {
    const started = performance.now();
    const results = await Promise.all(this.shards.map((s) => s.connect()));
    const failures: Record<string, number> = {};
    for (const r of results) mergeCounts(failures, r.failures);
    return {
      connected: sum(results.map((r) => r.connected)),
      failed: sum(results.map((r) => r.failed)),
      failures,
      seconds: (performance.now() - started) / 1000,
    };
  }

  /** Starts the staggered sending; returns t0, the start of the first interval. */
  async start(t0 = Date.now() + 200): Promise<number> {
    await Promise.all(this.shards.map((s) => s.start(t0)));
    return t0;
  }

  /** Stops making batches; connections stay open for the last acks. */
  async halt(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.halt()));
  }

  /** Counts batches first sent in [from, to) as the measurement window. */
  async setWindow(from: number, to: number): Promise<void> {
    await Promise.all(this.shards.map((s) => s.setWindow(from, to)));
  }

  /** Merged stats, once every window batch is acknowledged or `graceMs` has passed. */
  async report(graceMs = 0): Promise<FleetStats> {
    return mergeStats(await Promise.all(this.shards.map((s) => s.report(graceMs))));
  }

  /** Closes every connection and ends the workers. */
  async stop(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.stop()));
  }
}

class LocalShard implements ShardHandle {
  readonly pid = process.pid;
  private readonly shard: FleetShard;

  constructor(options: ShardOptions) {
    this.shard = new FleetShard(options);
  }

  connect(): Promise<ConnectResult> {
    return this.shard.connect();
  }

  async start(t0: number): Promise<void> {
    this.shard.start(t0);
  }

  async halt(): Promise<void> {
    this.shard.halt();
  }

  async setWindow(from: number, to: number): Promise<void> {
    this.shard.setWindow(from, to);
  }

  report(graceMs: number): Promise<ShardStats> {
    return this.shard.report(graceMs);
  }

  stop(): Promise<void> {
    return this.shard.stop();
  }
}

/** A request to a worker, before it gets its id. */
type WorkerCall = { [K in WorkerRequest["op"]]: Omit<Extract<WorkerRequest, { op: K }>, "id"> }[WorkerRequest["op"]];

class RemoteShard implements ShardHandle {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private exited: Error | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(`fleet worker ${child.pid}: ${reply.error}`));
    });
    child.once("exit", (code, signal) => {
      this.exited = new Error(`fleet worker ${child.pid} exited (${signal ?? code})`);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  static async fork(options: ShardOptions): Promise<RemoteShard> {
    const child = fork(path.join(HERE, "fleet-worker.ts"), [], {
      cwd: ROOT,
      execArgv: ["--import", "tsx", "--max-old-space-size=4096"],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const shard = new RemoteShard(child);
    await shard.call({ op: "init", options });
    return shard;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  connect(): Promise<ConnectResult> {
    return this.call({ op: "connect" }) as Promise<ConnectResult>;
  }

  async start(t0: number): Promise<void> {
    await this.call({ op: "start", t0 });
  }

  async halt(): Promise<void> {
    await this.call({ op: "halt" });
  }

  async setWindow(from: number, to: number): Promise<void> {
    await this.call({ op: "window", from, to });
  }

  report(graceMs: number): Promise<ShardStats> {
    return this.call({ op: "report", graceMs }) as Promise<ShardStats>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once("exit", () => r()));
    await this.call({ op: "stop" }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  }

  private call(req: WorkerCall): Promise<unknown> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...req, id } as WorkerRequest);
    });
  }
}

function mergeStats(parts: ShardStats[]): FleetStats {
  const out: FleetStats = {
    shards: parts.length,
    agents: 0,
    connected: 0,
    connectFailures: {},
    closes: {},
    errors: {},
    reconnects: 0,
    batchesSent: 0,
    batchesAcked: 0,
    batchesDelayed: 0,
    batchesWaiting: 0,
    lastSeqs: [],
    pointsPerBatch: parts[0]?.pointsPerBatch ?? 0,
    window: { sent: 0, acked: 0, pending: 0, latenciesMs: [] },
    loopDelayP99Ms: 0,
    loopDelayMaxMs: 0,
  };
  for (const p of parts) {
    out.agents += p.agents;
    out.connected += p.connected;
    mergeCounts(out.connectFailures, p.connectFailures);
    mergeCounts(out.closes, p.closes);
    mergeCounts(out.errors, p.errors);
    out.reconnects += p.reconnects;
    out.batchesSent += p.batchesSent;
    out.batchesAcked += p.batchesAcked;
    out.batchesDelayed += p.batchesDelayed;
    out.batchesWaiting += p.batchesWaiting;
    for (const s of p.lastSeqs) out.lastSeqs.push(s);
    out.window.sent += p.window.sent;
    out.window.acked += p.window.acked;
    out.window.pending += p.window.pending;
    for (const l of p.window.latenciesMs) out.window.latenciesMs.push(l);
    out.loopDelayP99Ms = Math.max(out.loopDelayP99Ms, p.loopDelayP99Ms);
    out.loopDelayMaxMs = Math.max(out.loopDelayMaxMs, p.loopDelayMaxMs);
  }
  return out;
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
