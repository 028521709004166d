/** The readiness machine (pure) and the per-process check loop, on a fake clock with a fake prober. */
import t from "tap";
import { FakeClock } from "../../src/supervisord/clock.js";
import { ReadinessMachine, type CheckResult } from "../../src/supervisord/readiness/machine.js";
import { ReadinessLoop } from "../../src/supervisord/readiness/loop.js";
import type { Prober } from "../../src/supervisord/readiness/probes.js";
import { SlotTimers } from "../../src/supervisord/readiness/slot-timers.js";
import type { ReadinessCheck, ReadinessConfig } from "../../src/supervisord/config/types.js";

const PASS: CheckResult = { ok: true, detail: "HTTP 200" };
const FAIL: CheckResult = { ok: false, reason: "HTTP 503" };

t.test("machine: pending -> ready on the first pass, failures while pending do not count", async (t) => {
  const m = new ReadinessMachine({ failures: 2, startsecs: 10 });
  t.equal(m.state, "off");
  t.same(m.spawned(0), { to: "pending", reason: "spawned" });
  t.equal(m.deadline, 10_000);
  t.equal(m.result(FAIL, 1000), null);
  t.equal(m.result(FAIL, 2000), null);
  t.equal(m.result(FAIL, 3000), null);
  t.same(m.result(PASS, 4000), { to: "ready", reason: "HTTP 200" });
  t.equal(m.deadline, null, "no deadline once ready");
});

t.test("machine: `failures` consecutive failures after ready, a pass resets the count", async (t) => {
  const m = new ReadinessMachine({ failures: 3, startsecs: 0 });
  m.spawned(0);
  m.result(PASS, 1);
  t.equal(m.result(FAIL, 2), null);
  t.equal(m.result(FAIL, 3), null);
  t.equal(m.result(PASS, 4), null, "still ready");
  t.equal(m.result(FAIL, 5), null);
  t.equal(m.result(FAIL, 6), null);
  t.same(m.result(FAIL, 7), { to: "unready", reason: "HTTP 503" });
  t.equal(m.result(FAIL, 8), null, "stays unready");
  t.same(m.result(PASS, 9), { to: "ready", reason: "HTTP 200" }, "a later pass makes it ready again");
});

t.test("machine: readiness_startsecs bounds the wait for the first pass; 0 = no bound", async (t) => {
  const m = new ReadinessMachine({ failures: 1, startsecs: 2.5 });
  m.spawned(1000);
  t.equal(m.tick(3499), null);
  t.same(m.tick(3500), { to: "unready", reason: "no pass within 2.5 s" });
  t.same(m.result(PASS, 4000), { to: "ready", reason: "HTTP 200" });
  const late = new ReadinessMachine({ failures: 1, startsecs: 1 });
  late.spawned(0);
  t.same(late.result(FAIL, 1500), { to: "unready", reason: "no pass within 1 s" }, "a failure after the deadline decides too");
  const unbounded = new ReadinessMachine({ failures: 1, startsecs: 0 });
  unbounded.spawned(0);
  t.equal(unbounded.deadline, null);
  t.equal(unbounded.tick(1e12), null);
  t.equal(unbounded.result(FAIL, 1e12), null);
});

t.test("machine: stopped -> off from any state, a respawn starts over", async (t) => {
  const m = new ReadinessMachine({ failures: 1, startsecs: 0 });
  m.spawned(0);
  m.result(PASS, 1);
  t.same(m.stopped("STOPPING"), { to: "off", reason: "STOPPING" });
  t.equal(m.stopped("STOPPED"), null);
  t.equal(m.result(PASS, 2), null, "results while off are ignored");
  t.same(m.spawned(3), { to: "pending", reason: "spawned" });
});

// ---- the loop -----------------------------------------------------------------------------------

interface Attempt {
  readonly at: number;
  aborted: boolean;
  answer(r: CheckResult): void;
}

function rig(overrides: Partial<ReadinessConfig> = {}) {
  const clock = new FakeClock(0);
  const attempts: Attempt[] = [];
  const changes: string[] = [];
  const failed: string[] = [];
  let syncAnswer: CheckResult | null = null;
  const probe: Prober = (_check, _ctx, done) => {
    if (syncAnswer) {
      done(syncAnswer);
      return () => {};
    }
    let over = false;
    const a: Attempt = {
      at: clock.now(),
      aborted: false,
      answer: (r) => {
        if (over || a.aborted) return;
        over = true;
        done(r);
      },
    };
    attempts.push(a);
    return () => {
      a.aborted = true;
    };
  };
  const check: ReadinessCheck = { kind: "tcp", host: "127.0.0.1", port: 1 };
  const config: ReadinessConfig = { check, interval: 1, timeout: 0.5, failures: 2, startsecs: 5, onFailure: "report", ...overrides };
  const timers = new SlotTimers(clock);
  const loop = new ReadinessLoop(config, {
    clock,
    timers,
    probe,
    probeContext: { env: () => ({}), directory: null, user: null },
    publish: (to, reason) => changes.push(`${clock.now()} ${to} (${reason})`),
    failed: (reason) => failed.push(reason),
  });
  return { clock, timers, attempts, changes, failed, loop, setSync: (r: CheckResult | null) => (syncAnswer = r) };
}

t.test("loop: checks start `interval` after the spawn, one at a time, on exact timers", async (t) => {
  const r = rig();
  r.loop.processState("STARTING");
  t.same(r.changes, ["0 pending (spawned)"]);
  r.clock.advance(999);
  t.equal(r.attempts.length, 0);
  r.clock.advance(1);
  t.equal(r.attempts.length, 1);
  r.clock.advance(200);
  r.attempts[0]!.answer(FAIL);
  r.clock.advance(799);
  t.equal(r.attempts.length, 1, "the next check starts interval after the previous one started");
  r.clock.advance(1);
  t.equal(r.attempts.length, 2);
  t.equal(r.attempts[1]!.at, 2000);
  r.attempts[1]!.answer(PASS);
  t.same(r.changes, ["0 pending (spawned)", "2000 ready (HTTP 200)"]);
  r.loop.processState("RUNNING");
  t.same(r.changes.length, 2, "RUNNING changes nothing");
});

t.test("loop: a slow check is aborted at its timeout and counts as failed; a late answer is ignored", async (t) => {
  const r = rig({ failures: 1 });
  r.loop.processState("STARTING");
  r.clock.advance(1000);
  r.attempts[0]!.answer(PASS);
  r.clock.advance(1000);
  t.equal(r.attempts.length, 2);
  r.clock.advance(499);
  t.notOk(r.attempts[1]!.aborted);
  r.clock.advance(1);
  t.ok(r.attempts[1]!.aborted, "aborted at the timeout");
  t.same(r.changes.at(-1), "2500 unready (timeout after 0.5 s)");
  r.attempts[1]!.answer(PASS);
  t.same(r.changes.at(-1), "2500 unready (timeout after 0.5 s)", "the aborted attempt's answer is ignored");
  r.clock.advance(500);
  t.equal(r.attempts.length, 3, "next check interval after the slow one started");
  t.same(r.failed, [], "onFailure=report: no delegate call");
});

t.test("loop: checks that take longer than the interval never overlap", async (t) => {
  const r = rig({ interval: 0.1, timeout: 1 });
  r.loop.processState("STARTING");
  r.clock.advance(100);
  t.equal(r.attempts.length, 1);
  r.clock.advance(700);
  t.equal(r.attempts.length, 1, "no second check while one runs");
  r.attempts[0]!.answer(FAIL);
  t.equal(r.attempts.length, 1);
  r.clock.advance(0);
  t.equal(r.attempts.length, 2, "the next one starts at once after a slow one");
});

t.test("loop: no pass within readiness_startsecs -> unready, exactly at the deadline; fail delegate called", async (t) => {
  const r = rig({ startsecs: 2.5, onFailure: "fail" });
  r.loop.processState("STARTING");
  for (let i = 0; i < 2; i++) {
    r.clock.advance(1000);
    r.attempts.at(-1)!.answer(FAIL);
  }
  r.clock.advance(499);
  t.same(r.changes, ["0 pending (spawned)"]);
  r.clock.advance(1);
  t.same(r.changes, ["0 pending (spawned)", "2500 unready (no pass within 2.5 s)"]);
  t.same(r.failed, ["no pass within 2.5 s"]);
  r.clock.advance(500);
  r.attempts.at(-1)!.answer(PASS);
  t.same(r.changes.at(-1), "3000 ready (HTTP 200)", "still checked while unready");
});

t.test("loop: leaving STARTING/RUNNING stops everything: off, in-flight check aborted, no timers", async (t) => {
  const r = rig();
  r.loop.processState("STARTING");
  r.clock.advance(1000);
  t.equal(r.attempts.length, 1);
  r.loop.processState("STOPPING");
  t.ok(r.attempts[0]!.aborted);
  t.same(r.changes.at(-1), "1000 off (STOPPING)");
  r.clock.advance(10_000);
  t.equal(r.attempts.length, 1, "no check once off");
  t.equal(r.changes.length, 2, "no timeout, no startsecs verdict once off");
  r.loop.processState("STOPPED");
  t.equal(r.changes.length, 2, "no second off");
  r.loop.processState("STARTING");
  t.same(r.changes.at(-1), "11000 pending (spawned)", "a respawn starts over");
  r.loop.dispose();
  r.clock.advance(10_000);
  t.equal(r.attempts.length, 1, "dispose: no more checks");
  t.equal(r.clock.pendingTimers(), 0, "every timer ran out");
});

t.test("loop: a probe answering synchronously is handled and the cadence holds", async (t) => {
  const r = rig();
  r.setSync(PASS);
  r.loop.processState("STARTING");
  r.clock.advance(1000);
  t.same(r.changes.at(-1), "1000 ready (HTTP 200)");
  r.setSync(FAIL);
  r.clock.advance(1000);
  r.clock.advance(1000);
  t.same(r.changes.at(-1), "3000 unready (HTTP 503)");
  t.equal(r.timers.pendingSlots, 2, "the next check and the disarmed timeout (dropped when its slot runs)");
});

t.test("loop: checks of many processes share coalesced timers", async (t) => {
  const clock = new FakeClock(0);
  const timers = new SlotTimers(clock);
  let checks = 0;
  const probe: Prober = (_c, _x, done) => {
    checks++;
    done(PASS);
    return () => {};
  };
  const config: ReadinessConfig = { check: { kind: "tcp", host: "h", port: 1 }, interval: 1, timeout: 1, failures: 1, startsecs: 0, onFailure: "report" };
  for (let i = 0; i < 100; i++) {
    const loop = new ReadinessLoop(config, { clock, timers, probe, probeContext: { env: () => ({}), directory: null, user: null }, publish: () => {}, failed: () => {} });
    clock.advance(10); // spawned 10 ms apart: over one second
    loop.processState("STARTING");
  }
  t.ok(timers.pendingSlots <= 41, `at most one clock timer per 25 ms slot (${timers.pendingSlots})`);
  const before = checks;
  clock.advance(1000);
  t.equal(checks - before, 100, "every process checked once per interval");
  clock.advance(10_000);
  t.equal(checks - before, 1100, "and keeps its cadence");
});

t.test("slot timers: nearest vs up, lazy cancel, a throwing callback does not lose the others", async (t) => {
  const clock = new FakeClock(0);
  const timers = new SlotTimers(clock);
  const ran: string[] = [];
  timers.at(1012, 25, "nearest", () => ran.push(`a@${clock.now()}`));
  timers.at(1012, 25, "up", () => ran.push(`b@${clock.now()}`));
  const c = timers.at(1001, 25, "nearest", () => ran.push("c"));
  timers.at(1010, 25, "nearest", () => {
    throw new Error("boom");
  });
  timers.at(1005, 25, "nearest", () => ran.push(`d@${clock.now()}`));
  timers.cancel(c);
  const errors: unknown[] = [];
  const onErr = (e: unknown) => errors.push(e);
  process.on("uncaughtException", onErr);
  clock.advance(2000);
  await new Promise((r) => setImmediate(r));
  process.off("uncaughtException", onErr);
  t.same(ran, ["a@1000", "d@1000", "b@1025"]);
  t.equal(errors.length, 1);
});
