/**
 * The control methods of `supvisors.*` (spec §5.3 "Supvisors control", "Application control",
 * "Process control"): their guards, parameter checks, faults and texts, and their `wait`
 * semantics. The work is the Commander's (commander/); this class only checks, orders and waits.
 *
 * A waiting call answers on the input that completes it (a process event, a call result, a
 * deadline), checked by the host after every input, not on Supvisors' 0.5 s poll. It waits for
 * the jobs of the application it acts on, not for the whole Starter / Stopper: an unrelated job
 * in progress does not hold the answer back.
 */
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ProcessStates } from "../../protocol/supervisor.js";
import { ConciliationStrategies, StartingStrategies, type ConciliationStrategy, type StartingStrategy, type SupvisorsStateName } from "../../protocol/supvisors.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import type { NumprocsResult } from "../../supervisord/service/model.js";
import type { Commander } from "../commander/commander.js";
import type { Prediction } from "../commander/prediction.js";
import { runningOn } from "../commander/stopper.js";
import type { ApplicationStatus } from "../context/application-status.js";
import { STOPPED_STATES, type ProcessStatus } from "../context/process-status.js";
import { chooseInstance, filterCandidates, resolveIdentifiers } from "../strategies/placement.js";
import { checkState, Guards } from "./guards.js";
import { enumParam, type ParamValue, pythonText, stringParam } from "./params.js";

/** What the control methods need of the host. */
export interface ControlPort {
  state(): SupvisorsStateName;
  application(name: string): ApplicationStatus | undefined;
  applicationNames(): readonly string[];
  /** Runs an order as one input of the host (which then sends what was planned). */
  order<T>(f: (c: Commander, nowMs: number) => T): T;
  readonly commander: Commander;
  waitFor(done: () => boolean): Promise<void>;
  /** Some instance reports starting or stopping jobs (restart_sequence's check). */
  jobsAnywhere(): boolean;
  /** supvisors.restart / shutdown: accepted here, forwarded to the Master, or refused (BAD_SUPVISORS_STATE text). */
  closing(what: "restart" | "shutdown"): { kind: "done" } | { kind: "refused"; message: string };
  /** start_args on the local supervisord (Supervisor's faults). */
  startArgs(namespec: string, extraArgs: string, wait: boolean): Promise<boolean>;
  /** The local supervisord has this process. */
  localKnows(namespec: string): boolean;
  readonly localIdentifier: string;
  /** Namespecs of the local processes of a program section, or null when the local supervisord has none. */
  programProcesses(program: string): string[] | null;
  /** Sets the flag in the local supervisord, persists it (disabilities_file) and tells the cluster. */
  setProgramDisabled(program: string, disabled: boolean): Promise<void>;
  /** The local supervisord's update of a program's numprocs (see SupervisorCore.updateNumprocs). */
  updateNumprocs(program: string, numprocs: number, lazy: boolean): NumprocsResult;
  readonly conciliationDefault: ConciliationStrategy;
  log(level: "error" | "warn" | "info" | "debug", text: string): void;
}

type Answer<T> = T | Promise<T>;

/** Python's truth of an XML-RPC value (the `wait` flags). */
export function truthy(v: ParamValue, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  return v !== null;
}

const pyList = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(", ")}]`;
const runningLike = (p: ProcessStatus) => !STOPPED_STATES.has(p.displayedState) || p.running.size > 0;
const stoppedLike = (p: ProcessStatus) => STOPPED_STATES.has(p.displayedState);

/**
 * Ours: every process of the application still STARTING is ready where it runs (readiness
 * checks): its start job is over (each command completed on readiness) though Supervisor's
 * startsecs have not elapsed yet, which is a success of start_application.
 */
function startingAreReady(app: ApplicationStatus): boolean {
  return [...app.processes.values()].every((p) => p.displayedState !== ProcessStates.STARTING || (p.running.size > 0 && [...p.running].every((id) => p.readinessOn(id) === "ready")));
}

export class SupvisorsControl {
  constructor(private readonly port: ControlPort) {}

  // ---- helpers --------------------------------------------------------------------------------

  private fail(code: number, func: string, message: string): never {
    this.port.log("error", `RPCInterface.${func}: ${message}`);
    throw new ServiceFault(code, message);
  }

  private guard(allowed: readonly SupvisorsStateName[]): void {
    try {
      checkState(this.port.state(), allowed);
    } catch (err) {
      this.port.log("error", `RPCInterface._check_state: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
  }

  private strategy(v: ParamValue): StartingStrategy {
    try {
      return enumParam(v, StartingStrategies, "StartingStrategies");
    } catch (err) {
      this.port.log("error", `RPCInterface._get_strategy: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
  }

  private app(name: string): ApplicationStatus {
    const app = this.port.application(name);
    if (!app) this.fail(Faults.BAD_NAME, "_get_application", `application=${name} unknown to Supvisors`);
    return app;
  }

  /** `group:name`, `group:*`, `name`: the application and its targeted processes. */
  private targets(namespec: string): { app: ApplicationStatus; processes: ProcessStatus[]; one: boolean } {
    const i = namespec.indexOf(":");
    const app = this.app(i < 0 ? namespec : namespec.slice(0, i));
    const rest = i < 0 ? namespec : namespec.slice(i + 1);
    if (rest === "*" || rest === "") return { app, processes: [...app.processes.values()], one: false };
    const p = app.processes.get(rest);
    if (!p) this.fail(Faults.BAD_NAME, "_get_process", `process=${rest} unknown in application=${app.name}`);
    return { app, processes: [p], one: true };
  }

  private managed(app: ApplicationStatus, func: string): void {
    if (!app.rules.managed) this.fail(SupvisorsFaultCodes.NOT_MANAGED, func, app.name);
  }

  private conciliationStrategy(v: ParamValue): ConciliationStrategy {
    try {
      return enumParam(v, ConciliationStrategies, "ConciliationStrategies");
    } catch (err) {
      this.port.log("error", `RPCInterface._get_strategy: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
  }

  /** One process (`group:name`), BAD_NAME otherwise (the dashboard's per-process operations). */
  private oneProcess(namespec: string, func: string): { app: ApplicationStatus; p: ProcessStatus } {
    const { app, processes, one } = this.targets(namespec);
    if (!one) this.fail(Faults.BAD_NAME, func, `namespec=${namespec} is not a process`);
    return { app, p: processes[0]! };
  }

  // ---- Supvisors control ----------------------------------------------------------------------

  conciliate(strategyParam: ParamValue): boolean {
    this.guard(Guards.CONCILIATION);
    const strategy = this.conciliationStrategy(strategyParam);
    if (strategy === "USER") return false;
    this.port.order((c, now) => c.conciliate(strategy, now));
    return true;
  }

  // ---- conciliation page (dashboard only, no XML-RPC counterpart) -----------------------------

  /**
   * A conciliation strategy applied to one conflict, or to all of them with null (as conciliate).
   * False when nothing was done: USER, or the process is not in conflict.
   */
  conciliateProcess(strategy: ConciliationStrategy, namespec: string | null): boolean {
    this.guard(Guards.CONCILIATION);
    // The page's form value is checked as the XML-RPC parameter is.
    const s = this.conciliationStrategy(strategy);
    if (namespec === null) return this.conciliate(s);
    const { p } = this.oneProcess(namespec, "conciliate_process");
    if (s === "USER") return false;
    return this.port.order((c, now) => c.conciliate(s, now, p.namespec));
  }

  /** The page's "Stop": the process stopped on that instance alone; answers once it is stopped there. */
  async stopProcessOn(namespec: string, identifier: string): Promise<boolean> {
    this.guard(Guards.OPERATING_CONCILIATION);
    const { app, p } = this.oneProcess(namespec, "stop_process_on");
    // runningOn, as the Stopper: STOPPING there is a stop to repeat.
    const there = () => runningOn(p).includes(identifier);
    if (!there()) this.fail(Faults.NOT_RUNNING, "stop_process_on", `${p.namespec} not running on ${identifier}`);
    this.port.order((c, now) => c.stopProcesses(app, [p], now, [identifier]));
    // The end of the application's stop job also answers: after a stop timeout, or when the Stopper
    // dropped this command (the process has one in progress), the page must not hang.
    await this.port.waitFor(() => !there() || !this.port.commander.stoppingApplication(app.name));
    if (there()) this.fail(Faults.STILL_RUNNING, "stop_process_on", `${p.namespec} on ${identifier}`);
    return true;
  }

  /** The page's "Keep": the process stopped everywhere but on that instance; answers once it runs there alone. */
  async keepProcessOn(namespec: string, identifier: string): Promise<boolean> {
    this.guard(Guards.OPERATING_CONCILIATION);
    const { app, p } = this.oneProcess(namespec, "keep_process_on");
    if (!p.running.has(identifier)) this.fail(Faults.NOT_RUNNING, "keep_process_on", `${p.namespec} not running on ${identifier}`);
    const others = () => runningOn(p).filter((id) => id !== identifier);
    const targets = others();
    if (targets.length === 0) return true;
    this.port.order((c, now) => c.stopProcesses(app, [p], now, targets));
    await this.port.waitFor(() => others().length === 0 || !this.port.commander.stoppingApplication(app.name));
    const left = others();
    if (left.length) this.fail(Faults.STILL_RUNNING, "keep_process_on", `${p.namespec} on ${pyList(left)}`);
    return true;
  }

  restartSequence(waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING);
    if (this.port.jobsAnywhere()) this.fail(SupvisorsFaultCodes.BAD_SUPVISORS_STATE, "restart_sequence", "jobs in progress");
    const queued = this.port.order((c, now) => c.startApplications(now));
    if (!queued || !this.port.commander.starting()) this.fail(Faults.ABNORMAL_TERMINATION, "restart_sequence", "failed to trigger start sequence");
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.starting()).then(() => true);
  }

  restart(): boolean {
    return this.close("restart");
  }

  shutdown(): boolean {
    return this.close("shutdown");
  }

  private close(what: "restart" | "shutdown"): boolean {
    this.guard(Guards.FROM_DISTRIBUTION);
    const r = this.port.closing(what);
    if (r.kind === "refused") this.fail(SupvisorsFaultCodes.BAD_SUPVISORS_STATE, what, r.message);
    return true;
  }

  // ---- application control --------------------------------------------------------------------

  startApplication(strategyParam: ParamValue, applicationName: string, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const app = this.app(applicationName);
    this.managed(app, "start_application");
    if (app.state !== "STOPPED") this.fail(Faults.ALREADY_STARTED, "start_application", applicationName);
    const queued = this.port.order((c, now) => c.startApplication(app, strategy, now));
    // A start placed here can be over already (startsecs = 0): the job is gone but the application runs.
    if (!queued || (!this.port.commander.startingApplication(app.name) && app.state === "STOPPED")) this.fail(Faults.ABNORMAL_TERMINATION, "start_application", `failed to start ${applicationName}`);
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.startingApplication(app.name)).then(() => {
      if (app.state !== "RUNNING" && !(app.state === "STARTING" && startingAreReady(app))) this.fail(Faults.NOT_RUNNING, "start_application", applicationName);
      return true;
    });
  }

  testStartApplication(strategyParam: ParamValue, applicationName: string): Prediction[] {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const app = this.app(applicationName);
    this.managed(app, "test_start_application");
    if (app.state !== "STOPPED") this.fail(Faults.ALREADY_STARTED, "test_start_application", applicationName);
    return this.port.commander.predictApplication(app, strategy);
  }

  stopApplication(applicationName: string, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING_CONCILIATION);
    const app = this.app(applicationName);
    this.managed(app, "stop_application");
    if (![...app.processes.values()].some(runningLike)) this.fail(Faults.NOT_RUNNING, "stop_application", `failed to stop ${applicationName}`);
    this.port.order((c, now) => c.stopApplication(app, now));
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.stoppingApplication(app.name)).then(() => {
      if (app.state !== "STOPPED") this.fail(Faults.STILL_RUNNING, "stop_application", applicationName);
      return true;
    });
  }

  restartApplication(strategyParam: ParamValue, applicationName: string, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const app = this.app(applicationName);
    this.port.order((c, now) => c.restartApplication(app, strategy, now));
    if (!this.port.commander.handles(app.name) && app.state === "STOPPED") this.fail(Faults.ABNORMAL_TERMINATION, "restart_application", `failed to restart ${applicationName}`);
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.handles(app.name)).then(() => {
      if (app.state === "STOPPED") this.fail(Faults.NOT_RUNNING, "restart_application", applicationName);
      return true;
    });
  }

  // ---- enable / disable (on the receiving instance, spec §5.3) ---------------------------------

  private programOf(program: string, func: string): ProcessStatus[] {
    const local = this.port.programProcesses(program);
    if (local === null) this.fail(Faults.BAD_NAME, func, `program=${program} unknown to Supvisors`);
    const out: ProcessStatus[] = [];
    for (const ns of local) {
      const i = ns.indexOf(":");
      const p = this.port.application(ns.slice(0, i))?.processes.get(ns.slice(i + 1));
      if (p) out.push(p);
    }
    return out;
  }

  async enable(programParam: ParamValue, waitParam?: ParamValue): Promise<boolean> {
    this.guard(Guards.OPERATING);
    const program = stringParam(programParam, "program_name");
    this.programOf(program, "enable");
    await this.port.setProgramDisabled(program, false);
    void waitParam; // the local model is updated before the answer: nothing to wait for
    return true;
  }

  async disable(programParam: ParamValue, waitParam?: ParamValue): Promise<boolean> {
    this.guard(Guards.OPERATING);
    const program = stringParam(programParam, "program_name");
    const processes = this.programOf(program, "disable");
    await this.port.setProgramDisabled(program, true);
    const local = this.port.localIdentifier;
    const runsHere = (p: ProcessStatus) => runningLike(p) && (p.running.has(local) || p.records.get(local)?.statename === "STOPPING");
    const apps = new Map<string, ProcessStatus[]>();
    for (const p of processes.filter(runsHere)) apps.set(p.application, [...(apps.get(p.application) ?? []), p]);
    for (const [name, list] of apps) this.port.order((c, now) => c.stopProcesses(this.app(name), list, now, [local]));
    if (!truthy(waitParam, true)) return true;
    await this.port.waitFor(() => [...apps.keys()].every((a) => !this.port.commander.stoppingApplication(a)));
    const errors = processes.filter(runsHere).map((p) => p.namespec);
    if (errors.length) this.fail(Faults.STILL_RUNNING, "disable", `processes=${pyList(errors)}`);
    return true;
  }

  // ---- update_numprocs (on the receiving instance, spec §5.3) ----------------------------------

  async updateNumprocs(programParam: ParamValue, numprocsParam: ParamValue, waitParam?: ParamValue, lazyParam?: ParamValue): Promise<boolean> {
    this.guard(Guards.OPERATING);
    const program = stringParam(programParam, "program_name");
    if (this.port.programProcesses(program) === null) this.fail(Faults.BAD_NAME, "update_numprocs", `program=${program} unknown to Supvisors`);
    // Python's int(): an int, an integral string, or a float truncated.
    const value = typeof numprocsParam === "number" ? Math.trunc(numprocsParam) : typeof numprocsParam === "string" && /^\s*[+-]?\d+\s*$/.test(numprocsParam) ? Number(numprocsParam) : NaN;
    if (!(value > 0)) this.fail(Faults.INCORRECT_PARAMETERS, "update_numprocs", `program=${program} incorrect numprocs=${pythonText(numprocsParam)} - integer > 0 expected`);
    const r = this.port.updateNumprocs(program, value, truthy(lazyParam, false));
    if (r.kind === "unknown") this.fail(Faults.BAD_NAME, "update_numprocs", `program=${program} unknown to Supvisors`);
    if (r.kind === "bad_value") this.fail(Faults.INCORRECT_PARAMETERS, "update_numprocs", `program=${program} incorrect numprocs=${value} - integer > 0 expected`);
    if (r.kind === "not_applicable") {
      this.port.log("error", `RPCInterface.update_numprocs: ${r.reason}`);
      this.fail(SupvisorsFaultCodes.NOT_APPLICABLE, "update_numprocs", `numprocs not applicable to program=${program}`);
    }
    const local = this.port.localIdentifier;
    const known = (ns: string) => {
      const i = ns.indexOf(":");
      return this.port.application(ns.slice(0, i))?.processes.get(ns.slice(i + 1))?.records.has(local) === true;
    };
    // The local model learns of each change from the core's PROCESS_ADDED / PROCESS_REMOVED, before this answer.
    const missing = [...r.added, ...r.revived].filter((ns) => !known(ns));
    if (missing.length) this.fail(Faults.FAILED, "_check_process_insertion", `processes=${pyList(missing)}`);
    const stale = r.removed.filter(known);
    if (stale.length) this.fail(Faults.FAILED, "_check_process_deletion", `processes=${pyList(stale)}`);
    if (r.pending.length === 0 || truthy(lazyParam, false) || !truthy(waitParam, true)) return true;
    // Not lazy: the surplus processes are being stopped; each leaves once stopped.
    await this.port.waitFor(() => r.pending.every((ns) => !known(ns)));
    return true;
  }

  // ---- process control ------------------------------------------------------------------------

  /** On this instance only, Supervisor's semantics (G0: used by the Starters in DISTRIBUTION). */
  startArgs(namespec: string, extraArgs: ParamValue, waitParam?: ParamValue): Answer<boolean> {
    const { processes, one } = this.targets(namespec);
    if (!one) this.fail(Faults.BAD_NAME, "start_args", `namespec=${namespec} unknown to Supervisor`);
    const ns = processes[0]!.namespec;
    if (!this.port.localKnows(ns)) this.fail(Faults.BAD_NAME, "start_args", `namespec=${namespec} unknown to Supervisor`);
    const args = stringParam(extraArgs, "extra_args");
    return this.port.startArgs(ns, args, truthy(waitParam, true)).catch((err: unknown) => {
      this.port.log("error", `RPCInterface.start_args: start_process ${namespec} failed - ${(err as Error).message}`);
      throw err;
    });
  }

  startProcess(strategyParam: ParamValue, namespec: string, extraArgs?: ParamValue, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const { app, processes } = this.targets(namespec);
    const args = extraArgs === undefined ? "" : stringParam(extraArgs, "extra_args");
    for (const p of processes) if (runningLike(p)) this.fail(Faults.ALREADY_STARTED, "start_process", p.namespec);
    this.port.order((c, now) => c.startProcesses(app, processes, strategy, args, now));
    if (!this.port.commander.startingApplication(app.name) && processes.every(stoppedLike)) this.fail(Faults.ABNORMAL_TERMINATION, "start_process", `failed to start ${namespec}`);
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.startingApplication(app.name)).then(() => {
      const errors = processes.filter(stoppedLike).map((p) => p.namespec);
      if (errors.length) this.fail(Faults.NOT_RUNNING, "start_process", `processes=${pyList(errors)}`);
      return true;
    });
  }

  testStartProcess(strategyParam: ParamValue, namespec: string): Prediction[] {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const { app, processes } = this.targets(namespec);
    for (const p of processes) if (runningLike(p)) this.fail(Faults.ALREADY_STARTED, "test_start_process", p.namespec);
    return this.port.commander.predictProcesses(app, processes, strategy);
  }

  startAnyProcess(strategyParam: ParamValue, regexParam: ParamValue, extraArgs?: ParamValue, waitParam?: ParamValue): Answer<string> {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const regex = stringParam(regexParam, "regex");
    let re: RegExp;
    try {
      re = new RegExp(regex);
    } catch (err) {
      this.fail(Faults.INCORRECT_PARAMETERS, "start_any_process", `invalid regex="${regex}" - ${(err as Error).message}`);
    }
    const ctx = this.port.commander.placementContext();
    let chosen: ProcessStatus | null = null;
    for (const name of this.port.applicationNames()) {
      const app = this.port.application(name)!;
      for (const p of app.processes.values()) {
        if (chosen || runningLike(p) || !re.test(p.namespec)) continue;
        const candidates = app.rules.distribution === "ALL_INSTANCES" && p.rules.hashSign === "none" ? resolveIdentifiers(p.rules.identifiers.length ? p.rules.identifiers : ["*"], ctx) : [...p.records.keys()];
        const valid = filterCandidates(candidates, ctx, (id) => p.records.has(id) && !p.records.get(id)!.disabled);
        if (chooseInstance(strategy, valid, p.rules.expectedLoading, ctx) !== null) chosen = p;
      }
    }
    if (!chosen) this.fail(Faults.FAILED, "start_any_process", `no candidate process matching "${regex}"`);
    const namespec = chosen.namespec;
    const r = this.startProcess(strategy, namespec, extraArgs, waitParam);
    return r instanceof Promise ? r.then(() => namespec) : namespec;
  }

  stopProcess(namespec: string, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING_CONCILIATION);
    const { app, processes } = this.targets(namespec);
    const queued = this.port.order((c, now) => c.stopProcesses(app, processes, now));
    if (!queued) this.fail(Faults.NOT_RUNNING, "stop_process", `${namespec} already stopped`);
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.stoppingApplication(app.name)).then(() => {
      const errors = processes.filter(runningLike).map((p) => p.namespec);
      if (errors.length) this.fail(Faults.STILL_RUNNING, "stop_process", `processes=${pyList(errors)}`);
      return true;
    });
  }

  restartProcess(strategyParam: ParamValue, namespec: string, extraArgs?: ParamValue, waitParam?: ParamValue): Answer<boolean> {
    this.guard(Guards.OPERATING);
    const strategy = this.strategy(strategyParam);
    const { app, processes } = this.targets(namespec);
    const args = extraArgs === undefined ? "" : stringParam(extraArgs, "extra_args");
    this.port.order((c, now) => c.restartProcesses(app, processes, strategy, args, now));
    if (!this.port.commander.handles(app.name) && processes.every(stoppedLike)) this.fail(Faults.ABNORMAL_TERMINATION, "restart_process", `failed to restart ${namespec}`);
    if (!truthy(waitParam, true)) return true;
    return this.port.waitFor(() => !this.port.commander.handles(app.name)).then(() => {
      const errors = processes.filter(stoppedLike).map((p) => p.namespec);
      if (errors.length) this.fail(Faults.NOT_RUNNING, "restart_process", `processes=${pyList(errors)}`);
      return true;
    });
  }
}

