// Login throttling, in this process: after too many failed logins for one username or from one address, further
// attempts are refused (429) until the oldest failure leaves the window. Per username stops guessing one
// account's password from many addresses; per address stops trying many accounts from one place. The address
// limit is higher because an office shares one address.

/** The window failures are counted in. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures per username within the window before logins for it are refused. */
export const MAX_FAILURES_PER_USERNAME = 5;
/** Failures per client address within the window before logins from it are refused. */
export const MAX_FAILURES_PER_ADDRESS = 20;
/** Most keys tracked; beyond it the stalest go first, so a flood of names cannot exhaust memory. */
const MAX_KEYS = 50_000;

/** Counts failed logins and says when to refuse. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until a login for these keys may be tried again, or 0 when it may be tried now. */
  retryAfterMs(keys: ReadonlyArray<{ key: string; limit: number }>): number {
    const now = this.now();
    let wait = 0;
    for (const { key, limit } of keys) {
      const times = this.recent(key, now);
      if (times.length >= limit) wait = Math.max(wait, times[times.length - limit]! + THROTTLE_WINDOW_MS - now);
    }
    return wait;
  }

  /** Records one failed login against each key. */
  fail(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Forgets the failures of a key (a successful login for that username). */
  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < THROTTLE_WINDOW_MS);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
