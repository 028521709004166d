/**
 * Finds the REST route of a request and turns its path and query parameters into the XML-RPC
 * method's arguments (pure: text in, a decision out). Paths are split on the raw `/` before
 * percent-decoding each segment, so `%2F` stays inside a parameter.
 */
import type { RestArg, RestParam, RestParamType, RestRoute } from "./route-table.js";

export type RestMatch =
  | { readonly kind: "call"; readonly route: RestRoute; readonly rpc: string; readonly args: RestArg[] }
  /** A route matched but a parameter is bad: 400 with Flask-RESTX's `errors` shape. */
  | { readonly kind: "bad-request"; readonly message: string; readonly errors: Readonly<Record<string, string>> }
  /** Routes at that path take other verbs (`allow`: GET and/or POST). */
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] }
  | { readonly kind: "not-found" };

type Segment = { readonly literal: string } | { readonly param: RestParam };

interface CompiledRoute {
  readonly route: RestRoute;
  readonly segments: readonly Segment[];
}

export class RestMatcher {
  /** By segment count, then in table order. */
  private readonly bySize = new Map<number, CompiledRoute[]>();

  constructor(routes: readonly RestRoute[]) {
    for (const route of routes) {
      const segments = route.path
        .split("/")
        .slice(1)
        .map((s): Segment => {
          if (!s.startsWith("{")) return { literal: s };
          const param = route.params.find((p) => p.in === "path" && `{${p.name}}` === s);
          if (!param) throw new Error(`REST route ${route.path}: no path parameter ${s}`);
          return { param };
        });
      const list = this.bySize.get(segments.length) ?? [];
      list.push({ route, segments });
      this.bySize.set(segments.length, list);
    }
  }

  /** The verbs of the routes at a path (none: no route). */
  verbsAt(rawPath: string): string[] {
    const m = this.match("", rawPath, null);
    return m.kind === "method-not-allowed" ? [...m.allow] : [];
  }

  /**
   * `rawPath` is the request's path under the prefix, still percent-encoded (`/supervisor/getState`);
   * `query` the raw query string or null. HEAD is GET without a body (Flask does the same).
   */
  match(verb: string, rawPath: string, query: string | null): RestMatch {
    const raw = rawPath.split("/").slice(1);
    let parts: string[];
    try {
      parts = raw.map((s) => decodeURIComponent(s));
    } catch {
      return { kind: "not-found" };
    }
    const wanted = verb === "HEAD" ? "GET" : verb;
    const allow = new Set<string>();
    let found: CompiledRoute | null = null;
    for (const c of this.bySize.get(parts.length) ?? []) {
      if (!c.segments.every((s, i) => ("literal" in s ? s.literal === parts[i] : parts[i] !== ""))) continue;
      if (c.route.verb === wanted) {
        found = c;
        break;
      }
      allow.add(c.route.verb);
    }
    if (!found) return allow.size === 0 ? { kind: "not-found" } : { kind: "method-not-allowed", allow: [...allow] };
    const values: Record<string, RestArg> = {};
    const errors: Record<string, string> = {};
    found.segments.forEach((s, i) => {
      if ("param" in s) convertInto(s.param, parts[i]!, values, errors);
    });
    const q = new URLSearchParams(query ?? "");
    for (const p of found.route.params) {
      if (p.in !== "query") continue;
      const text = q.get(p.name);
      if (text === null) values[p.name] = p.default ?? "";
      else convertInto(p, text, values, errors);
    }
    const bad = Object.keys(errors);
    if (bad.length) return { kind: "bad-request", message: "Input payload validation failed", errors };
    const args = found.route.args ? found.route.args(values) : found.route.params.map((p) => values[p.name]!);
    return { kind: "call", route: found.route, rpc: found.route.rpc, args };
  }
}

function convertInto(p: RestParam, text: string, values: Record<string, RestArg>, errors: Record<string, string>): void {
  const v = convert(p.type, text);
  if (typeof v === "object" && v !== null && "error" in v) errors[p.name] = v.error;
  else values[p.name] = v;
}

function convert(t: RestParamType, text: string): RestArg | { error: string } {
  switch (t.kind) {
    case "string":
      return text;
    case "integer": {
      if (!(t.signed ? /^-?\d+$/ : /^\d+$/).test(text)) return { error: `${t.signed ? "an integer" : "a non-negative integer"} is expected, not '${text}'` };
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : { error: `'${text}' is out of range` };
    }
    case "number": {
      if (!/^-?\d+(\.\d+)?$/.test(text)) return { error: `a number is expected, not '${text}'` };
      return { double: Number(text) };
    }
    case "boolean": {
      // Flask-RESTX's inputs.boolean, with its message.
      const l = text.toLowerCase();
      if (l === "true" || l === "1") return true;
      if (l === "false" || l === "0") return false;
      return { error: `Invalid literal for boolean(): ${text}` };
    }
    case "enum":
      return t.values.includes(text) ? text : { error: `'${text}' is not one of ${t.values.join(", ")}` };
  }
}
