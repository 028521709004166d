/**
 * The figures the UI derives from one statistics series (spec §9.3 "UI derived figures"), as
 * Supvisors 0.19 computes them: last value, mean, slope of the least-squares line of the values
 * over their times multiplied by the selected period (unit per period), population standard
 * deviation, and the rate between the last two values that picks the trend marker.
 */

export interface SeriesFigures {
  last: number;
  mean: number;
  /** Slope of the linear regression × period: value units per period. */
  slope: number;
  /** Population standard deviation (no Bessel correction). */
  stddev: number;
  /** Change between the last two values, in PERCENT of the previous one: 100 × (last − prev) / prev. */
  rate: number;
  /** "stable" when |rate| < 0.005 (percent), else the sign of rate. */
  trend: "increase" | "decrease" | "stable";
}

/** Below this absolute rate (percent) the trend is "stable". */
export const STABLE_RATE = 0.005;

/**
 * The derived figures of a series, or null for an empty one.
 *
 * - One value: slope, stddev and rate are 0 and the trend "stable" (Supvisors leaves them blank:
 *   check `values.length < 2` to do the same).
 * - Previous value 0: rate is 0 when the last value is 0 too, else ±Infinity with the trend of its
 *   sign (Supvisors computes an infinite rate there and shows no marker: check
 *   `Number.isFinite(rate)` to do the same).
 * - values and times are expected to be as long as each other; if not, the regression uses the
 *   last pairs (both series grow at their end). Times all equal (no spread): slope 0.
 */
export function seriesFigures(values: readonly number[], times: readonly number[], period: number): SeriesFigures | null {
  const n = values.length;
  if (n === 0) return null;
  const last = values[n - 1];
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const stddev = Math.sqrt(squares / n);
  const slope = regressionSlope(values, times) * period;
  let rate = 0;
  if (n > 1) {
    const previous = values[n - 2];
    if (previous !== 0) rate = (100 * (last - previous)) / previous;
    else if (last !== 0) rate = last > 0 ? Infinity : -Infinity;
  }
  const trend = Math.abs(rate) < STABLE_RATE ? "stable" : rate > 0 ? "increase" : "decrease";
  return { last, mean, slope, stddev, rate, trend };
}

/** Least-squares slope of y over x on the last min(len) pairs; 0 without spread in x. */
export function regressionSlope(ys: readonly number[], xs: readonly number[]): number {
  const n = Math.min(ys.length, xs.length);
  if (n < 2) return 0;
  const y0 = ys.length - n;
  const x0 = xs.length - n;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[x0 + i];
    my += ys[y0 + i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[x0 + i] - mx;
    sxy += dx * (ys[y0 + i] - my);
    sxx += dx * dx;
  }
  return sxx > 0 ? sxy / sxx : 0;
}
