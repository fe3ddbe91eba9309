import type pino from "pino";
import { mergeSampleRuns, type SampleRun } from "../availability/index.js";
import type { Store } from "../store/clickhouse.js";
import { readJobMark, saveJobMark } from "../store/queries/job-marks.js";
import { existingRuns, newSampleRuns, saveRuns, type StoredRun } from "../store/queries/health-runs.js";

/** The settler's entry in job_marks: health samples stored up to this instant are in health_runs. */
export const SETTLE_JOB = "health_runs";

/** How the settler reads samples. */
export interface SettlerOptions {
  /** Samples of one boot further apart than this leave a gap (the timeline's gapFactor × sample interval). */
  thresholdMs: number;
  /**
   * Samples stored in the last `lagMs` are left for the next pass: an insert that began before the mark
   * may become visible after it, and would otherwise be skipped.
   */
  lagMs?: number;
  logger?: pino.Logger;
}

/**
 * Compacts health samples into settled runs (health_runs) as they are stored, so that reports over
 * months read a few runs per host instead of every 15-second sample. Late samples from an agent's
 * spool merge into the runs around them. Idempotent: samples seen twice change nothing.
 */
export class HealthRunSettler {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly lagMs: number;

  constructor(
    private readonly store: Store,
    private readonly options: SettlerOptions,
  ) {
    this.lagMs = options.lagMs ?? 30_000;
  }

  /** Settles every `intervalMs` until stopped. */
  start(intervalMs = 60_000): void {
    const tick = () => {
      this.settle().catch((err: Error) => this.options.logger?.warn({ err: err.message }, "settling health runs failed; retrying next pass"));
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain.catch(() => undefined);
  }

  /** One pass over the samples stored since the last; passes never overlap. */
  settle(): Promise<{ agents: number; runs: number; mark: number }> {
    const pass = this.chain.then(() => this.pass());
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  /** The instant up to which stored samples are settled (0 before the first pass). */
  mark(): Promise<number> {
    return readJobMark(this.store, SETTLE_JOB);
  }

  private async pass(): Promise<{ agents: number; runs: number; mark: number }> {
    const from = await readJobMark(this.store, SETTLE_JOB);
    const [clock] = await this.store.query<{ now: number }>("SELECT toUnixTimestamp64Milli(now64(3)) AS now");
    const to = Number(clock?.now) - this.lagMs;
    if (to <= from) return { agents: 0, runs: 0, mark: from };
    const fresh = await newSampleRuns(this.store, { storedAfter: from, storedUntil: to, thresholdMs: this.options.thresholdMs });
    const byAgent = groupByAgent(fresh);
    let written = 0;
    if (byAgent.size > 0) {
      const lo = Math.min(...fresh.map((r) => r.start)) - this.options.thresholdMs;
      const hi = Math.max(...fresh.map((r) => r.end)) + this.options.thresholdMs;
      const old = groupByAgent(await existingRuns(this.store, [...byAgent.keys()], lo, hi));
      const writes: StoredRun[] = [];
      const tombstones: StoredRun[] = [];
      for (const [agentId, runs] of byAgent) {
        const before = old.get(agentId) ?? [];
        const { clientId, siteId } = runs[0]!;
        const merged = mergeSampleRuns([...before, ...runs], this.options.thresholdMs);
        const starts = new Set(merged.map((r) => r.start));
        for (const r of merged) writes.push(stored(r, agentId, clientId, siteId));
        // A run swallowed by an earlier one keeps its own key (its start); it must be removed explicitly.
        for (const r of before) if (!starts.has(r.start)) tombstones.push(r);
      }
      await saveRuns(this.store, writes, tombstones);
      written = writes.length;
    }
    await saveJobMark(this.store, SETTLE_JOB, to);
    return { agents: byAgent.size, runs: written, mark: to };
  }
}

function stored(r: SampleRun, agentId: string, clientId: string, siteId: string): StoredRun {
  return { agentId, clientId, siteId, bootId: r.bootId, start: r.start, end: r.end };
}

function groupByAgent(runs: readonly StoredRun[]): Map<string, StoredRun[]> {
  const out = new Map<string, StoredRun[]>();
  for (const r of runs) {
    const list = out.get(r.agentId);
    if (list) list.push(r);
    else out.set(r.agentId, [r]);
  }
  return out;
}
