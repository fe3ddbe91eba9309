import { existsSync } from "node:fs";
import os from "node:os";
import { AgentConfig, DEFAULT_AGENT_CONFIG, type AgentRecord, type CheckSpec, type GoodbyeReason } from "@vigil/protocol";
import type { Logger } from "pino";
import { InventoryReporter } from "./inventory/reporter.js";
import { Link, type LinkState } from "./link/link.js";
import { readBootId } from "./probes/boot.js";
import { gatewayCheckSpec, runChecks } from "./probes/checks.js";
import { defaultGateway } from "./probes/gateway.js";
import { createHealthProbe } from "./probes/health.js";
import { PingUnavailableError, findPingBinary } from "./probes/ping-binary.js";
import { Spool } from "./spool/spool.js";
import type { StateDir } from "./state/state-dir.js";
import { AGENT_VERSION } from "./version.js";

export interface RunOptions {
  stateDir: StateDir;
  logger: Logger;
  /** Local overrides of the collector's intervals, in seconds (for tests and special hosts). */
  healthIntervalSeconds?: number;
  checkIntervalSeconds?: number;
  spoolMaxBytes?: number;
  /** Wait before the inventory collection at start (default 5 s). */
  inventoryStartDelayMs?: number;
}

/** A running agent. */
export interface RunningAgent {
  stop(reason: GoodbyeReason): Promise<void>;
}

/** Raised when the agent cannot run as configured; the message says what to do. */
export class AgentSetupError extends Error {
  readonly retryable = false;
}

/**
 * Runs the agent: samples health and runs checks on their intervals, writes every result to the spool
 * first, and lets the link deliver the spool to the collector.
 */
export async function runAgent(opts: RunOptions): Promise<RunningAgent> {
  const { stateDir, logger } = opts;
  const credentials = stateDir.readCredentials();
  if (!credentials) {
    throw new AgentSetupError(`this agent is not enrolled (no credentials in ${stateDir.dir}); run: vigil-agent enroll --server URL --token TOKEN`);
  }
  const spool = await Spool.open({ dir: stateDir.spoolDir, ...(opts.spoolMaxBytes ? { maxBytes: opts.spoolMaxBytes } : {}) });
  const bootId = readBootId();
  const health = createHealthProbe();
  const pingPath = await findPingBinary();
  const warnings: string[] = [];
  if (!pingPath) {
    const message = new PingUnavailableError().message;
    warnings.push(message);
    logger.warn(message);
  }
  // Checks reach out to the network (the gateway ping above all), so they run only with settings the
  // collector gave: the last pushed config, kept across restarts, or none until the first welcome.
  const saved = stateDir.readConfig();
  let config: AgentConfig = saved ?? DEFAULT_AGENT_CONFIG;
  let configured = saved !== null;
  let linkState: LinkState | undefined;
  let statusTimer: NodeJS.Timeout | undefined;
  let stopped: string | undefined;

  const writeStatus = () => {
    statusTimer = undefined;
    const s = spool.stats();
    stateDir.writeStatus({
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      connected: linkState?.connected ?? false,
      server: credentials.server,
      lastConnectedAt: iso(linkState?.lastConnectedAt),
      lastAckAt: iso(linkState?.lastAckAt),
      lastAckSeq: linkState?.lastAckSeq ?? s.ackedSeq,
      spool: { pendingBatches: s.pendingBatches, pendingBytes: s.pendingBytes, lastSeq: s.lastSeq, droppedBatches: s.droppedBatches, droppedBytes: s.droppedBytes },
      lastError: linkState?.lastError ?? warnings[0] ?? null,
      needsReenroll: linkState?.needsReenroll ?? false,
      ...(stopped ? { stopped } : {}),
    });
  };
  // Status changes come in bursts (ack, then the next send); one write a second is plenty for `status`.
  const statusChanged = () => {
    statusTimer ??= setTimeout(writeStatus, 1000);
  };

  const link = new Link({
    server: credentials.server,
    agentToken: credentials.agentToken,
    spool,
    logger,
    hello: () => ({
      agentVersion: AGENT_VERSION,
      hostname: os.hostname(),
      bootId,
      os: { platform: process.platform, release: os.release(), arch: process.arch },
      startedAt,
    }),
    onConfig: (c) => {
      config = AgentConfig.parse(c);
      stateDir.writeConfig(config);
      reschedule();
      if (!configured) {
        configured = true;
        checkTimer.start();
      }
    },
    onState: (s) => {
      linkState = s;
      statusChanged();
    },
    onWelcome: (accepts) => inventory.onWelcome(accepts),
    onRefused: (seq) => inventory.onRefused(seq),
  });

  const startedAt = Date.now();
  // Appends are serialised so batches are numbered in the order their samples were taken.
  let appending: Promise<unknown> = Promise.resolve();
  const append = (records: AgentRecord[]) => {
    appending = appending
      .then(() => spool.append(records))
      .then(() => {
        link.notify();
        statusChanged();
      })
      .catch((err: Error) => logger.error({ err: err.message }, "cannot write to the spool"));
    return appending;
  };

  // Several batches in a row (the parts of one inventory document), with consecutive sequence numbers.
  const appendBatches = (batches: AgentRecord[][]): Promise<number[]> => {
    const written = appending.then(async () => {
      const seqs: number[] = [];
      for (const records of batches) seqs.push(await spool.append(records));
      return seqs;
    });
    appending = written
      .then(() => {
        link.notify();
        statusChanged();
      })
      .catch((err: Error) => logger.error({ err: err.message }, "cannot write to the spool"));
    return written;
  };

  // Inventory runs on its own schedule (node-cron), off the health and check tickers.
  const inventory = new InventoryReporter({
    stateDir: stateDir.dir,
    agentId: credentials.agentId,
    bootId,
    agentVersion: AGENT_VERSION,
    logger,
    intervalHours: () => config.inventoryIntervalHours,
    append: appendBatches,
    ...(opts.inventoryStartDelayMs !== undefined ? { startDelayMs: opts.inventoryStartDelayMs } : {}),
  });

  const sampleHealth = async () => append([await health.sample()]);
  const runCheckRound = async () => {
    const specs: CheckSpec[] = [...config.checks];
    if (config.pingGateway) {
      const gw = await defaultGateway();
      if (gw) specs.unshift(gatewayCheckSpec(gw));
    }
    if (specs.length === 0) return;
    const results = await runChecks(specs, { bootId, pingPath });
    if (results.length > 0) await append(results);
  };

  const healthTimer = new Ticker(() => opts.healthIntervalSeconds ?? config.healthIntervalSeconds, sampleHealth, logger);
  const checkTimer = new Ticker(() => opts.checkIntervalSeconds ?? config.checkIntervalSeconds, runCheckRound, logger);
  const reschedule = () => {
    healthTimer.reschedule();
    checkTimer.reschedule();
    inventory.reschedule();
  };

  healthTimer.start();
  if (configured) checkTimer.start();
  inventory.start();
  link.start();
  writeStatus();
  logger.info({ server: credentials.server, agentId: credentials.agentId, stateDir: stateDir.dir, version: AGENT_VERSION }, "agent started");

  return {
    async stop(reason) {
      healthTimer.stop();
      checkTimer.stop();
      inventory.stop();
      await appending;
      await link.stop(reason);
      clearTimeout(statusTimer);
      stopped = reason;
      linkState = linkState ? { ...linkState, connected: false } : linkState;
      writeStatus();
      await spool.close();
      logger.info({ reason }, "agent stopped");
    },
  };
}

/** Why the service manager is stopping us: a shutdown of the whole OS, or just this service. */
export function stopReason(signal: NodeJS.Signals): GoodbyeReason {
  if (signal === "SIGINT") return "user";
  // systemd creates /run/nologin when the system is going down.
  return existsSync("/run/nologin") ? "os_shutdown" : "service_stop";
}

/** Runs a task every N seconds on a fixed schedule (no drift), never two at once. */
class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private running = false;

  constructor(
    private readonly intervalSeconds: () => number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.next = Date.now();
    this.schedule();
  }

  reschedule(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.next = Date.now() + this.intervalSeconds() * 1000;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), Math.max(0, this.next - Date.now()));
  }

  private async tick(): Promise<void> {
    const interval = this.intervalSeconds() * 1000;
    this.next += interval;
    if (this.next < Date.now()) this.next = Date.now() + interval;
    this.schedule();
    if (this.running) return;
    this.running = true;
    try {
      await this.task();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, "probe failed");
    } finally {
      this.running = false;
    }
  }
}

function iso(ms: number | null | undefined): string | null {
  return ms ? new Date(ms).toISOString() : null;
}
