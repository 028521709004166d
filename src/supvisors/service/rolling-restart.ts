/**
 * `supvisors.rolling_restart(target, batch_size=1, wait=True)` (ours): the rule (target, checks,
 * faults, one rolling per process at a time) and its executor. The order of work is the pure
 * planner's (commander/rolling-plan.ts); each step acts through the target instance's own
 * XML-RPC API, as a client would: `supervisor.stopProcess(ns, true)` then
 * `supervisor.startProcess(ns, true)` there. A waiting startProcess answers once the process is
 * ready when it has a readiness_check (RUNNING otherwise), and the cluster model must show the
 * same (the new pid, RUNNING or ready) before the next batch begins, so a service is never down
 * on more than `batch_size` instances at once.
 *
 * Runs on the instance that receives the call (like Supvisors' control calls), not the Master:
 * the Master's Commander is not involved, it only sees the processes stop and start.
 */
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ProcessStates } from "../../protocol/supervisor.js";
import type { SupvisorsStateName } from "../../protocol/supvisors.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import { faultText } from "../cluster/peer-callers.js";
import { planRollingRestart, type RollingBatch, type RollingCandidate, type RollingStep } from "../commander/rolling-plan.js";
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";
import type { Identifier } from "../types.js";
import { checkState, Guards } from "./guards.js";
import { pythonText, stringParam, type ParamValue } from "./params.js";
import { truthy } from "./supvisors-control.js";

/** What the rolling restart needs of the layer. */
export interface RollingPort {
  state(): SupvisorsStateName;
  application(name: string): ApplicationStatus | undefined;
  /** The identifiers in the supvisors_list order (the order of the batches). */
  readonly order: readonly Identifier[];
  /**
   * One XML-RPC call on an instance's own API (the local one through its own registry); rejects
   * with a fault (faultCode / code, faultString) or a transport error.
   */
  call(id: Identifier, method: string, params: readonly RpcValue[], timeoutMs: number): Promise<unknown>;
  /** Resolves true once `done()` holds (checked after every input of the host), false after `timeoutMs`. */
  waitFor(done: () => boolean, timeoutMs: number): Promise<boolean>;
  log(level: "error" | "warn" | "info" | "debug", text: string): void;
}

export interface RollingTimeouts {
  /** Added to the process's stopwaitsecs for a waiting stop. */
  readonly stopMarginMs: number;
  /** A waiting start (readiness_startsecs is 60 s by default; 0 = no limit is bounded here). */
  readonly startMs: number;
  /** The model showing the new process after its start answered (events cross the network). */
  readonly confirmMs: number;
}

const DEFAULT_TIMEOUTS: RollingTimeouts = { stopMarginMs: 15_000, startMs: 10 * 60_000, confirmMs: 30_000 };

function faultCodeOf(err: unknown): number | null {
  if (typeof err !== "object" || err === null) return null;
  const o = err as { faultCode?: unknown; code?: unknown };
  if (typeof o.faultCode === "number") return o.faultCode;
  if (typeof o.code === "number") return o.code;
  return null;
}

/** The program of a process as its records tell (its name when no record says). */
function programOf(p: ProcessStatus): string {
  for (const r of p.records.values()) return r.program_name;
  return p.name;
}

/**
 * Where the process is up now: RUNNING, or STARTING and already ready (a readiness_check passed
 * before startsecs elapsed: it serves). Not just running-like: a process still coming up or going
 * down is left alone.
 */
function runningOn(p: ProcessStatus, order: readonly Identifier[]): Identifier[] {
  const up = (r: { state: number; readiness?: string }) => r.state === ProcessStates.RUNNING || (r.state === ProcessStates.STARTING && r.readiness === "ready");
  const ids = [...p.records.entries()].filter(([, r]) => up(r)).map(([id]) => id);
  return ids.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

export class RollingRestartControl {
  /** Namespecs of the rollings in progress: one rolling per process at a time. */
  private readonly busy = new Set<string>();
  private readonly timeouts: RollingTimeouts;

  constructor(
    private readonly port: RollingPort,
    timeouts: Partial<RollingTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
  }

  private fail(code: number, message: string): never {
    this.port.log("error", `RPCInterface.rolling_restart: ${message}`);
    throw new ServiceFault(code, message);
  }

  /** Whether a rolling restart of this process is in progress (the dashboard shows it). */
  rolling(namespec: string): boolean {
    return this.busy.has(namespec);
  }

  /** `app`, `app:*` or `app:program`: the application and the processes aimed at. */
  private resolve(target: string): { app: ApplicationStatus; processes: ProcessStatus[] } {
    const i = target.indexOf(":");
    const appName = i < 0 ? target : target.slice(0, i);
    const rest = i < 0 ? "" : target.slice(i + 1);
    const app = this.port.application(appName);
    if (!app) this.fail(Faults.BAD_NAME, `application=${appName} unknown to Supvisors`);
    const all = [...app.processes.values()];
    if (rest === "" || rest === "*") return { app, processes: all };
    // A program name (any numprocs), else one process name.
    let processes = all.filter((p) => programOf(p) === rest);
    if (processes.length === 0) processes = all.filter((p) => p.name === rest);
    if (processes.length === 0) this.fail(Faults.BAD_NAME, `program=${rest} unknown in application=${app.name}`);
    return { app, processes };
  }

  private batchSize(v: ParamValue): number {
    if (v === undefined) return 1;
    const n = typeof v === "number" ? v : typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1) this.fail(Faults.INCORRECT_PARAMETERS, `invalid batch_size=${pythonText(v)} - integer >= 1 expected`);
    return n;
  }

  /**
   * The XML-RPC method. wait: answers once every batch is done (true), or with the fault of the
   * step that failed (the remaining instances untouched); no wait: true once planned.
   */
  rollingRestart(targetParam: ParamValue, batchSizeParam?: ParamValue, waitParam?: ParamValue): boolean | Promise<boolean> {
    try {
      checkState(this.port.state(), Guards.OPERATING);
    } catch (err) {
      this.port.log("error", `RPCInterface._check_state: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
    const target = stringParam(targetParam, "target");
    const { processes } = this.resolve(target);
    const batchSize = this.batchSize(batchSizeParam);
    const candidates: RollingCandidate[] = processes.map((p) => ({ namespec: p.namespec, runningOn: runningOn(p, this.port.order) })).filter((c) => c.runningOn.length > 0);
    if (candidates.length === 0) this.fail(Faults.NOT_RUNNING, `no process of ${target} running`);
    const taken = candidates.filter((c) => this.busy.has(c.namespec)).map((c) => c.namespec);
    if (taken.length) this.fail(Faults.ALREADY_STARTED, `rolling restart of ${taken.join(", ")} already in progress`);
    const batches = planRollingRestart(candidates, this.port.order, batchSize);
    for (const c of candidates) this.busy.add(c.namespec);
    const statuses = new Map(processes.map((p) => [p.namespec, p] as const));
    const done = this.run(target, batches, statuses).finally(() => {
      for (const c of candidates) this.busy.delete(c.namespec);
    });
    if (!truthy(waitParam, true)) {
      // The outcome is in the log (the run logs its own failure).
      done.catch(() => undefined);
      return true;
    }
    return done.then(() => true);
  }

  private async run(target: string, batches: readonly RollingBatch[], statuses: ReadonlyMap<string, ProcessStatus>): Promise<void> {
    const where = (b: RollingBatch) => `[${b.map((s) => s.identifier).join(", ")}]`;
    this.port.log("info", `RollingRestart: ${target}: ${batches.length} batch(es): ${batches.map(where).join(" then ")}`);
    try {
      for (const [i, batch] of batches.entries()) {
        const state = this.port.state();
        if (state !== "OPERATION") throw new ServiceFault(SupvisorsFaultCodes.BAD_SUPVISORS_STATE, `rolling restart of ${target} stopped before batch ${i + 1}: Supvisors state=${state}`);
        this.port.log("info", `RollingRestart: ${target}: batch ${i + 1}/${batches.length} on ${where(batch)}`);
        const results = await Promise.allSettled(batch.map((step) => this.restartOn(target, step, statuses)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
      }
      this.port.log("info", `RollingRestart: ${target}: done`);
    } catch (err) {
      this.port.log("error", `RollingRestart: ${target}: ${faultText(err).replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
  }

  /** Stops the step's processes on its instance, then starts them again there, each confirmed by the model. */
  private async restartOn(target: string, step: RollingStep, statuses: ReadonlyMap<string, ProcessStatus>): Promise<void> {
    const id = step.identifier;
    const oldPids = new Map<string, number>();
    // One call at a time per instance: the peer's connections are shared with the Commander's requests.
    for (const ns of step.namespecs) {
      const record = statuses.get(ns)?.records.get(id);
      oldPids.set(ns, record?.pid ?? 0);
      this.port.log("info", `RollingRestart: ${target}: stopping ${ns} on ${id}`);
      const timeout = (record?.stopwaitsecs ?? 10) * 1000 + this.timeouts.stopMarginMs;
      try {
        await this.port.call(id, "supervisor.stopProcess", [ns, true], timeout);
      } catch (err) {
        // Stopped meanwhile (by someone else, or it exited): it is started again all the same.
        if (faultCodeOf(err) !== Faults.NOT_RUNNING) throw new ServiceFault(Faults.STILL_RUNNING, `rolling restart of ${target} stopped: stop of ${ns} on ${id} failed: ${faultText(err)}`);
      }
    }
    for (const ns of step.namespecs) {
      this.port.log("info", `RollingRestart: ${target}: starting ${ns} on ${id}`);
      try {
        await this.port.call(id, "supervisor.startProcess", [ns, true], this.timeouts.startMs);
      } catch (err) {
        throw new ServiceFault(Faults.ABNORMAL_TERMINATION, `rolling restart of ${target} stopped: start of ${ns} on ${id} failed: ${faultText(err)}`);
      }
      const p = statuses.get(ns);
      const oldPid = oldPids.get(ns) ?? 0;
      const confirmed = () => {
        const r = p?.records.get(id);
        if (!r || r.pid === 0 || r.pid === oldPid) return false;
        const readiness = r.readiness ?? "none";
        if (readiness === "none") return r.state === ProcessStates.RUNNING;
        return readiness === "ready" && (r.state === ProcessStates.RUNNING || r.state === ProcessStates.STARTING);
      };
      if (!(await this.port.waitFor(confirmed, this.timeouts.confirmMs))) {
        throw new ServiceFault(Faults.FAILED, `rolling restart of ${target} stopped: ${ns} on ${id} not seen ${p?.readinessOn(id) === "none" ? "RUNNING" : "ready"} in time`);
      }
      const readiness = p?.readinessOn(id) ?? "none";
      this.port.log("info", `RollingRestart: ${target}: ${ns} ${readiness === "none" ? "RUNNING" : "ready"} on ${id} (pid ${p?.records.get(id)?.pid})`);
    }
  }
}
