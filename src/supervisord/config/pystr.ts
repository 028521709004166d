/** Python's str.isspace()/strip() whitespace set (JS \s differs: it includes U+FEFF, lacks U+001C-U+001F and U+0085). */
const SPACE_CHARS = "\t\n\v\f\r \x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
const SPACE_SET = new Set(SPACE_CHARS);

export function pyIsSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE_SET.has(ch);
}

export function pyStrip(s: string): string {
  return pyRstrip(pyLstrip(s));
}
export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && SPACE_SET.has(s[i]!)) i++;
  return s.slice(i);
}
export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && SPACE_SET.has(s[j - 1]!)) j--;
  return s.slice(0, j);
}
/** Python's str.split() without arguments: split on runs of whitespace, no empty strings. */
export function pySplitWhitespace(s: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (const ch of s) {
    if (SPACE_SET.has(ch)) {
      if (cur) out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}
