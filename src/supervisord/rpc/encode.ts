/**
 * XML-RPC encoder producing exactly the layout of Python's `xmlrpc.client.dumps`, which is what
 * supervisord sends (spec §8.3), so byte comparisons with the reference hold.
 *
 * One deliberate difference: text that cannot appear in an XML 1.0 document (control characters
 * other than TAB/LF/CR, U+FFFE/U+FFFF and lone UTF-16 surrogates) is replaced with U+FFFD.
 * The reference emits such characters raw, which makes the whole reply ill-formed and makes
 * Python clients fail with `ExpatError: not well-formed` (e.g. tailing a log with a NUL byte).
 * U+FFFD is the standard "undecodable character" mark, cannot be confused with real text, and
 * keeps the reply valid for every XML parser.
 */
import { INT32_MAX, INT32_MIN, RpcDouble, type RpcValue } from "./values.js";
import { pythonFloatRepr } from "./python-float.js";

export class XmlRpcEncodeError extends Error {
  readonly code = "XMLRPC_ENCODE";
  constructor(message: string) {
    super(message);
    this.name = "XmlRpcEncodeError";
  }
}

const XML_HEADER = "<?xml version='1.0'?>\n";
const MAX_ENCODE_DEPTH = 1000;

// Characters outside the XML 1.0 Char production, plus lone surrogates.
const INVALID_XML_CHARS =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>]/g;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Escapes like Python's xmlrpc `escape` (only & < >) and replaces non-XML characters. */
export function escapeXmlText(s: string): string {
  return s.replace(SPECIAL, (c) => ENTITY[c]!).replace(INVALID_XML_CHARS, "\uFFFD");
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** `YYYYMMDDTHH:MM:SS` from the Date's UTC fields (Python writes naive datetimes). */
export function formatIso8601(d: Date): string {
  return (
    String(d.getUTCFullYear()).padStart(4, "0") +
    pad2(d.getUTCMonth() + 1) +
    pad2(d.getUTCDate()) +
    "T" +
    pad2(d.getUTCHours()) +
    ":" +
    pad2(d.getUTCMinutes()) +
    ":" +
    pad2(d.getUTCSeconds())
  );
}

/** base64.encodebytes: lines of at most 76 characters, each ending with a newline. */
function encodeBytesPython(b: Buffer): string {
  const s = b.toString("base64");
  let out = "";
  for (let i = 0; i < s.length; i += 76) out += s.slice(i, i + 76) + "\n";
  return out;
}

function dumpValue(v: RpcValue, out: string[], depth: number): void {
  if (depth > MAX_ENCODE_DEPTH) throw new XmlRpcEncodeError("value nested too deeply");
  if (typeof v === "number") {
    if (Number.isInteger(v)) {
      const tag = v >= INT32_MIN && v <= INT32_MAX ? "int" : "i8";
      out.push(`<value><${tag}>${BigInt(v).toString()}</${tag}></value>\n`);
    } else {
      out.push(`<value><double>${pythonFloatRepr(v)}</double></value>\n`);
    }
  } else if (typeof v === "string") {
    out.push(`<value><string>${escapeXmlText(v)}</string></value>\n`);
  } else if (typeof v === "boolean") {
    out.push(`<value><boolean>${v ? 1 : 0}</boolean></value>\n`);
  } else if (v === null) {
    out.push("<value><nil/></value>");
  } else if (v instanceof RpcDouble) {
    out.push(`<value><double>${pythonFloatRepr(v.value)}</double></value>\n`);
  } else if (Buffer.isBuffer(v)) {
    out.push(`<value><base64>\n${encodeBytesPython(v)}</base64></value>\n`);
  } else if (v instanceof Date) {
    out.push(`<value><dateTime.iso8601>${formatIso8601(v)}</dateTime.iso8601></value>\n`);
  } else if (Array.isArray(v)) {
    out.push("<value><array><data>\n");
    for (const item of v) dumpValue(item, out, depth + 1);
    out.push("</data></array></value>\n");
  } else if (typeof v === "object") {
    out.push("<value><struct>\n");
    for (const [k, item] of Object.entries(v)) {
      out.push(`<member>\n<name>${escapeXmlText(k)}</name>\n`);
      dumpValue(item, out, depth + 1);
      out.push("</member>\n");
    }
    out.push("</struct></value>\n");
  } else {
    throw new XmlRpcEncodeError(`cannot marshal ${typeof v} objects`);
  }
}

/** The `<value>...</value>\n` text of one value. */
export function encodeValue(v: RpcValue): string {
  const out: string[] = [];
  dumpValue(v, out, 0);
  return out.join("");
}

function encodeParams(params: readonly RpcValue[]): string {
  const out: string[] = ["<params>\n"];
  for (const p of params) {
    out.push("<param>\n");
    dumpValue(p, out, 0);
    out.push("</param>\n");
  }
  out.push("</params>\n");
  return out.join("");
}

/** A `methodCall` document as xmlrpc.client.dumps(params, method) writes it. */
export function encodeMethodCall(method: string, params: readonly RpcValue[]): string {
  return (
    XML_HEADER +
    "<methodCall>\n<methodName>" +
    escapeXmlText(method) +
    "</methodName>\n" +
    encodeParams(params) +
    "</methodCall>\n"
  );
}

/** A successful `methodResponse` with one value (xmlrpc.client.dumps((v,), methodresponse=True)). */
export function encodeResponse(value: RpcValue): string {
  return XML_HEADER + "<methodResponse>\n" + encodeParams([value]) + "</methodResponse>\n";
}

/** A fault `methodResponse` (xmlrpc.client.dumps(Fault(code, text))). */
export function encodeFault(code: number, faultString: string): string {
  return (
    XML_HEADER +
    "<methodResponse>\n<fault>\n" +
    encodeValue({ faultCode: code, faultString }) +
    "</fault>\n</methodResponse>\n"
  );
}
