/**
 * Readiness in the Supvisors layer (ours), on the Commander's test world (fake clock, no
 * sockets): a start command of a process with a readiness_check completes when it is ready on its
 * target (the next rank then, even before RUNNING), unready first is a start failure; a readiness
 * failure with readiness_on_failure = fail applies the running failure strategy
 * (RESTART_PROCESS moves the process); the model keeps the readiness per instance and the
 * payloads carry it only where configured.
 */
import t from "tap";
import { S, A, B, C, MASTER, info, stopped, startReq, stopReq, World, type AppSpec, type ProgramSpec } from "../helpers/commander-world.js";

const READY = { readiness: "ready" as const, readiness_only: true };

function world(programs: Record<string, ProgramSpec> = {}, over: Omit<AppSpec, "programs"> = {}) {
  const load = () => [info("web:api", S.STOPPED, { readiness: "off" }), info("web:front", S.STOPPED)];
  return new World({
    apps: {
      web: {
        startSequence: 1,
        runningFailureStrategy: "RESTART_PROCESS",
        programs: { api: { startSequence: 1 }, front: { startSequence: 2 }, ...programs },
        ...over,
      },
    },
    loads: { [A]: load(), [B]: load(), [C]: load() },
  });
}

t.test("Starter: ready while STARTING completes the command: the next rank starts before RUNNING", async (t) => {
  const w = world();
  w.role(MASTER, 1000);
  t.equal(w.cmd.startApplication(w.app("web"), "CONFIG", 1000), true);
  t.same(w.take().requests, [startReq(A, "web:api")]);
  let r = w.event(1100, A, "web:api", S.STARTING, { readiness: "pending" });
  t.same(r.requests, [], "STARTING, pending: rank 2 waits");
  r = w.event(1200, A, "web:api", S.STARTING, { readiness: "pending", readiness_only: true });
  t.same(r.requests, [], "still pending");
  r = w.event(1300, A, "web:api", S.STARTING, READY);
  t.same(r.requests, [startReq(A, "web:front")], "ready: rank 2 at once, startsecs not waited for");
  t.match(r.logs.map((l) => l.text).join("\n"), /Starter: web:api ready on A:60000/);
  t.equal(w.proc("web:api").readinessOn(A), "ready", "the model keeps it per instance");
  t.equal(w.proc("web:api").readinessOn(B), "off");
  t.equal(w.proc("web:front").readinessOn(A), "none", "no check: none");
  t.same(w.model.processInfo("web", "api")!.readiness, { [A]: "ready", [B]: "off", [C]: "off" }, "get_process_info: readiness per instance");
  t.notOk("readiness" in w.model.processInfo("web", "front")!, "a program without a check: Supvisors' payload unchanged");
  t.equal(w.model.processInfo("web", "api")!.statename, "STARTING", "the state is untouched by readiness");
  r = w.event(1400, A, "web:api", S.RUNNING, { readiness: "ready" });
  t.same(r.requests, [], "its RUNNING later changes nothing");
  r = w.event(1500, A, "web:front", S.STARTING);
  r = w.event(1600, A, "web:front", S.RUNNING);
  t.equal(w.cmd.starting(), false, "a process without a check completes on RUNNING");
});

t.test("Starter: RUNNING but not ready yet waits for the readiness, with no deadline", async (t) => {
  const w = world();
  w.cmd.startApplication(w.app("web"), "CONFIG", 1000);
  w.take();
  w.event(1100, A, "web:api", S.STARTING, { readiness: "pending" });
  let r = w.event(2100, A, "web:api", S.RUNNING, { readiness: "pending" });
  t.same(r.requests, [], "RUNNING, pending: not complete");
  t.notOk(Number.isFinite(w.cmd.nextDeadline() ?? Infinity), "no deadline: readiness_startsecs is the check's own");
  r = w.time(1_000_000);
  t.same(r.forced, [], "no timeout");
  r = w.event(1_000_100, A, "web:api", S.RUNNING, READY);
  t.same(r.requests, [startReq(A, "web:front")]);
});

t.test("Starter: unready before ready is a start failure (starting failure strategy)", async (t) => {
  const w = world({ api: { startSequence: 1, required: true, startingFailureStrategy: "ABORT" } });
  w.cmd.startApplication(w.app("web"), "CONFIG", 1000);
  w.take();
  w.event(1100, A, "web:api", S.STARTING, { readiness: "pending" });
  w.event(2100, A, "web:api", S.RUNNING, { readiness: "pending" });
  const r = w.event(61_100, A, "web:api", S.RUNNING, { readiness: "unready", readiness_only: true, readiness_reason: "no pass within 60 s" });
  t.same(r.requests, [], "ABORT: rank 2 never starts");
  t.match(r.logs.map((l) => l.text).join("\n"), /web:api on A:60000 not ready \(no pass within 60 s\): start failed[\s\S]*starting failure strategy ABORT[\s\S]*start of web ended with failures/);
  t.equal(w.cmd.starting(), false);
  t.equal(w.proc("web:api").displayedState, S.RUNNING, "the process itself is left running (Supervisor's state unchanged)");
});

t.test("readiness failure, RESTART_PROCESS: stopped there, started on another instance", async (t) => {
  const w = world();
  w.role(MASTER, 1000);
  w.event(1100, A, "web:api", S.STARTING, { readiness: "pending" });
  w.event(1200, A, "web:api", S.RUNNING, { readiness: "ready" });
  w.event(1300, A, "web:api", S.RUNNING, { readiness: "unready", readiness_only: true, readiness_reason: "HTTP 503" });
  t.equal(w.proc("web:api").readinessOn(A), "unready");
  w.cmd.readinessFailure(w.app("web"), w.proc("web:api"), A, "HTTP 503", 1300);
  let r = w.take();
  t.same(r.requests, [stopReq(A, "web:api")], "stopped where it failed");
  t.match(r.logs.map((l) => l.text).join("\n"), /web:api not ready on A:60000 \(HTTP 503\): running failure strategy RESTART_PROCESS/);
  w.event(1400, A, "web:api", S.STOPPING, { readiness: "unready" });
  r = w.event(1500, A, "web:api", S.STOPPED, { readiness: "off" });
  t.same(r.requests, [startReq(B, "web:api")], "then started elsewhere (CONFIG's first other instance)");
});

t.test("readiness failure, CONTINUE: restarted in place; STOP_APPLICATION: the application stops", async (t) => {
  const w = world({}, { runningFailureStrategy: "CONTINUE" });
  w.event(1100, A, "web:api", S.RUNNING, { readiness: "ready" });
  w.cmd.readinessFailure(w.app("web"), w.proc("web:api"), A, "HTTP 500", 1200);
  t.same(w.take().requests, [stopReq(A, "web:api")]);
  const r = w.event(1300, A, "web:api", S.STOPPED, { readiness: "off" });
  t.same(r.requests, [startReq(A, "web:api")], "there again");

  const s = world({}, { runningFailureStrategy: "STOP_APPLICATION" });
  s.event(1100, A, "web:api", S.RUNNING, { readiness: "ready" });
  s.event(1100, B, "web:front", S.RUNNING);
  s.cmd.readinessFailure(s.app("web"), s.proc("web:api"), A, "HTTP 500", 1200);
  t.same(s.take().requests, [stopReq(A, "web:api"), stopReq(B, "web:front")], "the whole application is stopped");
  s.event(1300, A, "web:api", S.STOPPED, { readiness: "off" });
  t.same(s.event(1300, B, "web:front", S.STOPPED).requests, [], "and nothing started again");
});

t.test("readiness failure, SHUTDOWN: a closing action", async (t) => {
  const w = world({}, { runningFailureStrategy: "SHUTDOWN" });
  w.event(1100, A, "web:api", S.RUNNING, { readiness: "ready" });
  w.cmd.readinessFailure(w.app("web"), w.proc("web:api"), A, "HTTP 500", 1200);
  t.same(w.take().actions, [{ kind: "closing", what: "shutdown", why: "running failure strategy SHUTDOWN of web:api (not ready)" }]);
});

t.test("a readiness-only event is neither a stop's end nor a crash", async (t) => {
  const w = world({}, { runningFailureStrategy: "RESTART_APPLICATION" });
  w.role(MASTER, 1000);
  w.event(1100, A, "web:api", S.EXITED, { expected: false, readiness: "off" });
  const before = w.take();
  t.same(before.requests, []);
  // The same state again with a readiness change: not a second crash.
  const r = w.event(1200, A, "web:api", S.EXITED, { expected: false, readiness: "off", readiness_only: true });
  t.same(r.requests, [], "no second running failure");
  void stopped;
});

t.test("internal messages: readiness members checked when present", async (t) => {
  const { checkInternalMessage } = await import("../../src/supvisors/cluster/message-checks.js");
  const event = { identifier: A, nick_identifier: "n0", name: "api", group: "web", state: S.RUNNING, now: 1, now_monotonic: 1, pid: 7, expected: true, spawnerr: "", extra_args: "", disabled: false };
  t.ok(checkInternalMessage("process", { event }), "without readiness (a plain config)");
  t.ok(checkInternalMessage("process", { event: { ...event, readiness: "ready", readiness_only: true, readiness_reason: "HTTP 200" } }));
  t.equal(checkInternalMessage("process", { event: { ...event, readiness: "maybe" } }), null, "an unknown readiness");
  t.equal(checkInternalMessage("process", { event: { ...event, readiness_only: "yes" } }), null);
  t.equal(checkInternalMessage("process", { event: { ...event, readiness_reason: 3 } }), null);
  const loaded = info("web:api", S.RUNNING, { readiness: "pending" });
  t.ok(checkInternalMessage("process_added", { info: loaded }));
  t.equal(checkInternalMessage("process_added", { info: { ...loaded, readiness: 1 } }), null);
});

t.test("an instance lost: its readiness is off", async (t) => {
  const w = world();
  w.event(1100, A, "web:api", S.RUNNING, { readiness: "ready" });
  w.lose(1200, A);
  t.equal(w.proc("web:api").readinessOn(A), "off");
});
