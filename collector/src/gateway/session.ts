import {
  CloseCode,
  ErrorCode,
  MAX_IN_FLIGHT_BATCHES,
  PROTOCOL_VERSION,
  RECORD_KINDS,
  decodeAgentMessage,
  encodeMessage,
  type AgentConfig,
  type Batch,
  type CollectorMessage,
  type Goodbye,
  type Hello,
} from "@vigil/protocol";
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import { InventoryIntake } from "../inventory/intake.js";
import { inventoryRows } from "../inventory/rows.js";
import type { CollectorMetrics } from "../observability/metrics.js";
import type { AgentRow } from "../store/queries/agents.js";
import type { BatchWriter, TableRows } from "../writer/writer.js";
import type { StoredSeqLedger } from "./ledger.js";
import { batchRows, type BatchTable } from "./rows.js";

/** Clock offsets within this tolerance are left alone; beyond it, timestamps are corrected. */
const SKEW_TOLERANCE_MS = 2000;

/** What a session needs from the rest of the collector. */
export interface SessionDeps {
  ledger: StoredSeqLedger;
  writer: BatchWriter;
  metrics: CollectorMetrics;
  logger: Logger;
  agentConfig: AgentConfig;
  /** Records a connection event (connected, goodbye, disconnected, refused). */
  recordEvent(event: ConnectionEvent): void;
}

/** One row of `connection_events`. */
export interface ConnectionEvent {
  agentId: string;
  clientId: string;
  siteId: string;
  event: "connected" | "goodbye" | "disconnected" | "refused";
  reason: string;
  detail?: string;
  remoteAddr: string;
  bootId?: string;
  agentVersion?: string;
}

interface Slot {
  seq: number;
  receivedAt: number;
  done: boolean;
}

/**
 * One agent's WebSocket conversation: hello → welcome, then batches in and cumulative acks out.
 * Acks follow the order batches arrived in, and a batch is acknowledged only once it is stored.
 */
export class AgentSession {
  private hello: Hello | undefined;
  private ready: Promise<void> | undefined;
  private readonly slots: Slot[] = [];
  /** Reassembles inventory documents sent in parts; `held` are the slots of their batches, unacknowledged. */
  private readonly inventory = new InventoryIntake();
  private readonly held: Slot[] = [];
  private lastAck = 0;
  /** Highest seq received on this connection; within one connection seqs must rise. */
  private lastReceived = 0;
  private offsetMs = Number.POSITIVE_INFINITY;
  private goodbye: Goodbye | undefined;
  private closedForStorage = false;
  /** When the last frame or pong arrived. */
  lastSeenAt = Date.now();
  alive = true;

  constructor(
    readonly ws: WebSocket,
    readonly agent: AgentRow,
    readonly remoteAddr: string,
    private readonly deps: SessionDeps,
  ) {}

  /** Handles one frame from the agent. Never throws. */
  onFrame(data: string): void {
    this.lastSeenAt = Date.now();
    this.alive = true;
    const receivedAt = Date.now();
    const decoded = decodeAgentMessage(data);
    if (!decoded.ok) {
      this.deps.metrics.rejectedMessages.inc({ reason: decoded.code });
      // A batch whose envelope is sound but whose content is not is refused alone; anything else ends the conversation.
      if (decoded.seq !== undefined && decoded.code === ErrorCode.InvalidMessage && this.hello) {
        this.refuseBatch(decoded.seq, decoded.message, receivedAt);
        return;
      }
      this.send({ type: "error", v: PROTOCOL_VERSION, code: decoded.code, message: decoded.message, retryable: false });
      const code = decoded.code === ErrorCode.UnsupportedVersion ? CloseCode.UnsupportedVersion : CloseCode.ProtocolError;
      this.ws.close(code, decoded.message.slice(0, 120));
      return;
    }
    const msg = decoded.message;
    if (msg.type === "hello") {
      if (this.hello) return this.protocolViolation("hello sent twice");
      this.hello = msg;
      this.observeClock(msg.sentAt, receivedAt);
      this.ready = this.welcome(msg);
      return;
    }
    if (!this.ready) return this.protocolViolation("the first message must be hello");
    // Frames that arrive while the welcome is being prepared wait for it, in order.
    void this.ready.then(() => {
      if (this.closedForStorage) return;
      if (msg.type === "batch") this.onBatch(msg, receivedAt);
      else this.onGoodbye(msg);
    });
  }

  /** Records the disconnect; called once when the socket closes. */
  onClose(code: number, reason: string): void {
    this.deps.recordEvent({
      ...this.identity(),
      event: "disconnected",
      reason: this.goodbye ? `goodbye:${this.goodbye.reason}` : `close:${code}`,
      detail: reason,
    });
  }

  /**
   * Sends a ping; with `judge`, first drops the connection if the previous ping went unanswered. A silent
   * peer cannot answer a close handshake either, so the socket is terminated at once.
   */
  heartbeat(judge = true): void {
    if (!this.alive && judge) {
      this.deps.metrics.rejectedMessages.inc({ reason: "pong_timeout" });
      this.deps.logger.info({ agentId: this.agent.id, silentMs: Date.now() - this.lastSeenAt }, "agent stopped answering pings; connection dropped");
      this.ws.terminate();
      return;
    }
    this.probe(true);
  }

  /** Pings unless a ping is already unanswered (`force`: ping anyway); the next heartbeat judges. */
  probe(force = false): void {
    if (!this.alive && !force) return;
    this.alive = false;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  // Never rejects: frames queued behind the welcome must not become unhandled rejections.
  private async welcome(hello: Hello): Promise<void> {
    try {
      await this.deps.ledger.marks(this.agent.id);
    } catch (err) {
      this.deps.logger.error({ err: (err as Error).message, agentId: this.agent.id }, "cannot read stored sequence");
      this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.StorageUnavailable, message: "storage unavailable, retry later", retryable: true });
      this.ws.close(CloseCode.StorageUnavailable, "storage unavailable");
      this.closedForStorage = true;
      return;
    }
    const { ledger } = this.deps;
    // An agent numbering below what is stored lost its state; pointing it past the highest mark makes it
    // renumber its batches there, so none of them is taken for a resend and skipped.
    const highest = ledger.highestMark(this.agent.id);
    this.lastAck = hello.lastSeq < highest ? highest : ledger.storedSeq(this.agent.id);
    this.send({
      type: "welcome",
      v: PROTOCOL_VERSION,
      agentId: this.agent.id,
      storedSeq: this.lastAck,
      serverTime: Date.now(),
      accepts: [...RECORD_KINDS],
      config: this.deps.agentConfig,
    });
    this.deps.recordEvent({ ...this.identity(), event: "connected", reason: "hello", detail: `lastSeq=${hello.lastSeq}` });
  }

  private onBatch(batch: Batch, receivedAt: number): void {
    const { ledger, writer, metrics } = this.deps;
    const agentId = this.agent.id;
    metrics.batchesReceived.inc();
    if (this.slots.length >= MAX_IN_FLIGHT_BATCHES) {
      metrics.rejectedMessages.inc({ reason: ErrorCode.TooManyInFlight });
      this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.TooManyInFlight, message: `more than ${MAX_IN_FLIGHT_BATCHES} batches in flight`, retryable: true, seq: batch.seq });
      this.ws.close(CloseCode.ProtocolError, "too many batches in flight");
      return;
    }
    if (batch.seq <= this.lastReceived) {
      // A batch out of order on one connection could be taken for a resend and acknowledged unstored.
      metrics.rejectedMessages.inc({ reason: ErrorCode.SequenceRegression });
      const message = `seq ${batch.seq} is not above ${this.lastReceived}, the previous batch on this connection`;
      this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.SequenceRegression, message, retryable: false, seq: batch.seq });
      this.ws.close(CloseCode.ProtocolError, "sequence regression");
      return;
    }
    this.lastReceived = batch.seq;
    this.observeClock(batch.sentAt, receivedAt);
    const slot: Slot = { seq: batch.seq, receivedAt, done: false };
    this.slots.push(slot);

    if (batch.seq <= ledger.accepted(agentId)) {
      // Already stored, or on its way from an earlier connection: acknowledge once that write lands.
      metrics.batchesDuplicate.inc();
      void ledger.settled(agentId).then(() => this.complete(slot));
      return;
    }
    let points = 0;
    for (const r of batch.records) {
      points += r.kind === "health" ? r.metrics.length : 1;
      if (r.kind === "spool_loss") {
        metrics.spoolDroppedBatches.inc(r.droppedBatches);
        this.deps.logger.warn({ agentId, droppedBatches: r.droppedBatches, droppedBytes: r.droppedBytes }, "agent spool overflowed; samples lost");
      }
    }
    metrics.pointsReceived.inc(points);
    // An inventory document is decoded and validated before anything of it is stored; one sent in parts is
    // held until its last part, then stored with the batches that carried the others, as one write.
    const { refused, outcome } = this.inventory.offer(batch);
    for (const r of refused) this.refuseHeld(r.seq, r.message);
    if (outcome.kind === "held") {
      this.held.push(slot);
      return;
    }
    if (outcome.kind === "invalid") {
      metrics.rejectedMessages.inc({ reason: "invalid_inventory" });
      this.deps.logger.warn({ agentId, seq: batch.seq, err: outcome.message }, "inventory refused");
      this.refuseSlot(slot, outcome.message);
      return;
    }
    const origin = { agentId, clientId: this.agent.client_id, siteId: this.agent.site_id, skewMs: this.skewMs(), receivedAt };
    const batches = outcome.kind === "complete" ? [...outcome.held, batch] : [batch];
    const slots = outcome.kind === "complete" ? [...this.held.splice(0), slot] : [slot];
    let rows: TableRows = {};
    let count = 0;
    for (const b of batches) {
      const skip = ledger.storedTables(agentId, b.seq);
      const inventory = b === batch && outcome.kind === "complete" ? inventoryRows(outcome.received, { ...origin, seq: batch.seq }) : undefined;
      const r = batchRows(b, origin, skip, inventory);
      if (batches.length === 1) rows = r.rows;
      else for (const [table, list] of Object.entries(r.rows)) if (list) (rows[table] ??= []).push(...list);
      count += r.count;
    }
    if (count === 0) {
      ledger.consumed(agentId, batch.seq);
      for (const s of slots) this.complete(s);
      return;
    }
    const write = writer.submit(rows);
    // The tables that get rows are the ones whose marks rise when the write lands.
    ledger.track(agentId, batch.seq, Object.keys(rows) as BatchTable[], write);
    write.then(
      () => {
        if (outcome.kind === "complete") {
          const { rawBytes, encodedBytes, record } = outcome.received;
          this.deps.logger.info({ agentId, seq: batch.seq, rawBytes, encodedBytes, parts: record.parts }, "inventory stored");
        }
        for (const s of slots) this.complete(s);
      },
      (err: Error) => {
        // ClickHouse refused these rows outright; resending cannot help, so the batch is consumed.
        metrics.rejectedMessages.inc({ reason: "storage_refused" });
        for (const s of slots) {
          this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.InvalidMessage, message: `batch refused by storage: ${err.message.slice(0, 200)}`, retryable: false, seq: s.seq });
        }
        ledger.consumed(agentId, batch.seq);
        for (const s of slots) this.complete(s);
      },
    );
  }

  /** Refuses a held batch (part of an inventory document that will not be complete). */
  private refuseHeld(seq: number, message: string): void {
    const i = this.held.findIndex((s) => s.seq === seq);
    if (i < 0) return;
    const [slot] = this.held.splice(i, 1);
    this.deps.metrics.rejectedMessages.inc({ reason: "invalid_inventory" });
    this.refuseSlot(slot!, message);
  }

  /** Refuses a batch that already has its slot: it is consumed, and acknowledged in its turn. */
  private refuseSlot(slot: Slot, message: string): void {
    const { ledger } = this.deps;
    const agentId = this.agent.id;
    this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.InvalidMessage, message, retryable: false, seq: slot.seq });
    void ledger.settled(agentId).then(() => {
      if (slot.seq > ledger.accepted(agentId)) ledger.consumed(agentId, slot.seq);
      this.complete(slot);
    });
  }

  private refuseBatch(seq: number, message: string, receivedAt: number): void {
    this.lastReceived = Math.max(this.lastReceived, seq);
    this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.InvalidMessage, message, retryable: false, seq });
    const slot: Slot = { seq, receivedAt, done: false };
    this.slots.push(slot);
    // The refused batch still takes its turn, so the cumulative ack cannot pass an earlier unstored batch.
    void this.ready!.then(() => this.deps.ledger.settled(this.agent.id)).then(() => {
      if (seq > this.deps.ledger.accepted(this.agent.id)) this.deps.ledger.consumed(this.agent.id, seq);
      this.complete(slot);
    });
  }

  private onGoodbye(msg: Goodbye): void {
    this.goodbye = msg;
    this.deps.recordEvent({ ...this.identity(), event: "goodbye", reason: msg.reason, detail: msg.message ?? "" });
  }

  private complete(slot: Slot): void {
    slot.done = true;
    let acked = this.lastAck;
    const now = Date.now();
    while (this.slots.length > 0 && this.slots[0]!.done) {
      const s = this.slots.shift()!;
      acked = Math.max(acked, s.seq);
      this.deps.metrics.ackSeconds.observe((now - s.receivedAt) / 1000);
    }
    if (acked > this.lastAck) {
      this.lastAck = acked;
      this.send({ type: "ack", v: PROTOCOL_VERSION, seq: acked });
    }
  }

  private observeClock(sentAt: number, receivedAt: number): void {
    // Network delay only ever adds, so the smallest difference seen is the best estimate of the offset.
    this.offsetMs = Math.min(this.offsetMs, receivedAt - sentAt);
  }

  private skewMs(): number {
    return Number.isFinite(this.offsetMs) && Math.abs(this.offsetMs) > SKEW_TOLERANCE_MS ? Math.round(this.offsetMs) : 0;
  }

  private protocolViolation(message: string): void {
    this.deps.metrics.rejectedMessages.inc({ reason: ErrorCode.HelloRequired });
    this.send({ type: "error", v: PROTOCOL_VERSION, code: ErrorCode.HelloRequired, message, retryable: false });
    this.ws.close(CloseCode.HelloRequired, message);
  }

  private send(msg: CollectorMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeMessage(msg));
  }

  private identity(): Pick<ConnectionEvent, "agentId" | "clientId" | "siteId" | "remoteAddr" | "bootId" | "agentVersion"> {
    return {
      agentId: this.agent.id,
      clientId: this.agent.client_id,
      siteId: this.agent.site_id,
      remoteAddr: this.remoteAddr,
      bootId: this.hello?.bootId,
      agentVersion: this.hello?.agentVersion,
    };
  }
}
