/**
 * `npm run bench [-- --quick] [--reps N] [--only 1,4,7] [--profile DIR] [--out FILE]`
 *
 * Runs every scenario on the real supervisord (when installed) and on ours, alternating who goes
 * first, and prints the medians, the ratio ours/reference and PASS/MISS per target, together with
 * the machine's load while each scenario ran. See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { closeAll, hasReal, launchOptions, REAL_SUPERVISORD, REPO, type Kind } from "./lib/daemon.js";
import { recordLoad, type LoadRecord } from "./lib/load.js";
import { Results, type Context } from "./lib/results.js";
import { fmt, table } from "./lib/stats.js";
import { applications } from "./scenarios/applications.js";
import { dashboard } from "./scenarios/dashboard.js";
import { cluster } from "./scenarios/cluster.js";
import { events } from "./scenarios/events.js";
import { publicationThroughput, statisticsCost } from "./scenarios/statistics.js";
import { crashRestart } from "./scenarios/crash-restart.js";
import { eventLatency } from "./scenarios/event-latency.js";
import { fleet } from "./scenarios/fleet.js";
import { forkExec } from "./scenarios/forkexec.js";
import { logCapture } from "./scenarios/log-capture.js";
import { rest } from "./scenarios/rest.js";
import { readinessCost } from "./scenarios/readiness.js";
import { metricsScrape } from "./scenarios/metrics.js";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    reps: { type: "string" },
    only: { type: "string" },
    profile: { type: "string" },
    out: { type: "string" },
  },
});

const quick = opts.quick!;
const reps = Number(opts.reps ?? (quick ? 1 : 3));
const only = opts.only ? new Set(opts.only.split(",").map((s) => s.trim())) : null;
const kinds: Kind[] = hasReal ? ["real", "ours"] : ["ours"];
if (opts.profile) {
  const dir = resolve(opts.profile);
  mkdirSync(dir, { recursive: true });
  launchOptions.nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${dir}`);
}

const started = Date.now();
const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`;
const results = new Results();
const ctx: Context = { quick, reps, kinds, results, log: (m) => console.error(`${stamp()} ${m}`) };
const loads: LoadRecord[] = [];

/** Scenario groups in run order: which scenario numbers each covers, and how to run it. */
const sizes = quick ? [200] : [200, 1000];
const detailN = sizes[sizes.length - 1]!;
const plan: { covers: string[]; name: string; run: () => Promise<void> }[] = [
  { covers: ["8"], name: "8 fork+exec floor", run: () => forkExec(ctx) },
  ...sizes.flatMap((n) =>
    [0, 1].map((ss) => ({
      covers: n === detailN && ss === 0 ? ["1", "2", "3", "5"] : ["1", "2"],
      name: `1/2${n === detailN && ss === 0 ? "/3/5" : ""} fleet N=${n} startsecs=${ss}`,
      run: () => fleet(ctx, n, ss, n === detailN && ss === 0),
    })),
  ),
  { covers: ["4"], name: "4 log capture", run: () => logCapture(ctx) },
  { covers: ["6"], name: "6 crash-restart", run: () => crashRestart(ctx) },
  { covers: ["7"], name: "7 event latency startsecs=0", run: () => eventLatency(ctx, 0) },
  { covers: ["7"], name: "7 event latency startsecs=1", run: () => eventLatency(ctx, 1) },
  { covers: ["9"], name: "9 Supvisors cluster", run: () => cluster(ctx) },
  { covers: ["10"], name: "10 Supvisors applications", run: () => applications(ctx) },
  { covers: ["11"], name: "11 Supvisors event interface", run: () => events(ctx) },
  { covers: ["12"], name: "12 Supvisors statistics cost", run: () => statisticsCost(ctx) },
  { covers: ["13"], name: "13 Supvisors publication throughput", run: () => publicationThroughput(ctx) },
  { covers: ["14"], name: "14 Supvisors dashboard", run: () => dashboard(ctx) },
  { covers: ["15"], name: "15 REST API", run: () => rest(ctx) },
  { covers: ["16"], name: "16 readiness checks cost", run: () => readinessCost(ctx) },
  { covers: ["17"], name: "17 /metrics scrape", run: () => metricsScrape(ctx) },
];

function machine(): string[] {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
    } catch {
      return "?";
    }
  };
  return [
    `date: ${new Date().toISOString()}, commit ${sh("git", ["-C", REPO, "rev-parse", "--short", "HEAD"])}`,
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, kernel ${sh("uname", ["-r"])}`,
    `node ${process.version}; supervisord ${hasReal ? sh(REAL_SUPERVISORD, ["--version"]) : "(not installed: ours only)"}`,
    `mode: ${quick ? "quick" : "full"}, ${reps} repetition(s) per daemon, alternating which daemon goes first`,
  ];
}

function report(): string {
  const header = ["scenario", "metric", "machine", "supervisord", "ours", "ours/ref", "target", "result"];
  const loadHeader = ["scenario", "load1 before", "load1 after", "CPU busy % quiet 1 s before", "CPU busy % during", "duration s"];
  const loadRows = loads.map((l) => [l.scenario, fmt(l.loadBefore), fmt(l.loadAfter), fmt(l.quietBusyPct), fmt(l.busyPct), fmt(l.seconds)]);
  const verdicts = results.metrics.map((m) => m.verdict()).filter(Boolean);
  return [
    ...machine().map((l) => `- ${l}`),
    "",
    table(header, results.metrics.map((m) => m.row())),
    "",
    `targets: ${verdicts.filter((v) => v === "PASS").length} PASS, ${verdicts.filter((v) => v !== "PASS").length} MISS`,
    "",
    "Machine load per scenario (all CPUs; 'during' includes the benchmark itself):",
    "",
    table(loadHeader, loadRows),
    ...(results.notes.length ? ["", ...results.notes.map((n) => `- ${n}`)] : []),
  ].join("\n");
}

async function main(): Promise<void> {
  for (const line of machine()) ctx.log(line);
  for (const step of plan) {
    if (only && !step.covers.some((c) => only.has(c))) continue;
    ctx.log(`== ${step.name}`);
    try {
      await recordLoad(step.name, loads, step.run);
    } catch (e) {
      results.notes.push(`${step.name} failed: ${(e as Error).message}`);
      ctx.log(`!! ${step.name} failed: ${(e as Error).stack}`);
      await closeAll();
    }
  }
  const text = report();
  console.log(`\n${text}`);
  if (opts.out) writeFileSync(opts.out, `${text}\n`);
  ctx.log(`done in ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping every daemon`);
    void closeAll().finally(() => process.exit(130));
  });
}

await main();
