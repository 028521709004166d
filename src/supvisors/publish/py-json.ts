/**
 * JSON as Python's json.dumps writes Supvisors' payloads: floats keep a decimal point (`1.0`, not
 * `1`) for the keys that are floats, so a Python subscriber gets a float where Supvisors sends one.
 */
import { FLOAT_KEYS } from "../payload-floats.js";

/**
 * How the numbers under a key print: "int" as they are, "float" with a decimal point (through
 * arrays, not into nested objects, whose keys decide for themselves), "deep" with a decimal point
 * everywhere below (the per-interface dicts of `hstats`, whose keys are interface names).
 */
type Mode = "int" | "float" | "deep";

export interface PyJsonFloats {
  /** More keys that are floats in this payload. */
  readonly keys?: ReadonlySet<string>;
  /** Keys under which every number, at any depth, is a float. */
  readonly deep?: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

function encode(v: unknown, mode: Mode, keys: ReadonlySet<string>, deep: ReadonlySet<string>): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "null";
    return mode !== "int" && Number.isInteger(v) ? `${v}.0` : JSON.stringify(v);
  }
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => encode(x, mode, keys, deep)).join(", ")}]`;
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const m: Mode = mode === "deep" || deep.has(k) ? "deep" : FLOAT_KEYS.has(k) || keys.has(k) ? "float" : "int";
      return `${JSON.stringify(k)}: ${encode(x, m, keys, deep)}`;
    });
    return `{${parts.join(", ")}}`;
  }
  return JSON.stringify(String(v));
}

/** `extraFloats`: more keys that are floats in this payload (or both sets). Separators as json.dumps' defaults. */
export function pyJson(value: unknown, extraFloats: ReadonlySet<string> | PyJsonFloats = NONE): string {
  const f: PyJsonFloats = extraFloats instanceof Set ? { keys: extraFloats } : (extraFloats as PyJsonFloats);
  return encode(value, "int", f.keys ?? NONE, f.deep ?? NONE);
}
