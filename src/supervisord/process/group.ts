/**
 * A process group: the processes of one [program:x] / [group:x] / [fcgi-program:x], or an
 * [eventlistener:x] pool with its listener processes. It creates the AUTO log files when it is
 * created (as supervisord does) and implements the group-wide parts of the lifecycle:
 * autostart, the shutdown stop_all, and disposal on removal.
 */
import type { GroupConfig, LogFileSpec, ProcessConfig } from "../config/types.js";
import { EventListenerPool } from "../events/pool.js";
import type { EventSerials } from "../events/serials.js";
import { createAutoLogFile } from "../logs/auto-logs.js";
import type { ManagedGroup } from "../service/model.js";
import { FcgiSocket } from "./fcgi-socket.js";
import { RuntimeProcess, type ListenerHooks, type RuntimeContext } from "./runtime.js";
import { STOPPED_STATES } from "./states.js";

export class ProcessGroup implements ManagedGroup {
  readonly processes: readonly RuntimeProcess[];
  readonly pool: EventListenerPool | null = null;
  private readonly fcgi: FcgiSocket | null = null;
  private readonly unsubscribe: (() => void) | null = null;

  constructor(
    readonly config: GroupConfig,
    private readonly ctx: RuntimeContext,
    serials: EventSerials,
  ) {
    let listener: ListenerHooks | undefined;
    if (config.kind === "eventlistener") {
      const pool = new EventListenerPool({
        config,
        bus: ctx.bus,
        serials,
        identifier: ctx.options.identifier,
        log: (level, message) => ctx.logger.log(level, message),
      });
      this.pool = pool;
      listener = {
        spawned: (name) => pool.listenerSpawned(name),
        stdout: (name, chunk) => pool.listenerStdout(name, chunk),
        exited: (name) => pool.listenerExited(name),
      };
    }
    if (config.kind === "fcgi") this.fcgi = new FcgiSocket(config.socket, (level, msg) => ctx.logger.log(level, msg));
    const fcgi = this.fcgi;
    if (this.pool) {
      const pool = this.pool;
      this.unsubscribe = ctx.bus.subscribe((e) => {
        if (e.kind !== "PROCESS_STATE" || e.process.group !== config.name) return;
        if (pool && e.to === "RUNNING") pool.listenerBecameRunning(e.process.name);
      });
    }

    // supervisord compares processes by priority only; a stable sort keeps the config order of ties.
    const ordered = [...config.processes].sort((a, b) => a.priority - b.priority);
    this.processes = ordered.map((pc) => {
      const rp = new RuntimeProcess(pc, ctx, {
        stdoutLogfile: this.logPath(pc, "stdout", pc.stdout_logfile),
        stderrLogfile: pc.redirect_stderr ? "" : this.logPath(pc, "stderr", pc.stderr_logfile),
        listener,
        fcgi: fcgi ?? undefined,
      });
      return rp;
    });
    if (this.pool) {
      for (const rp of this.processes) {
        this.pool.addListener({ name: rp.config.name, isRunning: () => rp.state === "RUNNING", writeStdin: (d) => rp.writeStdinBytes(d) });
      }
    }
  }

  /** Resolves when the group can start processes (an fcgi group's socket is listening). */
  get ready(): Promise<void> {
    return this.fcgi?.ready ?? Promise.resolve();
  }

  get name(): string {
    return this.config.name;
  }

  /** The autostart rule for every process, in priority order. */
  autostart(): void {
    for (const p of this.processes) p.process.autostart();
  }

  /** Daemon shutdown: stop RUNNING/STARTING processes, BACKOFF ones become FATAL (descending priority). */
  stopAll(): void {
    for (const p of [...this.processes].reverse()) p.process.stopForShutdown();
  }

  unstopped(): RuntimeProcess[] {
    return this.processes.filter((p) => !STOPPED_STATES.has(p.state));
  }

  reopenLogs(): void {
    for (const p of this.processes) p.reopenLogs();
  }

  /** The group is removed (all processes stopped): timers, pool and socket go away. */
  dispose(): void {
    for (const p of this.processes) p.dispose();
    this.pool?.close();
    this.unsubscribe?.();
    this.fcgi?.close();
  }

  private logPath(pc: ProcessConfig, channel: "stdout" | "stderr", spec: LogFileSpec): string {
    if (spec.kind === "none") return "";
    if (spec.kind === "path") return spec.path;
    return createAutoLogFile(this.ctx.options.childlogdir, pc.name, channel, this.ctx.options.identifier);
  }
}
