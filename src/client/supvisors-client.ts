/**
 * SupvisorsClient: a SupervisorClient that also speaks the `supvisors.*` API of Supvisors 0.19
 * (`client.supvisors.startApplication("CONFIG", "web")`) and subscribes to the instance's event
 * interface. The wire's snake_case names become camelCase (`start_application` ->
 * `startApplication`); parameters keep their order, optional ones the daemon's defaults.
 */
import { RpcDouble } from "../supervisord/rpc/codec.js";
import type { ConciliationStrategyParam, LoggerLevelParam, StartingStrategyParam } from "./constants.js";
import { defaultEventUrl, parseServerUrl } from "./endpoint.js";
import { SupvisorsEventStream, type EventStreamOptions } from "./events.js";
import { SupervisorClient, type Invoke } from "./supervisor-client.js";
import type {
  ApplicationInfo,
  ApplicationRules,
  DistributionPrediction,
  InnerProcessInfo,
  InstanceInfo,
  InstanceStateModes,
  LocalProcessInfo,
  MasterIdentifier,
  NetworkInfo,
  ProcessRules,
  StatisticsStatus,
  Strategies,
  SupvisorsProcessInfo,
  SupvisorsState,
} from "./supvisors-types.js";
import type { ClientOptions } from "./transport.js";

export class SupvisorsNamespace {
  constructor(private readonly invoke: Invoke) {}

  // ---- status ---------------------------------------------------------------------------------

  /** `"0.19"`. */
  getApiVersion(): Promise<string> {
    return this.invoke("supvisors.get_api_version", []);
  }
  /** The global state and modes, as this instance sees them. */
  getSupvisorsState(): Promise<SupvisorsState> {
    return this.invoke("supvisors.get_supvisors_state", []);
  }
  getAllInstancesStateModes(): Promise<InstanceStateModes[]> {
    return this.invoke("supvisors.get_all_instances_state_modes", []);
  }
  /** `identifier`: an identifier, a nick or a stereotype (hence a list). */
  getInstanceStateModes(identifier: string): Promise<InstanceStateModes[]> {
    return this.invoke("supvisors.get_instance_state_modes", [identifier]);
  }
  /** `{}` while no Master is elected. */
  getMasterIdentifier(): Promise<MasterIdentifier> {
    return this.invoke("supvisors.get_master_identifier", []);
  }
  getStrategies(): Promise<Strategies> {
    return this.invoke("supvisors.get_strategies", []);
  }
  getStatisticsStatus(): Promise<StatisticsStatus> {
    return this.invoke("supvisors.get_statistics_status", []);
  }
  getNetworkInfo(identifier: string): Promise<NetworkInfo> {
    return this.invoke("supvisors.get_network_info", [identifier]);
  }
  getAllInstancesInfo(): Promise<InstanceInfo[]> {
    return this.invoke("supvisors.get_all_instances_info", []);
  }
  getInstanceInfo(identifier: string): Promise<InstanceInfo[]> {
    return this.invoke("supvisors.get_instance_info", [identifier]);
  }
  getAllApplicationsInfo(): Promise<ApplicationInfo[]> {
    return this.invoke("supvisors.get_all_applications_info", []);
  }
  getApplicationInfo(applicationName: string): Promise<ApplicationInfo> {
    return this.invoke("supvisors.get_application_info", [applicationName]);
  }
  /** Narrow on `managed` for the placement rules. */
  getApplicationRules(applicationName: string): Promise<ApplicationRules> {
    return this.invoke("supvisors.get_application_rules", [applicationName]);
  }
  getAllProcessInfo(): Promise<SupvisorsProcessInfo[]> {
    return this.invoke("supvisors.get_all_process_info", []);
  }
  /** `namespec`: `group:name`, `group:*` or `name`. */
  getProcessInfo(namespec: string): Promise<SupvisorsProcessInfo[]> {
    return this.invoke("supvisors.get_process_info", [namespec]);
  }
  getAllLocalProcessInfo(): Promise<LocalProcessInfo[]> {
    return this.invoke("supvisors.get_all_local_process_info", []);
  }
  getLocalProcessInfo(namespec: string): Promise<LocalProcessInfo> {
    return this.invoke("supvisors.get_local_process_info", [namespec]);
  }
  /** Debug: the records this instance keeps of the processes of the matching instances. */
  getAllInnerProcessInfo(identifier: string): Promise<InnerProcessInfo[]> {
    return this.invoke("supvisors.get_all_inner_process_info", [identifier]);
  }
  getInnerProcessInfo(identifier: string, namespec: string): Promise<InnerProcessInfo[]> {
    return this.invoke("supvisors.get_inner_process_info", [identifier, namespec]);
  }
  getProcessRules(namespec: string): Promise<ProcessRules[]> {
    return this.invoke("supvisors.get_process_rules", [namespec]);
  }
  /** Processes of managed applications running on more than one instance. */
  getConflicts(): Promise<SupvisorsProcessInfo[]> {
    return this.invoke("supvisors.get_conflicts", []);
  }

  // ---- Supvisors control ----------------------------------------------------------------------

  changeLogLevel(levelParam: LoggerLevelParam): Promise<boolean> {
    return this.invoke("supvisors.change_log_level", [levelParam]);
  }
  /** CONCILIATION state only; false for USER (nothing done). */
  conciliate(strategy: ConciliationStrategyParam): Promise<boolean> {
    return this.invoke("supvisors.conciliate", [strategy]);
  }
  restartSequence(wait = true): Promise<boolean> {
    return this.invoke("supvisors.restart_sequence", [wait]);
  }
  /** Restarts every instance of the cluster after the global stop sequence. */
  restart(): Promise<boolean> {
    return this.invoke("supvisors.restart", []);
  }
  /** Shuts every instance of the cluster down after the global stop sequence. */
  shutdown(): Promise<boolean> {
    return this.invoke("supvisors.shutdown", []);
  }
  /** Ends SYNCHRONIZATION (synchro_options has USER), with this Master or, `""`, the elected one. */
  endSync(master = ""): Promise<boolean> {
    return this.invoke("supvisors.end_sync", [master]);
  }

  // ---- statistics control ---------------------------------------------------------------------

  enableHostStatistics(enableHost: boolean): Promise<boolean> {
    return this.invoke("supvisors.enable_host_statistics", [enableHost]);
  }
  enableProcessStatistics(enableProcess: boolean): Promise<boolean> {
    return this.invoke("supvisors.enable_process_statistics", [enableProcess]);
  }
  /** Seconds. Sent as an XML-RPC double even when integral, as Supvisors' Python clients send a float. */
  updateCollectingPeriod(collectingPeriod: number): Promise<boolean> {
    return this.invoke("supvisors.update_collecting_period", [new RpcDouble(collectingPeriod) as unknown as number]);
  }

  // ---- application control --------------------------------------------------------------------

  /** `wait` (default true): answer once the application is started (NOT_RUNNING if it is not RUNNING then). */
  startApplication(strategy: StartingStrategyParam, applicationName: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.start_application", [strategy, applicationName, wait]);
  }
  /** Where start_application would put each process; nothing is started. */
  testStartApplication(strategy: StartingStrategyParam, applicationName: string): Promise<DistributionPrediction[]> {
    return this.invoke("supvisors.test_start_application", [strategy, applicationName]);
  }
  stopApplication(applicationName: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.stop_application", [applicationName, wait]);
  }
  restartApplication(strategy: StartingStrategyParam, applicationName: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.restart_application", [strategy, applicationName, wait]);
  }

  // ---- process control ------------------------------------------------------------------------

  /** Starts the process on this very instance with `extra_args` added to its command. */
  startArgs(namespec: string, extraArgs: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.start_args", [namespec, extraArgs, wait]);
  }
  startProcess(strategy: StartingStrategyParam, namespec: string, extraArgs = "", wait = true): Promise<boolean> {
    return this.invoke("supvisors.start_process", [strategy, namespec, extraArgs, wait]);
  }
  testStartProcess(strategy: StartingStrategyParam, namespec: string): Promise<DistributionPrediction[]> {
    return this.invoke("supvisors.test_start_process", [strategy, namespec]);
  }
  /** Starts one stopped process whose namespec matches `regex`; answers its namespec. */
  startAnyProcess(strategy: StartingStrategyParam, regex: string, extraArgs = "", wait = true): Promise<string> {
    return this.invoke("supvisors.start_any_process", [strategy, regex, extraArgs, wait]);
  }
  stopProcess(namespec: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.stop_process", [namespec, wait]);
  }
  restartProcess(strategy: StartingStrategyParam, namespec: string, extraArgs = "", wait = true): Promise<boolean> {
    return this.invoke("supvisors.restart_process", [strategy, namespec, extraArgs, wait]);
  }
  /**
   * Ours: restarts the running processes of `target` (`app`, `app:*` or `app:program`) instance by
   * instance, `batchSize` instances at a time, each batch ready again before the next.
   */
  rollingRestart(target: string, batchSize = 1, wait = true): Promise<boolean> {
    return this.invoke("supvisors.rolling_restart", [target, batchSize, wait]);
  }
  /** On this instance only: call it on every instance that has the program. */
  updateNumprocs(programName: string, numprocs: number, wait = true, lazy = false): Promise<boolean> {
    return this.invoke("supvisors.update_numprocs", [programName, numprocs, wait, lazy]);
  }
  /** On this instance only (persisted). */
  enable(programName: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.enable", [programName, wait]);
  }
  /** On this instance only (persisted); its running processes are stopped. */
  disable(programName: string, wait = true): Promise<boolean> {
    return this.invoke("supvisors.disable", [programName, wait]);
  }
}

export interface SubscribeOptions extends EventStreamOptions {
  /** The event interface, `ws://host:port`; by default the server's host at `port`. */
  readonly url?: string;
  /** The instance's event_port (default: its HTTP port + 1, the daemon's default). */
  readonly port?: number;
}

export class SupvisorsClient extends SupervisorClient {
  readonly supvisors: SupvisorsNamespace;
  private readonly streams = new Set<SupvisorsEventStream>();

  constructor(url: string, options: ClientOptions = {}) {
    super(url, options);
    this.supvisors = new SupvisorsNamespace((method, params) => this.invoke(method, params));
  }

  /**
   * Subscribes to the instance's websocket event interface (event_link = WS). The stream
   * connects at once and reconnects by itself; close() it, or close the client.
   */
  subscribe(options: SubscribeOptions = {}): SupvisorsEventStream {
    const url = options.url ?? defaultEventUrl(parseServerUrl(this.url), options.port);
    // The client's TLS options serve its event stream too (wss://), unless the subscription gives its own.
    const stream = new SupvisorsEventStream(url, this.transport.tls && options.tls === undefined ? { ...options, tls: this.transport.tls } : options);
    this.streams.add(stream);
    stream.on("close", (info) => {
      if (!info.willReconnect) this.streams.delete(stream);
    });
    return stream;
  }

  /** Closes the connections and every event stream opened by subscribe(); resolves once they are gone. */
  override async close(): Promise<void> {
    const streams = [...this.streams];
    this.streams.clear();
    await Promise.all([super.close(), ...streams.map((s) => s.close())]);
  }
}
