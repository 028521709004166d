/**
 * Background load recorder. The machine is shared: for every scenario we keep the 1-minute load
 * average and the machine's CPU busy share in a 1 s quiet window just before the scenario (what
 * others are doing) and over the scenario itself (others plus the benchmark).
 */
import { readFileSync } from "node:fs";
import { CLK_TCK } from "./proc.js";
import { sleep } from "./stats.js";

interface CpuSample {
  busy: number;
  total: number;
}

function cpuSample(): CpuSample {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is inside user)
  return { busy: total - idle, total };
}

/** Seconds of CPU time all CPUs have been busy since boot (/proc/stat, 10 ms ticks): the difference over a window is what the whole machine did in it. */
export function machineBusySeconds(): number {
  return cpuSample().busy / CLK_TCK;
}

function loadavg1(): number {
  return Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
}

const busyPct = (a: CpuSample, b: CpuSample) => (b.total > a.total ? (100 * (b.busy - a.busy)) / (b.total - a.total) : NaN);

export interface LoadRecord {
  readonly scenario: string;
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** Machine CPU busy % (all cores) in the quiet second before the scenario. */
  readonly quietBusyPct: number;
  /** Machine CPU busy % (all cores) while the scenario ran. */
  readonly busyPct: number;
  readonly seconds: number;
}

export async function recordLoad<T>(scenario: string, records: LoadRecord[], body: () => Promise<T>): Promise<T> {
  const q0 = cpuSample();
  await sleep(1000);
  const q1 = cpuSample();
  const loadBefore = loadavg1();
  const t0 = Date.now();
  try {
    return await body();
  } finally {
    const s1 = cpuSample();
    records.push({ scenario, loadBefore, loadAfter: loadavg1(), quietBusyPct: busyPct(q0, q1), busyPct: busyPct(q1, s1), seconds: (Date.now() - t0) / 1000 });
  }
}
