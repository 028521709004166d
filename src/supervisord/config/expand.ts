/**
 * supervisord's `expand(s, expansions, name)`: `s % expansions` with its two error wordings.
 */
import { ValueProblem } from "./errors.js";
import { pythonPercentFormat, PyFormatError, type PyMapping, type PyValue } from "./pyformat.js";
import { pythonStrRepr } from "../text.js";

/** An ordered expansion dictionary (insertion order matters only for a bare `%s`). */
export type Expansions = Map<string, PyValue>;

/** Throws ValueProblem("EXPAND") with supervisord's message. */
export function expand(s: string, expansions: PyMapping, name: string): string {
  try {
    return pythonPercentFormat(s, expansions);
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    if (e.pyType === "KeyError") {
      const available = [...expansions.keys()].sort(comparePython).join(", ");
      throw new ValueProblem(
        `Format string ${pythonStrRepr(s)} for ${pythonStrRepr(name)} contains names (${e.message}) which cannot be expanded. Available names: ${available}`,
        "EXPAND",
      );
    }
    throw new ValueProblem(
      `Format string ${pythonStrRepr(s)} for ${pythonStrRepr(name)} is badly formatted: ${e.message}`,
      "EXPAND",
    );
  }
}

/** Python's default str ordering: by code point. */
export function comparePython(a: string, b: string): number {
  const ai = Array.from(a);
  const bi = Array.from(b);
  const n = Math.min(ai.length, bi.length);
  for (let i = 0; i < n; i++) {
    const d = ai[i]!.codePointAt(0)! - bi[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ai.length - bi.length;
}

/** A new map with `extra` entries layered over `base` (later wins, Python dict-update order). */
export function layered(...maps: Iterable<[string, PyValue]>[]): Expansions {
  const out: Expansions = new Map();
  for (const m of maps) for (const [k, v] of m) out.set(k, v);
  return out;
}
