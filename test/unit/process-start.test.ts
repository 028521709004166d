import t from "tap";
import { makeProcess, T0 } from "../helpers/fake-process-host.js";
import type { AutoRestart } from "../../src/supervisord/config/types.js";

t.test("spawn -> STARTING, RUNNING only when up strictly longer than startsecs", async (t) => {
  const { p, host } = makeProcess({ startsecs: 1 });
  t.equal(p.spawn(), 100);
  t.equal(p.state, "STARTING");
  t.equal(p.pid, 100);
  t.equal(p.laststart, T0);
  t.equal(p.delay, T0 + 1000);
  host.clock.advance(1000);
  t.equal(p.state, "STARTING", "now - laststart == startsecs is not enough");
  host.clock.advance(1);
  t.equal(p.state, "RUNNING");
  t.equal(p.delay, 0);
  t.strictSame(host.lines(), [
    "INFO spawned: 'foo' with pid 100",
    "INFO success: foo entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)",
  ]);
  t.strictSame(host.eventSummary(), ["STARTING from=STOPPED tries=0 pid=0", "RUNNING from=STARTING tries=0 pid=100"]);
  t.equal(host.events[0].process.name, "foo");
  t.equal(host.events[0].process.group, "foo");
  t.equal(host.clock.pendingTimers(), 0, "nothing left to wait for in RUNNING");
});

t.test("startsecs=0 enters RUNNING just after the spawn", async (t) => {
  const { p, host } = makeProcess({ startsecs: 0 });
  p.spawn();
  t.equal(p.state, "STARTING", "the spawn itself leaves it STARTING");
  host.clock.advance(0);
  t.equal(p.state, "RUNNING", "at once after the spawn (whole-millisecond clock)");
  t.equal(host.lines()[1], "INFO success: foo entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)");
});

t.test("startsecs=0 and an immediate exit: STARTING -> RUNNING -> EXITED, no success line, no BACKOFF", async (t) => {
  const { p, host } = makeProcess({ startsecs: 0, autorestart: false });
  p.spawn();
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "EXITED");
  t.strictSame(host.lines(), ["INFO spawned: 'foo' with pid 100", "INFO exited: foo (exit status 0; expected)"]);
  t.strictSame(host.eventSummary(), [
    "STARTING from=STOPPED tries=0 pid=0",
    "RUNNING from=STARTING tries=0 pid=100",
    "EXITED from=RUNNING tries=0 pid=100 expected=1",
  ]);
  t.equal(p.pid, 0);
  t.equal(p.exitstatus, 0);
});

t.test("an exit at exactly startsecs is not too quick (forced RUNNING, then EXITED)", async (t) => {
  const { p, host } = makeProcess({ startsecs: 1, autorestart: false });
  p.spawn();
  host.clock.advance(1000);
  p.finish({ code: 3, signal: null });
  t.equal(p.state, "EXITED");
  t.strictSame(host.eventSummary().slice(1), ["RUNNING from=STARTING tries=0 pid=100", "EXITED from=RUNNING tries=0 pid=100 expected=0"]);
  t.equal(host.lines()[1], "WARN exited: foo (exit status 3; not expected)");
  t.equal(p.spawnerr, "Bad exit code 3");
});

t.test("quick exits: BACKOFF 1, 2, ... s apart, FATAL after startretries+1 attempts", async (t) => {
  const { p, host } = makeProcess({ startretries: 2, startsecs: 1 });
  p.spawn();
  host.clock.advance(100);
  p.finish({ code: 3, signal: null });
  t.equal(p.state, "BACKOFF");
  t.equal(p.backoff, 1);
  t.equal(p.exitstatus, null);
  t.equal(p.spawnerr, "Exited too quickly (process log may have details)");
  t.equal(p.delay, T0 + 100 + 1000);

  host.clock.advance(1000);
  t.equal(host.spawnTimes.length, 1, "retry waits strictly past the delay");
  host.clock.advance(1);
  t.equal(host.spawnTimes.length, 2);
  t.equal(p.state, "STARTING");
  p.finish({ code: 0, signal: null }); // an expected code is still "not expected" when too quick
  t.equal(p.backoff, 2);
  host.clock.advance(2000);
  t.equal(host.spawnTimes.length, 2);
  host.clock.advance(1);
  t.equal(host.spawnTimes.length, 3);
  p.finish({ code: 3, signal: null });
  t.equal(p.state, "BACKOFF");
  t.equal(p.backoff, 3);
  host.clock.advance(0);
  t.equal(p.state, "FATAL");
  t.equal(p.backoff, 0);
  t.equal(p.systemStop, true);
  host.clock.advance(60_000);
  t.equal(host.spawnTimes.length, 3, "FATAL never retries");
  t.strictSame(host.spawnTimes, [T0, T0 + 1101, T0 + 3102]);

  t.strictSame(host.lines(), [
    "INFO spawned: 'foo' with pid 100",
    "WARN exited: foo (exit status 3; not expected)",
    "INFO spawned: 'foo' with pid 101",
    "WARN exited: foo (exit status 0; not expected)",
    "INFO spawned: 'foo' with pid 102",
    "WARN exited: foo (exit status 3; not expected)",
    "INFO gave up: foo entered FATAL state, too many start retries too quickly",
  ]);
  // spec §9.2 "observed sequence"
  t.strictSame(host.eventSummary(), [
    "STARTING from=STOPPED tries=0 pid=0",
    "BACKOFF from=STARTING tries=1 pid=100",
    "STARTING from=BACKOFF tries=1 pid=0",
    "BACKOFF from=STARTING tries=2 pid=101",
    "STARTING from=BACKOFF tries=2 pid=0",
    "BACKOFF from=STARTING tries=3 pid=102",
    "FATAL from=BACKOFF tries=0 pid=0",
  ]);
});

t.test("reaching RUNNING resets the backoff counter", async (t) => {
  const { p, host } = makeProcess({ startretries: 5 });
  p.spawn();
  p.finish({ code: 1, signal: null });
  host.clock.advance(1001);
  t.equal(p.state, "STARTING");
  t.equal(p.backoff, 1);
  host.clock.advance(1001);
  t.equal(p.state, "RUNNING");
  t.equal(p.backoff, 0);
  t.equal(host.events.at(-1)?.tries, 0);
});

t.test("spawn errors: spawnerr line, BACKOFF, retries, FATAL", async (t) => {
  const { p, host } = makeProcess({ startretries: 1, command: "/nope" });
  host.spawnError = "can't find command '/nope'";
  t.equal(p.spawn(), 0);
  t.equal(p.state, "BACKOFF");
  t.equal(p.pid, 0);
  t.equal(p.spawnerr, "can't find command '/nope'");
  host.clock.advance(1001); // retry fails again, and the give-up is due at once
  t.equal(host.spawnTimes.length, 2);
  t.equal(p.state, "FATAL");
  t.equal(p.spawnerr, "can't find command '/nope'", "spawnerr kept for the FATAL description");
  t.strictSame(host.lines(), [
    "INFO spawnerr: can't find command '/nope'",
    "INFO spawnerr: can't find command '/nope'",
    "INFO gave up: foo entered FATAL state, too many start retries too quickly",
  ]);
  t.strictSame(host.eventSummary(), [
    "STARTING from=STOPPED tries=0 pid=0",
    "BACKOFF from=STARTING tries=1 pid=0",
    "STARTING from=BACKOFF tries=1 pid=0",
    "BACKOFF from=STARTING tries=2 pid=0",
    "FATAL from=BACKOFF tries=0 pid=0",
  ]);
});

t.test("startretries=0 and a spawn error gives up right away", async (t) => {
  const { p, host } = makeProcess({ startretries: 0 });
  host.spawnError = "command at '/etc' is a directory";
  p.spawn();
  t.equal(p.state, "BACKOFF");
  host.clock.advance(0);
  t.equal(p.state, "FATAL");
  t.equal(host.spawnTimes.length, 1);
});

t.test("a throwing spawner is a fork error, not a crash", async (t) => {
  const { p, host } = makeProcess({ startretries: 0 });
  host.spawn = () => {
    throw Object.assign(new Error("spawn EAGAIN"), { code: "EAGAIN" });
  };
  p.spawn();
  t.equal(p.state, "BACKOFF");
  t.equal(p.spawnerr, "unknown error during fork for 'foo': EAGAIN");
});

t.test("FATAL can be started again by request", async (t) => {
  const { p, host } = makeProcess({ startretries: 0 });
  host.spawnError = "x";
  p.spawn();
  host.clock.advance(0);
  t.equal(p.state, "FATAL");
  host.spawnError = null;
  p.spawn();
  t.equal(p.state, "STARTING");
  t.equal(host.events.at(-1)?.from, "FATAL");
  t.equal(p.spawnerr, null);
});

const exitCases: { autorestart: AutoRestart; code: number; restarts: boolean }[] = [
  { autorestart: true, code: 0, restarts: true },
  { autorestart: true, code: 1, restarts: true },
  { autorestart: false, code: 0, restarts: false },
  { autorestart: false, code: 1, restarts: false },
  { autorestart: "unexpected", code: 0, restarts: false },
  { autorestart: "unexpected", code: 1, restarts: true },
];
for (const c of exitCases) {
  t.test(`exit ${c.code} after RUNNING with autorestart=${c.autorestart}`, async (t) => {
    const { p, host } = makeProcess({ autorestart: c.autorestart, exitcodes: [0, 2] });
    p.spawn();
    host.clock.advance(5000);
    t.equal(p.state, "RUNNING");
    p.finish({ code: c.code, signal: null });
    t.equal(p.state, "EXITED");
    t.equal(p.exitstatus, c.code);
    t.equal(p.laststop, T0 + 5000);
    const expected = c.code === 0;
    t.equal(host.lines()[2], expected ? `INFO exited: foo (exit status ${c.code}; expected)` : `WARN exited: foo (exit status ${c.code}; not expected)`);
    t.equal(host.eventSummary()[2], `EXITED from=RUNNING tries=0 pid=100 expected=${expected ? 1 : 0}`);
    t.equal(p.spawnerr, expected ? null : `Bad exit code ${c.code}`);
    // Ran for more than 1 s: restart is due at once (next turn of the event loop).
    host.clock.advance(0);
    t.equal(p.state, c.restarts ? "STARTING" : "EXITED");
    t.equal(host.spawnTimes.length, c.restarts ? 2 : 1);
    if (c.restarts) t.equal(host.events.at(-1)?.from, "EXITED");
    else t.equal(host.clock.pendingTimers(), 0);
  });
}

t.test("a signal death after RUNNING: exitstatus -1, not expected", async (t) => {
  const { p, host } = makeProcess({ autorestart: false });
  p.spawn();
  host.clock.advance(2000);
  p.finish({ code: null, signal: "SIGSEGV", coreDumped: true });
  t.equal(p.exitstatus, -1);
  t.equal(host.lines().at(-1), "WARN exited: foo (terminated by SIGSEGV (core dumped); not expected)");
  t.equal(p.spawnerr, "Bad exit code -1");
});

t.test("EXITED crash loop is paced to one spawn per second", async (t) => {
  const { p, host } = makeProcess({ startsecs: 0, autorestart: true });
  p.spawn();
  for (let i = 0; i < 5; i++) {
    host.clock.advance(10);
    p.finish({ code: 1, signal: null });
    t.equal(p.state, "EXITED");
    const before = host.spawnTimes.length;
    host.clock.advance(979);
    t.equal(host.spawnTimes.length, before, "not respawned before a second since the last spawn");
    host.clock.advance(11);
    t.equal(host.spawnTimes.length, before + 1);
  }
  t.strictSame(host.spawnTimes, [T0, T0 + 1000, T0 + 2000, T0 + 3000, T0 + 4000, T0 + 5000]);
});

t.test("mood not RUNNING: no autorestart, no retry, no autostart; give-up still happens", async (t) => {
  {
    const { p, host } = makeProcess({ autorestart: true });
    p.spawn();
    host.clock.advance(5000);
    host.currentMood = "SHUTDOWN";
    p.finish({ code: 0, signal: null });
    host.clock.advance(60_000);
    t.equal(p.state, "EXITED");
    t.equal(host.clock.pendingTimers(), 0, "no timer spins while the daemon shuts down");
    host.currentMood = "RUNNING";
    p.transition();
    t.equal(p.state, "STARTING", "transition() re-evaluates once the mood is RUNNING again");
  }
  {
    const { p, host } = makeProcess({ startretries: 3 });
    p.spawn();
    host.currentMood = "RESTARTING";
    p.finish({ code: 1, signal: null });
    host.clock.advance(60_000);
    t.equal(p.state, "BACKOFF");
    t.equal(host.spawnTimes.length, 1);
    t.equal(host.clock.pendingTimers(), 0);
  }
  {
    const { p, host } = makeProcess({ startretries: 0 });
    p.spawn();
    host.currentMood = "SHUTDOWN";
    p.finish({ code: 1, signal: null });
    host.clock.advance(0);
    t.equal(p.state, "FATAL", "too many retries gives up in any mood");
  }
  {
    const { p, host } = makeProcess({ startsecs: 1 });
    p.spawn();
    host.currentMood = "SHUTDOWN";
    host.clock.advance(1001);
    t.equal(p.state, "RUNNING", "STARTING -> RUNNING in any mood");
  }
  {
    const { p, host } = makeProcess();
    host.currentMood = "SHUTDOWN";
    t.equal(p.autostart(), false);
    t.equal(p.state, "STOPPED");
  }
});

t.test("autostart applies only to never-started processes with autostart=true", async (t) => {
  {
    const { p, host } = makeProcess();
    t.equal(p.autostart(), true);
    t.equal(p.state, "STARTING");
    t.equal(host.spawnTimes.length, 1);
  }
  {
    const { p, host } = makeProcess({ autostart: false });
    t.equal(p.autostart(), false);
    p.transition();
    t.equal(p.state, "STOPPED");
    t.equal(host.spawnTimes.length, 0);
  }
  {
    const { p, host } = makeProcess();
    p.spawn();
    host.clock.advance(2000);
    p.stop();
    p.finish({ code: null, signal: "SIGTERM" });
    t.equal(p.state, "STOPPED");
    t.equal(p.autostart(), false, "a stopped process that ran once is not autostarted");
    p.transition();
    host.clock.advance(60_000);
    t.equal(p.state, "STOPPED");
  }
});

t.test("laststart in the future (wall clock set back while RUNNING)", async (t) => {
  const { p, host } = makeProcess({ autorestart: false });
  p.spawn();
  host.clock.advance(5000);
  t.equal(p.state, "RUNNING");
  host.clock.jump(-60_000);
  p.finish({ code: 0, signal: null });
  t.equal(
    host.lines()[2],
    "WARN process 'foo' (100) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly",
  );
  t.equal(host.lines()[3], "INFO exited: foo (exit status 0; expected)");
  t.equal(p.state, "EXITED");
});

t.test("wall clock set back while STARTING does not stretch startsecs", async (t) => {
  const { p, host } = makeProcess({ startsecs: 1 });
  p.spawn();
  host.clock.jump(-3_600_000);
  host.clock.advance(1001);
  // The timer fired on time; laststart was pulled back to the new "now", so one more startsecs.
  t.equal(p.state, "STARTING");
  t.equal(p.laststart, T0 - 3_600_000 + 1001);
  host.clock.advance(1001);
  t.equal(p.state, "RUNNING");
});

t.test("an exit in the spawn's own millisecond is too quick, without the future warning", async (t) => {
  const { p, host } = makeProcess();
  p.spawn();
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "BACKOFF");
  t.notOk(host.lines().some((l) => l.includes("in the future")));
});

t.test("finish without a child is an error", async (t) => {
  const { p } = makeProcess();
  t.throws(() => p.finish({ code: 0, signal: null }), { code: "NOT_RUNNING" });
});
