/**
 * An XML-RPC result as JSON, the way Supvisors' Flask application writes what its XML-RPC proxy
 * returned: ints as integers, doubles as Python writes floats (`1.0`, `1e-05`), structs as
 * objects. Written by hand rather than JSON.stringify with a replacer: an integral double must
 * keep its `.0` (a typed client tells a float from an int by it), which a replacer cannot do.
 */
import { pythonFloatRepr } from "../../supervisord/rpc/python-float.js";
import { RpcDouble, type RpcValue } from "../../supervisord/rpc/values.js";

export function rpcToJson(v: RpcValue): string {
  const out: string[] = [];
  write(v, out);
  return out.join("");
}

function write(v: RpcValue, out: string[]): void {
  switch (typeof v) {
    case "string":
      out.push(JSON.stringify(v));
      return;
    case "number":
      // The XML-RPC encoder writes a non-integral number as a double, an integral one as an int.
      out.push(Number.isInteger(v) ? String(v) : float(v));
      return;
    case "boolean":
      out.push(v ? "true" : "false");
      return;
  }
  if (v === null) out.push("null");
  else if (v instanceof RpcDouble) out.push(float(v.value));
  else if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(",");
      write(v[i]!, out);
    }
    out.push("]");
  } else if (Buffer.isBuffer(v)) out.push(JSON.stringify(v.toString("base64")));
  else if (v instanceof Date) out.push(JSON.stringify(v.toISOString()));
  else {
    out.push("{");
    let first = true;
    for (const k in v) {
      const x = v[k];
      if (x === undefined) continue;
      if (!first) out.push(",");
      first = false;
      out.push(JSON.stringify(k), ":");
      write(x, out);
    }
    out.push("}");
  }
}

/** Python's json module would write inf and nan as Infinity and NaN, which JSON parsers refuse: null. */
function float(x: number): string {
  return Number.isFinite(x) ? pythonFloatRepr(x) : "null";
}
