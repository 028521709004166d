/**
 * minfds / minprocs (spec §2.5 [supervisord]): raise RLIMIT_NOFILE / RLIMIT_NPROC to at least the
 * configured value at first start. Node has no setrlimit, so we ask util-linux's `prlimit` to change
 * our own process's limits (the same syscall, prlimit(2), from outside).
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";

type Limit = { soft: number; hard: number };

function readLimit(label: string): Limit | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith(label));
    if (!line) return null;
    const parts = line.slice(label.length).trim().split(/\s+/);
    const num = (s: string) => (s === "unlimited" ? Infinity : Number(s));
    return { soft: num(parts[0]), hard: num(parts[1]) };
  } catch {
    return null;
  }
}

const RESOURCES = {
  minfds: { label: "Max open files", flag: "--nofile", name: "RLIMIT_NOFILE" },
  minprocs: { label: "Max processes", flag: "--nproc", name: "RLIMIT_NPROC" },
} as const;

/** The messages supervisord uses when a limit cannot be raised. */
const FAILURE = {
  minfds:
    'The minimum number of file descriptors required to run this process is %d as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open %d file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.',
  minprocs:
    'The minimum number of available processes required to run this program is %d as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open %d processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the process to start.',
} as const;

export type RlimitOutcome = { readonly ok: true; readonly infos: string[] } | { readonly ok: false; readonly message: string };

export function raiseRlimits(wanted: { minfds: number; minprocs: number }): RlimitOutcome {
  const infos: string[] = [];
  for (const key of ["minfds", "minprocs"] as const) {
    const r = RESOURCES[key];
    const cur = readLimit(r.label);
    const min = wanted[key];
    if (!cur || cur.soft >= min) continue;
    const hard = Math.max(cur.hard, min);
    const hardText = hard === Infinity ? "unlimited" : String(hard);
    try {
      execFileSync("prlimit", ["--pid", String(process.pid), `${r.flag}=${min}:${hardText}`], { stdio: "ignore" });
      infos.push(`Increased ${r.name} limit to ${min}`);
    } catch {
      const soft = cur.soft === Infinity ? -1 : cur.soft;
      return { ok: false, message: FAILURE[key].replace("%d", String(min)).replace("%d", String(soft)) };
    }
  }
  return { ok: true, infos };
}
