/** A measured value at a time (epoch ms). */
export interface Point {
  t: number;
  v: number;
}

/** Least-squares line through the points: value = intercept + slope × t; r2 is the share of variance it explains. */
export function linearFit(points: readonly Point[]): { slope: number; intercept: number; r2: number } | null {
  const n = points.length;
  if (n < 2) return null;
  // Centre time on the first point: epoch milliseconds squared would lose precision.
  const t0 = points[0]!.t;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t - t0;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let stt = 0;
  let stv = 0;
  let svv = 0;
  for (const p of points) {
    const dt = p.t - t0 - mt;
    const dv = p.v - mv;
    stt += dt * dt;
    stv += dt * dv;
    svv += dv * dv;
  }
  if (stt === 0) return null;
  const slope = stv / stt;
  const r2 = svv === 0 ? 1 : (stv * stv) / (stt * svv);
  return { slope, intercept: mv - slope * (mt + t0), r2 };
}

/** When a filesystem fills up at its current rate of growth. */
export interface FillForecast {
  /** Days from the last point until used reaches capacity. */
  daysToFull: number;
  fullAt: number;
  bytesPerDay: number;
  r2: number;
  usedBytes: number;
  capacityBytes: number;
  points: number;
  spanDays: number;
}

const DAY = 86_400_000;

/**
 * Linear trend of used bytes over time, extrapolated to `capacityBytes`. Null when usage is flat or falling,
 * or when there is too little history (fewer than `minPoints` points, or a span shorter than `minSpanMs`).
 */
export function forecastFull(used: readonly Point[], capacityBytes: number, opts: { minPoints?: number; minSpanMs?: number } = {}): FillForecast | null {
  const points = [...used].sort((a, b) => a.t - b.t);
  if (points.length < (opts.minPoints ?? 6) || !(capacityBytes > 0)) return null;
  const span = points[points.length - 1]!.t - points[0]!.t;
  if (span < (opts.minSpanMs ?? 6 * 3600_000)) return null;
  const fit = linearFit(points);
  if (!fit || !(fit.slope > 0)) return null;
  const last = points[points.length - 1]!;
  const remaining = Math.max(0, capacityBytes - last.v);
  const ms = remaining / fit.slope;
  return {
    daysToFull: ms / DAY,
    fullAt: last.t + ms,
    bytesPerDay: fit.slope * DAY,
    r2: fit.r2,
    usedBytes: last.v,
    capacityBytes,
    points: points.length,
    spanDays: span / DAY,
  };
}
