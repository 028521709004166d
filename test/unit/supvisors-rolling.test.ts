/**
 * The rolling restart (ours): the pure planner (batches of instances in the supvisors_list
 * order), and the rule and executor of supvisors.rolling_restart over a real ClusterModel with a
 * scripted instance API (stopProcess / startProcess answer by feeding the model the events the
 * instance would publish). No sockets, no timers.
 */
import t from "tap";
import { planRollingRestart } from "../../src/supvisors/commander/rolling-plan.js";
import { RollingRestartControl, type RollingPort } from "../../src/supvisors/service/rolling-restart.js";
import type { SupvisorsStateName } from "../../src/protocol/supvisors.js";
import { ServiceFault } from "../../src/supervisord/service/fault.js";
import { A, B, C, IDS, S, World, info } from "../helpers/commander-world.js";

t.test("planner: grouped by instance, supvisors_list order, batch_size instances per batch", async (t) => {
  const candidates = [
    { namespec: "web:api_0", runningOn: [C] },
    { namespec: "web:api_1", runningOn: [A] },
    { namespec: "web:api_2", runningOn: [B] },
    { namespec: "web:db", runningOn: [A] },
  ];
  t.same(planRollingRestart(candidates, IDS, 1), [
    [{ identifier: A, namespecs: ["web:api_1", "web:db"] }],
    [{ identifier: B, namespecs: ["web:api_2"] }],
    [{ identifier: C, namespecs: ["web:api_0"] }],
  ]);
  t.same(planRollingRestart(candidates, IDS, 2), [
    [
      { identifier: A, namespecs: ["web:api_1", "web:db"] },
      { identifier: B, namespecs: ["web:api_2"] },
    ],
    [{ identifier: C, namespecs: ["web:api_0"] }],
  ]);
  t.same(planRollingRestart(candidates, IDS, 5).length, 1, "one batch for every instance");
  t.same(planRollingRestart([], IDS, 1), [], "nothing running: no batch");
  t.same(planRollingRestart([{ namespec: "x:y", runningOn: ["Z:1", B] }], IDS, 1), [[{ identifier: B, namespecs: ["x:y"] }], [{ identifier: "Z:1", namespecs: ["x:y"] }]], "a conflict: both, an unknown instance last");
  t.throws(() => planRollingRestart(candidates, IDS, 0), RangeError);
});

/** A model with web:api_0..2 RUNNING on A, B, C (one each, readiness ready) and web:db STOPPED everywhere. */
function rig(opts: { failStartOn?: string; state?: SupvisorsStateName; noReadiness?: boolean } = {}) {
  const api = ["web:api_0", "web:api_1", "web:api_2"];
  const loads = (k: number) => [
    ...api.map((ns, i) => info(ns, i === k ? S.RUNNING : S.STOPPED, { program_name: "api", process_index: i, pid: i === k ? 100 + i : 0, ...(opts.noReadiness ? {} : { readiness: i === k ? "ready" : "off" }) })),
    info("web:db", S.STOPPED),
  ];
  const w = new World({ apps: { web: {} }, loads: { [A]: loads(0), [B]: loads(1), [C]: loads(2) } });
  let pid = 1000;
  let state: SupvisorsStateName = opts.state ?? "OPERATION";
  const log: string[] = [];
  const calls: string[] = [];
  /** Instances where some process of the target is not ready now, at each call. */
  const down = new Set<string>();
  let maxDown = 0;
  const ev = (id: string, ns: string, st: number, over: Record<string, unknown> = {}) => w.event(w.nowMs + 10, id, ns, st, over);
  const port: RollingPort = {
    state: () => state,
    application: (name) => w.model.applicationStatus(name),
    order: IDS,
    call: async (id, method, params) => {
      const ns = params[0] as string;
      calls.push(`${method} ${ns} ${id}`);
      const r = opts.noReadiness ? {} : null;
      if (method === "supervisor.stopProcess") {
        down.add(id);
        maxDown = Math.max(maxDown, down.size);
        ev(id, ns, S.STOPPING, r ?? { readiness: "ready" });
        ev(id, ns, S.STOPPED, r ?? { readiness: "off" });
        return true;
      }
      if (opts.failStartOn === id) throw new ServiceFault(50, "web:api");
      ev(id, ns, S.STARTING, { pid: ++pid, ...(r ?? { readiness: "pending" }) });
      if (opts.noReadiness) ev(id, ns, S.RUNNING, { pid });
      else ev(id, ns, S.STARTING, { pid, readiness: "ready", readiness_only: true });
      down.delete(id);
      return true;
    },
    waitFor: async (done) => done(),
    log: (level, text) => log.push(`${level} ${text}`),
  };
  return { w, port, control: new RollingRestartControl(port), log, calls, maxDown: () => maxDown, setState: (s: SupvisorsStateName) => (state = s) };
}

t.test("rolling_restart: one instance at a time, stop then start there, every pid new", async (t) => {
  const r = rig();
  const before = [A, B, C].map((id, i) => r.w.proc(`web:api_${i}`).records.get(id)!.pid);
  t.equal(await r.control.rollingRestart("web:api"), true);
  t.same(r.calls, [
    `supervisor.stopProcess web:api_0 ${A}`,
    `supervisor.startProcess web:api_0 ${A}`,
    `supervisor.stopProcess web:api_1 ${B}`,
    `supervisor.startProcess web:api_1 ${B}`,
    `supervisor.stopProcess web:api_2 ${C}`,
    `supervisor.startProcess web:api_2 ${C}`,
  ]);
  t.equal(r.maxDown(), 1, "never more than one instance down");
  const after = [A, B, C].map((id, i) => r.w.proc(`web:api_${i}`).records.get(id)!.pid);
  t.ok(after.every((p, i) => p !== before[i] && p > 0), "every process has a new pid");
  t.match(r.log.join("\n"), /RollingRestart: web:api: 3 batch\(es\)[\s\S]*batch 1\/3[\s\S]*web:api_0 ready on A:60000[\s\S]*done/);
  t.equal(r.control.rolling("web:api_0"), false, "released at the end");
});

t.test("rolling_restart: batch_size 2, an application target, without readiness (RUNNING)", async (t) => {
  const r = rig({ noReadiness: true });
  t.equal(await r.control.rollingRestart("web:*", 2, true), true);
  t.equal(r.maxDown(), 2);
  t.same(r.calls.filter((c) => c.startsWith("supervisor.stopProcess")).length, 3);
  t.match(r.log.join("\n"), /batch 1\/2 on \[A:60000, B:60000\][\s\S]*batch 2\/2 on \[C:60000\]/);
  t.match(r.log.join("\n"), /web:api_2 RUNNING on C:60000/);
});

t.test("rolling_restart: faults", async (t) => {
  const r = rig();
  const fault = (f: () => unknown, code: number, text: RegExp, msg: string) => {
    try {
      f();
      t.fail(msg);
    } catch (err) {
      t.equal((err as ServiceFault).code, code, msg);
      t.match((err as ServiceFault).message, text, msg);
    }
  };
  fault(() => r.control.rollingRestart("nope"), 10, /BAD_NAME: application=nope unknown to Supvisors/, "unknown application");
  fault(() => r.control.rollingRestart("web:nope"), 10, /BAD_NAME: program=nope unknown in application=web/, "unknown program");
  fault(() => r.control.rollingRestart("web:db"), 70, /NOT_RUNNING: no process of web:db running/, "nothing running");
  fault(() => r.control.rollingRestart("web", 0), 2, /INCORRECT_PARAMETERS: invalid batch_size=0/, "batch_size 0");
  fault(() => r.control.rollingRestart("web", 1.5), 2, /INCORRECT_PARAMETERS/, "batch_size not an integer");
  fault(() => r.control.rollingRestart(3), 2, /INCORRECT_PARAMETERS: invalid target=3/, "a target that is not a string");
  r.setState("CONCILIATION");
  fault(() => r.control.rollingRestart("web"), 101, /BAD_SUPVISORS_STATE: invalid Supvisors state=CONCILIATION/, "not in OPERATION");
  r.setState("OPERATION");
  // wait=false: true at once; a second rolling of the same processes is refused meanwhile.
  t.equal(r.control.rollingRestart("web", 1, false), true);
  t.equal(r.control.rolling("web:api_0"), true);
  fault(() => r.control.rollingRestart("web:api"), 60, /ALREADY_STARTED: rolling restart of (web:api_\d, )*web:api_2 already in progress/, "one at a time (those still RUNNING asked for again)");
  await t.resolves(async () => {
    while (r.control.rolling("web:api_2")) await new Promise((res) => setImmediate(res));
  });
  t.equal(r.calls.length, 6, "the rolling ran to its end in the background");
});

t.test("rolling_restart: a failed start stops the rolling, the rest untouched", async (t) => {
  const r = rig({ failStartOn: B });
  await t.rejects(Promise.resolve(r.control.rollingRestart("web:api")), { code: 40, message: /ABNORMAL_TERMINATION: rolling restart of web:api stopped: start of web:api_1 on B:60000 failed: SPAWN_ERROR: web:api/ });
  t.same(r.calls, [`supervisor.stopProcess web:api_0 ${A}`, `supervisor.startProcess web:api_0 ${A}`, `supervisor.stopProcess web:api_1 ${B}`, `supervisor.startProcess web:api_1 ${B}`]);
  t.equal(r.w.proc("web:api_2").records.get(C)!.pid, 102, "C untouched");
  t.match(r.log.join("\n"), /error RollingRestart: web:api: rolling restart of web:api stopped/);
  t.equal(r.control.rolling("web:api_2"), false, "released after the failure");
});

t.test("rolling_restart: the model must confirm the new process before the next batch", async (t) => {
  const r = rig();
  const port: RollingPort = { ...r.port, call: async (id, method, params) => (method === "supervisor.startProcess" ? true : r.port.call(id, method, params, 1)), waitFor: async (done) => done() };
  await t.rejects(Promise.resolve(new RollingRestartControl(port).rollingRestart("web:api")), { code: 30, message: /FAILED: rolling restart of web:api stopped: web:api_0 on A:60000 not seen ready in time/ });
});

t.test("rolling_restart: STARTING and ready counts as up; STARTING and pending does not", async (t) => {
  const r = rig();
  r.w.event(2000, A, "web:api_0", S.STOPPED, { readiness: "off" });
  r.w.event(2010, A, "web:api_0", S.STARTING, { pid: 500, readiness: "pending" });
  r.w.event(2020, B, "web:api_1", S.STOPPED, { readiness: "off" });
  r.w.event(2030, B, "web:api_1", S.STARTING, { pid: 501, readiness: "ready" });
  t.equal(await r.control.rollingRestart("web:api"), true);
  t.same(r.calls.filter((c) => c.startsWith("supervisor.stopProcess")), [`supervisor.stopProcess web:api_1 ${B}`, `supervisor.stopProcess web:api_2 ${C}`], "api_0 (not ready yet) left alone");
});
