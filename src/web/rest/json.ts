/**
 * An XML-RPC result as JSON, the way Supvisors' Flask application writes what its XML-RPC proxy
 * returned: ints as integers, doubles as Python writes floats (`1.0`, `1e-05`), structs as
 * objects. Written by hand rather than JSON.stringify with a replacer: an integral double must
 * keep its `.0` (a typed client tells a float from an int by it), which a replacer cannot do.
 * Written into a ByteWriter, as the XML-RPC encoder does: a 1000-process getAllProcessInfo is
 * ~60,000 pieces, which as an array of strings to join outlived the daemon's 1 MiB young
 * generation and were copied and promoted by the scavenger (bench scenario 15).
 */
import { ByteWriter } from "../../supervisord/rpc/byte-writer.js";
import { pythonFloatRepr } from "../../supervisord/rpc/python-float.js";
import { RpcDouble, type RpcValue } from "../../supervisord/rpc/values.js";

export function rpcToJson(v: RpcValue): string {
  return rpcToJsonBytes(v).toString("utf8");
}

/** The JSON text as UTF-8 bytes (a view of the writer's buffer), followed by `suffix`. */
export function rpcToJsonBytes(v: RpcValue, suffix = ""): Buffer {
  const w = new ByteWriter();
  write(v, w);
  if (suffix) w.write(suffix);
  return w.bytes();
}

/** `"key":` per struct key: process-info structs repeat the same few keys. */
const keys = new Map<string, string>();

function write(v: RpcValue, out: ByteWriter): void {
  switch (typeof v) {
    case "string":
      out.write(JSON.stringify(v));
      return;
    case "number":
      // The XML-RPC encoder writes a non-integral number as a double, an integral one as an int.
      out.write(Number.isInteger(v) ? String(v) : float(v));
      return;
    case "boolean":
      out.write(v ? "true" : "false");
      return;
  }
  if (v === null) out.write("null");
  else if (v instanceof RpcDouble) out.write(float(v.value));
  else if (Array.isArray(v)) {
    out.write("[");
    for (let i = 0; i < v.length; i++) {
      if (i) out.write(",");
      write(v[i]!, out);
    }
    out.write("]");
  } else if (Buffer.isBuffer(v)) out.write(JSON.stringify(v.toString("base64")));
  else if (v instanceof Date) out.write(JSON.stringify(v.toISOString()));
  else {
    out.write("{");
    let first = true;
    for (const k in v) {
      const x = v[k];
      if (x === undefined) continue;
      let key = keys.get(k);
      if (key === undefined) {
        key = `${JSON.stringify(k)}:`;
        if (keys.size < 1024) keys.set(k, key);
      }
      if (!first) out.write(",");
      out.write(key);
      first = false;
      write(x, out);
    }
    out.write("}");
  }
}

/** Python's json module would write inf and nan as Infinity and NaN, which JSON parsers refuse: null. */
function float(x: number): string {
  return Number.isFinite(x) ? pythonFloatRepr(x) : "null";
}
