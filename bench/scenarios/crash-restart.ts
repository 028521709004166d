/**
 * Scenario 6: a program that exits at once (autorestart=true, startsecs=0). Restarts per second
 * are counted from the "spawned: 'crash'" lines of the main log over the window, and the daemon's
 * own CPU (utime+stime, children not included) over the same window.
 */
import { withDaemon } from "../lib/daemon.js";
import { CLK_TCK, cpuTicks } from "../lib/proc.js";
import { order, type Context } from "../lib/results.js";
import { nowMs, sleep } from "../lib/stats.js";

const config = `[program:crash]
command = /bin/true
autostart = true
autorestart = true
startsecs = 0
startretries = 1000000
redirect_stderr = true
`;

export async function crashRestart(ctx: Context): Promise<void> {
  const s = "6 crash-restart";
  const rate = ctx.results.metric(s, "restarts/s");
  const cpu = ctx.results.metric(s, "daemon CPU % of a core", { text: "< 50 (no spin)", check: (o) => o < 50 });
  const windowS = ctx.quick ? 5 : 8;
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const kind of order(ctx, rep)) {
      await withDaemon(kind, config, async (d) => {
        const spawns = () => d.logText().split("spawned: 'crash'").length - 1;
        await sleep(2000);
        const [t0, n0, c0] = [nowMs(), spawns(), cpuTicks(d.pid)];
        await sleep(windowS * 1000);
        const [t1, n1, c1] = [nowMs(), spawns(), cpuTicks(d.pid)];
        const secs = (t1 - t0) / 1000;
        rate.add(kind, (n1 - n0) / secs);
        cpu.add(kind, (100 * (c1 - c0)) / CLK_TCK / secs);
        ctx.log(`${kind.padEnd(4)} crash-restart ${((n1 - n0) / secs).toFixed(1)}/s, daemon cpu ${((100 * (c1 - c0)) / CLK_TCK / secs).toFixed(1)}%`);
      });
    }
  }
}
