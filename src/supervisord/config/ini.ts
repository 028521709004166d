/**
 * The INI dialect of Python 3's `RawConfigParser(inline_comment_prefixes=(';', '#'), strict=False)`
 * as supervisord configures it, ported rule for rule from CPython's `_read` (including its
 * quirks: which inline `;`/`#` counts as a comment, blank lines kept inside values, first `=` or
 * `:` wins, merged duplicate sections). Unlike ConfigParser it remembers where every section and
 * option came from, so errors can name file:line.
 */
import { ConfigError } from "./errors.js";
import { pythonStrRepr } from "../text.js";
import { pyIsSpace, pyRstrip, pyStrip } from "./pystr.js";

export interface IniEntry {
  readonly value: string;
  readonly file: string;
  /** Line of the `key = value` line (continuations follow it). */
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  /** File and header line where the section first appeared. */
  readonly file: string;
  readonly line: number;
  readonly options: Map<string, IniEntry>;
}

const DEFAULT_SECTION = "DEFAULT";
const INLINE_COMMENT_PREFIXES = [";", "#"] as const;
const FULL_LINE_COMMENT_PREFIXES = ["#", ";"] as const;
const SECTION_RE = /^\[(.+)\]/;
const OPTION_RE = /^(.*?)[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([=:])[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(.*)$/s;

/** Lines as Python's text-mode file iteration yields them: universal newlines, each ending in "\n" except maybe the last. */
export function pythonLines(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = normalized.indexOf("\n", start);
    if (nl < 0) {
      if (start < normalized.length) lines.push(normalized.slice(start));
      return lines;
    }
    lines.push(normalized.slice(start, nl + 1));
    start = nl + 1;
  }
}

/** CPython's inline comment search: rounds over the prefixes, stopping at the first round that finds one after whitespace. */
function inlineCommentStart(line: string): number | null {
  let commentStart: number | null = null;
  let prefixes = new Map<string, number>(INLINE_COMMENT_PREFIXES.map((p) => [p, -1]));
  while (commentStart === null && prefixes.size > 0) {
    const next = new Map<string, number>();
    for (const [prefix, prev] of prefixes) {
      const index = line.indexOf(prefix, prev + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || (index > 0 && pyIsSpace(line[index - 1]))) {
        commentStart = commentStart === null ? index : Math.min(commentStart, index);
      }
    }
    prefixes = next;
  }
  return commentStart;
}

interface PendingEntry {
  pieces: string[];
  file: string;
  line: number;
}

export class IniDocument {
  private readonly sectionMap = new Map<string, IniSection>();
  private readonly defaults = new Map<string, IniEntry>();

  /** Parse `text` (the contents of `fpname`) into this document, merging with what is there. */
  read(text: string, fpname: string): void {
    const pending = new Map<Map<string, IniEntry>, Map<string, PendingEntry>>();
    let cursect: Map<string, IniEntry> | null = null;
    let optname: string | null = null;
    let indentLevel = 0;
    let errors: { lineno: number; line: string }[] = [];
    const lines = pythonLines(text);
    const pendingOf = (sect: Map<string, IniEntry>): Map<string, PendingEntry> => {
      let p = pending.get(sect);
      if (!p) {
        p = new Map();
        pending.set(sect, p);
      }
      return p;
    };

    lines.forEach((line, idx) => {
      const lineno = idx + 1;
      let commentStart = inlineCommentStart(line);
      const stripped = pyStrip(line);
      for (const prefix of FULL_LINE_COMMENT_PREFIXES) {
        if (stripped.startsWith(prefix)) {
          commentStart = 0;
          break;
        }
      }
      const value = pyStrip(commentStart === null ? line : line.slice(0, commentStart));
      if (!value) {
        // Python keeps blank lines inside a value (empty_lines_in_values), but not comment lines.
        if (commentStart === null && cursect !== null && optname) {
          const cur = pendingOf(cursect).get(optname);
          if (cur) cur.pieces.push("");
        }
        return;
      }
      let firstNonSpace = 0;
      while (firstNonSpace < line.length && pyIsSpace(line[firstNonSpace])) firstNonSpace++;
      const curIndent = firstNonSpace < line.length ? firstNonSpace : 0;
      if (cursect !== null && optname && curIndent > indentLevel) {
        pendingOf(cursect).get(optname)?.pieces.push(value);
        return;
      }
      indentLevel = curIndent;
      const sectMatch = SECTION_RE.exec(value);
      if (sectMatch) {
        const sectname = sectMatch[1]!;
        const existing = this.sectionMap.get(sectname);
        if (existing) {
          cursect = existing.options;
        } else if (sectname === DEFAULT_SECTION) {
          cursect = this.defaults;
        } else {
          const created: IniSection = { name: sectname, file: fpname, line: lineno, options: new Map() };
          this.sectionMap.set(sectname, created);
          cursect = created.options;
        }
        optname = null;
        return;
      }
      if (cursect === null) {
        throw new ConfigError(
          `File contains no section headers.\nfile: ${pythonStrRepr(fpname)}, line: ${lineno}\n${pythonStrRepr(line)}`,
          "PARSE",
          { file: fpname, line: lineno },
        );
      }
      const optMatch = OPTION_RE.exec(value);
      if (optMatch) {
        const rawName = optMatch[1]!;
        if (!rawName) errors.push({ lineno, line });
        optname = pyRstrip(rawName).toLowerCase();
        const optval = pyStrip(optMatch[3]!);
        pendingOf(cursect).set(optname, { pieces: [optval], file: fpname, line: lineno });
        // Keep insertion order of ConfigParser: a re-set key keeps its original position.
        cursect.set(optname, { value: optval, file: fpname, line: lineno });
      } else {
        errors.push({ lineno, line });
      }
    });

    // _join_multiline_values: pieces joined with "\n", trailing whitespace dropped.
    for (const [sect, entries] of pending) {
      for (const [name, entry] of entries) {
        sect.set(name, { value: pyRstrip(entry.pieces.join("\n")), file: entry.file, line: entry.line });
      }
    }
    if (errors.length > 0) {
      let message = `Source contains parsing errors: ${pythonStrRepr(fpname)}`;
      for (const e of errors) message += `\n\t[line ${String(e.lineno).padStart(2, " ")}]: ${pythonStrRepr(e.line)}`;
      const first = errors[0]!;
      errors = [];
      throw new ConfigError(message, "PARSE", { file: fpname, line: first.lineno });
    }
  }

  /** Section names in order of first appearance (ConfigParser.sections(); DEFAULT excluded). */
  sections(): string[] {
    return [...this.sectionMap.keys()];
  }

  hasSection(name: string): boolean {
    return this.sectionMap.has(name);
  }

  section(name: string): IniSection | undefined {
    return this.sectionMap.get(name);
  }

  /** ConfigParser.get(section, option): the section's value, else [DEFAULT]'s; option name is lower-cased. */
  get(section: string, option: string): IniEntry | undefined {
    const key = option.toLowerCase();
    return this.sectionMap.get(section)?.options.get(key) ?? this.defaults.get(key);
  }

  /** ConfigParser.options(section): the section's keys then [DEFAULT]'s. */
  options(section: string): string[] {
    const own = this.sectionMap.get(section)?.options;
    const keys = new Set<string>(own ? own.keys() : []);
    for (const k of this.defaults.keys()) keys.add(k);
    return [...keys];
  }

  /** Set an option's value, keeping the location it came from (used by the %(here)s substitution). */
  set(section: string, option: string, value: string, from: { file: string; line: number }): void {
    const sect = this.sectionMap.get(section);
    if (!sect) throw new Error(`no section ${section}`);
    sect.options.set(option.toLowerCase(), { value, file: from.file, line: from.line });
  }

  /** True when a [DEFAULT] section supplied any key. */
  hasDefaults(): boolean {
    return this.defaults.size > 0;
  }

  /**
   * supervisord's expand_here: replace the literal text `%(here)s` in every value (of every
   * section, including values inherited from [DEFAULT]) by `here`.
   */
  expandHere(here: string): void {
    const HERE = "%(here)s";
    for (const name of this.sections()) {
      for (const opt of this.options(name)) {
        const entry = this.get(name, opt)!;
        if (entry.value.includes(HERE)) this.set(name, opt, entry.value.split(HERE).join(here), entry);
      }
    }
  }
}
