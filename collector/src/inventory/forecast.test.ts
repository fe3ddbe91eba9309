import { describe, expect, it } from "vitest";
import { forecastFull, linearFit } from "./forecast.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-01T00:00:00Z");

describe("forecastFull", () => {
  it("fits a line exactly and says when it reaches capacity", () => {
    // 100 GiB used, growing 2 GiB a day; capacity 160 GiB: full 30 days after the first point.
    const points = Array.from({ length: 11 }, (_, d) => ({ t: T0 + d * DAY, v: (100 + 2 * d) * 1024 ** 3 }));
    const fit = linearFit(points)!;
    expect(fit.r2).toBeCloseTo(1, 9);
    expect(fit.slope * DAY).toBeCloseTo(2 * 1024 ** 3, 0);
    const f = forecastFull(points, 160 * 1024 ** 3)!;
    expect(f.daysToFull).toBeCloseTo(20, 6);
    expect(new Date(f.fullAt).toISOString().slice(0, 10)).toBe("2026-12-01");
  });

  it("has nothing to say for flat or shrinking usage, or too little history", () => {
    const flat = Array.from({ length: 10 }, (_, i) => ({ t: T0 + i * 3600_000, v: 5e9 }));
    expect(forecastFull(flat, 1e10)).toBeNull();
    const shrinking = flat.map((p, i) => ({ ...p, v: 5e9 - i * 1e6 }));
    expect(forecastFull(shrinking, 1e10)).toBeNull();
    const short = Array.from({ length: 10 }, (_, i) => ({ t: T0 + i * 60_000, v: 5e9 + i * 1e6 }));
    expect(forecastFull(short, 1e10)).toBeNull();
    expect(forecastFull(flat.slice(0, 3), 1e10)).toBeNull();
  });
});
