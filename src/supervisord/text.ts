/**
 * Turning child output bytes into text the way supervisord does wherever bytes must become text
 * (debug log lines, event payloads): valid UTF-8 is decoded, anything else becomes
 * `Undecodable: ` + Python's bytes repr of the whole chunk (spec §6.1).
 */

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Python's repr() of a str, wherever supervisord embeds a value with %r (config errors, log lines
 * about request data, listener names): quotes chosen like Python, non-printable characters
 * (str.isprintable() false) escaped as \xNN, \uNNNN or \UNNNNNNNN.
 */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

export function pythonStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === " " || !NON_PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x100) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + quote;
}


/** Python's repr() of a bytes object, e.g. b'caf\xc3\xa9 \xff\n'. */
export function pythonBytesRepr(buf: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of buf) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = "b" + quote;
  for (const b of buf) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === quote.charCodeAt(0)) out += "\\" + quote;
    else if (b < 0x20 || b >= 0x7f) out += "\\x" + b.toString(16).padStart(2, "0");
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

/** UTF-8 text of the chunk, or `Undecodable: b'...'` when it is not valid UTF-8. */
export function decodeChunk(buf: Uint8Array): string {
  try {
    return decoder.decode(buf);
  } catch {
    return "Undecodable: " + pythonBytesRepr(buf);
  }
}
