/**
 * SupvisorsService: every rule of the `supvisors.*` status methods (spec §5.3 "Status",
 * change_log_level, end_sync), the one door the XML-RPC namespace, REST and the dashboard use.
 * It knows no wire format: it answers plain payload objects and refuses with ServiceFault
 * (BAD_NAME, BAD_SUPVISORS_STATE, INCORRECT_PARAMETERS, ...), with Supvisors' texts.
 *
 * It decides nothing about the cluster itself: the answers come from the ports below (the pure
 * ClusterCore, the cluster model, the rules), which the host keeps up to date.
 */
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { SUPVISORS_API_VERSION, SupvisorsInstanceStates, type SupvisorsStateName } from "../../protocol/supvisors.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import type { InstanceStatus, Strategies, EndSyncResult } from "../fsm/core-io.js";
import type { Identifier, InstanceIdentity, LocalProcessInfo, NetworkDescription, StateModes, SupvisorsOptions } from "../types.js";
import { checkState, Guards } from "./guards.js";
import { loggerLevelParam, LOGGER_LEVELS, type LoggerLevel, type ParamValue } from "./params.js";

/** A payload as the API answers it (plain data: strings, numbers, booleans, arrays, objects). */
export type Payload = { readonly [k: string]: unknown };

/** What the service reads of the cluster core (ClusterCore implements it). */
export interface ClusterView {
  readonly localIdentifier: Identifier;
  state(): SupvisorsStateName;
  masterIdentifier(): Identifier | "";
  localStateModes(): StateModes;
  instanceStateModes(id: Identifier): StateModes | undefined;
  instanceStatus(id: Identifier): InstanceStatus | undefined;
  strategies(): Strategies;
  endSync(master: string): EndSyncResult;
}

/** What the service reads of the cluster model (processes, applications). */
export interface ModelView {
  /** Application names in the model's order (get_all_applications_info order). */
  applicationNames(): readonly string[];
  applicationInfo(application: string): Payload | undefined;
  /** Process names of an application, in the model's order; undefined for an unknown application. */
  processNames(application: string): readonly string[] | undefined;
  processInfo(application: string, process: string): Payload | undefined;
  conflicts(): readonly Payload[];
  instanceLoading(id: Identifier): number;
  processFailure(id: Identifier): boolean;
  /** The per-instance records of one instance, or undefined when none was received (no handshake). */
  innerProcessInfos(id: Identifier): readonly Payload[] | undefined;
  innerProcessInfo(id: Identifier, application: string, process: string): Payload | undefined;
}

/** What the service reads of the rules: the payloads, without application/process names. */
export interface RulesView {
  applicationRulesPayload(application: string): Payload;
  processRulesPayload(application: string, process: string): Payload;
}

/** The local supervisord, through its own service (faults are supervisor's: BAD_NAME, SHUTDOWN_STATE). */
export interface LocalView {
  allLocalProcessInfo(): LocalProcessInfo[];
  localProcessInfo(namespec: string): LocalProcessInfo;
}

export interface SupvisorsServicePorts {
  readonly options: SupvisorsOptions;
  readonly cluster: ClusterView;
  readonly model: ModelView;
  readonly rules: RulesView;
  readonly local: LocalView;
  /** Network description of an instance: the local one's own, the others' from their handshake. */
  readonly network: (id: Identifier) => NetworkDescription | null;
  /** Whether statistics are collected now (no collector yet: both false). */
  readonly statistics: () => { readonly host: boolean; readonly process: boolean; readonly collectingPeriod: number };
  readonly setLogLevel: (level: LoggerLevel) => void;
  readonly log: (level: "error" | "warn" | "info" | "debug", text: string) => void;
}

export class SupvisorsService {
  private readonly byIdentifier: ReadonlyMap<Identifier, InstanceIdentity>;
  private readonly byNick: ReadonlyMap<string, Identifier>;
  private readonly sortedIds: readonly Identifier[];

  constructor(private readonly ports: SupvisorsServicePorts) {
    const list = ports.options.supvisorsList;
    this.byIdentifier = new Map(list.map((i) => [i.identifier, i]));
    this.byNick = new Map(list.map((i) => [i.nick, i.identifier]));
    this.sortedIds = list.map((i) => i.identifier).sort();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Raises like Supvisors' _raise: logs `RPCInterface.<func>: <message>` at error level first. */
  private fail(code: number, func: string, message: string): never {
    this.ports.log("error", `RPCInterface.${func}: ${message}`);
    throw new ServiceFault(code, message);
  }

  private guard(allowed: readonly SupvisorsStateName[]): void {
    try {
      checkState(this.ports.cluster.state(), allowed);
    } catch (err) {
      this.ports.log("error", `RPCInterface._check_state: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "")}`);
      throw err;
    }
  }

  /**
   * Identifiers, nicks and stereotypes to identifiers, in the given order, duplicates dropped
   * (Supvisors' mapper.filter). Stereotypes are known from each instance's handshake (ours from
   * the options).
   */
  filterIdentifiers(names: readonly string[]): Identifier[] {
    const out: Identifier[] = [];
    for (const name of names) {
      if (this.byIdentifier.has(name)) out.push(name);
      else if (this.byNick.has(name)) out.push(this.byNick.get(name)!);
      else out.push(...this.stereotypeMembers(name));
    }
    return [...new Set(out)];
  }

  private stereotypeMembers(stereotype: string): Identifier[] {
    const out: Identifier[] = [];
    for (const i of this.ports.options.supvisorsList) {
      const st = i.identifier === this.ports.cluster.localIdentifier ? this.ports.options.stereotypes : (this.ports.cluster.instanceStatus(i.identifier)?.stereotypes ?? []);
      if (st.includes(stereotype)) out.push(i.identifier);
    }
    return out;
  }

  private identifiersOf(name: string, func: string): Identifier[] {
    const ids = this.filterIdentifiers([name]);
    if (ids.length === 0) this.fail(Faults.BAD_NAME, func, `identifier=${name} is unknown to Supvisors`);
    return ids;
  }

  private application(name: string): string {
    if (this.ports.model.processNames(name) === undefined) this.fail(Faults.BAD_NAME, "_get_application", `application=${name} unknown to Supvisors`);
    return name;
  }

  /** `group:name`, `group:*` or `name` (= `name:name`): the application and the process (null = all). */
  private applicationProcess(namespec: string): { application: string; process: string | null } {
    const i = namespec.indexOf(":");
    const application = this.application(i < 0 ? namespec : namespec.slice(0, i));
    const rest = i < 0 ? namespec : namespec.slice(i + 1);
    if (rest === "*" || rest === "") return { application, process: null };
    if (!this.ports.model.processNames(application)!.includes(rest)) {
      this.fail(Faults.BAD_NAME, "_get_process", `process=${rest} unknown in application=${application}`);
    }
    return { application, process: rest };
  }

  // ---- status (G0) ----------------------------------------------------------------------------

  getApiVersion(): string {
    return SUPVISORS_API_VERSION;
  }

  /** The global form: the local view, with the identifiers having jobs in place of booleans. */
  getSupvisorsState(): Payload {
    const local = this.ports.cluster.localStateModes();
    const starting: Identifier[] = [];
    const stopping: Identifier[] = [];
    for (const id of this.sortedIds) {
      const sm = id === local.identifier ? local : this.ports.cluster.instanceStateModes(id);
      const state = this.ports.cluster.instanceStatus(id)?.state;
      if (!sm || (id !== local.identifier && state !== "RUNNING")) continue;
      if (sm.starting_jobs) starting.push(id);
      if (sm.stopping_jobs) stopping.push(id);
    }
    return { ...local, starting_jobs: starting, stopping_jobs: stopping };
  }

  getAllInstancesStateModes(): Payload[] {
    return this.sortedIds.map((id) => this.stateModesOf(id));
  }

  getInstanceStateModes(identifier: string): Payload[] {
    return this.identifiersOf(identifier, "get_instance_state_modes").map((id) => this.stateModesOf(id));
  }

  private stateModesOf(id: Identifier): Payload {
    return { ...this.ports.cluster.instanceStateModes(id)! };
  }

  getMasterIdentifier(): Payload {
    const master = this.ports.cluster.masterIdentifier();
    if (master === "") return {};
    return { identifier: master, nick_identifier: this.byIdentifier.get(master)?.nick ?? master };
  }

  getStrategies(): Payload {
    return { ...this.ports.cluster.strategies() };
  }

  getStatisticsStatus(): Payload {
    const s = this.ports.statistics();
    return { host_stats: s.host, process_stats: s.process, collecting_period: s.collectingPeriod };
  }

  getNetworkInfo(identifier: string): Payload {
    // Supvisors resolves nicks and stereotypes to accept the name, then looks the raw argument up
    // (spec §5.3 QUIRK: only a full identifier works). We answer for the resolved instance.
    const id = this.identifiersOf(identifier, "get_network_info")[0]!;
    const identity = this.byIdentifier.get(id)!;
    const stereotypes = id === this.ports.cluster.localIdentifier ? this.ports.options.stereotypes : (this.ports.cluster.instanceStatus(id)?.stereotypes ?? []);
    const payload: Record<string, unknown> = {
      identifier: identity.identifier,
      nick_identifier: identity.nick,
      host_id: identity.hostId,
      http_port: identity.httpPort,
      stereotypes: [...stereotypes],
    };
    const network = this.ports.network(id);
    if (network) payload.network = network;
    return payload;
  }

  getAllInstancesInfo(): Payload[] {
    return this.sortedIds.map((id) => this.instanceInfo(id));
  }

  getInstanceInfo(identifier: string): Payload[] {
    return this.identifiersOf(identifier, "get_instance_info").map((id) => this.instanceInfo(id));
  }

  /** InstanceInfo of one instance by identifier (the event interface's `instance` payload too). */
  instanceInfo(id: Identifier): Payload {
    const identity = this.byIdentifier.get(id)!;
    const s = this.ports.cluster.instanceStatus(id)!;
    return {
      identifier: identity.identifier,
      nick_identifier: identity.nick,
      node_name: identity.hostId,
      port: identity.httpPort,
      statecode: SupvisorsInstanceStates[s.state],
      statename: s.state,
      loading: this.ports.model.instanceLoading(id),
      process_failure: s.state === "RUNNING" && this.ports.model.processFailure(id),
      remote_sequence_counter: s.remote_sequence_counter,
      remote_time: s.remote_time,
      remote_mtime: s.remote_mtime,
      local_sequence_counter: s.local_sequence_counter,
      local_time: s.local_time,
      local_mtime: s.local_mtime,
    };
  }

  getAllLocalProcessInfo(): LocalProcessInfo[] {
    return this.ports.local.allLocalProcessInfo();
  }

  getLocalProcessInfo(namespec: string): LocalProcessInfo {
    return this.ports.local.localProcessInfo(namespec);
  }

  getAllInnerProcessInfo(identifier: string): Payload[] {
    const ids = this.identifiersOf(identifier, "get_inner_process_info");
    return ids.flatMap((id) => [...(this.ports.model.innerProcessInfos(id) ?? [])]);
  }

  getInnerProcessInfo(identifier: string, namespec: string): Payload[] {
    const ids = this.identifiersOf(identifier, "get_inner_process_info");
    const { application, process } = this.applicationProcess(namespec);
    const out: Payload[] = [];
    for (const id of ids) {
      if (process !== null) {
        const one = this.ports.model.innerProcessInfo(id, application, process);
        if (!one) this.fail(Faults.FAILED, "get_inner_process_info", `${namespec} unknown on ${identifier}`);
        out.push(one);
      } else {
        const records = this.ports.model.innerProcessInfos(id);
        if (!records) this.fail(Faults.FAILED, "get_inner_process_info", `${namespec} unknown on ${identifier}`);
        out.push(...records.filter((r) => r.group === application));
      }
    }
    return out;
  }

  // ---- status (G1) ----------------------------------------------------------------------------

  getAllApplicationsInfo(): Payload[] {
    this.guard(Guards.FROM_DISTRIBUTION);
    return this.ports.model.applicationNames().map((a) => this.ports.model.applicationInfo(a)!);
  }

  getApplicationInfo(applicationName: string): Payload {
    this.guard(Guards.FROM_DISTRIBUTION);
    return this.ports.model.applicationInfo(this.application(applicationName))!;
  }

  getApplicationRules(applicationName: string): Payload {
    this.guard(Guards.FROM_DISTRIBUTION);
    const app = this.application(applicationName);
    return { ...this.ports.rules.applicationRulesPayload(app), application_name: app };
  }

  getAllProcessInfo(): Payload[] {
    this.guard(Guards.FROM_DISTRIBUTION);
    const m = this.ports.model;
    return m.applicationNames().flatMap((a) => (m.processNames(a) ?? []).map((p) => m.processInfo(a, p)!));
  }

  getProcessInfo(namespec: string): Payload[] {
    this.guard(Guards.FROM_DISTRIBUTION);
    const { application, process } = this.applicationProcess(namespec);
    const names = process !== null ? [process] : this.ports.model.processNames(application)!;
    return names.map((p) => this.ports.model.processInfo(application, p)!);
  }

  getProcessRules(namespec: string): Payload[] {
    this.guard(Guards.FROM_DISTRIBUTION);
    const { application, process } = this.applicationProcess(namespec);
    const names = process !== null ? [process] : this.ports.model.processNames(application)!;
    return names.map((p) => ({ ...this.ports.rules.processRulesPayload(application, p), application_name: application, process_name: p }));
  }

  getConflicts(): Payload[] {
    this.guard(Guards.FROM_DISTRIBUTION);
    return [...this.ports.model.conflicts()];
  }

  // ---- control --------------------------------------------------------------------------------

  changeLogLevel(levelParam: ParamValue): boolean {
    let level: LoggerLevel;
    try {
      level = loggerLevelParam(levelParam);
    } catch (err) {
      this.ports.log("error", `RPCInterface._get_logger_level: ${(err as ServiceFault).message.replace(/^[A-Z_]+: /, "").replace(/ - .*$/, "")}`);
      throw err;
    }
    const code = { 50: "CRIT", 40: "ERRO", 30: "WARN", 20: "INFO", 10: "DEBG", 5: "TRAC", 3: "BLAT" }[LOGGER_LEVELS.find(([, d]) => d === level)![0]];
    this.ports.log("warn", `RPCInterface.change_log_level: ${code}`);
    this.ports.setLogLevel(level);
    return true;
  }

  endSync(master: string): boolean {
    this.guard(Guards.SYNCHRONIZATION);
    const cluster = this.ports.cluster;
    if (cluster.masterIdentifier() !== "") this.fail(SupvisorsFaultCodes.BAD_SUPVISORS_STATE, "end_sync", "Supvisors synchronization ending");
    if (!this.ports.options.synchroOptions.includes("USER")) this.fail(SupvisorsFaultCodes.NOT_APPLICABLE, "end_sync", "USER expected in synchro_options");
    let chosen = "";
    if (master) {
      const ids = this.filterIdentifiers([master]);
      if (ids.length === 0) this.fail(Faults.BAD_NAME, "end_sync", `unknown Supvisors identifier=${master}`);
      if (ids.length > 1) this.fail(Faults.INCORRECT_PARAMETERS, "end_sync", `multiple identifiers=[${ids.map((i) => `'${i}'`).join(", ")}] found for Supvisors master=${master}`);
      chosen = ids[0]!;
      const state = cluster.instanceStatus(chosen)!.state;
      if (state !== "RUNNING") this.fail(Faults.NOT_RUNNING, "end_sync", `Supvisors instance=${chosen} is not RUNNING (${state})`);
    }
    const r = cluster.endSync(chosen);
    if (!r.ok) {
      const code = r.fault === "BAD_NAME" ? Faults.BAD_NAME : r.fault === "NOT_RUNNING" ? Faults.NOT_RUNNING : SupvisorsFaultCodes[r.fault];
      this.fail(code, "end_sync", r.message);
    }
    return true;
  }
}
