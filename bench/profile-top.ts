/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench -- --profile DIR`):
 * the functions with the most self time, optionally only between two CLOCK_MONOTONIC instants
 * (V8's sample clock, the one bench/lib/stats.ts nowMs() reads); --from/--to may repeat to sum
 * several windows.
 *
 *   node --import tsx bench/profile-top.ts FILE.cpuprofile [--from MS --to MS]... [--top N]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { from: { type: "string", multiple: true }, to: { type: "string", multiple: true }, top: { type: "string" } } });
process.stdout.on("error", () => process.exit(0)); // e.g. piped into head
const prof = JSON.parse(readFileSync(positionals[0]!, "utf8")) as Profile;
const froms = (values.from ?? ["-Infinity"]).map((x) => Number(x) * 1000);
const tos = (values.to ?? ["Infinity"]).map((x) => Number(x) * 1000);
const inWindow = (t: number) => froms.some((f, i) => t >= f && t <= (tos[i] ?? Infinity));

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.replace(/^.*\/(dist|src|node_modules)\//, "$1/")}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const total = new Map<string, number>();
let t = prof.startTime;
let all = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i + 1] ?? 0;
  t += prof.timeDeltas[i] ?? 0;
  if (!inWindow(t)) return;
  all += dt;
  const n = byId.get(id)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) total.set(l, (total.get(l) ?? 0) + dt), seen.add(l);
  }
});

const top = Number(values.top ?? 25);
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(v / 1000).toFixed(1).padStart(9)} ms ${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
};
show("self time", self);
show("total time (inclusive)", total);
