/**
 * Python's `glob.glob(pattern)` (non-recursive) with `fnmatch` semantics per path segment,
 * because `[include] files=` patterns must match exactly the files Supervisor would read:
 * `*`, `?`, `[...]`/`[!...]`, hidden names only matched by a pattern starting with `.`.
 */
import { lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pyDirname } from "./datatypes.js";

const MAGIC = /[*?[]/;

function hasMagic(s: string): boolean {
  return MAGIC.test(s);
}

function escapeRegex(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** fnmatch.translate, producing a JS regex (null when the class is invalid in JS and can never match). */
export function fnmatchRegex(pat: string): RegExp | null {
  let res = "";
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === "*") {
      while (pat[i] === "*") i++;
      res += ".*";
    } else if (c === "?") {
      res += ".";
    } else if (c === "[") {
      let j = i;
      if (j < n && pat[j] === "!") j++;
      if (j < n && pat[j] === "]") j++;
      while (j < n && pat[j] !== "]") j++;
      if (j >= n) {
        res += "\\[";
      } else {
        let stuff = pat.slice(i, j);
        i = j + 1;
        let negate = false;
        if (stuff.startsWith("!")) {
          negate = true;
          stuff = stuff.slice(1);
        }
        if (!stuff) {
          res += negate ? "." : "(?!)";
          continue;
        }
        let body = "";
        for (let k = 0; k < stuff.length; k++) {
          const ch = stuff[k]!;
          if (ch === "-" && k > 0 && k < stuff.length - 1) body += "-";
          else body += escapeRegex(ch);
        }
        res += `[${negate ? "^" : ""}${body}]`;
      }
    } else {
      res += escapeRegex(c);
    }
  }
  try {
    return new RegExp(`^(?:${res})$`, "s");
  } catch {
    return null;
  }
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(dir: string, dirOnly: boolean): string[] {
  try {
    const entries = readdirSync(dir || ".", { withFileTypes: true });
    return entries
      .filter((e) => !dirOnly || e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir || ".", e.name))))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function globInDir(dir: string, pattern: string, dirOnly: boolean): string[] {
  if (!hasMagic(pattern)) {
    if (!pattern) return isDirectory(dir) ? [""] : [];
    return lexists(join(dir || ".", pattern)) ? [pattern] : [];
  }
  const re = fnmatchRegex(pattern);
  if (!re) return [];
  let names = listDir(dir, dirOnly);
  if (!pattern.startsWith(".")) names = names.filter((nm) => !nm.startsWith("."));
  return names.filter((nm) => re.test(nm));
}

function pathJoin(dir: string, name: string): string {
  if (!dir) return name;
  if (!name) return dir.endsWith("/") ? dir : dir + "/";
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

function splitPath(p: string): [string, string] {
  const i = p.lastIndexOf("/") + 1;
  return [pyDirname(p), p.slice(i)];
}

/** glob.glob(pathname) (unsorted, in directory order like Python). */
export function pyGlob(pathname: string, dirOnly = false): string[] {
  const [dirname, basename] = splitPath(pathname);
  if (!hasMagic(pathname)) {
    if (basename ? lexists(pathname) : isDirectory(dirname)) return [pathname];
    return [];
  }
  if (!dirname) return globInDir("", basename, dirOnly);
  let dirs: string[];
  if (dirname !== pathname && hasMagic(dirname)) dirs = pyGlob(dirname, true);
  else dirs = [dirname];
  const out: string[] = [];
  for (const d of dirs) {
    for (const name of globInDir(d, basename, dirOnly)) out.push(pathJoin(d, name));
  }
  return out;
}
