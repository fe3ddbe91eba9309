import {
  CONNECT_PATH,
  PROTOCOL_VERSION,
  decodeCollectorMessage,
  encodeMessage,
  type AgentMessage,
  type AgentRecord,
  type CollectorMessage,
  type Metric,
  type Welcome,
} from "@vigil/protocol";
import WebSocket from "ws";

/** Outcome of a connection attempt that did not reach `welcome`. */
export interface Refusal {
  status?: number;
  body?: string;
  closeCode?: number;
  closeReason?: string;
}

/** Extra settings of a simulated agent, for fleets. */
export interface SimulatedAgentOptions {
  /** Source address of the connection (127.0.0.2… spreads many sockets over more ephemeral ports). */
  localAddress?: string;
  /** Keep every received message in `received` (default true; fleets turn it off to save memory). */
  keepReceived?: boolean;
  /** Give up the opening handshake after this many ms. */
  handshakeTimeoutMs?: number;
}

/**
 * An agent that speaks the wire protocol directly, without probes or spool: for fleet benchmarks and
 * for tests that need to send exactly the frames they mean (including broken ones).
 */
export class SimulatedAgent {
  ws: WebSocket | undefined;
  welcome: Welcome | undefined;
  readonly received: CollectorMessage[] = [];
  /** Highest cumulative ack received. */
  acked = 0;
  closed: { code: number; reason: string } | undefined;
  private readonly ackWaiters: Array<{ seq: number; resolve: () => void }> = [];
  /** Called with each ack's seq and the time it arrived. */
  onAck: ((seq: number, at: number) => void) | undefined;
  /** Called with every message the collector sends. */
  onMessage: ((msg: CollectorMessage) => void) | undefined;

  constructor(
    readonly server: string,
    readonly token: string,
    readonly hostname = "sim-host",
    readonly bootId = "sim-boot",
    readonly options: SimulatedAgentOptions = {},
  ) {}

  /** Opens the connection and completes hello → welcome; rejects with a Refusal otherwise. */
  connect(opts: { lastSeq?: number; sendHello?: boolean } = {}): Promise<Welcome | undefined> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.server.replace(/^http/, "ws") + CONNECT_PATH, {
        headers: { Authorization: `Bearer ${this.token}` },
        perMessageDeflate: false,
        ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}),
        ...(this.options.handshakeTimeoutMs ? { handshakeTimeout: this.options.handshakeTimeoutMs } : {}),
      });
      this.ws = ws;
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => reject({ status: res.statusCode, body } satisfies Refusal));
      });
      ws.on("error", (err) => reject({ body: err.message } satisfies Refusal));
      ws.on("open", () => {
        if (opts.sendHello === false) return resolve(undefined);
        this.send({
          type: "hello",
          v: PROTOCOL_VERSION,
          agentVersion: "0.0.0-sim",
          hostname: this.hostname,
          bootId: this.bootId,
          os: { platform: "linux", release: "sim", arch: "x64" },
          startedAt: Date.now(),
          sentAt: Date.now(),
          lastSeq: opts.lastSeq ?? 0,
        });
      });
      ws.on("message", (data) => {
        const d = decodeCollectorMessage(data.toString());
        if (!d.ok) return;
        if (this.options.keepReceived !== false) this.received.push(d.message);
        this.onMessage?.(d.message);
        if (d.message.type === "welcome") {
          this.welcome = d.message;
          this.acked = Math.max(this.acked, d.message.storedSeq);
          resolve(d.message);
        } else if (d.message.type === "ack") {
          const at = Date.now();
          this.acked = Math.max(this.acked, d.message.seq);
          this.onAck?.(d.message.seq, at);
          for (let i = this.ackWaiters.length - 1; i >= 0; i--) {
            if (this.ackWaiters[i]!.seq <= this.acked) this.ackWaiters.splice(i, 1)[0]!.resolve();
          }
        }
      });
      ws.on("close", (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        reject({ closeCode: code, closeReason: reason.toString() } satisfies Refusal);
      });
    });
  }

  /** Sends a protocol message. */
  send(msg: AgentMessage): void {
    this.sendRaw(encodeMessage(msg));
  }

  /** Sends any text, valid or not. */
  sendRaw(text: string): void {
    this.ws!.send(text);
  }

  /** Sends a batch with these records. */
  sendBatch(seq: number, records: AgentRecord[]): void {
    this.send({ type: "batch", v: PROTOCOL_VERSION, seq, sentAt: Date.now(), records });
  }

  /** Resolves once the collector acknowledged `seq` (or more). */
  waitForAck(seq: number, timeoutMs = 30_000): Promise<void> {
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ack for seq ${seq} within ${timeoutMs} ms (acked ${this.acked})`)), timeoutMs);
      this.ackWaiters.push({ seq, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  /** Resolves with the close code once the collector closed the connection. */
  waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("connection not closed")), timeoutMs);
      this.ws!.once("close", (code, reason) => (clearTimeout(t), resolve({ code, reason: reason.toString() })));
    });
  }

  /** Closes the connection. */
  close(): void {
    this.ws?.close(1000);
  }
}

/** A health record like a real agent's: CPU, memory and `cores` per-core series. */
export function healthRecord(ts: number, bootId = "sim-boot", cores = 4): AgentRecord {
  const metrics: Metric[] = [
    { name: "cpu.utilization", value: 10 + (ts % 50) },
    { name: "memory.used_pct", value: 40 + (ts % 20) },
    { name: "load.1m", value: 0.5 },
    { name: "fs.used_pct", labels: { mount: "/", device: "/dev/sda1", fstype: "ext4" }, value: 55 },
    { name: "net.rx_bps", labels: { iface: "eth0" }, value: 1200 },
    { name: "net.tx_bps", labels: { iface: "eth0" }, value: 800 },
  ];
  for (let c = 0; c < cores; c++) metrics.push({ name: "cpu.core.utilization", labels: { core: String(c) }, value: c * 5 });
  return { kind: "health", ts, bootId, metrics };
}
