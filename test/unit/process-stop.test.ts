import t from "tap";
import { makeProcess, T0 } from "../helpers/fake-process-host.js";

function running(overrides: Parameters<typeof makeProcess>[0] = {}) {
  const r = makeProcess(overrides);
  r.p.spawn();
  r.host.clock.advance(2000);
  r.host.clear();
  return r;
}

t.test("stop from RUNNING: SIGTERM, STOPPING, reaped -> STOPPED with WARN for a signal death", async (t) => {
  const { p, host } = running();
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPING");
  t.equal(p.killing, true);
  t.equal(p.administrativeStop, true);
  t.equal(p.delay, T0 + 2000 + 10_000);
  t.strictSame(host.kills, [{ pid: 100, signal: 15 }]);
  host.clock.advance(300);
  p.finish({ code: null, signal: "SIGTERM" });
  t.equal(p.state, "STOPPED");
  t.equal(p.pid, 0);
  t.equal(p.killing, false);
  t.equal(p.exitstatus, -1);
  t.equal(p.laststop, T0 + 2300);
  t.strictSame(host.lines(), ["DEBG killing foo (pid 100) with signal SIGTERM", "WARN stopped: foo (terminated by SIGTERM)"]);
  t.strictSame(host.eventSummary(), ["STOPPING from=RUNNING tries=0 pid=100", "STOPPED from=STOPPING tries=0 pid=100"]);
  host.clock.advance(60_000);
  t.equal(host.kills.length, 1, "no SIGKILL after the reap");
  t.equal(host.clock.pendingTimers(), 0);
});

t.test("stopped: is INFO when the exit code is expected", async (t) => {
  const { p, host } = running({ exitcodes: [0, 143] });
  p.stop();
  p.finish({ code: 143, signal: null });
  t.equal(host.lines().at(-1), "INFO stopped: foo (exit status 143)");
  t.equal(p.exitstatus, 143);
});

t.test("stop from STARTING", async (t) => {
  const { p, host } = makeProcess();
  p.spawn();
  host.clock.advance(200);
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPING");
  host.clock.advance(5000);
  t.equal(p.state, "STOPPING", "the startsecs timer no longer applies");
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "STOPPED");
  t.strictSame(host.eventSummary(), [
    "STARTING from=STOPPED tries=0 pid=0",
    "STOPPING from=STARTING tries=0 pid=100",
    "STOPPED from=STOPPING tries=0 pid=100",
  ]);
  t.equal(host.lines().at(-1), "INFO stopped: foo (exit status 0)");
});

t.test("stop from BACKOFF: STOPPED at once, no signal, no more retries", async (t) => {
  const { p, host } = makeProcess({ startretries: 10 });
  p.spawn();
  p.finish({ code: 1, signal: null });
  host.clear();
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPED");
  t.strictSame(host.kills, []);
  t.strictSame(host.lines(), ["DEBG Attempted to kill foo, which is in BACKOFF state."]);
  t.strictSame(host.eventSummary(), ["STOPPED from=BACKOFF tries=1 pid=0"]);
  host.clock.advance(60_000);
  t.equal(host.spawnTimes.length, 0);
  t.equal(host.clock.pendingTimers(), 0);
  // The backoff counter is kept (supervisord resets it only on RUNNING / EXITED / give-up).
  p.spawn();
  t.equal(host.events.at(-1)?.tries, 1);
});

t.test("stop of a crash loop between two paced restarts: STOPPED at once, the restart cancelled", async (t) => {
  const { p, host } = makeProcess({ startsecs: 0, autorestart: true });
  p.spawn();
  host.clock.advance(0);
  t.equal(p.state, "RUNNING");
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "EXITED");
  t.equal(p.restartPending, true, "the paced restart is pending");
  host.clear();
  t.equal(p.stop(), null, "accepted, like a stop of the RUNNING child supervisord would have");
  t.equal(p.state, "STOPPED");
  t.equal(p.restartPending, false);
  t.strictSame(host.kills, []);
  t.strictSame(host.lines(), ["DEBG Attempted to kill foo, which is in EXITED state with a restart pending."]);
  t.strictSame(host.eventSummary(), ["STOPPED from=EXITED tries=0 pid=0"]);
  const spawns = host.spawnTimes.length;
  host.clock.advance(60_000);
  t.equal(p.state, "STOPPED", "no spawn after the stop");
  t.equal(host.spawnTimes.length, spawns);
  t.equal(host.clock.pendingTimers(), 0);
});

t.test("restartPending: only EXITED with an autorestart the daemon would do", async (t) => {
  const exited = (over: Parameters<typeof makeProcess>[0]) => {
    const r = running(over);
    r.p.finish({ code: 0, signal: null });
    return r;
  };
  t.equal(exited({ autorestart: true }).p.restartPending, true);
  t.equal(exited({ autorestart: false }).p.restartPending, false);
  t.equal(exited({ autorestart: "unexpected", exitcodes: [0] }).p.restartPending, false, "an expected exit is not restarted");
  t.equal(exited({ autorestart: "unexpected", exitcodes: [2] }).p.restartPending, true);
  const shuttingDown = exited({ autorestart: true });
  shuttingDown.host.currentMood = "SHUTDOWN";
  t.equal(shuttingDown.p.restartPending, false, "nothing respawns while the daemon shuts down");
  t.equal(running().p.restartPending, false, "RUNNING");
});

t.test("stop when not running returns the error text", async (t) => {
  for (const make of [
    () => makeProcess().p,
    () => {
      const { p, host } = running({ autorestart: false });
      p.finish({ code: 0, signal: null });
      t.equal(p.state, "EXITED");
      host.clear();
      return p;
    },
    () => {
      const { p, host } = makeProcess({ startretries: 0 });
      host.spawnError = "x";
      p.spawn();
      host.clock.advance(0);
      t.equal(p.state, "FATAL");
      return p;
    },
  ]) {
    const p = make();
    const before = p.state;
    t.equal(p.stop(), "attempted to kill foo with sig SIGTERM but it wasn't running");
    t.equal(p.state, before);
  }
  const { p, host } = makeProcess({ stopsignal: 2, stopsignal_name: "INT" });
  t.equal(p.stop(), "attempted to kill foo with sig SIGINT but it wasn't running");
  t.strictSame(host.lines(), ["DEBG attempted to kill foo with sig SIGINT but it wasn't running"]);
});

t.test("stopwaitsecs elapsed: SIGKILL, repeated every stopwaitsecs until reaped", async (t) => {
  const { p, host } = running({ stopwaitsecs: 10 });
  p.stop();
  host.clock.advance(9999);
  t.equal(host.kills.length, 1);
  host.clock.advance(1);
  t.strictSame(host.kills, [
    { pid: 100, signal: 15 },
    { pid: 100, signal: 9 },
  ]);
  t.equal(p.state, "STOPPING");
  t.equal(p.delay, T0 + 2000 + 20_000);
  host.clock.advance(10_000);
  t.equal(host.kills.length, 3);
  t.equal(host.kills[2].signal, 9);
  p.finish({ code: null, signal: "SIGKILL" });
  t.equal(p.state, "STOPPED");
  t.strictSame(host.lines(), [
    "DEBG killing foo (pid 100) with signal SIGTERM",
    "WARN killing 'foo' (100) with SIGKILL",
    "DEBG killing foo (pid 100) with signal SIGKILL",
    "WARN killing 'foo' (100) with SIGKILL",
    "DEBG killing foo (pid 100) with signal SIGKILL",
    "WARN stopped: foo (terminated by SIGKILL)",
  ]);
  t.strictSame(host.eventSummary(), ["STOPPING from=RUNNING tries=0 pid=100", "STOPPED from=STOPPING tries=0 pid=100"]);
  host.clock.advance(60_000);
  t.equal(host.kills.length, 3);
});

t.test("the SIGKILL escalation happens during daemon shutdown too", async (t) => {
  const { p, host } = running({ stopwaitsecs: 1 });
  host.currentMood = "SHUTDOWN";
  p.stopForShutdown();
  host.clock.advance(1000);
  t.equal(host.kills.at(-1)?.signal, 9);
});

t.test("stopasgroup signals the process group (and implies the group SIGKILL)", async (t) => {
  const { p, host } = running({ stopasgroup: true, killasgroup: true, stopwaitsecs: 1 });
  p.stop();
  host.clock.advance(1000);
  t.strictSame(host.kills, [
    { pid: -100, signal: 15 },
    { pid: -100, signal: 9 },
  ]);
  t.strictSame(host.lines(), [
    "DEBG killing foo (pid 100) process group with signal SIGTERM",
    "WARN killing 'foo' (100) with SIGKILL",
    "DEBG killing foo (pid 100) process group with signal SIGKILL",
  ]);
});

t.test("killasgroup alone: stop signal to the pid, SIGKILL to the group", async (t) => {
  const { p, host } = running({ stopasgroup: false, killasgroup: true, stopwaitsecs: 1 });
  p.stop();
  host.clock.advance(1000);
  t.strictSame(host.kills, [
    { pid: 100, signal: 15 },
    { pid: -100, signal: 9 },
  ]);
});

t.test("ESRCH is ignored: the reaper moves the process to STOPPED", async (t) => {
  const { p, host } = running();
  host.killErrorCode = "ESRCH";
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPING");
  t.equal(host.lines()[1], "DEBG unable to signal foo (pid 100), it probably just exited on its own: kill ESRCH");
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "STOPPED");
});

t.test("another kill error: CRIT and UNKNOWN", async (t) => {
  const { p, host } = running();
  host.killErrorCode = "EPERM";
  const err = p.stop();
  t.match(err, /^unknown problem killing foo \(100\):/);
  t.equal(p.state, "UNKNOWN");
  t.equal(p.killing, false);
  t.equal(p.delay, 0);
  t.equal(p.pid, 100, "the child may still be alive");
  const crit = host.logs.find((l) => l.level === "critical");
  t.match(crit?.message, /^unknown problem killing foo \(100\):.*kill EPERM/s);
  t.strictSame(host.eventSummary(), ["STOPPING from=RUNNING tries=0 pid=100", "UNKNOWN from=STOPPING tries=0 pid=100"]);
  t.equal(host.clock.pendingTimers(), 0, "no SIGKILL escalation from UNKNOWN");
  t.equal(p.spawn(), 0, "a start request while the child lives is a no-op");
  t.equal(host.lines().at(-1), "WARN process 'foo' already running");
  host.killErrorCode = null;
  p.finish({ code: null, signal: "SIGTERM" });
  t.equal(p.state, "UNKNOWN", "UNKNOWN is sticky");
  t.equal(p.pid, 0);
  t.equal(p.exitstatus, -1);
  t.throws(() => p.spawn(), { name: "ProcessStateError", code: "BAD_STATE" });
});

t.test("stop during STOPPING re-sends the stop signal without a new event", async (t) => {
  const { p, host } = running({ stopwaitsecs: 10 });
  p.stop();
  host.clock.advance(4000);
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPING");
  t.strictSame(host.kills, [
    { pid: 100, signal: 15 },
    { pid: 100, signal: 15 },
  ]);
  t.equal(host.events.length, 1);
  t.equal(p.delay, T0 + 2000 + 4000 + 10_000, "stopwaitsecs counts from the last signal");
  host.clock.advance(9999);
  t.equal(host.kills.length, 2);
  host.clock.advance(1);
  t.equal(host.kills.at(-1)?.signal, 9);
});

t.test("start while STOPPING is a logged no-op", async (t) => {
  const { p, host } = running();
  p.stop();
  t.equal(p.spawn(), 0);
  t.equal(p.state, "STOPPING");
  t.equal(host.lines().at(-1), "WARN process 'foo' already running");
  t.equal(host.spawnTimes.length, 0);
});

t.test("signal() sends to the pid only, no state change", async (t) => {
  const { p, host } = running({ stopasgroup: true });
  t.equal(p.signal(1), null);
  t.strictSame(host.kills, [{ pid: 100, signal: 1 }]);
  t.equal(p.state, "RUNNING");
  t.strictSame(host.lines(), ["DEBG sending foo (pid 100) sig SIGHUP"]);
  t.equal(host.events.length, 0);
  host.killErrorCode = "ESRCH";
  t.equal(p.signal(10), null);
  t.equal(p.state, "RUNNING");
  host.killErrorCode = "EPERM";
  t.match(p.signal(10), /^unknown problem sending sig foo \(100\):/);
  t.equal(p.state, "UNKNOWN");
});

t.test("signal() without a child returns the error text", async (t) => {
  const { p, host } = makeProcess();
  t.equal(p.signal(1), "attempted to send foo sig SIGHUP but it wasn't running");
  t.strictSame(host.kills, []);
});

t.test("stopForShutdown: RUNNING/STARTING are stopped, BACKOFF gives up silently", async (t) => {
  {
    const { p, host } = running();
    host.currentMood = "SHUTDOWN";
    p.stopForShutdown();
    t.equal(p.state, "STOPPING");
  }
  {
    const { p, host } = makeProcess();
    p.spawn();
    host.currentMood = "SHUTDOWN";
    p.stopForShutdown();
    t.equal(p.state, "STOPPING");
  }
  {
    const { p, host } = makeProcess({ startretries: 5 });
    p.spawn();
    p.finish({ code: 1, signal: null });
    host.currentMood = "SHUTDOWN";
    host.clear();
    p.stopForShutdown();
    t.equal(p.state, "FATAL");
    t.equal(p.systemStop, true);
    t.equal(p.backoff, 0);
    t.strictSame(host.lines(), [], "no `gave up:` line on the shutdown path");
    t.strictSame(host.eventSummary(), ["FATAL from=BACKOFF tries=0 pid=0"]);
  }
  {
    const { p, host } = running({ autorestart: false });
    p.finish({ code: 0, signal: null });
    host.clear();
    p.stopForShutdown();
    t.equal(p.state, "EXITED");
    t.equal(host.lines().length, 0);
  }
});

t.test("stopReport: `waiting for <name> to stop` at most every 2 s while STOPPING", async (t) => {
  const { p, host } = running({ stopwaitsecs: 60 });
  p.stopReport();
  t.equal(host.lines().length, 0, "nothing when not STOPPING");
  p.stop();
  host.clear();
  p.stopReport();
  host.clock.advance(1000);
  p.stopReport();
  host.clock.advance(1000);
  p.stopReport();
  host.clock.advance(1);
  p.stopReport();
  t.strictSame(host.lines(), ["INFO waiting for foo to stop", "INFO waiting for foo to stop"]);
});

t.test("dispose cancels the pending timer", async (t) => {
  const { p, host } = makeProcess();
  p.spawn();
  t.equal(host.clock.pendingTimers(), 1);
  p.dispose();
  t.equal(host.clock.pendingTimers(), 0);
  host.clock.advance(5000);
  t.equal(p.state, "STARTING");
});
