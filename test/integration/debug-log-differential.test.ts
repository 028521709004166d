/**
 * The main log at loglevel=debug and trace, compared with the real supervisord 4.2.5 (issue 16):
 * the info-level differential tests did not notice when the pidfd reaper stopped logging
 * `received SIGCHLD indicating a child quit`. Lines about each program are compared per program
 * (timestamps and pids normalised), for a child's whole life: spawn, output, exit, BACKOFF and
 * FATAL, a stop with its signal. Left out, and only those: supervisord's
 * `fd N closed, stopped monitoring <POutputDispatcher at 0x...>` lines, which print Python object
 * addresses and its own fd numbers (ours does not imitate them; see the README).
 */
import t, { type Test } from "tap";
import { hasReal, linesAbout, onBothDaemons, type DaemonKind, type DaemonOptions, type TestDaemon } from "../helpers/daemon.js";

if (!hasReal) t.plan(0, "the real supervisord is not installed (apt-get install supervisor)");
t.jobs = 4;

const SIGCHLD = "DEBG received SIGCHLD indicating a child quit";
const sigchlds = (m: string[]) => m.filter((l) => l === SIGCHLD).length;

const PYTHON_REPR = /^DEBG fd \d+ closed, stopped monitoring <P\w+Dispatcher at \d+ for <Subprocess at \d+ with name /;

async function onBoth(t: Test, opts: DaemonOptions, scenario: (d: TestDaemon) => Promise<void>): Promise<Record<DaemonKind, string[]>> {
  const r = await onBothDaemons(t, opts, scenario);
  const without = (m: string[]) => m.filter((l) => !PYTHON_REPR.test(l));
  return { ours: without(r.ours.messages), real: without(r.real.messages) };
}

for (const level of ["debug", "trace"] as const) {
  t.test(`${level}: a child that prints a non-UTF-8 byte and exits (Supervisor's own end-to-end test)`, async (t) => {
    const programs = `[program:foo]\ncommand=bash -c 'echo -e "\\x88"'\nstartretries=0\nautorestart=false\n`;
    // As Supervisor's test: wait for the SIGCHLD line. supervisord is racy here: with startsecs=1
    // its tick sometimes lets the child reach RUNNING first, and then the exit is `INFO ...
    // expected` and it does not give up. So `success:` and `gave up:` are left out of the
    // comparison and the exit line is compared without its level and verdict; ours is asserted
    // exactly below.
    const r = await onBoth(t, { programs, supervisord: `loglevel=${level}` }, async (d) => {
      await d.waitForLog(SIGCHLD);
    });
    t.ok(r.real.includes(SIGCHLD), "supervisord logs the SIGCHLD line");
    t.ok(r.ours.includes(SIGCHLD), "and so do we");
    const life = (m: string[]) =>
      linesAbout(m, "foo")
        .filter((l) => !/^INFO (success|gave up): foo /.test(l))
        .map((l) => l.replace(/^(WARN|INFO) (exited: foo \(exit status 0); (not )?expected\)$/, "$2)"));
    t.same(life(r.ours), life(r.real));
    t.same(linesAbout(r.ours, "foo").filter((l) => !l.startsWith("INFO gave up:")), ["INFO spawned: 'foo' with pid <pid>", "DEBG 'foo' stdout output:", "WARN exited: foo (exit status 0; not expected)"]);
    t.equal(sigchlds(r.ours), sigchlds(r.real), "as many SIGCHLD lines");
  });

  // startsecs=5: with startsecs=1, supervisord 4.2.5 sometimes lets a child that exits at once
  // reach RUNNING (its 1 s tick; a documented difference), which is not what this test is about.
  t.test(`${level}: BACKOFF retries to FATAL`, async (t) => {
    const programs = `[program:bad]\ncommand=/bin/sh -c "echo oops; exit 3"\nstartsecs=5\nstartretries=2\n`;
    const r = await onBoth(t, { programs, supervisord: `loglevel=${level}` }, async (d) => {
      await d.waitForLog("gave up: bad entered FATAL state", 30_000);
    });
    t.same(linesAbout(r.ours, "bad"), linesAbout(r.real, "bad"));
    t.equal(sigchlds(r.ours), 3, "one SIGCHLD line per exit");
    t.equal(sigchlds(r.ours), sigchlds(r.real), "as many SIGCHLD lines");
  });

  // The child takes 0.3 s to stop, so both daemons log `waiting for talker to stop` (supervisord
  // leaves it out when it reaped the child before its waiter's first pass: a race, not a rule).
  t.test(`${level}: start, output on both channels, stop`, async (t) => {
    const programs = `[program:talker]\ncommand=/bin/sh -c "echo out; echo err >&2; trap 'sleep 0.3; exit 0' TERM; while :; do sleep 0.1; done"\nstartsecs=1\n`;
    const r = await onBoth(t, { programs, supervisord: `loglevel=${level}` }, async (d) => {
      await d.waitForLog("success: talker");
      await d.rpc("supervisor.stopProcess", "talker", true);
      await d.waitForLog("stopped: talker");
    });
    t.same(linesAbout(r.ours, "talker"), linesAbout(r.real, "talker"));
    t.equal(sigchlds(r.ours), sigchlds(r.real), "as many SIGCHLD lines");
  });
}
