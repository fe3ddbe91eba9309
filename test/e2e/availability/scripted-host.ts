import { randomUUID } from "node:crypto";
import { PROTOCOL_VERSION, type AgentRecord, type GoodbyeReason } from "@vigil/protocol";
import { SimulatedAgent, healthRecord } from "../../fleet/simulated-agent.js";

/** One spooled batch: numbered when created, deleted when acknowledged. */
interface Spooled {
  seq: number;
  records: AgentRecord[];
  /** Latest record ts in it (for spool_loss). */
  newestTs: number;
  oldestTs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A simulated host whose agent follows the protocol's delivery rules on top of SimulatedAgent: every
 * batch is numbered and spooled before it is sent, deleted on ack, resent after `welcome` on the next
 * connection; the boot id changes on reboot; the sequence counter survives reboots. Scenarios drive it
 * with exact record timestamps, so the expected timeline is known to the millisecond.
 */
export class ScriptedHost {
  bootId = randomUUID();
  private seq = 0;
  private spool: Spooled[] = [];
  private agent: SimulatedAgent | undefined;
  private connected = false;
  /** Reconnect by itself after the connection drops (a running agent's backoff loop). */
  private autoReconnect = false;
  private reconnecting: Promise<void> | undefined;
  /** Samples taken, by ts, with the boot they were taken in. */
  readonly samples: { ts: number; bootId: string }[] = [];

  constructor(
    readonly server: string,
    readonly agentId: string,
    readonly token: string,
    readonly hostname: string,
  ) {}

  /** Connects (hello with the highest seq ever numbered), drops what the collector already stored, resends the rest. */
  async connect(): Promise<void> {
    const agent = new SimulatedAgent(this.server, this.token, this.hostname, this.bootId, { keepReceived: false });
    const welcome = await agent.connect({ lastSeq: this.seq });
    this.agent = agent;
    this.connected = true;
    agent.onAck = (seq) => this.dropUpTo(seq);
    agent.ws!.on("close", () => {
      if (this.agent !== agent) return;
      this.connected = false;
      if (this.autoReconnect) void this.reconnectLoop();
    });
    this.dropUpTo(welcome!.storedSeq);
    for (const b of this.spool) agent.sendBatch(b.seq, b.records);
  }

  /** Keep reconnecting (every 250 ms, like a backoff capped low) whenever the connection drops. */
  keepConnected(on = true): void {
    this.autoReconnect = on;
  }

  private reconnectLoop(): Promise<void> {
    this.reconnecting ??= (async () => {
      while (this.autoReconnect && !this.connected) {
        await sleep(250);
        try {
          await this.connect();
        } catch {
          // Refused or unreachable: try again.
        }
      }
    })().finally(() => (this.reconnecting = undefined));
    return this.reconnecting;
  }

  /** Spools a batch with these records and sends it when connected. */
  emit(records: AgentRecord[]): void {
    const ts = records.map((r) => r.ts);
    const b: Spooled = { seq: ++this.seq, records, newestTs: Math.max(...ts), oldestTs: Math.min(...ts) };
    this.spool.push(b);
    if (this.connected) this.agent!.sendBatch(b.seq, b.records);
  }

  /** A health sample at `ts` in the current boot (plus any other records taken at the same round). */
  sample(ts: number, extra: AgentRecord[] = []): void {
    this.samples.push({ ts, bootId: this.bootId });
    this.emit([healthRecord(ts, this.bootId, 2), ...extra]);
  }

  /** A gateway ping result at `ts` (the record only: nothing is pinged). */
  gatewayCheck(ts: number, ok: boolean): AgentRecord {
    return {
      kind: "check",
      ts,
      bootId: this.bootId,
      checkId: "gateway",
      checkType: "ping",
      role: "gateway",
      target: "127.0.0.1",
      ok,
      latencyMs: ok ? 0.5 : null,
      lossPct: ok ? 0 : 100,
      ...(ok ? {} : { error: "no reply" }),
    };
  }

  /** A clean stop: goodbye with the reason, then close 1000. */
  async goodbye(reason: GoodbyeReason): Promise<void> {
    const agent = this.agent!;
    this.autoReconnect = false;
    agent.send({ type: "goodbye", v: PROTOCOL_VERSION, reason, sentAt: Date.now() });
    this.connected = false;
    agent.close();
    await agent.waitForClose().catch(() => undefined);
  }

  /** The connection dies without a goodbye (crash, power cut, cable pulled). */
  drop(): void {
    this.connected = false;
    this.agent?.ws?.terminate();
  }

  /** The host boots again: a new boot id for the next connection and samples. */
  reboot(): void {
    this.bootId = randomUUID();
  }

  /**
   * The spool overflowed: every unacknowledged batch is deleted, and the loss is reported in a
   * `spool_loss` record at `ts` (to go into the next batch, as the protocol says).
   */
  dropSpool(ts: number): AgentRecord | undefined {
    const lost = this.spool.splice(0);
    if (lost.length === 0) return undefined;
    return {
      kind: "spool_loss",
      ts,
      bootId: this.bootId,
      droppedBatches: lost.length,
      droppedBytes: lost.length * 600,
      firstDroppedSeq: lost[0]!.seq,
      lastDroppedSeq: lost[lost.length - 1]!.seq,
      oldestTs: Math.min(...lost.map((b) => b.oldestTs)),
      newestTs: Math.max(...lost.map((b) => b.newestTs)),
    };
  }

  /** Resolves once every spooled batch is acknowledged. */
  async drained(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.spool.length > 0) {
      if (Date.now() > deadline) throw new Error(`${this.hostname}: ${this.spool.length} batches still unacknowledged`);
      await sleep(50);
    }
  }

  /** Whether a connection is open. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** Pending (unacknowledged) batches. */
  get pending(): number {
    return this.spool.length;
  }

  /** Closes without goodbye and stops reconnecting. */
  shutdown(): void {
    this.autoReconnect = false;
    this.drop();
  }

  private dropUpTo(seq: number): void {
    while (this.spool.length > 0 && this.spool[0]!.seq <= seq) this.spool.shift();
  }
}
