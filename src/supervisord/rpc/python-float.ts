/**
 * Python's repr() of a float, which is what xmlrpc.client writes inside `<double>` (and, at the end,
 * its float() of a text).
 * Both languages print the shortest round-tripping digits; they differ only in layout:
 * Python uses fixed notation for decimal exponents -4..15 (always with a fractional part,
 * e.g. `3.0`) and scientific notation otherwise with a sign and at least two exponent digits
 * (`1e+16`, `1e-05`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() without an argument gives the shortest round-tripping digits.
  const [mant, expText] = Math.abs(x).toExponential().split("e");
  const exp = Number(expText);
  const digits = mant!.replace(".", "");
  if (exp >= -4 && exp < 16) {
    let out: string;
    if (exp < 0) {
      out = "0." + "0".repeat(-exp - 1) + digits;
    } else if (digits.length > exp + 1) {
      out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
    } else {
      out = digits + "0".repeat(exp + 1 - digits.length) + ".0";
    }
    return sign + out;
  }
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  const e = (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(2, "0");
  return sign + m + "e" + e;
}

/** Python's float(text): decimal or exponent forms, `_` between digits, inf/nan, outer spaces; null if float() raises. */
const PY_FLOAT =
  /^\s*[+-]?(?:(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?|inf(?:inity)?|nan)\s*$/i;

export function parsePythonFloat(text: string): number | null {
  if (!PY_FLOAT.test(text)) return null;
  const t = text.replace(/_/g, "").trim().toLowerCase();
  const bare = t.replace(/^[+-]/, "");
  if (bare.startsWith("inf")) return t.startsWith("-") ? -Infinity : Infinity;
  if (bare === "nan") return Number.NaN;
  return Number(t);
}
