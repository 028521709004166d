/**
 * Scenarios 1, 2, 3 and 5 share one daemon per repetition: N programs `/bin/sleep 100000`
 * (autostart=false) are started all at once, then (startsecs=0 and the largest N only) the daemon
 * is watched idle and asked getAllProcessInfo many times, then everything is stopped at once.
 */
import { withDaemon } from "../lib/daemon.js";
import { killAllFloor } from "./forkexec.js";
import { order, ratioAtMost, type Context } from "../lib/results.js";
import { sleep } from "../lib/stats.js";
import { idle } from "./idle.js";
import { processInfoLatency } from "./process-info.js";
import { startAll } from "./start-all.js";
import { stopAll } from "./stop-all.js";

export function fleetConfig(n: number, startsecs: number): string {
  return `[program:sleeper]
command = /bin/sleep 100000
process_name = %(program_name)s_%(process_num)04d
numprocs = ${n}
autostart = false
autorestart = false
startsecs = ${startsecs}
redirect_stderr = true
`;
}

export async function fleet(ctx: Context, n: number, startsecs: number, detail: boolean): Promise<void> {
  const { results } = ctx;
  const start = results.metric(`1 start-all N=${n} startsecs=${startsecs}`, "seconds", n >= 1000 ? ratioAtMost(0.2) : undefined);
  const stop = results.metric(`2 stop-all N=${n} startsecs=${startsecs}`, "seconds", n >= 1000 ? ratioAtMost(0.5) : undefined);
  // Where the time goes: ending N processes costs the machine CPU of its own (killall.c's busy
  // column), which both daemons pay on top of their own CPU, on 2 cores.
  const stopCpu = results.metric(`2 stop-all N=${n} startsecs=${startsecs}`, "daemon CPU s (all threads)");
  const stopBusy = results.metric(`2 stop-all N=${n} startsecs=${startsecs}`, "all CPUs busy s (/proc/stat)");
  const infoScenario = `3 getAllProcessInfo N=${n}`;
  const idleScenario = `5 idle N=${n}`;
  const idleS = ctx.quick ? 5 : 10;
  const calls = ctx.quick ? 50 : 200;
  const budgetS = ctx.quick ? 5 : 15;
  // supervisord takes 30-50 s to start 1000 programs here: one repetition fewer keeps the default
  // run under 15 minutes.
  const reps = n >= 1000 ? Math.max(1, ctx.reps - 1) : ctx.reps;
  for (let rep = 0; rep < reps; rep++) {
    if (n >= 1000 && startsecs === 0) {
      const floor = killAllFloor(n);
      stop.add("machine", floor.seconds);
      stopBusy.add("machine", floor.busyS);
      ctx.log(`machine: SIGTERM + reap ${n} sleeping children ${floor.seconds.toFixed(3)} s, all CPUs busy ${floor.busyS.toFixed(2)} s (bench/killall.c)`);
    }
    for (const kind of order(ctx, rep)) {
      await withDaemon(kind, fleetConfig(n, startsecs), async (d) => {
        const s = await startAll(d, n);
        start.add(kind, s);
        let line = `${kind.padEnd(4)} N=${n} startsecs=${startsecs}: start-all ${s.toFixed(2)} s`;
        if (detail) {
          // Let the daemon settle first: after spawning N children, V8's GC helper threads spend
          // ~10 s returning memory (futex/madvise/munmap), which is start-up, not idling.
          await sleep(ctx.quick ? 5000 : 15000);
          const i = await idle(d, idleS);
          results.metric(idleScenario, "CPU % of a core (stat ticks)", ratioAtMost(1.0)).add(kind, i.cpuPct);
          results.metric(idleScenario, "CPU % of a core (schedstat)").add(kind, i.cpuPctFine);
          results.metric(idleScenario, "wake-ups/s (voluntary ctxsw)").add(kind, i.wakeupsPerS);
          results.metric(idleScenario, "RSS MiB", ratioAtMost(2.0)).add(kind, i.rssMiB);
          const l = await processInfoLatency(d, n, calls, budgetS);
          results.metric(infoScenario, `median ms (<= ${calls} calls or ${budgetS} s)`, ratioAtMost(0.05)).add(kind, l.median);
          results.metric(infoScenario, `p99 ms`).add(kind, l.p99);
          line += `, idle cpu ${i.cpuPct.toFixed(2)}% wakeups ${i.wakeupsPerS.toFixed(1)}/s rss ${i.rssMiB.toFixed(1)} MiB, getAllProcessInfo x${l.calls} median ${l.median.toFixed(1)} ms p99 ${l.p99.toFixed(1)} ms`;
        }
        // Let the last children get past exec: a TERM that reaches supervisord's child between fork
        // and exec is swallowed by its inherited handler and costs a 10 s stopwaitsecs.
        if (!detail) await sleep(1000);
        const t = await stopAll(d, n);
        stop.add(kind, t.seconds);
        stopCpu.add(kind, t.daemonCpuS);
        stopBusy.add(kind, t.busyS);
        ctx.log(`${line}, stop-all ${t.seconds.toFixed(2)} s (daemon CPU ${t.daemonCpuS.toFixed(2)} s, all CPUs busy ${t.busyS.toFixed(2)} s)`);
      });
    }
  }
}
