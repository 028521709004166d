/**
 * Python's repr() of a str, because supervisord's messages embed values with %r
 * (e.g. `value 'FOO' is not a valid signal name`, `invalid literal for int() with base 10: '1.5'`).
 */
export function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === quote) out += "\\" + quote;
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + quote;
}
