/**
 * A process group: the processes of one [program:x] / [group:x] / [fcgi-program:x], or an
 * [eventlistener:x] pool with its listener processes. It creates the AUTO log files when it is
 * created (as supervisord does) and implements the group-wide parts of the lifecycle:
 * autostart, the shutdown stop_all, and disposal on removal. Supvisors' update_numprocs adds and
 * removes single processes (addProcess / removeProcess); the group's config follows, as Supvisors
 * appends to and removes from the group config's process_configs.
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
  private members: RuntimeProcess[];
  private groupConfig: GroupConfig;
  readonly pool: EventListenerPool | null = null;
  private readonly fcgi: FcgiSocket | null = null;
  private readonly listener: ListenerHooks | undefined;
  private readonly unsubscribe: (() => void) | null = null;

  /**
   * `onConfigChange`: told when addProcess / removeProcess replace the group's config object (the
   * daemon keeps its "last config" pointing at the same object, as supervisord's options do).
   */
  constructor(
    config: GroupConfig,
    private readonly ctx: RuntimeContext,
    serials: EventSerials,
    private readonly onConfigChange: (before: GroupConfig, after: GroupConfig) => void = () => {},
  ) {
    this.groupConfig = config;
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
      // A listener removed by a numprocs decrease may still be reaped afterwards: the pool no longer knows it.
      const known = (name: string) => pool.listenerState(name) !== undefined;
      listener = {
        spawned: (name) => known(name) && pool.listenerSpawned(name),
        stdout: (name, chunk) => known(name) && pool.listenerStdout(name, chunk),
        exited: (name) => known(name) && pool.listenerExited(name),
      };
    }
    this.listener = listener;
    if (config.kind === "fcgi") this.fcgi = new FcgiSocket(config.socket, (level, msg) => ctx.logger.log(level, msg));
    if (this.pool) {
      const pool = this.pool;
      this.unsubscribe = ctx.bus.subscribe((e) => {
        if (e.kind !== "PROCESS_STATE" || e.process.group !== config.name) return;
        if (e.to === "RUNNING" && pool.listenerState(e.process.name) !== undefined) pool.listenerBecameRunning(e.process.name);
      });
    }

    // supervisord compares processes by priority only; a stable sort keeps the config order of ties.
    const ordered = [...config.processes].sort((a, b) => a.priority - b.priority);
    this.members = ordered.map((pc) => this.makeProcess(pc));
    for (const rp of this.members) this.joinPool(rp);
  }

  /** In priority order (stable: config order, then order of addition). */
  get processes(): readonly RuntimeProcess[] {
    return this.members;
  }

  get config(): GroupConfig {
    return this.groupConfig;
  }

  /**
   * A process made from `pc` joins the group (its AUTO log files created now), after the processes
   * of the same or a lower priority, as supervisord orders a group's dict of processes. Its config is
   * appended to the group's (a new GroupConfig object). Nothing is started here.
   */
  addProcess(pc: ProcessConfig): RuntimeProcess {
    const rp = this.makeProcess(pc);
    let at = this.members.length;
    while (at > 0 && this.members[at - 1]!.config.priority > pc.priority) at--;
    this.members = [...this.members.slice(0, at), rp, ...this.members.slice(at)];
    this.setConfig({ ...this.groupConfig, processes: [...this.groupConfig.processes, pc] });
    this.joinPool(rp);
    return rp;
  }

  /** The process leaves the group (it should be stopped): no more timers, its config goes too. */
  removeProcess(name: string): boolean {
    const rp = this.members.find((p) => p.config.name === name);
    if (!rp) return false;
    rp.dispose();
    this.members = this.members.filter((p) => p !== rp);
    this.setConfig({ ...this.groupConfig, processes: this.groupConfig.processes.filter((pc) => pc !== rp.config) });
    if (this.pool && this.pool.listenerState(name) !== undefined) this.pool.removeListener(name);
    return true;
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

  private setConfig(after: GroupConfig): void {
    const before = this.groupConfig;
    this.groupConfig = after;
    this.onConfigChange(before, after);
  }

  private makeProcess(pc: ProcessConfig): RuntimeProcess {
    return new RuntimeProcess(pc, this.ctx, {
      stdoutLogfile: this.logPath(pc, "stdout", pc.stdout_logfile),
      stderrLogfile: pc.redirect_stderr ? "" : this.logPath(pc, "stderr", pc.stderr_logfile),
      listener: this.listener,
      fcgi: this.fcgi ?? undefined,
    });
  }

  private joinPool(rp: RuntimeProcess): void {
    this.pool?.addListener({ name: rp.config.name, isRunning: () => rp.state === "RUNNING", writeStdin: (d) => rp.writeStdinBytes(d) });
  }

  private logPath(pc: ProcessConfig, channel: "stdout" | "stderr", spec: LogFileSpec): string {
    if (spec.kind === "none") return "";
    if (spec.kind === "path") return spec.path;
    return createAutoLogFile(this.ctx.options.childlogdir, pc.name, channel, this.ctx.options.identifier);
  }
}
