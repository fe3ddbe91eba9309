import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { CONNECT_PATH, CloseCode, ErrorCode, MAX_FRAME_BYTES, type AgentConfig } from "@vigil/protocol";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { parseToken, tokenMatches } from "../auth/secrets.js";
import type { CollectorMetrics } from "../observability/metrics.js";
import type { BatchWriter } from "../writer/writer.js";
import type { AgentRow } from "../store/queries/agents.js";
import type { AgentDirectory } from "./agent-directory.js";
import type { StoredSeqLedger } from "./ledger.js";
import { AgentSession, type ConnectionEvent } from "./session.js";

/**
 * Between pings; a peer whose ping is still unanswered when the next is due is dropped, so a connection
 * that dies silently is noticed within one to two intervals (the host-down alert's clock starts then).
 */
export const PING_INTERVAL_MS = 5000;

export interface GatewayDeps {
  directory: AgentDirectory;
  ledger: StoredSeqLedger;
  writer: BatchWriter;
  metrics: CollectorMetrics;
  logger: Logger;
  agentConfig: AgentConfig;
  collectorId: string;
  pingIntervalMs?: number;
  /** Told of each connection event as it happens (the alert engine, on the primary). */
  observer?: { onConnectionEvent(event: ConnectionEvent): void };
}

/**
 * Accepts agent WebSocket connections: authenticates before the upgrade completes, keeps one session
 * per agent, pings, and stops reading from every socket while the writer is over its high-water mark.
 */
export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly sessions = new Map<string, AgentSession>();
  private readonly pinger: NodeJS.Timeout;
  private lastTick = Date.now();
  private paused = false;
  private closing = false;

  constructor(private readonly deps: GatewayDeps) {
    const every = deps.pingIntervalMs ?? PING_INTERVAL_MS;
    // Timers run before pending socket reads in Node's loop: deferring to setImmediate lets pongs that
    // arrived meanwhile be read first, so a busy collector does not take them for missing.
    this.pinger = setInterval(() => setImmediate(() => this.heartbeat(every)), every);
    this.pinger.unref();
    deps.writer.on("drain", () => this.setPaused(false));
  }

  /** Handles WebSocket upgrades on the collector's HTTP server. */
  attach(server: Server): void {
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", () => socket.destroy());
      this.upgrade(req, socket, head).catch((err: Error) => {
        this.deps.logger.error({ err: err.message }, "agent upgrade failed");
        socket.destroy();
      });
    });
  }

  /** True while the agent has an open connection to this collector. */
  isConnected(agentId: string): boolean {
    return this.sessions.has(agentId);
  }

  /** When this collector last heard from the agent, if it is connected. */
  lastSeen(agentId: string): number | undefined {
    return this.sessions.get(agentId)?.lastSeenAt;
  }

  /** Closes the agent's connection because its token was revoked; it must not reconnect. */
  disconnect(agentId: string, _reason: "revoked"): void {
    this.deps.directory.invalidate(agentId);
    this.sessions.get(agentId)?.ws.close(CloseCode.Revoked, "agent token revoked");
  }

  /** Number of connected agents. */
  get connected(): number {
    return this.sessions.size;
  }

  /** Closes every connection (1001) and stops accepting new ones. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pinger);
    const closed = [...this.sessions.values()].map(
      (s) =>
        new Promise<void>((resolve) => {
          s.ws.once("close", () => resolve());
          s.ws.close(CloseCode.GoingAway, "collector shutting down");
          setTimeout(() => {
            s.ws.terminate();
            resolve();
          }, 2000).unref();
        }),
    );
    await Promise.all(closed);
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://collector");
    if (url.pathname !== CONNECT_PATH) return refuse(socket, 404, "not_found", "no WebSocket endpoint here");
    if (this.closing) return refuse(socket, 503, "unavailable", "collector is shutting down");
    const remoteAddr = req.socket.remoteAddress ?? "";
    const header = req.headers.authorization ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    const parsed = parseToken(token, "vga");
    let agent = null;
    try {
      agent = parsed ? await this.deps.directory.get(parsed.id) : null;
      if (agent && !tokenMatches(token, agent.token_hash)) agent = await this.deps.directory.reload(agent.id);
    } catch (err) {
      this.deps.logger.error({ err: (err as Error).message }, "agent lookup failed");
      return refuse(socket, 503, ErrorCode.StorageUnavailable, "storage unavailable, retry later");
    }
    if (!agent || !tokenMatches(token, agent.token_hash)) {
      this.deps.metrics.rejectedMessages.inc({ reason: ErrorCode.Unauthorized });
      this.deps.logger.warn({ remoteAddr, agentId: parsed?.id }, "agent connection refused: bad token");
      return refuse(socket, 401, ErrorCode.Unauthorized, "unknown or invalid agent token");
    }
    if (agent.revoked_at !== null) {
      this.deps.metrics.rejectedMessages.inc({ reason: ErrorCode.TokenRevoked });
      this.recordEvent({ agentId: agent.id, clientId: agent.client_id, siteId: agent.site_id, event: "refused", reason: "revoked", remoteAddr });
      return refuse(socket, 401, ErrorCode.TokenRevoked, "agent token revoked; enroll the agent again");
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, agent, remoteAddr));
  }

  private accept(ws: WebSocket, agent: AgentRow, remoteAddr: string): void {
    const existing = this.sessions.get(agent.id);
    if (existing) {
      // The older connection may be half-open after a network change; a prompt ping settles which is real.
      this.deps.metrics.rejectedMessages.inc({ reason: "duplicate_session" });
      existing.probe();
      ws.close(CloseCode.DuplicateSession, "another connection with this agent token is active");
      return;
    }
    const session = new AgentSession(ws, agent, remoteAddr, {
      ledger: this.deps.ledger,
      writer: this.deps.writer,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
      agentConfig: this.deps.agentConfig,
      recordEvent: (e) => this.recordEvent(e),
    });
    this.sessions.set(agent.id, session);
    this.deps.metrics.connectedAgents.set(this.sessions.size);
    if (this.paused) ws.pause();
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        this.deps.metrics.rejectedMessages.inc({ reason: "binary_frame" });
        ws.close(CloseCode.ProtocolError, "text frames only");
        return;
      }
      session.onFrame(data.toString());
      if (this.deps.writer.full) this.setPaused(true);
    });
    ws.on("pong", () => {
      session.alive = true;
      session.lastSeenAt = Date.now();
    });
    ws.on("error", (err) => {
      const reason = (err as { code?: string }).code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" ? ErrorCode.FrameTooLarge : "socket_error";
      this.deps.metrics.rejectedMessages.inc({ reason });
      this.deps.logger.warn({ agentId: agent.id, err: err.message }, "agent connection error");
    });
    ws.on("close", (code, reason) => {
      if (this.sessions.get(agent.id) === session) this.sessions.delete(agent.id);
      this.deps.metrics.connectedAgents.set(this.sessions.size);
      session.onClose(code, reason.toString());
    });
  }

  private heartbeat(every: number): void {
    const now = Date.now();
    // Paused sockets are not read, and a tick this late means the process was blocked: either way a pong
    // may be waiting unread, so nobody is judged this round.
    const judge = !this.paused && now - this.lastTick < every * 1.5;
    this.lastTick = now;
    for (const s of this.sessions.values()) s.heartbeat(judge);
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    this.deps.logger.warn({ queuedRows: this.deps.writer.depth }, paused ? "writer full: pausing agent reads" : "writer drained: resuming agent reads");
    for (const s of this.sessions.values()) {
      if (paused) s.ws.pause();
      else s.ws.resume();
    }
  }

  private recordEvent(e: ConnectionEvent): void {
    this.deps.observer?.onConnectionEvent(e);
    const row = {
      at: Date.now(),
      agent_id: e.agentId,
      client_id: e.clientId,
      site_id: e.siteId,
      event: e.event,
      reason: e.reason,
      detail: e.detail ?? "",
      remote_addr: e.remoteAddr,
      boot_id: e.bootId ?? "",
      agent_version: e.agentVersion ?? "",
      collector_id: this.deps.collectorId,
    };
    this.deps.writer.submit({ connection_events: [row] }).catch((err: Error) => {
      this.deps.logger.error({ err: err.message }, "connection event not stored");
    });
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable" }[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
