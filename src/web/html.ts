/**
 * The few text transforms every page needs: HTML escaping (process names and log text are user
 * data), Python's urllib.parse.quote (supervisord quotes namespecs in links and redirects with it)
 * and Python's time.ctime() (the refresh / stopall / restartall messages).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Tagged template for HTML: interpolated values are escaped unless they are `Html` values. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type HtmlValue = string | number | Html | readonly Html[] | null | undefined;

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map((x: Html) => x.text).join("");
  return escapeHtml(String(v));
}

/** Characters Python's quote() never escapes (with its default safe="/"). */
const UNRESERVED = /[A-Za-z0-9_.\-~/]/;
const encoder = new TextEncoder();

/** Python's urllib.parse.quote(text): UTF-8 bytes, `%XX` upper-case, `/` kept. */
export function pyQuote(text: string): string {
  let out = "";
  for (const ch of text) {
    if (UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of encoder.encode(ch)) out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Python's time.ctime() in local time, e.g. `Wed Nov  5 14:22:09 2026` (day padded with a space). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return (
    `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`
  );
}
