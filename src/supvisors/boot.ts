/**
 * The Supvisors layer's composition root, loaded by the daemon only when the config has the
 * `[rpcinterface:x]` section with Supvisors' factory. Two steps, as the daemon needs them:
 * prepareSupvisors() reads and checks everything that can be wrong in the files (options, rules)
 * before anything starts; start() binds the internal transport, registers `supvisors.*` and starts
 * the heartbeat once the local supervisord is up.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadTlsMaterial } from "../supervisord/http/tls-material.js";
import type { RpcInterfaceConfig, SupervisorConfig } from "../supervisord/config/types.js";
import { ConfigError, describeConfigLocation } from "../supervisord/config/errors.js";
import { MainLogger } from "../supervisord/logs/main-log.js";
import type { LogLevelName } from "../supervisord/logs/levels.js";
import type { RpcRegistry } from "../supervisord/rpc/registry.js";
import type { SupervisorCore } from "../supervisord/service/model.js";
import { ServiceFault } from "../supervisord/service/fault.js";
import { Faults } from "../protocol/faults.js";
import { ClusterCore } from "./fsm/cluster-core.js";
import { localNetworkDescription } from "./cluster/network-info.js";
import { InternalBus } from "./cluster/internal-bus.js";
import { busCurveKeys } from "./cluster/curve-keys.js";
import { PeerCallers } from "./cluster/peer-callers.js";
import { ClusterModel } from "./context/cluster-model.js";
import { loadRules, type Rules } from "./rules/index.js";
import { readSupvisorsOptions } from "./options/read.js";
import { supvisorsReadContext } from "./options/context.js";
import { SupvisorsHost } from "./host/supvisors-host.js";
import { allLocalProcessInfo, findLocalProcess, type LocalExtras, localProcessInfo } from "./local/local-process-info.js";
import { monotonicMs } from "./local/monotonic.js";
import { LocalControl } from "./local/local-control.js";
import { loadDisabilities, saveDisabilities } from "./local/disabilities.js";
import { SupvisorsService, type Payload } from "./service/supvisors-service.js";
import { SupvisorsControl } from "./service/supvisors-control.js";
import { RollingRestartControl } from "./service/rolling-restart.js";
import type { RpcValue } from "../supervisord/rpc/values.js";
import { EventPublisher } from "./publish/event-publisher.js";
import type { EventTransport } from "./publish/transport.js";
import { WsTransport } from "./publish/ws-transport.js";
import { ZmqTransport } from "./publish/zmq-transport.js";
import { createSupvisorsNamespace } from "./rpc/namespace.js";
import { StatisticsControl } from "./service/supvisors-statistics.js";
import { createStatistics } from "./stats/setup.js";
import type { Statistics } from "./stats/statistics.js";
import type { HostStatsPayload, ProcessStatsPayload } from "./stats/types.js";
import type { Identifier, SupvisorsOptions } from "./types.js";
import { SUPVISORS_API_VERSION, type ConciliationStrategy } from "../protocol/supvisors.js";
import { EventsFanout } from "./publish/events-fanout.js";
import type { Router } from "../supervisord/http/router.js";
import type { SupervisorService } from "../supervisord/service/supervisor-service.js";
import { SUPERVISOR_VERSION } from "../supervisord/version.js";
import { createDashboard, type DashboardPort } from "../web/dashboard/index.js";

export interface SupvisorsLayer {
  readonly service: SupvisorsService;
  /** The dashboard's routes, in place of Supervisor's page (spec §11). */
  addRoutes(router: Router, supervisor: SupervisorService): void;
  /** What the streaming tails start with (tailf_limit). */
  readonly tailfLimit: number;
  /** The last hstats / pstats of every live series (the daemon's /metrics reads them). */
  lastStatistics(): { host: HostStatsPayload[]; process: ProcessStatsPayload[] };
  /** Starts beating and handshaking: called once the HTTP servers listen (peers call them at once). */
  run(): void;
  close(): Promise<void>;
}

export interface SupvisorsStartContext {
  readonly core: SupervisorCore;
  readonly registry: RpcRegistry;
  readonly mainLogger: MainLogger;
}

export interface SupvisorsPrepared {
  readonly options: SupvisorsOptions;
  readonly rules: Rules;
  /** Warnings of the options reader, logged once the logger exists. */
  readonly warnings: readonly string[];
  /** The disabilities_file's content (program -> disabled). */
  readonly disabilities: ReadonlyMap<string, boolean>;
  start(ctx: SupvisorsStartContext): Promise<SupvisorsLayer>;
}

/** One message for a start-up failure: the error's text and, for config errors, where. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) {
    const where = describeConfigLocation(err);
    return where ? `${err.message}\n${where}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export async function prepareSupvisors(config: SupervisorConfig, section: RpcInterfaceConfig, env: NodeJS.ProcessEnv): Promise<SupvisorsPrepared> {
  const warnings: string[] = [];
  const options = await readSupvisorsOptions(section, supvisorsReadContext(config, { env, warn: (w) => warnings.push(w) }));
  const rules = await loadRules(options.rulesFiles, { startingStrategy: options.startingStrategy, warn: (w) => warnings.push(w) });
  // A bad disabilities file stops start-up like a bad option (nothing started yet).
  const disabilities = await loadDisabilities(options.disabilitiesFile);
  const prepared: SupvisorsPrepared = { options, rules, warnings, disabilities, start: (ctx) => startSupvisors(prepared, config, ctx) };
  return prepared;
}

/** core_identifiers items (identifiers or nicks) as identifiers. */
function resolveCoreIdentifiers(options: SupvisorsOptions): Identifier[] {
  const out: Identifier[] = [];
  for (const item of options.coreIdentifiers) {
    const hit = options.supvisorsList.find((i) => i.identifier === item) ?? options.supvisorsList.find((i) => i.nick === item);
    out.push(hit ? hit.identifier : item);
  }
  return out;
}

async function startSupvisors(prepared: SupvisorsPrepared, config: SupervisorConfig, ctx: SupvisorsStartContext): Promise<SupvisorsLayer> {
  const { options, rules, warnings } = prepared;
  // With logfile=AUTO the layer writes to supervisord's main log; else to its own file at its own level.
  const own =
    options.logfile === null
      ? null
      : new MainLogger({ file: options.logfile, maxbytes: options.logfileMaxbytes, backups: options.logfileBackups, level: options.loglevel as LogLevelName, echo: false, batch: true });
  const logger = own ?? ctx.mainLogger;
  const log = (level: LogLevelName, text: string) => logger.log(level, text);
  for (const w of warnings) log("warn", `Supvisors: ${w}`);

  const local = options.supvisorsList[options.localIndex]!;
  const core = new ClusterCore({
    instances: options.supvisorsList,
    localIdentifier: local.identifier,
    options: {
      synchroOptions: options.synchroOptions,
      synchroTimeout: options.synchroTimeout,
      inactivityTicks: options.inactivityTicks,
      tickPeriod: options.tickPeriod,
      coreIdentifiers: resolveCoreIdentifiers(options),
      autoFence: options.autoFence,
      supvisorsFailureStrategy: options.supvisorsFailureStrategy,
      quorum: options.quorum,
      startingStrategy: options.startingStrategy,
      conciliationStrategy: options.conciliationStrategy,
      discoveryMode: options.multicastGroup !== null,
    },
    startMs: monotonicMs(),
    startWallMs: Date.now(),
  });
  const model = new ClusterModel({ instances: options.supvisorsList, localIdentifier: local.identifier, rules });
  const inet = config.servers.find((s) => s.kind === "inet");
  const auth = inet?.auth ?? null;
  // Ours: the websocket event interface serves the inet server's certificate (checked here first:
  // a bad file stops start-up with the same one line the HTTP server would give).
  const eventTls = options.eventLink === "WS" && inet?.kind === "inet" && inet.tls ? await loadTlsMaterial(inet.tls, inet.section) : undefined;

  // Drawn at each start: a new one from a known identifier is a restart, seen at once.
  const boot = randomBytes(8).toString("hex");
  // Ours: with HTTPS inet servers the internal bus is encrypted too (CURVE, keys from the internal key).
  const tlsCluster = inet?.kind === "inet" && inet.tls !== undefined;
  const curve = tlsCluster && options.internalKey !== null ? busCurveKeys(options.internalKey) : undefined;
  if (tlsCluster && !curve) log("warn", "Supvisors: the internal bus is not encrypted: no internal_key and no [inet_http_server] credentials to derive one from");
  const transport = new InternalBus({ local, instances: options.supvisorsList, key: options.internalKey, boot, ...(curve ? { curve } : {}) });
  await transport.start();
  if (curve) log("info", "Supvisors: internal bus encrypted with CURVE (keys derived from the internal key)");
  // Ours: HTTPS inet servers (certfile/keyfile) mean HTTPS peer calls, verified with tls_ca_file.
  const peerTls = tlsCluster ? { ...(options.tlsCaFile ? { ca: readFileSync(options.tlsCaFile) } : {}) } : null;
  const peers = new PeerCallers(options.supvisorsList, auth, Math.max(1000, options.tickPeriod * 1000 * options.inactivityTicks * 2), peerTls);

  const groups = () => ctx.core.groups();
  // The event interface (spec §7): on the inet server's host (all interfaces only if it binds them all).
  let service: SupvisorsService | null = null;
  const eventHost = inet === undefined ? "127.0.0.1" : inet.host || "0.0.0.0";
  let publisher: EventPublisher | null = null;
  // Built after the publisher, which sends its last figures to late subscribers.
  let statistics: Statistics | null = null;
  let eventTransport: EventTransport | null = null;
  if (options.eventLink !== "NONE") {
    const snapshot = () => publisher?.snapshot() ?? [];
    eventTransport = options.eventLink === "ZMQ" ? new ZmqTransport(eventHost, local.eventPort) : new WsTransport({ host: eventHost, port: local.eventPort, snapshot, log, ...(eventTls ? { tls: eventTls } : {}) });
    publisher = new EventPublisher(eventTransport, {
      supvisorsState: () => service!.getSupvisorsState(),
      instanceInfo: (id) => service!.instanceInfo(id),
      instances: options.supvisorsList.map((i) => i.identifier).sort(),
      model,
      nowMonotonic: () => monotonicMs() / 1000,
      lastStats: () => statistics?.lastPayloads() ?? { host: [], process: [] },
    });
    try {
      await eventTransport.start();
      log("info", `Supvisors: event interface (${options.eventLink}) on ${eventHost}:${local.eventPort}`);
    } catch (err) {
      log("error", `Supvisors: cannot start the ${options.eventLink} event interface on ${eventHost}:${local.eventPort}: ${(err as Error).message}`);
      eventTransport = null;
      publisher = null;
    }
  }
  // Disabled programs survive a restart (disabilities_file); they are set before supervisord autostarts.
  const disabilities = new Map(prepared.disabilities);
  for (const [program, disabled] of disabilities) if (disabled) ctx.core.setProgramDisabled(program, true);
  // STOP_APPLICATION / RESTART_APPLICATION programs: Supvisors restarts the application, not Supervisor (spec §3.3).
  const overrideAutorestart = (group: string) => {
    for (const p of groups().find((g) => g.config.name === group)?.processes ?? []) {
      const s = rules.processRules(p.config.group, p.config.name).runningFailureStrategy;
      if (s === "STOP_APPLICATION" || s === "RESTART_APPLICATION") ctx.core.setAutorestartDisabled(p.config.program_name, true);
    }
  };
  for (const g of groups()) overrideAutorestart(g.config.name);
  // ... and for groups added later (addProcessGroup, reloadConfig).
  const unsubscribeGroups = ctx.core.bus.subscribe((e) => {
    if (e.kind === "PROCESS_GROUP" && e.change === "ADDED") overrideAutorestart(e.group);
  });
  const localControl = new LocalControl(ctx.core, ctx.registry);
  const extras: LocalExtras = {
    extraArgs: (group, name) => localControl.extraArgs(group, name),
    disabled: (program) => ctx.core.isProgramDisabled(program),
  };
  // Every trigger goes to the event interface (when on) and to the dashboard's live feed.
  const fanout = new EventsFanout(publisher);
  // Statistics (spec §9): measured here, integrated for every instance, published as hstats/pstats.
  const statsRuntime = createStatistics({
    options,
    localIdentifier: local.identifier,
    publish: (msg) => transport.publish(msg),
    events: fanout,
    knownProcess: (id, namespec) => {
      const [group = "", name = ""] = namespec.split(":", 2);
      return model.processStatus(group, name)?.records.has(id) ?? false;
    },
    localProcesses: () => groups().flatMap((g) => g.processes.map((p) => [`${p.config.group}:${p.config.name}`, p.pid] as const)),
    subscribe: (cb) => ctx.core.bus.subscribe(cb),
    log,
  });
  const stats = statsRuntime.statistics;
  statistics = stats;
  const host = new SupvisorsHost({
    options,
    core,
    model,
    transport,
    peers,
    local: {
      groups,
      subscribe: (cb) => ctx.core.bus.subscribe(cb),
      restart: () => ctx.core.restart(),
      shutdown: () => ctx.core.shutdown(),
      startArgs: async (namespec, extraArgs) => {
        await localControl.startArgs(namespec, extraArgs, false);
      },
      stopProcess: async (namespec) => {
        await ctx.registry.invoke("supervisor.stopProcess", [namespec, false]);
      },
    },
    logger: { log },
    extras,
    events: fanout,
    stats,
    boot,
    localNetwork: await localNetworkDescription(),
  });

  // Ours: readiness_on_failure = fail applies the running failure strategy (the Commander); outside
  // of Supvisors' control (false) the core restarts the process in place as plain supervisord does.
  ctx.core.setReadinessFailureHandler((p, reason) => host.readinessFailure(p.config.group, p.config.name, reason));
  const checkNotShutdown = () => {
    if (ctx.core.mood() !== "RUNNING") throw new ServiceFault(Faults.SHUTDOWN_STATE);
  };
  service = new SupvisorsService({
    options,
    cluster: core,
    model,
    rules,
    local: {
      allLocalProcessInfo: () => {
        checkNotShutdown();
        return allLocalProcessInfo(groups(), Date.now(), monotonicMs(), extras);
      },
      localProcessInfo: (namespec) => {
        checkNotShutdown();
        const p = findLocalProcess(groups(), namespec);
        if (!p) throw new ServiceFault(Faults.BAD_NAME, namespec);
        return localProcessInfo(p, Date.now(), monotonicMs(), extras);
      },
    },
    network: (id) => host.networkOf(id),
    statistics: () => stats.status(),
    setLogLevel: (level) => logger.setLevel(level),
    log: (level, text) => log(level, text),
  });
  const control = new SupvisorsControl({
    state: () => core.state(),
    application: (name) => model.applicationStatus(name),
    applicationNames: () => model.applicationNames(),
    order: (f) => host.order(f),
    commander: host.commander,
    waitFor: (done) => host.waitFor(done),
    jobsAnywhere: () => {
      const s = service.getSupvisorsState() as { starting_jobs: unknown[]; stopping_jobs: unknown[] };
      return s.starting_jobs.length > 0 || s.stopping_jobs.length > 0;
    },
    closing: (what) => {
      const r = host.order(() => host.requestClosing(what, `supvisors.${what}`));
      return r.kind === "refused" ? r : { kind: "done" };
    },
    startArgs: (namespec, extraArgs, wait) => localControl.startArgs(namespec, extraArgs, wait),
    localKnows: (namespec) => findLocalProcess(groups(), namespec) !== undefined,
    localIdentifier: local.identifier,
    programProcesses: (program) => {
      const out = groups().flatMap((g) => g.processes.filter((p) => p.config.program_name === program).map((p) => `${p.config.group}:${p.config.name}`));
      return out.length ? out : null;
    },
    setProgramDisabled: async (program, disabled) => {
      ctx.core.setProgramDisabled(program, disabled);
      disabilities.set(program, disabled);
      host.disabilityChanged(program);
      log("info", `Supvisors: program ${program} ${disabled ? "disabled" : "enabled"}`);
      try {
        await saveDisabilities(options.disabilitiesFile, disabilities);
      } catch (err) {
        log("error", `Supvisors: cannot save the disabilities file: ${(err as Error).message}`);
      }
    },
    updateNumprocs: (program, numprocs, lazy) => ctx.core.updateNumprocs(program, numprocs, lazy),
    conciliationDefault: options.conciliationStrategy,
    log: (level, text) => log(level, text),
  });
  const statisticsControl = new StatisticsControl({
    installed: stats.installed,
    enableHost: (on) => stats.enableHost(on),
    enableProcess: (on) => stats.enableProcess(on),
    setCollectingPeriod: (s) => stats.setCollectingPeriod(s),
    log,
  });
  const rolling = new RollingRestartControl({
    state: () => core.state(),
    application: (name) => model.applicationStatus(name),
    order: options.supvisorsList.map((i) => i.identifier),
    // The local instance through its own registry (the same methods and faults a peer answers).
    call: (id, method, params, timeoutMs) =>
      id === local.identifier ? Promise.resolve().then(() => ctx.registry.invoke(method, params as RpcValue[])) : peers.call(id, method, params, timeoutMs),
    waitFor: (done, timeoutMs) => waitWithDeadline(host, done, timeoutMs),
    log: (level, text) => log(level, text),
  });
  ctx.registry.addNamespace("supvisors", createSupvisorsNamespace(service, control, statisticsControl, rolling));
  const dashboard = createDashboard(dashboardPort({ options, service, control, stats, host, registry: ctx.registry, fanout, model, secure: tlsCluster }));
  log("info", `Supvisors: instance ${local.nick} (${local.identifier}) starting, ${options.supvisorsList.length} instance(s), tick every ${options.tickPeriod} s`);

  let closed = false;
  return {
    service,
    addRoutes: (router, supervisor) => dashboard.addRoutes(router, supervisor),
    tailfLimit: options.tailfLimit,
    lastStatistics: () => stats.lastPayloads(),
    run() {
      if (closed) return;
      host.start();
      statsRuntime.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribeGroups();
      ctx.core.setReadinessFailureHandler(null);
      dashboard.close();
      ctx.registry.removeNamespace("supvisors");
      statsRuntime.close();
      await host.close();
      await eventTransport?.close();
      await own?.close();
    },
  };
}

/** host.waitFor with a deadline: true once `done()` holds, false when the time is up (the waiter then leaves). */
function waitWithDeadline(host: SupvisorsHost, done: () => boolean, timeoutMs: number): Promise<boolean> {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    // Any input checks the waiters; a tick comes within a period, but answer at the deadline itself.
    host.order(() => undefined);
  }, timeoutMs);
  return host.waitFor(() => expired || done()).then(
    () => {
      clearTimeout(timer);
      return done();
    },
    (err) => {
      clearTimeout(timer);
      throw err;
    },
  );
}

interface DashboardSources {
  readonly options: SupvisorsOptions;
  readonly service: SupvisorsService;
  readonly control: SupvisorsControl;
  readonly stats: Statistics;
  readonly host: SupvisorsHost;
  readonly registry: RpcRegistry;
  readonly fanout: EventsFanout;
  readonly model: ClusterModel;
  /** The inet server speaks HTTPS (links to peers use https). */
  readonly secure?: boolean;
}

/** What the dashboard reads and calls (web/dashboard/port.ts), from the layer's pieces. */
function dashboardPort(s: DashboardSources): DashboardPort {
  const { options } = s;
  const instances = options.supvisorsList.map((i) => ({ identifier: i.identifier, nick: i.nick, hostId: i.hostId, httpPort: i.httpPort }));
  const svc = s.service;
  return {
    version: `${SUPVISORS_API_VERSION} (Supervisor ${SUPERVISOR_VERSION})`,
    local: instances[options.localIndex]!,
    instances,
    ...(s.secure ? { scheme: "https" as const } : {}),
    options: {
      softwareName: options.softwareName,
      softwareIcon: options.softwareIcon,
      cssFiles: options.cssFiles,
      statsPeriods: options.statsPeriods,
      startingStrategy: options.startingStrategy,
      tailLimit: options.tailLimit,
      tailfLimit: options.tailfLimit,
      discoveryMode: options.multicastGroup !== null,
      userSync: options.synchroOptions.includes("USER"),
    },
    reads: {
      getSupvisorsState: () => svc.getSupvisorsState(),
      getAllInstancesStateModes: () => svc.getAllInstancesStateModes(),
      getAllInstancesInfo: () => svc.getAllInstancesInfo(),
      getAllApplicationsInfo: () => svc.getAllApplicationsInfo(),
      getApplicationInfo: (name) => svc.getApplicationInfo(name),
      getApplicationRules: (name) => svc.getApplicationRules(name),
      getAllProcessInfo: () => svc.getAllProcessInfo(),
      getAllLocalProcessInfo: () => svc.getAllLocalProcessInfo() as unknown as Payload[],
      getAllInnerProcessInfo: (id) => svc.getAllInnerProcessInfo(id),
      getProcessRules: (namespec) => svc.getProcessRules(namespec),
      getConflicts: () => svc.getConflicts(),
      getStatisticsStatus: () => svc.getStatisticsStatus(),
      forcedReasons: () => {
        const out = new Map<string, string>();
        for (const a of s.model.applicationNames()) {
          for (const n of s.model.processNames(a) ?? []) {
            const p = s.model.processStatus(a, n);
            if (p && p.forcedState !== null && p.forcedReason) out.set(p.namespec, p.forcedReason);
          }
        }
        return out;
      },
    },
    orders: {
      conciliateProcess: (strategy, namespec) => s.control.conciliateProcess(strategy as ConciliationStrategy, namespec),
      stopProcessOn: (namespec, id) => s.control.stopProcessOn(namespec, id),
      keepProcessOn: (namespec, id) => s.control.keepProcessOn(namespec, id),
    },
    call: (method, params) => s.registry.invoke(method, params),
    hostHistory: (id, period) => s.stats.compiler.hostHistory(id, period),
    // Solaris mode (stats_irix_mode = false, the default): process CPU over the instance's cores.
    processHistory: (id, namespec, period) => s.stats.compiler.processHistory(id, namespec, period, options.statsIrixMode ? 1 : s.stats.compiler.nbCores(id)),
    network: (id) => s.host.networkOf(id),
    onChange: (cb) => s.fanout.onChange(cb),
  };
}
