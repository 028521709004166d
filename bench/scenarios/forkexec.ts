/**
 * Scenario 8: the machine's fork+exec floor, bench/forkexec.c compiled with cc into a temp dir.
 * Also the stop-all floor (bench/killall.c), reported in scenario 2's machine column.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "../lib/results.js";

const SOURCE = join(import.meta.dirname, "..", "forkexec.c");
const KILLALL = join(import.meta.dirname, "..", "killall.c");

/** Seconds to SIGTERM and reap n sleeping children, and CPU-seconds all CPUs were busy meanwhile (bench/killall.c). */
export function killAllFloor(n: number): { seconds: number; busyS: number } {
  const dir = mkdtempSync(join(tmpdir(), "bench-killall-"));
  try {
    const bin = join(dir, "killall");
    execFileSync("cc", ["-O2", "-o", bin, KILLALL]);
    const [seconds, busyS] = execFileSync(bin, [String(n)]).toString().trim().split("\n").map(Number);
    return { seconds: seconds!, busyS: busyS! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function forkExec(ctx: Context): Promise<void> {
  const n = ctx.quick ? 200 : 1000;
  const m = ctx.results.metric(`8 fork+exec /bin/true x${n}`, "ms per spawn (machine)");
  const dir = mkdtempSync(join(tmpdir(), "bench-forkexec-"));
  try {
    const bin = join(dir, "forkexec");
    execFileSync("cc", ["-O2", "-o", bin, SOURCE]);
    for (let rep = 0; rep < ctx.reps; rep++) {
      const ms = Number(execFileSync(bin, [String(n)]).toString().trim());
      m.add("machine", ms);
      ctx.log(`fork+exec ${ms.toFixed(3)} ms per spawn`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
