import type { AgentRecord } from "@vigil/protocol";
import type { Logger } from "pino";
import { collectInventory, type CollectedInventory } from "../probes/inventory.js";
import { encodeInventory, InventoryTooLargeError } from "./encode.js";
import { inventoryHash } from "./hash.js";
import { InventorySchedule } from "./schedule.js";
import { readInventoryState, writeInventoryState, type InventoryOutcome, type InventoryState } from "./state.js";

export interface InventoryReporterOptions {
  /** Directory for `inventory.json` (the agent's state directory). */
  stateDir: string;
  agentId: string;
  bootId: string;
  agentVersion: string;
  logger: Logger;
  /** Hours between collections: the collector's `inventoryIntervalHours`. */
  intervalHours: () => number;
  /** Spools one batch per element, with consecutive sequence numbers; resolves with them. */
  append: (batches: AgentRecord[][]) => Promise<number[]>;
  /** How to collect; the real probe unless a test says otherwise. */
  collect?: () => Promise<CollectedInventory>;
  /** Wait before the run at start, so that the first health samples go out first (default 5 s). */
  startDelayMs?: number;
}

const INVENTORY = "inventory";

/**
 * Collects the host's inventory at start and every `inventoryIntervalHours`, and spools it only when its
 * content hash differs from the last one sent, and only to a collector that accepts `inventory` records.
 * The last sent hash survives restarts (inventory.json); a refused document is sent again next time.
 */
export class InventoryReporter {
  private accepts: ReadonlySet<string> | null = null;
  private waiters: Array<() => void> = [];
  private running: Promise<InventoryOutcome | null> | null = null;
  private deferred = false;
  private stopped = false;
  private state: InventoryState;
  private readonly schedule: InventorySchedule;

  constructor(private readonly opts: InventoryReporterOptions) {
    this.state = readInventoryState(opts.stateDir, opts.agentId);
    this.schedule = new InventorySchedule({
      agentId: opts.agentId,
      intervalHours: opts.intervalHours,
      run: (reason) => void this.runNow(reason),
      logger: opts.logger,
      startDelayMs: opts.startDelayMs ?? 5000,
    });
  }

  /** Starts the schedule: a run shortly after start, then every N hours. */
  start(): void {
    this.schedule.start();
  }

  /** The collector's configuration changed: follow its interval. */
  reschedule(): void {
    if (!this.stopped) this.schedule.reschedule();
  }

  /** The collector said which record kinds it stores (every `welcome`). */
  onWelcome(accepts: readonly string[]): void {
    this.accepts = new Set(accepts);
    for (const wake of this.waiters.splice(0)) wake();
    // A run skipped because the previous collector did not take inventory happens now.
    if (this.deferred && this.accepts.has(INVENTORY)) {
      this.deferred = false;
      void this.runNow("accepted");
    }
  }

  /** The collector refused batch `seq`: if it carried our document, forget its hash so the next run sends again. */
  onRefused(seq: number): void {
    const seqs = this.state.sentSeqs;
    if (!seqs || seq < seqs[0] || seq > seqs[1]) return;
    this.opts.logger.warn({ seq }, "collector refused the inventory; it is sent again with the next collection");
    this.save({ ...this.state, sentHash: null, sentSeqs: null });
  }

  /** Collects now unless a collection is already running (then that one's outcome). */
  runNow(reason: string): Promise<InventoryOutcome | null> {
    this.running ??= this.run(reason).finally(() => (this.running = null));
    return this.running;
  }

  /** What was last sent and how the last run went. */
  status(): InventoryState {
    return this.state;
  }

  /**
   * Stops the schedule. A collection in progress is not waited for (a hung tool must not hold up a service
   * stop): it finds the reporter stopped and spools nothing.
   */
  stop(): void {
    this.stopped = true;
    this.schedule.stop();
    for (const wake of this.waiters.splice(0)) wake();
  }

  private async run(reason: string): Promise<InventoryOutcome | null> {
    const log = this.opts.logger;
    // Only a welcome says whether this collector takes inventory; until the first one, wait.
    if (this.accepts === null) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.stopped || this.accepts === null) return null;
    if (!this.accepts.has(INVENTORY)) {
      this.deferred = true;
      this.record("not_accepted");
      log.info("the collector does not accept inventory records; not collecting");
      return "not_accepted";
    }
    let collected: CollectedInventory;
    try {
      collected = await (this.opts.collect ?? (() => collectInventory({ agentVersion: this.opts.agentVersion })))();
    } catch (err) {
      this.record("failed", undefined, (err as Error).message);
      log.error({ err: (err as Error).message }, "inventory collection failed");
      return "failed";
    }
    if (this.stopped) return null;
    const hash = inventoryHash(collected.document);
    if (hash === this.state.sentHash) {
      this.record("unchanged", collected);
      log.info({ reason, hash, ...collected.stats }, "inventory unchanged; not sent");
      return "unchanged";
    }
    try {
      const encoded = await encodeInventory(collected.document, { bootId: this.opts.bootId, hash });
      // Checked right before spooling: after stop() the spool is about to close.
      if (this.stopped) return null;
      const seqs = await this.opts.append(encoded.records.map((r) => [r]));
      const sizes = { rawBytes: encoded.rawBytes, gzipBytes: encoded.gzipBytes, wireChars: encoded.wireChars, parts: encoded.records.length };
      this.save({
        ...this.state,
        sentHash: hash,
        sentSeqs: [seqs[0]!, seqs[seqs.length - 1]!],
        sentAt: new Date().toISOString(),
        lastRun: this.lastRun("sent", collected, sizes),
      });
      log.info({ reason, hash, seqs: this.state.sentSeqs, ...sizes, ...collected.stats }, "inventory sent");
      return "sent";
    } catch (err) {
      const outcome = err instanceof InventoryTooLargeError ? "too_large" : "failed";
      this.record(outcome, collected, (err as Error).message);
      log.error({ err: (err as Error).message }, "inventory not sent");
      return outcome;
    }
  }

  private record(outcome: InventoryOutcome, collected?: CollectedInventory, error?: string): void {
    this.save({ ...this.state, lastRun: this.lastRun(outcome, collected, undefined, error) });
  }

  private lastRun(outcome: InventoryOutcome, collected?: CollectedInventory, sizes?: { rawBytes: number; gzipBytes: number; wireChars: number; parts: number }, error?: string): InventoryState["lastRun"] {
    const s = collected?.stats;
    return {
      at: new Date().toISOString(),
      outcome,
      durationMs: s?.durationMs ?? 0,
      cpuMs: s?.cpuMs ?? 0,
      childCpuMs: s?.childCpuMs ?? 0,
      maxEventLoopDelayMs: s?.maxEventLoopDelayMs ?? 0,
      rawBytes: sizes?.rawBytes ?? 0,
      gzipBytes: sizes?.gzipBytes ?? 0,
      wireChars: sizes?.wireChars ?? 0,
      parts: sizes?.parts ?? 0,
      ...(error ? { error } : {}),
    };
  }

  private save(state: InventoryState): void {
    this.state = state;
    try {
      writeInventoryState(this.opts.stateDir, state);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, "cannot save inventory state");
    }
  }
}
