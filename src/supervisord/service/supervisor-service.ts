/**
 * SupervisorService: the behaviour of every `supervisor.*` method (spec §8.5-8.9), in one place.
 * XML-RPC, REST, the web page and the cluster layer are adapters over this class (DESIGN.md
 * principle 1): they translate arguments and results, they never decide.
 *
 * Faults are ServiceFault values (supervisord's named, coded faults); adapters map them to their
 * own transport (an XML-RPC <fault>, an HTTP status...).
 */
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ServiceFault } from "./fault.js";
import { readLogSlice, tailLog, LogReadError } from "../logs/log-reader.js";
import { RUNNING_STATES, STOPPED_STATES, SIGNALLABLE_STATES, SupervisorStates } from "../process/states.js";
import { signalNumber } from "../signals.js";
import { SUPERVISOR_VERSION, API_VERSION } from "../version.js";
import type { ManagedGroup, ManagedProcess, ProcessInfoCore, SupervisorCore } from "./model.js";
import { makeNamespec, splitNamespec } from "./namespec.js";
import { ProcessWaiters } from "./wait.js";
import { pythonDetail } from "./python-str.js";
import { existsSync } from "node:fs";
import type { ReadinessState } from "../../protocol/supervisor.js";

export interface ProcessInfo extends ProcessInfoCore {
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  /** Ours: only for a program with readiness_check (plain configs get supervisord's struct). */
  readonly readiness?: Exclude<ReadinessState, "none">;
}

/** Per-process result of group and "all" operations. */
export interface ProcessResult {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}

export interface ConfigInfo {
  readonly [key: string]: string | number | boolean | readonly number[];
}

type Found = { readonly group: ManagedGroup; readonly process: ManagedProcess };

/** What a stop applies to: supervisord's running states, and a crash loop between two restarts. */
function stoppable(p: ManagedProcess): boolean {
  return RUNNING_STATES.has(p.state) || p.restartPending;
}

/** How often a stopProcess waiter asks the process to report (it logs at most every 2 s). */
const STOP_REPORT_CHECK_MS = 250;
/** Deferred group results completing within this window are reported in priority order (the reference's poll). */
const COMPLETION_WINDOW_MS = 50;
/** Processes started or stopped per event-loop turn by the group and "all" operations. */
const ACTS_PER_TURN = 16;

export class SupervisorService {
  private readonly waiters: ProcessWaiters;

  constructor(private readonly core: SupervisorCore) {
    this.waiters = new ProcessWaiters(core.bus);
  }

  // ---- daemon -------------------------------------------------------------------------------

  getAPIVersion(): string {
    this.checkNotShutdown();
    return API_VERSION;
  }
  getSupervisorVersion(): string {
    this.checkNotShutdown();
    return SUPERVISOR_VERSION;
  }
  getIdentification(): string {
    this.checkNotShutdown();
    return this.core.identification();
  }
  getState(): { statecode: number; statename: string } {
    this.checkNotShutdown();
    const name = this.core.mood();
    return { statecode: SupervisorStates[name], statename: name };
  }
  getPID(): number {
    this.checkNotShutdown();
    return this.core.pid;
  }
  readLog(offset: number, length: number): string {
    this.checkNotShutdown();
    const path = this.core.mainLogPath();
    if (path === null) throw new ServiceFault(Faults.NO_FILE);
    return this.readSlice(path, offset, length);
  }
  clearLog(): boolean {
    this.checkNotShutdown();
    // The reference's faults here carry no detail.
    const path = this.core.mainLogPath();
    if (path === null || !existsSync(path)) throw new ServiceFault(Faults.NO_FILE);
    try {
      this.core.clearMainLog();
    } catch {
      throw new ServiceFault(Faults.FAILED);
    }
    return true;
  }
  shutdown(): boolean {
    this.checkNotShutdown();
    this.core.shutdown();
    return true;
  }
  restart(): boolean {
    this.checkNotShutdown();
    this.core.restart();
    return true;
  }

  // ---- config ---------------------------------------------------------------------------------

  reloadConfig(): [string[], string[], string[]] {
    this.checkNotShutdown();
    let next;
    try {
      next = this.core.reread();
    } catch (err) {
      throw new ServiceFault(Faults.CANT_REREAD, (err as Error).message);
    }
    const active = new Map(this.core.groups().map((g) => [g.config.name, g.config]));
    const added: string[] = [];
    const changed: string[] = [];
    const wanted = new Set<string>();
    for (const g of next.groups) {
      wanted.add(g.name);
      const cur = active.get(g.name);
      if (!cur) added.push(g.name);
      else if (!this.core.sameGroupConfig(cur, g)) changed.push(g.name);
    }
    const removed = [...active.keys()].filter((n) => !wanted.has(n));
    return [added.sort(), changed.sort(), removed.sort()];
  }

  addProcessGroup(name: string): boolean {
    this.checkNotShutdown();
    const cfg = this.core.lastConfig().groups.find((g) => g.name === name);
    if (!cfg) throw new ServiceFault(Faults.BAD_NAME, name);
    if (this.core.groups().some((g) => g.config.name === name)) throw new ServiceFault(Faults.ALREADY_ADDED, name);
    this.core.addGroup(cfg);
    return true;
  }

  removeProcessGroup(name: string): boolean {
    this.checkNotShutdown();
    const group = this.core.groups().find((g) => g.config.name === name);
    if (!group) throw new ServiceFault(Faults.BAD_NAME, name);
    if (group.processes.some((p) => !STOPPED_STATES.has(p.state))) throw new ServiceFault(Faults.STILL_RUNNING, name);
    this.core.removeGroup(name);
    return true;
  }

  // ---- start / stop / signal ------------------------------------------------------------------

  /** Returns true, or (group forms) the per-process results. */
  startProcess(name: string, wait = true): boolean | Promise<boolean> | Promise<ProcessResult[]> {
    this.checkNotShutdown();
    const spec = splitNamespec(name);
    if (spec.kind === "group") return this.startProcessGroup(this.groupOf(name, spec.group), wait);
    const { process } = this.findProcess(name);
    return this.startOne(process, name, wait);
  }

  startProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    this.checkNotShutdown();
    const group = this.findGroup(name);
    return this.applyToAll(
      group.processes.map((p) => ({ group, process: p })),
      (p) => !RUNNING_STATES.has(p.state),
      (p, ns) => this.startOne(p, ns, wait),
    );
  }

  startAllProcesses(wait = true): Promise<ProcessResult[]> {
    this.checkNotShutdown();
    return this.applyToAll(this.allInPriorityOrder(), (p) => !RUNNING_STATES.has(p.state), (p, ns) => this.startOne(p, ns, wait));
  }

  stopProcess(name: string, wait = true): boolean | Promise<boolean> | Promise<ProcessResult[]> {
    this.checkNotShutdown();
    const spec = splitNamespec(name);
    if (spec.kind === "group") return this.stopProcessGroup(this.groupOf(name, spec.group), wait);
    const { process } = this.findProcess(name);
    return this.stopOne(process, name, wait);
  }

  stopProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    this.checkNotShutdown();
    const group = this.findGroup(name);
    return this.applyToAll(
      group.processes.map((p) => ({ group, process: p })),
      stoppable,
      (p, ns) => this.stopOne(p, ns, wait),
    );
  }

  stopAllProcesses(wait = true): Promise<ProcessResult[]> {
    this.checkNotShutdown();
    return this.applyToAll(this.allInPriorityOrder(), stoppable, (p, ns) => this.stopOne(p, ns, wait));
  }

  signalProcess(name: string, signal: string | number): boolean | ProcessResult[] {
    this.checkNotShutdown();
    const spec = splitNamespec(name);
    if (spec.kind === "group") return this.signalProcessGroup(this.groupOf(name, spec.group), signal);
    const { process } = this.findProcess(name);
    return this.signalOne(process, name, signal);
  }

  /** A bad signal is reported per signallable process (BAD_SIGNAL results), like the reference. */
  signalProcessGroup(name: string, signal: string | number): ProcessResult[] {
    this.checkNotShutdown();
    const group = this.findGroup(name);
    return this.applyNow(group.processes.map((p) => ({ group, process: p })), (p, ns) => this.signalOne(p, ns, signal));
  }

  signalAllProcesses(signal: string | number): ProcessResult[] {
    this.checkNotShutdown();
    return this.applyNow(this.allInPriorityOrder(), (p, ns) => this.signalOne(p, ns, signal));
  }

  // ---- information ----------------------------------------------------------------------------

  getProcessInfo(name: string): ProcessInfo {
    this.checkNotShutdown();
    const { process } = this.findProcess(name);
    return this.infoOf(process);
  }

  getAllProcessInfo(): ProcessInfo[] {
    this.checkNotShutdown();
    const all = this.core.groups().flatMap((g) => g.processes);
    all.sort((a, b) => cmp(a.config.group, b.config.group) || cmp(a.config.name, b.config.name));
    return all.map((p) => this.infoOf(p));
  }

  getAllConfigInfo(): ConfigInfo[] {
    this.checkNotShutdown();
    const active = new Map(this.core.groups().map((g) => [g.config.name, g]));
    const out: { name: string; info: ConfigInfo }[] = [];
    for (const g of this.core.lastConfig().groups) {
      const live = active.get(g.name);
      // The reference resolves AUTO log names into the config object a group is made from: the
      // real names show for a group made from this very config (startup, reload, or added after
      // the last reread); after a reread every group's fresh config says "auto".
      const madeFromThis = live !== undefined && live.config === g;
      for (const pc of g.processes) {
        const running = madeFromThis ? live.processes.find((p) => p.config.name === pc.name) : undefined;
        const logName = (spec: typeof pc.stdout_logfile, real: string | undefined) =>
          spec.kind === "none" ? "none" : spec.kind === "path" ? spec.path : real || "auto";
        out.push({
          name: pc.name,
          info: {
            autostart: pc.autostart,
            directory: pc.directory ?? "none",
            uid: pc.user ? pc.user.uid : "none",
            command: pc.command,
            exitcodes: [...pc.exitcodes],
            group: g.name,
            group_prio: g.priority,
            inuse: live !== undefined,
            killasgroup: pc.killasgroup,
            name: pc.name,
            process_prio: pc.priority,
            redirect_stderr: pc.redirect_stderr,
            startretries: pc.startretries,
            startsecs: pc.startsecs,
            stdout_capture_maxbytes: pc.stdout_capture_maxbytes,
            stdout_events_enabled: pc.stdout_events_enabled,
            stdout_logfile: logName(pc.stdout_logfile, running?.stdoutLogfile),
            stdout_logfile_backups: pc.stdout_logfile_backups,
            stdout_logfile_maxbytes: pc.stdout_logfile_maxbytes,
            stdout_syslog: pc.stdout_syslog,
            stopsignal: pc.stopsignal,
            stopwaitsecs: pc.stopwaitsecs,
            stderr_capture_maxbytes: pc.stderr_capture_maxbytes,
            stderr_events_enabled: pc.stderr_events_enabled,
            stderr_logfile: pc.redirect_stderr ? "none" : logName(pc.stderr_logfile, running?.stderrLogfile),
            stderr_logfile_backups: pc.stderr_logfile_backups,
            stderr_logfile_maxbytes: pc.stderr_logfile_maxbytes,
            stderr_syslog: pc.stderr_syslog,
            serverurl: pc.serverurl ?? "none",
          },
        });
      }
    }
    out.sort((a, b) => cmp(a.name, b.name));
    return out.map((o) => o.info);
  }

  // ---- logs -----------------------------------------------------------------------------------

  readProcessStdoutLog(name: string, offset: number, length: number): string {
    return this.readProcessLog(name, "stdout", offset, length);
  }
  readProcessStderrLog(name: string, offset: number, length: number): string {
    return this.readProcessLog(name, "stderr", offset, length);
  }
  tailProcessStdoutLog(name: string, offset: number, length: number): [string, number, boolean] {
    return this.tailProcessLog(name, "stdout", offset, length);
  }
  tailProcessStderrLog(name: string, offset: number, length: number): [string, number, boolean] {
    return this.tailProcessLog(name, "stderr", offset, length);
  }

  clearProcessLogs(name: string): boolean | Promise<boolean> {
    this.checkNotShutdown();
    const { process } = this.findProcess(name);
    let done: void | Promise<void>;
    try {
      done = process.clearLogs();
    } catch {
      throw new ServiceFault(Faults.FAILED, name);
    }
    return done ? done.then(() => true) : true;
  }

  /** Deferred like the reference (it clears one process per loop pass); each gets a result. */
  async clearAllProcessLogs(): Promise<ProcessResult[]> {
    this.checkNotShutdown();
    const results: ProcessResult[] = [];
    for (const { group, process } of this.allInPriorityOrder()) {
      const ns = makeNamespec(group.config.name, process.config.name);
      try {
        await process.clearLogs();
        results.push(ok(group, process));
      } catch {
        const f = new ServiceFault(Faults.FAILED, ns);
        results.push(failed(group, process, f));
      }
    }
    return results;
  }

  // ---- communication --------------------------------------------------------------------------

  sendProcessStdin(name: string, chars: unknown): boolean {
    this.checkNotShutdown();
    if (typeof chars !== "string" && !Buffer.isBuffer(chars)) throw new ServiceFault(Faults.INCORRECT_PARAMETERS, pythonDetail(chars));
    const { process } = this.findProcess(name);
    if (process.pid === 0 || process.killing) throw new ServiceFault(Faults.NOT_RUNNING, name);
    const r = process.writeStdin(Buffer.isBuffer(chars) ? chars.toString("utf8") : chars);
    if (r === "not-running") throw new ServiceFault(Faults.NOT_RUNNING, name);
    if (r === "closed") throw new ServiceFault(Faults.NO_FILE, name);
    return true;
  }

  /** Works even while shutting down, like the reference. */
  sendRemoteCommEvent(type: string, data: string): boolean {
    this.core.bus.emit({ kind: "REMOTE_COMMUNICATION", type: String(type), data: String(data) });
    return true;
  }

  // ---- internals ------------------------------------------------------------------------------

  private checkNotShutdown(): void {
    if (this.core.mood() !== "RUNNING") throw new ServiceFault(Faults.SHUTDOWN_STATE);
  }

  /** `g:*` / `g:` forms: the group's name if it exists, else BAD_NAME with the name as given. */
  private groupOf(namespec: string, group: string): string {
    if (!this.core.groups().some((x) => x.config.name === group)) throw new ServiceFault(Faults.BAD_NAME, namespec);
    return group;
  }

  private findGroup(name: string): ManagedGroup {
    const g = this.core.groups().find((x) => x.config.name === name);
    if (!g) throw new ServiceFault(Faults.BAD_NAME, name);
    return g;
  }

  private findProcess(name: string): Found {
    const spec = splitNamespec(name);
    const g = this.core.groups().find((x) => x.config.name === spec.group);
    if (!g || spec.kind === "group") throw new ServiceFault(Faults.BAD_NAME, name);
    const p = g.processes.find((x) => x.config.name === spec.process);
    if (!p) throw new ServiceFault(Faults.BAD_NAME, name);
    return { group: g, process: p };
  }

  private allInPriorityOrder(): Found[] {
    return this.core.groups().flatMap((group) => group.processes.map((process) => ({ group, process })));
  }

  private parseSignal(signal: string | number): number {
    try {
      return signalNumber(signal);
    } catch {
      throw new ServiceFault(Faults.BAD_SIGNAL, String(signal));
    }
  }

  private infoOf(p: ManagedProcess): ProcessInfo {
    const core = p.info(this.core.clock.now());
    const info: ProcessInfo = {
      name: core.name,
      group: core.group,
      start: core.start,
      stop: core.stop,
      now: core.now,
      state: core.state,
      statename: core.statename,
      spawnerr: core.spawnerr,
      exitstatus: core.exitstatus,
      logfile: p.stdoutLogfile,
      stdout_logfile: p.stdoutLogfile,
      stderr_logfile: p.stderrLogfile,
      pid: core.pid,
      description: core.description,
    };
    const readiness = p.readiness;
    return readiness === "none" ? info : { ...info, readiness };
  }

  private startOne(p: ManagedProcess, name: string, wait: boolean): true | Promise<true> {
    // Supvisors' patched startProcess refuses a disabled program before any other check; the group
    // and "all" forms get it per process, as they start each one through startProcess.
    if (this.core.isProgramDisabled(p.config.program_name)) throw new ServiceFault(SupvisorsFaultCodes.DISABLED, name);
    const exe = this.core.checkExecutable(p.config, p.extraArgs);
    if (!exe.ok) throw new ServiceFault(exe.fault === "NO_FILE" ? Faults.NO_FILE : Faults.NOT_EXECUTABLE, exe.reason);
    if (RUNNING_STATES.has(p.state)) throw new ServiceFault(Faults.ALREADY_STARTED, name);
    if (p.state === "UNKNOWN") throw new ServiceFault(Faults.FAILED, `${name} is in an unknown process state`);
    p.spawn();
    if (p.spawnerr) throw new ServiceFault(Faults.SPAWN_ERROR, name);
    // As the reference: a startsecs=0 process may become RUNNING right here.
    p.transition();
    if (!wait) return true;
    // With a readiness check (ours) the answer waits for "ready", which may come while STARTING;
    // "unready" first (no pass within readiness_startsecs) is a failed start.
    const checked = p.readiness !== "none";
    if (!checked && p.state === "RUNNING") return true;
    return this.waiters.waitFor(p, () => {
      if (p.spawnerr) throw new ServiceFault(Faults.SPAWN_ERROR, name);
      if (checked && (p.state === "STARTING" || p.state === "RUNNING")) {
        if (p.readiness === "ready") return true as const;
        if (p.readiness === "unready") throw new ServiceFault(Faults.ABNORMAL_TERMINATION, name);
        return undefined;
      }
      if (p.state === "RUNNING") return true as const;
      if (p.state !== "STARTING") throw new ServiceFault(Faults.ABNORMAL_TERMINATION, name);
      return undefined;
    });
  }

  private stopOne(p: ManagedProcess, name: string, wait: boolean): true | Promise<true> {
    if (!stoppable(p)) throw new ServiceFault(Faults.NOT_RUNNING, name);
    const err = p.stop();
    if (err !== null) throw new ServiceFault(Faults.FAILED, err);
    if (!wait || STOPPED_STATES.has(p.state)) return true;
    // supervisord's deferred waiter runs once at once (asynchat pushes the producer and calls it
    // in the same pass), so a waiting stop logs `waiting for <name> to stop` right away unless the
    // child was already reaped; then on every re-check, throttled to 2 s by the process.
    p.stopReport();
    let timer: NodeJS.Timeout = setTimeout(function check() {
      p.stopReport();
      timer = setTimeout(check, STOP_REPORT_CHECK_MS);
    }, STOP_REPORT_CHECK_MS);
    return this.waiters.waitFor(p, () => (STOPPED_STATES.has(p.state) ? (true as const) : undefined)).finally(() =>
      clearTimeout(timer),
    );
  }

  private signalOne(p: ManagedProcess, name: string, signal: string | number): true {
    const sig = this.parseSignal(signal);
    if (!SIGNALLABLE_STATES.has(p.state)) throw new ServiceFault(Faults.NOT_RUNNING, name);
    const err = p.signal(sig);
    if (err !== null) throw new ServiceFault(Faults.FAILED, err);
    return true;
  }

  /**
   * supervisord's make_allfunc: act on every matching process at once, in priority order; results
   * for immediate faults and immediate successes first (in priority order), then the deferred
   * ones as they complete. The reference notices completions on a 50 ms poll and reports the ones
   * a poll finds in priority order; we do the same for completions that fall within one such
   * window (e.g. a group whose processes all die of the same SIGTERM), so the order is the same.
   */
  private async applyToAll(
    targets: Found[],
    predicate: (p: ManagedProcess) => boolean,
    act: (p: ManagedProcess, namespec: string) => true | Promise<true>,
  ): Promise<ProcessResult[]> {
    const results: ProcessResult[] = [];
    let remaining = 0;
    let acting = true;
    let batch: { index: number; result: ProcessResult }[] = [];
    let timer: NodeJS.Timeout | null = null;
    let resolveAll: (r: ProcessResult[]) => void = () => {};
    const all = new Promise<ProcessResult[]>((r) => (resolveAll = r));
    const flush = () => {
      timer = null;
      batch.sort((x, y) => x.index - y.index);
      for (const b of batch) results.push(b.result);
      batch = [];
      if (remaining === 0) resolveAll(results);
    };
    const settle = (index: number, result: ProcessResult) => {
      remaining--;
      batch.push({ index, result });
      // Completions seen while still acting wait until every immediate result is in. Once the
      // last one is in, nothing can interleave any more: answer now instead of at the window's end.
      if (acting) return;
      if (remaining === 0) {
        if (timer) clearTimeout(timer);
        flush();
      } else timer ??= setTimeout(flush, COMPLETION_WINDOW_MS);
    };
    for (let index = 0; index < targets.length; index++) {
      const { group, process } = targets[index];
      if (!predicate(process)) continue;
      const ns = makeNamespec(group.config.name, process.config.name);
      let r: true | Promise<true>;
      try {
        r = act(process, ns);
      } catch (err) {
        results.push(failed(group, process, asFault(err)));
        continue;
      }
      if (r === true) results.push(ok(group, process));
      else {
        remaining++;
        r.then(
          () => settle(index, ok(group, process)),
          (err) => settle(index, failed(group, process, asFault(err))),
        );
      }
      // Spawning is synchronous (~5 ms a child): let RPC, logs and other clients in between.
      if (index % ACTS_PER_TURN === ACTS_PER_TURN - 1) await new Promise((r) => setImmediate(r));
    }
    acting = false;
    if (remaining === 0) {
      flush();
      return results;
    }
    if (batch.length > 0) timer ??= setTimeout(flush, COMPLETION_WINDOW_MS);
    return all;
  }

  private applyNow(targets: Found[], act: (p: ManagedProcess, namespec: string) => true): ProcessResult[] {
    const results: ProcessResult[] = [];
    for (const { group, process } of targets) {
      if (!SIGNALLABLE_STATES.has(process.state)) continue;
      const ns = makeNamespec(group.config.name, process.config.name);
      try {
        act(process, ns);
        results.push(ok(group, process));
      } catch (err) {
        results.push(failed(group, process, asFault(err)));
      }
    }
    return results;
  }

  private readProcessLog(name: string, channel: "stdout" | "stderr", offset: number, length: number): string {
    this.checkNotShutdown();
    const { process } = this.findProcess(name);
    const path = channel === "stdout" ? process.stdoutLogfile : process.stderrLogfile;
    if (!path) throw new ServiceFault(Faults.NO_FILE);
    return this.readSlice(path, offset, length);
  }

  private tailProcessLog(name: string, channel: "stdout" | "stderr", offset: number, length: number): [string, number, boolean] {
    this.checkNotShutdown();
    const { process } = this.findProcess(name);
    const path = channel === "stdout" ? process.stdoutLogfile : process.stderrLogfile;
    if (!path) return ["", 0, false];
    try {
      return tailLog(path, offset, length);
    } catch (err) {
      throw logFault(err, path);
    }
  }

  private readSlice(path: string, offset: number, length: number): string {
    try {
      return readLogSlice(path, offset, length);
    } catch (err) {
      throw logFault(err, path);
    }
  }
}

function logFault(err: unknown, path: string): ServiceFault {
  if (err instanceof LogReadError) {
    if (err.kind === "BAD_ARGUMENTS") return new ServiceFault(Faults.BAD_ARGUMENTS);
    if (err.kind === "NO_FILE") return new ServiceFault(Faults.NO_FILE, path);
  }
  return new ServiceFault(Faults.FAILED, String(err));
}

function asFault(err: unknown): ServiceFault {
  return err instanceof ServiceFault ? err : new ServiceFault(Faults.FAILED, String(err));
}

function ok(group: ManagedGroup, p: ManagedProcess): ProcessResult {
  return { name: p.config.name, group: group.config.name, status: Faults.SUCCESS, description: "OK" };
}

function failed(group: ManagedGroup, p: ManagedProcess, f: ServiceFault): ProcessResult {
  return { name: p.config.name, group: group.config.name, status: f.code, description: f.faultString };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
