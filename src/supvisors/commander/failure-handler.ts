/**
 * The running failure handler (spec §6.7, §6.9): what to do when a process crashes or is lost
 * with its instance. Jobs accumulate per application with Supvisors' priorities
 * (STOP_APPLICATION > RESTART_APPLICATION > RESTART_PROCESS of start-sequence processes >
 * CONTINUE) and are triggered once the Starter and Stopper leave the application alone.
 *
 * Unlike Supvisors 0.19, lost processes are remembered by every instance until a Master repairs
 * them: when the Master itself dies, the one elected next still has the list and repairs it on
 * entering DISTRIBUTION (Supvisors loses it: a RESTART_PROCESS program of the dead Master stays
 * FATAL). A remembered process is repaired only while it still shows the loss (running nowhere,
 * FATAL with `Supervisor <id> lost`), so nothing is restarted twice.
 */
import type { RunningFailureStrategy } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";

export interface FailureJob {
  stop: boolean;
  restart: boolean;
  /** RESTART_PROCESS: processes to start again, anywhere. */
  readonly processes: Set<ProcessStatus>;
}

/** The process still shows a loss of its instance (not restarted, not stopped by someone since). */
export function showsLoss(p: ProcessStatus): boolean {
  if (p.running.size > 0 || p.state !== ProcessStates.FATAL) return false;
  let latest: { local_mtime: number; spawnerr: string } | undefined;
  for (const r of p.records.values()) if (!latest || r.local_mtime > latest.local_mtime) latest = r;
  return latest !== undefined && /^Supervisor .* lost$/.test(latest.spawnerr);
}

export class FailureHandler {
  /** Lost processes not repaired yet (namespec -> status). */
  private readonly lost = new Map<string, ProcessStatus>();
  private readonly jobs = new Map<string, { app: ApplicationStatus; job: FailureJob }>();

  pending(): boolean {
    return this.jobs.size > 0;
  }

  lostCount(): number {
    return this.lost.size;
  }

  /** Remembers the processes lost with an instance (every instance does, Master or not). */
  onLost(processes: readonly ProcessStatus[]): void {
    for (const p of processes) this.lost.set(p.namespec, p);
  }

  /** A crash reported by its instance, on the Master (spec §6.7 left column). Returns a closing request, if any. */
  onCrash(app: ApplicationStatus, p: ProcessStatus): "restart" | "shutdown" | null {
    const s = p.rules.runningFailureStrategy;
    switch (s) {
      case "STOP_APPLICATION":
      case "RESTART_APPLICATION":
        this.add(app, s, p);
        return null;
      case "SHUTDOWN":
        return "shutdown";
      case "RESTART":
        return "restart";
      default:
        // CONTINUE; RESTART_PROCESS leaves a crash to Supervisor's autorestart (spec §15 item 16).
        return null;
    }
  }

  /**
   * The Master in DISTRIBUTION or OPERATION turns the remembered losses into jobs. `planned`
   * tells the processes the Starter already has (not handed twice, spec §6.4).
   */
  collectLosses(application: (name: string) => ApplicationStatus | undefined, planned: (namespec: string) => boolean): void {
    for (const [ns, p] of [...this.lost]) {
      const app = application(p.application);
      if (!app || app.processes.get(p.name) !== p || !showsLoss(p)) {
        this.lost.delete(ns);
        continue;
      }
      if (planned(ns)) continue;
      this.lost.delete(ns);
      let s: RunningFailureStrategy = p.rules.runningFailureStrategy;
      // Promotion (spec §6.7): the application stopped entirely and the process is in its start sequence.
      if (s === "RESTART_PROCESS" && app.state === "STOPPED" && p.rules.startSequence > 0) s = "RESTART_APPLICATION";
      if (s === "RESTART_PROCESS" || s === "STOP_APPLICATION" || s === "RESTART_APPLICATION") this.add(app, s, p);
      // CONTINUE: nothing; SHUTDOWN / RESTART are not applied to losses (spec §6.7 QUIRK).
    }
  }

  /** Forgets the remembered losses (the next DISTRIBUTION repairs applications with failures anyway). */
  forgetLosses(): void {
    this.lost.clear();
  }

  /** Jobs whose application the Starter and Stopper leave alone, removed from the handler. */
  takeReady(busy: (application: string) => boolean): { app: ApplicationStatus; job: FailureJob }[] {
    const out: { app: ApplicationStatus; job: FailureJob }[] = [];
    for (const [name, entry] of [...this.jobs]) {
      if (busy(name)) continue; // deferred until their jobs end
      this.jobs.delete(name);
      out.push(entry);
    }
    return out;
  }

  clearJobs(): void {
    this.jobs.clear();
  }

  private add(app: ApplicationStatus, s: "RESTART_PROCESS" | "STOP_APPLICATION" | "RESTART_APPLICATION", p: ProcessStatus): void {
    let entry = this.jobs.get(app.name);
    if (!entry) this.jobs.set(app.name, (entry = { app, job: { stop: false, restart: false, processes: new Set() } }));
    if (s === "STOP_APPLICATION") entry.job.stop = true;
    else if (s === "RESTART_APPLICATION") entry.job.restart = true;
    else entry.job.processes.add(p);
  }
}
