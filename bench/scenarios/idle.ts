/** Scenario 5: the daemon's own CPU, wake-ups and RSS while its N children just sleep. */
import type { Daemon } from "../lib/daemon.js";
import { CLK_TCK, cpuNs, cpuTicks, rssKiB, wakeups } from "../lib/proc.js";
import { nowMs, sleep } from "../lib/stats.js";

export interface Idle {
  /** % of one core, from utime+stime ticks in /proc/<pid>/stat. */
  cpuPct: number;
  /** The same from /proc/<pid>/task/* /schedstat (ns resolution). */
  cpuPctFine: number;
  wakeupsPerS: number;
  rssMiB: number;
}

export async function idle(d: Daemon, seconds: number): Promise<Idle> {
  const pid = d.pid;
  const [t0, ticks0, ns0, w0] = [nowMs(), cpuTicks(pid), cpuNs(pid), wakeups(pid)];
  await sleep(seconds * 1000);
  const [t1, ticks1, ns1, w1] = [nowMs(), cpuTicks(pid), cpuNs(pid), wakeups(pid)];
  const s = (t1 - t0) / 1000;
  return {
    cpuPct: (100 * (ticks1 - ticks0)) / CLK_TCK / s,
    cpuPctFine: (100 * (ns1 - ns0)) / 1e9 / s,
    wakeupsPerS: (w1 - w0) / s,
    rssMiB: rssKiB(pid) / 1024,
  };
}
