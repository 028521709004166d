/**
 * Scenario 4: one child writes 500 MB of zeros to stdout; the daemon writes them to a log file
 * with rotation off (maxbytes 0). Throughput is the final size over the time from the start call
 * to the file's last growth; bytes lost is 500 MB minus the final size. The machine's own rate for
 * the same bytes through a pipe into a file (`head | cat > file`) is measured in the same run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDaemon, type Daemon } from "../lib/daemon.js";
import { order, type Context, type Target } from "../lib/results.js";
import { median, nowMs, sleep } from "../lib/stats.js";

const TOTAL = 524_288_000;
const MB = 1024 * 1024;

const config = `[program:flood]
command = /usr/bin/head -c ${TOTAL} /dev/zero
autostart = false
autorestart = false
startsecs = 0
redirect_stderr = true
stdout_logfile = {dir}/flood.log
stdout_logfile_maxbytes = 0
stdout_logfile_backups = 0
`;

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** MB/s of `head -c 500M /dev/zero | cat > file` (a shell pipeline, spawn included). */
function pipeToFile(): number {
  const dir = mkdtempSync(join(tmpdir(), "bench-pipe-"));
  try {
    const t0 = nowMs();
    execFileSync("/bin/sh", ["-c", `head -c ${TOTAL} /dev/zero | cat > ${join(dir, "out")}`]);
    const ms = nowMs() - t0;
    if (size(join(dir, "out")) !== TOTAL) throw new Error("pipe-to-file baseline wrote a short file");
    return TOTAL / MB / (ms / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function capture(d: Daemon): Promise<{ mbps: number; lost: number }> {
  const file = join(d.dir, "flood.log");
  const t0 = nowMs();
  await d.rpc("supervisor.startProcess", "flood", false);
  let last = 0;
  let lastGrowth = t0;
  for (;;) {
    const s = size(file);
    const t = nowMs();
    if (s !== last) [last, lastGrowth] = [s, t];
    if (s >= TOTAL) break;
    if (t - lastGrowth > 3000) break; // stalled: whatever is missing is lost
    await sleep(10);
  }
  await sleep(200);
  const final = size(file);
  return { mbps: final / MB / ((lastGrowth - t0) / 1000), lost: TOTAL - final };
}

export async function logCapture(ctx: Context): Promise<void> {
  const { results } = ctx;
  const s = "4 log capture 500 MB";
  const pipe = results.metric(s, "pipe-to-file MB/s (machine)");
  const floor: Target = {
    text: ">= 0.9 x machine",
    check: (o) => o >= 0.9 * median(pipe.samples.machine),
  };
  const rate = results.metric(s, "MB/s", floor);
  const lost = results.metric(s, "bytes lost", { text: "ours = 0", check: (o) => o === 0 });
  for (let rep = 0; rep < ctx.reps; rep++) {
    const p = pipeToFile();
    pipe.add("machine", p);
    ctx.log(`pipe-to-file ${p.toFixed(0)} MB/s`);
    for (const kind of order(ctx, rep)) {
      await withDaemon(kind, config, async (d) => {
        const r = await capture(d);
        rate.add(kind, r.mbps);
        lost.add(kind, r.lost);
        ctx.log(`${kind.padEnd(4)} log capture ${r.mbps.toFixed(0)} MB/s, ${r.lost} bytes lost`);
      });
    }
  }
}
