/** Scenario 8: the machine's fork+exec floor, bench/forkexec.c compiled with cc into a temp dir. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "../lib/results.js";

const SOURCE = join(import.meta.dirname, "..", "forkexec.c");

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
