/**
 * Scenario 7: from startProcess(wait=False) to a PROCESS_STATE_RUNNING event in a listener.
 * The listener (listener.py, supervisor.childutils) stamps each event with time.monotonic(); we
 * stamp the call with process.hrtime, the same CLOCK_MONOTONIC, so the two subtract directly.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PYTHON, withDaemon, type Daemon } from "../lib/daemon.js";
import { order, ratioAtMost, type Context, type Target } from "../lib/results.js";
import { nowMs, sleep, waitFor } from "../lib/stats.js";

const LISTENER = join(import.meta.dirname, "listener.py");

const config = (startsecs: number) => `[program:target]
command = /bin/sleep 100000
autostart = false
autorestart = false
startsecs = ${startsecs}
stopsignal = KILL
redirect_stderr = true

[eventlistener:lat]
command = ${PYTHON} ${LISTENER} {dir}/events.txt
events = PROCESS_STATE_RUNNING
autostart = true
redirect_stderr = false
`;

/** Monotonic ms of the listener's events about `target`. */
function events(d: Daemon): number[] {
  let text = "";
  try {
    text = readFileSync(join(d.dir, "events.txt"), "utf8");
  } catch {
    /* none yet */
  }
  return text
    .split("\n")
    .filter((l) => l.startsWith("target "))
    .map((l) => Number(l.split(" ")[1]) * 1000);
}

async function oneStart(d: Daemon, seen: number): Promise<number> {
  const t0 = nowMs();
  await d.rpc("supervisor.startProcess", "target", false);
  await waitFor(() => events(d).length > seen, 15_000, `${d.kind}: RUNNING event`, 2);
  const ms = events(d)[seen]! - t0;
  // KILL, not TERM: supervisord's child ignores a TERM that lands between fork and exec (its
  // inherited handler only sets a flag), which costs a 10 s stopwaitsecs on a just-started process.
  await d.rpc("supervisor.stopProcess", "target", true);
  return ms;
}

export async function eventLatency(ctx: Context, startsecs: number): Promise<void> {
  const target: Target = startsecs === 0 ? ratioAtMost(0.2) : { text: `ours <= ${startsecs * 1000 + 50} ms`, check: (o) => o <= startsecs * 1000 + 50 };
  const m = ctx.results.metric(`7 RUNNING event latency startsecs=${startsecs}`, "median ms", target);
  const max = ctx.results.metric(`7 RUNNING event latency startsecs=${startsecs}`, "max ms (median of runs)");
  // The part of the latency no daemon can save: the same client's trivial call (a new connection,
  // one request, one answer) on the same daemon. Add the machine's fork+exec (scenario 8) for a floor.
  const trivial = startsecs === 0 ? ctx.results.metric(`7 RUNNING event latency startsecs=${startsecs}`, "getState round trip ms") : null;
  const starts = ctx.quick ? 4 : startsecs === 0 ? 8 : 6;
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const kind of order(ctx, rep)) {
      await withDaemon(kind, config(startsecs), async (d) => {
        await waitFor(async () => (await d.processes()).some((p) => p.name === "lat" && p.statename === "RUNNING"), 20_000, `${kind}: listener RUNNING`, 50);
        await sleep(500);
        await oneStart(d, 0); // warm-up, not counted: the listener's first event
        const ms: number[] = [];
        for (let i = 1; i <= starts; i++) {
          ms.push(await oneStart(d, i));
          await sleep(100);
        }
        for (const x of ms) m.add(kind, x);
        if (trivial) {
          for (let i = 0; i < starts; i++) {
            const t0 = nowMs();
            await d.rpc("supervisor.getState");
            trivial.add(kind, nowMs() - t0);
          }
        }
        max.add(kind, Math.max(...ms));
        ctx.log(`${kind.padEnd(4)} RUNNING latency startsecs=${startsecs}: ${ms.map((x) => x.toFixed(1)).join(" ")} ms`);
      });
    }
  }
}
