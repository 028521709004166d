/**
 * The shared state of one config read (what supervisord keeps on its parser and options
 * objects) and `saneget`, the one way options are fetched: value or default, `%`-expanded
 * against the parser's expansions plus per-call extras, with the option's location attached to
 * any error.
 */
import { ConfigError, ValueProblem } from "./errors.js";
import { expand, layered, type Expansions } from "./expand.js";
import type { IniDocument, IniEntry } from "./ini.js";
import type { PathContext } from "./datatypes.js";
import type { ParseMessage } from "./types.js";
import type { PyValue } from "./pyformat.js";

export interface ReadContext extends PathContext {
  readonly doc: IniDocument;
  /** The main config file as given (supervisord's `self.configfile`, used in messages). */
  readonly configfile: string;
  /** Absolute directory of the main file. */
  readonly here: string;
  readonly hostname: string;
  /**
   * `ENV_<name>` for supervisord's environment, later extended with [supervisord] environment=
   * keys: this is the parser's own expansion dict, shared and mutated exactly as supervisord does.
   */
  readonly environExpansions: Expansions;
  readonly messages: { criticals: string[]; warnings: string[]; infos: string[] };
}

export function messagesInOrder(m: ReadContext["messages"]): ParseMessage[] {
  return [
    ...m.criticals.map((text) => ({ level: "critical" as const, text })),
    ...m.warnings.map((text) => ({ level: "warn" as const, text })),
    ...m.infos.map((text) => ({ level: "info" as const, text })),
  ];
}

/** Where an option (or, when absent, its section header) is. */
export function locate(ctx: ReadContext, section: string, option?: string): { file?: string; line?: number; section: string; option?: string } {
  const entry = option !== undefined ? ctx.doc.get(section, option) : undefined;
  const sect = ctx.doc.section(section);
  return {
    file: entry?.file ?? sect?.file ?? ctx.configfile,
    line: entry?.line ?? sect?.line,
    section,
    option,
  };
}

/** Run `fn`; a ValueProblem it throws becomes a ConfigError located at section/option. */
export function at<T>(ctx: ReadContext, section: string, option: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ValueProblem) throw new ConfigError(e.message, e.code, locate(ctx, section, option));
    throw e;
  }
}

export interface GetOptions {
  /** Extra expansion names, layered over the parser's (ENV_...) ones. */
  readonly expansions?: Iterable<[string, PyValue]>;
  /** false: return the raw text (supervisord's do_expand=False). */
  readonly expand?: boolean;
}

/** supervisord's `parser.saneget(section, option, default)` for a string value; null when absent. */
export function saneget(ctx: ReadContext, section: string, option: string, opts: GetOptions = {}): string | null {
  const entry: IniEntry | undefined = ctx.doc.get(section, option);
  if (entry === undefined) return null;
  if (opts.expand === false) return entry.value;
  const combined = layered(ctx.environExpansions, opts.expansions ?? []);
  return at(ctx, section, option, () => expand(entry.value, combined, `${section}.${option}`));
}

/**
 * Fetch with a default, expanding as supervisord does: a string default is expanded too (it
 * never contains `%` in practice), then convert; conversion errors are located at the option.
 */
export function getAs<T>(
  ctx: ReadContext,
  section: string,
  option: string,
  fallback: string | null,
  convert: (v: string) => T,
  opts: GetOptions = {},
): T | null {
  const raw = saneget(ctx, section, option, opts);
  const value = raw ?? fallback;
  if (value === null) return null;
  return at(ctx, section, option, () => convert(value));
}

/** Like getAs but with a non-null fallback, so the result is never null. */
export function getReq<T>(
  ctx: ReadContext,
  section: string,
  option: string,
  fallback: string,
  convert: (v: string) => T,
  opts: GetOptions = {},
): T {
  return getAs(ctx, section, option, fallback, convert, opts) as T;
}
