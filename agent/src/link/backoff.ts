/** How an agent spaces its reconnect attempts. */
export interface BackoffOptions {
  /** Shortest wait (default 500 ms). */
  minMs?: number;
  /** For this long after the first failure, attempts come quickly (default 10 s: the collector's host-down confirmation window). */
  fastWindowMs?: number;
  /** Longest wait inside the fast window (default 2 s). */
  fastMaxMs?: number;
  /** Longest wait after it (default 60 s). */
  maxMs?: number;
  /** A number in [0, 1); tests fix it. */
  random?: () => number;
  now?: () => number;
}

/**
 * Reconnect backoff with full jitter, in two phases. For the first `fastWindowMs` after a connection is lost,
 * each wait is random in [min, fastMax]: a blip shorter than the collector's confirmation window ends
 * before it alerts. After that, before the k-th attempt (k = 1, 2, …) the wait is random in
 * [min, min(max, fastMax·2^k)], so a fleet whose collector is down spreads out instead of stampeding.
 */
export class Backoff {
  private readonly minMs: number;
  private readonly fastWindowMs: number;
  private readonly fastMaxMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  /** When the current run of failures began; undefined until the first wait after a reset. */
  private startedAt: number | undefined;
  /** Attempts since the fast window ended. */
  private slowAttempts = 0;

  constructor(options: BackoffOptions = {}) {
    this.minMs = options.minMs ?? 500;
    this.fastWindowMs = options.fastWindowMs ?? 10_000;
    this.fastMaxMs = options.fastMaxMs ?? 2000;
    this.maxMs = options.maxMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** The wait before the next attempt. */
  next(): number {
    const now = this.now();
    this.startedAt ??= now;
    let ceiling: number;
    if (now - this.startedAt < this.fastWindowMs) {
      ceiling = this.fastMaxMs;
    } else {
      this.slowAttempts = Math.min(this.slowAttempts + 1, 30);
      ceiling = Math.min(this.maxMs, this.fastMaxMs * 2 ** this.slowAttempts);
    }
    return this.minMs + this.random() * Math.max(0, ceiling - this.minMs);
  }

  /** Starts over after a connection that stayed up: the next loss gets the fast window again. */
  reset(): void {
    this.startedAt = undefined;
    this.slowAttempts = 0;
  }
}
