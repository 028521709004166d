/**
 * What the SupervisorService needs from the core: the active groups and their processes, the
 * daemon's mood and the config lifecycle. The daemon implements it; tests can fake it.
 */
import type { Clock } from "../clock.js";
import type { GroupConfig, ProcessConfig, SupervisorConfig } from "../config/types.js";
import type { EventBus } from "../events/bus.js";
import type { ProcessStateName, SupervisorStateName } from "../process/states.js";
import type { ReadinessState } from "../../protocol/supervisor.js";

/** The getProcessInfo fields a process computes itself (everything but the log paths). */
export type { ProcessInfoCore } from "../process/process.js";
import type { ProcessInfoCore } from "../process/process.js";
export type { NumprocsResult } from "../process/numprocs.js";
import type { NumprocsResult } from "../process/numprocs.js";

export type StdinResult = "ok" | "not-running" | "closed";

/** One supervised process as the service sees it. */
export interface ManagedProcess {
  readonly config: ProcessConfig;
  readonly state: ProcessStateName;
  readonly pid: number;
  readonly spawnerr: string | null;
  /** True while a stop is in progress (supervisord's `killing`). */
  readonly killing: boolean;
  /** EXITED with an autorestart pending: a stop cancels it (Process.restartPending). */
  readonly restartPending: boolean;
  /**
   * Supvisors' start_args: extra arguments appended (after one space) to the configured command for
   * the next spawns, kept for later restarts (autorestart, retries) until changed; "" = none.
   */
  readonly extraArgs: string;
  setExtraArgs(args: string): void;
  /**
   * Marked for removal by updateNumprocs (a surplus process that was still running): it is never
   * spawned again and leaves its group when it stops. Always false without Supvisors.
   */
  readonly obsolete: boolean;
  /**
   * Our readiness check's verdict: "none" when the program has no readiness_check (then nothing of
   * readiness shows in any API), else off / pending / ready / unready (protocol/supervisor.ts).
   */
  readonly readiness: ReadinessState;
  /** supervisord's spawn(): STARTING, or BACKOFF with spawnerr set. */
  spawn(): void;
  /** supervisord's transition(): apply the timed rule due now (startsecs=0 -> RUNNING). */
  transition(): void;
  /** supervisord's stop(): null, or the error text. */
  stop(): string | null;
  /** `waiting for <name> to stop` while STOPPING, throttled to once per 2 s by the process. */
  stopReport(): void;
  /** signalProcess: null, or the error text. */
  signal(sig: number): string | null;
  info(nowMs: number): ProcessInfoCore;
  /** Resolved log paths ("" when none). */
  readonly stdoutLogfile: string;
  readonly stderrLogfile: string;
  writeStdin(data: string): StdinResult;
  /**
   * Clear (delete + reopen empty) the open log files; no-op when not running. A returned Promise
   * resolves once the files are recreated (a read right after the answer finds an empty file).
   */
  clearLogs(): void | Promise<void>;
}

export interface ManagedGroup {
  readonly config: GroupConfig;
  /** In (priority, name) order. */
  readonly processes: readonly ManagedProcess[];
}

export interface SupervisorCore {
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly pid: number;
  mood(): SupervisorStateName;
  identification(): string;
  /** Active groups in (priority, name) order. */
  groups(): readonly ManagedGroup[];
  /** The most recently parsed config (startup, reload or reloadConfig). */
  lastConfig(): SupervisorConfig;
  /** Re-reads the config file; throws a ConfigError; makes the result the "last" config. */
  reread(): SupervisorConfig;
  addGroup(config: GroupConfig): void;
  removeGroup(name: string): void;
  shutdown(): void;
  restart(): void;
  mainLogPath(): string | null;
  clearMainLog(): void;
  log(level: "critical" | "error" | "warn" | "info" | "debug" | "trace" | "blather", message: string): void;
  /** Process configs are compared for reloadConfig's "changed" list. */
  sameGroupConfig(a: GroupConfig, b: GroupConfig): boolean;
  /** Resolve the executable as spawn would, extra arguments included (startProcess checks it first). */
  checkExecutable(p: ProcessConfig, extraArgs?: string): { ok: true } | { ok: false; fault: "NO_FILE" | "NOT_EXECUTABLE"; reason: string };

  // Supvisors' hooks, keyed by program section name (ProcessConfig.program_name); without Supvisors
  // nothing calls them and the core is plain supervisord.
  /**
   * Disable (or re-enable) a program: its processes are never spawned (autostart, autorestart and
   * BACKOFF retries leave them in their state) and startProcess refuses them with DISABLED. It does
   * not stop a running process. Re-enabling lets a STOPPED process autostart if configured and
   * resumes a pending autorestart or retry.
   */
  setProgramDisabled(program: string, disabled: boolean): void;
  isProgramDisabled(program: string): boolean;
  /** While set, the program's processes behave as autorestart=false (BACKOFF retries still apply). */
  setAutorestartDisabled(program: string, disabled: boolean): void;
  /**
   * Supvisors' update_numprocs on this supervisord (process/numprocs.ts): `program` is the section
   * name of a program, fcgi-program or event listener. Increase: the new processes, made as the
   * config reader would for that numprocs, join every group using the program (PROCESS_ADDED each)
   * and autostart as in a group added; obsolete ones are revived. Decrease: surplus processes
   * without a child are removed now (PROCESS_REMOVED each); the running ones become obsolete and
   * are removed when they stop, stopped here unless `lazy`. Errors come back as data, nothing
   * changed: unknown program, bad_value (not an integer > 0), not_applicable (the section cannot
   * make that many, e.g. process_name without %(process_num)).
   */
  updateNumprocs(program: string, numprocs: number, lazy: boolean): NumprocsResult;
  /**
   * Who acts when a process with `readiness_on_failure = fail` turns unready. null (the default,
   * plain supervisord): the core restarts it in place (stop, then start again once STOPPED). The
   * Supvisors layer sets a delegate that applies the program's running failure strategy instead;
   * it answers false when that does not apply (an unmanaged application, Supvisors not working
   * yet), and the core restarts the process in place as without it.
   */
  setReadinessFailureHandler(handler: ((p: ManagedProcess, reason: string) => boolean) | null): void;
}
