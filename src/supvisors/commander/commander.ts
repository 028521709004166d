/**
 * The Commander: the Starter, the Stopper and the running failure handler of one instance, with
 * the orders that combine them (restart = stop, then start; conciliation; the automatic start of
 * DISTRIBUTION; the global stop of RESTARTING / SHUTTING_DOWN). Pure like ClusterCore: every
 * input carries the time, and the host drains takeReady() after each one and performs it (calls
 * on the target instances, forced states to publish, closing requests) before the next input.
 *
 * Like Supvisors 0.19, the instance that receives a control call runs it with its own Commander;
 * only the Master runs the automatic start, the failure handling and the conciliation.
 */
import type { ConciliationStrategy, StartingStrategy } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ApplicationStatus } from "../context/application-status.js";
import { STOPPED_STATES, type ProcessStatus } from "../context/process-status.js";
import type { Identifier, ProcessEvent } from "../types.js";
import type { CommanderContext, Outbox } from "./context.js";
import { FailureHandler } from "./failure-handler.js";
import { predictApplication, predictProcesses, type Prediction } from "./prediction.js";
import { Starter, type StartJob } from "./starter.js";
import { runningOn, Stopper, type StopJob } from "./stopper.js";
import type { CommanderAction, CommanderLog, CommanderOptions, CommanderReady, CommanderRole, CommandRequest } from "./types.js";

const S = ProcessStates;

type AfterStop = () => void;

export class Commander {
  private readonly out: Outbox & { ready: CommanderReady };
  private readonly starter: Starter;
  private readonly stopper: Stopper;
  private readonly failures = new FailureHandler();
  /** What to do when the Stopper's job of an application ends (restarts, conciliation RESTART). */
  private readonly afterStop = new Map<string, AfterStop[]>();
  private role: CommanderRole = { isMaster: false, repairs: false, working: false };

  constructor(
    private readonly ctx: CommanderContext,
    opts: CommanderOptions,
  ) {
    const ready: CommanderReady = { requests: [], forced: [], actions: [], logs: [] };
    this.out = {
      nowMs: 0,
      ready,
      request: (r: CommandRequest) => this.out.ready.requests.push(r),
      force: (e: ProcessEvent) => this.out.ready.forced.push(e),
      log: (level: CommanderLog["level"], text: string) => this.out.ready.logs.push({ level, text }),
    };
    this.starter = new Starter(ctx, this.out, opts.marginMs, { jobDone: (j) => this.startJobDone(j) });
    this.stopper = new Stopper(this.out, opts.marginMs, { jobDone: (j) => this.stopJobDone(j) });
  }

  // ---- queries --------------------------------------------------------------------------------

  starting(): boolean {
    return this.starter.busy();
  }

  stopping(): boolean {
    return this.stopper.busy() || this.afterStop.size > 0;
  }

  /** The application has a start or stop job (or a start waiting for its stop). */
  handles(application: string): boolean {
    return this.starter.handles(application) || this.stopper.handles(application) || this.afterStop.has(application);
  }

  startingApplication(application: string): boolean {
    return this.starter.handles(application) || this.afterStop.has(application);
  }

  stoppingApplication(application: string): boolean {
    return this.stopper.handles(application);
  }

  /** The earliest command deadline (ms), null when none. */
  nextDeadline(): number | null {
    const a = this.starter.nextDeadline();
    const b = this.stopper.nextDeadline();
    if (a === null) return b;
    if (b === null) return a;
    return Math.min(a, b);
  }

  /** Pending start load of an instance (for test_start and start_any_process). */
  pendingLoad(id: Identifier): number {
    return this.starter.pendingLoad(id);
  }

  placementContext() {
    return this.starter.placementContext();
  }

  /** test_start_application: where each process would start, nothing done (spec §6.10). */
  predictApplication(app: ApplicationStatus, strategy: StartingStrategy): Prediction[] {
    return predictApplication(app, strategy, this.starter.placementContext(), this.starter.hashAssignments());
  }

  /** test_start_process */
  predictProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], strategy: StartingStrategy): Prediction[] {
    return predictProcesses(app, processes, strategy, this.starter.placementContext(), this.starter.hashAssignments());
  }

  takeReady(): CommanderReady {
    const r = this.out.ready;
    this.out.ready = { requests: [], forced: [], actions: [], logs: [] };
    return r;
  }

  // ---- inputs from the host -------------------------------------------------------------------

  setRole(role: CommanderRole, nowMs: number): void {
    this.at(nowMs);
    const wasRepairing = this.role.repairs;
    this.role = role;
    if (!role.isMaster) this.failures.clearJobs();
    if (role.repairs && !wasRepairing) this.triggerFailures();
  }

  /** A real event of a process (after the model applied it); forced ones are not given. */
  onEvent(e: ProcessEvent, nowMs: number): void {
    this.at(nowMs);
    this.starter.onEvent(e);
    // Ours: a readiness change alone is neither a stop's end nor a crash.
    if (e.readiness_only === true) {
      this.triggerFailures();
      return;
    }
    this.stopper.onEvent(e);
    if (this.role.isMaster && this.role.working && (e.state === S.FATAL || (e.state === S.EXITED && !e.expected))) {
      const app = this.ctx.application(e.group);
      const p = app?.processes.get(e.name);
      if (app && p && app.rules.managed) {
        const closing = this.failures.onCrash(app, p);
        if (closing) this.action({ kind: "closing", what: closing, why: `running failure strategy ${closing.toUpperCase()} of ${p.namespec}` });
      }
    }
    this.triggerFailures();
  }

  onRequestFailed(req: CommandRequest, reason: string, nowMs: number): void {
    this.at(nowMs);
    if (req.kind === "start") this.starter.onRequestFailed(req.target, req.namespec, reason);
    else this.stopper.onRequestFailed(req.target, req.namespec, reason);
    this.triggerFailures();
  }

  /** The instance is lost; `lost` are the processes that ran there and now run nowhere. */
  onInstanceLost(id: Identifier, lost: readonly ProcessStatus[], nowMs: number): void {
    this.at(nowMs);
    // A process whose start was pending there is a start failure (its job's strategy), not a loss.
    const startFailures = this.starter.onInstanceLost(id);
    this.stopper.onInstanceLost(id);
    const managed = lost.filter((p) => this.ctx.application(p.application)?.rules.managed === true && !startFailures.has(p.namespec));
    if (managed.length) this.out.log("info", `Commander: ${managed.length} process(es) lost with ${id}: ${managed.map((p) => p.namespec).join(", ")}`);
    this.failures.onLost(managed);
    this.triggerFailures();
  }

  onTime(nowMs: number): void {
    this.at(nowMs);
    this.starter.onTime();
    this.stopper.onTime();
    this.triggerFailures();
  }

  /** SYNCHRONIZATION, ELECTION, RESTARTING, SHUTTING_DOWN entries: every job goes (losses stay remembered). */
  abort(nowMs: number): void {
    this.at(nowMs);
    this.starter.abort();
    this.stopper.abort();
    this.afterStop.clear();
    this.failures.clearJobs();
  }

  // ---- orders ---------------------------------------------------------------------------------

  /** false: nothing to start (no start sequence). */
  startApplication(app: ApplicationStatus, strategy: StartingStrategy, nowMs: number): boolean {
    this.at(nowMs);
    this.out.log("info", `Commander: start_application ${app.name} with ${strategy}`);
    return this.starter.startApplication(app, strategy);
  }

  startProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], strategy: StartingStrategy, extraArgs: string, nowMs: number): void {
    this.at(nowMs);
    this.starter.startProcesses(app, processes, strategy, extraArgs);
  }

  /** false: nothing runs. A start job of the application in progress is cancelled. */
  stopApplication(app: ApplicationStatus, nowMs: number): boolean {
    this.at(nowMs);
    this.starter.cancel(app.name, null);
    this.afterStop.delete(app.name);
    return this.stopper.stopProcesses(app, [...app.processes.values()]);
  }

  /** `only`: stop them on these instances alone (disable stops the local ones). */
  stopProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], nowMs: number, only: readonly Identifier[] | null = null): boolean {
    this.at(nowMs);
    if (only === null) this.starter.cancel(app.name, new Set(processes.map((p) => p.namespec)));
    const where = only === null ? null : new Map(processes.map((p) => [p.namespec, only] as const));
    return this.stopper.stopProcesses(app, only === null ? processes : processes.filter((p) => runningOn(p).some((id) => only.includes(id))), where);
  }

  /** Stop, then start when the stop ends (or start at once when nothing runs). false: nothing to start. */
  restartApplication(app: ApplicationStatus, strategy: StartingStrategy, nowMs: number): boolean {
    this.at(nowMs);
    if (this.stopper.stopProcesses(app, [...app.processes.values()])) {
      this.queueAfterStop(app.name, () => this.starter.startApplication(app, strategy));
      return true;
    }
    return this.starter.startApplication(app, strategy);
  }

  restartProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], strategy: StartingStrategy, extraArgs: string, nowMs: number): void {
    this.at(nowMs);
    if (this.stopper.stopProcesses(app, processes)) this.queueAfterStop(app.name, () => this.starter.startProcesses(app, processes, strategy, extraArgs));
    else this.starter.startProcesses(app, processes, strategy, extraArgs);
  }

  /**
   * Ours: a process whose program has readiness_on_failure = fail turned unready on instance `id`
   * (the one that checks it: the core's delegate runs there, as the conciliation's
   * RUNNING_FAILURE runs on the instance that conciliates). As if it had crashed there, its
   * running failure strategy applies: RESTART_PROCESS stops it there and starts it again on
   * another instance when one can take it (there again otherwise); CONTINUE restarts it in place
   * (Supervisor's autorestart of a crash); STOP_APPLICATION / RESTART_APPLICATION act on its
   * application; SHUTDOWN / RESTART close Supvisors.
   */
  readinessFailure(app: ApplicationStatus, p: ProcessStatus, id: Identifier, reason: string, nowMs: number): void {
    this.at(nowMs);
    const s = p.rules.runningFailureStrategy;
    this.out.log("warn", `Commander: ${p.namespec} not ready on ${id} (${reason}): running failure strategy ${s}`);
    switch (s) {
      case "SHUTDOWN":
      case "RESTART": {
        const what = s === "SHUTDOWN" ? "shutdown" : "restart";
        this.action({ kind: "closing", what, why: `running failure strategy ${s} of ${p.namespec} (not ready)` });
        return;
      }
      case "STOP_APPLICATION":
        this.stopApplication(app, nowMs);
        return;
      case "RESTART_APPLICATION":
        this.restartApplication(app, app.rules.startingStrategy, nowMs);
        return;
      default: {
        const avoid = s === "RESTART_PROCESS" ? [id] : [];
        const start = () => this.starter.startProcesses(app, [p], app.rules.startingStrategy, null, avoid);
        if (this.stopper.stopProcesses(app, [p], new Map([[p.namespec, [id]]]))) this.queueAfterStop(app.name, start);
        else start();
      }
    }
  }

  /**
   * The automatic start (DISTRIBUTION, restart_sequence, spec §6.4): every managed application
   * with start_sequence > 0 that never ran or shows a failure, with its own starting strategy.
   * Returns whether anything was planned.
   */
  startApplications(nowMs: number): boolean {
    this.at(nowMs);
    let any = false;
    this.starter.batch(() => {
      for (const name of this.ctx.applicationNames()) {
        const app = this.ctx.application(name);
        if (!app || !app.rules.managed || app.rules.startSequence <= 0) continue;
        const neverRan = [...app.processes.values()].every((p) => [...p.records.values()].every((r) => r.state === S.STOPPED && r.stop === 0));
        if (!neverRan && !app.majorFailure && !app.minorFailure) continue;
        if (this.starter.startApplication(app, app.rules.startingStrategy)) any = true;
      }
    });
    // What DISTRIBUTION repairs covers the remembered losses' applications; the rest are handled now.
    this.triggerFailures();
    return any;
  }

  /** The global stop of RESTARTING / SHUTTING_DOWN: every application with a running process. */
  stopApplications(nowMs: number): boolean {
    this.at(nowMs);
    let any = false;
    this.stopper.batch(() => {
      for (const name of this.ctx.applicationNames()) {
        const app = this.ctx.application(name);
        if (app && this.stopper.stopProcesses(app, [...app.processes.values()])) any = true;
      }
    });
    return any;
  }

  /**
   * Applies a conciliation strategy to every conflict of the managed applications (spec §6.8), or
   * to the conflict of `namespec` alone (the dashboard's per-process conciliation). Returns
   * whether a conflict was handled.
   */
  conciliate(strategy: ConciliationStrategy, nowMs: number, namespec: string | null = null): boolean {
    this.at(nowMs);
    if (strategy === "USER") return false;
    let handled = false;
    this.stopper.batch(() => {
      handled = this.conciliateAll(strategy, namespec);
    });
    this.triggerFailures();
    return handled;
  }

  private conciliateAll(strategy: Exclude<ConciliationStrategy, "USER">, namespec: string | null): boolean {
    let handled = false;
    for (const name of this.ctx.applicationNames()) {
      const app = this.ctx.application(name);
      if (!app || !app.rules.managed) continue;
      for (const p of app.processes.values()) {
        if (!p.conflicting() || (namespec !== null && p.namespec !== namespec)) continue;
        handled = true;
        const where = runningOn(p);
        this.out.log("info", `Commander: conciliation ${strategy} of ${p.namespec} running on [${where.join(", ")}]`);
        if (strategy === "SENICIDE" || strategy === "INFANTICIDE") {
          const uptime = (id: Identifier) => p.uptimeAt(id, this.out.nowMs);
          const keep = where.reduce((a, b) => (strategy === "SENICIDE" ? uptime(b) < uptime(a) : uptime(b) > uptime(a)) ? b : a);
          this.stopper.stopProcesses(app, [p], new Map([[p.namespec, where.filter((id) => id !== keep)]]));
          continue;
        }
        this.stopper.stopProcesses(app, [p]);
        if (strategy === "RESTART") this.queueAfterStop(app.name, () => this.starter.startProcesses(app, [p], app.rules.startingStrategy, null));
        else if (strategy === "RUNNING_FAILURE") this.queueAfterStop(app.name, () => this.applyAsLoss(app, p));
      }
    }
    return handled;
  }

  /**
   * Conciliation RUNNING_FAILURE, once the process is stopped everywhere: its running failure
   * strategy as for a loss (spec §6.8), applied by the instance that conciliates.
   */
  private applyAsLoss(app: ApplicationStatus, p: ProcessStatus): void {
    const s = p.rules.runningFailureStrategy;
    this.out.log("info", `Commander: conciliation RUNNING_FAILURE of ${p.namespec}: ${s}`);
    if (s === "RESTART_PROCESS") this.starter.startProcesses(app, [p], app.rules.startingStrategy, null);
    else if (s === "STOP_APPLICATION") this.stopper.stopProcesses(app, [...app.processes.values()]);
    else if (s === "RESTART_APPLICATION") this.restartApplication(app, app.rules.startingStrategy, this.out.nowMs);
  }

  // ---- internals ------------------------------------------------------------------------------

  private at(nowMs: number): void {
    if (nowMs > this.out.nowMs) this.out.nowMs = nowMs;
  }

  private action(a: CommanderAction): void {
    this.out.ready.actions.push(a);
  }

  private queueAfterStop(application: string, then: AfterStop): void {
    const list = this.afterStop.get(application) ?? [];
    list.push(then);
    this.afterStop.set(application, list);
    // The stop may have ended already (nothing reached a target): run at once.
    if (!this.stopper.handles(application)) this.runAfterStop(application);
  }

  private runAfterStop(application: string): void {
    const then = this.afterStop.get(application);
    if (!then) return;
    this.afterStop.delete(application);
    for (const f of then) f();
  }

  private startJobDone(job: StartJob): void {
    const app = job.application;
    this.out.log("info", `Commander: start of ${app.name} ended${job.failed ? " with failures" : ""}`);
    if (job.stopAfter) {
      this.out.log("warn", `Commander: starting failure strategy STOP: stopping ${app.name}`);
      this.stopper.stopProcesses(app, [...app.processes.values()]);
    }
    this.triggerFailures();
  }

  private stopJobDone(job: StopJob): void {
    this.out.log("info", `Commander: stop of ${job.application.name} ended`);
    this.runAfterStop(job.application.name);
    this.triggerFailures();
  }

  /** The Master's failure jobs whose applications are free now (spec §6.7 deferrals). */
  private triggerFailures(): void {
    if (!this.role.isMaster || !this.role.working) return;
    if (this.role.repairs) this.failures.collectLosses((n) => this.ctx.application(n), (ns) => this.starter.plans(ns));
    for (const { app, job } of this.failures.takeReady((name) => this.handles(name))) {
      if (job.stop) {
        this.out.log("warn", `Commander: running failure strategy STOP_APPLICATION: stopping ${app.name}`);
        this.stopper.stopProcesses(app, [...app.processes.values()]);
      } else if (job.restart) {
        this.out.log("warn", `Commander: running failure strategy RESTART_APPLICATION: restarting ${app.name}`);
        this.restartApplication(app, app.rules.startingStrategy, this.out.nowMs);
        // Processes outside the start sequence are not covered by the application restart.
        const rest = [...job.processes].filter((p) => p.rules.startSequence <= 0 && STOPPED_STATES.has(p.displayedState));
        if (rest.length) this.queueAfterStop(app.name, () => this.starter.startProcesses(app, rest, app.rules.startingStrategy, null));
      } else if (job.processes.size > 0) {
        const list = [...job.processes].filter((p) => STOPPED_STATES.has(p.displayedState));
        this.out.log("warn", `Commander: running failure strategy RESTART_PROCESS: starting ${list.map((p) => p.namespec).join(", ")}`);
        this.starter.startProcesses(app, list, app.rules.startingStrategy, null);
      }
    }
  }
}
