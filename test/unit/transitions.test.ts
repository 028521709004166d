import t from "tap";
import { ProcessStates, type ProcessStateName, type SupervisorStateName } from "../../src/supervisord/process/states.js";
import { canApply, nextState, ProcessStateError, TRANSITIONS, type TriggerKind } from "../../src/supervisord/process/transitions.js";
import { dueAction, MIN_RESPAWN_INTERVAL_MS, nextDeadline, type TimedConfig, type TimedSnapshot } from "../../src/supervisord/process/timed-rules.js";
import { decodeExit } from "../../src/supervisord/process/exit-status.js";

const STATES = Object.keys(ProcessStates) as ProcessStateName[];
const TRIGGERS = Object.keys(TRANSITIONS) as TriggerKind[];

// The spec's state diagram (§3.3), written out independently of the implementation's table.
const LEGAL: Record<string, ProcessStateName> = {
  "STOPPED spawn": "STARTING",
  "EXITED spawn": "STARTING",
  "FATAL spawn": "STARTING",
  "BACKOFF spawn": "STARTING",
  "STARTING spawn-failed": "BACKOFF",
  "STARTING started": "RUNNING",
  "STARTING exited-too-quickly": "BACKOFF",
  "RUNNING exited": "EXITED",
  "RUNNING stop": "STOPPING",
  "STARTING stop": "STOPPING",
  "STOPPING stop": "STOPPING",
  "BACKOFF stop": "STOPPED",
  // Ours: a crash loop between two paced restarts (Process.kill allows it only then).
  "EXITED stop": "STOPPED",
  "STOPPING reaped-while-stopping": "STOPPED",
  "BACKOFF give-up": "FATAL",
  "RUNNING kill-failed": "UNKNOWN",
  "STARTING kill-failed": "UNKNOWN",
  "STOPPING kill-failed": "UNKNOWN",
};

t.test("every (state, trigger) pair: legal ones lead where the diagram says, the rest throw", async (t) => {
  let legal = 0;
  for (const s of STATES) {
    for (const k of TRIGGERS) {
      const want = LEGAL[`${s} ${k}`];
      if (want) {
        legal++;
        t.equal(nextState("foo", s, { kind: k } as never), want, `${s} --${k}--> ${want}`);
        t.ok(canApply(s, k));
      } else {
        t.notOk(canApply(s, k), `${s} --${k}--> illegal`);
        t.throws(() => nextState("foo", s, { kind: k } as never), ProcessStateError, `${s} ${k} throws`);
      }
    }
  }
  t.equal(legal, Object.keys(LEGAL).length);
});

t.test("ProcessStateError names the process, the state and the allowed states", async (t) => {
  try {
    nextState("web", "UNKNOWN", { kind: "spawn" });
    t.fail("should throw");
  } catch (e) {
    t.type(e, ProcessStateError);
    const err = e as ProcessStateError;
    t.equal(err.code, "BAD_STATE");
    t.equal(err.message, "Assertion failed for web: UNKNOWN not in STOPPED EXITED BACKOFF FATAL (spawn)");
  }
});

t.test("UNKNOWN and RUNNING cannot be (re)spawned; STOPPED/FATAL cannot be stopped by the table", async (t) => {
  t.notOk(canApply("UNKNOWN", "spawn"));
  t.notOk(canApply("RUNNING", "spawn"));
  for (const s of ["STOPPED", "FATAL", "UNKNOWN"] as const) t.notOk(canApply(s, "stop"));
});

const cfg = (o: Partial<TimedConfig> = {}): TimedConfig => ({
  autostart: true,
  autorestart: "unexpected",
  exitcodes: [0],
  startsecs: 1,
  startretries: 3,
  ...o,
});
const snap = (o: Partial<TimedSnapshot>): TimedSnapshot => ({ state: "STOPPED", laststart: 0, delay: 0, backoff: 0, exitstatus: null, ...o });
const T = 1_700_000_000_000;

t.test("dueAction: each timed rule", async (t) => {
  t.same(dueAction(snap({ state: "STARTING", laststart: T }), cfg(), T + 1000, "RUNNING"), null);
  t.same(dueAction(snap({ state: "STARTING", laststart: T }), cfg(), T + 1001, "SHUTDOWN"), { kind: "enter-running" });
  t.same(dueAction(snap({ state: "BACKOFF", delay: T, backoff: 1 }), cfg(), T, "RUNNING"), null);
  t.same(dueAction(snap({ state: "BACKOFF", delay: T, backoff: 1 }), cfg(), T + 1, "RUNNING"), { kind: "spawn", reason: "retry" });
  t.same(dueAction(snap({ state: "BACKOFF", delay: T, backoff: 1 }), cfg(), T + 1, "RESTARTING"), null);
  t.same(dueAction(snap({ state: "BACKOFF", delay: T, backoff: 4 }), cfg(), T - 5000, "SHUTDOWN"), { kind: "give-up" });
  t.same(dueAction(snap({ state: "STOPPING", delay: T }), cfg(), T - 1, "RUNNING"), null);
  t.same(dueAction(snap({ state: "STOPPING", delay: T }), cfg(), T, "SHUTDOWN"), { kind: "sigkill" });
  t.same(dueAction(snap({ state: "STOPPED" }), cfg(), T, "RUNNING"), { kind: "spawn", reason: "autostart" });
  t.same(dueAction(snap({ state: "STOPPED", laststart: T - 10 }), cfg(), T, "RUNNING"), null);
  t.same(dueAction(snap({ state: "STOPPED" }), cfg({ autostart: false }), T, "RUNNING"), null);
  t.same(dueAction(snap({ state: "EXITED", laststart: T - 5000, exitstatus: 1 }), cfg(), T, "RUNNING"), { kind: "spawn", reason: "autorestart" });
  t.same(dueAction(snap({ state: "EXITED", laststart: T - 5000, exitstatus: 0 }), cfg(), T, "RUNNING"), null);
  t.same(dueAction(snap({ state: "EXITED", laststart: T - 5000, exitstatus: 0 }), cfg({ autorestart: true }), T, "RUNNING"), {
    kind: "spawn",
    reason: "autorestart",
  });
  t.same(dueAction(snap({ state: "EXITED", laststart: T - 5000, exitstatus: 1 }), cfg({ autorestart: false }), T, "RUNNING"), null);
  t.same(dueAction(snap({ state: "EXITED", laststart: T - 999, exitstatus: 1 }), cfg(), T, "RUNNING"), null, "paced");
  for (const s of ["RUNNING", "FATAL", "UNKNOWN"] as const) t.same(dueAction(snap({ state: s, laststart: 1 }), cfg({ autorestart: true }), T, "RUNNING"), null);
});

t.test("nextDeadline is exactly the first instant dueAction fires (no early or spinning timers)", async (t) => {
  const moods: SupervisorStateName[] = ["RUNNING", "SHUTDOWN", "RESTARTING"];
  const snapshots: TimedSnapshot[] = [];
  for (const state of STATES) {
    for (const backoff of [0, 1, 3, 4]) {
      for (const exitstatus of [null, 0, 1, -1]) {
        snapshots.push(snap({ state, laststart: T - 300, delay: T + 2000, backoff, exitstatus }));
        snapshots.push(snap({ state, laststart: T - 5000, delay: T - 100, backoff, exitstatus }));
      }
    }
  }
  const configs = [cfg(), cfg({ startsecs: 0, autorestart: true }), cfg({ autorestart: false, startretries: 0 })];
  let checked = 0;
  const wrong: string[] = [];
  for (const s of snapshots) {
    for (const c of configs) {
      for (const mood of moods) {
        const where = `${JSON.stringify(s)} ${JSON.stringify(c)} ${mood}`;
        const d = nextDeadline(s, c, mood);
        if (d === null) {
          // Nothing timed is pending: no action at any later time (autostart is not timed).
          for (const now of [T, T + 1000, T + 10_000, T + 3_600_000]) {
            const a = dueAction(s, c, now, mood);
            if (!(a === null || (a.kind === "spawn" && a.reason === "autostart"))) wrong.push(`no deadline but due at ${now - T}: ${where}`);
          }
        } else {
          const at = Math.max(d, T - 10_000);
          if (dueAction(s, c, at, mood) === null) wrong.push(`not due at its deadline: ${where}`);
          if (d > T - 10_000 && dueAction(s, c, d - 1, mood) !== null) wrong.push(`due 1 ms before its deadline: ${where}`);
          checked++;
        }
      }
    }
  }
  t.strictSame(wrong, []);
  t.ok(checked > 50);
  t.equal(MIN_RESPAWN_INTERVAL_MS, 1000);
});

t.test("decodeExit matches decode_wait_status texts", async (t) => {
  t.same(decodeExit({ code: 0, signal: null }), { es: 0, text: "exit status 0" });
  t.same(decodeExit({ code: 127, signal: null }), { es: 127, text: "exit status 127" });
  t.same(decodeExit({ code: null, signal: "SIGTERM" }), { es: -1, text: "terminated by SIGTERM" });
  t.same(decodeExit({ code: null, signal: "SIGSEGV", coreDumped: true }), { es: -1, text: "terminated by SIGSEGV (core dumped)" });
  t.same(decodeExit({ code: null, signal: "SIGIO" }), { es: -1, text: "terminated by SIGPOLL" }, "supervisord's signame for 29");
  t.same(decodeExit({ code: null, signal: "SIGIOT" }), { es: -1, text: "terminated by SIGABRT" });
});
