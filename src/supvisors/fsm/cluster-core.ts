/**
 * ClusterCore: the pure decision core of one Supvisors instance (spec §4.2-4.6), modelled on
 * etcd-io/raft. It holds the instance state machines, the failure detector, the global FSM and
 * the Master election; it has no sockets, timers, clock or randomness. The host:
 *
 *  - calls tick(nowMs) every tickPeriod, and receiveTick, receiveState, transportFailure, handshakeDone, ...
 *    methods as messages and call results arrive (nowMs = monotonic ms, never going back);
 *  - after each call, drains takeReady() and performs it **before the next input**: publish the
 *    TICK and StateModes, launch the handshakes, hand the processes of `failed` instances to the
 *    model as lost, run the actions (start/stop applications, conciliate, restart/shutdown the
 *    local Supervisor), and report Starter/Stopper activity back with jobsChanged().
 *
 * Evaluation: the global FSM is evaluated after every input (not only on TICKs as Supvisors
 * does), looping until no rule applies, except that it stops after entering a state whose entry
 * action belongs to the host (DISTRIBUTION, CONCILIATION, RESTARTING, SHUTTING_DOWN on the
 * Master), so the host can report its jobs before the next rule reads them. StateModes are
 * published at once when the FSM state, Master, degraded mode or jobs change; changes of the
 * instance states alone are batched to the next tick (spec §4.4).
 *
 * Split-brain protection (option `quorum`, ours): the quorum set is core_identifiers when given,
 * else every declared instance. A side that does not see a strict majority of it RUNNING selects
 * no Master, adopts none, refuses end_sync, and a Master (or follower) that loses the majority
 * drops its Master (master_identifier ''): the Master check then fails everywhere on that side,
 * which goes back to ELECTION (SYNCHRONIZATION from CONCILIATION, whose table has no ELECTION)
 * and stays there, so every control call is refused by the state guards. After the heal the
 * Master of the majority is the only declared one and is adopted by the candidate priority.
 * With quorum=false, Supvisors' behaviour (each side elects its own Master).
 */
import { SupvisorsStates, type SupvisorsInstanceStateName, type SupvisorsStateName, SynchronizationOptions } from "../../protocol/supvisors.js";
import type { Identifier, InstanceIdentity, StateModes } from "../types.js";
import type {
  ClosingResult,
  ClusterCoreInit,
  ClusterCoreOptions,
  CoreAction,
  EndSyncResult,
  FsmTransition,
  HandshakeRequest,
  HandshakeResult,
  InstanceStatus,
  InstanceTransition,
  LogLevel,
  LogLine,
  Ready,
  Strategies,
  TickPayload,
} from "./core-io.js";
import { ClusterCoreError } from "./errors.js";
import { FailureDetector } from "./failure-detector.js";
import { canChangeInstanceState } from "./instance-states.js";
import { agreedMaster, type ContextView, holdsQuorum, runningIdentifiers, selectMaster, stableIdentifiers } from "./stability.js";
import { canChangeState, decide, type FsmSnapshot, WORKING_STATES } from "./supvisors-fsm.js";
import { CORE_MIN_UPTIME_MS, evaluateFailure, evaluateSync, type SyncInputs } from "./sync-conditions.js";

/** The largest int XML-RPC carries (remote_time / local_time are capped, spec §5.2). */
const XMLRPC_MAX_INT = 2 ** 31 - 1;
/** Evaluation loop bound: the table has no cycle longer than this without a host action. */
const MAX_STEPS = 8;

interface Peer {
  readonly identity: InstanceIdentity;
  state: SupvisorsInstanceStateName;
  enteredCheckingMs: number;
  boot: string | null;
  remoteCounter: number;
  remoteMtime: number;
  remoteTime: number;
  localCounter: number;
  localMtimeMs: number;
  stateModes: StateModes | null;
  machineId: string;
  stereotypes: readonly string[];
}

interface ReadyBuffer {
  tick: Ready["tick"];
  stateModes: StateModes | null;
  handshakes: HandshakeRequest[];
  failed: Identifier[];
  invalidated: { identifier: Identifier; to: "STOPPED" | "ISOLATED" }[];
  instanceTransitions: InstanceTransition[];
  transitions: FsmTransition[];
  actions: CoreAction[];
  logs: LogLine[];
}

const emptyReady = (): ReadyBuffer => ({
  tick: null,
  stateModes: null,
  handshakes: [],
  failed: [],
  invalidated: [],
  instanceTransitions: [],
  transitions: [],
  actions: [],
  logs: [],
});

/** Whether two get_strategies() payloads agree (the handshake's consistency check, spec §2.2). */
export function sameStrategies(a: Strategies, b: Strategies): boolean {
  return a["auto-fencing"] === b["auto-fencing"] && a.starting === b.starting && a.conciliation === b.conciliation && a.supvisors_failure === b.supvisors_failure;
}

export class ClusterCore {
  private readonly localId: Identifier;
  private readonly instances: readonly InstanceIdentity[];
  private readonly peers = new Map<Identifier, Peer>();
  private readonly opts: ClusterCoreOptions & { readonly supvisorsFailureStrategy: ClusterCoreOptions["supvisorsFailureStrategy"] };
  private readonly coreIds: readonly Identifier[];
  private readonly quorumSet: readonly Identifier[];
  private readonly startMs: number;
  private readonly startWallMs: number;
  private readonly detector: FailureDetector;

  private nowMs: number;
  private counter = 0;
  private fsm: SupvisorsStateName = "OFF";
  private master: Identifier | "" = "";
  private degraded = false;
  private startingJobs = false;
  private stoppingJobs = false;
  private conflicts = false;
  /** Instances that became FAILED since the last evaluation (the USER failure). */
  private readonly lostSinceEvaluation = new Set<Identifier>();
  private lastStable: ReadonlySet<Identifier> = new Set();
  private lastPublishedKey: string | null = null;
  private lastPublishedStates: string | null = null;
  private lastRefusal = "";
  private ready: ReadyBuffer = emptyReady();

  constructor(init: ClusterCoreInit) {
    const { instances, localIdentifier, options } = init;
    if (!Array.isArray(instances) || instances.length === 0) throw new ClusterCoreError("BAD_INSTANCES", "the instance list is empty");
    const ids = new Set<string>();
    const nicks = new Set<string>();
    for (const i of instances) {
      if (ids.has(i.identifier)) throw new ClusterCoreError("BAD_INSTANCES", `duplicate identifier ${i.identifier}`);
      if (nicks.has(i.nick)) throw new ClusterCoreError("BAD_INSTANCES", `duplicate nick ${i.nick}`);
      ids.add(i.identifier);
      nicks.add(i.nick);
    }
    if (!ids.has(localIdentifier)) throw new ClusterCoreError("UNKNOWN_LOCAL", `the local identifier ${localIdentifier} is not in the instance list`);
    checkTime(init.startMs, "startMs");
    if (!(options.tickPeriod > 0) || !Number.isFinite(options.tickPeriod)) throw new ClusterCoreError("BAD_OPTION", `tickPeriod must be a positive number of seconds, got ${options.tickPeriod}`);
    if (!Number.isInteger(options.inactivityTicks) || options.inactivityTicks < 1) throw new ClusterCoreError("BAD_OPTION", `inactivityTicks must be a positive integer, got ${options.inactivityTicks}`);
    if (!(options.synchroTimeout >= 0)) throw new ClusterCoreError("BAD_OPTION", `synchroTimeout must be a number of seconds >= 0, got ${options.synchroTimeout}`);
    if (options.synchroOptions.length === 0 || options.synchroOptions.some((o) => !SynchronizationOptions.includes(o))) {
      throw new ClusterCoreError("BAD_OPTION", `synchroOptions must be a non-empty list of ${SynchronizationOptions.join(", ")}, got [${options.synchroOptions.join(", ")}]`);
    }
    this.localId = localIdentifier;
    this.instances = instances;
    // TIMEOUT forces CONTINUE (spec §4.3): the options reader does it too; holding it here keeps the core right on its own.
    const failureStrategy = options.synchroOptions.includes("TIMEOUT") ? "CONTINUE" : options.supvisorsFailureStrategy;
    this.opts = { ...options, supvisorsFailureStrategy: failureStrategy };
    this.startMs = init.startMs;
    this.startWallMs = init.startWallMs ?? 0;
    this.nowMs = init.startMs;
    this.coreIds = options.coreIdentifiers.filter((id) => ids.has(id));
    for (const id of options.coreIdentifiers) if (!ids.has(id)) this.log("warn", `ClusterCore: core identifier ${id} is not a known instance, ignored`);
    this.quorumSet = this.coreIds.length > 0 ? this.coreIds : instances.map((i) => i.identifier);
    this.detector = new FailureDetector(options.tickPeriod * 1000, options.inactivityTicks);
    for (const identity of instances) {
      this.peers.set(identity.identifier, {
        identity,
        state: "STOPPED",
        enteredCheckingMs: -Infinity,
        boot: null,
        remoteCounter: 0,
        remoteMtime: 0,
        remoteTime: 0,
        localCounter: 0,
        localMtimeMs: 0,
        stateModes: null,
        machineId: "",
        stereotypes: [],
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Inputs
  // ------------------------------------------------------------------------------------------

  /** The local TICK, every tickPeriod: stamps the counter, starts the local handshake, finds silent peers. */
  tick(nowMs: number): void {
    this.advance(nowMs, "tick");
    const verdict = this.detector.onLocalTick(this.nowMs);
    if (verdict.late) this.log("warn", `ClusterCore.tick: local tick ${Math.round(verdict.stallMs)} ms late (local stall), not counted against the other instances`);
    const seq = this.counter++;
    const self = this.peer(this.localId);
    self.remoteCounter = seq;
    self.remoteMtime = this.nowMs / 1000;
    self.remoteTime = this.wallSeconds();
    self.localCounter = seq;
    self.localMtimeMs = this.nowMs;
    if (self.state === "STOPPED") this.setInstanceState(self, "CHECKING", "first local TICK");
    for (const id of this.detector.silent()) {
      const p = this.peer(id);
      if (p.state === "CHECKING" || p.state === "CHECKED" || p.state === "RUNNING") {
        this.setInstanceState(p, "FAILED", `no TICK received for ${this.opts.inactivityTicks}+ ticks`);
      }
    }
    this.evaluate(true);
    this.ready.tick = { sequence_counter: seq, when_monotonic: this.nowMs / 1000 };
    this.refreshPublication(true);
  }

  /** A TICK from another instance. */
  receiveTick(from: Identifier, tick: TickPayload, nowMs: number): void {
    this.advance(nowMs, "receiveTick");
    const p = this.remotePeer(from, "TICK");
    if (!p) return;
    if (!isTickPayload(tick)) {
      this.log("warn", `ClusterCore.receiveTick: malformed TICK from ${from} ignored`);
      return;
    }
    const local = this.peer(this.localId).state;
    if (local !== "CHECKED" && local !== "RUNNING") return; // spec §4.6: ignored until we are checked
    if (p.state === "ISOLATED") return; // its messages are rejected
    const restarted = p.boot !== null && (tick.boot !== p.boot || tick.sequence_counter < p.remoteCounter);
    p.boot = tick.boot;
    if (restarted && (p.state === "CHECKING" || p.state === "CHECKED" || p.state === "RUNNING")) {
      this.setInstanceState(p, "FAILED", "restart detected (new boot id or TICK counter going backwards)");
    }
    p.remoteCounter = tick.sequence_counter;
    p.remoteMtime = tick.when_monotonic;
    p.remoteTime = capInt(tick.when);
    p.localCounter = Math.max(0, this.counter - 1);
    p.localMtimeMs = this.nowMs;
    this.detector.heard(from, this.nowMs);
    if (p.state === "STOPPED") this.setInstanceState(p, "CHECKING", "TICK received");
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** The StateModes another instance published. */
  receiveState(from: Identifier, stateModes: StateModes, nowMs: number): void {
    this.advance(nowMs, "receiveState");
    const p = this.remotePeer(from, "state");
    if (!p) return;
    if (!isStateModes(stateModes) || stateModes.identifier !== from) {
      this.log("warn", `ClusterCore.receiveState: malformed state & modes from ${from} ignored`);
      return;
    }
    if (p.state !== "CHECKING" && p.state !== "CHECKED" && p.state !== "RUNNING") return;
    this.storeStateModes(p, stateModes);
    this.detector.heard(from, this.nowMs);
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** A connection to the instance was refused/reset/lost, or an XML-RPC call to it had a transport error. */
  transportFailure(from: Identifier, nowMs: number): void {
    this.advance(nowMs, "transportFailure");
    const p = this.peers.get(from);
    if (!p) {
      this.log("warn", `ClusterCore.transportFailure: unknown instance ${from}`);
      return;
    }
    if (p.state === "CHECKING" || p.state === "CHECKED" || p.state === "RUNNING") this.setInstanceState(p, "FAILED", "transport failure");
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** The end of a handshake launched from Ready.handshakes (startedAtMs passed back unchanged). */
  handshakeDone(from: Identifier, startedAtMs: number, result: HandshakeResult, nowMs: number = this.nowMs): void {
    this.advance(nowMs, "handshakeDone");
    const p = this.peers.get(from);
    if (!p) {
      this.log("warn", `ClusterCore.handshakeDone: unknown instance ${from}`);
      return;
    }
    if (p.state !== "CHECKING" || !(startedAtMs >= p.enteredCheckingMs)) {
      this.log("debug", `ClusterCore.handshakeDone: obsolete handshake answer from ${from} ignored`);
      return;
    }
    const isLocal = from === this.localId;
    switch (result.kind) {
      case "authorized":
        if (!isLocal) {
          if (isStateModes(result.stateModes) && result.stateModes.identifier === from) this.storeStateModes(p, result.stateModes);
          this.detector.heard(from, this.nowMs);
        }
        p.machineId = String(result.machineId ?? "");
        p.stereotypes = Array.isArray(result.stereotypes) ? result.stereotypes.map(String) : [];
        this.setInstanceState(p, "CHECKED", "authorized");
        break;
      case "not_authorized":
      case "inconsistent": {
        const why = result.kind === "inconsistent" ? "strategies inconsistent with the local ones" : "it isolated the local instance";
        if (isLocal) {
          // The local instance is never isolated.
          this.log("error", `ClusterCore.handshakeDone: the local instance answered ${result.kind} to itself`);
          this.setInstanceState(p, "STOPPED", result.kind);
        } else this.setInstanceState(p, "ISOLATED", why);
        break;
      }
      case "unknown":
        this.setInstanceState(p, "STOPPED", "handshake refused (retried on its next TICK)");
        break;
      case "transport_failure":
        this.setInstanceState(p, "FAILED", "transport failure during the handshake");
        break;
      default:
        this.log("warn", `ClusterCore.handshakeDone: unknown result from ${from} ignored`);
        return;
    }
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** supvisors.end_sync (USER option): master = identifier or nick, '' = run the Master selection. */
  endSync(master: string): EndSyncResult {
    const refuse = (fault: Extract<EndSyncResult, { ok: false }>["fault"], reason: Extract<EndSyncResult, { ok: false }>["reason"], message: string): EndSyncResult => ({ ok: false, fault, reason, message });
    if (this.fsm !== "SYNCHRONIZATION") return refuse("BAD_SUPVISORS_STATE", "not_synchronizing", `invalid Supvisors state=${this.fsm} - state expected in [SYNCHRONIZATION]`);
    if (!this.opts.synchroOptions.includes("USER")) return refuse("NOT_APPLICABLE", "not_applicable", "USER expected in synchro_options");
    if (this.master !== "") return refuse("BAD_SUPVISORS_STATE", "already_master", `Master already set - ${this.master}`);
    if (this.opts.quorum && !this.holdsQuorum()) return refuse("BAD_SUPVISORS_STATE", "no_quorum", "no quorum - the local side sees no majority of the instances");
    let chosen: Identifier;
    if (master === "") {
      const m = selectMaster(this.view(), this.coreIds);
      if (m === null) return refuse("NOT_RUNNING", "no_candidate", "no RUNNING instance to select as Master");
      chosen = m;
    } else {
      const identity = this.resolve(master);
      if (!identity) return refuse("BAD_NAME", "unknown", `unknown Supvisors instance: ${master}`);
      if (this.peer(identity.identifier).state !== "RUNNING") return refuse("NOT_RUNNING", "not_running", `Supvisors instance ${master} is not RUNNING`);
      chosen = identity.identifier;
    }
    this.setMaster(chosen, "end_sync");
    this.evaluate(false);
    this.refreshPublication(false);
    return { ok: true, master: chosen };
  }

  /** Whether the local Starter / Stopper have planned or current jobs (spec §4.9). */
  jobsChanged(starting: boolean, stopping: boolean): void {
    this.startingJobs = starting === true;
    this.stoppingJobs = stopping === true;
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** Whether the model has conflicts (processes running on several instances) in managed applications. */
  conflictsChanged(present: boolean): void {
    this.conflicts = present === true;
    this.evaluate(false);
    this.refreshPublication(false);
  }

  /** supvisors.restart() / shutdown(): on the Master the FSM goes RESTARTING / SHUTTING_DOWN. */
  requestClosing(kind: "restart" | "shutdown"): ClosingResult {
    const G1: readonly SupvisorsStateName[] = ["DISTRIBUTION", "OPERATION", "CONCILIATION", "RESTARTING", "SHUTTING_DOWN"];
    if (!G1.includes(this.fsm)) return { kind: "refused", fault: "BAD_SUPVISORS_STATE", message: `invalid Supvisors state=${this.fsm} - state expected in [${G1.join(", ")}]` };
    if (this.master === "") return { kind: "refused", fault: "BAD_SUPVISORS_STATE", message: "no Master" };
    if (this.master !== this.localId) return { kind: "forward", master: this.master };
    const to: SupvisorsStateName = kind === "restart" ? "RESTARTING" : "SHUTTING_DOWN";
    if (!canChangeState(this.fsm, to)) return { kind: "refused", fault: "BAD_SUPVISORS_STATE", message: `invalid Supvisors state=${this.fsm} - cannot go to ${to}` };
    // The entry action (stop_applications) is the host's: evaluate again only on the next input.
    this.transition(to, `supvisors.${kind}`);
    this.refreshPublication(false);
    return { kind: "accepted" };
  }

  /** Everything produced since the last call. */
  takeReady(): Ready {
    const r = this.ready;
    this.ready = emptyReady();
    return r;
  }

  // ------------------------------------------------------------------------------------------
  // Queries
  // ------------------------------------------------------------------------------------------

  get localIdentifier(): Identifier {
    return this.localId;
  }

  state(): SupvisorsStateName {
    return this.fsm;
  }

  masterIdentifier(): Identifier | "" {
    return this.master;
  }

  degradedMode(): boolean {
    return this.degraded;
  }

  /** Milliseconds since the OFF entry, at the latest time the core was given. */
  uptimeMs(): number {
    return this.nowMs - this.startMs;
  }

  instanceState(id: Identifier): SupvisorsInstanceStateName | undefined {
    return this.peers.get(id)?.state;
  }

  /** The counters and times InstanceInfo needs (spec §5.2), or undefined for an unknown identifier. */
  instanceStatus(id: Identifier): InstanceStatus | undefined {
    const p = this.peers.get(id);
    if (!p) return undefined;
    return {
      identifier: p.identity.identifier,
      nick_identifier: p.identity.nick,
      state: p.state,
      remote_sequence_counter: p.remoteCounter,
      remote_mtime: p.remoteMtime,
      remote_time: p.remoteTime,
      local_sequence_counter: p.localCounter,
      local_mtime: p.localMtimeMs / 1000,
      local_time: capInt(this.wallSecondsAt(p.localMtimeMs)),
      machine_id: p.machineId,
      stereotypes: p.stereotypes,
    };
  }

  /** instanceStatus of every instance, sorted by identifier (get_all_instances_info order). */
  allInstanceStatuses(): InstanceStatus[] {
    return [...this.peers.keys()].sort().map((id) => this.instanceStatus(id)!);
  }

  /** The local StateModes (per-instance form), as published. */
  localStateModes(): StateModes {
    const states: Record<Identifier, SupvisorsInstanceStateName> = {};
    for (const i of this.instances) states[i.identifier] = this.peer(i.identifier).state;
    const self = this.peer(this.localId).identity;
    return {
      identifier: self.identifier,
      nick_identifier: self.nick,
      now_monotonic: this.nowMs / 1000,
      fsm_statecode: SupvisorsStates[this.fsm],
      fsm_statename: this.fsm,
      degraded_mode: this.degraded,
      discovery_mode: this.opts.discoveryMode === true,
      master_identifier: this.master,
      starting_jobs: this.startingJobs,
      stopping_jobs: this.stoppingJobs,
      instance_states: states,
    };
  }

  /** The last StateModes of one instance (defaults when never seen), the local one live. */
  instanceStateModes(id: Identifier): StateModes | undefined {
    const p = this.peers.get(id);
    if (!p) return undefined;
    if (id === this.localId) return this.localStateModes();
    return (
      p.stateModes ?? {
        identifier: id,
        nick_identifier: p.identity.nick,
        now_monotonic: 0,
        fsm_statecode: SupvisorsStates.OFF,
        fsm_statename: "OFF",
        degraded_mode: false,
        discovery_mode: false,
        master_identifier: "",
        starting_jobs: false,
        stopping_jobs: false,
        instance_states: {},
      }
    );
  }

  /** get_all_instances_state_modes: every instance, sorted by identifier. */
  allInstancesStateModes(): StateModes[] {
    return [...this.peers.keys()].sort().map((id) => this.instanceStateModes(id)!);
  }

  /** The stable identifiers (spec §4.4) in list order, or null when the context is unstable. */
  stableIdentifiers(): Identifier[] | null {
    const s = stableIdentifiers(this.view());
    return s === null ? null : this.instances.map((i) => i.identifier).filter((id) => s.has(id));
  }

  /** The local side sees a strict majority of the quorum set RUNNING (meaningful even with quorum=false). */
  holdsQuorum(): boolean {
    return holdsQuorum(runningIdentifiers(this.view()), this.quorumSet);
  }

  /** Who gets what: TICKs go to every non-isolated peer, other publications to active peers (spec §8.1). */
  publishTargets(): { readonly tick: Identifier[]; readonly publications: Identifier[] } {
    const remote = this.instances.filter((i) => i.identifier !== this.localId).map((i) => this.peer(i.identifier));
    return {
      tick: remote.filter((p) => p.state !== "ISOLATED").map((p) => p.identity.identifier),
      publications: remote.filter((p) => p.state !== "ISOLATED" && p.state !== "STOPPED").map((p) => p.identity.identifier),
    };
  }

  /** The get_strategies() payload of the local instance. */
  strategies(): Strategies {
    return {
      "auto-fencing": this.opts.autoFence,
      starting: this.opts.startingStrategy,
      conciliation: this.opts.conciliationStrategy,
      supvisors_failure: this.opts.supvisorsFailureStrategy,
    };
  }

  /** An instance by identifier or nick. */
  resolve(name: string): InstanceIdentity | undefined {
    return this.instances.find((i) => i.identifier === name) ?? this.instances.find((i) => i.nick === name);
  }

  // ------------------------------------------------------------------------------------------
  // Evaluation
  // ------------------------------------------------------------------------------------------

  private evaluate(onTick: boolean): void {
    let justEntered = false;
    this.housekeeping();
    const view = this.view();
    const stable = stableIdentifiers(view);
    if (stable !== null) this.lastStable = stable;
    const lost = this.lostSinceEvaluation.size > 0;
    this.lostSinceEvaluation.clear();
    const activated = this.activatedNow;
    this.activatedNow = false;
    for (let step = 0; step < MAX_STEPS; step++) {
      const snapshot = this.snapshot(stable, lost, activated);
      const d = decide(snapshot);
      if (d.kind === "stay") break;
      if (d.kind === "select_master") {
        if (this.opts.quorum && !this.holdsQuorum()) break;
        const m = selectMaster(this.view(), this.coreIds);
        if (m === null || m === this.master) break;
        this.setMaster(m, "Master selection");
        continue;
      }
      if (!canChangeState(this.fsm, d.to)) {
        const key = `${this.fsm}->${d.to}`;
        if (key !== this.lastRefusal) this.log("critical", `FiniteStateMachine: transition ${this.fsm} -> ${d.to} refused (${d.why}): not in the transition table`);
        this.lastRefusal = key;
        break;
      }
      this.lastRefusal = "";
      justEntered = true;
      if (this.transition(d.to, d.why)) break;
    }
    if (onTick && !justEntered) {
      if (this.fsm === "OFF" && this.uptimeMs() > CORE_MIN_UPTIME_MS) {
        this.log("critical", "FiniteStateMachine: the local Supvisors instance is still not RUNNING (its own handshake did not succeed)");
      }
      if (this.fsm === "CONCILIATION" && this.master === this.localId && this.conflicts && !this.startingJobs && !this.stoppingJobs) this.ready.actions.push({ kind: "conciliate" });
    }
  }

  private activatedNow = false;

  /** Spec §4.2 "common part" 1, plus the Master bookkeeping of §4.4 and the quorum rule. */
  private housekeeping(): void {
    const masterState = this.reportedMasterState() ?? this.fsm;
    for (const p of this.peers.values()) {
      if (p.state !== "FAILED") continue;
      const fence = this.opts.autoFence && p.identity.identifier !== this.localId && WORKING_STATES.includes(masterState);
      this.setInstanceState(p, fence ? "ISOLATED" : "STOPPED", fence ? "auto_fence" : "invalidated");
    }
    if (this.fsm !== "DISTRIBUTION") {
      for (const p of this.peers.values()) {
        if (p.state === "CHECKED") {
          this.setInstanceState(p, "RUNNING", "activated");
          this.activatedNow = true;
        }
      }
    }
    if (this.master !== "" && this.peer(this.master).state !== "RUNNING") this.setMaster("", `the Master ${this.master} is not RUNNING`);
    const quorumLost = this.opts.quorum && !this.holdsQuorum();
    if (quorumLost && this.master !== "") this.setMaster("", "no quorum: the local side sees no majority of the instances");
    // USER: the first non-empty Master declared by a RUNNING remote instance is adopted.
    if (this.fsm === "SYNCHRONIZATION" && this.master === "" && !quorumLost && this.opts.synchroOptions.includes("USER")) {
      for (const id of runningIdentifiers(this.view())) {
        const m = id === this.localId ? "" : (this.peer(id).stateModes?.master_identifier ?? "");
        if (m !== "" && this.peers.get(m)?.state === "RUNNING") {
          this.setMaster(m, `adopted from ${id}`);
          break;
        }
      }
    }
  }

  private snapshot(stable: ReadonlySet<Identifier> | null, lost: boolean, activated: boolean): FsmSnapshot {
    const view = this.view();
    const inputs: SyncInputs = {
      options: this.opts.synchroOptions,
      declared: this.instances.map((i) => i.identifier),
      known: this.instances.map((i) => i.identifier),
      core: this.coreIds,
      stable,
      uptimeMs: this.uptimeMs(),
      synchroTimeoutMs: this.opts.synchroTimeout * 1000,
      masterRunning: this.master !== "" && this.peer(this.master).state === "RUNNING",
    };
    let syncSatisfied = false;
    let failureState: FsmSnapshot["failureState"] = null;
    if (this.fsm === "SYNCHRONIZATION") {
      const v = evaluateSync(inputs);
      syncSatisfied = v.satisfied.length > 0;
      this.degraded = v.degraded;
    } else if (this.fsm !== "OFF" && this.fsm !== "FINAL") {
      const v = evaluateFailure({ ...inputs, stable: stable ?? this.lastStable }, lost);
      if (this.fsm !== "RESTARTING" && this.fsm !== "SHUTTING_DOWN") this.degraded = v.degraded;
      if (v.failedBy !== null) {
        if (this.opts.supvisorsFailureStrategy === "RESYNC") failureState = "SYNCHRONIZATION";
        else if (this.opts.supvisorsFailureStrategy === "SHUTDOWN") failureState = "SHUTTING_DOWN";
      }
    }
    const agreed = agreedMaster(view);
    return {
      state: this.fsm,
      localRunning: this.peer(this.localId).state === "RUNNING",
      stable: stable !== null,
      syncSatisfied,
      failureState,
      masterAgreed: agreed !== null,
      isMaster: agreed !== null && agreed === this.localId,
      masterState: this.reportedMasterState(),
      activated,
      quorumLost: this.opts.quorum && !this.holdsQuorum(),
      startingJobs: this.startingJobs,
      stoppingJobs: this.stoppingJobs,
      conflicts: this.conflicts,
    };
  }

  /** The FSM state the local Master reports (the local one when we are the Master), null without Master. */
  private reportedMasterState(): SupvisorsStateName | null {
    if (this.master === "") return null;
    if (this.master === this.localId) return this.fsm;
    return this.peer(this.master).stateModes?.fsm_statename ?? null;
  }

  /** Applies a transition allowed by the table; true when the loop must stop for a host action. */
  private transition(to: SupvisorsStateName, why: string): boolean {
    const from = this.fsm;
    this.fsm = to;
    this.ready.transitions.push({ from, to });
    this.log("info", `FiniteStateMachine: Supvisors in ${to} (from ${from}: ${why})`);
    if (from === "RESTARTING") this.ready.actions.push({ kind: "restart_local" });
    if (from === "SHUTTING_DOWN") this.ready.actions.push({ kind: "shutdown_local" });
    const isMaster = this.master !== "" && this.master === this.localId;
    switch (to) {
      case "SYNCHRONIZATION":
      case "ELECTION":
        this.ready.actions.push({ kind: "abort_jobs" });
        return false;
      case "DISTRIBUTION":
        if (!isMaster) return false;
        this.ready.actions.push({ kind: "start_applications" });
        return true;
      case "CONCILIATION":
        if (!isMaster) return false;
        this.ready.actions.push({ kind: "conciliate" });
        return true;
      case "RESTARTING":
      case "SHUTTING_DOWN":
        this.ready.actions.push({ kind: "abort_jobs" });
        if (!isMaster) return false;
        this.ready.actions.push({ kind: "stop_applications" });
        return true;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  private setInstanceState(p: Peer, to: SupvisorsInstanceStateName, why: string): void {
    const from = p.state;
    const id = p.identity.identifier;
    if (!canChangeInstanceState(from, to)) {
      this.log("critical", `SupvisorsInstanceStatus: ${id} transition ${from} -> ${to} refused (${why})`);
      return;
    }
    p.state = to;
    this.ready.instanceTransitions.push({ identifier: id, from, to });
    const level: LogLevel = to === "FAILED" || to === "ISOLATED" ? "warn" : "info";
    this.log(level, `SupvisorsInstanceStatus: Supvisors=${p.identity.nick} (${id}) ${from} -> ${to} (${why})`);
    const remote = id !== this.localId;
    switch (to) {
      case "CHECKING":
        p.enteredCheckingMs = this.nowMs;
        this.ready.handshakes.push({ identifier: id, startedAtMs: this.nowMs });
        if (remote) this.detector.watch(id, this.nowMs);
        break;
      case "FAILED":
        this.ready.failed.push(id);
        this.lostSinceEvaluation.add(id);
        this.detector.forget(id);
        break;
      case "STOPPED":
      case "ISOLATED":
        p.stateModes = null;
        this.detector.forget(id);
        if (from === "FAILED") this.ready.invalidated.push({ identifier: id, to });
        break;
      default:
        break;
    }
  }

  private setMaster(m: Identifier | "", why: string): void {
    if (m === this.master) return;
    const nick = m === "" ? "" : this.peer(m).identity.nick;
    this.log(m === "" ? "warn" : "info", m === "" ? `ClusterCore: no Master (${why})` : `ClusterCore: Master is ${nick} (${m}) (${why})`);
    this.master = m;
  }

  private storeStateModes(p: Peer, sm: StateModes): void {
    if (p.stateModes !== null && sm.now_monotonic < p.stateModes.now_monotonic) return; // an older one (handshake answer after a publication)
    p.stateModes = sm;
  }

  /** Publishes the local StateModes when they changed; instance states alone only on a tick. */
  private refreshPublication(onTick: boolean): void {
    // Called after every message: the cheap key first, the instance states only when they can matter.
    const key = [this.fsm, this.master, this.degraded, this.opts.discoveryMode === true, this.startingJobs, this.stoppingJobs].join("|");
    if (key === this.lastPublishedKey && !onTick) return;
    const sm = this.localStateModes();
    const states = JSON.stringify(sm.instance_states);
    if (key !== this.lastPublishedKey || states !== this.lastPublishedStates) {
      this.ready.stateModes = sm;
      this.lastPublishedKey = key;
      this.lastPublishedStates = states;
    }
  }

  private view(): ContextView {
    const states = new Map<Identifier, SupvisorsInstanceStateName>();
    for (const [id, p] of this.peers) states.set(id, p.state);
    return {
      instances: this.instances.map((i) => ({ identifier: i.identifier, nick: i.nick })),
      states,
      reported: (id) => (id === this.localId ? this.localStateModes() : (this.peers.get(id)?.stateModes ?? undefined)),
    };
  }

  private peer(id: Identifier): Peer {
    const p = this.peers.get(id);
    if (!p) throw new ClusterCoreError("BAD_INSTANCES", `unknown instance ${id}`);
    return p;
  }

  /** A known remote instance, or undefined (logged) for the local one or an unknown one. */
  private remotePeer(from: Identifier, what: string): Peer | undefined {
    const p = this.peers.get(from);
    if (!p || from === this.localId) {
      this.log("warn", `ClusterCore: ${what} from ${p ? "the local instance" : `unknown instance ${String(from)}`} ignored`);
      return undefined;
    }
    return p;
  }

  private advance(nowMs: number, what: string): void {
    checkTime(nowMs, `${what}(nowMs)`);
    // Monotonic by contract; a time going back is held at the latest one rather than trusted.
    if (nowMs > this.nowMs) this.nowMs = nowMs;
  }

  private wallSeconds(): number {
    return capInt(this.wallSecondsAt(this.nowMs));
  }

  private wallSecondsAt(monoMs: number): number {
    return (this.startWallMs + (monoMs - this.startMs)) / 1000;
  }

  private log(level: LogLevel, text: string): void {
    this.ready.logs.push({ level, text });
  }
}

function checkTime(v: number, what: string): void {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new ClusterCoreError("BAD_TIME", `${what} must be a finite number of milliseconds, got ${String(v)}`);
}

function capInt(x: number): number {
  return Math.max(-XMLRPC_MAX_INT - 1, Math.min(XMLRPC_MAX_INT, Math.trunc(x)));
}

function isTickPayload(t: unknown): t is TickPayload {
  if (typeof t !== "object" || t === null) return false;
  const o = t as Record<string, unknown>;
  return (
    typeof o.boot === "string" &&
    typeof o.sequence_counter === "number" &&
    Number.isInteger(o.sequence_counter) &&
    o.sequence_counter >= 0 &&
    typeof o.when === "number" &&
    Number.isFinite(o.when) &&
    typeof o.when_monotonic === "number" &&
    Number.isFinite(o.when_monotonic)
  );
}

const INSTANCE_STATE_NAMES = new Set<string>(["STOPPED", "CHECKING", "CHECKED", "RUNNING", "FAILED", "ISOLATED"]);

function isStateModes(s: unknown): s is StateModes {
  if (typeof s !== "object" || s === null) return false;
  const o = s as Record<string, unknown>;
  if (typeof o.identifier !== "string" || typeof o.master_identifier !== "string") return false;
  if (typeof o.fsm_statename !== "string" || !(o.fsm_statename in SupvisorsStates)) return false;
  if (typeof o.now_monotonic !== "number" || !Number.isFinite(o.now_monotonic)) return false;
  if (typeof o.instance_states !== "object" || o.instance_states === null || Array.isArray(o.instance_states)) return false;
  return Object.values(o.instance_states as Record<string, unknown>).every((v) => typeof v === "string" && INSTANCE_STATE_NAMES.has(v));
}
