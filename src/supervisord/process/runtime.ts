/**
 * RuntimeProcess: one supervised process with its effects attached. It owns a Process (the pure
 * state machine, process.ts), acts as its ProcessHost, forks through the Spawner, routes the
 * child's output into OutputChannels (log files, capture mode, PROCESS_LOG events) and, for an
 * event listener, into its pool's protocol. The SupervisorService sees it as a ManagedProcess.
 */
import type { Clock } from "../clock.js";
import type { LogLevelName, ProcessConfig, SupervisordOptions } from "../config/types.js";
import type { EventBus } from "../events/bus.js";
import type { Channel } from "../events/types.js";
import type { MainLogger } from "../logs/main-log.js";
import { OutputChannel } from "../logs/output-channel.js";
import { LogFileError } from "../logs/errors.js";
import type { ManagedProcess, ProcessInfoCore, StdinResult } from "../service/model.js";
import { childEnvironment } from "./child-env.js";
import { commandLine, resolveExecutable } from "./executable.js";
import { Process, type SpawnResult } from "./process.js";
import type { ProgramSwitchesView } from "./program-switches.js";
import { spawnChild, type ChildHandle, type ExitInfo } from "./spawner.js";
import type { SupervisorStateName } from "./states.js";
import { ReadinessLoop } from "../readiness/loop.js";
import type { Prober } from "../readiness/probes.js";
import type { SlotTimers } from "../readiness/slot-timers.js";

/** A debug sink that never logs (an event listener's stdout chunks are logged by its pool). */
const NO_DEBUG_LINES = { isEnabledFor: () => false, debug: () => {} };

/** What every process of the daemon shares. */
export interface RuntimeContext {
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly logger: MainLogger;
  readonly options: SupervisordOptions;
  /** supervisord's environment as at start. */
  readonly daemonEnv: NodeJS.ProcessEnv;
  mood(): SupervisorStateName;
  /** Supvisors' per-program switches (disabled, autorestart forced off); all off without it. */
  readonly programs: ProgramSwitchesView;
  /** SUPERVISOR_SERVER_URL for a program whose serverurl is AUTO. */
  defaultServerUrl(): string | null;
  /** Our readiness checks (for programs with readiness_check); absent: no checks run. */
  readonly readiness?: ReadinessContext;
}

export interface ReadinessContext {
  readonly probe: Prober;
  /** Coalesced timers shared by every process's checks. */
  readonly timers: SlotTimers;
  /** A process with readiness_on_failure = fail turned unready (the core's delegate decides). */
  failed(p: RuntimeProcess, reason: string): void;
}

/** Hooks an event-listener pool attaches to its listener processes. */
export interface ListenerHooks {
  spawned(name: string): void;
  stdout(name: string, chunk: Buffer): void;
  exited(name: string): void;
}

export interface RuntimeProcessOptions {
  /** Resolved log paths ("" = none): AUTO files were created with the group. */
  readonly stdoutLogfile: string;
  readonly stderrLogfile: string;
  readonly listener?: ListenerHooks;
  /** fcgi-program: the group's socket, given to the child as fd 0 (undefined fd: not usable). */
  readonly fcgi?: { fd(): number | undefined; readonly backlog: number };
}

export class RuntimeProcess implements ManagedProcess {
  readonly process: Process;
  readonly stdoutLogfile: string;
  readonly stderrLogfile: string;
  private child: ChildHandle | null = null;
  private channels: { stdout: OutputChannel | null; stderr: OutputChannel | null } = { stdout: null, stderr: null };
  private _extraArgs = "";
  private readonly readinessLoop: ReadinessLoop | null = null;
  /** The environment of the last spawn: a command readiness check runs with it. */
  private lastEnv: Readonly<Record<string, string>> | null = null;

  constructor(
    readonly config: ProcessConfig,
    private readonly ctx: RuntimeContext,
    private readonly opts: RuntimeProcessOptions,
  ) {
    this.stdoutLogfile = opts.stdoutLogfile;
    this.stderrLogfile = opts.stderrLogfile;
    this.process = new Process(config, {
      clock: ctx.clock,
      bus: ctx.bus,
      log: (level: LogLevelName, message: string) => ctx.logger.log(level, message),
      spawn: () => this.forkChild(),
      kill: (pid: number, sig: number) => process.kill(pid, sig),
      mood: () => ctx.mood(),
      programDisabled: () => ctx.programs.isDisabled(config.program_name),
      autorestartForcedOff: () => ctx.programs.isAutorestartDisabled(config.program_name),
      stateChanged: (_from, to) => this.readinessLoop?.processState(to),
    });
    const rc = ctx.readiness;
    if (config.readiness && rc) {
      this.readinessLoop = new ReadinessLoop(config.readiness, {
        clock: ctx.clock,
        timers: rc.timers,
        probe: rc.probe,
        probeContext: {
          env: () => this.lastEnv ?? childEnvironment(config, ctx.daemonEnv, ctx.options.environment, config.serverurl ?? ctx.defaultServerUrl()),
          directory: config.directory,
          user: config.user,
        },
        publish: (to, reason) => this.process.setReadiness(to, reason),
        failed: (reason) => rc.failed(this, reason),
      });
    }
  }

  /** Supvisors' start_args: appended to the command of every later spawn until changed ("" = none). */
  get extraArgs(): string {
    return this._extraArgs;
  }
  /** Takes effect at the next spawn (a running child keeps its command line). */
  setExtraArgs(args: string): void {
    this._extraArgs = args;
  }

  get state() {
    return this.process.state;
  }
  get pid() {
    return this.process.pid;
  }
  get spawnerr() {
    return this.process.spawnerr;
  }
  get killing() {
    return this.process.killing;
  }
  get restartPending() {
    return this.process.restartPending;
  }
  get obsolete() {
    return this.process.obsolete;
  }
  get readiness() {
    return this.process.readiness;
  }
  spawn(): void {
    this.process.spawn();
  }
  transition(): void {
    this.process.transition();
  }
  stop(): string | null {
    return this.process.stop();
  }
  stopReport(): void {
    this.process.stopReport();
  }
  signal(sig: number): string | null {
    return this.process.signal(sig);
  }
  info(nowMs: number): ProcessInfoCore {
    return this.process.info(nowMs);
  }

  writeStdin(data: string): StdinResult {
    if (!this.child || this.process.pid === 0) return "not-running";
    return this.child.writeStdin(Buffer.from(data, "utf8")) ? "ok" : "closed";
  }

  /** Raw bytes to a listener's stdin (the event protocol). */
  writeStdinBytes(data: Buffer): boolean {
    return this.child?.writeStdin(data) ?? false;
  }

  /** Resolves once the files are deleted and reopened empty (the channels write asynchronously). */
  clearLogs(): Promise<void> {
    const { stdout, stderr } = this.channels;
    stdout?.clear();
    stderr?.clear();
    return Promise.all([stdout?.flush(), stderr?.flush()]).then(() => undefined);
  }

  reopenLogs(): void {
    this.channels.stdout?.reopen();
    this.channels.stderr?.reopen();
  }

  /** The group is going away: no more timers. */
  dispose(): void {
    this.process.dispose();
    this.readinessLoop?.dispose();
  }

  private forkChild(): SpawnResult {
    const cfg = this.config;
    const exe = resolveExecutable(commandLine(cfg.command, this._extraArgs), cfg.environment, this.ctx.daemonEnv);
    if (!exe.ok) return { ok: false, spawnerr: exe.reason };
    let fcgiSocket: { fd: number; backlog: number } | undefined;
    if (this.opts.fcgi) {
      const fd = this.opts.fcgi.fd();
      if (fd === undefined) return { ok: false, spawnerr: `Could not create FastCGI socket for '${cfg.name}'` };
      fcgiSocket = { fd, backlog: this.opts.fcgi.backlog };
    }
    const serverUrl = cfg.serverurl ?? this.ctx.defaultServerUrl();
    const env = childEnvironment(cfg, this.ctx.daemonEnv, this.ctx.options.environment, serverUrl);
    if (cfg.readiness) this.lastEnv = env;

    let stdout: OutputChannel;
    let stderr: OutputChannel | null;
    try {
      stdout = this.openChannel("stdout");
      stderr = cfg.redirect_stderr ? null : this.openChannel("stderr");
    } catch (err) {
      const code = err instanceof LogFileError ? err.errno : (err as NodeJS.ErrnoException).code;
      if (code === "EMFILE" || code === "ENFILE") return { ok: false, spawnerr: `too many open files to spawn '${cfg.name}'` };
      return { ok: false, spawnerr: `unknown error making dispatchers for '${cfg.name}': ${code ?? String(err)}` };
    }

    const listener = this.opts.listener;
    const outcome = spawnChild(
      {
        name: cfg.name,
        filename: exe.filename,
        argv: exe.argv,
        env,
        directory: cfg.directory,
        umask: cfg.umask,
        user: cfg.user,
        redirectStderr: cfg.redirect_stderr,
        fcgiSocket,
      },
      {
        onStdout: (chunk) => {
          if (listener) listener.stdout(cfg.name, chunk);
          if (!stdout.write(chunk)) child?.pauseOutput();
        },
        onStderr: (chunk) => {
          if (stderr && !stderr.write(chunk)) child?.pauseOutput();
        },
        onExit: (exit) => this.reaped(exit),
        // An event listener's stdout is read by the pool: it cannot skip JS.
        stdoutFile: listener ? null : stdout.directFile(),
        stderrFile: stderr?.directFile() ?? null,
      },
    );
    if (!outcome.ok) {
      void stdout.close();
      void stderr?.close();
      return { ok: false, spawnerr: outcome.spawnerr };
    }
    const child = outcome.child;
    this.child = child;
    this.channels = { stdout, stderr };
    listener?.spawned(cfg.name);
    return { ok: true, pid: child.pid };
  }

  private openChannel(channel: Channel): OutputChannel {
    const cfg = this.config;
    const path = channel === "stdout" ? this.stdoutLogfile : this.stderrLogfile;
    const prefix = channel === "stdout" ? "stdout" : "stderr";
    // An event listener's stdout is its protocol channel: like supervisord's listener dispatcher it
    // only goes to the log file (the pool logs the debug line); no capture mode, events or syslog.
    const protocol = channel === "stdout" && this.opts.listener !== undefined;
    return new OutputChannel({
      processName: cfg.name,
      channel,
      logfile: path || null,
      maxbytes: cfg[`${prefix}_logfile_maxbytes`],
      backups: cfg[`${prefix}_logfile_backups`],
      captureMaxbytes: protocol ? 0 : cfg[`${prefix}_capture_maxbytes`],
      eventsEnabled: protocol ? false : cfg[`${prefix}_events_enabled`],
      syslog: protocol ? false : cfg[`${prefix}_syslog`],
      stripAnsi: this.ctx.options.strip_ansi,
      mainLog: protocol ? NO_DEBUG_LINES : this.ctx.logger,
      onError: (err) => this.ctx.logger.log("critical", `uncaptured error writing ${cfg.name} ${channel} log: ${err.message}`),
      onLog: (data) =>
        this.ctx.bus.emit({ kind: "PROCESS_LOG", process: { name: cfg.name, group: cfg.group }, channel, pid: this.process.pid, data }),
      onCommunication: (data) =>
        this.ctx.bus.emit({
          kind: "PROCESS_COMMUNICATION",
          process: { name: cfg.name, group: cfg.group },
          channel,
          pid: this.process.pid,
          data,
        }),
      onDrain: () => this.child?.resumeOutput(),
    });
  }

  /**
   * The child is gone and its pipes are drained. Like supervisord, whose reaper drains output into
   * the log before finish(), the exit is reported only once every byte is in the log file: whoever
   * sees `exited:` (or PROCESS_STATE_EXITED) can read the complete log.
   */
  private reaped(exit: ExitInfo): void {
    const { stdout, stderr } = this.channels;
    this.channels = { stdout: null, stderr: null };
    this.child = null;
    const finish = () => {
      this.process.finish({ code: exit.code, signal: exit.signal });
      this.opts.listener?.exited(this.config.name);
      // supervisord logs this when its loop handles the SIGCHLD, after the reap's lines. Our reaper
      // learns of the exit from the child's pidfd, but the debug log reads the same.
      this.ctx.logger.log("debug", "received SIGCHLD indicating a child quit");
    };
    // close() writes any held-back bytes at once; when nothing is left queued the output is
    // already in the file and the exit can be reported now (closing the fds finishes later).
    const closing = Promise.all([stdout?.close(), stderr?.close()]);
    if ((stdout?.pendingBytes ?? 0) === 0 && (stderr?.pendingBytes ?? 0) === 0) finish();
    else closing.then(finish, finish);
  }
}
