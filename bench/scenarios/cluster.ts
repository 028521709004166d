/**
 * Scenario 9: the Supvisors cluster. Formation of 3, 10 and 30 instances (spawn to OPERATION on
 * every instance), loss detection after SIGKILL and after SIGSTOP (time until another instance no
 * longer reports the victim RUNNING), and the idle cost of an instance in a 3-instance cluster next
 * to a lone daemon. Supvisors 0.19 cannot run in this repository's benchmark (it needs its own
 * Python environment: shared/oracle/supvisors/README.md), so its figures measured on this machine
 * are printed beside ours, as the issue gives them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePortPair, httpXmlRpc, instanceStates, poll, stateOf, TestCluster, type ClusterInstance } from "../../test/helpers/cluster.js";
import { OUR_SUPERVISORD } from "../../test/helpers/daemon.js";
import { CLK_TCK, cpuTicks, rssKiB } from "../lib/proc.js";
import type { Context } from "../lib/results.js";
import { nowMs, sleep } from "../lib/stats.js";

/** Supvisors 0.19 on this machine (issue 17): what ours is printed next to. */
export const SUPVISORS_FIGURES = {
  formation3: "28.7 s (median)",
  killLoss: "0-4 s",
  stopLoss: "10-14 s",
};

async function formation(ctx: Context, size: number): Promise<number> {
  const t0 = nowMs();
  const cluster = await TestCluster.create({ size });
  try {
    const master = cluster.instances[0]!.identifier;
    await cluster.waitAll(async (i) => {
      const s = await stateOf(i);
      return s.fsm_statename === "OPERATION" && s.master_identifier === master;
    }, `OPERATION on ${size} instances`, 120_000);
    return (nowMs() - t0) / 1000;
  } finally {
    await cluster.teardown();
  }
}

async function lossDetection(victim: ClusterInstance, observer: ClusterInstance, sig: "SIGKILL" | "SIGSTOP"): Promise<number> {
  const t0 = nowMs();
  victim.signal(sig);
  await poll(async () => ((await instanceStates(observer))[victim.identifier] !== "RUNNING" ? true : undefined), 30_000, "loss seen", 5);
  return (nowMs() - t0) / 1000;
}

/** A lone daemon with the same inet server, no Supvisors section. */
async function loneDaemonIdle(seconds: number): Promise<{ cpuPct: number; rssMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), "bench-lone-"));
  const port = await freePortPair();
  const conf = join(dir, "supervisord.conf");
  writeFileSync(conf, `[supervisord]\nnodaemon=true\nlogfile=${dir}/log\npidfile=${dir}/pid\n[inet_http_server]\nport=127.0.0.1:${port}\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`);
  const child = spawn(process.execPath, [OUR_SUPERVISORD, "-c", conf], { stdio: "ignore" });
  try {
    await poll(async () => ((await httpXmlRpc("127.0.0.1", port, "supervisor.getState", []).then(() => true, () => false)) ? true : undefined), 20_000, "lone daemon");
    await sleep(3000);
    return await idleOf(child.pid!, seconds);
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

async function idleOf(pid: number, seconds: number): Promise<{ cpuPct: number; rssMiB: number }> {
  const [t0, c0] = [nowMs(), cpuTicks(pid)];
  await sleep(seconds * 1000);
  const [t1, c1] = [nowMs(), cpuTicks(pid)];
  return { cpuPct: (100 * (c1 - c0)) / CLK_TCK / ((t1 - t0) / 1000), rssMiB: rssKiB(pid) / 1024 };
}

export async function cluster(ctx: Context): Promise<void> {
  const r = ctx.results;
  const sizes = ctx.quick ? [3, 10] : [3, 10, 30];
  for (const size of sizes) {
    const m = r.metric("9 cluster", `formation of ${size}: spawn to OPERATION everywhere, s${size === 3 ? ` (Supvisors: ${SUPVISORS_FIGURES.formation3})` : ""}`, size === 3 ? { text: "< 3 s", check: (o) => o < 3 } : undefined);
    for (let rep = 0; rep < (size === 30 ? 1 : ctx.reps); rep++) {
      // A failed formation is reported and the other figures are still measured.
      try {
        const s = await formation(ctx, size);
        ctx.log(`formation of ${size}: ${s.toFixed(2)} s`);
        m.add("ours", s);
      } catch (err) {
        ctx.log(`formation of ${size} FAILED: ${(err as Error).message}`);
      }
    }
  }

  const kill = r.metric("9 cluster", `loss detected after SIGKILL, s (Supvisors: ${SUPVISORS_FIGURES.killLoss})`, { text: "< 0.5 s", check: (o) => o < 0.5 });
  const stop = r.metric("9 cluster", `loss detected after SIGSTOP, s (Supvisors: ${SUPVISORS_FIGURES.stopLoss})`, { text: "< 1.5 s", check: (o) => o < 1.5 });
  const c = await TestCluster.create({ size: 3 });
  try {
    const [a0, a1, a2] = c.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    const operating = () => c.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION" && Object.values(await instanceStates(i)).every((s) => s === "RUNNING"), "all RUNNING", 60_000);
    await operating();
    // Idle first, while the cluster is whole.
    await sleep(3000);
    const idle = await idleOf(a1.child!.pid!, ctx.quick ? 5 : 10);
    const lone = await loneDaemonIdle(ctx.quick ? 5 : 10);
    r.metric("9 cluster", "idle CPU % of one core: lone daemon (supervisord column) vs instance of 3").add("real", lone.cpuPct);
    r.metric("9 cluster", "idle CPU % of one core: lone daemon (supervisord column) vs instance of 3").add("ours", idle.cpuPct);
    r.metric("9 cluster", "idle RSS MiB: lone daemon (supervisord column) vs instance of 3").add("real", lone.rssMiB);
    r.metric("9 cluster", "idle RSS MiB: lone daemon (supervisord column) vs instance of 3").add("ours", idle.rssMiB);
    for (let rep = 0; rep < ctx.reps; rep++) {
      kill.add("ours", await lossDetection(a2, a0, "SIGKILL"));
      await a2.waitExit();
      await a2.start();
      await operating();
      stop.add("ours", await lossDetection(a2, a0, "SIGSTOP"));
      a2.signal("SIGCONT");
      await operating();
    }
    void a1;
  } finally {
    await c.teardown();
  }
}
