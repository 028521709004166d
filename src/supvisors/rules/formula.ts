/**
 * The operational_status formula (spec §3.8): `and`, `or`, `not`, parentheses, `any(x)` / `all(x)`
 * and string literals naming processes (exact name, else a fully anchored regex). Parsed once at
 * load time (a syntax error stops start-up); evaluated over the processes' statuses, where
 * anything unresolvable is an "error" (a major failure), as Supvisors' evaluator does.
 */
export type Formula =
  | { readonly kind: "name"; readonly value: string }
  | { readonly kind: "call"; readonly fn: "any" | "all"; readonly arg: Formula }
  | { readonly kind: "and" | "or"; readonly args: readonly Formula[] }
  | { readonly kind: "not"; readonly arg: Formula };

export class FormulaSyntaxError extends Error {
  override readonly name = "FormulaSyntaxError";
}

type Token = { t: "str"; v: string } | { t: "word"; v: string } | { t: "(" } | { t: ")" };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      out.push({ t: c });
      i++;
    } else if (c === "'" || c === '"') {
      let v = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new FormulaSyntaxError("unterminated string");
        const d = src[i]!;
        if (d === c) break;
        if (d === "\\" && i + 1 < src.length) {
          const e = src[i + 1]!;
          // Python keeps unknown escapes (\d, \w...) as written, which regexes rely on.
          v += e === c || e === "\\" ? e : `\\${e}`;
          i += 2;
          continue;
        }
        v += d;
        i++;
      }
      i++;
      out.push({ t: "str", v });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: "word", v: m[0] });
      i += m[0].length;
    } else {
      throw new FormulaSyntaxError(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return out;
}

export function parseFormula(src: string): Formula {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isWord = (w: string) => {
    const t = peek();
    return t?.t === "word" && t.v === w;
  };
  const orExpr = (): Formula => {
    const args = [andExpr()];
    while (isWord("or")) {
      pos++;
      args.push(andExpr());
    }
    return args.length === 1 ? args[0]! : { kind: "or", args };
  };
  const andExpr = (): Formula => {
    const args = [notExpr()];
    while (isWord("and")) {
      pos++;
      args.push(notExpr());
    }
    return args.length === 1 ? args[0]! : { kind: "and", args };
  };
  const notExpr = (): Formula => {
    if (isWord("not")) {
      pos++;
      return { kind: "not", arg: notExpr() };
    }
    return atom();
  };
  const atom = (): Formula => {
    const t = toks[pos++];
    if (!t) throw new FormulaSyntaxError("unexpected end of formula");
    if (t.t === "str") return { kind: "name", value: t.v };
    if (t.t === "(") {
      const e = orExpr();
      if (toks[pos++]?.t !== ")") throw new FormulaSyntaxError("')' expected");
      return e;
    }
    if (t.t === "word" && (t.v === "any" || t.v === "all")) {
      if (toks[pos++]?.t !== "(") throw new FormulaSyntaxError(`'(' expected after ${t.v}`);
      const arg = orExpr();
      if (toks[pos++]?.t !== ")") throw new FormulaSyntaxError(`')' expected to close ${t.v}(`);
      return { kind: "call", fn: t.v, arg };
    }
    throw new FormulaSyntaxError(t.t === "word" ? `unsupported name ${t.v}` : `unexpected ${t.t}`);
  };
  if (toks.length === 0) throw new FormulaSyntaxError("empty formula");
  const f = orExpr();
  if (pos !== toks.length) throw new FormulaSyntaxError("one expression expected");
  return f;
}

class EvalError extends Error {}

/** The formula over process name -> status; "error" when it cannot be resolved. */
export function evaluateFormula(f: Formula, statuses: ReadonlyMap<string, boolean>): boolean | "error" {
  const ev = (n: Formula): boolean | boolean[] => {
    switch (n.kind) {
      case "name": {
        const exact = statuses.get(n.value);
        if (exact !== undefined) return exact;
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${n.value})$`);
        } catch {
          throw new EvalError();
        }
        const hits = [...statuses.entries()].filter(([name]) => re.test(name)).map(([, s]) => s);
        if (hits.length === 0) throw new EvalError();
        return hits.length === 1 ? hits[0]! : hits;
      }
      case "call": {
        const v = ev(n.arg);
        const list = typeof v === "boolean" ? [v] : v;
        return n.fn === "any" ? list.some(Boolean) : list.every(Boolean);
      }
      case "and":
      case "or": {
        const vs = n.args.map(ev);
        if (vs.some((v) => typeof v !== "boolean")) throw new EvalError();
        return n.kind === "and" ? vs.every(Boolean) : vs.some(Boolean);
      }
      case "not": {
        const v = ev(n.arg);
        if (typeof v !== "boolean") throw new EvalError();
        return !v;
      }
    }
  };
  try {
    const r = ev(f);
    return typeof r === "boolean" ? r : "error";
  } catch {
    return "error";
  }
}
