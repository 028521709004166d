/**
 * Python's str() of a decoded XML-RPC argument, for fault details the reference formats with
 * `'%s: %s' % (name, value)` (e.g. sendProcessStdin's `INCORRECT_PARAMETERS: [1, 2]`).
 * null (Python None) has no detail: the reference's RPCError drops a falsy detail.
 */
import { pythonFloatRepr } from "../rpc/python-float.js";
import { pythonStrRepr } from "../text.js";
import { RpcDouble } from "../rpc/values.js";

export function pythonStr(v: unknown): string {
  if (typeof v === "string") return v;
  return pythonRepr(v);
}

function pythonRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pythonFloatRepr(v);
  if (typeof v === "string") return pythonStrRepr(v);
  if (Buffer.isBuffer(v)) return pythonStrRepr(v.toString("utf8"));
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(", ")}]`;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof RpcDouble) return pythonFloatRepr(v.value);
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pythonStrRepr(k)}: ${pythonRepr(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

/** The detail of a fault whose argument may be None (then the fault has no detail). */
export function pythonDetail(v: unknown): string | null {
  return v === null || v === undefined ? null : pythonStr(v);
}
