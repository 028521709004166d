/**
 * Reading /metrics answers in the tests: parsed with a Prometheus text-format parser from npm
 * (parse-prometheus-text-format, a port of the Python client's parser), plus a strict line check
 * of the 0.0.4 grammar that lenient parser does not do (names, label syntax and escapes, HELP and
 * TYPE once and before the samples, each family's samples contiguous).
 */
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from "parse-prometheus-text-format";

export type { PromFamily, PromSample };

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABEL = `${LABEL_NAME}=${LABEL_VALUE}`;
const VALUE = "(?:[+-]?Inf|NaN|[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})? ${VALUE}(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (?:[^\\\\\\n]|\\\\[\\\\n])*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/** The family a sample name belongs to (histogram and summary suffixes removed when declared so). */
function familyOf(name: string, types: Map<string, string>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const t = types.get(base);
      if (t === "histogram" || t === "summary") return base;
    }
  }
  return name;
}

/** Throws with the line number on the first line that breaks the text format 0.0.4. */
export function checkExposition(text: string): void {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("the exposition does not end with a newline");
  const lines = text.split("\n");
  lines.pop();
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const done = new Set<string>();
  let current = "";
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    let family: string;
    const h = HELP.exec(line);
    const t = TYPE.exec(line);
    const s = SAMPLE.exec(line);
    if (h) {
      family = h[1]!;
      if (helps.has(family)) throw new Error(`${where}: second HELP`);
      helps.add(family);
    } else if (t) {
      family = t[1]!;
      if (types.has(family)) throw new Error(`${where}: second TYPE`);
      if (family === current && !helps.has(family)) throw new Error(`${where}: TYPE after samples`);
      types.set(family, t[2]!);
    } else if (s) {
      family = familyOf(s[1]!, types);
      if (!types.has(family)) throw new Error(`${where}: sample without a TYPE line`);
    } else {
      throw new Error(`${where}: not a HELP, TYPE or sample line`);
    }
    if (family !== current) {
      if (done.has(family)) throw new Error(`${where}: family ${family} is not contiguous`);
      if (current) done.add(current);
      current = family;
    }
  });
}

/** Checks then parses: the families by name. */
export function parseExposition(text: string): Map<string, PromFamily> {
  checkExposition(text);
  const out = new Map<string, PromFamily>();
  for (const f of parsePrometheusTextFormat(text)) out.set(f.name, f);
  return out;
}

/** The samples of a family whose labels include `match` (every sample when empty). */
export function samples(families: Map<string, PromFamily>, name: string, match: Record<string, string> = {}): PromSample[] {
  const f = families.get(name);
  if (!f) return [];
  return f.metrics.filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v));
}

/** The one sample's value as a number; throws when there is not exactly one. */
export function value(families: Map<string, PromFamily>, name: string, match: Record<string, string> = {}): number {
  const s = samples(families, name, match);
  if (s.length !== 1) throw new Error(`${name}${JSON.stringify(match)}: ${s.length} samples`);
  return Number(s[0]!.value);
}

export interface HistogramSeries {
  readonly labels: Record<string, string>;
  /** le -> cumulative count, in the order written. */
  readonly buckets: Map<string, number>;
  readonly sum: number;
  readonly count: number;
}

/**
 * The series of a histogram family, by their labels (le aside). The npm parser folds every series
 * of a histogram into one unlabelled sample (its flattenMetrics keeps only the last buckets and
 * drops labelled _sum/_count), so the same text is parsed again with that family declared
 * untyped, which gives `_bucket`, `_sum` and `_count` as their own families with their labels.
 */
export function histogramSeries(text: string, name: string): Map<string, HistogramSeries> {
  checkExposition(text);
  // Each series' _bucket, _sum, _count lines come together, so the untyped families repeat: merge them.
  const parsed = new Map<string, { metrics: PromSample[] }>();
  for (const f of parsePrometheusTextFormat(text.replace(`# TYPE ${name} histogram\n`, `# TYPE ${name} untyped\n`))) {
    const had = parsed.get(f.name);
    if (had) had.metrics.push(...f.metrics);
    else parsed.set(f.name, { metrics: [...f.metrics] });
  }
  const key = (labels: Readonly<Record<string, string>> | undefined) =>
    JSON.stringify(Object.entries(labels ?? {}).filter(([k]) => k !== "le").sort(([a], [b]) => (a < b ? -1 : 1)));
  const out = new Map<string, { labels: Record<string, string>; buckets: Map<string, number>; sum: number; count: number }>();
  const entry = (labels: Readonly<Record<string, string>> | undefined) => {
    const k = key(labels);
    let e = out.get(k);
    if (!e) {
      const plain = Object.fromEntries(Object.entries(labels ?? {}).filter(([l]) => l !== "le"));
      e = { labels: plain, buckets: new Map(), sum: NaN, count: NaN };
      out.set(k, e);
    }
    return e;
  };
  for (const m of parsed.get(`${name}_bucket`)?.metrics ?? []) entry(m.labels).buckets.set(m.labels!.le!, Number(m.value));
  for (const m of parsed.get(`${name}_sum`)?.metrics ?? []) entry(m.labels).sum = Number(m.value);
  for (const m of parsed.get(`${name}_count`)?.metrics ?? []) entry(m.labels).count = Number(m.value);
  const byLabels = new Map<string, HistogramSeries>();
  for (const e of out.values()) byLabels.set(JSON.stringify(e.labels), e);
  return byLabels;
}
