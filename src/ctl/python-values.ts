/**
 * Python's str() and repr() of decoded XML-RPC values, and its sorted() of strings: what
 * supervisorctl and the supvisors plugin print (`True`, `None`, `['a', 'b']`, `5.0`).
 */
import { RpcDouble, type RpcValue } from "../supervisord/rpc/codec.js";
import { pythonFloatRepr } from "../supervisord/rpc/python-float.js";
import { pythonStrRepr } from "../supervisord/text.js";

/** Python's str() of a decoded XML-RPC value. */
export function pyStr(v: RpcValue | undefined): string {
  if (v === undefined || v === null) return "None";
  if (typeof v === "string") return v;
  return pyRepr(v);
}

/** Python's repr(), as str() of a list shows its items. */
export function pyRepr(v: RpcValue): string {
  if (v === null) return "None";
  if (typeof v === "string") return pythonStrRepr(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  if (v instanceof RpcDouble) return pythonFloatRepr(v.value);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (Buffer.isBuffer(v)) return `b${pythonStrRepr(v.toString("latin1"))}`;
  if (v instanceof Date) return `<DateTime '${v.toISOString().slice(0, 19).replace(/-/g, "")}'>`;
  return `{${Object.entries(v).map(([k, x]) => `${pythonStrRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
}

/** Python's sorted() on str: code point order (JS's default sort compares UTF-16 units). */
export function pySorted(items: readonly string[]): string[] {
  return [...items].sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  // One is a prefix of the other: the shorter first.
  return a.length - b.length;
}
