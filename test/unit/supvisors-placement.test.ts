/**
 * Placement (spec §6.1-6.3, §3.6): rule candidates, liveness/configuration filter, the per-node
 * load test with pending loads, every starting strategy with its tie rule, SINGLE_NODE, and the
 * `#` / `@` assignments for programs and applications.
 */
import t from "tap";
import {
  applicationHashIdentifier,
  assignAt,
  assignHash,
  chooseInstance,
  chooseNode,
  filterCandidates,
  nodeLoad,
  nodePendingLoad,
  resolveIdentifiers,
  type PlacementContext,
  type PlacementInstance,
} from "../../src/supvisors/strategies/placement.js";
import type { SupvisorsInstanceStateName } from "../../src/protocol/supvisors.js";

const inst = (identifier: string, machineId: string, stereotypes: string[] = [], state: SupvisorsInstanceStateName = "RUNNING"): PlacementInstance => ({
  identifier,
  nick: `n${identifier.slice(2)}`,
  machineId,
  stereotypes,
  state,
});

/** a and b share node m1, c is alone on m2, d has no machine id (its own node). */
const A = "h:a";
const B = "h:b";
const C = "h:c";
const D = "h:d";
const ALL = [A, B, C, D];

function ctx(loads: Record<string, number> = {}, pending: Record<string, number> = {}, over: Partial<PlacementContext> = {}): PlacementContext {
  return {
    instances: [inst(A, "m1", ["front"]), inst(B, "m1", ["back"]), inst(C, "m2", ["front", "back"]), inst(D, "")],
    localIdentifier: A,
    load: (id) => loads[id] ?? 0,
    pendingLoad: (id) => pending[id] ?? 0,
    ...over,
  };
}

t.test("resolveIdentifiers: *, identifiers, nicks, stereotypes, unknown names, duplicates", async (t) => {
  const c = ctx();
  t.same(resolveIdentifiers(["*"], c), ALL);
  t.same(resolveIdentifiers([C, "*", "nope"], c), ALL, "* anywhere = all, in list order");
  t.same(resolveIdentifiers(["nd", A], c), [D, A], "nick then identifier, written order");
  t.same(resolveIdentifiers(["back", "nd"], c), [B, C, D], "stereotype -> its instances in list order");
  t.same(resolveIdentifiers(["nope", "nc", "ghost"], c), [C], "unknown names dropped");
  t.same(resolveIdentifiers(["nc", C, "front", "na"], c), [C, A], "duplicates removed, first place kept");
  t.same(resolveIdentifiers(["#", "nb", "@"], c), [B], "# and @ are left to the caller");
  t.same(resolveIdentifiers([], c), []);
});

t.test("filterCandidates: RUNNING only, eligible only, order kept", async (t) => {
  const c = ctx({}, {}, {
    instances: [inst(A, "m1", [], "CHECKED"), inst(B, "m1", [], "RUNNING"), inst(C, "m2", [], "FAILED"), inst(D, "", [], "RUNNING"), inst("h:e", "", [], "CHECKING"), inst("h:f", "", [], "ISOLATED"), inst("h:g", "", [], "STOPPED")],
  });
  t.same(filterCandidates([D, A, B, C, "h:e", "h:f", "h:g"], c, () => true), [D, B]);
  t.same(filterCandidates([D, B], c, (id) => id !== D), [B], "configuration filter applies");
  t.same(filterCandidates(["h:unknown"], c, () => true), [], "unknown instance is not RUNNING");
});

t.test("node loads sum the instances of the node, pending likewise", async (t) => {
  const c = ctx({ [A]: 30, [B]: 25, [C]: 10, [D]: 5 }, { [A]: 5, [B]: 7, [D]: 1 });
  t.equal(nodeLoad(A, c), 55);
  t.equal(nodeLoad(B, c), 55);
  t.equal(nodeLoad(C, c), 10);
  t.equal(nodeLoad(D, c), 5, "no machine id: own node");
  t.equal(nodePendingLoad(B, c), 12);
  t.equal(nodePendingLoad(D, c), 1);
});

t.test("per-node load rule: an instance is invalid because its node neighbour is loaded", async (t) => {
  // b alone is idle, but its neighbour a carries 70: node m1 = 70, so 70 + 40 > 100.
  const c = ctx({ [A]: 70, [C]: 50 });
  t.equal(chooseInstance("CONFIG", [B, C], 40, c), C);
  t.equal(chooseInstance("LESS_LOADED", [B, C], 40, c), C, "b's own load (0) would win if the test were per instance");
  t.equal(chooseInstance("CONFIG", [B, C], 30, c), B, "70 + 30 = 100 is valid (<= 100)");
  // pending loads count: c has 50 running + 20 pending.
  const p = ctx({ [A]: 70, [C]: 50 }, { [C]: 20 });
  t.equal(chooseInstance("CONFIG", [B, C], 31, p), null, "m1: 70+31 > 100; m2: 50+20+31 > 100");
  t.equal(chooseInstance("CONFIG", [B, C], 30, p), B);
  t.equal(chooseInstance("CONFIG", [C, B], 30, p), C, "50+20+30 = 100 valid, first in candidate order");
  // pending on the neighbour invalidates too.
  const q = ctx({ [A]: 10 }, { [B]: 60 });
  t.equal(chooseInstance("CONFIG", [A, C], 40, q), C, "a: node 10 + pending 60 + 40 > 100");
});

t.test("CONFIG: first valid in candidate order", async (t) => {
  const c = ctx({ [A]: 90, [C]: 20 });
  t.equal(chooseInstance("CONFIG", ALL, 10, c), A);
  t.equal(chooseInstance("CONFIG", ALL, 15, c), C, "a and b invalid through node m1");
  t.equal(chooseInstance("CONFIG", [D, C], 15, c), D);
});

t.test("LESS_LOADED: min of (instance, node), ties -> earliest", async (t) => {
  // instance loads: a 10, b 5 (node m1 = 15), c 5 (node 5), d 20.
  const c = ctx({ [A]: 10, [B]: 5, [C]: 5, [D]: 20 });
  t.equal(chooseInstance("LESS_LOADED", ALL, 0, c), C, "b and c tie on instance 5; c's node (5) beats b's (15)");
  t.equal(chooseInstance("LESS_LOADED", [A, B, D], 0, c), B);
  // full tie: two idle single-instance nodes.
  const e = ctx({ [A]: 40, [B]: 40 });
  t.equal(chooseInstance("LESS_LOADED", [A, C, D], 0, e), C, "c and d tie (0, 0): earliest");
  t.equal(chooseInstance("LESS_LOADED", [D, C, A], 0, e), D, "earliest in candidate order, not list order");
  // pending loads enter the key.
  const p = ctx({}, { [C]: 3 });
  t.equal(chooseInstance("LESS_LOADED", [C, D], 0, p), D);
});

t.test("MOST_LOADED: max of (instance, node), ties -> latest", async (t) => {
  // a 30 / b 10 (node 40), c 30 (node 30), d 5.
  const c = ctx({ [A]: 30, [B]: 10, [C]: 30, [D]: 5 });
  t.equal(chooseInstance("MOST_LOADED", ALL, 0, c), A, "a and c tie on instance 30; a's node (40) wins");
  t.equal(chooseInstance("MOST_LOADED", ALL, 65, c), C, "a invalid (node 40 + 65 > 100)");
  const e = ctx({ [C]: 20, [D]: 20 });
  t.equal(chooseInstance("MOST_LOADED", [C, D], 0, e), D, "full tie: latest");
  t.equal(chooseInstance("MOST_LOADED", [D, C], 0, e), C, "latest in candidate order");
  t.equal(chooseInstance("MOST_LOADED", [A, C], 0, ctx({ [C]: 10 }, { [A]: 11 })), A, "pending counts");
});

t.test("LESS_LOADED_NODE / MOST_LOADED_NODE: node load first, then instance", async (t) => {
  // a 5 / b 30 (node 35), c 20 (node 20), d 35.
  const c = ctx({ [A]: 5, [B]: 30, [C]: 20, [D]: 35 });
  t.equal(chooseInstance("LESS_LOADED", ALL, 0, c), A, "instance first: a (5)");
  t.equal(chooseInstance("LESS_LOADED_NODE", ALL, 0, c), C, "node first: c (node 20)");
  t.equal(chooseInstance("MOST_LOADED", ALL, 0, c), D, "instance first: d (35, node 35) beats b (30, 35)");
  t.equal(chooseInstance("MOST_LOADED_NODE", ALL, 0, c), D, "node tie 35: d's instance 35 beats b's 30 and a's 5");
  t.equal(chooseInstance("MOST_LOADED_NODE", [A, B, C], 0, c), B, "node 35: b (30) beats a (5)");
  // ties on both keys
  const e = ctx({ [A]: 10, [B]: 10, [C]: 10 }, { [C]: 10 });
  t.equal(chooseInstance("LESS_LOADED_NODE", [A, B, C, D], 0, e), D, "d idle");
  t.equal(chooseInstance("LESS_LOADED_NODE", [A, B, C], 0, e), A, "keys (node, instance): a (20, 10), b (20, 10), c (20, 20): a/b tie -> earliest");
  t.equal(chooseInstance("MOST_LOADED_NODE", [A, B, C], 0, e), C, "c (20, 20) beats a/b (20, 10)");
  t.equal(chooseInstance("MOST_LOADED_NODE", [A, B], 0, e), B, "a and b tie (20, 10): latest");
});

t.test("LOCAL: the Starter's instance when it is a valid candidate", async (t) => {
  const c = ctx({ [B]: 60 });
  t.equal(chooseInstance("LOCAL", ALL, 10, c), A);
  t.equal(chooseInstance("LOCAL", [B, C, D], 10, c), null, "not a candidate: none, even with idle instances");
  t.equal(chooseInstance("LOCAL", ALL, 50, c), null, "local invalid through its neighbour");
  t.equal(chooseInstance("LOCAL", ALL, 10, ctx({}, {}, { localIdentifier: C })), C);
});

t.test("no valid instance -> null for every strategy; no candidates -> null", async (t) => {
  const c = ctx({ [A]: 50, [C]: 95, [D]: 100 });
  for (const s of ["CONFIG", "LESS_LOADED", "MOST_LOADED", "LESS_LOADED_NODE", "MOST_LOADED_NODE", "LOCAL"] as const) {
    t.equal(chooseInstance(s, ALL, 51, c), null, s);
    t.equal(chooseInstance(s, [], 0, c), null, `${s} empty`);
  }
  t.equal(chooseInstance("CONFIG", ALL, 101, ctx()), null, "expected load alone over 100");
});

t.test("chooseNode: the chosen instance's node, its candidates in list order", async (t) => {
  const c = ctx({ [A]: 10, [C]: 30, [D]: 50 });
  t.same(chooseNode("LESS_LOADED", [B, C, A, D], 20, c), [A, B], "b wins (0); node m1 candidates in list order");
  t.same(chooseNode("LESS_LOADED", [B, C, D], 20, c), [B], "a is not a candidate");
  t.same(chooseNode("MOST_LOADED", ALL, 20, c), [D]);
  t.same(chooseNode("LESS_LOADED_NODE", ALL, 20, c), [A, B], "node m1 = 10 < 30 < 50");
  t.same(chooseNode("CONFIG", ALL, 95, c), [], "nothing valid");
  t.same(chooseNode("CONFIG", ALL, 80, c), [A, B]);
  t.same(chooseNode("CONFIG", [D, C, B], 60, c), [C], "d invalid (110), c valid (90)");
  t.same(chooseNode("LOCAL", [C, D], 0, c), [], "LOCAL with a non-candidate local");
  const n = ctx({ [A]: 10, [B]: 50, [C]: 30 });
  t.same(chooseNode("MOST_LOADED", [A, C], 20, n), [C], "instance first: c (30) beats a (10)");
  t.same(chooseNode("MOST_LOADED_NODE", [A, C], 20, n), [A], "node first: m1 (60) beats m2 (30); b is not a candidate");
});

t.test("assignHash: fewest assigned, ties -> reference order, roll-over", async (t) => {
  const procs = [0, 1, 2, 3, 4].map((index) => ({ name: `p_${index}`, index }));
  const r = assignHash(procs, [A, B], new Map());
  t.same([...r.entries()], [["p_0", A], ["p_1", B], ["p_2", A], ["p_3", B], ["p_4", A]], "round robin with roll-over");
  // already assigned processes count; ties go to reference order.
  const pre = new Map([["p_3", A], ["p_1", A], ["p_2", C]]);
  const s = assignHash(procs, [A, B, C], pre);
  t.same(Object.fromEntries(s), { p_3: A, p_1: A, p_2: C, p_0: B, p_4: B }, "b has 0 -> p_0; then b 1 = c 1 < a 2 -> b (reference order)");
  // processes given out of order are handled by index.
  const t2 = assignHash([{ name: "x_2", index: 2 }, { name: "x_0", index: 0 }, { name: "x_1", index: 1 }], [C, D], new Map());
  t.same(Object.fromEntries(t2), { x_0: C, x_1: D, x_2: C });
  t.same(Object.fromEntries(assignHash(procs.slice(0, 2), [], new Map())), {}, "empty reference: nothing assigned");
  const pre2 = new Map([["p_0", D]]);
  t.same(Object.fromEntries(assignHash(procs.slice(0, 3), [A, B], pre2)), { p_0: D, p_1: A, p_2: B }, "assigned outside the reference is kept, not counted");
});

t.test("assignAt: zipped with free references, excess unassigned", async (t) => {
  const procs = [0, 1, 2, 3].map((index) => ({ name: `p_${index}`, index }));
  t.same(Object.fromEntries(assignAt(procs, [A, B, C], new Map())), { p_0: A, p_1: B, p_2: C }, "p_3 in excess stays unassigned");
  t.equal(assignAt(procs, [A, B, C], new Map()).has("p_3"), false);
  const pre = new Map([["p_2", A]]);
  t.same(Object.fromEntries(assignAt(procs, [A, B, C], pre)), { p_2: A, p_0: B, p_1: C }, "a taken by p_2; p_3 left out");
  t.same(Object.fromEntries(assignAt(procs.slice(0, 2), [D, C, B], new Map())), { p_0: D, p_1: C });
});

t.test("applicationHashIdentifier: name suffix, roll-over, non-conforming", async (t) => {
  t.equal(applicationHashIdentifier("app_01", [A, B, C]), A);
  t.equal(applicationHashIdentifier("app_02", [A, B, C]), B);
  t.equal(applicationHashIdentifier("app-3", [A, B]), A, "(3-1) mod 2 = 0");
  t.equal(applicationHashIdentifier("app-4", [A, B]), B);
  t.equal(applicationHashIdentifier("app", [A, B]), null);
  t.equal(applicationHashIdentifier("app_0", [A, B]), null, "N >= 1");
  t.equal(applicationHashIdentifier("app_x1", [A, B]), null, "digits must follow - or _ directly");
  t.equal(applicationHashIdentifier("my-app_7", [A, B, C]), A, "(7-1) mod 3 = 0");
  t.equal(applicationHashIdentifier("app_1", []), null);
});
