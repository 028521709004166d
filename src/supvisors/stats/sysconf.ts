/**
 * The two kernel constants the /proc numbers need: CLK_TCK (the unit of the CPU times in
 * /proc/<pid>/stat and /proc/stat) and the page size (the unit of the rss field). Node exposes
 * neither, so `getconf` is asked once, at first use (a few ms, never again), with Linux's usual
 * values as fallbacks when it is missing.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

function getconf(name: string, fallback: number): number {
  try {
    const text = execFileSync("getconf", [name], { encoding: "utf8", timeout: 2000, stdio: ["ignore", "pipe", "ignore"] });
    const value = Number.parseInt(text.trim(), 10);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let clkTck: number | undefined;
let pageSize: number | undefined;

/** Clock ticks per second (100 on every common Linux build). */
export function clockTicks(): number {
  return (clkTck ??= getconf("CLK_TCK", 100));
}

/** Bytes per memory page (4096 on x86-64, 16 or 64 KiB on some arm64 kernels: hence the query). */
export function pageBytes(): number {
  return (pageSize ??= getconf("PAGESIZE", 4096));
}

/** The soft RLIMIT_NOFILE of this process, from /proc/self/limits (Node has no getrlimit); null if unknown. */
export function openFilesSoftLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "latin1"));
    if (!m) return null;
    return m[1] === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return null;
  }
}

/**
 * The descriptors the statistics may keep open: a quarter of the soft limit, at most 4096. The
 * rest is the daemon's (three pipes per child, sockets, log files): a config that runs under
 * supervisord's minfds must not run out of descriptors because statistics are on.
 */
export function statsDescriptorBudget(): number {
  const soft = openFilesSoftLimit();
  return soft === null ? 256 : Math.min(4096, Math.floor(soft / 4));
}
