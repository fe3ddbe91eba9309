import {
  CONNECT_PATH,
  CloseCode,
  MAX_FRAME_BYTES,
  MAX_IN_FLIGHT_BATCHES,
  PROTOCOL_VERSION,
  TERMINAL_CLOSE_CODES,
  decodeCollectorMessage,
  encodeMessage,
  type AgentConfig,
  type AgentMessage,
  type GoodbyeReason,
  type Hello,
} from "@vigil/protocol";
import type { Logger } from "pino";
import WebSocket from "ws";
import type { Spool } from "../spool/spool.js";
import { Backoff } from "./backoff.js";

/** What the link tells the rest of the agent about the connection. */
export interface LinkState {
  connected: boolean;
  lastConnectedAt: number | null;
  lastAckAt: number | null;
  lastAckSeq: number;
  lastError: string | null;
  needsReenroll: boolean;
}

export interface LinkOptions {
  /** Collector base URL, http(s)://host:port. */
  server: string;
  agentToken: string;
  spool: Spool;
  logger: Logger;
  /** The hello fields that describe this agent. */
  hello: () => Omit<Hello, "type" | "v" | "sentAt" | "lastSeq">;
  onConfig(config: AgentConfig): void;
  onState(state: LinkState): void;
  /** The record kinds the collector stores, from each `welcome` (agents send other kinds only if listed). */
  onWelcome?(accepts: readonly string[]): void;
  /** The collector refused batch `seq` for good (it was dropped from the spool unstored). */
  onRefused?(seq: number, message: string): void;
  /** Between the agent's own pings (default 5 s): after a silent outage heals, the next one finds the dead connection. */
  pingIntervalMs?: number;
  /** Silence from the collector (no pong, ping or message) after which the connection is dropped (default 15 s). */
  pongTimeoutMs?: number;
  /** Wait between attempts after the collector refused the token (default 10 min). */
  refusedRetryMs?: number;
}

type Outcome = { kind: "closed"; code: number; reason: string; upMs: number } | { kind: "refused"; status: number; code: string; message: string } | { kind: "failed"; message: string };

/**
 * A connection that stayed up this long ends a run of failures: its loss gets the backoff's fast window
 * again. Shorter ones (a collector that closes at once) keep backing off, so they cannot cause a tight loop.
 */
const STABLE_MS = 10_000;

/**
 * The agent's connection to the collector: sends spooled batches oldest first with up to
 * MAX_IN_FLIGHT_BATCHES unacknowledged, drops them from the spool when acknowledged, and reconnects
 * with backoff, resending whatever was not acknowledged.
 */
export class Link {
  private ws: WebSocket | undefined;
  private ready = false;
  private stopped = false;
  private inFlight: number[] = [];
  private lastSent = 0;
  private pumping = false;
  private pumpAgain = false;
  private wake: (() => void) | undefined;
  private readonly backoff = new Backoff();
  private readonly state: LinkState = { connected: false, lastConnectedAt: null, lastAckAt: null, lastAckSeq: 0, lastError: null, needsReenroll: false };
  private loop: Promise<void> | undefined;

  constructor(private readonly opts: LinkOptions) {}

  /** Starts connecting; reconnects until stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  /** A new batch is in the spool: send it if the connection is up. */
  notify(): void {
    if (this.ready) void this.pump();
  }

  /** Says goodbye with a reason, closes the connection and stops reconnecting. */
  async stop(reason: GoodbyeReason, message?: string): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      if (this.ready) this.send({ type: "goodbye", v: PROTOCOL_VERSION, reason, sentAt: Date.now(), ...(message ? { message } : {}) });
      await new Promise<void>((resolve) => {
        ws.once("close", () => resolve());
        ws.close(CloseCode.Normal, reason);
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 2000).unref();
      });
    } else ws?.terminate();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const outcome = await this.connectOnce();
      if (this.stopped) break;
      let waitMs: number;
      if (outcome.kind === "refused" && outcome.status === 401) {
        this.update({ lastError: `collector refused the agent token (${outcome.code}): ${outcome.message}; enroll this agent again`, needsReenroll: true });
        waitMs = this.opts.refusedRetryMs ?? 600_000;
      } else if (outcome.kind === "closed" && TERMINAL_CLOSE_CODES.has(outcome.code)) {
        const why = outcome.code === CloseCode.Revoked ? "agent token revoked; enroll this agent again" : `collector does not support this agent's protocol version; upgrade the agent (${outcome.reason})`;
        this.update({ lastError: why, needsReenroll: outcome.code === CloseCode.Revoked });
        waitMs = this.opts.refusedRetryMs ?? 600_000;
      } else {
        if (outcome.kind === "closed" && outcome.upMs >= STABLE_MS) this.backoff.reset();
        if (outcome.kind === "failed") this.update({ lastError: outcome.message });
        else if (outcome.kind === "refused") this.update({ lastError: `collector answered HTTP ${outcome.status} (${outcome.code}): ${outcome.message}` });
        else if (outcome.code !== CloseCode.Normal) this.update({ lastError: `connection closed by collector (${outcome.code}${outcome.reason ? `: ${outcome.reason}` : ""})` });
        waitMs = this.backoff.next();
      }
      this.opts.logger.warn({ outcome, retryInMs: Math.round(waitMs) }, "disconnected from collector");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private connectOnce(): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const url = this.opts.server.replace(/^http/, "ws").replace(/\/+$/, "") + CONNECT_PATH;
      const ws = new WebSocket(url, {
        headers: { Authorization: `Bearer ${this.opts.agentToken}` },
        perMessageDeflate: false,
        maxPayload: MAX_FRAME_BYTES,
        handshakeTimeout: 15_000,
      });
      this.ws = ws;
      let openedAt = 0;
      let lastPong = Date.now();
      let pinger: NodeJS.Timeout | undefined;
      const finish = (o: Outcome) => {
        clearInterval(pinger);
        this.ready = false;
        this.inFlight = [];
        if (this.state.connected) this.update({ connected: false });
        resolve(o);
      };
      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c.slice(0, 4096)));
        res.on("end", () => {
          let code = "http_error";
          let message = res.statusMessage ?? "";
          try {
            const e = (JSON.parse(body) as { error?: { code?: string; message?: string } }).error;
            code = e?.code ?? code;
            message = e?.message ?? message;
          } catch {
            // Not our collector, or a proxy in the way: the status says enough.
          }
          ws.terminate();
          finish({ kind: "refused", status: res.statusCode ?? 0, code, message });
        });
      });
      ws.on("open", () => {
        openedAt = Date.now();
        lastPong = openedAt;
        const s = this.opts.spool.stats();
        this.send({ type: "hello", v: PROTOCOL_VERSION, ...this.opts.hello(), sentAt: Date.now(), lastSeq: s.lastSeq });
        pinger = setInterval(() => {
          if (Date.now() - lastPong > (this.opts.pongTimeoutMs ?? 15_000)) {
            this.opts.logger.warn("collector stopped answering pings; reconnecting");
            ws.terminate();
            return;
          }
          ws.ping();
        }, this.opts.pingIntervalMs ?? 5000);
      });
      ws.on("pong", () => (lastPong = Date.now()));
      // The collector's own pings show it is there as well as pongs do.
      ws.on("ping", () => (lastPong = Date.now()));
      ws.on("message", (data) => {
        lastPong = Date.now();
        void this.onMessage(data.toString());
      });
      ws.on("error", (err: NodeJS.ErrnoException) => {
        const message = err.code === "ECONNREFUSED" || err.code === "ENOTFOUND" || err.code === "EHOSTUNREACH" || err.code === "ETIMEDOUT"
          ? `cannot reach the collector at ${this.opts.server} (${err.code})`
          : err.message;
        this.update({ lastError: message });
      });
      ws.on("close", (code, reason) => {
        finish(openedAt === 0 ? { kind: "failed", message: this.state.lastError ?? "connection failed" } : { kind: "closed", code, reason: reason.toString(), upMs: Date.now() - openedAt });
      });
    });
  }

  private async onMessage(frame: string): Promise<void> {
    const decoded = decodeCollectorMessage(frame);
    if (!decoded.ok) {
      this.opts.logger.error({ code: decoded.code, err: decoded.message }, "collector sent a message this agent cannot read");
      return;
    }
    const msg = decoded.message;
    const spool = this.opts.spool;
    switch (msg.type) {
      case "welcome": {
        const s = spool.stats();
        if (msg.storedSeq > s.lastSeq) {
          // The collector stored more than this agent remembers: its state was lost. Renumber the
          // backlog after what is stored, or it would be mistaken for batches already stored.
          const backlog = await spool.readAfter(s.ackedSeq, Number.MAX_SAFE_INTEGER);
          await spool.skipTo(msg.storedSeq);
          for (const b of backlog) await spool.append(b.records);
          this.opts.logger.warn({ storedSeq: msg.storedSeq, renumbered: backlog.length }, "agent state was behind the collector; backlog renumbered");
        } else if (msg.storedSeq > s.ackedSeq) await spool.ack(msg.storedSeq);
        this.lastSent = spool.stats().ackedSeq;
        this.inFlight = [];
        this.ready = true;
        this.opts.onConfig(msg.config);
        this.opts.onWelcome?.(msg.accepts);
        this.update({ connected: true, lastConnectedAt: Date.now(), lastError: null, needsReenroll: false, lastAckSeq: spool.stats().ackedSeq });
        this.opts.logger.info({ storedSeq: msg.storedSeq, pending: spool.stats().pendingBatches }, "connected to collector");
        await this.pump();
        return;
      }
      case "ack": {
        if (msg.seq > spool.stats().ackedSeq) await spool.ack(msg.seq);
        this.inFlight = this.inFlight.filter((seq) => seq > msg.seq);
        this.update({ lastAckAt: Date.now(), lastAckSeq: msg.seq });
        await this.pump();
        return;
      }
      case "error":
        this.opts.logger.warn({ code: msg.code, seq: msg.seq, retryable: msg.retryable, err: msg.message }, "collector refused a message");
        this.update({ lastError: `collector: ${msg.code}: ${msg.message}` });
        if (msg.seq !== undefined && msg.code === "invalid_message") this.opts.onRefused?.(msg.seq, msg.message);
        return;
      case "config":
        this.opts.onConfig(msg.config);
        return;
    }
  }

  // Sends spooled batches until MAX_IN_FLIGHT_BATCHES are unacknowledged. Re-entrant calls coalesce.
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const room = MAX_IN_FLIGHT_BATCHES - this.inFlight.length;
        if (!this.ready || room <= 0) break;
        const batches = await this.opts.spool.readAfter(this.lastSent, room);
        for (const b of batches) {
          if (!this.ready) break;
          this.send({ type: "batch", v: PROTOCOL_VERSION, seq: b.seq, sentAt: Date.now(), records: b.records });
          this.lastSent = b.seq;
          this.inFlight.push(b.seq);
        }
        if (batches.length === room) this.pumpAgain = true;
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private send(msg: AgentMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeMessage(msg));
  }

  private update(patch: Partial<LinkState>): void {
    Object.assign(this.state, patch);
    this.opts.onState({ ...this.state });
  }
}
