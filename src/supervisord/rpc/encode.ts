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
  // Most strings (names, states, paths) need nothing: one scan instead of two regex replaces.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x26 || c === 0x3c || c === 0x3e || c >= 0xd800) {
      return s.replace(SPECIAL, (ch) => ENTITY[ch]!).replace(INVALID_XML_CHARS, "\uFFFD");
    }
  }
  return s;
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

/** `<member>\n<name>KEY</name>\n` per struct key: process-info structs repeat the same few keys. */
const memberOpenings = new Map<string, string>();
const MAX_CACHED_MEMBERS = 1024;

function memberOpening(key: string): string {
  let text = memberOpenings.get(key);
  if (text === undefined) {
    text = `<member>\n<name>${escapeXmlText(key)}</name>\n`;
    if (memberOpenings.size < MAX_CACHED_MEMBERS) memberOpenings.set(key, text);
  }
  return text;
}

function integerText(v: number): string {
  // String() is exact for safe integers; beyond 2^53 it may switch to exponent notation.
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

/** The XML text of one value. Built by string concatenation (V8 ropes), flattened once by the caller. */
function dumpValue(v: RpcValue, depth: number): string {
  if (depth > MAX_ENCODE_DEPTH) throw new XmlRpcEncodeError("value nested too deeply");
  if (typeof v === "number") {
    if (Number.isInteger(v)) {
      return v >= INT32_MIN && v <= INT32_MAX ? `<value><int>${integerText(v)}</int></value>\n` : `<value><i8>${integerText(v)}</i8></value>\n`;
    }
    return `<value><double>${pythonFloatRepr(v)}</double></value>\n`;
  }
  if (typeof v === "string") return `<value><string>${escapeXmlText(v)}</string></value>\n`;
  if (typeof v === "boolean") return `<value><boolean>${v ? 1 : 0}</boolean></value>\n`;
  if (v === null) return "<value><nil/></value>";
  if (v instanceof RpcDouble) return `<value><double>${pythonFloatRepr(v.value)}</double></value>\n`;
  if (Buffer.isBuffer(v)) return `<value><base64>\n${encodeBytesPython(v)}</base64></value>\n`;
  if (v instanceof Date) return `<value><dateTime.iso8601>${formatIso8601(v)}</dateTime.iso8601></value>\n`;
  if (Array.isArray(v)) {
    let out = "<value><array><data>\n";
    for (const item of v) out += dumpValue(item, depth + 1);
    return out + "</data></array></value>\n";
  }
  if (typeof v === "object") {
    let out = "<value><struct>\n";
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      out += memberOpening(k) + dumpValue((v as Record<string, RpcValue>)[k]!, depth + 1) + "</member>\n";
    }
    return out + "</struct></value>\n";
  }
  throw new XmlRpcEncodeError(`cannot marshal ${typeof v} objects`);
}

/** The `<value>...</value>\n` text of one value. */
export function encodeValue(v: RpcValue): string {
  return dumpValue(v, 0);
}

function encodeParams(params: readonly RpcValue[]): string {
  let out = "<params>\n";
  for (const p of params) out += "<param>\n" + dumpValue(p, 0) + "</param>\n";
  return out + "</params>\n";
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
