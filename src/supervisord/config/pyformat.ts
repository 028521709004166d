/**
 * Python's `str % mapping` (printf-style formatting with a dict), because supervisord passes
 * nearly every config value through `value % expansions`: users write `%(process_num)02d`,
 * `%%` and, by accident, things like `%d` or `50%`, and the result or the error text must be
 * what Python would produce. Only what a mapping argument can reach is implemented.
 */
import { pythonStrRepr } from "../text.js";

export type PyValue = string | number;
export type PyMapping = ReadonlyMap<string, PyValue>;

/** A Python exception raised by formatting; `pyType` is its class name, message is str(exc). */
export class PyFormatError extends Error {
  override readonly name = "PyFormatError";
  constructor(
    readonly pyType: "KeyError" | "ValueError" | "TypeError",
    message: string,
  ) {
    super(message);
  }
}

/** The whole-mapping argument used by a bare `%s` (Python formats the dict itself). */
const WHOLE_MAPPING = Symbol("mapping");
type Arg = PyValue | typeof WHOLE_MAPPING;

interface Spec {
  flags: string;
  width: number | null;
  precision: number | null;
  conv: string;
}

function typeName(v: Arg): string {
  if (v === WHOLE_MAPPING) return "dict";
  return typeof v === "number" ? "int" : "str";
}

function mappingRepr(m: PyMapping): string {
  const parts: string[] = [];
  for (const [k, v] of m) parts.push(`${pythonStrRepr(k)}: ${typeof v === "number" ? String(v) : pythonStrRepr(v)}`);
  return "{" + parts.join(", ") + "}";
}

function toStr(v: Arg, m: PyMapping): string {
  if (v === WHOLE_MAPPING) return mappingRepr(m);
  return String(v);
}
function toRepr(v: Arg, m: PyMapping): string {
  if (v === WHOLE_MAPPING) return mappingRepr(m);
  return typeof v === "number" ? String(v) : pythonStrRepr(v);
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  const total = sign.length + body.length;
  if (total >= width) return sign + body;
  const fill = width - total;
  if (spec.flags.includes("-")) return sign + body + " ".repeat(fill);
  if (numeric && spec.flags.includes("0")) return sign + "0".repeat(fill) + body;
  return " ".repeat(fill) + sign + body;
}

function signOf(negative: boolean, flags: string): string {
  if (negative) return "-";
  if (flags.includes("+")) return "+";
  if (flags.includes(" ")) return " ";
  return "";
}

function formatInteger(v: number, spec: Spec): string {
  const n = Math.trunc(v);
  const neg = n < 0;
  const abs = Math.abs(n);
  let digits: string;
  let prefix = "";
  switch (spec.conv) {
    case "o":
      digits = abs.toString(8);
      if (spec.flags.includes("#")) prefix = "0o";
      break;
    case "x":
      digits = abs.toString(16);
      if (spec.flags.includes("#")) prefix = "0x";
      break;
    case "X":
      digits = abs.toString(16).toUpperCase();
      if (spec.flags.includes("#")) prefix = "0X";
      break;
    default:
      digits = String(abs);
  }
  if (spec.precision !== null && digits.length < spec.precision) digits = "0".repeat(spec.precision - digits.length) + digits;
  return pad(digits, signOf(neg, spec.flags) + prefix, spec, true);
}

function exponentForm(v: number, prec: number, upper: boolean): string {
  const s = v.toExponential(prec); // e.g. 7.000000e+0
  const [mant, exp] = s.split("e") as [string, string];
  const expSign = exp.startsWith("-") ? "-" : "+";
  const expDigits = exp.replace(/^[+-]/, "").padStart(2, "0");
  const out = `${mant}e${expSign}${expDigits}`;
  return upper ? out.toUpperCase() : out;
}

function formatFloat(v: number, spec: Spec): string {
  const neg = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  const alt = spec.flags.includes("#");
  const upper = spec.conv === spec.conv.toUpperCase();
  let body: string;
  if (!Number.isFinite(abs)) {
    body = Number.isNaN(abs) ? "nan" : "inf";
    if (upper) body = body.toUpperCase();
    return pad(body, signOf(neg && !Number.isNaN(abs), spec.flags), spec, false);
  }
  const conv = spec.conv.toLowerCase();
  if (conv === "f") {
    body = abs.toFixed(spec.precision ?? 6);
    if (alt && !body.includes(".")) body += ".";
  } else if (conv === "e") {
    body = exponentForm(abs, spec.precision ?? 6, upper);
  } else {
    let p = spec.precision ?? 6;
    if (p === 0) p = 1;
    const exp = abs === 0 ? 0 : Math.floor(Math.log10(Number(abs.toExponential(p - 1))));
    if (exp >= -4 && exp < p) {
      body = abs.toFixed(Math.max(0, p - 1 - exp));
      if (!alt && body.includes(".")) body = body.replace(/\.?0+$/, "");
    } else {
      body = exponentForm(abs, p - 1, upper);
      if (!alt) body = body.replace(/\.?0+(?=[eE])/, "");
    }
  }
  return pad(body, signOf(neg, spec.flags), spec, true);
}

function convert(v: Arg, spec: Spec, m: PyMapping): string {
  switch (spec.conv) {
    case "s":
    case "r":
    case "a": {
      let s = spec.conv === "s" ? toStr(v, m) : toRepr(v, m);
      if (spec.precision !== null) s = Array.from(s).slice(0, spec.precision).join("");
      return pad(s, "", spec, false);
    }
    case "d":
    case "i":
    case "u":
      if (typeof v !== "number") throw new PyFormatError("TypeError", `%${spec.conv} format: a real number is required, not ${typeName(v)}`);
      return formatInteger(v, spec);
    case "o":
    case "x":
    case "X":
      if (typeof v !== "number") throw new PyFormatError("TypeError", `%${spec.conv} format: an integer is required, not ${typeName(v)}`);
      return formatInteger(v, spec);
    case "e":
    case "E":
    case "f":
    case "F":
    case "g":
    case "G":
      if (typeof v !== "number") throw new PyFormatError("TypeError", `must be real number, not ${typeName(v)}`);
      return formatFloat(v, spec);
    case "c": {
      if (typeof v === "number") return pad(String.fromCodePoint(v), "", spec, false);
      if (typeof v === "string" && Array.from(v).length === 1) return pad(v, "", spec, false);
      throw new PyFormatError("TypeError", "%c requires int or char");
    }
    default:
      throw new Error("unreachable conversion " + spec.conv);
  }
}

const CONVERSIONS = "sradiuoxXeEfFgGc";

/** `fmt % mapping` with Python 3 semantics. Throws PyFormatError with Python's message. */
export function pythonPercentFormat(fmt: string, mapping: PyMapping): string {
  let out = "";
  let i = 0;
  let usedWhole = false;
  const n = fmt.length;
  const nextArg = (): Arg => {
    if (usedWhole) throw new PyFormatError("TypeError", "not enough arguments for format string");
    usedWhole = true;
    return WHOLE_MAPPING;
  };
  while (i < n) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (i >= n) throw new PyFormatError("ValueError", "incomplete format");
    if (fmt[i] === "%") {
      out += "%";
      i++;
      continue;
    }
    let arg: Arg | undefined;
    if (fmt[i] === "(") {
      let depth = 1;
      const keyStart = ++i;
      while (i < n && depth > 0) {
        if (fmt[i] === ")") depth--;
        else if (fmt[i] === "(") depth++;
        i++;
      }
      if (depth > 0) throw new PyFormatError("ValueError", "incomplete format key");
      const key = fmt.slice(keyStart, i - 1);
      const v = mapping.get(key);
      if (v === undefined) throw new PyFormatError("KeyError", pythonStrRepr(key));
      arg = v;
    }
    let flags = "";
    while (i < n && "-+ #0".includes(fmt[i]!)) flags += fmt[i++];
    let width: number | null = null;
    if (fmt[i] === "*") {
      nextArg();
      throw new PyFormatError("TypeError", "* wants int");
    }
    while (i < n && fmt[i]! >= "0" && fmt[i]! <= "9") width = (width ?? 0) * 10 + Number(fmt[i++]);
    let precision: number | null = null;
    if (fmt[i] === ".") {
      i++;
      precision = 0;
      if (fmt[i] === "*") {
        nextArg();
        throw new PyFormatError("TypeError", "* wants int");
      }
      while (i < n && fmt[i]! >= "0" && fmt[i]! <= "9") precision = precision * 10 + Number(fmt[i++]);
    }
    while (i < n && "hlL".includes(fmt[i]!)) i++;
    if (i >= n) throw new PyFormatError("ValueError", "incomplete format");
    const conv = fmt.codePointAt(i)!;
    const convCh = String.fromCodePoint(conv);
    if (!CONVERSIONS.includes(convCh)) {
      // Python evaluates the argument before rejecting the conversion character.
      if (arg === undefined) nextArg();
      throw new PyFormatError(
        "ValueError",
        `unsupported format character ${pythonStrRepr(convCh)} (0x${conv.toString(16)}) at index ${i}`,
      );
    }
    if (arg === undefined) arg = nextArg();
    out += convert(arg, { flags, width, precision, conv: convCh }, mapping);
    i += convCh.length;
  }
  return out;
}
