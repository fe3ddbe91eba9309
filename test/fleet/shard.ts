import { monitorEventLoopDelay } from "node:perf_hooks";
import { MAX_IN_FLIGHT_BATCHES, type AgentRecord, type CollectorMessage } from "@vigil/protocol";
import type { FleetCredentials } from "./enroll.js";
import { SimulatedAgent, healthRecord, type Refusal } from "./simulated-agent.js";

/** What one shard (the part of a fleet that runs in one process) needs to know. */
export interface ShardOptions {
  server: string;
  agents: FleetCredentials[];
  /** Fleet-wide index of agents[0]: sends are staggered evenly over the whole fleet, not per shard. */
  firstIndex: number;
  fleetSize: number;
  /** Each agent sends one health batch per interval (default 15,000 ms). */
  intervalMs?: number;
  /** Cores of each simulated host: a health batch carries 6 + cores points (default 4, so 10 points). */
  cores?: number;
  /** Connection attempts in flight at once (default 200). */
  connectConcurrency?: number;
  /** Attempts per agent in the connect phase before it counts as failed (default 3). */
  connectAttempts?: number;
  /** Source addresses to spread connections over (agent i uses address i mod length). */
  localAddresses?: string[];
  /** After the collector closes a connection, reconnect with backoff and resend what is unacknowledged (default true). */
  reconnect?: boolean;
}

/** How a shard's connect phase went. */
export interface ConnectResult {
  connected: number;
  failed: number;
  /** Failed attempts by reason (an agent that succeeded on a retry counts its failures here too). */
  failures: Record<string, number>;
}

/** Counters of a shard since start, and of the measurement window. */
export interface ShardStats {
  agents: number;
  /** Connected right now. */
  connected: number;
  connectFailures: Record<string, number>;
  /** Connections the collector closed after welcome, by close code. */
  closes: Record<string, number>;
  /** `error` messages from the collector, by code. */
  errors: Record<string, number>;
  reconnects: number;
  batchesSent: number;
  batchesAcked: number;
  /** Batches that waited because the agent was disconnected or had 64 unacknowledged. */
  batchesDelayed: number;
  /** Batches made but not sent yet (waiting for a connection or a free in-flight slot). */
  batchesWaiting: number;
  /** Highest seq each agent numbered (batches 1…lastSeq), in the order of the shard's agents. */
  lastSeqs: number[];
  pointsPerBatch: number;
  window: WindowStats;
  /** Event-loop delay of this process while sending: high values mean the simulator itself was slow. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** Batches first sent inside the measurement window. */
export interface WindowStats {
  sent: number;
  acked: number;
  /** Sent but not acknowledged when the report was taken. */
  pending: number;
  /** Send → cumulative ack covering the batch, per acknowledged batch. */
  latenciesMs: number[];
}

interface Batch {
  seq: number;
  records: AgentRecord[];
  /** When it was first sent (0 = not yet). */
  firstSentAt: number;
  inWindow: boolean;
}

/** One simulated host: numbered batches, at most 64 unacknowledged, the rest waiting in order. */
class FleetAgent {
  readonly sim: SimulatedAgent;
  connected = false;
  seq = 0;
  nextAt = 0;
  failedAttempts = 0;
  readonly inflight = new Map<number, Batch>();
  waiting: Batch[] = [];

  constructor(
    readonly index: number,
    credentials: FleetCredentials,
    server: string,
    localAddress: string | undefined,
  ) {
    this.sim = new SimulatedAgent(server, credentials.agentToken, `sim-host-${index}`, `sim-boot-${index}`, {
      keepReceived: false,
      handshakeTimeoutMs: 30_000,
      ...(localAddress ? { localAddress } : {}),
    });
  }
}

const WELCOME_TIMEOUT_MS = 60_000;

/** Runs part of a simulated fleet in this process: connect, send on a staggered schedule, count acks. */
export class FleetShard {
  private readonly agents: FleetAgent[];
  private readonly intervalMs: number;
  private readonly cores: number;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private running = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private cursor = 0;
  private windowFrom = Infinity;
  private windowTo = Infinity;
  private readonly stats = {
    connectFailures: {} as Record<string, number>,
    closes: {} as Record<string, number>,
    errors: {} as Record<string, number>,
    reconnects: 0,
    batchesSent: 0,
    batchesAcked: 0,
    batchesDelayed: 0,
  };
  private window: WindowStats = { sent: 0, acked: 0, pending: 0, latenciesMs: [] };

  constructor(private readonly opts: ShardOptions) {
    this.intervalMs = opts.intervalMs ?? 15_000;
    this.cores = opts.cores ?? 4;
    const addrs = opts.localAddresses ?? [];
    this.agents = opts.agents.map((c, i) => {
      const g = opts.firstIndex + i;
      const agent = new FleetAgent(g, c, opts.server, addrs.length > 0 ? addrs[g % addrs.length] : undefined);
      agent.seq = c.lastSeq ?? 0;
      agent.sim.onAck = (seq, at) => this.onAck(agent, seq, at);
      agent.sim.onMessage = (m) => this.onMessage(m);
      return agent;
    });
  }

  /** Points in each batch. */
  get pointsPerBatch(): number {
    return 6 + this.cores;
  }

  /** Connects every agent (hello → welcome), a bounded number at a time, retrying failures a few times. */
  async connect(): Promise<ConnectResult> {
    let next = 0;
    const attempts = this.opts.connectAttempts ?? 3;
    const worker = async () => {
      while (next < this.agents.length) {
        const agent = this.agents[next++]!;
        for (let a = 1; a <= attempts && !agent.connected && !this.stopping; a++) {
          if (a > 1) await sleep(250 * a + Math.random() * 500);
          await this.open(agent);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.agents.length, this.opts.connectConcurrency ?? 200) }, worker));
    const connected = this.agents.filter((a) => a.connected).length;
    return { connected, failed: this.agents.length - connected, failures: { ...this.stats.connectFailures } };
  }

  /** Starts sending: agent with fleet index g first sends at t0 + g/N of an interval, then every interval. */
  start(t0: number): void {
    this.loopDelay.enable();
    this.running = true;
    for (const a of this.agents) a.nextAt = t0 + Math.floor((a.index * this.intervalMs) / this.opts.fleetSize);
    this.cursor = 0;
    this.tick();
  }

  /** Stops making batches; connections stay open so the last acks still arrive. */
  halt(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  /** Batches first sent in [from, to) make up the measurement window; counting starts afresh. */
  setWindow(from: number, to: number): void {
    this.windowFrom = from;
    this.windowTo = to;
    this.window = { sent: 0, acked: 0, pending: 0, latenciesMs: [] };
    this.loopDelay.reset();
  }

  /** Stats, once every window batch is acknowledged or `graceMs` has passed. */
  async report(graceMs = 0): Promise<ShardStats> {
    const deadline = Date.now() + graceMs;
    while ((this.window.pending > 0 || (this.running && Date.now() < this.windowTo)) && Date.now() < deadline) await sleep(100);
    return {
      agents: this.agents.length,
      connected: this.agents.filter((a) => a.connected).length,
      connectFailures: { ...this.stats.connectFailures },
      closes: { ...this.stats.closes },
      errors: { ...this.stats.errors },
      reconnects: this.stats.reconnects,
      batchesSent: this.stats.batchesSent,
      batchesAcked: this.stats.batchesAcked,
      batchesDelayed: this.stats.batchesDelayed,
      batchesWaiting: this.agents.reduce((n, a) => n + a.waiting.length, 0),
      lastSeqs: this.agents.map((a) => a.seq),
      pointsPerBatch: this.pointsPerBatch,
      window: { ...this.window, latenciesMs: [...this.window.latenciesMs] },
      loopDelayP99Ms: this.loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: this.loopDelay.max / 1e6,
    };
  }

  /** Stops sending and closes every connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    clearTimeout(this.timer);
    this.loopDelay.disable();
    const closing = this.agents.map((a) => {
      const ws = a.sim.ws;
      if (!ws || ws.readyState === ws.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => (ws.terminate(), resolve()), 5000);
        ws.once("close", () => (clearTimeout(t), resolve()));
        ws.close(1000);
      });
    });
    await Promise.all(closing);
  }

  // One timer for the whole shard: agents are sorted by their slot in the interval and keep that order.
  private tick(): void {
    if (!this.running || this.agents.length === 0) return;
    const now = Date.now();
    for (let n = 0; n < this.agents.length; n++) {
      const a = this.agents[this.cursor]!;
      if (a.nextAt > now) break;
      a.nextAt += this.intervalMs;
      if (a.nextAt <= now) a.nextAt = now + this.intervalMs;
      this.produce(a, now);
      this.cursor = (this.cursor + 1) % this.agents.length;
    }
    const due = this.agents[this.cursor]!.nextAt - Date.now();
    this.timer = setTimeout(() => this.tick(), Math.max(1, Math.min(due, 1000)));
  }

  private produce(a: FleetAgent, now: number): void {
    const batch: Batch = { seq: ++a.seq, records: [healthRecord(now, a.sim.bootId, this.cores)], firstSentAt: 0, inWindow: false };
    if (a.connected && a.waiting.length === 0 && a.inflight.size < MAX_IN_FLIGHT_BATCHES) this.send(a, batch);
    else {
      this.stats.batchesDelayed++;
      a.waiting.push(batch);
    }
  }

  private send(a: FleetAgent, b: Batch): void {
    a.inflight.set(b.seq, b);
    a.sim.sendBatch(b.seq, b.records);
    if (b.firstSentAt === 0) {
      b.firstSentAt = Date.now();
      this.stats.batchesSent++;
      if (b.firstSentAt >= this.windowFrom && b.firstSentAt < this.windowTo) {
        b.inWindow = true;
        this.window.sent++;
        this.window.pending++;
      }
    }
  }

  private pump(a: FleetAgent): void {
    while (a.connected && a.waiting.length > 0 && a.inflight.size < MAX_IN_FLIGHT_BATCHES) this.send(a, a.waiting.shift()!);
  }

  private onAck(a: FleetAgent, seq: number, at: number): void {
    for (const [s, b] of a.inflight) {
      if (s > seq) break;
      a.inflight.delete(s);
      this.acked(b, at);
    }
    this.pump(a);
  }

  private acked(b: Batch, at: number): void {
    this.stats.batchesAcked++;
    if (!b.inWindow) return;
    this.window.acked++;
    this.window.pending--;
    this.window.latenciesMs.push(at - b.firstSentAt);
  }

  private onMessage(m: CollectorMessage): void {
    if (m.type === "error") count(this.stats.errors, m.code);
  }

  private async open(a: FleetAgent): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const welcome = await Promise.race([
        a.sim.connect({ lastSeq: a.seq }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject({ body: "no welcome in time" } satisfies Refusal), WELCOME_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      const ws = a.sim.ws!;
      ws.once("close", (code) => this.onClose(a, code));
      a.connected = true;
      a.failedAttempts = 0;
      const stored = welcome?.storedSeq ?? 0;
      const resend = [...a.inflight.values()];
      a.inflight.clear();
      if (stored > a.seq) {
        // The collector holds more of this agent than it remembers (a fleet enrolled by an earlier run): like the
        // real agent, number everything unsent above the stored mark, or it would be taken for resends.
        a.waiting = [...resend, ...a.waiting];
        a.waiting.forEach((b, i) => (b.seq = stored + 1 + i));
        a.seq = stored + a.waiting.length;
      } else {
        // Whatever the collector already stored needs no resend; the rest goes again, oldest first.
        for (const b of resend) {
          if (b.seq <= stored) this.acked(b, Date.now());
        }
        a.waiting = [...resend.filter((b) => b.seq > stored), ...a.waiting];
      }
      this.pump(a);
    } catch (err) {
      clearTimeout(timer);
      a.sim.ws?.terminate();
      a.failedAttempts++;
      count(this.stats.connectFailures, refusalReason(err));
    }
  }

  private onClose(a: FleetAgent, code: number): void {
    a.connected = false;
    if (this.stopping) return;
    count(this.stats.closes, String(code));
    if (this.opts.reconnect !== false) void this.reconnect(a);
  }

  private async reconnect(a: FleetAgent): Promise<void> {
    while (!a.connected && !this.stopping) {
      await sleep(Math.min(30_000, 1000 * 2 ** a.failedAttempts) * (0.5 + Math.random() / 2));
      if (this.stopping) return;
      this.stats.reconnects++;
      await this.open(a);
    }
  }
}

function refusalReason(err: unknown): string {
  const r = err as Refusal;
  if (r.status !== undefined) return `http ${r.status}`;
  if (r.closeCode !== undefined) return `close ${r.closeCode}`;
  // Socket errors name addresses and ports; keep the kind of error only.
  return (r.body ?? String(err)).replace(/\d+(\.\d+){3}(:\d+)?|:\d+/g, "").trim().slice(0, 60);
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
