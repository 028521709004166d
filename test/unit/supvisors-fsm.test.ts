import t from "tap";
import { FailureDetector } from "../../src/supvisors/fsm/failure-detector.js";
import { canChangeInstanceState } from "../../src/supvisors/fsm/instance-states.js";
import { agreedMaster, holdsQuorum, selectMaster, stableIdentifiers, type ContextView } from "../../src/supvisors/fsm/stability.js";
import { canChangeState } from "../../src/supvisors/fsm/supvisors-fsm.js";
import { evaluateFailure, evaluateSync, type SyncInputs } from "../../src/supvisors/fsm/sync-conditions.js";
import { SupvisorsInstanceStates, SupvisorsStates, type SupvisorsInstanceStateName, type SupvisorsStateName } from "../../src/protocol/supvisors.js";
import type { StateModes } from "../../src/supvisors/types.js";

t.test("global transition table: exactly the spec's pairs (its QUIRK gaps included)", async (t) => {
  const spec: Record<string, string[]> = {
    OFF: ["SYNCHRONIZATION"],
    SYNCHRONIZATION: ["OFF", "ELECTION"],
    ELECTION: ["OFF", "SYNCHRONIZATION", "DISTRIBUTION", "SHUTTING_DOWN"],
    DISTRIBUTION: ["OFF", "ELECTION", "OPERATION", "RESTARTING", "SHUTTING_DOWN"],
    OPERATION: ["OFF", "SYNCHRONIZATION", "ELECTION", "CONCILIATION", "RESTARTING", "SHUTTING_DOWN"],
    CONCILIATION: ["OFF", "SYNCHRONIZATION", "OPERATION", "RESTARTING", "SHUTTING_DOWN"],
    RESTARTING: ["FINAL"],
    SHUTTING_DOWN: ["FINAL"],
    FINAL: [],
  };
  const names = Object.keys(SupvisorsStates) as SupvisorsStateName[];
  for (const a of names) for (const b of names) t.equal(canChangeState(a, b), spec[a]!.includes(b), `${a} -> ${b}`);
  t.notOk(canChangeState("CONCILIATION", "ELECTION"));
  t.notOk(canChangeState("DISTRIBUTION", "SYNCHRONIZATION"));
});

t.test("instance transition table: exactly spec §4.6", async (t) => {
  const spec: Record<string, string[]> = {
    STOPPED: ["CHECKING"],
    CHECKING: ["STOPPED", "CHECKED", "FAILED", "ISOLATED"],
    CHECKED: ["RUNNING", "FAILED"],
    RUNNING: ["FAILED"],
    FAILED: ["STOPPED", "ISOLATED"],
    ISOLATED: [],
  };
  const names = Object.keys(SupvisorsInstanceStates) as SupvisorsInstanceStateName[];
  for (const a of names) for (const b of names) t.equal(canChangeInstanceState(a, b), spec[a]!.includes(b), `${a} -> ${b}`);
});

t.test("failure detector: ticks and compensated time both needed; local stalls and catch-up ticks count against nobody", async (t) => {
  const d = new FailureDetector(250, 2);
  d.onLocalTick(0);
  d.watch("p", 10);
  for (const now of [250, 500, 750, 1000]) {
    t.same(d.onLocalTick(now), { late: false, stallMs: 0 });
    t.same(d.silent(), [], `not yet at ${now}`);
  }
  d.onLocalTick(1250);
  t.same(d.silent(), ["p"], "more than 2 ticks and more than 1 s of silence");

  const s = new FailureDetector(250, 2);
  s.onLocalTick(0);
  s.watch("p", 0);
  s.onLocalTick(250);
  t.same(s.onLocalTick(3000), { late: true, stallMs: 2500 });
  for (let i = 0; i < 8; i++) s.onLocalTick(3000); // a fixed-rate host running the missed ticks back to back
  t.same(s.silent(), [], "a 2.75 s local stall and its catch-up ticks are ours, not the peer's");
  s.heard("p", 3001);
  s.onLocalTick(3250);
  t.same(s.silent(), []);

  const fast = new FailureDetector(250, 2);
  fast.onLocalTick(0);
  fast.watch("p", 0);
  for (let i = 1; i <= 10; i++) fast.onLocalTick(i * 10);
  t.same(fast.silent(), [], "ten ticks in 100 ms are not a second of silence");
  fast.forget("p");
  t.notOk(fast.isWatched("p"));

  const slow = new FailureDetector(250, 2);
  slow.onLocalTick(0);
  slow.watch("p", 0);
  let n = 0;
  for (let now = 400; !slow.silent().length; now += 400) {
    slow.onLocalTick(now);
    n++;
  }
  t.equal(n, 5, "our ticks 400 ms apart (saturated): still found, after 5 ticks (2 s), no false early loss");
});

const sm = (identifier: string, master: string, states: Record<string, SupvisorsInstanceStateName>): StateModes => ({
  identifier,
  nick_identifier: identifier,
  now_monotonic: 1,
  fsm_statecode: 2,
  fsm_statename: "ELECTION",
  degraded_mode: false,
  discovery_mode: false,
  master_identifier: master,
  starting_jobs: false,
  stopping_jobs: false,
  instance_states: states,
});

function view(states: Record<string, SupvisorsInstanceStateName>, reports: Record<string, StateModes>): ContextView {
  return {
    instances: [
      { identifier: "h1:1", nick: "zed" },
      { identifier: "h2:1", nick: "bob" },
      { identifier: "h3:1", nick: "cat" },
    ],
    states: new Map(Object.entries(states)),
    reported: (id) => reports[id],
  };
}

t.test("stability, master check and master selection", async (t) => {
  const all: Record<string, SupvisorsInstanceStateName> = { "h1:1": "RUNNING", "h2:1": "RUNNING", "h3:1": "RUNNING" };
  const reps = Object.fromEntries(Object.keys(all).map((id) => [id, sm(id, "", all)]));
  const v = view(all, reps);
  t.same([...stableIdentifiers(v)!].sort(), ["h1:1", "h2:1", "h3:1"]);
  t.equal(selectMaster(v, []), "h2:1", "smallest nick (bob), not first in list nor smallest identifier");
  t.equal(selectMaster(v, ["h1:1", "h3:1"]), "h3:1", "core first (cat < zed)");
  t.equal(agreedMaster(v), null, "nobody declared one");
  const checking = view(all, { ...reps, "h3:1": sm("h3:1", "", { ...all, "h1:1": "CHECKING" }) });
  t.equal(stableIdentifiers(checking), null, "a CHECKING in any map is unstable");
  const differ = view(all, { ...reps, "h3:1": sm("h3:1", "", { ...all, "h1:1": "STOPPED" }) });
  t.equal(stableIdentifiers(differ), null, "different RUNNING sets are unstable");
  const declared = view(all, { ...reps, "h1:1": sm("h1:1", "h1:1", all) });
  t.equal(selectMaster(declared, []), "h1:1", "an existing master comes first");
  const agreed = view(all, Object.fromEntries(Object.keys(all).map((id) => [id, sm(id, "h3:1", all)])));
  t.equal(agreedMaster(agreed), "h3:1");
  t.equal(agreedMaster(view({ ...all, "h3:1": "FAILED" }, Object.fromEntries(Object.keys(all).map((id) => [id, sm(id, "h3:1", all)])))), null, "a master not RUNNING fails the check");
});

t.test("quorum: strict majority of the declared (or core) set", async (t) => {
  t.ok(holdsQuorum(["a", "b"], ["a", "b", "c"]));
  t.notOk(holdsQuorum(["a"], ["a", "b", "c"]));
  t.notOk(holdsQuorum(["a", "b"], ["a", "b", "c", "d"]), "half is not a majority");
  t.ok(holdsQuorum(["a"], ["a"]));
  t.notOk(holdsQuorum(["x", "y"], ["a", "b", "c"]), "only members of the set count");
});

t.test("sync conditions: any satisfied ends SYNCHRONIZATION; failures follow USER > CORE > STRICT > LIST", async (t) => {
  const base: SyncInputs = {
    options: ["STRICT", "TIMEOUT", "CORE"],
    declared: ["a", "b", "c"],
    known: ["a", "b", "c"],
    core: ["a", "b"],
    stable: new Set(["a", "b"]),
    uptimeMs: 10_000,
    synchroTimeoutMs: 15_000,
    masterRunning: false,
  };
  t.same(evaluateSync(base), { satisfied: [], degraded: true }, "CORE needs 15 s of uptime");
  t.same(evaluateSync({ ...base, uptimeMs: 15_000 }), { satisfied: ["TIMEOUT", "CORE"], degraded: true });
  t.same(evaluateSync({ ...base, stable: new Set(["a", "b", "c"]) }).satisfied, ["STRICT"]);
  t.same(evaluateSync({ ...base, stable: null, uptimeMs: 15_000 }).satisfied, ["TIMEOUT"], "unstable: only TIMEOUT");
  t.same(evaluateSync({ ...base, options: ["USER"], masterRunning: true }), { satisfied: ["USER"], degraded: false }, "USER never degrades");
  // precedence: CORE holds (a, b) although STRICT fails -> no failure, but degraded
  t.same(evaluateFailure({ ...base, uptimeMs: 20_000 }, false), { failedBy: null, degraded: true });
  t.same(evaluateFailure({ ...base, stable: new Set(["a", "c"]) }, false), { failedBy: "CORE", degraded: true });
  t.same(evaluateFailure({ ...base, options: ["USER", "STRICT"] }, false), { failedBy: null, degraded: true }, "USER: only losses count");
  t.same(evaluateFailure({ ...base, options: ["USER", "STRICT"] }, true).failedBy, "USER");
  t.same(evaluateFailure({ ...base, options: ["LIST"] }, false).failedBy, "LIST");
  t.same(evaluateFailure({ ...base, options: ["TIMEOUT"] }, true).failedBy, null, "TIMEOUT never fails");
});
