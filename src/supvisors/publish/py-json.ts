/**
 * JSON as Python's json.dumps writes Supvisors' payloads: floats keep a decimal point (`1.0`, not
 * `1`) for the keys that are floats, so a Python subscriber gets a float where Supvisors sends one.
 */
import { FLOAT_KEYS } from "../payload-floats.js";

function encode(v: unknown, floatKey: boolean, extra: ReadonlySet<string>): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "null";
    return floatKey && Number.isInteger(v) ? `${v}.0` : JSON.stringify(v);
  }
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => encode(x, floatKey, extra)).join(", ")}]`;
  if (typeof v === "object") {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${encode(x, FLOAT_KEYS.has(k) || extra.has(k), extra)}`);
    return `{${parts.join(", ")}}`;
  }
  return JSON.stringify(String(v));
}

/** `extraFloats`: more keys that are floats in this payload. Separators as json.dumps' defaults. */
export function pyJson(value: unknown, extraFloats: ReadonlySet<string> = new Set()): string {
  return encode(value, false, extraFloats);
}
