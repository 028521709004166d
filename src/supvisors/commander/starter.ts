/**
 * The Starter (spec §6.4): two-level plans, `{application rank: {application: job}}`, each job
 * holding `{process rank: commands}`. All jobs of the lowest application rank run together;
 * inside a job all commands of its lowest process rank are sent at once, and the next rank
 * starts when none of them is pending. A command completes on the target instance's own process
 * events (no polling); its deadlines are exact: STARTING within the margin, then RUNNING within
 * startsecs + margin (Supvisors counts both in 5 s ticks).
 *
 * Placement happens when a command is triggered (spec §6.3): with the pending loads of everything
 * assigned so far, on the application's chosen instances for SINGLE_INSTANCE / SINGLE_NODE.
 */
import type { StartingFailureStrategy, StartingStrategy } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ApplicationStatus } from "../context/application-status.js";
import { STOPPED_STATES, type ProcessStatus } from "../context/process-status.js";
import type { PlacementContext } from "../strategies/placement.js";
import type { Identifier, ProcessEvent } from "../types.js";
import { forcedEvent, type CommanderContext, type Outbox } from "./context.js";
import { applicationInstances, hashAssignments, processTarget } from "./placement-plan.js";
import { RankedPlan } from "./ranked-plan.js";
import { startSequence } from "./sequences.js";

const S = ProcessStates;

export const NO_RESOURCE = "No resource available";

type Phase =
  /** start_args sent, STARTING not seen yet. */
  | "requested"
  /** STARTING / BACKOFF seen: RUNNING (or EXITED for wait_exit) expected. */
  | "started"
  /** RUNNING seen with wait_exit: EXITED expected. */
  | "running";

interface StartCommand {
  readonly process: ProcessStatus;
  readonly extraArgs: string;
  readonly waitExit: boolean;
  /** Ours: instances to place it elsewhere than, when another can take it (a readiness failure there). */
  readonly avoid: ReadonlySet<Identifier>;
  target: Identifier | null;
  phase: Phase;
  deadlineMs: number;
}

export interface StartJob {
  readonly application: ApplicationStatus;
  readonly strategy: StartingStrategy;
  readonly rank: number;
  /** Remaining process ranks, ascending. */
  readonly ranks: Map<number, StartCommand[]>;
  current: StartCommand[];
  /** SINGLE_INSTANCE / SINGLE_NODE: the instances chosen for the whole application; null = per process. */
  instances: Identifier[] | null;
  /** Starting failure strategy STOP hit: stop the application when the job ends. */
  stopAfter: boolean;
  /** Some command failed. */
  failed: boolean;
}

export interface StarterEvents {
  /** A job ended (its last rank done or aborted). */
  jobDone(job: StartJob): void;
}

export class Starter {
  /** Application jobs by application rank, lowest first. */
  private readonly plan = new RankedPlan<StartJob>("lowest-first", (job) => this.begin(job));
  /** Commands sent and not completed, by namespec. */
  private readonly active = new Map<string, { job: StartJob; cmd: StartCommand }>();
  /** `#` / `@` assignments, made once (spec §3.6). */
  private readonly hashAssigned = new Map<string, Identifier>();

  constructor(
    private readonly ctx: CommanderContext,
    private readonly out: Outbox,
    private readonly marginMs: number,
    private readonly events: StarterEvents,
  ) {}

  // ---- queries --------------------------------------------------------------------------------

  /** Plans several jobs before any begins (the automatic start): application ranks in order. */
  batch(plan: () => void): void {
    this.plan.batch(plan);
  }

  busy(): boolean {
    return this.plan.busy();
  }

  /** The application has a planned or current job. */
  handles(application: string): boolean {
    return this.plan.handles(application);
  }

  /** The process is in a planned or current job (lost processes already planned are not repaired twice). */
  plans(namespec: string): boolean {
    const inJob = (j: StartJob) => j.current.some((c) => c.process.namespec === namespec) || [...j.ranks.values()].some((l) => l.some((c) => c.process.namespec === namespec));
    return this.plan.allJobs().some(inJob);
  }

  /** Loads of the processes sent to an instance that are not running there yet. */
  pendingLoad(id: Identifier): number {
    let load = 0;
    for (const { cmd } of this.active.values()) if (cmd.target === id && cmd.phase === "requested") load += cmd.process.rules.expectedLoading;
    return load;
  }

  /** The `#` / `@` assignments made so far (the starting model plans with them). */
  hashAssignments(): ReadonlyMap<string, Identifier> {
    return this.hashAssigned;
  }

  nextDeadline(): number | null {
    let next: number | null = null;
    for (const { cmd } of this.active.values()) if (next === null || cmd.deadlineMs < next) next = cmd.deadlineMs;
    return next;
  }

  placementContext(): PlacementContext {
    const base = this.ctx.placement();
    return { ...base, pendingLoad: (id) => this.pendingLoad(id) };
  }

  // ---- orders ---------------------------------------------------------------------------------

  /** start_application / automatic start: its start sequence; false when it has none. */
  startApplication(app: ApplicationStatus, strategy: StartingStrategy): boolean {
    const seq = startSequence(app);
    if (seq.size === 0) return false;
    for (const [ns, id] of hashAssignments(app, this.placementContext(), this.hashAssigned)) this.hashAssigned.set(ns, id);
    const job = this.newJob(app, strategy);
    for (const [rank, processes] of seq) job.ranks.set(rank, processes.map((p) => this.command(p, "", p.rules.waitExit)));
    this.store(job);
    return true;
  }

  /**
   * start_process / failover: processes of one application, merged into its job if it has one
   * (wait_exit ignored). `extraArgs` null = each process keeps its own (failover, conciliation).
   */
  startProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], strategy: StartingStrategy, extraArgs: string | null, avoid: readonly Identifier[] = []): void {
    let job = this.plan.find(app.name);
    const fresh = job === undefined;
    if (!job) job = this.newJob(app, strategy);
    for (const p of processes) {
      if (this.plans(p.namespec)) continue;
      // Its own rank inside the job (a job made for it alone has just that one).
      const rank = p.rules.startSequence;
      let list = job.ranks.get(rank);
      if (!list) {
        list = [];
        job.ranks.set(rank, list);
        // Keep the ranks ascending.
        const sorted = [...job.ranks.entries()].sort(([a], [b]) => a - b);
        job.ranks.clear();
        for (const [r, l] of sorted) job.ranks.set(r, l);
      }
      list.push(this.command(p, extraArgs ?? p.extraArgs, false, avoid));
    }
    if (fresh) this.plan.store(job);
    else if (this.plan.isCurrent(job)) this.progress(job);
  }

  /**
   * A stop of these processes cancels their starts: planned commands are dropped and commands in
   * flight forgotten, so a rank still to come does not start what the user is stopping.
   */
  cancel(application: string, processes: ReadonlySet<string> | null): void {
    const job = this.plan.find(application);
    if (job) {
      const keep = (c: StartCommand) => processes !== null && !processes.has(c.process.namespec);
      for (const c of job.current) if (!keep(c)) this.active.delete(c.process.namespec);
      job.current = job.current.filter(keep);
      for (const [rank, list] of [...job.ranks]) {
        const kept = list.filter(keep);
        if (kept.length) job.ranks.set(rank, kept);
        else job.ranks.delete(rank);
      }
      if (this.plan.isCurrent(job)) this.progress(job);
      else if (job.ranks.size === 0) this.plan.remove(job);
    }
  }

  /** Drops every planned and current job (SYNCHRONIZATION, ELECTION, closing). */
  abort(): void {
    this.plan.clear();
    this.active.clear();
  }

  // ---- inputs ---------------------------------------------------------------------------------

  /** A real process event, after the model applied it. */
  onEvent(e: ProcessEvent): void {
    const a = this.active.get(`${e.group}:${e.name}`);
    if (!a || a.cmd.target !== e.identifier) return;
    const { job, cmd } = a;
    if (e.readiness_only === true) {
      this.onReadiness(job, cmd, e);
      return;
    }
    switch (e.state) {
      case S.STARTING:
      case S.BACKOFF:
        cmd.phase = "started";
        cmd.deadlineMs = this.out.nowMs + startsecsOf(cmd) * 1000 + this.marginMs;
        return;
      case S.RUNNING:
        if (cmd.waitExit) {
          cmd.phase = "running";
          cmd.deadlineMs = Infinity; // a process that never exits blocks the sequence (spec §3.3)
          return;
        }
        if (e.readiness === "unready") {
          this.notReady(job, cmd, "not ready when RUNNING");
          return;
        }
        if (waitsForReadiness(e)) {
          // Ours: a process with a readiness_check is started once ready, not once RUNNING; the
          // check's own readiness_startsecs turns it unready if it never passes (no deadline here).
          cmd.phase = "running";
          cmd.deadlineMs = Infinity;
          return;
        }
        this.complete(job, cmd, true);
        return;
      case S.EXITED:
        this.complete(job, cmd, cmd.waitExit && e.expected);
        return;
      default:
        // FATAL, STOPPED, STOPPING, UNKNOWN
        this.complete(job, cmd, false);
    }
  }

  /**
   * Ours: a readiness change on the target. Ready completes the command, even while STARTING (the
   * next rank need not wait for startsecs); unready before ready is a start failure.
   */
  private onReadiness(job: StartJob, cmd: StartCommand, e: ProcessEvent): void {
    if (cmd.waitExit) return;
    if (e.readiness === "ready") {
      this.out.log("info", `Starter: ${cmd.process.namespec} ready on ${cmd.target}`);
      this.complete(job, cmd, true);
    } else if (e.readiness === "unready") this.notReady(job, cmd, e.readiness_reason ?? "not ready");
  }

  private notReady(job: StartJob, cmd: StartCommand, reason: string): void {
    this.out.log("warn", `Starter: ${cmd.process.namespec} on ${cmd.target} not ready (${reason}): start failed`);
    this.complete(job, cmd, false);
  }

  /** The start_args call failed (fault or transport): the command failed, its state forced to FATAL. */
  onRequestFailed(target: Identifier, namespec: string, reason: string): void {
    const a = this.active.get(namespec);
    if (!a || a.cmd.target !== target || a.cmd.phase !== "requested") return;
    this.out.log("warn", `Starter: start of ${namespec} on ${target} failed: ${reason}`);
    this.out.force(forcedEvent(a.cmd.process, target, S.FATAL, reason));
    this.complete(a.job, a.cmd, false);
  }

  /**
   * Commands towards a lost instance are dropped as failures (spec §6.9 step 3). Returns their
   * namespecs: those are start failures, not running failures.
   */
  onInstanceLost(id: Identifier): Set<string> {
    const dropped = new Set<string>();
    for (const { job, cmd } of [...this.active.values()]) {
      if (cmd.target !== id) continue;
      dropped.add(cmd.process.namespec);
      this.complete(job, cmd, false);
    }
    return dropped;
  }

  onTime(): void {
    const now = this.out.nowMs;
    for (const { job, cmd } of [...this.active.values()]) {
      if (cmd.deadlineMs > now) continue;
      // (A wait_exit process that reached RUNNING has no deadline: it may run as long as it needs.)
      const expected = cmd.phase === "requested" ? "STARTING" : "RUNNING";
      const reason = `process ${expected} event not received in time`;
      this.out.log("warn", `Starter: ${cmd.process.namespec} on ${cmd.target}: ${reason}`);
      this.out.force(forcedEvent(cmd.process, cmd.target, S.FATAL, reason));
      // Supvisors: a timeout does not apply the starting failure strategy (spec §6.4 QUIRK).
      this.complete(job, cmd, false, false);
    }
  }

  // ---- plan mechanics -------------------------------------------------------------------------

  private newJob(app: ApplicationStatus, strategy: StartingStrategy): StartJob {
    return { application: app, strategy, rank: app.rules.startSequence, ranks: new Map(), current: [], instances: null, stopAfter: false, failed: false };
  }

  private command(p: ProcessStatus, extraArgs: string, waitExit: boolean, avoid: readonly Identifier[] = []): StartCommand {
    return { process: p, extraArgs, waitExit, avoid: new Set(avoid), target: null, phase: "requested", deadlineMs: Infinity };
  }

  /** Plans a job at its application rank; a job of the application already planned or running is replaced. */
  private store(job: StartJob): void {
    const old = this.plan.find(job.application.name);
    if (old && this.plan.isCurrent(old)) {
      // Re-planning the running job: the old one is dropped (its commands in flight are forgotten).
      for (const c of old.current) this.active.delete(c.process.namespec);
      this.plan.remove(old);
    }
    this.plan.store(job);
  }

  /** Before its first rank: the application-level choice of SINGLE_INSTANCE / SINGLE_NODE (spec §6.3). */
  private begin(job: StartJob): void {
    if (job.instances === null) {
      job.instances = applicationInstances(job.application, job.strategy, this.placementContext());
      if (job.instances !== null) this.out.log("debug", `Starter: ${job.application.name} (${job.application.rules.distribution}) placed on [${job.instances.join(", ")}]`);
    }
    this.progress(job);
  }

  /** Triggers the next process ranks of a job while the current one has nothing pending. */
  private progress(job: StartJob): void {
    if (!this.plan.isCurrent(job)) return;
    while (job.current.length === 0) {
      const first = job.ranks.keys().next();
      if (first.done) {
        this.finish(job);
        return;
      }
      const commands = job.ranks.get(first.value)!;
      job.ranks.delete(first.value);
      job.current = [];
      for (const cmd of commands) if (this.trigger(job, cmd)) job.current.push(cmd);
    }
  }

  /** Sends one command; false when it completed at once (already running, or no resource). */
  private trigger(job: StartJob, cmd: StartCommand): boolean {
    const p = cmd.process;
    if (!STOPPED_STATES.has(p.displayedState) && p.running.size > 0) {
      this.out.log("debug", `Starter: ${p.namespec} already running, skipped`);
      return false;
    }
    const ctx = this.placementContext();
    // Elsewhere than the instances to avoid when another can take it, else where it can.
    const target = (cmd.avoid.size ? processTarget(p, job.strategy, ctx, job.instances, this.hashAssigned, cmd.avoid) : null) ?? processTarget(p, job.strategy, ctx, job.instances, this.hashAssigned);
    if (target === null) {
      this.out.log("warn", `Starter: ${p.namespec}: ${NO_RESOURCE}`);
      this.out.force(forcedEvent(p, null, S.FATAL, NO_RESOURCE));
      this.failed(job, cmd);
      return false;
    }
    cmd.target = target;
    cmd.phase = "requested";
    cmd.deadlineMs = this.out.nowMs + this.marginMs;
    this.active.set(p.namespec, { job, cmd });
    this.out.log("info", `Starter: starting ${p.namespec} on ${target}`);
    this.out.request({ kind: "start", target, namespec: p.namespec, extraArgs: cmd.extraArgs });
    return true;
  }

  private complete(job: StartJob, cmd: StartCommand, ok: boolean, applyStrategy = true): void {
    this.active.delete(cmd.process.namespec);
    const i = job.current.indexOf(cmd);
    if (i >= 0) job.current.splice(i, 1);
    if (!ok) {
      if (applyStrategy) this.failed(job, cmd);
      else job.failed = true;
    }
    this.progress(job);
  }

  /** A failed command: the starting failure strategy of a required process (spec §6.5). */
  private failed(job: StartJob, cmd: StartCommand): void {
    job.failed = true;
    const p = cmd.process;
    if (!p.rules.required) return;
    const strategy: StartingFailureStrategy = p.rules.startingFailureStrategy;
    this.out.log("warn", `Starter: required ${p.namespec} failed to start: starting failure strategy ${strategy}`);
    if (strategy === "CONTINUE") return;
    job.ranks.clear();
    if (strategy === "STOP") job.stopAfter = true;
  }

  private finish(job: StartJob): void {
    if (this.plan.isCurrent(job)) this.plan.remove(job, () => this.events.jobDone(job));
  }
}

/** A RUNNING event of a process whose readiness_check has not passed yet. */
function waitsForReadiness(e: ProcessEvent): boolean {
  return e.readiness === "pending" || e.readiness === "off";
}

function startsecsOf(cmd: StartCommand): number {
  const r = cmd.target === null ? undefined : cmd.process.records.get(cmd.target);
  return r?.startsecs ?? 1;
}
