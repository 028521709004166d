/**
 * The Prometheus text exposition format 0.0.4: one string built by appending, HELP and TYPE once
 * per family, samples of a family contiguous, label values and HELP texts escaped as the format
 * says. The writer keeps no per-sample objects: a scrape of 1000 processes is one string grown in
 * place (V8 ropes), flattened once when sent.
 */

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "gauge" | "counter" | "histogram" | "untyped";

const LABEL_SPECIALS = /[\\"\n]/;
const HELP_SPECIALS = /[\\\n]/;

/** A label value as the format wants it inside double quotes: `\` `"` and newline escaped. */
export function escapeLabelValue(v: string): string {
  if (!LABEL_SPECIALS.test(v)) return v;
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** A HELP text: only `\` and newline are escaped there. */
export function escapeHelp(v: string): string {
  if (!HELP_SPECIALS.test(v)) return v;
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value: Go's ParseFloat forms, with the format's spellings of the infinities. */
export function formatValue(v: number): string {
  if (Number.isFinite(v)) return String(v);
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "+Inf" : "-Inf";
}

/**
 * `name="value"` pairs, comma separated, values escaped: the inside of `{...}`. Names must be
 * valid label names (ours are constants).
 */
export function labelPairs(...pairs: string[]): string {
  let out = "";
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    if (i > 0) out += ",";
    out += `${pairs[i]}="${escapeLabelValue(pairs[i + 1]!)}"`;
  }
  return out;
}

export class ExpositionWriter {
  private out = "";

  /** Opens a family: its HELP and TYPE lines. Every sample of it must follow before the next family. */
  family(name: string, type: MetricType, help: string): this {
    this.out += `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
    return this;
  }

  /** One sample; `labels` is the inside of the braces (labelPairs, or pre-escaped text), "" for none. */
  sample(name: string, labels: string, value: number): this {
    this.out += labels === "" ? `${name} ${formatValue(value)}\n` : `${name}{${labels}} ${formatValue(value)}\n`;
    return this;
  }

  /** A family with a single unlabelled sample. */
  single(name: string, type: MetricType, help: string, value: number): this {
    return this.family(name, type, help).sample(name, "", value);
  }

  /**
   * The samples of one histogram series: cumulative `_bucket`s (one per bound, then +Inf = count),
   * `_sum` and `_count`. `counts[i]` is the number of observations in (bounds[i-1], bounds[i]];
   * `counts[bounds.length]` those above the last bound.
   */
  histogram(name: string, labels: string, bounds: readonly number[], counts: ArrayLike<number>, sum: number): this {
    const sep = labels === "" ? "" : ",";
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i]!;
      this.out += `${name}_bucket{${labels}${sep}le="${formatValue(bounds[i]!)}"} ${cumulative}\n`;
    }
    cumulative += counts[bounds.length]!;
    this.out += `${name}_bucket{${labels}${sep}le="+Inf"} ${cumulative}\n`;
    this.sample(`${name}_sum`, labels, sum);
    this.sample(`${name}_count`, labels, cumulative);
    return this;
  }

  text(): string {
    return this.out;
  }
}
