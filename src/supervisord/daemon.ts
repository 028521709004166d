/**
 * The composition root: config -> logger -> groups -> servers -> signals, and the daemon's own
 * lifecycle (spec §4): start, shutdown (groups stopped one at a time, highest priority first) and
 * the in-process restart of SIGHUP / supervisor.restart().
 *
 * There is no main loop: processes act on their own exact deadlines and everything else reacts to
 * events. What supervisord does "once per loop iteration" happens here when its cause happens.
 */
import { realClock, type Clock } from "./clock.js";
import type { GroupConfig, ProcessConfig, SupervisorConfig } from "./config/types.js";
import { EventBus } from "./events/bus.js";
import { EventSerials } from "./events/serials.js";
import { TickEmitter } from "./events/ticks.js";
import { MainLogger } from "./logs/main-log.js";
import { cleanupAutoLogs } from "./logs/auto-logs.js";
import type { LogLevelName } from "./logs/levels.js";
import { defaultServerUrl } from "./process/child-env.js";
import { decodeExit } from "./process/exit-status.js";
import { commandLine, resolveExecutable } from "./process/executable.js";
import { reapUnknownChildren } from "./process/native-spawn.js";
import { ProcessGroup } from "./process/group.js";
import { NumprocsUpdater, type NumprocsResult } from "./process/numprocs.js";
import { ProgramSwitches } from "./process/program-switches.js";
import type { Process } from "./process/process.js";
import type { RuntimeContext } from "./process/runtime.js";
import type { SupervisorStateName } from "./process/states.js";
import { createRegistry } from "./rpc/system-namespace.js";
import type { RpcRegistry } from "./rpc/registry.js";
import { createSupervisorNamespace } from "./rpc/supervisor-namespace.js";
import { SupervisorService } from "./service/supervisor-service.js";
import type { ManagedProcess, SupervisorCore } from "./service/model.js";
import { realProber } from "./readiness/probes.js";
import { restartInPlace } from "./readiness/restart.js";
import { SlotTimers } from "./readiness/slot-timers.js";
import { PidFile } from "./daemon/pidfile.js";
import { raiseRlimits } from "./daemon/rlimits.js";
import { dropPrivileges } from "./daemon/privileges.js";
import { startHttpServers, type HttpServers } from "./daemon/servers.js";
import { registerWebRoutes } from "../web/index.js";
import { registerRestRoutes } from "../web/rest/daemon-routes.js";
import { DaemonMetrics } from "../web/metrics/index.js";
import { findSupvisorsSection } from "../supvisors/options/section.js";
import type { SupvisorsLayer, SupvisorsPrepared } from "../supvisors/boot.js";

/** A start-up failure supervisord reports as `Error: <message>` with exit status 2. */
export class StartupError extends Error {
  override readonly name = "StartupError";
  readonly code = "STARTUP";
}

/** The factory string that enables the supervisor.* namespace. */
const MAIN_RPC_FACTORY = "supervisor.rpcinterface:make_main_rpcinterface";
/** `waiting for ... to die` is logged at most this often during shutdown. */
const SHUTDOWN_REPORT_MS = 3000;
/** Spawns per event-loop turn when many processes autostart, so RPC stays responsive. */
const SPAWN_BATCH = 16;

export interface DaemonOptions {
  /** Reads the config file and applies the command-line overrides; throws ConfigError. */
  readonly load: () => SupervisorConfig;
  /** supervisord's environment at start (children inherit it). */
  readonly env: NodeJS.ProcessEnv;
  /** Called once the first start completed (servers bound); used by daemon mode. */
  readonly onStarted?: () => void;
  /** Called when running as a detached daemon, before the pidfile is written. */
  readonly daemonized?: boolean;
  readonly clock?: Clock;
}

export type ExitReason = "shutdown" | "restart";

export class Supervisord implements SupervisorCore {
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly pid = process.pid;
  readonly registry: RpcRegistry;
  readonly service: SupervisorService;
  /** GET /metrics: counts RPC calls and process starts/exits from the start, kept across restarts. */
  private readonly metrics: DaemonMetrics;
  /** Kept across restarts: event serial numbers continue (spec §4.4). */
  private readonly serials = new EventSerials();
  private moodValue: SupervisorStateName = "RUNNING";
  private config!: SupervisorConfig;
  private last!: SupervisorConfig;
  private readonly groupMap = new Map<string, ProcessGroup>();
  private logger!: MainLogger;
  private servers: HttpServers | null = null;
  private pidfile: PidFile | null = null;
  private ticks: TickEmitter | null = null;
  private stopRequest: ((r: ExitReason) => void) | null = null;
  private firstStart = true;
  /** INFO lines produced before the logger exists (raised rlimits), logged once it does. */
  private pendingInfos: string[] = [];
  /** The Supvisors layer, when the config has its [rpcinterface:x] section (loaded only then). */
  private supvisors: SupvisorsLayer | null = null;
  /**
   * Supvisors' disabled programs and autorestart overrides (empty without Supvisors). A change of the
   * disabled flag is announced (PROCESS_ENABLED / PROCESS_DISABLED) once the daemon runs: the flags
   * the layer sets while starting (its disabilities file) are the initial state, which Supvisors
   * reads with the config and never announces.
   */
  private readonly programs = new ProgramSwitches(
    (program) => this.processesOf(program),
    (p, disabled) => {
      if (this.announceSwitches) {
        this.bus.emit({ kind: "PROCESS", change: disabled ? "DISABLED" : "ENABLED", process: { name: p.name, group: p.groupName } });
      }
    },
  );
  private announceSwitches = false;
  /** Supvisors' update_numprocs (nothing calls it without Supvisors). */
  private readonly numprocs: NumprocsUpdater;
  /** Who acts on readiness_on_failure = fail (Supvisors' delegate); null = restart in place. */
  private readinessFailureHandler: ((p: ManagedProcess, reason: string) => boolean) | null = null;
  /** The coalesced timers of every readiness check. */
  private readonly readinessTimers: SlotTimers;
  /** The config each active group was made from: its program sections expand the new processes. */
  private readonly groupSources = new Map<string, SupervisorConfig>();

  constructor(private readonly opts: DaemonOptions) {
    this.clock = opts.clock ?? realClock;
    this.bus = new EventBus((err) => this.logger?.critical(`uncaptured exception in an event subscriber: ${(err as Error)?.stack ?? err}`));
    this.registry = createRegistry();
    this.service = new SupervisorService(this);
    this.readinessTimers = new SlotTimers(this.clock);
    this.metrics = new DaemonMetrics(this.bus, this.registry);
    this.numprocs = new NumprocsUpdater({
      bus: this.bus,
      groups: () => this.groups(),
      definition: (group, program) => (this.groupSources.get(group.name) ?? this.last).programs.get(program) ?? null,
      autostart: (group, added) => {
        const g = this.groupMap.get(group.name);
        if (!g) return;
        void g.ready.then(() => {
          for (const p of added) {
            if (this.moodValue !== "RUNNING" || this.groupMap.get(g.name) !== g) return;
            p.process.autostart();
          }
        });
      },
    });
  }

  /** Runs until shutdown; restarts in place on SIGHUP / restart(). Resolves with the exit status. */
  async run(initial: SupervisorConfig): Promise<number> {
    let config = initial;
    for (;;) {
      await this.start(config);
      const reason = await new Promise<ExitReason>((resolve) => (this.stopRequest = resolve));
      await this.stopEverything();
      await this.teardown();
      if (reason === "shutdown") return 0;
      // supervisord restarts as a new process would: the Supvisors layer re-reads its disabilities
      // file and rules and sets its switches again; numprocs are the config's again.
      this.programs.clear();
      this.numprocs.forget();
      try {
        config = this.opts.load();
      } catch (err) {
        process.stderr.write(`Error: ${(err as Error).message}\nFor help, use ${process.argv[1] ?? "supervisord"} -h\n`);
        return 2;
      }
      this.moodValue = "RUNNING";
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  private async start(config: SupervisorConfig): Promise<void> {
    this.config = config;
    this.last = config;
    this.announceSwitches = false;
    const o = config.supervisord;

    // The Supvisors options are checked before anything starts: a bad value stops start-up with
    // one message naming file:line, like the core's config errors. Without the section, nothing
    // of the layer is even loaded.
    let supvisorsPrepared: SupvisorsPrepared | null = null;
    const supvisorsSection = findSupvisorsSection(config);
    if (supvisorsSection) {
      const boot = await import("../supvisors/boot.js");
      try {
        supvisorsPrepared = await boot.prepareSupvisors(config, supvisorsSection, this.opts.env);
      } catch (err) {
        throw new StartupError(boot.describeStartupError(err));
      }
    }

    if (o.user) {
      const err = dropPrivileges(o.user);
      if (err) throw new StartupError(err);
    }
    if (this.firstStart) {
      const r = raiseRlimits({ minfds: o.minfds, minprocs: o.minprocs });
      if (!r.ok) throw new StartupError(r.message);
      this.pendingInfos = r.infos;
    }

    try {
      this.logger = new MainLogger({
        file: o.logfile,
        maxbytes: o.logfile_maxbytes,
        backups: o.logfile_backups,
        level: o.loglevel,
        echo: o.nodaemon && !o.silent,
        clock: this.clock,
        batch: true,
      });
    } catch (err) {
      throw new StartupError((err as Error).message);
    }
    if ((process.getuid?.() ?? 1) === 0 && !o.user) {
      this.logger.critical(
        "Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.  If you intend to run as root, you can set user=root in the config file to avoid this message.",
      );
    }
    if (o.user) this.logger.info(`Set uid to user ${o.user.uid} succeeded`);
    for (const level of ["critical", "warn", "info"] as const) {
      for (const m of config.messages) if (m.level === level) this.logger.log(level, m.text);
    }
    for (const text of this.pendingInfos) this.logger.info(text);
    this.pendingInfos = [];

    if (!o.nocleanup) cleanupAutoLogs(o.childlogdir, o.identifier, { warn: (m: string) => this.logger.warn(m) });

    for (const g of config.groups) this.createGroup(g, config);

    this.registry.removeNamespace("supervisor");
    const hasMain = config.rpcinterfaces.some((r) => r.factory === MAIN_RPC_FACTORY);
    if (hasMain) this.registry.addNamespace("supervisor", createSupervisorNamespace(this.service));
    if (supvisorsPrepared) {
      try {
        this.supvisors = await supvisorsPrepared.start({ core: this, registry: this.registry, mainLogger: this.logger });
      } catch (err) {
        this.disposeGroups();
        await this.logger.close();
        throw new StartupError((err as Error).message);
      }
    }
    try {
      this.servers = await startHttpServers({
        config,
        registry: this.registry,
        log: (level, message) => this.logger.log(level, message),
        service: this.service,
        logPathOf: (name, channel) => this.logPathOf(name, channel),
        mainLogPath: () => this.mainLogPath(),
        // With Supvisors, its dashboard replaces Supervisor's page (spec §11).
        addRoutes: (router, service, log) => {
          const supvisors = this.supvisors;
          this.metrics.addRoute(router, { supervisor: service, supvisors: supvisors && { service: supvisors.service, lastStatistics: () => supvisors.lastStatistics() } });
          registerRestRoutes(router, this.registry, log);
          if (this.supvisors) this.supvisors.addRoutes(router, service);
          else registerWebRoutes(router, service);
        },
        ...(this.supvisors ? { tailBacklogBytes: this.supvisors.tailfLimit } : {}),
      });
    } catch (err) {
      await this.supvisors?.close();
      this.supvisors = null;
      this.disposeGroups();
      await this.logger.close();
      throw new StartupError((err as Error).message);
    }

    // Beats only once the HTTP servers listen: a peer that hears our first TICK handshakes at once.
    this.supvisors?.run();

    if (this.firstStart) {
      this.installSignalHandlers();
      // Orphans re-parented to us (PID 1 in a container) are reaped and logged like supervisord's
      // waitpid(-1) does; needs the native spawner.
      reapUnknownChildren((pid, exit) => this.logger.info(`reaped unknown pid ${pid} (${decodeExit(exit).text})`));
    }
    if (this.opts.daemonized && this.firstStart) this.logger.info("daemonizing the supervisord process");
    this.pidfile = new PidFile(o.pidfile);
    if (this.pidfile.write(this.pid)) this.logger.info(`supervisord started with pid ${this.pid}`);
    else this.logger.critical(`could not write pidfile ${o.pidfile}`);

    if (this.firstStart) this.opts.onStarted?.();
    this.firstStart = false;

    this.announceSwitches = true;
    this.bus.emit({ kind: "SUPERVISOR_STATE_CHANGE", to: "RUNNING" });
    this.ticks = new TickEmitter(this.bus, this.clock);
    this.ticks.start();
    void this.autostartAll([...this.groupMap.values()]);
  }

  private createGroup(g: GroupConfig, source: SupervisorConfig): ProcessGroup {
    const group = new ProcessGroup(g, this.runtimeContext(), this.serials, (before, after) => this.groupConfigChanged(before, after));
    this.groupMap.set(g.name, group);
    this.groupSources.set(g.name, source);
    this.bus.emit({ kind: "PROCESS_GROUP", change: "ADDED", group: g.name });
    return group;
  }

  /**
   * A group's config object was replaced (numprocs changed): where the last config held the old
   * object it holds the new one, so getAllConfigInfo shows the processes as they are, exactly when
   * supervisord's would (the group was made from that config; after a reread it was not).
   */
  private groupConfigChanged(before: GroupConfig, after: GroupConfig): void {
    if (!this.last.groups.includes(before)) return;
    const last = this.last;
    this.last = { ...last, groups: last.groups.map((g) => (g === before ? after : g)) };
    if (this.config === last) this.config = this.last;
  }

  private runtimeContext(): RuntimeContext {
    const self = this;
    return {
      clock: this.clock,
      bus: this.bus,
      get logger() {
        return self.logger;
      },
      get options() {
        return self.config.supervisord;
      },
      daemonEnv: this.opts.env,
      mood: () => this.moodValue,
      programs: this.programs,
      defaultServerUrl: () => defaultServerUrl(this.config.servers),
      readiness: {
        probe: realProber,
        timers: this.readinessTimers,
        failed: (p, reason) => {
          if (this.readinessFailureHandler?.(p, reason)) return;
          restartInPlace(p, reason, { clock: this.clock, bus: this.bus, log: (l, m) => this.logger.log(l, m), mood: () => this.moodValue });
        },
      },
    };
  }

  private async autostartAll(groups: ProcessGroup[]): Promise<void> {
    let n = 0;
    for (const g of groups) {
      await g.ready;
      for (const p of g.processes) {
        if (this.moodValue !== "RUNNING" || !this.groupMap.has(g.name)) return;
        if (p.process.autostart() && ++n % SPAWN_BATCH === 0) await new Promise((r) => setImmediate(r));
      }
    }
  }

  private installSignalHandlers(): void {
    for (const sig of ["SIGTERM", "SIGINT", "SIGQUIT"] as const) {
      process.on(sig, () => {
        if (this.moodValue === "RUNNING") {
          this.logger.warn(`received ${sig} indicating exit request`);
          this.requestStop("shutdown");
        }
      });
    }
    process.on("SIGHUP", () => {
      if (this.moodValue === "SHUTDOWN") {
        this.logger.warn("ignored SIGHUP indicating restart request (shutdown in progress)");
        return;
      }
      if (this.moodValue === "RUNNING") {
        this.logger.warn("received SIGHUP indicating restart request");
        this.requestStop("restart");
      }
    });
    process.on("SIGUSR2", () => {
      this.logger.info("received SIGUSR2 indicating log reopen request");
      this.logger.info("supervisord logreopen");
      this.logger.reopen();
      for (const g of this.groupMap.values()) g.reopenLogs();
    });
    // Node would start its inspector on SIGUSR1 (an open debugger port); supervisord does not
    // handle it at all (the default action kills it, leaving children orphaned). We ignore it.
    process.on("SIGUSR1", () => this.logger.debug("received SIGUSR1, ignored"));
    process.on("SIGPIPE", () => {});
    // Like supervisord's "uncaptured python exception": an unexpected error is logged and the
    // daemon goes on supervising; dying here would orphan every child.
    process.on("uncaughtException", (err) => this.logger.critical(`uncaptured exception: ${err?.stack ?? err}`));
    process.on("unhandledRejection", (err) => this.logger.critical(`uncaptured rejection: ${(err as Error)?.stack ?? err}`));
  }

  // ---- stop ----------------------------------------------------------------------------------

  private requestStop(reason: ExitReason): void {
    if (this.moodValue !== "RUNNING") return;
    this.moodValue = reason === "shutdown" ? "SHUTDOWN" : "RESTARTING";
    const resolve = this.stopRequest;
    this.stopRequest = null;
    // Let the RPC that asked for it get its answer first.
    setImmediate(() => resolve?.(reason));
  }

  /** Groups are stopped one at a time, highest priority first; BACKOFF processes become FATAL. */
  private async stopEverything(): Promise<void> {
    this.bus.emit({ kind: "SUPERVISOR_STATE_CHANGE", to: "STOPPING" });
    this.ticks?.stop();
    for (const g of this.groupMap.values()) for (const p of g.processes) p.process.transition();
    const queue = [...this.groups()].reverse();
    let lastReport = 0;
    const report = () => {
      const names = [...this.groupMap.values()].flatMap((g) => g.unstopped().map((p) => p.config.name));
      const now = this.clock.now();
      if (names.length && now >= lastReport + SHUTDOWN_REPORT_MS) {
        this.logger.info(`waiting for ${names.join(", ")} to die`);
        lastReport = now;
      }
    };
    for (const g of queue) {
      g.stopAll();
      report();
      while (g.unstopped().length > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, SHUTDOWN_REPORT_MS);
          const off = this.bus.subscribe((e) => {
            if (e.kind === "PROCESS_STATE" && e.process.group === g.name) done();
          });
          function done() {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
        g.stopAll();
        report();
      }
    }
  }

  private disposeGroups(): void {
    for (const g of this.groupMap.values()) g.dispose();
    this.groupMap.clear();
    this.groupSources.clear();
  }

  private async teardown(): Promise<void> {
    await this.supvisors?.close();
    this.supvisors = null;
    this.readinessFailureHandler = null;
    this.disposeGroups();
    await this.servers?.close();
    this.servers = null;
    this.pidfile?.remove(this.pid);
    this.pidfile = null;
    await this.logger.close();
  }

  // ---- SupervisorCore ------------------------------------------------------------------------

  mood(): SupervisorStateName {
    return this.moodValue;
  }
  identification(): string {
    return this.config.supervisord.identifier;
  }
  groups(): readonly ProcessGroup[] {
    // By priority only, stably over activation order, as supervisord sorts its process groups: a group
    // added later comes after the active ones of the same priority.
    return [...this.groupMap.values()].sort((a, b) => a.config.priority - b.config.priority);
  }
  lastConfig(): SupervisorConfig {
    return this.last;
  }
  reread(): SupervisorConfig {
    this.last = this.opts.load();
    return this.last;
  }
  addGroup(config: GroupConfig): void {
    // The service adds groups of the last config (addProcessGroup, reloadConfig).
    const g = this.createGroup(config, this.last);
    void this.autostartAll([g]);
  }
  removeGroup(name: string): void {
    const g = this.groupMap.get(name);
    if (!g) return;
    g.dispose();
    this.groupMap.delete(name);
    this.groupSources.delete(name);
    this.bus.emit({ kind: "PROCESS_GROUP", change: "REMOVED", group: name });
  }
  shutdown(): void {
    this.requestStop("shutdown");
  }
  restart(): void {
    this.requestStop("restart");
  }
  mainLogPath(): string | null {
    const f = this.config.supervisord.logfile;
    return f === "syslog" ? null : f;
  }
  clearMainLog(): void {
    this.logger.clear();
  }
  log(level: LogLevelName, message: string): void {
    this.logger.log(level, message);
  }
  sameGroupConfig(a: GroupConfig, b: GroupConfig): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  checkExecutable(p: ProcessConfig, extraArgs = "") {
    const r = resolveExecutable(commandLine(p.command, extraArgs), p.environment, this.opts.env);
    return r.ok ? ({ ok: true } as const) : ({ ok: false, fault: r.fault, reason: r.reason } as const);
  }

  setProgramDisabled(program: string, disabled: boolean): void {
    this.programs.setDisabled(program, disabled);
  }
  isProgramDisabled(program: string): boolean {
    return this.programs.isDisabled(program);
  }
  setAutorestartDisabled(program: string, disabled: boolean): void {
    this.programs.setAutorestartDisabled(program, disabled);
  }
  setReadinessFailureHandler(handler: ((p: ManagedProcess, reason: string) => boolean) | null): void {
    this.readinessFailureHandler = handler;
  }
  updateNumprocs(program: string, numprocs: number, lazy: boolean): NumprocsResult {
    return this.numprocs.update(program, numprocs, lazy);
  }

  /** Every active process of a program (a program can be in several [group:x]), by group priority. */
  private processesOf(program: string): Process[] {
    return this.groups().flatMap((g) => g.processes.filter((p) => p.config.program_name === program).map((p) => p.process));
  }

  /** /logtail: the log path of a namespec's channel, or null. */
  private logPathOf(name: string, channel: "stdout" | "stderr"): string | null {
    const i = name.indexOf(":");
    const group = i < 0 ? name : name.slice(0, i);
    const proc = i < 0 ? name : name.slice(i + 1);
    const p = this.groupMap.get(group)?.processes.find((x) => x.config.name === proc);
    if (!p) return null;
    return (channel === "stdout" ? p.stdoutLogfile : p.stderrLogfile) || null;
  }
}


