/**
 * Bits of Python text behaviour supervisorctl's output depends on: `%-Ns` padding (counts code
 * points, not UTF-16 units), str.split() with no argument, cmd.Cmd's line parsing and columnize.
 */

/** Python's `'%-Ns' % s` / `s.ljust(n)`. */
export function ljust(s: string, width: number): string {
  const len = [...s].length;
  return len >= width ? s : s + " ".repeat(width - len);
}

/** Python's `str.split()` without arguments: split on whitespace runs, drop empty ends. */
export function pySplit(s: string): string[] {
  return s.split(/[\s\x1c-\x1f\x85]+/u).filter((w) => w !== "");
}

/** Python's `str.strip()` without arguments. */
export function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, "");
}

const IDENT = /[A-Za-z0-9_]/;

export interface ParsedLine {
  /** null when the line cannot name a command (e.g. starts with `!`). */
  readonly cmd: string | null;
  readonly arg: string | null;
  /** The stripped line (with a leading `?` rewritten to `help `). */
  readonly line: string;
}

/** cmd.Cmd.parseline: `?x` means `help x`; the command is the leading run of [A-Za-z0-9_]. */
export function parseLine(raw: string): ParsedLine {
  let line = pyStrip(raw);
  if (!line) return { cmd: null, arg: null, line };
  if (line[0] === "?") line = "help " + line.slice(1);
  else if (line[0] === "!") return { cmd: null, arg: null, line };
  let i = 0;
  while (i < line.length && IDENT.test(line[i]!)) i++;
  return { cmd: line.slice(0, i), arg: pyStrip(line.slice(i)), line };
}

/**
 * cmd.Cmd.columnize: the fewest rows whose columns (two spaces apart) fit in displayWidth.
 * Returns the lines without their newline.
 */
export function columnize(list: readonly string[], displayWidth = 80): string[] {
  if (list.length === 0) return ["<empty>"];
  if (list.length === 1) return [list[0]!];
  const size = list.length;
  const len = (s: string) => [...s].length;
  let nrows = 0;
  let ncols = 0;
  let colwidths: number[] = [];
  let fitted = false;
  for (nrows = 1; nrows < size; nrows++) {
    ncols = Math.ceil(size / nrows);
    colwidths = [];
    let totwidth = -2;
    for (let col = 0; col < ncols; col++) {
      let colwidth = 0;
      for (let row = 0; row < nrows; row++) {
        const i = row + nrows * col;
        if (i >= size) break;
        colwidth = Math.max(colwidth, len(list[i]!));
      }
      colwidths.push(colwidth);
      totwidth += colwidth + 2;
      if (totwidth > displayWidth) break;
    }
    if (totwidth <= displayWidth) {
      fitted = true;
      break;
    }
  }
  if (!fitted) {
    nrows = size;
    ncols = 1;
    colwidths = [0];
  }
  const lines: string[] = [];
  for (let row = 0; row < nrows; row++) {
    const texts: string[] = [];
    for (let col = 0; col < ncols; col++) {
      const i = row + nrows * col;
      texts.push(i >= size ? "" : list[i]!);
    }
    while (texts.length && !texts[texts.length - 1]) texts.pop();
    lines.push(texts.map((t, col) => ljust(t, colwidths[col]!)).join("  "));
  }
  return lines;
}
