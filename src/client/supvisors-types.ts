/**
 * What the `supvisors.*` methods answer and the event interface publishes (Supvisors 0.19, spec
 * supvisors.md §5.2 and §7.3), key for key as the daemon sends them. Times named `*_monotonic`
 * and `*_mtime` are seconds of the producing instance's monotonic clock; `now`, `start`, `stop`,
 * `*_time` are epoch seconds. Types only: results are not validated at run time.
 */
import type {
  ApplicationStateName,
  ConciliationStrategy,
  DistributionRule,
  ProcessStateCode,
  ProcessStateName,
  RunningFailureStrategy,
  StartingFailureStrategy,
  StartingStrategy,
  SupvisorsFailureStrategy,
  SupvisorsInstanceStateName,
  SupvisorsStateName,
} from "./constants.js";

/** `host_id:http_port`, an instance's identifier in 0.19. */
export type Identifier = string;

interface StateModesBase {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly now_monotonic: number;
  readonly fsm_statecode: number;
  readonly fsm_statename: SupvisorsStateName;
  readonly degraded_mode: boolean;
  readonly discovery_mode: boolean;
  /** `""` while no Master is elected. */
  readonly master_identifier: Identifier | "";
  /** Every instance's state as the producer sees it. */
  readonly instance_states: Readonly<Record<Identifier, SupvisorsInstanceStateName>>;
}

/** get_supvisors_state and the `supvisors` event: the global form, with the instances having jobs. */
export interface SupvisorsState extends StateModesBase {
  readonly starting_jobs: Identifier[];
  readonly stopping_jobs: Identifier[];
}

/** get_all_instances_state_modes / get_instance_state_modes: what one instance last published of itself. */
export interface InstanceStateModes extends StateModesBase {
  readonly starting_jobs: boolean;
  readonly stopping_jobs: boolean;
}

/** get_master_identifier: empty while no Master is elected. */
export type MasterIdentifier = { readonly identifier: Identifier; readonly nick_identifier: string } | Record<string, never>;

/** get_strategies. */
export interface Strategies {
  readonly "auto-fencing": boolean;
  readonly starting: StartingStrategy;
  readonly conciliation: ConciliationStrategy;
  readonly supvisors_failure: SupvisorsFailureStrategy;
}

/** get_statistics_status. */
export interface StatisticsStatus {
  readonly host_stats: boolean;
  readonly process_stats: boolean;
  /** Seconds. */
  readonly collecting_period: number;
}

export interface NicInfo {
  readonly host_name: string;
  readonly aliases: string[];
  readonly ipv4_addresses: string[];
  readonly nic_info: { readonly nic_name: string; readonly ipv4_address: string; readonly netmask: string };
}

/** get_network_info. `network` is absent until the instance's handshake told it. */
export interface NetworkInfo {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly host_id: string;
  readonly http_port: number;
  readonly stereotypes: string[];
  readonly network?: {
    readonly machine_id: string;
    readonly fqdn: string;
    /** By interface name, loopback excluded. */
    readonly addresses: Readonly<Record<string, NicInfo>>;
  };
}

/** get_all_instances_info / get_instance_info and the `instance` event. */
export interface InstanceInfo {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  /** The configured host of the instance. */
  readonly node_name: string;
  /** Its HTTP port. */
  readonly port: number;
  readonly statecode: number;
  readonly statename: SupvisorsInstanceStateName;
  /** Sum of the expected_loading of the processes running there. */
  readonly loading: number;
  /** RUNNING with at least one crashed process (FATAL or unexpected EXITED). */
  readonly process_failure: boolean;
  readonly remote_sequence_counter: number;
  readonly remote_mtime: number;
  readonly remote_time: number;
  readonly local_sequence_counter: number;
  readonly local_mtime: number;
  readonly local_time: number;
}

/** get_all_applications_info / get_application_info and the `application` event. */
export interface ApplicationInfo {
  readonly application_name: string;
  readonly managed: boolean;
  readonly now_monotonic: number;
  readonly statecode: number;
  /** DELETED only in an `application` event, when its last process went. */
  readonly statename: ApplicationStateName;
  readonly major_failure: boolean;
  readonly minor_failure: boolean;
}

/** get_application_rules of an application no rules file manages. */
export interface UnmanagedApplicationRules {
  readonly application_name: string;
  readonly managed: false;
}

/** get_application_rules of a managed application. */
export interface ManagedApplicationRules {
  readonly application_name: string;
  readonly managed: true;
  readonly distribution: DistributionRule;
  /** As written in the rules (aliases expanded): may hold `*` and `#`. */
  readonly identifiers: string[];
  readonly start_sequence: number;
  readonly stop_sequence: number;
  readonly starting_strategy: StartingStrategy;
  readonly starting_failure_strategy: StartingFailureStrategy;
  readonly running_failure_strategy: RunningFailureStrategy;
  /** The operational_status formula, `""` when none. */
  readonly status_formula: string;
}

/** Narrow with `rules.managed`. */
export type ApplicationRules = UnmanagedApplicationRules | ManagedApplicationRules;

/** Ours: a process's readiness where its program has a readiness_check (none is never sent). */
export type ReadinessName = "off" | "pending" | "ready" | "unready";

/** get_all_process_info / get_process_info / get_conflicts and the `process` event: the view over all instances. */
export interface SupvisorsProcessInfo {
  readonly application_name: string;
  readonly process_name: string;
  readonly now_monotonic: number;
  /** The displayed state; -1 (statename DELETED) in a `process` event announcing its removal. */
  readonly statecode: ProcessStateCode | -1;
  readonly statename: ProcessStateName | "DELETED";
  readonly expected_exit: boolean;
  /** Local monotonic time of the last event about it, from any instance. */
  readonly last_event_mtime: number;
  /** Where it runs (more than one: a conflict), in the supvisors_list order. */
  readonly identifiers: Identifier[];
  readonly extra_args: string;
  /** Ours: identifier -> readiness of the instances where its program has a readiness_check (absent when none has). */
  readonly readiness?: Readonly<Record<Identifier, ReadinessName>>;
}

/** get_all_local_process_info / get_local_process_info: a process of the local supervisord. */
export interface LocalProcessInfo {
  readonly group: string;
  readonly name: string;
  readonly state: ProcessStateCode;
  readonly statename: ProcessStateName;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly pid: number;
  readonly description: string;
  readonly spawnerr: string;
  /** `spawnerr` is empty. */
  readonly expected: boolean;
  readonly start_monotonic: number;
  readonly stop_monotonic: number;
  readonly now_monotonic: number;
  readonly extra_args: string;
  readonly startsecs: number;
  readonly stopwaitsecs: number;
  readonly process_index: number;
  readonly program_name: string;
  readonly disabled: boolean;
  /** A stdout log file is configured (and is not syslog). */
  readonly has_stdout: boolean;
  readonly has_stderr: boolean;
  /** Ours: its readiness, for a program with a readiness_check only. */
  readonly readiness?: ReadinessName;
}

/** get_all_inner_process_info / get_inner_process_info (debug): the record one instance keeps of a process of another. */
export interface InnerProcessInfo extends LocalProcessInfo {
  /** The instance the record is about. */
  readonly identifier: Identifier;
  readonly nick_identifier?: string;
  /** Local monotonic time of reception. */
  readonly local_mtime: number;
  /** The owner's monotonic time of the last event. */
  readonly event_time: number;
  /** Seconds, 0 when not running. */
  readonly uptime: number;
  readonly has_crashed: boolean;
}

/** get_process_rules. */
export interface ProcessRules {
  readonly application_name: string;
  readonly process_name: string;
  /** Empty while a `#` or `@` rule is not resolved yet. */
  readonly identifiers: string[];
  readonly start_sequence: number;
  readonly stop_sequence: number;
  readonly required: boolean;
  readonly wait_exit: boolean;
  readonly expected_loading: number;
  readonly starting_failure_strategy: StartingFailureStrategy;
  readonly running_failure_strategy: RunningFailureStrategy;
}

/** test_start_application / test_start_process: where a start would put each process. */
export interface DistributionPrediction {
  readonly application_name: string;
  readonly process_name: string;
  /** The predicted state: RUNNING, EXITED (wait_exit), FATAL (no instance could take it)... */
  readonly state: ProcessStateName;
  /** `No resource available` for a FATAL prediction, else `""`. */
  readonly forced_reason: string;
  readonly running_identifiers: Identifier[];
}
