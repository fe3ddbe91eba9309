import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

/** Waits of a backoff whose attempts each take `attemptMs` (a refused connection is quick), with a fixed random draw. */
function schedule(draw: number, count: number, attemptMs = 50) {
  let t = 0;
  const b = new Backoff({ random: () => draw, now: () => t });
  const waits: Array<{ at: number; wait: number }> = [];
  for (let i = 0; i < count; i++) {
    const wait = b.next();
    waits.push({ at: t, wait });
    t += wait + attemptMs;
  }
  return { b, waits, advance: (ms: number) => (t += ms) };
}

describe("reconnect backoff", () => {
  it("retries at least every 2 s during the first 10 s after a loss, whatever the draw", () => {
    for (const draw of [0, 0.5, 0.999]) {
      const { waits } = schedule(draw, 30);
      const fast = waits.filter((w) => w.at < 10_000);
      expect(fast.length).toBeGreaterThanOrEqual(5);
      for (const w of fast) {
        expect(w.wait).toBeGreaterThanOrEqual(500);
        expect(w.wait).toBeLessThanOrEqual(2000);
      }
    }
  });

  it("then doubles its ceiling from 4 s up to 60 s, jittered between 0.5 s and the ceiling", () => {
    const high = schedule(0.999_999, 14).waits.filter((w) => w.at >= 10_000).map((w) => Math.round(w.wait / 1000));
    expect(high).toEqual([4, 8, 16, 32, 60, 60, 60, 60, 60]);
    const low = schedule(0, 14).waits.filter((w) => w.at >= 10_000);
    for (const w of low) expect(w.wait).toBe(500);
    // A fleet draws differently: the waits of one attempt spread over the whole range.
    const spread = [0.1, 0.4, 0.7].map((d) => schedule(d, 14).waits.at(-1)!.wait);
    expect(new Set(spread.map((w) => Math.round(w))).size).toBe(3);
    expect(Math.max(...spread)).toBeLessThanOrEqual(60_000);
  });

  it("starts over with a fast window after reset()", () => {
    const { b, waits, advance } = schedule(0.999_999, 12);
    expect(waits.at(-1)!.wait).toBeGreaterThan(2000);
    b.reset();
    advance(5 * 60_000);
    expect(b.next()).toBeLessThanOrEqual(2000);
  });
});
