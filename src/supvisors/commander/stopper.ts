/**
 * The Stopper (spec §6.6): the mirror of the Starter. Plans `{application rank: {application:
 * job}}` run greatest rank first, and inside a job the stop_sequence ranks greatest first. A stop
 * command asks every instance where the process is running-like to stop it
 * (`supervisor.stopProcess(namespec, false)`) and completes when each of them reported a stopped
 * state. Deadlines are exact: STOPPING within the margin, then STOPPED within stopwaitsecs +
 * margin; past one, the state is forced to STOPPED with Supvisors' reason.
 */
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ApplicationStatus } from "../context/application-status.js";
import { STOPPED_STATES, type ProcessStatus } from "../context/process-status.js";
import type { Identifier, ProcessEvent } from "../types.js";
import { forcedEvent, type Outbox } from "./context.js";
import { RankedPlan } from "./ranked-plan.js";
import { stopSequence } from "./sequences.js";

const S = ProcessStates;

interface TargetState {
  phase: "requested" | "stopping";
  deadlineMs: number;
}

interface StopCommand {
  readonly process: ProcessStatus;
  /** The instances to stop it on; null = wherever it runs when triggered. */
  readonly only: readonly Identifier[] | null;
  readonly targets: Map<Identifier, TargetState>;
}

export interface StopJob {
  readonly application: ApplicationStatus;
  readonly rank: number;
  /** Remaining stop ranks, greatest first. */
  readonly ranks: Map<number, StopCommand[]>;
  current: StopCommand[];
}

export interface StopperEvents {
  jobDone(job: StopJob): void;
}

/** Instances where a process is running-like (STOPPING included: a stop may have to be repeated). */
export function runningOn(p: ProcessStatus): Identifier[] {
  const out = new Set(p.running);
  for (const [id, r] of p.records) if (r.state === S.STOPPING) out.add(id);
  return [...out];
}

export class Stopper {
  /** Application jobs by application stop_sequence, greatest first. */
  private readonly plan = new RankedPlan<StopJob>("greatest-first", (job) => this.progress(job));

  constructor(
    private readonly out: Outbox,
    private readonly marginMs: number,
    private readonly events: StopperEvents,
  ) {}

  /** Plans several jobs before any begins (the global stop, conciliation): stop ranks in order. */
  batch(plan: () => void): void {
    this.plan.batch(plan);
  }

  busy(): boolean {
    return this.plan.busy();
  }

  handles(application: string): boolean {
    return this.plan.handles(application);
  }

  nextDeadline(): number | null {
    let next: number | null = null;
    for (const job of this.plan.currentJobs()) for (const c of job.current) for (const t of c.targets.values()) if (next === null || t.deadlineMs < next) next = t.deadlineMs;
    return next;
  }

  /**
   * Stops processes of one application, by their stop_sequence (all its running ones for
   * stop_application). `only` restricts each to some instances (conciliation). False when nothing
   * runs, so no job was made.
   */
  stopProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], only: ReadonlyMap<string, readonly Identifier[]> | null = null): boolean {
    const running = processes.filter((p) => runningOn(p).length > 0);
    if (running.length === 0) return false;
    let job = this.plan.find(app.name);
    const fresh = job === undefined;
    if (!job) job = { application: app, rank: app.rules.stopSequence, ranks: new Map(), current: [] };
    const already = (p: ProcessStatus) => job!.current.some((c) => c.process === p) || [...job!.ranks.values()].some((l) => l.some((c) => c.process === p));
    for (const [rank, list] of stopSequence(running.filter((p) => !already(p)))) {
      const commands = list.map((p): StopCommand => ({ process: p, only: only?.get(p.namespec) ?? null, targets: new Map() }));
      job.ranks.set(rank, [...(job.ranks.get(rank) ?? []), ...commands]);
    }
    const sorted = [...job.ranks.entries()].sort(([a], [b]) => b - a);
    job.ranks.clear();
    for (const [r, l] of sorted) job.ranks.set(r, l);
    if (fresh) this.plan.store(job);
    else if (this.plan.isCurrent(job)) this.progress(job);
    return true;
  }

  abort(): void {
    this.plan.clear();
  }

  /** A real process event: a stopped state from a target completes it there. */
  onEvent(e: ProcessEvent): void {
    const job = this.plan.currentJobs().find((j) => j.application.name === e.group);
    if (!job) return;
    const cmd = job.current.find((c) => c.process.name === e.name);
    const t = cmd?.targets.get(e.identifier);
    if (!cmd || !t) return;
    if (e.state === S.STOPPING) {
      t.phase = "stopping";
      t.deadlineMs = this.out.nowMs + stopwaitsecsOf(cmd.process, e.identifier) * 1000 + this.marginMs;
      return;
    }
    if (STOPPED_STATES.has(e.state)) this.targetDone(job, cmd, e.identifier);
  }

  /** stopProcess failed there: NOT_RUNNING means it is stopped already; anything else is logged. */
  onRequestFailed(target: Identifier, namespec: string, reason: string): void {
    for (const job of this.plan.currentJobs()) {
      const cmd = job.current.find((c) => c.process.namespec === namespec);
      if (!cmd || !cmd.targets.has(target)) continue;
      if (!reason.startsWith("NOT_RUNNING")) this.out.log("warn", `Stopper: stop of ${namespec} on ${target} failed: ${reason}`);
      this.targetDone(job, cmd, target);
    }
  }

  /** A lost instance runs nothing any more. */
  onInstanceLost(id: Identifier): void {
    for (const job of this.plan.currentJobs()) for (const cmd of [...job.current]) if (cmd.targets.has(id)) this.targetDone(job, cmd, id);
  }

  onTime(): void {
    const now = this.out.nowMs;
    for (const job of this.plan.currentJobs()) {
      for (const cmd of [...job.current]) {
        for (const [id, t] of [...cmd.targets]) {
          if (t.deadlineMs > now) continue;
          const reason = `process ${t.phase === "requested" ? "STOPPING" : "STOPPED"} event not received in time`;
          this.out.log("warn", `Stopper: ${cmd.process.namespec} on ${id}: ${reason}`);
          this.out.force(forcedEvent(cmd.process, id, S.STOPPED, reason));
          this.targetDone(job, cmd, id);
        }
      }
    }
  }

  private progress(job: StopJob): void {
    if (!this.plan.isCurrent(job)) return;
    while (job.current.length === 0) {
      const first = job.ranks.keys().next();
      if (first.done) {
        this.finish(job);
        return;
      }
      const commands = job.ranks.get(first.value)!;
      job.ranks.delete(first.value);
      for (const cmd of commands) if (this.trigger(cmd)) job.current.push(cmd);
    }
  }

  private trigger(cmd: StopCommand): boolean {
    const p = cmd.process;
    const where = runningOn(p).filter((id) => cmd.only === null || cmd.only.includes(id));
    for (const id of where) {
      cmd.targets.set(id, { phase: "requested", deadlineMs: this.out.nowMs + this.marginMs });
      this.out.log("info", `Stopper: stopping ${p.namespec} on ${id}`);
      this.out.request({ kind: "stop", target: id, namespec: p.namespec });
    }
    return cmd.targets.size > 0;
  }

  private targetDone(job: StopJob, cmd: StopCommand, id: Identifier): void {
    cmd.targets.delete(id);
    if (cmd.targets.size > 0) return;
    const i = job.current.indexOf(cmd);
    if (i >= 0) job.current.splice(i, 1);
    this.progress(job);
  }

  private finish(job: StopJob): void {
    if (this.plan.isCurrent(job)) this.plan.remove(job, () => this.events.jobDone(job));
  }
}

function stopwaitsecsOf(p: ProcessStatus, id: Identifier): number {
  return p.records.get(id)?.stopwaitsecs ?? 10;
}
