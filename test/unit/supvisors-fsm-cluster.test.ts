import t from "tap";
import { ClusterCore } from "../../src/supvisors/fsm/cluster-core.js";
import { ALPHA, BETA, GAMMA, identity, options, SimNet, THREE, TICK_MS } from "./supvisors-fsm-sim.js";
import type { Identifier } from "../../src/supvisors/types.js";

const A = ALPHA.identifier; // smallest nick, last in the list
const B = BETA.identifier;
const G = GAMMA.identifier;
const IDS = [G, B, A];

/** Every one of `ids` in OPERATION with `master`, and seeing exactly `ids` RUNNING. */
function formed(net: SimNet, ids: readonly Identifier[] = IDS, master: Identifier = A): boolean {
  return ids.every((id) => {
    const c = net.core(id);
    const running = Object.entries(c.localStateModes().instance_states).filter(([, s]) => s === "RUNNING").map(([i]) => i);
    return c.state() === "OPERATION" && c.masterIdentifier() === master && running.length === ids.length && ids.every((x) => running.includes(x));
  });
}

function newNet(over: Parameters<typeof options>[0] = {}): SimNet {
  const net = new SimNet(THREE, () => options(over));
  net.startAll();
  return net;
}

t.test("formation: 3 instances reach OPERATION with the same master, the smallest nick", async (t) => {
  const net = newNet();
  const took = net.until(() => formed(net));
  t.not(took, -1, `formed in ${took} ms of fake time`);
  for (const id of IDS) {
    const c = net.core(id);
    t.same(c.localStateModes().instance_states, { [G]: "RUNNING", [B]: "RUNNING", [A]: "RUNNING" }, `${id} sees all RUNNING`);
    t.same(c.stableIdentifiers(), [G, B, A]);
    t.equal(c.degradedMode(), false);
    t.ok(c.holdsQuorum());
    // every instance went through its own handshake path: STOPPED -> CHECKING -> CHECKED -> RUNNING
    t.ok(net.node(id).logs.some((l) => l.text.includes(`(${id}) STOPPED -> CHECKING (first local TICK)`)));
    t.same(
      net.node(id).transitions.map((x) => x.to),
      ["SYNCHRONIZATION", "ELECTION", "DISTRIBUTION", "OPERATION"],
    );
  }
  t.same(net.node(A).actions.map((a) => a.kind), ["abort_jobs", "abort_jobs", "start_applications"], "only the master starts applications");
  t.notOk(net.node(B).actions.some((a) => a.kind === "start_applications"));
  const all = net.core(B).allInstancesStateModes();
  t.same(all.map((s) => s.identifier), [G, B, A].sort(), "sorted by identifier");
  t.ok(all.every((s) => s.master_identifier === A && s.fsm_statename === "OPERATION"));
  const st = net.core(B).instanceStatus(A)!;
  t.equal(st.state, "RUNNING");
  t.ok(st.remote_sequence_counter > 0 && st.local_sequence_counter > 0);
  t.equal(st.machine_id, `machine-${A}`);
  t.ok(Number.isInteger(st.local_time) && st.local_time >= 1_700_000_000);
});

t.test("late joiner: the group goes back to ELECTION and the newcomer adopts the existing master", async (t) => {
  const net = new SimNet(THREE, () => options());
  net.start(G);
  net.start(B);
  t.not(net.until(() => formed(net, [G, B], B)), -1, "two of three form with beta (alpha is absent)");
  net.start(A); // alpha has the smallest nick, but beta is the existing master
  t.not(net.until(() => formed(net, IDS, B)), -1, "all three in OPERATION with beta");
  t.ok(net.node(G).transitions.some((x) => x.from === "OPERATION" && x.to === "ELECTION"), "activation in OPERATION went through ELECTION");
  t.ok(net.node(B).actions.filter((a) => a.kind === "start_applications").length >= 2, "a new DISTRIBUTION repairs applications");
});

t.test("killed peer: FAILED at once on a refused connection, STOPPED, then rejoins on restart", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.kill(G);
  t.not(net.until(() => net.node(B).failedSeen.includes(G), TICK_MS * 2), -1, "FAILED within one tick (refused connection)");
  t.equal(net.core(B).instanceState(G), "STOPPED", "invalidated to STOPPED (no auto_fence)");
  t.ok(formed(net, [B, A]), "the majority keeps its master");
  net.start(G); // restarted: a new boot id
  t.not(net.until(() => formed(net)), -1, "rejoined");
});

t.test("silent peer (SIGSTOP): FAILED within about a second of ticks, then STOPPED, rejoins on SIGCONT", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.sigstop(G);
  const took = net.until(() => net.node(A).failedSeen.includes(G) && net.node(B).failedSeen.includes(G), 5000);
  t.ok(took >= 750 && took <= 1250, `lost after ${took} ms of fake time (expect 750-1250)`);
  t.equal(net.core(A).instanceState(G), "STOPPED");
  net.sigcont(G);
  t.not(net.until(() => formed(net)), -1, "back in the group");
});

t.test("stealth restart: a new boot id from a RUNNING peer makes it FAILED, then a fresh handshake", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.node(G).boot = "boot-after-restart";
  net.advance(TICK_MS);
  t.ok(net.node(A).failedSeen.includes(G), "FAILED");
  t.ok(net.node(A).logs.some((l) => l.text.includes("restart detected")));
  t.not(net.until(() => formed(net)), -1, "checked again");
  // a counter going backwards with the same boot is a restart too
  const c = net.core(A);
  c.receiveTick(G, { boot: "boot-after-restart", sequence_counter: 0, when: 1, when_monotonic: 1 }, net.now);
  const r = c.takeReady();
  t.same(r.failed, [G]);
  t.same(r.invalidated, [{ identifier: G, to: "STOPPED" }], "then invalidated; its next TICK starts a new handshake");
});

t.test("local stall: tick() 2 s late loses no peer; a real silence is seen within ~1 s of ticks", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.stall(A, 2000, 7); // 2 s late, then the 7 missed ticks back to back before reading the sockets
  net.advance(5000);
  t.same(net.node(A).failedSeen, [], "alpha lost nobody");
  t.ok(net.node(A).logs.some((l) => /local tick \d+ ms late/.test(l.text)), "the stall is logged");
  t.equal(net.core(A).instanceState(B), "RUNNING");
  t.equal(net.core(A).instanceState(G), "RUNNING");
  // the others did not hear alpha for 2 s: for them it was a real silence
  t.ok(net.node(B).failedSeen.includes(A));
  t.not(net.until(() => formed(net, IDS, net.core(A).masterIdentifier() || "none")), -1, "group whole again");
});

t.test("saturated machine for 30 s (beats 0-200 ms late, everywhere) and a busy peer: no false loss", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  let seed = 12345;
  net.jitter = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % 200;
  };
  net.advance(30_000);
  net.jitter = () => 0;
  // a peer blocked 600 ms by a burst (1000 spawns): its next beat 0.85 s after the previous one
  net.stall(G, 600);
  net.advance(3000);
  for (const id of IDS) t.same(net.node(id).failedSeen, [], `${id} lost nobody`);
  t.ok(formed(net));
});

t.test("master loss: a new election among the others", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.kill(A);
  t.not(net.until(() => formed(net, [G, B], B)), -1, "beta is the new master");
  t.ok(net.node(B).transitions.some((x) => x.from === "OPERATION" && x.to === "ELECTION"));
});

t.test("partition 1|2: the minority has no master, the majority keeps one; after heal one master", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  // the master alone on its side
  net.partition([A], [G, B]);
  t.not(net.until(() => formed(net, [G, B], B) && net.core(A).masterIdentifier() === ""), -1, "majority elects beta, alpha resigns");
  net.advance(10_000);
  t.equal(net.core(A).masterIdentifier(), "", "the minority stays without master");
  t.equal(net.core(A).state(), "ELECTION", "and in ELECTION, where control calls are refused");
  t.notOk(net.core(A).holdsQuorum());
  t.ok(net.node(A).logs.some((l) => l.text.includes("no quorum")));
  t.ok(net.core(G).holdsQuorum());
  net.heal();
  t.not(net.until(() => formed(net, IDS, B)), -1, "one master everywhere after heal: the majority's");
  for (const id of IDS) t.ok(net.core(id).allInstancesStateModes().every((s) => s.master_identifier === B), `${id}: consistent view`);
});

t.test("partition without quorum (Supvisors' behaviour): each side elects its own master; heal converges", async (t) => {
  const net = newNet({ quorum: false });
  net.until(() => formed(net));
  net.partition([A], [G, B]);
  t.not(net.until(() => formed(net, [G, B], B) && net.core(A).state() === "OPERATION" && net.core(A).masterIdentifier() === A), -1, "split brain: two masters");
  net.heal();
  t.not(net.until(() => formed(net, IDS, A)), -1, "the smallest nick of the declared masters wins");
});

t.test("partition with a minority follower: it drops its master and never elects one", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  net.partition([G], [B, A]);
  t.not(net.until(() => net.core(G).masterIdentifier() === "" && formed(net, [B, A], A)), -1);
  net.advance(5000);
  t.equal(net.core(G).masterIdentifier(), "");
  t.ok(["ELECTION", "SYNCHRONIZATION"].includes(net.core(G).state()));
  t.same(net.call(G, (c) => c.endSync("")), { ok: false, fault: "BAD_SUPVISORS_STATE", reason: net.core(G).state() === "SYNCHRONIZATION" ? "not_applicable" : "not_synchronizing", message: net.core(G).state() === "SYNCHRONIZATION" ? "USER expected in synchro_options" : `invalid Supvisors state=${net.core(G).state()} - state expected in [SYNCHRONIZATION]` });
  net.heal();
  t.not(net.until(() => formed(net)), -1);
});

t.test("USER: end_sync refusals and a chosen master", async (t) => {
  const net = newNet({ synchroOptions: ["USER"] });
  net.advance(20_000);
  for (const id of IDS) t.equal(net.core(id).state(), "SYNCHRONIZATION", "USER alone waits for end_sync");
  t.same(net.call(B, (c) => c.endSync("nobody")), { ok: false, fault: "BAD_NAME", reason: "unknown", message: "unknown Supvisors instance: nobody" });
  const r = net.call(B, (c) => c.endSync("gamma"));
  t.same(r, { ok: true, master: G });
  t.not(net.until(() => formed(net, IDS, G)), -1, "every instance adopts the chosen master");
  t.same(net.call(B, (c) => c.endSync("")).ok, false);
  t.equal((net.call(B, (c) => c.endSync("")) as { reason: string }).reason, "not_synchronizing");
  const other = new SimNet(THREE, () => options({ synchroOptions: ["STRICT"] }));
  other.start(G);
  other.start(B);
  other.advance(2000);
  t.equal(other.core(B).state(), "SYNCHRONIZATION");
  t.equal((other.call(B, (c) => c.endSync("")) as { fault: string }).fault, "NOT_APPLICABLE");
});

t.test("USER: end_sync('') runs the master selection; NOT_RUNNING for an instance not running", async (t) => {
  const net = new SimNet(THREE, () => options({ synchroOptions: ["USER"] }));
  net.start(G);
  net.start(B);
  net.advance(2000);
  t.equal((net.call(B, (c) => c.endSync("alpha")) as { fault: string }).fault, "NOT_RUNNING");
  t.same(net.call(B, (c) => c.endSync("")), { ok: true, master: B });
  t.equal((net.call(B, (c) => c.endSync("gamma")) as { reason: string }).reason, "not_synchronizing", "already in ELECTION now");
  t.not(net.until(() => formed(net, [G, B], B)), -1);
});

t.test("CORE: waits for the core instances and 15 s of uptime; master taken among the core", async (t) => {
  const net = new SimNet(THREE, () => options({ synchroOptions: ["CORE"], coreIdentifiers: [G, B] }));
  net.start(G);
  net.start(B);
  net.advance(10_000);
  t.equal(net.core(G).state(), "SYNCHRONIZATION", "not before 15 s");
  t.not(net.until(() => formed(net, [G, B], B)), -1, "core master beta, not alpha");
  t.ok(net.now >= 15_000);
  t.equal(net.core(G).degradedMode(), false);
  net.start(A);
  t.not(net.until(() => formed(net, IDS, B)), -1, "alpha joins, beta stays (core first)");
});

t.test("STRICT waits for everybody; TIMEOUT ends SYNCHRONIZATION in degraded mode", async (t) => {
  const strict = new SimNet(THREE, () => options({ synchroOptions: ["STRICT"] }));
  strict.start(G);
  strict.start(B);
  strict.advance(60_000);
  t.equal(strict.core(G).state(), "SYNCHRONIZATION", "STRICT alone: waits for alpha");
  strict.start(A);
  t.not(strict.until(() => formed(strict)), -1);

  const timeout = new SimNet(THREE, () => options({ synchroOptions: ["STRICT", "TIMEOUT"], synchroTimeout: 20 }));
  timeout.start(G);
  timeout.start(B);
  t.not(timeout.until(() => formed(timeout, [G, B], B), 40_000), -1);
  t.ok(timeout.now >= 20_000, "after synchro_timeout");
  t.equal(timeout.core(G).degradedMode(), true, "STRICT not satisfied: degraded");
  t.equal(timeout.core(G).strategies().supvisors_failure, "CONTINUE", "TIMEOUT forces CONTINUE");
});

t.test("failure strategy RESYNC: a lost instance sends the group back to SYNCHRONIZATION", async (t) => {
  const net = newNet({ synchroOptions: ["STRICT"], supvisorsFailureStrategy: "RESYNC" });
  net.until(() => formed(net));
  net.kill(G);
  t.not(net.until(() => net.core(A).state() === "SYNCHRONIZATION" && net.core(B).state() === "SYNCHRONIZATION"), -1);
  net.advance(5000);
  t.equal(net.core(A).state(), "SYNCHRONIZATION", "STRICT unsatisfied: stays");
  net.start(G);
  t.not(net.until(() => formed(net)), -1, "back to OPERATION when gamma is back");
});

t.test("failure strategy SHUTDOWN: SHUTTING_DOWN, FINAL, then the local supervisord is shut down", async (t) => {
  const net = newNet({ synchroOptions: ["STRICT"], supvisorsFailureStrategy: "SHUTDOWN" });
  net.until(() => formed(net));
  net.kill(G);
  t.not(net.until(() => net.core(A).state() === "FINAL" && net.core(B).state() === "FINAL"), -1);
  for (const id of [A, B]) {
    const kinds = net.node(id).actions.map((a) => a.kind);
    t.ok(kinds.includes("shutdown_local"), `${id} shuts its supervisord down`);
    t.same(net.node(id).transitions.slice(-2).map((x) => x.to), ["SHUTTING_DOWN", "FINAL"]);
  }
});

t.test("restart from the master: RESTARTING everywhere, stop sequence by the master, restart_local everywhere", async (t) => {
  const net = newNet();
  net.until(() => formed(net));
  t.same(net.call(B, (c) => c.requestClosing("restart")), { kind: "forward", master: A });
  net.node(A).onAction = (a, n) => {
    if (a.kind === "stop_applications") n.core.jobsChanged(false, true); // the Stopper is busy
  };
  t.same(net.call(A, (c) => c.requestClosing("restart")), { kind: "accepted" });
  net.advance(2000);
  t.equal(net.core(A).state(), "RESTARTING", "the master waits for its Stopper");
  t.equal(net.core(B).state(), "RESTARTING", "followers stay while the master is RESTARTING");
  net.call(A, (c) => c.jobsChanged(false, false));
  t.not(net.until(() => IDS.every((id) => net.core(id).state() === "FINAL")), -1);
  for (const id of IDS) t.ok(net.node(id).actions.some((a) => a.kind === "restart_local"), `${id} restarts its supervisord`);
  t.ok(net.node(A).actions.some((a) => a.kind === "stop_applications"));
  t.notOk(net.node(B).actions.some((a) => a.kind === "stop_applications"));
});

t.test("DISTRIBUTION waits for the master's Starter; conflicts lead to CONCILIATION and back", async (t) => {
  const net = new SimNet(THREE, () => options());
  for (const id of IDS) {
    net.start(id).onAction = (a, n) => {
      if (a.kind === "start_applications") n.core.jobsChanged(true, false);
    };
  }
  net.advance(3000);
  t.equal(net.core(A).state(), "DISTRIBUTION");
  t.equal(net.core(B).state(), "DISTRIBUTION");
  t.equal(net.core(A).localStateModes().starting_jobs, true);
  net.call(A, (c) => c.jobsChanged(false, false));
  t.not(net.until(() => formed(net)), -1);
  net.call(A, (c) => c.conflictsChanged(true));
  t.equal(net.core(A).state(), "CONCILIATION");
  t.not(net.until(() => net.core(B).state() === "CONCILIATION"), -1, "followers follow");
  net.advance(TICK_MS);
  t.ok(net.node(A).actions.filter((a) => a.kind === "conciliate").length >= 2, "re-applied on ticks");
  net.call(A, (c) => c.conflictsChanged(false));
  t.not(net.until(() => formed(net)), -1, "back to OPERATION");
});

t.test("transition table gaps: CONCILIATION -> ELECTION is refused and the FSM stays put", async (t) => {
  const net = newNet({ quorum: false });
  net.until(() => formed(net));
  net.call(A, (c) => c.conflictsChanged(true));
  net.until(() => IDS.every((id) => net.core(id).state() === "CONCILIATION"));
  net.kill(A); // master lost during CONCILIATION
  net.advance(3000);
  t.equal(net.core(B).state(), "CONCILIATION", "refused: stays");
  t.equal(net.core(B).masterIdentifier(), "");
  t.equal(net.node(B).logs.filter((l) => l.level === "critical" && l.text.includes("CONCILIATION -> ELECTION refused")).length, 1, "one critical log, not one per tick");
});

t.test("auto_fence: a peer lost while the master works is ISOLATED and stays so", async (t) => {
  const net = newNet({ autoFence: true });
  net.until(() => formed(net));
  net.sigstop(G);
  t.not(net.until(() => net.core(A).instanceState(G) === "ISOLATED"), -1);
  net.sigcont(G);
  net.advance(5000);
  t.equal(net.core(A).instanceState(G), "ISOLATED", "its ticks are rejected");
  t.notOk(net.core(A).publishTargets().tick.includes(G), "no more messages to it");
  t.equal(net.core(G).instanceState(A), "ISOLATED", "reciprocal: the handshake answers NOT_AUTHORIZED");
});

t.test("INCONSISTENT strategies: both sides isolate each other", async (t) => {
  const net = new SimNet(THREE, (id) => options({ conciliationStrategy: id === G ? "SENICIDE" : "USER" }));
  net.startAll();
  t.not(net.until(() => formed(net, [B, A], A)), -1);
  // gamma checked the others first and isolated them; it sends them no TICK any more, so they never
  // get to check it (Supvisors has the same race): gamma is never RUNNING for them.
  t.equal(net.core(G).instanceState(A), "ISOLATED");
  t.equal(net.core(G).instanceState(B), "ISOLATED");
  t.ok(net.node(G).logs.some((l) => l.text.includes("strategies inconsistent")));
  for (const id of [A, B]) t.notOk(net.node(id).logs.some((l) => l.text.includes(`(${G}) CHECKED -> RUNNING`)), `${id} never ran with gamma`);
  t.equal(net.core(G).masterIdentifier(), "", "gamma alone has no quorum");
});

t.test("handshake answers: obsolete ones ignored, unknown -> STOPPED, transport failure -> FAILED", async (t) => {
  const c = new ClusterCore({ instances: THREE, localIdentifier: B, options: options(), startMs: 1000 });
  c.tick(1000);
  const [h] = c.takeReady().handshakes;
  t.same(h, { identifier: B, startedAtMs: 1000 });
  c.handshakeDone(B, 999, { kind: "unknown" }, 1001);
  t.equal(c.instanceState(B), "CHECKING", "started before entering CHECKING: ignored");
  c.handshakeDone(B, 1000, { kind: "authorized", stateModes: c.localStateModes(), machineId: "m", stereotypes: ["x"] }, 1002);
  t.equal(c.instanceState(B), "RUNNING", "CHECKED then activated");
  t.equal(c.state(), "SYNCHRONIZATION");
  c.handshakeDone(B, 1000, { kind: "transport_failure" }, 1003);
  t.equal(c.instanceState(B), "RUNNING", "not CHECKING any more: ignored");
  const tick = { boot: "g1", sequence_counter: 4, when: 1, when_monotonic: 1 };
  c.receiveTick(G, tick, 1100);
  t.equal(c.instanceState(G), "CHECKING");
  const hs = c.takeReady().handshakes;
  c.handshakeDone(G, hs[0]!.startedAtMs, { kind: "unknown" }, 1200);
  t.equal(c.instanceState(G), "STOPPED");
  c.receiveTick(G, { ...tick, sequence_counter: 5 }, 1300);
  c.handshakeDone(G, 1300, { kind: "transport_failure" }, 1301);
  const r = c.takeReady();
  t.same(r.failed, [G]);
  t.same(r.invalidated, [{ identifier: G, to: "STOPPED" }]);
});

t.test("TICKs are ignored until the local instance is checked; bad input is refused clearly", async (t) => {
  const c = new ClusterCore({ instances: THREE, localIdentifier: B, options: options(), startMs: 0 });
  c.receiveTick(G, { boot: "x", sequence_counter: 1, when: 1, when_monotonic: 1 }, 10);
  t.equal(c.instanceState(G), "STOPPED");
  c.receiveTick("nobody:1", { boot: "x", sequence_counter: 1, when: 1, when_monotonic: 1 }, 10);
  c.receiveState(G, { junk: true } as never, 10);
  const logs = c.takeReady().logs.map((l) => l.text);
  t.ok(logs.some((l) => l.includes("unknown instance nobody:1")));
  t.throws(() => c.tick(Number.NaN), { name: "ClusterCoreError", code: "BAD_TIME" });
  t.throws(() => new ClusterCore({ instances: THREE, localIdentifier: "x:1", options: options(), startMs: 0 }), { code: "UNKNOWN_LOCAL" });
  t.throws(() => new ClusterCore({ instances: [GAMMA, identity("gamma", "other")], localIdentifier: G, options: options(), startMs: 0 }), { code: "BAD_INSTANCES" });
  t.throws(() => new ClusterCore({ instances: THREE, localIdentifier: G, options: options({ synchroOptions: [] }), startMs: 0 }), { code: "BAD_OPTION" });
  t.throws(() => new ClusterCore({ instances: THREE, localIdentifier: G, options: options({ inactivityTicks: 0 }), startMs: 0 }), { code: "BAD_OPTION" });
});

t.test("OFF: a critical log every tick after 15 s while the local handshake does not succeed", async (t) => {
  const c = new ClusterCore({ instances: THREE, localIdentifier: B, options: options(), startMs: 0 });
  let criticals = 0;
  for (let now = 0; now <= 16_000; now += TICK_MS) {
    c.tick(now);
    criticals += c.takeReady().logs.filter((l) => l.level === "critical").length;
  }
  t.equal(c.state(), "OFF");
  t.equal(criticals, 4, "ticks at 15.25, 15.5, 15.75 and 16 s");
});
