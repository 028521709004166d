/**
 * XML-RPC decoders on top of saxes.
 *
 * - decodeMethodCall: the server side, as lenient as supervisord's own `loads` (spec §8.2),
 *   which mimics ElementTree: every element's "text" is replaced by its decoded value as it
 *   closes; `<value>` takes its first child's value or its own text; unknown type elements
 *   (`<i8>`, `<nil/>`) pass their raw text (so `<i8>5</i8>` arrives as "5", `<nil/>` as null);
 *   base64 arrives as text; `<params>` may be missing.
 * - decodeMethodResponse: the client side, like Python's xmlrpc.client.loads (strict types,
 *   `<i8>`/`<nil/>` understood, base64 → Buffer, dateTime → Date).
 *
 * Both walk the document as a stream of frames and keep only what a parent can still use, with
 * caps on nesting depth and element count so hostile documents fail fast with XmlRpcParseError.
 */
import { SaxesParser } from "saxes";
import { parsePythonFloat } from "./python-float.js";
import { RpcDouble, type RpcValue } from "./values.js";

export type XmlRpcParseReason = "unmarshallable" | "no method name";

export class XmlRpcParseError extends Error {
  readonly code = "XMLRPC_PARSE";
  constructor(
    readonly reason: XmlRpcParseReason,
    readonly detail: string,
  ) {
    super(`XML-RPC data is invalid: ${reason} (${detail})`);
    this.name = "XmlRpcParseError";
  }
}

export interface DecodeLimits {
  /** Deepest element nesting accepted. */
  maxDepth: number;
  /** Most elements accepted in one document. */
  maxElements: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxDepth: 256, maxElements: 2_000_000 };

/** A closed element as its parent sees it. `kids` is kept only where the parent may need it. */
interface Closed {
  tag: string;
  value: unknown;
  kids: Closed[] | null;
}

interface Frame {
  tag: string;
  /** Text before the first child element (ElementTree's `.text`); null when there is none. */
  text: string | null;
  sawChild: boolean;
  kids: Closed[] | null;
  keepKidsOfKids: boolean;
}

type CloseFn = (tag: string, text: string | null, kids: Closed[]) => unknown;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function toText(body: string | Buffer): string {
  if (typeof body === "string") return body;
  try {
    return utf8.decode(body);
  } catch {
    throw new XmlRpcParseError("unmarshallable", "body is not valid UTF-8");
  }
}

/**
 * Streams the document through saxes, calling `close` for every element, with the element's
 * own text and the closed children it kept. `retains(tag, parentTag)` says whether an element
 * keeps its children (and `kidsRetainKids(tag)` whether those children keep theirs, for
 * struct members).
 */
function walk(
  body: string | Buffer,
  limits: DecodeLimits,
  retains: (tag: string) => boolean,
  kidsRetainKids: (tag: string) => boolean,
  close: CloseFn,
): void {
  const text = toText(body);
  const parser = new SaxesParser({ position: false });
  const stack: Frame[] = [];
  let elements = 0;
  let failure: unknown = null;
  const addText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (!top || top.sawChild) return;
    top.text = top.text === null ? t : top.text + t;
  };
  parser.on("error", (e) => {
    failure ??= e;
    throw e;
  });
  parser.on("opentag", (tag) => {
    if (++elements > limits.maxElements) throw new XmlRpcParseError("unmarshallable", "too many elements");
    if (stack.length >= limits.maxDepth) throw new XmlRpcParseError("unmarshallable", "nesting too deep");
    const parent = stack[stack.length - 1];
    if (parent) parent.sawChild = true;
    const keep = retains(tag.name) || (parent?.keepKidsOfKids ?? false);
    stack.push({
      tag: tag.name,
      text: null,
      sawChild: false,
      kids: keep ? [] : null,
      keepKidsOfKids: kidsRetainKids(tag.name),
    });
  });
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    const frame = stack.pop()!;
    const value = close(frame.tag, frame.text, frame.kids ?? []);
    const parent = stack[stack.length - 1];
    if (parent?.kids) parent.kids.push({ tag: frame.tag, value, kids: frame.kids });
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof XmlRpcParseError) throw e;
    throw new XmlRpcParseError("unmarshallable", e instanceof Error ? e.message : String(e));
  }
  if (failure) throw new XmlRpcParseError("unmarshallable", String(failure));
}

const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const ISO8601 = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Python's int(text), as far as XML-RPC numbers go. */
function parsePyInt(text: string | null): number {
  if (text === null || !PY_INT.test(text)) throw new XmlRpcParseError("unmarshallable", `bad int ${text}`);
  return Number(text.replace(/_/g, "").trim());
}

/** Python's float(text). */
function parsePyFloat(text: string | null): number {
  const x = text === null ? null : parsePythonFloat(text);
  if (x === null) throw new XmlRpcParseError("unmarshallable", `bad double ${text}`);
  return x;
}

/** time.strptime(text, "%Y%m%dT%H:%M:%S") as a Date built from UTC fields. */
function parseIso8601(text: string | null): Date {
  const m = ISO8601.exec((text ?? "").trim());
  if (!m) throw new XmlRpcParseError("unmarshallable", `bad dateTime ${text}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 61) {
    throw new XmlRpcParseError("unmarshallable", `bad dateTime ${text}`);
  }
  return date;
}

function structFrom(kids: Closed[], keyOf: (k: Closed) => string, valueOf: (v: Closed) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of kids) {
    const pair = member.kids;
    if (!pair || pair.length !== 2) throw new XmlRpcParseError("unmarshallable", "struct member without name and value");
    Object.defineProperty(out, keyOf(pair[0]!), {
      value: valueOf(pair[1]!),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Server side: supervisord's lenient unmarshalling.

const SERVER_RETAINS = new Set(["value", "array", "data", "struct", "param", "params"]);

export interface MethodCall {
  methodName: string;
  params: RpcValue[];
}

export function decodeMethodCall(body: string | Buffer, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): MethodCall {
  let method: string | null = null;
  let params: RpcValue[] | null = null;
  walk(
    body,
    limits,
    (tag) => SERVER_RETAINS.has(tag),
    (tag) => tag === "struct",
    (tag, text, kids) => {
      switch (tag) {
        case "int":
        case "i4":
          return parsePyInt(text);
        case "boolean":
          return text === "1";
        case "string":
          return text ?? "";
        case "double":
          return parsePyFloat(text);
        case "dateTime.iso8601":
          return parseIso8601(text);
        case "array":
        case "param":
          if (kids.length === 0) throw new XmlRpcParseError("unmarshallable", `<${tag}> without child`);
          return kids[0]!.value;
        case "data":
          return kids.map((k) => k.value);
        case "struct":
          return structFrom(
            kids,
            (k) => (k.value === null || k.value === undefined ? "" : String(k.value)),
            (v) => v.value,
          );
        case "base64":
          return toText(Buffer.from(text ?? "", "base64"));
        case "value":
          return kids.length > 0 ? kids[0]!.value : (text ?? "");
        case "methodName":
          method = text;
          return text;
        case "params":
          params = kids.map((k) => k.value as RpcValue);
          return text;
        default:
          return text;
      }
    },
  );
  if (!method) throw new XmlRpcParseError("no method name", "no <methodName> or an empty one");
  return { methodName: method, params: params ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Client side: Python xmlrpc.client semantics.

export type MethodResponse =
  | { kind: "ok"; value: RpcValue }
  | { kind: "fault"; faultCode: number; faultString: string };

const CLIENT_RETAINS = new Set(["value", "array", "data", "struct", "member", "param", "params", "fault"]);
const NO_VALUE = Symbol("no value");

export interface ResponseDecodeOptions {
  /** `<double>` as RpcDouble, for a client that prints values as Python does (`5.0`, not `5`). */
  readonly keepDoubles?: boolean;
}

export function decodeMethodResponse(
  body: string | Buffer,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  opts: ResponseDecodeOptions = {},
): MethodResponse {
  let params: RpcValue[] | null = null;
  let fault: unknown = NO_VALUE;
  let root: string | null = null;
  walk(
    body,
    limits,
    (tag) => CLIENT_RETAINS.has(tag),
    () => false,
    (tag, text, kids) => {
      root = tag;
      switch (tag) {
        case "int":
        case "i1":
        case "i2":
        case "i4":
        case "i8":
        case "biginteger":
          return parsePyInt(text);
        case "boolean":
          if (text === "0") return false;
          if (text === "1") return true;
          throw new XmlRpcParseError("unmarshallable", `bad boolean value ${text}`);
        case "double":
        case "float":
        case "bigdecimal":
          return opts.keepDoubles ? new RpcDouble(parsePyFloat(text)) : parsePyFloat(text);
        case "string":
        case "name":
          return text ?? "";
        case "nil":
          return null;
        case "base64":
          return Buffer.from(text ?? "", "base64");
        case "dateTime.iso8601":
          return parseIso8601(text);
        case "value":
          return kids.length > 0 ? kids[0]!.value : (text ?? "");
        case "data":
          return kids.filter((k) => k.tag === "value").map((k) => k.value);
        case "array": {
          const data = kids.find((k) => k.tag === "data");
          if (!data) throw new XmlRpcParseError("unmarshallable", "<array> without <data>");
          return data.value;
        }
        case "member":
          return null;
        case "struct":
          return structFrom(
            kids.filter((k) => k.tag === "member"),
            (k) => String(k.value),
            (v) => v.value,
          );
        case "param":
          if (kids.length === 0) throw new XmlRpcParseError("unmarshallable", "<param> without value");
          return kids[0]!.value;
        case "params":
          params = kids.map((k) => k.value as RpcValue);
          return null;
        case "fault":
          if (kids.length === 0) throw new XmlRpcParseError("unmarshallable", "<fault> without value");
          fault = kids[0]!.value;
          return null;
        default:
          return text;
      }
    },
  );
  if (root !== "methodResponse") throw new XmlRpcParseError("unmarshallable", "not a methodResponse");
  if (fault !== NO_VALUE) {
    const f = fault as { faultCode?: unknown; faultString?: unknown } | null;
    if (!f || typeof f !== "object" || typeof f.faultCode !== "number" || typeof f.faultString !== "string") {
      throw new XmlRpcParseError("unmarshallable", "malformed fault");
    }
    return { kind: "fault", faultCode: f.faultCode, faultString: f.faultString };
  }
  const p = params as RpcValue[] | null;
  if (!p || p.length !== 1) throw new XmlRpcParseError("unmarshallable", "response must hold exactly one param");
  return { kind: "ok", value: p[0]! };
}
