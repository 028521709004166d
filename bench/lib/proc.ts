/** Readers for /proc: a process's CPU time, wake-ups and memory. */
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

export const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** utime + stime of the whole process (all threads), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]); // fields 14 and 15 of stat(5), counted from "state" = field 3
}

function tasks(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** Voluntary context switches summed over the process's threads (each one is a wake-up from a sleep). */
export function wakeups(pid: number): number {
  let n = 0;
  for (const t of tasks(pid)) {
    try {
      const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${t}/status`, "utf8"));
      n += Number(m?.[1] ?? 0);
    } catch {
      /* thread ended */
    }
  }
  return n;
}

/** Nanoseconds on CPU summed over the threads (/proc/<pid>/task/<tid>/schedstat), finer than ticks. */
export function cpuNs(pid: number): number {
  let n = 0;
  for (const t of tasks(pid)) {
    try {
      n += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      /* thread ended */
    }
  }
  return n;
}

export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? NaN);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
