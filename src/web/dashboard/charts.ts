/**
 * The statistics pieces the processes, host and application pages share (spec §11.6-11.7, §9.3):
 * the figure cells of a series (last value with its trend, mean, slope × period, standard
 * deviation; blank where Supvisors leaves them blank) and the chart placeholder that
 * static/dashboard.js draws with uPlot. The figures come from stats/figures.ts, the one place
 * they are computed; the script only plots what it is given.
 */
import { regressionSlope, seriesFigures } from "../../supvisors/stats/figures.js";
import { html, type Html } from "../html.js";

/** `12.34` (two decimals, as Supvisors prints its figures). */
export const fixed2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : "--");

/** Four cells: last (trend class), mean, slope, stddev; `--` cells for an empty series. */
export function figureCells(values: readonly number[], times: readonly number[], period: number): Html {
  const f = seriesFigures(values, times, period);
  if (!f) return html`<td class="num">--</td><td class="num"></td><td class="num"></td><td class="num"></td>`;
  const more = values.length > 1;
  const trend = more && Number.isFinite(f.rate) ? `trend ${f.trend}` : "";
  return html`<td class="${`num last ${trend}`.trim()}">${fixed2(f.last)}</td><td class="num">${fixed2(f.mean)}</td><td class="num">${more ? fixed2(f.slope) : ""}</td><td class="num">${more ? fixed2(f.stddev) : ""}</td>`;
}

export interface ChartSpec {
  /** Stable across refreshes for the same series: the script keeps the canvas and swaps the data. */
  readonly key: string;
  readonly title: string;
  /** `%`, `kbits/s`, ... */
  readonly unit: string;
  readonly label: string;
  readonly times: readonly number[];
  readonly values: readonly number[];
}

/** A `<div data-chart>` the script plots: the series, its mean, regression line and std-dev band. */
export function chart(spec: ChartSpec): Html {
  const n = Math.min(spec.times.length, spec.values.length);
  const x = spec.times.slice(spec.times.length - n);
  const y = spec.values.slice(spec.values.length - n);
  const f = seriesFigures(y, x, 1);
  const rawSlope = regressionSlope(y, x);
  const meanX = n ? x.reduce((a, b) => a + b, 0) / n : 0;
  const mean = f?.mean ?? 0;
  const data = { title: spec.title, unit: spec.unit, label: spec.label, x, y, mean, stddev: f?.stddev ?? 0, rawSlope, intercept: mean - rawSlope * meanX };
  return html`<div class="chart" data-key="${spec.key}" data-chart="${JSON.stringify(data)}"></div><div class="chart-caption">solid: ${spec.label} · dashed: mean · dotted: regression · band: ±1 std dev</div>`;
}
