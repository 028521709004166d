/**
 * `[include] files=`: patterns expanded (here, host_node_name, ENV_), split on whitespace,
 * joined to the main file's directory, globbed, each match read in sorted order into the same
 * document; `%(here)s` is substituted textually per file, as supervisord does once an [include]
 * exists.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { at, locate, type ReadContext } from "./context.js";
import { expand, layered, comparePython } from "./expand.js";
import { pyDirname } from "./datatypes.js";
import { pyGlob } from "./glob.js";
import { pySplitWhitespace } from "./pystr.js";

/** Returns the files read, in order. */
export function processIncludes(ctx: ReadContext, mainFileAbs: string): string[] {
  const { doc } = ctx;
  if (!doc.hasSection("include")) return [];
  doc.expandHere(ctx.here);
  const entry = doc.get("include", "files");
  if (entry === undefined) {
    throw new ConfigError(".ini file has [include] section, but no files setting", "MISSING", locate(ctx, "include"));
  }
  const expansions = layered([["here", ctx.here], ["host_node_name", ctx.hostname]], ctx.environExpansions);
  const patterns = pySplitWhitespace(at(ctx, "include", "files", () => expand(entry.value, expansions, "include.files")));
  const base = pyDirname(mainFileAbs);
  const read: string[] = [];
  for (const p of patterns) {
    const pattern = isAbsolute(p) ? p : pathJoin(base, p);
    const matches = pyGlob(pattern);
    if (matches.length === 0) {
      ctx.messages.warnings.push(`No file matches via include "${pattern}"`);
      continue;
    }
    for (const filename of matches.sort(comparePython)) {
      ctx.messages.infos.push(`Included extra file "${filename}" during parsing`);
      let text: string;
      try {
        text = readFileSync(resolve(ctx.cwd, filename), "utf8");
      } catch {
        // ConfigParser.read skips files it cannot open (e.g. a directory that matched).
        continue;
      }
      doc.read(text, filename);
      read.push(filename);
      doc.expandHere(pyDirname(resolve(ctx.cwd, filename)));
    }
  }
  return read;
}

/** os.path.join(base, p) for a relative p (no normalisation, like Python). */
function pathJoin(base: string, p: string): string {
  if (!base) return p;
  return base.endsWith("/") ? base + p : `${base}/${p}`;
}
