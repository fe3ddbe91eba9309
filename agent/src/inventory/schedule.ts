import { createHash } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";

/**
 * The cron expression for "every `hours` hours": on the clock, at a minute and an hour offset derived from
 * the agent id, so that a fleet of thousands does not collect (and send) in the same minute.
 * For 6 hours and an agent whose offset is 2 h 17 min: `17 2,8,14,20 * * *`.
 */
export function inventoryCron(agentId: string, hours: number): string {
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new RangeError(`hours must be an integer from 1 to 24, got ${hours}`);
  const spread = parseInt(createHash("sha256").update(agentId).digest("hex").slice(0, 8), 16);
  const minute = spread % 60;
  const offset = Math.floor(spread / 60) % hours;
  const list: number[] = [];
  for (let h = offset; h < 24; h += hours) list.push(h);
  return `${minute} ${list.join(",")} * * *`;
}

/** Runs a task at start (after a short delay) and then on the cron schedule for the configured interval. */
export class InventorySchedule {
  private task: ScheduledTask | null = null;
  private startTimer: NodeJS.Timeout | undefined;
  private hours = 0;

  constructor(
    private readonly opts: {
      agentId: string;
      intervalHours: () => number;
      run: (reason: "start" | "schedule") => void;
      logger: Logger;
      startDelayMs: number;
    },
  ) {}

  /** Arms the run at start and the schedule. */
  start(): void {
    this.startTimer = setTimeout(() => this.opts.run("start"), this.opts.startDelayMs);
    this.reschedule();
  }

  /** Follows a changed interval; a no-op when it did not change. */
  reschedule(): void {
    const hours = this.opts.intervalHours();
    if (hours === this.hours && this.task) return;
    this.hours = hours;
    void this.task?.destroy();
    const expression = inventoryCron(this.opts.agentId, hours);
    const log = this.opts.logger;
    this.task = cron.schedule(expression, () => this.opts.run("schedule"), {
      name: "vigil-inventory",
      noOverlap: true,
      // node-cron would otherwise write plain text to stdout, between the agent's JSON log lines.
      logger: {
        info: (m) => log.debug({ cron: m }, "inventory schedule"),
        warn: (m) => log.warn({ cron: m }, "inventory schedule"),
        error: (m, err) => log.error({ err: String(err ?? m) }, "inventory schedule"),
        debug: (m) => log.debug({ cron: String(m) }, "inventory schedule"),
      },
    });
    log.info({ expression, hours, next: this.task.getNextRun()?.toISOString() }, "inventory scheduled");
  }

  /** When the schedule runs next, or null when stopped. */
  nextRun(): Date | null {
    return this.task?.getNextRun() ?? null;
  }

  stop(): void {
    clearTimeout(this.startTimer);
    void this.task?.destroy();
    this.task = null;
  }
}
