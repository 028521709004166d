/**
 * Scenario 16: the cost of readiness checks (ours; supervisord has none). One daemon of ours with
 * 1000 running processes (`sleep`), each with a readiness check every second (readiness_interval
 * = 1), against the same daemon and processes without checks (the reference). Variants:
 * - tcp: `tcp://127.0.0.1:<port>` against ONE listening port the benchmark owns (it accepts and
 *   closes), so the daemon pays 1000 connects/s and nothing else;
 * - command: `command:true`, a fork+exec per check (1000 short children/s).
 * Measured: the daemon's CPU (all threads, schedstat) over the window, once every process is ready.
 * The machine column of the tcp row is a floor: a bare node process doing the same 1000 connects/s
 * (25 every 25 ms, reset on connect) to the same port, its own CPU over the same window.
 */
import { execFile } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { withDaemon, type Daemon } from "../lib/daemon.js";
import { cpuNs } from "../lib/proc.js";
import type { Context } from "../lib/results.js";
import { nowMs, sleep, waitFor } from "../lib/stats.js";
import { structs } from "../lib/rpc.js";

const N = 1000;

type Variant = "none" | "tcp" | "command";

function programs(variant: Variant, port: number): string {
  const check =
    variant === "tcp"
      ? `readiness_check = tcp://127.0.0.1:${port}\nreadiness_interval = 1\n`
      : variant === "command"
        ? "readiness_check = command:true\nreadiness_interval = 1\n"
        : "";
  return `[program:p]\ncommand = /bin/sleep 100000\nprocess_name = p_%(process_num)d\nnumprocs = ${N}\nstartsecs = 0\nstopsignal = KILL\nstdout_logfile = NONE\nstderr_logfile = NONE\n${check}`;
}

async function allReady(d: Daemon, variant: Variant): Promise<void> {
  await waitFor(
    async () => {
      const all = structs(await d.rpc("supervisor.getAllProcessInfo"));
      return all.length === N && all.every((p) => p.statename === "RUNNING" && (variant === "none" || p.readiness === "ready"));
    },
    180_000,
    `${N} processes RUNNING${variant === "none" ? "" : " and ready"}`,
    500,
  );
}

/** The floor: what 1000 connect+reset per second cost a bare node process (% of a core). */
const FLOOR = `
const net = require("node:net"), fs = require("node:fs");
const [port, n, ms] = process.argv.slice(1).map(Number);
const cpu = () => fs.readdirSync("/proc/self/task").reduce((a, t) => a + Number(fs.readFileSync("/proc/self/task/" + t + "/schedstat", "utf8").split(" ")[0]), 0);
const one = () => { const s = net.connect({ host: "127.0.0.1", port }); s.on("connect", () => s.resetAndDestroy()); s.on("error", () => s.destroy()); };
const iv = setInterval(() => { for (let i = 0; i < n / 40; i++) one(); }, 25);
setTimeout(() => { const c0 = cpu(), t0 = Date.now(); setTimeout(() => { clearInterval(iv); console.log(((cpu() - c0) / 1e6 / (Date.now() - t0)) * 100); }, ms); }, 2000);
`;

function floorPct(port: number, windowMs: number): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--max-semi-space-size=1", "-e", FLOOR, String(port), String(N), String(windowMs)], (err, stdout) =>
      err ? reject(err) : resolve(Number(stdout.trim())),
    ),
  );
}

export async function readinessCost(ctx: Context): Promise<void> {
  const S = "16 readiness";
  const windowMs = 20_000;
  const cpu = {
    none: ctx.results.metric(S, `daemon CPU % of a core, ${N} processes, no checks`),
    tcp: ctx.results.metric(S, `daemon CPU % of a core, ${N} tcp checks at 1 s`),
    command: ctx.results.metric(S, `daemon CPU % of a core, ${N} command:true checks at 1 s`),
  };
  const cost = {
    tcp: ctx.results.metric(S, `cost of ${N} tcp checks at 1 s, % of a core`),
    command: ctx.results.metric(S, `cost of ${N} command checks at 1 s, % of a core`),
  };
  const checks = ctx.results.metric(S, `tcp checks done per s (expected ${N})`, { text: `>= ${N * 0.95}`, check: (o) => o >= N * 0.95 });
  // The connects themselves (kernel loopback handshakes, node's net.Socket) are the floor; the
  // daemon should add little to them.
  const overFloor = ctx.results.metric(S, "tcp checks: ours / bare node floor (CPU)", { text: "<= 1.5", check: (o) => o <= 1.5 });

  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    s.on("error", () => {});
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    for (let rep = 0; rep < ctx.reps; rep++) {
      const variants: Variant[] = rep % 2 === 0 ? ["none", "tcp", "command"] : ["command", "tcp", "none"];
      const pct: Partial<Record<Variant, number>> = {};
      for (const v of variants) {
        await withDaemon("ours", programs(v, port), async (d) => {
          await allReady(d, v);
          // Past the start burst: checks settle on their 1 s cadence.
          await sleep(3000);
          const a0 = accepted;
          const ns0 = cpuNs(d.pid);
          const t0 = nowMs();
          await sleep(windowMs);
          const p = ((cpuNs(d.pid) - ns0) / 1e6 / (nowMs() - t0)) * 100;
          const rate = ((accepted - a0) * 1000) / (nowMs() - t0);
          pct[v] = p;
          cpu[v].add("ours", p);
          if (v === "tcp") checks.add("ours", rate);
          ctx.log(`readiness ${v}: daemon ${p.toFixed(2)} % of a core over ${(windowMs / 1000).toFixed(0)} s${v === "tcp" ? `, ${rate.toFixed(0)} checks/s` : ""}`);
        });
      }
      const floor = await floorPct(port, windowMs);
      cpu.tcp.add("machine", floor);
      ctx.log(`floor: a bare node process doing ${N} connects/s: ${floor.toFixed(2)} % of a core`);
      cost.tcp.add("ours", pct.tcp! - pct.none!);
      overFloor.add("ours", (pct.tcp! - pct.none!) / floor);
      cost.command.add("ours", pct.command! - pct.none!);
    }
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
