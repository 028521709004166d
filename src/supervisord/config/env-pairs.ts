/**
 * supervisord's `dict_of_key_value_pairs`: `KEY=val,KEY2="v, 2"` tokenised with a non-POSIX
 * shlex (word chars extended with `/.+-():`) and consumed four tokens at a time (key, `=`,
 * value, any separator). Its oddities are user-visible and kept: `A=a b` silently drops `b`,
 * `A=$HOME` yields `$`, a `#` starts a comment, surrounding quotes of the value are stripped.
 */
import { ValueProblem } from "./errors.js";
import { Shlex, ShlexError } from "./shlex.js";

function stripQuotes(s: string): string {
  return s.replace(/^['"]+/, "").replace(/['"]+$/, "");
}

export function dictOfKeyValuePairs(arg: string): Record<string, string> {
  let tokens: string[];
  try {
    tokens = new Shlex(arg, { extraWordchars: "/.+-():" }).tokens();
  } catch (e) {
    // Python lets shlex's ValueError propagate with its own text ("No closing quotation").
    if (e instanceof ShlexError) throw new ValueProblem(e.message);
    throw e;
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < tokens.length; i += 4) {
    const group = tokens.slice(i, i + 3);
    if (group.length !== 3 || group[1] !== "=") {
      throw new ValueProblem(`Unexpected end of key/value pairs in value '${arg}'`);
    }
    out[group[0]!] = stripQuotes(group[2]!);
  }
  return out;
}
