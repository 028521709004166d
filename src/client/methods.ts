/**
 * Every XML-RPC method the daemon serves, by its wire name, with its positional parameters (as
 * a labelled tuple; `?` = optional, the daemon's default applies) and its result. The namespace
 * classes, `call()` and `multicall()` are typed from this one table.
 */
import type { ConciliationStrategyParam, LoggerLevelParam, StartingStrategyParam } from "./constants.js";
import type { FaultStruct } from "./errors.js";
import type { ConfigInfo, ProcessInfo, ProcessResult, ReloadConfigResult, SignalParam, SupervisorState, TailResult } from "./supervisor-types.js";
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

interface M<P extends readonly unknown[], R> {
  readonly params: P;
  readonly result: R;
}

/** `startProcess("g:*")` and the other group forms answer an array, a single process a boolean. */
type StartStopResult = boolean | ProcessResult[];

export interface SystemMethods {
  "system.listMethods": M<[], string[]>;
  "system.methodHelp": M<[name: string], string>;
  /** `[return type, parameter types...]` */
  "system.methodSignature": M<[name: string], string[]>;
  "system.multicall": M<[calls: readonly MulticallCall[]], (unknown | FaultStruct)[]>;
}

export interface SupervisorMethods {
  "supervisor.getAPIVersion": M<[], string>;
  "supervisor.getVersion": M<[], string>;
  "supervisor.getSupervisorVersion": M<[], string>;
  "supervisor.getIdentification": M<[], string>;
  "supervisor.getState": M<[], SupervisorState>;
  "supervisor.getPID": M<[], number>;
  "supervisor.readLog": M<[offset: number, length: number], string>;
  "supervisor.readMainLog": M<[offset: number, length: number], string>;
  "supervisor.clearLog": M<[], boolean>;
  "supervisor.shutdown": M<[], boolean>;
  "supervisor.restart": M<[], boolean>;
  "supervisor.reloadConfig": M<[], ReloadConfigResult>;
  "supervisor.addProcessGroup": M<[name: string], boolean>;
  "supervisor.removeProcessGroup": M<[name: string], boolean>;
  "supervisor.startProcess": M<[name: string, wait?: boolean], StartStopResult>;
  "supervisor.startProcessGroup": M<[name: string, wait?: boolean], ProcessResult[]>;
  "supervisor.startAllProcesses": M<[wait?: boolean], ProcessResult[]>;
  "supervisor.stopProcess": M<[name: string, wait?: boolean], StartStopResult>;
  "supervisor.stopProcessGroup": M<[name: string, wait?: boolean], ProcessResult[]>;
  "supervisor.stopAllProcesses": M<[wait?: boolean], ProcessResult[]>;
  "supervisor.signalProcess": M<[name: string, signal: SignalParam], StartStopResult>;
  "supervisor.signalProcessGroup": M<[name: string, signal: SignalParam], ProcessResult[]>;
  "supervisor.signalAllProcesses": M<[signal: SignalParam], ProcessResult[]>;
  "supervisor.getProcessInfo": M<[name: string], ProcessInfo>;
  "supervisor.getAllProcessInfo": M<[], ProcessInfo[]>;
  "supervisor.getAllConfigInfo": M<[], ConfigInfo[]>;
  "supervisor.readProcessStdoutLog": M<[name: string, offset: number, length: number], string>;
  "supervisor.readProcessLog": M<[name: string, offset: number, length: number], string>;
  "supervisor.readProcessStderrLog": M<[name: string, offset: number, length: number], string>;
  "supervisor.tailProcessStdoutLog": M<[name: string, offset: number, length: number], TailResult>;
  "supervisor.tailProcessLog": M<[name: string, offset: number, length: number], TailResult>;
  "supervisor.tailProcessStderrLog": M<[name: string, offset: number, length: number], TailResult>;
  "supervisor.clearProcessLogs": M<[name: string], boolean>;
  "supervisor.clearProcessLog": M<[name: string], boolean>;
  "supervisor.clearAllProcessLogs": M<[], ProcessResult[]>;
  "supervisor.sendProcessStdin": M<[name: string, chars: string], boolean>;
  "supervisor.sendRemoteCommEvent": M<[type: string, data: string], boolean>;
}

export interface SupvisorsMethods {
  "supvisors.get_api_version": M<[], string>;
  "supvisors.get_supvisors_state": M<[], SupvisorsState>;
  "supvisors.get_all_instances_state_modes": M<[], InstanceStateModes[]>;
  "supvisors.get_instance_state_modes": M<[identifier: string], InstanceStateModes[]>;
  "supvisors.get_master_identifier": M<[], MasterIdentifier>;
  "supvisors.get_strategies": M<[], Strategies>;
  "supvisors.get_statistics_status": M<[], StatisticsStatus>;
  "supvisors.get_network_info": M<[identifier: string], NetworkInfo>;
  "supvisors.get_all_instances_info": M<[], InstanceInfo[]>;
  "supvisors.get_instance_info": M<[identifier: string], InstanceInfo[]>;
  "supvisors.get_all_applications_info": M<[], ApplicationInfo[]>;
  "supvisors.get_application_info": M<[application_name: string], ApplicationInfo>;
  "supvisors.get_application_rules": M<[application_name: string], ApplicationRules>;
  "supvisors.get_all_process_info": M<[], SupvisorsProcessInfo[]>;
  "supvisors.get_process_info": M<[namespec: string], SupvisorsProcessInfo[]>;
  "supvisors.get_all_local_process_info": M<[], LocalProcessInfo[]>;
  "supvisors.get_local_process_info": M<[namespec: string], LocalProcessInfo>;
  "supvisors.get_all_inner_process_info": M<[identifier: string], InnerProcessInfo[]>;
  "supvisors.get_inner_process_info": M<[identifier: string, namespec: string], InnerProcessInfo[]>;
  "supvisors.get_process_rules": M<[namespec: string], ProcessRules[]>;
  "supvisors.get_conflicts": M<[], SupvisorsProcessInfo[]>;
  "supvisors.change_log_level": M<[level_param: LoggerLevelParam], boolean>;
  "supvisors.conciliate": M<[strategy: ConciliationStrategyParam], boolean>;
  "supvisors.restart_sequence": M<[wait?: boolean], boolean>;
  "supvisors.restart": M<[], boolean>;
  "supvisors.shutdown": M<[], boolean>;
  "supvisors.end_sync": M<[master?: string], boolean>;
  "supvisors.enable_host_statistics": M<[enable_host: boolean], boolean>;
  "supvisors.enable_process_statistics": M<[enable_process: boolean], boolean>;
  "supvisors.update_collecting_period": M<[collecting_period: number], boolean>;
  "supvisors.start_application": M<[strategy: StartingStrategyParam, application_name: string, wait?: boolean], boolean>;
  "supvisors.test_start_application": M<[strategy: StartingStrategyParam, application_name: string], DistributionPrediction[]>;
  "supvisors.stop_application": M<[application_name: string, wait?: boolean], boolean>;
  "supvisors.restart_application": M<[strategy: StartingStrategyParam, application_name: string, wait?: boolean], boolean>;
  "supvisors.start_args": M<[namespec: string, extra_args: string, wait?: boolean], boolean>;
  "supvisors.start_process": M<[strategy: StartingStrategyParam, namespec: string, extra_args?: string, wait?: boolean], boolean>;
  "supvisors.test_start_process": M<[strategy: StartingStrategyParam, namespec: string], DistributionPrediction[]>;
  "supvisors.start_any_process": M<[strategy: StartingStrategyParam, regex: string, extra_args?: string, wait?: boolean], string>;
  "supvisors.stop_process": M<[namespec: string, wait?: boolean], boolean>;
  "supvisors.restart_process": M<[strategy: StartingStrategyParam, namespec: string, extra_args?: string, wait?: boolean], boolean>;
  "supvisors.rolling_restart": M<[target: string, batch_size?: number, wait?: boolean], boolean>;
  "supvisors.update_numprocs": M<[program_name: string, numprocs: number, wait?: boolean, lazy?: boolean], boolean>;
  "supvisors.enable": M<[program_name: string, wait?: boolean], boolean>;
  "supvisors.disable": M<[program_name: string, wait?: boolean], boolean>;
}

/** Every method of a Supvisors instance (a plain supervisord serves the first two tables). */
export interface MethodMap extends SystemMethods, SupervisorMethods, SupvisorsMethods {}
export type MethodName = keyof MethodMap;
export type ParamsOf<N extends MethodName> = MethodMap[N]["params"];
export type ResultOf<N extends MethodName> = MethodMap[N]["result"];

/** One element of a multicall: `params` may be left out when the method needs none. */
export type MulticallCall = {
  [N in Exclude<MethodName, "system.multicall">]: [] extends ParamsOf<N>
    ? { readonly methodName: N; readonly params?: ParamsOf<N> }
    : { readonly methodName: N; readonly params: ParamsOf<N> };
}[Exclude<MethodName, "system.multicall">];

/**
 * What a multicall answers, element by element: the method's result or, when that call failed,
 * a fault struct (test with isFaultStruct). supervisord gives the raw result, not the
 * one-element array of the usual multicall convention (spec supervisor.md §8.10).
 */
export type MulticallResults<T extends readonly MulticallCall[]> = {
  -readonly [K in keyof T]: T[K] extends { readonly methodName: infer N extends MethodName } ? ResultOf<N> | FaultStruct : never;
};
