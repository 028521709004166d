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
import { ByteWriter } from "./byte-writer.js";

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

/** Writes the XML text of one value. */
function dumpValue(w: ByteWriter, v: RpcValue, depth: number): void {
  if (depth > MAX_ENCODE_DEPTH) throw new XmlRpcEncodeError("value nested too deeply");
  if (typeof v === "number") {
    if (Number.isInteger(v)) {
      w.write(v >= INT32_MIN && v <= INT32_MAX ? `<value><int>${integerText(v)}</int></value>\n` : `<value><i8>${integerText(v)}</i8></value>\n`);
    } else {
      w.write(`<value><double>${pythonFloatRepr(v)}</double></value>\n`);
    }
  } else if (typeof v === "string") {
    w.write("<value><string>");
    w.write(escapeXmlText(v));
    w.write("</string></value>\n");
  } else if (typeof v === "boolean") {
    w.write(v ? "<value><boolean>1</boolean></value>\n" : "<value><boolean>0</boolean></value>\n");
  } else if (v === null) {
    w.write("<value><nil/></value>");
  } else if (v instanceof RpcDouble) {
    w.write(`<value><double>${pythonFloatRepr(v.value)}</double></value>\n`);
  } else if (Buffer.isBuffer(v)) {
    w.write(`<value><base64>\n${encodeBytesPython(v)}</base64></value>\n`);
  } else if (v instanceof Date) {
    w.write(`<value><dateTime.iso8601>${formatIso8601(v)}</dateTime.iso8601></value>\n`);
  } else if (Array.isArray(v)) {
    w.write("<value><array><data>\n");
    for (const item of v) dumpValue(w, item, depth + 1);
    w.write("</data></array></value>\n");
  } else if (typeof v === "object") {
    w.write("<value><struct>\n");
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      w.write(memberOpening(k));
      dumpValue(w, (v as Record<string, RpcValue>)[k]!, depth + 1);
      w.write("</member>\n");
    }
    w.write("</struct></value>\n");
  } else {
    throw new XmlRpcEncodeError(`cannot marshal ${typeof v} objects`);
  }
}

function writeParams(w: ByteWriter, params: readonly RpcValue[]): void {
  w.write("<params>\n");
  for (const p of params) {
    w.write("<param>\n");
    dumpValue(w, p, 0);
    w.write("</param>\n");
  }
  w.write("</params>\n");
}

/** The `<value>...</value>\n` text of one value. */
export function encodeValue(v: RpcValue): string {
  const w = new ByteWriter();
  dumpValue(w, v, 0);
  return w.bytes().toString("utf8");
}

/** A `methodCall` document as UTF-8 bytes (what a client sends). */
export function encodeMethodCallBytes(method: string, params: readonly RpcValue[]): Buffer {
  const w = new ByteWriter();
  w.write(XML_HEADER + "<methodCall>\n<methodName>" + escapeXmlText(method) + "</methodName>\n");
  writeParams(w, params);
  w.write("</methodCall>\n");
  return w.bytes();
}

/** A `methodCall` document as xmlrpc.client.dumps(params, method) writes it. */
export function encodeMethodCall(method: string, params: readonly RpcValue[]): string {
  return encodeMethodCallBytes(method, params).toString("utf8");
}

/** A successful `methodResponse` as UTF-8 bytes (what the server sends). */
export function encodeResponseBytes(value: RpcValue): Buffer {
  const w = new ByteWriter();
  w.write(XML_HEADER + "<methodResponse>\n");
  writeParams(w, [value]);
  w.write("</methodResponse>\n");
  return w.bytes();
}

/** A successful `methodResponse` with one value (xmlrpc.client.dumps((v,), methodresponse=True)). */
export function encodeResponse(value: RpcValue): string {
  return encodeResponseBytes(value).toString("utf8");
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
