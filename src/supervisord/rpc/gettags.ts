/**
 * supervisord's `gettags`: reads javadoc-like `@tag type name text` lines from a docstring.
 * system.methodSignature is built from it, so any method documented this way (ours or a
 * plugin's) gets the same signature the reference would compute.
 */
export interface DocTag {
  readonly line: number;
  readonly tag: string | null;
  readonly datatype: string | null;
  readonly name: string | null;
  readonly text: string;
}

export function gettags(comment: string): DocTag[] {
  const tags: DocTag[] = [];
  let tag: string | null = null;
  let datatype: string | null = null;
  let name: string | null = null;
  let tagLine = 0;
  let tagText: string[] = [];
  let lineno = 0;
  for (const raw of comment.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("@")) {
      tags.push({ line: tagLine, tag, datatype, name, text: tagText.join("\n") });
      // Python's line.split(None, 3): at most 4 whitespace-separated parts, the last keeps the rest.
      const parts: string[] = [];
      let rest = line;
      while (parts.length < 3) {
        const m = /^(\S+)\s*/.exec(rest);
        if (!m) break;
        parts.push(m[1]!);
        rest = rest.slice(m[0].length);
      }
      if (rest.length > 0) parts.push(rest);
      datatype = parts[1] ?? "";
      name = parts[2] ?? "";
      tagText = parts.length === 4 ? [parts[3]!.trimStart()] : [];
      tag = parts[0]!.slice(1);
      tagLine = lineno;
    } else if (line) {
      tagText.push(line);
    }
    lineno += 1;
  }
  tags.push({ line: tagLine, tag, datatype, name, text: tagText.join("\n") });
  return tags;
}

/** `[returnType, paramTypes...]`, or null when the doc has no @return (SIGNATURE_UNSUPPORTED). */
export function signatureFromDoc(help: string): string[] | null {
  let rtype: string | null = null;
  const ptypes: string[] = [];
  for (const t of gettags(help)) {
    if (t.tag === "return") rtype = t.datatype;
    else if (t.tag === "param") ptypes.push(t.datatype ?? "");
  }
  return rtype === null ? null : [rtype, ...ptypes];
}
