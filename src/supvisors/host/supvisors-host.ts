/**
 * The host of the cluster's pure parts, like raft's node loop: it feeds ClusterCore and the
 * cluster model with time, messages from the internal bus, handshake answers and local process
 * events, and carries out what they produce (publications, handshakes, lost instances, local
 * restart/shutdown). Every input is followed by drain(), so nothing the core produced waits.
 *
 * Ticks run on exact deadlines (a chained timer re-aimed at the next point of the grid), so a busy
 * event loop shows up as one late tick, which the core's failure detector discounts (local stall),
 * instead of as a drift that would look like silent peers. The grid is the wall clock's multiples
 * of the period, the same on every instance of a synchronised cluster: the instances beat
 * together, so each wakes about once per period for all its peers' TICKs (they arrive as one
 * burst, read in one go) instead of once per peer. With 30 instances that is the difference
 * between a few and thirty wake-ups per period, which on a VM dominates an idle instance's CPU.
 */
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { ProcessStateEvent, ReadinessEvent, SupervisorEvent } from "../../supervisord/events/types.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import { Commander } from "../commander/commander.js";
import type { CommanderReady, CommanderRole } from "../commander/types.js";
import type { ClusterCore } from "../fsm/cluster-core.js";
import type { HandshakeRequest, LogLine, Ready } from "../fsm/core-io.js";
import { allLocalProcessInfo, findLocalProcess, type LocalExtras, NO_EXTRAS, localProcessInfo, readinessOf } from "../local/local-process-info.js";
import { monotonicMs } from "../local/monotonic.js";
import type { Identifier, InternalMessage, LocalProcessInfo, NetworkDescription, ProcessEvent, SupvisorsOptions } from "../types.js";
import { handshake } from "./handshake.js";
import { HandshakeRunner } from "./handshake-runner.js";
import { faultText } from "../cluster/peer-callers.js";
import { performRequest } from "./requests.js";
import { NO_EVENTS, NO_STATS, type EventsPort, type StatsPort, type LocalSupervisorPort, type LoggerPort, type ModelPort, type PeerCallerPort, type TransportPort } from "./ports.js";

export interface SupvisorsHostInit {
  readonly options: SupvisorsOptions;
  readonly core: ClusterCore;
  readonly model: ModelPort;
  readonly transport: TransportPort;
  readonly peers: PeerCallerPort;
  readonly local: LocalSupervisorPort;
  readonly logger: LoggerPort;
  readonly localNetwork: NetworkDescription;
  /** This start's boot id (the transport stamps it too). */
  readonly boot: string;
  readonly extras?: LocalExtras;
  /** The event interface (default: none). */
  readonly events?: EventsPort;
  /** The statistics of the cluster (default: none). */
  readonly stats?: StatsPort;
  /** Monotonic ms (tests inject a fake); default CLOCK_MONOTONIC. */
  readonly monotonicMs?: () => number;
  readonly wallMs?: () => number;
}

const ACCEPTING = new Set(["CHECKED", "RUNNING"]);

/**
 * Delay to the next point of the wall-clock grid (multiples of the period). A point closer than a
 * quarter period (we ran late, or the wall clock stepped) is skipped: missed ticks are never run
 * back to back, and two ticks are never closer than a quarter period.
 */
export function nextTickDelay(wallMs: number, periodMs: number): number {
  const delay = periodMs - (((wallMs % periodMs) + periodMs) % periodMs);
  return delay < periodMs / 4 ? delay + periodMs : delay;
}

/**
 * How long a handshake may take. Not a liveness probe (the failure detector is: a dead peer is
 * FAILED within about a second whatever this says, and its late answer is then obsolete), so it
 * leaves a busy peer time: dozens of instances starting together on one machine answer in seconds.
 */
const HANDSHAKE_TIMEOUT_MS = 15_000;

export class SupvisorsHost {
  private readonly opts: SupvisorsOptions;
  private readonly core: ClusterCore;
  private readonly model: ModelPort;
  private readonly transport: TransportPort;
  private readonly peers: PeerCallerPort;
  private readonly local: LocalSupervisorPort;
  private readonly logger: LoggerPort;
  private readonly extras: LocalExtras;
  private readonly events: EventsPort;
  private readonly stats: StatsPort;
  private readonly mono: () => number;
  private readonly wall: () => number;
  private readonly localId: Identifier;
  private readonly periodMs: number;
  private readonly boot: string;
  private readonly networks = new Map<Identifier, NetworkDescription>();
  private readonly handshakes = new HandshakeRunner((req) => this.remoteHandshake(req));
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;
  private lastConflicts = false;
  /** The Starter, Stopper and failure handler of this instance. */
  readonly commander: Commander;
  private role: CommanderRole = { isMaster: false, repairs: false, working: false };
  private reportedJobs = { starting: false, stopping: false };
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineAt: number | null = null;
  /** Calls waiting for a condition (wait=true): checked after every input, never polled. */
  private waiters: { done: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(init: SupvisorsHostInit) {
    this.opts = init.options;
    this.core = init.core;
    this.model = init.model;
    this.transport = init.transport;
    this.peers = init.peers;
    this.local = init.local;
    this.logger = init.logger;
    this.extras = init.extras ?? NO_EXTRAS;
    this.events = init.events ?? NO_EVENTS;
    this.stats = init.stats ?? NO_STATS;
    this.mono = init.monotonicMs ?? monotonicMs;
    this.wall = init.wallMs ?? Date.now;
    this.localId = init.core.localIdentifier;
    this.periodMs = init.options.tickPeriod * 1000;
    this.boot = init.boot;
    this.networks.set(this.localId, init.localNetwork);
    this.commander = new Commander(
      {
        localIdentifier: this.localId,
        applicationNames: () => this.model.applicationNames(),
        application: (name) => this.model.applicationStatus(name),
        placement: () => ({
          instances: this.opts.supvisorsList.map((i) => {
            const status = this.core.instanceStatus(i.identifier);
            return {
              identifier: i.identifier,
              nick: i.nick,
              machineId: this.networks.get(i.identifier)?.machine_id || status?.machine_id || "",
              stereotypes: i.identifier === this.localId ? this.opts.stereotypes : (status?.stereotypes ?? []),
              state: status?.state ?? "STOPPED",
            };
          }),
          localIdentifier: this.localId,
          load: (id) => this.model.instanceLoading(id),
        }),
      },
      // A request and its event cross the network twice; a busy peer answers in a few ticks.
      { marginMs: Math.max(2000, 8 * this.periodMs) },
    );
  }

  /**
   * Runs an order on the Commander as one input (the host then sends what it planned); the
   * service's control methods go through here.
   */
  order<T>(f: (c: Commander, nowMs: number) => T): T {
    let out: T | undefined;
    let failed: unknown = null;
    this.input(() => {
      try {
        out = f(this.commander, this.mono());
      } catch (err) {
        failed = err;
      }
    });
    if (failed !== null) throw failed;
    return out as T;
  }

  /** Resolves once `done()` holds, checked after every input (process events, answers, deadlines). */
  waitFor(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error("Supvisors is closing"));
    return new Promise((resolve, reject) => this.waiters.push({ done, resolve, reject }));
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  start(): void {
    this.transport.onMessage((from, msg) => this.onMessage(from, msg));
    this.transport.onPeerDisconnected((id) => this.input(() => this.core.transportFailure(id, this.mono())));
    const rejectedOnce = new Set<string>();
    this.transport.onRejected((from, reason) => {
      const key = `${from ?? "?"}|${reason}`;
      if (rejectedOnce.has(key)) return;
      rejectedOnce.add(key);
      this.logger.log("warn", `SupvisorsHost: internal message rejected (from ${from ?? "unknown sender"}): ${reason}`);
    });
    this.unsubscribe = this.local.subscribe((e) => this.onLocalEvent(e));
    this.onTick();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handshakes.close();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    for (const w of this.waiters.splice(0)) w.reject(new Error("Supvisors is closing"));
    this.unsubscribe?.();
    this.peers.close();
    await this.transport.close();
  }

  /** The network description of an instance: ours, or the one its handshake gave. */
  networkOf(id: Identifier): NetworkDescription | null {
    return this.networks.get(id) ?? null;
  }

  /** LocalProcessInfo of the local supervisord (the handshake's and the API's answer). */
  allLocalProcessInfo(): LocalProcessInfo[] {
    return allLocalProcessInfo(this.local.groups(), this.wall(), this.mono(), this.extras);
  }

  // ---- inputs ---------------------------------------------------------------------------------

  private input(step: () => void): void {
    if (this.closed) return;
    step();
    this.drain();
  }

  private onTick(): void {
    if (this.closed) return;
    this.input(() => this.core.tick(this.mono()));
    this.events.instance(this.localId, true);
    this.timer = setTimeout(() => this.onTick(), nextTickDelay(this.wall(), this.periodMs));
  }

  private onMessage(from: Identifier, msg: InternalMessage): void {
    if (from === this.localId) return;
    const now = this.mono();
    switch (msg.kind) {
      case "tick":
        this.input(() => this.core.receiveTick(from, msg, now));
        if (ACCEPTING.has(this.core.instanceState(from) ?? "")) {
          this.model.refreshTimes(from, msg.when_monotonic, msg.when, now);
          this.events.instance(from, true);
        }
        return;
      case "state":
        this.input(() => this.core.receiveState(from, msg.state, now));
        if (ACCEPTING.has(this.core.instanceState(from) ?? "")) this.events.supvisors();
        return;
      case "stats":
        // Not an input of the core or the model: nothing to drain.
        if (ACCEPTING.has(this.core.instanceState(from) ?? "")) this.stats.onRemote(from, msg);
        return;
      default:
        // Process publications count only from an instance we have checked (spec §8.5).
        if (!ACCEPTING.has(this.core.instanceState(from) ?? "")) return;
        this.input(() => this.applyProcessMessage(from, msg, now));
    }
  }

  private applyProcessMessage(from: Identifier, msg: Exclude<InternalMessage, { kind: "tick" } | { kind: "state" } | { kind: "stats" }>, now: number): void {
    switch (msg.kind) {
      case "process":
        if (msg.event.identifier !== from && msg.event.forced !== true) return;
        if (this.applyEvent(msg.event, now) && msg.event.forced !== true) this.commander.onEvent(msg.event, now);
        break;
      case "process_added":
        this.processAdded(from, msg.info, now);
        break;
      case "process_removed":
        this.processRemoved(from, msg.group, msg.name, now);
        break;
      case "process_disability":
        this.disabilitySet(from, msg.info, now);
        break;
    }
    this.checkConflicts();
  }

  private onLocalEvent(e: SupervisorEvent): void {
    if (this.closed) return;
    if (e.kind === "PROCESS_STATE") this.input(() => this.onLocalProcessState(e));
    else if (e.kind === "READINESS") this.input(() => this.onLocalReadiness(e));
    else if (e.kind === "PROCESS_GROUP") this.input(() => this.onLocalGroup(e.change, e.group));
    else if (e.kind === "PROCESS" && (e.change === "ADDED" || e.change === "REMOVED")) this.input(() => this.onLocalProcessChange(e.change as "ADDED" | "REMOVED", e.process.group, e.process.name));
  }

  /** Applied to the local model first, then published (spec §8.5: a network failure never blocks local consistency). */
  private onLocalProcessState(e: ProcessStateEvent): void {
    const now = this.mono();
    const p = findLocalProcess(this.local.groups(), `${e.process.group}:${e.process.name}`);
    const event = this.localEvent(e.process, now, {
      state: ProcessStates[e.to],
      pid: e.pid,
      expected: e.to === "EXITED" ? e.expected : true,
      spawnerr: p?.spawnerr ?? "",
      disabled: p ? this.extras.disabled(p.config.program_name) : false,
    });
    // Ours, additive: only a program with a readiness_check carries it.
    const readiness = p ? readinessOf(p) : "none";
    const withReadiness: ProcessEvent = readiness === "none" ? event : { ...event, readiness };
    if (ACCEPTING.has(this.core.instanceState(this.localId) ?? "") && this.applyEvent(withReadiness, now)) this.commander.onEvent(withReadiness, now);
    this.publish({ kind: "process", event: withReadiness });
    this.checkConflicts();
  }

  /**
   * Ours: a readiness change of a local process, shared like a process event (a `process`
   * message marked readiness_only, the state as it is now), so every instance's model and the
   * Starters waiting for readiness learn it.
   */
  private onLocalReadiness(e: ReadinessEvent): void {
    const now = this.mono();
    const p = findLocalProcess(this.local.groups(), `${e.process.group}:${e.process.name}`);
    if (!p) return;
    const event: ProcessEvent = {
      ...this.localEvent(e.process, now, {
        state: ProcessStates[p.state],
        pid: p.pid,
        expected: true,
        spawnerr: p.spawnerr ?? "",
        disabled: this.extras.disabled(p.config.program_name),
      }),
      readiness: e.to,
      readiness_only: true,
      readiness_reason: e.reason,
    };
    if (ACCEPTING.has(this.core.instanceState(this.localId) ?? "") && this.applyEvent(event, now)) this.commander.onEvent(event, now);
    this.publish({ kind: "process", event });
  }

  /** A process event of this instance: its identity, the clocks and start_args around `fields`. */
  private localEvent(
    proc: { readonly group: string; readonly name: string },
    monoMs: number,
    fields: Pick<ProcessEvent, "state" | "pid" | "expected" | "spawnerr" | "disabled">,
  ): ProcessEvent {
    // The keys in the order Supvisors' payload has them (the event interface sends them as they are).
    return {
      identifier: this.localId,
      nick_identifier: this.opts.supvisorsList[this.opts.localIndex]!.nick,
      name: proc.name,
      group: proc.group,
      state: fields.state,
      now: this.wall() / 1000,
      now_monotonic: monoMs / 1000,
      pid: fields.pid,
      expected: fields.expected,
      spawnerr: fields.spawnerr,
      extra_args: this.extras.extraArgs(proc.group, proc.name),
      disabled: fields.disabled,
    };
  }

  private onLocalGroup(change: "ADDED" | "REMOVED", group: string): void {
    const now = this.mono();
    const accepting = ACCEPTING.has(this.core.instanceState(this.localId) ?? "");
    if (change === "REMOVED") {
      if (accepting) this.processRemoved(this.localId, group, "*", now);
      this.publish({ kind: "process_removed", group, name: "*" });
      return;
    }
    const g = this.local.groups().find((x) => x.config.name === group);
    for (const p of g?.processes ?? []) {
      const info = localProcessInfo(p, this.wall(), now, this.extras);
      if (accepting) this.processAdded(this.localId, info, now);
      this.publish({ kind: "process_added", info });
    }
  }

  /**
   * Ours: the core's readiness failure delegate (readiness_on_failure = fail): the process's
   * running failure strategy, applied by this instance's Commander while Supvisors works on a
   * managed application. False when it does not (not managed, not working yet): the caller then
   * restarts it in place as plain supervisord does.
   */
  readinessFailure(group: string, name: string, reason: string): boolean {
    let handled = false;
    this.input(() => {
      const app = this.model.applicationStatus(group);
      const p = this.model.processStatus(group, name);
      const working = this.role.working && ACCEPTING.has(this.core.instanceState(this.localId) ?? "");
      if (!app || !p || !app.rules.managed || !working) return;
      this.commander.readinessFailure(app, p, this.localId, reason, this.mono());
      handled = true;
    });
    return handled;
  }

  /** A program's processes changed their disabled flag: the local model and the other instances learn it. */
  disabilityChanged(program: string): void {
    this.input(() => {
      const now = this.mono();
      const accepting = ACCEPTING.has(this.core.instanceState(this.localId) ?? "");
      for (const g of this.local.groups()) {
        for (const p of g.processes) {
          if (p.config.program_name !== program) continue;
          const info = localProcessInfo(p, this.wall(), now, this.extras);
          if (accepting) this.disabilitySet(this.localId, info, now);
          this.publish({ kind: "process_disability", info });
        }
      }
    });
  }

  /** update_numprocs added or removed one process of the local supervisord (spec §8.2). */
  private onLocalProcessChange(change: "ADDED" | "REMOVED", group: string, name: string): void {
    const now = this.mono();
    const accepting = ACCEPTING.has(this.core.instanceState(this.localId) ?? "");
    if (change === "REMOVED") {
      if (accepting) this.processRemoved(this.localId, group, name, now);
      this.publish({ kind: "process_removed", group, name });
      return;
    }
    const p = findLocalProcess(this.local.groups(), `${group}:${name}`);
    if (!p) return;
    const info = localProcessInfo(p, this.wall(), now, this.extras);
    if (accepting) this.processAdded(this.localId, info, now);
    this.publish({ kind: "process_added", info });
  }

  // ---- the model's inputs, each with its events (spec §7.4) -----------------------------------

  /** A process event (real or forced) to the model; when applied: `event`, `process`, `application`. */
  private applyEvent(event: ProcessEvent, now: number): boolean {
    if (!this.model.applyEvent(event, now)) return false;
    const p = this.model.processStatus(event.group, event.name);
    // A forced event is published with the displayed (forced) state.
    this.events.processEvent(event.forced === true && p ? { ...event, state: p.displayedState } : event);
    this.events.process(event.group, event.name);
    this.events.application(event.group);
    return true;
  }

  private processAdded(id: Identifier, info: LocalProcessInfo, now: number): void {
    this.model.addProcess(id, info, now);
    this.events.process(info.group, info.name);
    this.events.application(info.group);
  }

  /** `name` "*": the whole group. `event` (state -1) per process; `process` DELETED when no instance defines it. */
  private processRemoved(id: Identifier, group: string, name: string, now: number): void {
    const names = name === "*" ? [...(this.model.processNames(group) ?? [])] : [name];
    this.model.removeProcess(id, group, name, now);
    for (const n of names) {
      this.events.processEvent({ identifier: id, name: n, group, state: -1 });
      this.events.process(group, n);
    }
    if (names.length) this.events.application(group);
  }

  private disabilitySet(id: Identifier, info: LocalProcessInfo, now: number): void {
    this.model.setDisability(id, info, now);
    // Supvisors re-publishes the full LocalProcessInfo under the `event` header.
    this.events.processEvent({ ...info, identifier: id });
  }

  private publish(msg: InternalMessage): void {
    try {
      this.transport.publish(msg);
    } catch (err) {
      this.logger.log("error", `SupvisorsHost: cannot publish ${msg.kind}: ${(err as Error).message}`);
    }
  }

  private checkConflicts(): void {
    const present = this.model.hasConflicts();
    if (present === this.lastConflicts) return;
    this.lastConflicts = present;
    this.core.conflictsChanged(present);
  }

  // ---- outputs --------------------------------------------------------------------------------

  private drain(): void {
    for (let guard = 0; guard < 16; guard++) {
      const fed = this.carryOut(this.core.takeReady());
      if (!this.runCommander() && !fed) break;
    }
    this.armDeadline();
    this.checkWaiters();
  }

  /** Role to the Commander, its output carried out, its activity to the core. True when the core was fed. */
  private runCommander(): boolean {
    const state = this.core.state();
    const isMaster = this.core.masterIdentifier() === this.localId;
    const role: CommanderRole = {
      isMaster,
      repairs: isMaster && (state === "DISTRIBUTION" || state === "OPERATION"),
      working: state === "DISTRIBUTION" || state === "OPERATION" || state === "CONCILIATION",
    };
    if (role.isMaster !== this.role.isMaster || role.repairs !== this.role.repairs || role.working !== this.role.working) {
      this.role = role;
      this.commander.setRole(role, this.mono());
    }
    let fed = false;
    for (let guard = 0; guard < 16; guard++) {
      const r = this.commander.takeReady();
      if (r.requests.length === 0 && r.forced.length === 0 && r.actions.length === 0 && r.logs.length === 0) break;
      fed = this.carryOutCommander(r) || fed;
    }
    const starting = this.commander.starting();
    const stopping = this.commander.stopping();
    if (starting !== this.reportedJobs.starting || stopping !== this.reportedJobs.stopping) {
      this.reportedJobs = { starting, stopping };
      this.core.jobsChanged(starting, stopping);
      fed = true;
    }
    return fed;
  }

  private carryOutCommander(r: CommanderReady): boolean {
    let fed = false;
    for (const line of r.logs) this.logger.log(line.level, line.text);
    for (const e of r.forced) {
      const event = { ...e, now: this.wall() / 1000 };
      this.applyEvent(event, this.mono());
      this.publish({ kind: "process", event });
    }
    if (r.forced.length) this.checkConflicts();
    for (const req of r.requests) {
      performRequest(req, this.localId, this.local, this.peers).then(
        () => undefined,
        (err) => this.input(() => this.commander.onRequestFailed(req, faultText(err), this.mono())),
      );
    }
    for (const a of r.actions) {
      if (a.kind === "closing") fed = this.requestClosing(a.what, a.why).kind === "accepted" || fed;
    }
    return fed;
  }

  /** supvisors.restart / shutdown: on the Master the FSM closes; elsewhere the Master is asked. */
  requestClosing(what: "restart" | "shutdown", why: string): { kind: "accepted" | "forwarded" } | { kind: "refused"; message: string } {
    const r = this.core.requestClosing(what);
    if (r.kind === "accepted") {
      this.logger.log("warn", `SupvisorsHost: Supvisors ${what} (${why})`);
      return { kind: "accepted" };
    }
    if (r.kind === "forward") {
      // The Master closes the whole cluster, this instance included: its answer is not waited for.
      this.logger.log("warn", `SupvisorsHost: Supvisors ${what} (${why}) asked of the Master ${r.master}`);
      this.peers.call(r.master, `supvisors.${what}`, []).catch((err) => this.logger.log("error", `SupvisorsHost: supvisors.${what} on the Master ${r.master} failed: ${faultText(err)}`));
      return { kind: "forwarded" };
    }
    this.logger.log("error", `SupvisorsHost: Supvisors ${what} (${why}) refused: ${r.message}`);
    return r;
  }

  private armDeadline(): void {
    const next = this.commander.nextDeadline();
    if (next === this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    this.deadlineAt = next;
    if (next === null || this.closed || !Number.isFinite(next)) return;
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.deadlineAt = null;
      this.input(() => this.commander.onTime(this.mono()));
    }, Math.max(0, next - this.mono()));
  }

  private checkWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      let done = false;
      try {
        done = w.done();
      } catch (err) {
        w.reject(err as Error);
        continue;
      }
      if (done) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Returns whether anything was fed back into the core (then drain again). */
  private carryOut(r: Ready): boolean {
    let fedBack = false;
    for (const line of r.logs) this.logLine(line);
    if (r.tick) {
      const when = this.wall() / 1000;
      this.publish({ kind: "tick", boot: this.boot, sequence_counter: r.tick.sequence_counter, when, when_monotonic: r.tick.when_monotonic });
      // Our own TICK moves our records' clocks too (uptimes, descriptions), as a peer's does there.
      this.model.refreshTimes(this.localId, r.tick.when_monotonic, when, this.mono());
    }
    for (const t of r.instanceTransitions) this.events.instance(t.identifier);
    if (r.stateModes) {
      this.publish({ kind: "state", state: r.stateModes });
      this.events.supvisors();
    }
    for (const id of r.failed) {
      const lost = this.model.instanceLost(id, this.mono());
      for (const p of lost) this.events.process(p.application, p.name);
      for (const a of new Set(lost.map((p) => p.application))) this.events.application(a);
      this.commander.onInstanceLost(id, lost, this.mono());
      this.stats.instanceLost(id);
      this.networks.delete(id);
      fedBack = true;
    }
    if (r.failed.length) this.checkConflicts();
    for (const req of r.handshakes) fedBack = this.startHandshake(req) || fedBack;
    for (const a of r.actions) {
      switch (a.kind) {
        case "restart_local":
          this.logger.log("warn", "SupvisorsHost: restarting the local supervisord (Supvisors RESTARTING ended)");
          this.local.restart();
          break;
        case "shutdown_local":
          this.logger.log("warn", "SupvisorsHost: shutting down the local supervisord (Supvisors SHUTTING_DOWN ended)");
          this.local.shutdown();
          break;
        case "abort_jobs":
          this.commander.abort(this.mono());
          break;
        case "start_applications":
        case "stop_applications":
        case "conciliate":
          if (a.kind === "start_applications") this.commander.startApplications(this.mono());
          else if (a.kind === "stop_applications") this.commander.stopApplications(this.mono());
          else this.commander.conciliate(this.opts.conciliationStrategy, this.mono());
          // The core waits for the jobs' report after these entry actions, even when nothing changed.
          this.reportedJobs = { starting: this.commander.starting(), stopping: this.commander.stopping() };
          this.core.jobsChanged(this.reportedJobs.starting, this.reportedJobs.stopping);
          fedBack = true;
          break;
      }
    }
    return fedBack;
  }

  private logLine(line: LogLine): void {
    this.logger.log(line.level, line.text);
  }

  /** The local handshake is answered at once; a remote one runs over XML-RPC. Returns whether the core was fed. */
  private startHandshake(req: HandshakeRequest): boolean {
    if (req.identifier === this.localId) {
      this.model.loadInstance(this.localId, this.allLocalProcessInfo(), this.mono());
      this.core.handshakeDone(
        this.localId,
        req.startedAtMs,
        { kind: "authorized", stateModes: this.core.localStateModes(), machineId: this.networks.get(this.localId)?.machine_id ?? "", stereotypes: this.opts.stereotypes },
        this.mono(),
      );
      this.checkConflicts();
      return true;
    }
    this.handshakes.request(req);
    return false;
  }

  /** One handshake over XML-RPC; its answer is fed to the core (which drops an obsolete one). */
  private async remoteHandshake(req: HandshakeRequest): Promise<void> {
    const id = req.identifier;
    const call = (m: string, p: readonly RpcValue[]) => this.peers.call(id, m, p, HANDSHAKE_TIMEOUT_MS);
    try {
      const out = await handshake(call, (e) => this.peers.isFault(e), id, this.localId, this.core.strategies());
      this.input(() => {
        if (out.result.kind === "authorized" && this.core.instanceState(id) === "CHECKING") {
          this.model.loadInstance(id, out.processes ?? [], this.mono());
          if (out.network) this.networks.set(id, out.network);
        }
        if (out.result.kind !== "authorized") this.logger.log("info", `SupvisorsHost: handshake with ${id}: ${out.result.kind}${out.why !== undefined ? ` (${out.why})` : ""}`);
        this.core.handshakeDone(id, req.startedAtMs, out.result, this.mono());
        this.checkConflicts();
      });
    } catch (err) {
      this.logger.log("error", `SupvisorsHost: handshake with ${id} failed: ${(err as Error)?.stack ?? err}`);
    }
  }
}
