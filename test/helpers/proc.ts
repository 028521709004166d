/** Reading the process table in tests: who is alive, in which group, and which are zombies. */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
}

/** Every process of the machine, from /proc/<pid>/stat. */
export function processTable(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const ent of readdirSync("/proc")) {
    if (!/^\d+$/.test(ent)) continue;
    try {
      const stat = readFileSync(`/proc/${ent}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({ pid: Number(ent), state: f[0], ppid: Number(f[1]), pgid: Number(f[2]) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Pids of the living (non-zombie) processes of process group `pgid`. */
export function livingInGroup(pgid: number): number[] {
  return processTable()
    .filter((p) => p.pgid === pgid && p.state !== "Z")
    .map((p) => p.pid);
}

/** Zombie children of `pid`. */
export function zombiesOf(pid: number): number[] {
  return processTable()
    .filter((p) => p.ppid === pid && p.state === "Z")
    .map((p) => p.pid);
}

export const fdCount = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;
