/** Namespecs: `group:process`, `group:*`, `group:`, or `name` meaning `name:name` (spec §3.6). */

export type Namespec =
  | { readonly kind: "process"; readonly group: string; readonly process: string }
  | { readonly kind: "group"; readonly group: string };

export function splitNamespec(spec: string): Namespec {
  const i = spec.indexOf(":");
  if (i < 0) return { kind: "process", group: spec, process: spec };
  const group = spec.slice(0, i);
  const process = spec.slice(i + 1);
  if (process === "" || process === "*") return { kind: "group", group };
  return { kind: "process", group, process };
}

export function makeNamespec(group: string, process: string): string {
  return group === process ? process : `${group}:${process}`;
}
