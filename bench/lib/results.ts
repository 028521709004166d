/** Collected measurements: one Metric per table row, with its samples per daemon and its target. */
import type { Kind } from "./daemon.js";
import { fmt, median } from "./stats.js";

export interface Target {
  /** What the target says, e.g. "<= 0.2". */
  readonly text: string;
  /** PASS when true, from the medians (ours, reference). */
  readonly check: (ours: number, real: number) => boolean;
}

/** ours/ref must be at most `max`. */
export const ratioAtMost = (max: number): Target => ({ text: `ratio <= ${max}`, check: (o, r) => (r === 0 ? o === 0 : o / r <= max) });

export class Metric {
  /** "machine" holds a floor measured without any daemon (pipe-to-file rate, bare fork+exec). */
  readonly samples: Record<Kind | "machine", number[]> = { machine: [], real: [], ours: [] };
  constructor(
    readonly scenario: string,
    readonly name: string,
    readonly target?: Target,
  ) {}

  add(kind: Kind | "machine", value: number): void {
    this.samples[kind].push(value);
  }

  get real(): number {
    return median(this.samples.real);
  }

  get ours(): number {
    return median(this.samples.ours);
  }

  get ratio(): number {
    return this.real === 0 && this.ours === 0 ? 1 : this.ours / this.real;
  }

  verdict(): string {
    if (!this.target) return "";
    if (!Number.isFinite(this.ours)) return "MISS (no data)";
    return this.target.check(this.ours, this.real) ? "PASS" : "MISS";
  }

  row(): string[] {
    const cell = (xs: number[]) => (xs.length ? `${fmt(median(xs))}${xs.length > 1 ? ` (n=${xs.length})` : ""}` : "-");
    const ratio = this.samples.real.length && this.samples.ours.length ? fmt(this.ratio) : "";
    return [this.scenario, this.name, cell(this.samples.machine), cell(this.samples.real), cell(this.samples.ours), ratio, this.target?.text ?? "", this.verdict()];
  }
}

export class Results {
  readonly metrics: Metric[] = [];
  readonly notes: string[] = [];

  metric(scenario: string, name: string, target?: Target): Metric {
    let m = this.metrics.find((x) => x.scenario === scenario && x.name === name);
    if (!m) this.metrics.push((m = new Metric(scenario, name, target)));
    return m;
  }
}

export interface Context {
  readonly quick: boolean;
  readonly reps: number;
  readonly kinds: readonly Kind[];
  readonly results: Results;
  log(msg: string): void;
}

/** The daemons in the order to run them in repetition `rep` (alternating who goes first). */
export function order(ctx: Context, rep: number): Kind[] {
  return rep % 2 === 0 ? [...ctx.kinds] : [...ctx.kinds].reverse();
}
