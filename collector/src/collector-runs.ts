import { newId, nextVersion } from "./auth/secrets.js";
import type { Store } from "./store/clickhouse.js";

const HEARTBEAT_MS = 10_000;

/**
 * Records this collector's life in `collector_runs`: start, a heartbeat every 10 s, and stop. Its gaps
 * are the collector's own outages, which reports count as unmonitored, never as client downtime.
 */
export class CollectorRun {
  readonly id = newId();
  readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** When the previous run was last known alive (its last heartbeat or stop), or null on first start. */
  async previousHeartbeat(): Promise<number | null> {
    const rows = await this.store.query<{ at: number | null }>(
      "SELECT toUnixTimestamp64Milli(max(greatest(heartbeat_at, ifNull(stopped_at, heartbeat_at)))) AS at, count() AS n FROM collector_runs FINAL HAVING n > 0",
    );
    return rows[0]?.at ?? null;
  }

  /** Records the start and begins heartbeats. */
  async start(): Promise<void> {
    await this.write(null, "");
    this.timer = setInterval(() => void this.write(null, "").catch(() => undefined), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Records a clean stop. */
  async stop(reason: string): Promise<void> {
    clearInterval(this.timer);
    await this.write(Date.now(), reason);
  }

  private write(stoppedAt: number | null, reason: string): Promise<void> {
    return this.store.insert("collector_runs", [
      { run_id: this.id, started_at: this.startedAt, heartbeat_at: Date.now(), stopped_at: stoppedAt, stop_reason: reason, version: nextVersion() },
    ]);
  }
}
