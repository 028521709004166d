/**
 * The Commander as a pure state machine (spec §3.7, §6.4-6.9): a ClusterModel of 3 instances
 * loaded with process infos, a Commander over a context backed by that model, driven like the
 * host drives it (model.applyEvent then commander.onEvent; forced states drained with takeReady()
 * applied back to the model). No sockets, no timers: time is the nowMs of each input.
 *
 * Covered: start sequences and placement with pending loads, exact deadlines, request failures and
 * starting failure strategies, "No resource available", wait_exit, the Stopper (ranks, a request
 * per running instance, timeouts), restarts, the running failure handler (instance loss on the
 * Master / a non-Master / the next Master, crashes, closing actions), conciliation, abort().
 */
import t, { type Test } from "tap";
import { S, A, B, C, MARGIN, MASTER, NOT_MASTER, MASTER_CONCILIATING, info, stopped, startReq, stopReq, World, forcedAre, sorted, type ProgramSpec } from "../helpers/commander-world.js";
import type { CommanderReady } from "../../src/supvisors/commander/types.js";

// ================================================================================================
// Starter: sequences and placement
// ================================================================================================

t.test("start sequence: rank 1 together, rank 2 after every rank-1 RUNNING; CONFIG with pending loads", async (t) => {
  const all = ["web:db", "web:cache", "web:api", "web:tool"];
  const w = new World({
    apps: {
      web: {
        startSequence: 1,
        programs: {
          db: { startSequence: 1, expectedLoading: 60 },
          cache: { startSequence: 1, expectedLoading: 50 },
          api: { startSequence: 2, expectedLoading: 30 },
          tool: { startSequence: 0, expectedLoading: 10 },
        },
      },
    },
    loads: { [A]: stopped(...all), [B]: stopped(...all), [C]: stopped(...all) },
  });
  t.equal(w.cmd.starting(), false);
  t.equal(w.cmd.startApplication(w.app("web"), "CONFIG", 1000), true);
  let r = w.take();
  // db (60) -> A; cache (50): A is not valid any more (60 pending + 50 > 100) -> B.
  t.same(r.requests, [startReq(A, "web:db"), startReq(B, "web:cache")], "rank 1 sent together, CONFIG honours pending loads");
  t.equal(w.cmd.starting(), true);
  t.equal(w.cmd.startingApplication("web"), true);
  t.equal(w.cmd.handles("web"), true);
  t.equal(w.cmd.pendingLoad(A), 60);
  t.equal(w.cmd.pendingLoad(B), 50);
  t.equal(w.cmd.pendingLoad(C), 0);
  t.equal(w.cmd.nextDeadline(), 1000 + MARGIN);

  // An event of db from another instance than its target is not its answer.
  r = w.event(1050, B, "web:db", S.STOPPED);
  t.same(r.requests, []);
  t.same(r.forced, []);
  t.equal(w.cmd.pendingLoad(A), 60, "db still pending on A");

  r = w.event(1100, B, "web:cache", S.STARTING);
  t.same(r.requests, []);
  t.equal(w.cmd.pendingLoad(B), 0, "STARTING: no longer pending (the model's load counts it)");
  t.equal(w.model.instanceLoading(B), 50);
  r = w.event(1200, B, "web:cache", S.RUNNING);
  t.same(r.requests, [], "db is not RUNNING yet: rank 2 waits");
  t.equal(w.cmd.startingApplication("web"), true);

  r = w.event(1300, A, "web:db", S.STARTING);
  t.same(r.requests, []);
  r = w.event(1400, A, "web:db", S.RUNNING);
  // api (30): A has 60 running, 60 + 30 <= 100 -> A is the first valid.
  t.same(r.requests, [startReq(A, "web:api")], "rank 2 once every rank-1 command is RUNNING");
  t.equal(w.cmd.starting(), true);
  t.equal(w.cmd.startingApplication("web"), true);

  w.event(1500, A, "web:api", S.STARTING);
  t.equal(w.cmd.starting(), true, "still starting until the last command completes");
  r = w.event(1600, A, "web:api", S.RUNNING);
  t.same(r.requests, [], "rank 0 (tool) is never started");
  t.equal(w.cmd.starting(), false);
  t.equal(w.cmd.startingApplication("web"), false);
  t.equal(w.cmd.handles("web"), false);
  t.equal(w.cmd.nextDeadline(), null);
  t.equal(w.app("web").state, "RUNNING");
});

t.test("LESS_LOADED: the order's strategy, pending loads in the sort key, ties to the earliest", async (t) => {
  const calc = ["calc:w1", "calc:w2", "calc:w3"];
  const w = new World({
    apps: {
      calc: { startSequence: 1, startingStrategy: "CONFIG", programs: { w1: { startSequence: 1, expectedLoading: 30 }, w2: { startSequence: 1, expectedLoading: 30 }, w3: { startSequence: 1, expectedLoading: 30 } } },
      bg: { programs: { hog: { expectedLoading: 40 } } },
    },
    loads: { [A]: [info("bg:hog", S.RUNNING), ...stopped(...calc)], [B]: stopped(...calc), [C]: stopped(...calc) },
  });
  t.equal(w.model.instanceLoading(A), 40);
  w.cmd.startApplication(w.app("calc"), "LESS_LOADED", 1000);
  const r = w.take();
  // w1: A40 B0 C0 -> B; w2: A40 B30 C0 -> C; w3: A40 B30 C30 -> B (tie with C: the earliest).
  t.same(r.requests, [startReq(B, "calc:w1"), startReq(C, "calc:w2"), startReq(B, "calc:w3")]);
  t.equal(w.cmd.pendingLoad(B), 60);
  t.equal(w.cmd.pendingLoad(C), 30);
  t.equal(w.cmd.placementContext().pendingLoad(B), 60, "the placement context carries the pending loads");
});

t.test("planned application ranks: the lowest first once the current rank ends", async (t) => {
  const w = new World({
    apps: { x: { startSequence: 1, programs: { p: { startSequence: 1 } } }, y: { startSequence: 3, programs: { p: { startSequence: 1 } } }, z: { startSequence: 2, programs: { p: { startSequence: 1 } } } },
    loads: { [A]: stopped("x:p", "y:p", "z:p") },
  });
  w.cmd.startApplication(w.app("x"), "CONFIG", 1000);
  t.same(w.take().requests, [startReq(A, "x:p")], "nothing else runs: at once");
  w.cmd.startApplication(w.app("y"), "CONFIG", 1001);
  w.cmd.startApplication(w.app("z"), "CONFIG", 1002);
  t.same(w.take().requests, [], "another application rank is in progress: planned");
  t.equal(w.cmd.startingApplication("y"), true);
  w.event(1100, A, "x:p", S.STARTING);
  t.same(w.event(1200, A, "x:p", S.RUNNING).requests, [startReq(A, "z:p")], "rank 2 before rank 3");
  w.event(1300, A, "z:p", S.STARTING);
  t.same(w.event(1400, A, "z:p", S.RUNNING).requests, [startReq(A, "y:p")]);
});

t.test("automatic start: applications that never ran or show a failure, with their own strategy", async (t) => {
  const w = new World({
    apps: {
      fresh: { startSequence: 1, startingStrategy: "LESS_LOADED", programs: { f: { startSequence: 1, expectedLoading: 10 } } },
      done: { startSequence: 1, programs: { d: { startSequence: 1 } } },
      broken: { startSequence: 1, programs: { b: { startSequence: 1 } } },
      zero: { startSequence: 0, programs: { z: { startSequence: 1 } } },
      bg: { programs: { hog: { expectedLoading: 40 } } },
    },
    loads: {
      [A]: [info("bg:hog", S.RUNNING), info("fresh:f", S.STOPPED), info("done:d", S.STOPPED, { stop: 90, stop_monotonic: 0.9 }), info("broken:b", S.FATAL), info("zero:z", S.STOPPED), info("um:u", S.STOPPED)],
      [B]: [info("fresh:f", S.STOPPED), info("done:d", S.STOPPED), info("broken:b", S.STOPPED)],
    },
  });
  t.equal(w.app("broken").minorFailure, true);
  t.equal(w.cmd.startApplications(1000), true);
  // fresh (LESS_LOADED): A carries bg:hog (40) -> B; broken (CONFIG) -> A.
  t.same(sorted(w.take().requests), sorted([startReq(B, "fresh:f"), startReq(A, "broken:b")]), "done (stopped after a run), zero (rank 0), bg and the unmanaged um are left alone");
});

t.test("automatic start: application start_sequence lowest first whatever the order the applications are planned in (spec §3.7)", async (t) => {
  // The model lists second (rank 2) before first (rank 1).
  const w = new World({
    apps: { second: { startSequence: 2, programs: { s: { startSequence: 1 } } }, first: { startSequence: 1, programs: { f: { startSequence: 1 } } } },
    loads: { [A]: stopped("second:s", "first:f") },
  });
  t.same(w.model.applicationNames(), ["second", "first"]);
  t.equal(w.cmd.startApplications(1000), true);
  t.same(w.take().requests, [startReq(A, "first:f")], "rank 1 first");
  w.event(1100, A, "first:f", S.STARTING);
  t.same(w.event(1200, A, "first:f", S.RUNNING).requests, [startReq(A, "second:s")], "rank 2 once rank 1 is done");
});

// ================================================================================================
// Starter: deadlines, failures, no resource, wait_exit
// ================================================================================================

t.test("exact deadlines: STARTING within the margin, RUNNING within startsecs + margin; timeouts do not apply the strategy", async (t) => {
  const progs = ["dl:slow", "dl:mute", "dl:next"];
  const load = () => [info("dl:slow", S.STOPPED, { startsecs: 10 }), info("dl:mute", S.STOPPED, { startsecs: 3 }), info("dl:next", S.STOPPED)];
  const w = new World({
    apps: { dl: { startSequence: 1, programs: { slow: { startSequence: 1 }, mute: { startSequence: 1, required: true, startingFailureStrategy: "ABORT" }, next: { startSequence: 2 } } } },
    loads: { [A]: load(), [B]: load(), [C]: stopped(...progs) },
  });
  w.cmd.startApplication(w.app("dl"), "CONFIG", 1000);
  let r = w.take();
  t.same(r.requests, [startReq(A, "dl:slow"), startReq(A, "dl:mute")]);
  t.equal(w.cmd.nextDeadline(), 6000, "request time + margin");

  r = w.event(2000, A, "dl:slow", S.STARTING);
  t.equal(w.cmd.nextDeadline(), 6000, "mute still waits for STARTING");

  r = w.time(5999);
  t.same(r.forced, [], "not yet");
  t.same(r.requests, []);
  r = w.time(6000);
  forcedAre(t, r, [{ identifier: A, namespec: "dl:mute", state: S.FATAL, reason: "process STARTING event not received in time" }], "STARTING timeout");
  t.equal(r.forced[0]!.now_monotonic, w.proc("dl:mute").records.get(A)!.event_time, "referenced to the target's last event time");
  t.equal(w.proc("dl:mute").displayedState, S.FATAL, "applied to the model");
  t.equal(w.proc("dl:mute").forcedReason, "process STARTING event not received in time");
  t.same(r.requests, [], "slow still in progress");
  t.equal(w.cmd.nextDeadline(), 2000 + 10 * 1000 + MARGIN, "STARTING time + startsecs + margin");

  r = w.event(9000, A, "dl:slow", S.BACKOFF);
  t.equal(w.cmd.nextDeadline(), 9000 + 10 * 1000 + MARGIN, "BACKOFF resets the deadline");
  r = w.time(23999);
  t.same(r.forced, []);
  r = w.time(24000);
  forcedAre(t, r, [{ identifier: A, namespec: "dl:slow", state: S.FATAL, reason: "process RUNNING event not received in time" }], "RUNNING timeout");
  // Spec §6.4 QUIRK: the required mute timed out, yet ABORT is not applied: rank 2 goes on.
  t.same(r.requests, [startReq(A, "dl:next")], "a timeout does not trigger the starting failure strategy");
  t.equal(w.cmd.nextDeadline(), 24000 + MARGIN);

  r = w.event(24500, A, "dl:mute", S.STARTING);
  t.same(r.requests, [], "a late event of a dropped command changes nothing");
  t.same(r.forced, []);
  w.event(25000, A, "dl:next", S.STARTING);
  r = w.event(25100, A, "dl:next", S.RUNNING);
  t.equal(w.cmd.starting(), false);
  t.equal(w.cmd.nextDeadline(), null);
});

t.test("a wait_exit process still STARTING times out waiting for RUNNING (spec §6.4)", async (t) => {
  const w = new World({
    apps: { we: { startSequence: 1, programs: { init: { startSequence: 1, waitExit: true } } } },
    loads: { [A]: stopped("we:init"), [B]: stopped("we:init"), [C]: stopped("we:init") },
  });
  w.cmd.startApplication(w.app("we"), "CONFIG", 1000);
  t.same(w.take().requests, [startReq(A, "we:init")]);
  w.event(2000, A, "we:init", S.STARTING);
  t.equal(w.cmd.nextDeadline(), 2000 + 1000 + MARGIN);
  const r = w.time(8000);
  t.equal(r.forced.length, 1);
  // Supvisors 0.19 ProcessStartCommand.timed_out: from STARTING/BACKOFF the expected state is
  // RUNNING whatever wait_exit (EXITED is expected only once RUNNING, and never times out).
  t.equal(r.forced[0]?.spawnerr, "process RUNNING event not received in time", "the expected event is RUNNING");
  t.equal(w.cmd.starting(), false);
});

t.test("onRequestFailed: forced FATAL with the fault; starting failure strategies of a required process", async (t) => {
  const progs = ["rf:db", "rf:cache", "rf:api"];
  const world = (dbRules: ProgramSpec) =>
    new World({
      apps: { rf: { startSequence: 1, programs: { db: { startSequence: 1, ...dbRules }, cache: { startSequence: 1 }, api: { startSequence: 2 } } } },
      loads: { [A]: stopped(...progs), [B]: stopped(...progs), [C]: stopped(...progs) },
    });
  const fault = "SPAWN_ERROR: rf:db";
  /** Starts rf, fails db's request, brings cache to RUNNING; returns the output of cache's RUNNING. */
  const run = (t: Test, w: World): CommanderReady => {
    w.cmd.startApplication(w.app("rf"), "CONFIG", 1000);
    t.same(w.take().requests, [startReq(A, "rf:db"), startReq(A, "rf:cache")]);
    w.cmd.onRequestFailed(startReq(B, "rf:db"), fault, 1050);
    t.same(w.take().forced, [], "a failure of a request to another target is not this command's");
    w.cmd.onRequestFailed(startReq(A, "rf:db"), fault, 1100);
    const r = w.take();
    forcedAre(t, r, [{ identifier: A, namespec: "rf:db", state: S.FATAL, reason: fault }], "request failure");
    t.same(r.requests, [], "cache still in progress");
    t.equal(w.proc("rf:db").displayedState, S.FATAL);
    t.equal(w.proc("rf:db").forcedReason, fault);
    w.event(1200, A, "rf:cache", S.STARTING);
    return w.event(1300, A, "rf:cache", S.RUNNING);
  };

  t.test("ABORT: the next ranks are dropped, the command in progress finishes", async (t) => {
    const w = world({ required: true, startingFailureStrategy: "ABORT" });
    const r = run(t, w);
    t.same(r.requests, [], "api (rank 2) never requested");
    t.equal(w.cmd.starting(), false);
    t.equal(w.cmd.stopping(), false);
  });

  t.test("STOP: like ABORT, then the application is stopped when the job ends", async (t) => {
    const w = world({ required: true, startingFailureStrategy: "STOP" });
    const r = run(t, w);
    t.same(r.requests, [stopReq(A, "rf:cache")]);
    t.equal(w.cmd.starting(), false);
    t.equal(w.cmd.stopping(), true);
    t.equal(w.cmd.stoppingApplication("rf"), true);
    w.event(1400, A, "rf:cache", S.STOPPING);
    w.event(1500, A, "rf:cache", S.STOPPED);
    t.equal(w.cmd.stopping(), false);
  });

  t.test("CONTINUE: the next ranks go on", async (t) => {
    const w = world({ required: true, startingFailureStrategy: "CONTINUE" });
    t.same(run(t, w).requests, [startReq(A, "rf:api")]);
    t.equal(w.cmd.starting(), true);
  });

  t.test("a non-required failure is ignored (even with ABORT)", async (t) => {
    const w = world({ required: false, startingFailureStrategy: "ABORT" });
    t.same(run(t, w).requests, [startReq(A, "rf:api")]);
  });
});

t.test("No resource available: load > 100, no RUNNING candidate, a full instance", async (t) => {
  const progs = ["nr:hog", "nr:pinned", "nr:full", "nr:after"];
  const world = (hogRequired: boolean) =>
    new World({
      apps: {
        nr: {
          startSequence: 1,
          programs: {
            hog: { startSequence: 1, expectedLoading: 101, required: hogRequired },
            pinned: { startSequence: 1, identifiers: [C] },
            full: { startSequence: 1, identifiers: [A], expectedLoading: 30 },
            after: { startSequence: 2 },
          },
        },
        bg: { programs: { big: { expectedLoading: 80 } } },
      },
      loads: { [A]: [info("bg:big", S.RUNNING), ...stopped(...progs)], [B]: stopped(...progs), [C]: stopped(...progs) },
      states: { [C]: "CHECKED" },
    });
  const reason = "No resource available";
  const noResource = [
    { identifier: "", namespec: "nr:hog", state: S.FATAL, reason },
    { identifier: "", namespec: "nr:pinned", state: S.FATAL, reason },
    { identifier: "", namespec: "nr:full", state: S.FATAL, reason },
  ];

  t.test("non-required: forced FATAL, the sequence goes on", async (t) => {
    const w = world(false);
    w.cmd.startApplication(w.app("nr"), "CONFIG", 1000);
    const r = w.take();
    forcedAre(t, r, noResource, "no resource");
    t.same(r.requests, [startReq(A, "nr:after")], "rank 1 ended at once: rank 2 (A: 80 + 0 <= 100)");
    t.equal(w.proc("nr:hog").displayedState, S.FATAL);
    t.equal(w.proc("nr:pinned").forcedReason, reason);
    t.equal(w.app("nr").state, "STOPPED");
  });

  t.test("required (ABORT): the failure strategy applies (spec §6.4: no resource is a real failure)", async (t) => {
    const w = world(true);
    t.equal(w.cmd.startApplication(w.app("nr"), "CONFIG", 1000), true);
    const r = w.take();
    forcedAre(t, r, noResource, "no resource");
    t.same(r.requests, [], "rank 2 dropped");
    t.equal(w.cmd.starting(), false);
  });
});

t.test("wait_exit: RUNNING alone does not complete, an expected EXITED does", async (t) => {
  const progs = ["we:init", "we:api"];
  const world = () =>
    new World({
      apps: { we: { startSequence: 1, programs: { init: { startSequence: 1, waitExit: true, required: true }, api: { startSequence: 2 } } } },
      loads: { [A]: stopped(...progs), [B]: stopped(...progs), [C]: stopped(...progs) },
    });

  t.test("expected exit", async (t) => {
    const w = world();
    w.cmd.startApplication(w.app("we"), "CONFIG", 1000);
    t.same(w.take().requests, [startReq(A, "we:init")]);
    w.event(1100, A, "we:init", S.STARTING);
    let r = w.event(1200, A, "we:init", S.RUNNING);
    t.same(r.requests, [], "RUNNING alone does not complete a wait_exit command");
    t.equal(w.cmd.startingApplication("we"), true);
    const d = w.cmd.nextDeadline();
    t.ok(d === null || d === Infinity, "no deadline while waiting for the exit");
    r = w.time(10_000_000);
    t.same(r.forced, [], "never times out");
    r = w.event(20_000_000, A, "we:init", S.EXITED, { expected: true });
    t.same(r.requests, [startReq(A, "we:api")]);
  });

  t.test("unexpected exit: a failure (required ABORT drops rank 2)", async (t) => {
    const w = world();
    w.cmd.startApplication(w.app("we"), "CONFIG", 1000);
    w.take();
    w.event(1100, A, "we:init", S.STARTING);
    w.event(1200, A, "we:init", S.RUNNING);
    const r = w.event(1300, A, "we:init", S.EXITED, { expected: false });
    t.same(r.requests, []);
    t.equal(w.cmd.starting(), false);
  });

  t.test("start_process ignores wait_exit", async (t) => {
    const w = world();
    w.cmd.startProcesses(w.app("we"), [w.proc("we:init")], "CONFIG", "-v", 1000);
    t.same(w.take().requests, [startReq(A, "we:init", "-v")], "extra args passed");
    w.event(1100, A, "we:init", S.STARTING);
    w.event(1200, A, "we:init", S.RUNNING);
    t.equal(w.cmd.starting(), false, "RUNNING completes it");
  });
});

// ================================================================================================
// Stopper
// ================================================================================================

t.test("Stopper: ranks greatest first, a request per running instance, completion on STOPPED events", async (t) => {
  const progs = ["st:front", "st:mid", "st:back", "st:idle"];
  const w = new World({
    apps: { st: { programs: { front: { stopSequence: 2 }, mid: { stopSequence: 1 }, back: { stopSequence: 0 }, idle: { stopSequence: 2 } } } },
    loads: {
      [A]: [info("st:front", S.RUNNING), info("st:mid", S.RUNNING), ...stopped("st:back", "st:idle")],
      [B]: [info("st:mid", S.RUNNING), ...stopped("st:front", "st:back", "st:idle")],
      [C]: [info("st:back", S.RUNNING), ...stopped("st:front", "st:mid", "st:idle")],
    },
  });
  t.ok(progs.every((ns) => w.proc(ns)));
  t.equal(w.cmd.stopApplication(w.app("st"), 1000), true);
  let r = w.take();
  t.same(r.requests, [stopReq(A, "st:front")], "rank 2 first; idle (not running) is not stopped");
  t.equal(w.cmd.stopping(), true);
  t.equal(w.cmd.stoppingApplication("st"), true);
  t.equal(w.cmd.nextDeadline(), 1000 + MARGIN);

  r = w.event(1100, A, "st:front", S.STOPPING);
  t.same(r.requests, []);
  t.equal(w.cmd.nextDeadline(), 1100 + 10 * 1000 + MARGIN, "STOPPING: stopwaitsecs + margin");
  r = w.event(1200, A, "st:front", S.STOPPED);
  t.same(r.requests, [stopReq(A, "st:mid"), stopReq(B, "st:mid")], "rank 1: one request per running instance");

  r = w.event(1300, A, "st:mid", S.STOPPED);
  t.same(r.requests, [], "mid still runs on B");
  t.equal(w.cmd.stoppingApplication("st"), true);
  r = w.event(1400, B, "st:mid", S.STOPPED);
  t.same(r.requests, [stopReq(C, "st:back")], "rank 0 last");
  r = w.event(1500, C, "st:back", S.EXITED);
  t.same(r.requests, []);
  t.equal(w.cmd.stopping(), false, "any stopped state completes");
  t.equal(w.cmd.stoppingApplication("st"), false);
  t.equal(w.cmd.nextDeadline(), null);
  t.equal(w.cmd.stopApplication(w.app("st"), 1600), false, "nothing runs: no job");
  t.equal(w.cmd.stopping(), false);
});

t.test("global stop: every application with a running process, unmanaged included", async (t) => {
  const w = new World({
    apps: { one: { stopSequence: 1, programs: { x: {} } }, two: { stopSequence: 1, programs: { y: {} } }, idle: { stopSequence: 1, programs: { i: {} } } },
    loads: { [A]: [info("one:x", S.RUNNING), info("misc:z", S.RUNNING), info("idle:i", S.STOPPED)], [B]: [info("two:y", S.RUNNING)] },
  });
  t.equal(w.app("misc").rules.stopSequence, 0, "unmanaged: rank 0");
  t.equal(w.cmd.stopApplications(1000), true);
  t.same(w.take().requests, [stopReq(A, "one:x"), stopReq(B, "two:y")], "the applications of the greatest rank together");
  t.same(w.event(1100, A, "one:x", S.STOPPED).requests, [], "two:y still running: rank 1 not done");
  t.same(w.event(1200, B, "two:y", S.STOPPED).requests, [stopReq(A, "misc:z")], "then rank 0");
  w.event(1300, A, "misc:z", S.STOPPED);
  t.equal(w.cmd.stopping(), false);
  t.equal(w.cmd.stopApplications(1400), false, "nothing runs any more");
});

t.test("planned application stop ranks: the greatest first once the current rank ends", async (t) => {
  const w = new World({
    apps: { x: { stopSequence: 1, programs: { p: {} } }, y: { stopSequence: 0, programs: { p: {} } }, z: { stopSequence: 2, programs: { p: {} } } },
    loads: { [A]: [info("x:p", S.RUNNING), info("y:p", S.RUNNING), info("z:p", S.RUNNING)] },
  });
  w.cmd.stopApplication(w.app("x"), 1000);
  t.same(w.take().requests, [stopReq(A, "x:p")], "nothing else stops: at once");
  w.cmd.stopApplication(w.app("y"), 1001);
  w.cmd.stopApplication(w.app("z"), 1002);
  t.same(w.take().requests, [], "another application rank is in progress: planned");
  t.equal(w.cmd.stoppingApplication("y"), true);
  t.same(w.event(1100, A, "x:p", S.STOPPED).requests, [stopReq(A, "z:p")], "rank 2 before rank 0");
  t.same(w.event(1200, A, "z:p", S.STOPPED).requests, [stopReq(A, "y:p")]);
  w.event(1300, A, "y:p", S.STOPPED);
  t.equal(w.cmd.stopping(), false);
});

t.test("global stop: application stop_sequence greatest first whatever the order the applications are planned in (spec §3.7)", async (t) => {
  // The model lists late (rank 0) before early (rank 2).
  const w = new World({
    apps: { early: { stopSequence: 2, programs: { x: {} } }, late: { stopSequence: 0, programs: { y: {} } } },
    loads: { [A]: [info("late:y", S.RUNNING), info("early:x", S.RUNNING)] },
  });
  t.same(w.model.applicationNames(), ["late", "early"]);
  t.equal(w.cmd.stopApplications(1000), true);
  t.same(w.take().requests, [stopReq(A, "early:x")], "rank 2 first");
  t.same(w.event(1100, A, "early:x", S.STOPPED).requests, [stopReq(A, "late:y")], "rank 0 once rank 2 is done");
});

t.test("Stopper timeouts: forced STOPPED with Supvisors' reasons", async (t) => {
  const w = new World({
    apps: { sto: { programs: { p1: {}, p2: {} } } },
    loads: {
      [A]: [info("sto:p1", S.RUNNING, { stopwaitsecs: 7 }), info("sto:p2", S.STOPPED)],
      [B]: [info("sto:p1", S.STOPPED), info("sto:p2", S.RUNNING)],
    },
  });
  w.cmd.stopApplication(w.app("sto"), 1000);
  t.same(w.take().requests, [stopReq(A, "sto:p1"), stopReq(B, "sto:p2")]);
  t.equal(w.cmd.nextDeadline(), 6000);
  w.event(2000, A, "sto:p1", S.STOPPING);
  t.equal(w.cmd.nextDeadline(), 6000, "p2 still waits for STOPPING");
  let r = w.time(5999);
  t.same(r.forced, []);
  r = w.time(6000);
  forcedAre(t, r, [{ identifier: B, namespec: "sto:p2", state: S.STOPPED, reason: "process STOPPING event not received in time" }], "STOPPING timeout");
  t.equal(w.cmd.stopping(), true);
  t.equal(w.cmd.nextDeadline(), 2000 + 7 * 1000 + MARGIN, "STOPPING time + stopwaitsecs + margin");
  r = w.time(13999);
  t.same(r.forced, []);
  r = w.time(14000);
  forcedAre(t, r, [{ identifier: A, namespec: "sto:p1", state: S.STOPPED, reason: "process STOPPED event not received in time" }], "STOPPED timeout");
  t.equal(w.proc("sto:p1").displayedState, S.STOPPED, "applied to the model");
  t.equal(w.cmd.stopping(), false);
  t.equal(w.cmd.nextDeadline(), null);
});

// ================================================================================================
// Restart
// ================================================================================================

t.test("restartApplication: stop first, the start is planned when the stop ends", async (t) => {
  const progs = ["rs:p1", "rs:p2", "rs:p3"];
  const world = (running: boolean) =>
    new World({
      apps: { rs: { startSequence: 1, programs: { p1: { startSequence: 1 }, p2: { startSequence: 2 }, p3: { startSequence: 0 } } } },
      loads: { [A]: stopped(...progs), [B]: running ? [info("rs:p1", S.RUNNING), info("rs:p2", S.RUNNING), info("rs:p3", S.STOPPED)] : stopped(...progs), [C]: stopped(...progs) },
    });

  t.test("something runs", async (t) => {
    const w = world(true);
    t.equal(w.cmd.restartApplication(w.app("rs"), "CONFIG", 1000), true);
    let r = w.take();
    t.same(r.requests, [stopReq(B, "rs:p1"), stopReq(B, "rs:p2")], "stops only");
    t.equal(w.cmd.stopping(), true);
    t.equal(w.cmd.startingApplication("rs"), true, "a start waits for the stop");
    r = w.event(1100, B, "rs:p1", S.STOPPED);
    t.same(r.requests, []);
    r = w.event(1200, B, "rs:p2", S.STOPPED);
    t.same(r.requests, [startReq(A, "rs:p1")], "the stop ended: the start sequence begins");
    t.equal(w.cmd.stopping(), false);
    t.equal(w.cmd.starting(), true);
    w.event(1300, A, "rs:p1", S.STARTING);
    r = w.event(1400, A, "rs:p1", S.RUNNING);
    t.same(r.requests, [startReq(A, "rs:p2")]);
    w.event(1500, A, "rs:p2", S.STARTING);
    r = w.event(1600, A, "rs:p2", S.RUNNING);
    t.same(r.requests, []);
    t.equal(w.cmd.starting(), false);
    t.equal(w.cmd.startingApplication("rs"), false);
  });

  t.test("nothing runs: started at once", async (t) => {
    const w = world(false);
    t.equal(w.cmd.restartApplication(w.app("rs"), "CONFIG", 1000), true);
    t.same(w.take().requests, [startReq(A, "rs:p1")]);
    t.equal(w.cmd.stopping(), false);
  });
});

// ================================================================================================
// Running failure handler
// ================================================================================================

t.test("failure handler: instance loss with RESTART_PROCESS", async (t) => {
  const progs = ["fh:api", "fh:web"];
  const world = () =>
    new World({
      apps: { fh: { startSequence: 1, programs: { api: { startSequence: 1, runningFailureStrategy: "RESTART_PROCESS" }, web: { startSequence: 1 } } } },
      loads: { [A]: [info("fh:web", S.RUNNING), info("fh:api", S.STOPPED)], [B]: [info("fh:api", S.RUNNING), info("fh:web", S.STOPPED)], [C]: stopped(...progs) },
    });

  t.test("on the repairing Master: a start request elsewhere", async (t) => {
    const w = world();
    t.same(w.role(MASTER, 1000).requests, []);
    const { lost, ready } = w.lose(2000, B);
    t.same(lost, ["fh:api"]);
    t.equal(w.app("fh").state, "RUNNING", "web still runs: no promotion");
    t.same(ready.requests, [startReq(A, "fh:api")]);
    t.same(ready.actions, []);
    t.same(w.time(3000).requests, [], "once");
    w.event(3100, A, "fh:api", S.STARTING);
    w.event(3200, A, "fh:api", S.RUNNING);
    t.equal(w.cmd.starting(), false);
    t.same(w.role(MASTER, 3300).requests, []);
  });

  t.test("not on a non-Master; remembered and repaired once it becomes the Master (the Master-loss case)", async (t) => {
    const w = world();
    w.role(NOT_MASTER, 1000);
    // B was the Master: this instance (A) only sees the loss.
    const { lost, ready } = w.lose(2000, B);
    t.same(lost, ["fh:api"]);
    t.same(ready.requests, [], "a non-Master does not repair");
    t.same(w.time(3000).requests, []);
    t.same(w.role(MASTER_CONCILIATING, 4000).requests, [], "a Master that does not repair yet (CONCILIATION)");
    const r = w.role(MASTER, 5000);
    t.same(r.requests, [startReq(A, "fh:api")], "repaired by the new Master");
    t.same(w.time(6000).requests, [], "once");
    t.same(w.role(MASTER, 6100).requests, [], "once");
  });

  t.test("not repaired again when it was restarted meanwhile", async (t) => {
    const w = world();
    w.role(NOT_MASTER, 1000);
    w.lose(2000, B);
    // Someone restarted it before this instance became the Master.
    w.event(2500, C, "fh:api", S.STARTING);
    w.event(2600, C, "fh:api", S.RUNNING);
    t.same(w.role(MASTER, 3000).requests, []);
  });

  t.test("promoted to RESTART_APPLICATION when the application is now STOPPED", async (t) => {
    const solo = ["solo:api", "solo:other"];
    const w = new World({
      apps: { solo: { startSequence: 1, programs: { api: { startSequence: 1, runningFailureStrategy: "RESTART_PROCESS" }, other: { startSequence: 1 } } } },
      loads: { [A]: stopped(...solo), [B]: [info("solo:api", S.RUNNING), info("solo:other", S.STOPPED)], [C]: stopped(...solo) },
    });
    w.role(MASTER, 1000);
    const { ready } = w.lose(2000, B);
    t.equal(w.app("solo").state, "STOPPED");
    t.same(ready.requests, [startReq(A, "solo:api"), startReq(A, "solo:other")], "the whole start sequence");
  });
});

t.test("failure handler: instance loss with STOP_APPLICATION / RESTART_APPLICATION / SHUTDOWN", async (t) => {
  t.test("STOP_APPLICATION stops the application", async (t) => {
    const progs = ["fs:a", "fs:b", "fs:c"];
    const w = new World({
      apps: { fs: { programs: { a: { runningFailureStrategy: "STOP_APPLICATION" }, b: {}, c: {} } } },
      loads: {
        [A]: [info("fs:b", S.RUNNING), ...stopped("fs:a", "fs:c")],
        [B]: [info("fs:a", S.RUNNING), ...stopped("fs:b", "fs:c")],
        [C]: [info("fs:c", S.RUNNING), ...stopped("fs:a", "fs:b")],
      },
    });
    t.ok(progs.every((ns) => w.proc(ns)));
    w.role(MASTER, 1000);
    const { ready } = w.lose(2000, B);
    t.same(sorted(ready.requests), sorted([stopReq(A, "fs:b"), stopReq(C, "fs:c")]));
    t.equal(w.cmd.starting(), false);
  });

  t.test("RESTART_APPLICATION stops, then starts the application", async (t) => {
    const progs = ["fr:a", "fr:b"];
    const w = new World({
      apps: { fr: { startSequence: 1, programs: { a: { startSequence: 1, runningFailureStrategy: "RESTART_APPLICATION" }, b: { startSequence: 1 } } } },
      loads: { [A]: [info("fr:b", S.RUNNING), info("fr:a", S.STOPPED)], [B]: [info("fr:a", S.RUNNING), info("fr:b", S.STOPPED)], [C]: stopped(...progs) },
    });
    w.role(MASTER, 1000);
    const { ready } = w.lose(2000, B);
    t.same(ready.requests, [stopReq(A, "fr:b")]);
    t.equal(w.cmd.startingApplication("fr"), true);
    const r = w.event(2100, A, "fr:b", S.STOPPED);
    t.same(sorted(r.requests), sorted([startReq(A, "fr:a"), startReq(A, "fr:b")]));
  });

  t.test("SHUTDOWN is not applied to a loss (spec §6.7 QUIRK)", async (t) => {
    const w = new World({
      apps: { sd: { programs: { a: { runningFailureStrategy: "SHUTDOWN" } } } },
      loads: { [A]: stopped("sd:a"), [B]: [info("sd:a", S.RUNNING)] },
    });
    w.role(MASTER, 1000);
    const { lost, ready } = w.lose(2000, B);
    t.same(lost, ["sd:a"]);
    t.same(ready.actions, []);
    t.same(ready.requests, []);
  });
});

t.test("failure handler: crashes reported by their instance", async (t) => {
  const world = (strategy: ProgramSpec["runningFailureStrategy"]) =>
    new World({
      apps: { cs: { programs: { a: { runningFailureStrategy: strategy }, b: {} } } },
      loads: { [A]: [info("cs:a", S.RUNNING), info("cs:b", S.STOPPED)], [B]: stopped("cs:a", "cs:b"), [C]: [info("cs:b", S.RUNNING), info("cs:a", S.STOPPED)] },
    });

  t.test("STOP_APPLICATION: a FATAL on the Master stops the application", async (t) => {
    const w = world("STOP_APPLICATION");
    w.role(MASTER, 1000);
    const r = w.event(2000, A, "cs:a", S.FATAL, { expected: false });
    t.same(r.requests, [stopReq(C, "cs:b")]);
    t.same(r.actions, []);
  });

  t.test("STOP_APPLICATION: nothing on a non-Master", async (t) => {
    const w = world("STOP_APPLICATION");
    w.role(NOT_MASTER, 1000);
    t.same(w.event(2000, A, "cs:a", S.FATAL, { expected: false }).requests, []);
  });

  t.test("RESTART_APPLICATION: an unexpected EXITED restarts the application", async (t) => {
    const w = world("RESTART_APPLICATION");
    w.role(MASTER, 1000);
    const r = w.event(2000, A, "cs:a", S.EXITED, { expected: false });
    t.same(r.requests, [stopReq(C, "cs:b")]);
    t.equal(w.cmd.startingApplication("cs"), true, "the start waits for the stop (cs has no start sequence: nothing to start)");
  });

  t.test("an expected EXITED and RESTART_PROCESS are not crash actions", async (t) => {
    const w = world("STOP_APPLICATION");
    w.role(MASTER, 1000);
    t.same(w.event(2000, A, "cs:a", S.EXITED, { expected: true }).requests, [], "expected exit");
    const w2 = world("RESTART_PROCESS");
    w2.role(MASTER, 1000);
    const r = w2.event(2000, A, "cs:a", S.FATAL, { expected: false });
    t.same(r.requests, [], "RESTART_PROCESS leaves a crash to autorestart");
    t.same(r.actions, []);
  });

  t.test("SHUTDOWN / RESTART: a closing action", async (t) => {
    const w = world("SHUTDOWN");
    w.role(MASTER, 1000);
    let r = w.event(2000, A, "cs:a", S.FATAL, { expected: false });
    t.equal(r.actions.length, 1);
    t.match(r.actions[0], { kind: "closing", what: "shutdown", why: /cs:a/ });
    t.same(r.requests, []);
    const w2 = world("RESTART");
    w2.role(MASTER, 1000);
    r = w2.event(2000, A, "cs:a", S.EXITED, { expected: false });
    t.equal(r.actions.length, 1);
    t.match(r.actions[0], { kind: "closing", what: "restart", why: /cs:a/ });
    const w3 = world("SHUTDOWN");
    w3.role(NOT_MASTER, 1000);
    t.same(w3.event(2000, A, "cs:a", S.FATAL, { expected: false }).actions, [], "not on a non-Master");
  });

  t.test("a failure job waits until the Starter leaves the application", async (t) => {
    const progs = ["dz:p0", "dz:p1", "dz:p2"];
    const w = new World({
      apps: { dz: { startSequence: 1, programs: { p0: {}, p1: { startSequence: 1, runningFailureStrategy: "STOP_APPLICATION" }, p2: { startSequence: 2 } } } },
      loads: { [A]: stopped(...progs), [B]: stopped(...progs), [C]: [info("dz:p0", S.RUNNING), ...stopped("dz:p1", "dz:p2")] },
    });
    w.role(MASTER, 1000);
    w.cmd.startApplication(w.app("dz"), "CONFIG", 1000);
    t.same(w.take().requests, [startReq(A, "dz:p1")]);
    w.event(1100, A, "dz:p1", S.STARTING);
    let r = w.event(1200, A, "dz:p1", S.FATAL, { expected: false });
    t.same(r.requests, [startReq(A, "dz:p2")], "p1 not required: the sequence goes on, the stop is deferred");
    w.event(1300, A, "dz:p2", S.STARTING);
    r = w.event(1400, A, "dz:p2", S.RUNNING);
    t.same(sorted(r.requests), sorted([stopReq(C, "dz:p0"), stopReq(A, "dz:p2")]), "the start job ended: STOP_APPLICATION now");
  });
});

t.test("instance loss: pending commands towards it are dropped as start failures", async (t) => {
  t.test("Starter: a required ABORT process pending on the lost instance drops the next ranks", async (t) => {
    const progs = ["il:p", "il:q"];
    const w = new World({
      apps: { il: { startSequence: 1, programs: { p: { startSequence: 1, identifiers: [B], required: true }, q: { startSequence: 2 } } } },
      loads: { [A]: stopped(...progs), [B]: stopped(...progs), [C]: stopped(...progs) },
    });
    w.cmd.startApplication(w.app("il"), "CONFIG", 1000);
    t.same(w.take().requests, [startReq(B, "il:p")]);
    const { lost, ready } = w.lose(1500, B);
    t.same(lost, [], "p was not running there yet");
    t.same(ready.requests, [], "q not started (ABORT)");
    t.equal(w.cmd.starting(), false);
    t.equal(w.cmd.nextDeadline(), null);
  });

  t.test("Stopper: a stop pending on the lost instance is done", async (t) => {
    const w = new World({
      apps: { sl: { programs: { p: { stopSequence: 1 }, q: { stopSequence: 0 } } } },
      loads: { [A]: [info("sl:q", S.RUNNING), info("sl:p", S.STOPPED)], [B]: [info("sl:p", S.RUNNING), info("sl:q", S.STOPPED)] },
    });
    w.cmd.stopApplication(w.app("sl"), 1000);
    t.same(w.take().requests, [stopReq(B, "sl:p")]);
    t.same(w.lose(1500, B).ready.requests, [stopReq(A, "sl:q")], "the next rank");
  });

  t.test("a process lost while its start was pending there is a starting failure, not a running failure", async (t) => {
    // Supvisors 0.19 ApplicationJobs.on_instances_invalidation removes such a process from the
    // failed processes given to the running failure handler (spec §6.4 "treated as start failures").
    const progs = ["ls:p", "ls:q"];
    const w = new World({
      apps: { ls: { startSequence: 1, programs: { p: { startSequence: 1, runningFailureStrategy: "RESTART_PROCESS" }, q: { startSequence: 2 } } } },
      loads: { [A]: stopped(...progs), [B]: stopped(...progs), [C]: stopped(...progs) },
      states: { [A]: "CHECKED" },
    });
    w.role(MASTER, 1000);
    w.cmd.startApplication(w.app("ls"), "CONFIG", 1000);
    t.same(w.take().requests, [startReq(B, "ls:p")], "A is not RUNNING yet: B");
    w.states[A] = "RUNNING";
    w.event(1100, B, "ls:p", S.STARTING);
    const { lost, ready } = w.lose(1500, B);
    t.same(lost, ["ls:p"]);
    t.same(ready.requests, [startReq(A, "ls:q")], "p failed to start (not required): rank 2 goes on");
    w.event(1600, A, "ls:q", S.STARTING);
    const r = w.event(1700, A, "ls:q", S.RUNNING);
    t.same(r.requests, [], "no running failure strategy for p: nothing restarted, nothing stopped");
    t.equal(w.cmd.stopping(), false, "no application restart");
  });
});

// ================================================================================================
// Conciliation
// ================================================================================================

t.test("conciliate: SENICIDE / INFANTICIDE by record uptime, STOP everywhere, RESTART once, USER nothing", async (t) => {
  const world = () =>
    new World({
      apps: { cc: { programs: { p: {} } } },
      loads: {
        [A]: [info("cc:p", S.RUNNING, { start_monotonic: 100, now_monotonic: 200 }), info("um:q", S.RUNNING)],
        [B]: [info("cc:p", S.RUNNING, { start_monotonic: 150, now_monotonic: 200 }), info("um:q", S.RUNNING)],
        [C]: [info("cc:p", S.RUNNING, { start_monotonic: 190, now_monotonic: 200 }), info("um:q", S.STOPPED)],
      },
    });

  t.test("fixture: uptimes 100 / 50 / 10, conflicts in a managed and an unmanaged application", async (t) => {
    const w = world();
    const p = w.proc("cc:p");
    t.same([A, B, C].map((id) => p.records.get(id)!.uptime), [100, 50, 10]);
    t.equal(p.conflicting(), true);
    t.equal(w.proc("um:q").conflicting(), true);
  });

  t.test("SENICIDE keeps the youngest", async (t) => {
    const w = world();
    w.cmd.conciliate("SENICIDE", 1000);
    t.same(w.take().requests, [stopReq(A, "cc:p"), stopReq(B, "cc:p")], "the unmanaged conflict is left alone");
  });

  t.test("INFANTICIDE keeps the oldest", async (t) => {
    const w = world();
    w.cmd.conciliate("INFANTICIDE", 1000);
    t.same(w.take().requests, [stopReq(B, "cc:p"), stopReq(C, "cc:p")]);
  });

  t.test("STOP stops it everywhere", async (t) => {
    const w = world();
    w.cmd.conciliate("STOP", 1000);
    t.same(w.take().requests, [stopReq(A, "cc:p"), stopReq(B, "cc:p"), stopReq(C, "cc:p")]);
    w.event(1100, A, "cc:p", S.STOPPED);
    w.event(1200, B, "cc:p", S.STOPPED);
    const r = w.event(1300, C, "cc:p", S.STOPPED);
    t.same(r.requests, [], "no start");
    t.equal(w.cmd.stopping(), false);
    t.equal(w.cmd.starting(), false);
  });

  t.test("RESTART stops it everywhere, then starts it once", async (t) => {
    const w = world();
    w.cmd.conciliate("RESTART", 1000);
    t.same(w.take().requests, [stopReq(A, "cc:p"), stopReq(B, "cc:p"), stopReq(C, "cc:p")]);
    t.equal(w.cmd.startingApplication("cc"), true);
    t.same(w.event(1100, A, "cc:p", S.STOPPED).requests, []);
    t.same(w.event(1200, B, "cc:p", S.STOPPED).requests, []);
    const r = w.event(1300, C, "cc:p", S.STOPPED);
    t.same(r.requests, [startReq(A, "cc:p")], "a single start, with the application's strategy (CONFIG)");
    t.same(w.event(1400, A, "cc:p", S.STARTING).requests, []);
    t.same(w.event(1500, A, "cc:p", S.RUNNING).requests, []);
    t.equal(w.cmd.starting(), false);
    t.equal(w.cmd.stopping(), false);
  });

  t.test("USER does nothing", async (t) => {
    const w = world();
    w.cmd.conciliate("USER", 1000);
    const r = w.take();
    t.same(r.requests, []);
    t.equal(w.cmd.stopping(), false);
  });
});

// ================================================================================================
// abort
// ================================================================================================

t.test("abort() clears every job, deadline, pending start and failure job", async (t) => {
  const progs = ["ab:p0", "ab:p1", "ab:p2"];
  const w = new World({
    apps: {
      ab: { startSequence: 1, programs: { p0: {}, p1: { startSequence: 1, runningFailureStrategy: "STOP_APPLICATION" }, p2: { startSequence: 2 } } },
      rs: { startSequence: 1, programs: { q: { startSequence: 1 } } },
    },
    loads: { [A]: [...stopped(...progs), info("rs:q", S.STOPPED)], [B]: [info("rs:q", S.RUNNING), ...stopped(...progs)], [C]: [info("ab:p0", S.RUNNING), ...stopped("ab:p1", "ab:p2", "rs:q")] },
  });
  w.role(MASTER, 1000);
  w.cmd.startApplication(w.app("ab"), "CONFIG", 1000);
  t.same(w.take().requests, [startReq(A, "ab:p1")]);
  w.cmd.restartApplication(w.app("rs"), "CONFIG", 1000);
  t.same(w.take().requests, [stopReq(B, "rs:q")]);
  w.event(1100, A, "ab:p1", S.STARTING);
  // A deferred STOP_APPLICATION job for ab (its Starter job is in progress).
  t.same(w.event(1200, A, "ab:p1", S.FATAL, { expected: false }).requests, [startReq(A, "ab:p2")]);
  t.equal(w.cmd.starting(), true);
  t.equal(w.cmd.stopping(), true);
  t.not(w.cmd.nextDeadline(), null);

  w.cmd.abort(2000);
  const r = w.take();
  t.same(r.requests, []);
  t.equal(w.cmd.starting(), false);
  t.equal(w.cmd.stopping(), false);
  t.equal(w.cmd.nextDeadline(), null);
  t.equal(w.cmd.handles("ab"), false);
  t.equal(w.cmd.handles("rs"), false);
  t.equal(w.cmd.startingApplication("rs"), false, "the start after the stop is forgotten");
  t.equal(w.cmd.pendingLoad(A), 0);

  t.same(w.event(2100, B, "rs:q", S.STOPPED).requests, [], "the end of the old stop starts nothing");
  w.event(2200, A, "ab:p2", S.STARTING);
  t.same(w.event(2300, A, "ab:p2", S.RUNNING).requests, [], "no rank 3, and the failure job is gone");
  const late = w.time(1_000_000);
  t.same(late.forced, [], "no timeout of the dropped commands");
  t.same(late.requests, []);
});
