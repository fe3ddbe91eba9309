/** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)], at least `base`/2. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 60_000,
  ) {}

  /** The wait before the next attempt. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.baseMs / 2, Math.random() * ceiling);
  }

  /** Starts over after a connection that stayed up. */
  reset(): void {
    this.attempt = 0;
  }
}
