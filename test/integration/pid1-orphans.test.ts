// supervisord as PID 1 (a container's init): orphaned grandchildren are re-parented to the daemon,
// which must reap them and log "reaped unknown pid". Both daemons run as PID 1 of a new PID
// namespace (unshare, as root) on the same config; their logs and the zombies they leave are compared.
import t, { type Test } from "tap";
import { execFileSync } from "node:child_process";
import { TestDaemon, type DaemonKind } from "../helpers/daemon.js";
import { processTable, zombiesOf } from "../helpers/proc.js";

const canUnshare = (() => {
  try {
    execFileSync("unshare", ["--pid", "--fork", "--mount-proc", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// A program that leaves an orphan behind every 0.2 s: the subshell exits at once, its `sleep`
// child outlives it and is re-parented to PID 1.
const PROGRAMS = [
  "[program:orphaner]",
  `command=/bin/sh -c "for i in 1 2 3; do (sleep 0.1 &); done; exec sleep 1000"`,
  "startsecs=0",
  "",
].join("\n");

async function asPid1(t: Test, kind: DaemonKind): Promise<{ reaped: string[]; zombies: number[]; state: unknown }> {
  const d = new TestDaemon(kind, { programs: PROGRAMS, wrapper: ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM"] });
  let daemonPid = 0;
  t.teardown(async () => {
    // unshare does not pass SIGTERM on: stop the daemon itself, then unshare exits with it.
    if (daemonPid) process.kill(daemonPid, "SIGTERM");
    await d.stop();
    d.cleanup();
  });
  await d.start();
  // The daemon is unshare's child (PID 1 inside, another pid outside).
  daemonPid = processTable().find((p) => p.ppid === d.pid)?.pid ?? 0;
  await d.waitForLog(/reaped unknown pid/, 20_000, 3);
  const state = ((await d.rpc("supervisor.getProcessInfo", "orphaner")) as { statename: string }).statename;
  return {
    reaped: d.messages().filter((m) => m.includes("reaped unknown pid")),
    zombies: daemonPid ? zombiesOf(daemonPid) : [-1],
    state,
  };
}

const skip = !canUnshare ? "needs root and unshare(1)" : process.env.SUPERVISORD_SPAWNER === "child_process" ? "needs the native spawner" : false;

t.test("orphans of a PID-1 daemon are reaped and logged like supervisord does", { skip }, async (t) => {
  const real = await asPid1(t, "real");
  const ours = await asPid1(t, "ours");
  t.same(ours.reaped.slice(0, 3), real.reaped.slice(0, 3), "same log lines");
  t.match(ours.reaped[0], /^INFO reaped unknown pid <pid> \(exit status 0\)$/);
  t.same(ours.zombies, [], "no zombie left under our daemon");
  t.same(real.zombies, [], "(none under supervisord either)");
  t.equal(ours.state, "RUNNING", "the program itself is untouched");
  t.equal(real.state, "RUNNING");
});
