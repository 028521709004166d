/** Namespec helpers, exactly as supervisor.options does them (spec §3.6). */

/** `g:p` → [g, p]; `g:` or `g:*` → [g, null] (whole group); `x` → [x, x]. */
export function splitNamespec(namespec: string): [group: string, process: string | null] {
  const i = namespec.indexOf(":");
  if (i < 0) return [namespec, namespec];
  const group = namespec.slice(0, i);
  const process = namespec.slice(i + 1);
  return [group, process === "" || process === "*" ? null : process];
}

export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}
