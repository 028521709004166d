/**
 * A port of Python's `shlex.shlex` lexer (without punctuation_chars and source inclusion),
 * because supervisord splits `command=` with `shlex.split` (POSIX mode) and tokenises
 * `environment=` with a non-POSIX `shlex.shlex`: both behaviours, quirks included, are visible to
 * users (which quotes survive, what a `#` does, which characters end a word).
 */

/** Python raises a bare ValueError from shlex; the messages are kept verbatim. */
export class ShlexError extends Error {
  override readonly name = "ShlexError";
  readonly code = "SHLEX";
}

const BASE_WORDCHARS = "abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const POSIX_EXTRA_WORDCHARS =
  "ßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ";

export interface ShlexOptions {
  posix?: boolean;
  whitespaceSplit?: boolean;
  /** Comment characters; Python's default is "#" (shlex.split(comments=False) sets ""). */
  commenters?: string;
  /** Characters appended to the default word characters (e.g. supervisord's "/.+-():"). */
  extraWordchars?: string;
}

/** Lexer state: " " = between tokens, "a" = in a word, a quote char, or the escape char. */
type LexState = string | null;

export class Shlex {
  private readonly input: string;
  private pos = 0;
  private readonly posix: boolean;
  private readonly whitespaceSplit: boolean;
  private readonly commenters: string;
  private readonly wordchars: string;
  private readonly whitespace = " \t\r\n";
  private readonly quotes = "'\"";
  private readonly escape = "\\";
  private readonly escapedquotes = '"';
  private state: LexState = " ";
  private token = "";
  private readonly pushback: string[] = [];

  constructor(input: string, opts: ShlexOptions = {}) {
    this.input = input;
    this.posix = opts.posix ?? false;
    this.whitespaceSplit = opts.whitespaceSplit ?? false;
    this.commenters = opts.commenters ?? "#";
    this.wordchars = BASE_WORDCHARS + (this.posix ? POSIX_EXTRA_WORDCHARS : "") + (opts.extraWordchars ?? "");
  }

  /** All tokens until EOF (Python: `list(lexer)`). */
  tokens(): string[] {
    const out: string[] = [];
    for (;;) {
      const tok = this.getToken();
      if (tok === null) return out;
      out.push(tok);
    }
  }

  /** Next token, or null at end of input (Python's eof: None in POSIX mode, '' otherwise). */
  getToken(): string | null {
    if (this.pushback.length > 0) return this.pushback.shift()!;
    const raw = this.readToken();
    if (this.posix) return raw;
    return raw === "" ? null : raw;
  }

  private readChar(): string {
    if (this.pos >= this.input.length) return "";
    // Iterate by code point, like Python's str.
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.pos += ch.length;
    return ch;
  }

  private readLine(): void {
    const nl = this.input.indexOf("\n", this.pos);
    this.pos = nl < 0 ? this.input.length : nl + 1;
  }

  private isWord(ch: string): boolean {
    return ch !== "" && this.wordchars.includes(ch);
  }
  private isIn(set: string, ch: string): boolean {
    return ch !== "" && set.includes(ch);
  }

  private readToken(): string | null {
    let quoted = false;
    let escapedstate = " ";
    for (;;) {
      const next = this.readChar();
      if (this.state === null) {
        this.token = "";
        break;
      } else if (this.state === " ") {
        if (!next) {
          this.state = null;
          break;
        } else if (this.isIn(this.whitespace, next)) {
          if (this.token || (this.posix && quoted)) break;
          continue;
        } else if (this.isIn(this.commenters, next)) {
          this.readLine();
        } else if (this.posix && this.isIn(this.escape, next)) {
          escapedstate = "a";
          this.state = next;
        } else if (this.isWord(next)) {
          this.token = next;
          this.state = "a";
        } else if (this.isIn(this.quotes, next)) {
          if (!this.posix) this.token = next;
          this.state = next;
        } else if (this.whitespaceSplit) {
          this.token = next;
          this.state = "a";
        } else {
          this.token = next;
          if (this.token || (this.posix && quoted)) break;
          continue;
        }
      } else if (this.isIn(this.quotes, this.state)) {
        quoted = true;
        if (!next) throw new ShlexError("No closing quotation");
        if (next === this.state) {
          if (!this.posix) {
            this.token += next;
            this.state = " ";
            break;
          }
          this.state = "a";
        } else if (this.posix && this.isIn(this.escape, next) && this.isIn(this.escapedquotes, this.state)) {
          escapedstate = this.state;
          this.state = next;
        } else {
          this.token += next;
        }
      } else if (this.isIn(this.escape, this.state)) {
        if (!next) throw new ShlexError("No escaped character");
        // In POSIX shells only the quote itself or the escape may be escaped within quotes.
        if (this.isIn(this.quotes, escapedstate) && next !== this.state && next !== escapedstate) {
          this.token += this.state;
        }
        this.token += next;
        this.state = escapedstate;
      } else if (this.state === "a") {
        if (!next) {
          this.state = null;
          break;
        } else if (this.isIn(this.whitespace, next)) {
          this.state = " ";
          if (this.token || (this.posix && quoted)) break;
          continue;
        } else if (this.isIn(this.commenters, next)) {
          this.readLine();
          if (this.posix) {
            this.state = " ";
            if (this.token || (this.posix && quoted)) break;
            continue;
          }
        } else if (this.posix && this.isIn(this.quotes, next)) {
          this.state = next;
        } else if (this.posix && this.isIn(this.escape, next)) {
          escapedstate = "a";
          this.state = next;
        } else if (this.isWord(next) || this.isIn(this.quotes, next) || this.whitespaceSplit) {
          this.token += next;
        } else {
          this.pushback.unshift(next);
          this.state = " ";
          if (this.token || (this.posix && quoted)) break;
          continue;
        }
      }
    }
    const result = this.token;
    this.token = "";
    if (this.posix && !quoted && result === "") return null;
    return result;
  }
}

/** Python's `shlex.split(s)`: POSIX mode, whitespace-split, no comments. Throws ShlexError. */
export function shlexSplit(s: string): string[] {
  return new Shlex(s, { posix: true, whitespaceSplit: true, commenters: "" }).tokens();
}
