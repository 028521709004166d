/**
 * The data the Supvisors layer's modules exchange: the typed options, the instance identities,
 * the payload shapes of the `supvisors.*` API (0.19 key names, spec §5.2) and the internal
 * messages between instances. Types only: every module of src/supvisors/ may import this file,
 * and it imports nothing but src/protocol/ and the statistics sample types (types only too).
 */
import type {
  ConciliationStrategy,
  DistributionRule,
  EventLink,
  RunningFailureStrategy,
  StartingFailureStrategy,
  StartingStrategy,
  SupvisorsFailureStrategy,
  SupvisorsInstanceStateName,
  SupvisorsStateName,
  SynchronizationOption,
} from "../protocol/supvisors.js";
import type { ReadinessState } from "../protocol/supervisor.js";
import type { HostSample, ProcessSample } from "./stats/types.js";

/** `host_id:http_port`, the canonical instance id of 0.19. */
export type Identifier = string;

/** One item of `supvisors_list`, resolved (spec §2.3). */
export interface InstanceIdentity {
  readonly identifier: Identifier;
  readonly nick: string;
  /** The host exactly as written in the item (or the local host name when the list is empty). */
  readonly hostId: string;
  readonly httpPort: number;
  /**
   * Our internal PUB port (heartbeats, events between instances): the third field of a 0.11-0.17
   * item, else the `internal_port` option, else http_port + 3 (cluster/identification.ts).
   */
  readonly internalPort: number;
  /** The external event interface port (event_port option or http_port + 1). */
  readonly eventPort: number;
  /** First IPv4 address the host resolves to. */
  readonly ipAddress: string;
}

/** The typed `[rpcinterface:supvisors]` options (spec §2.2, plus ours, marked). */
export interface SupvisorsOptions {
  readonly supvisorsList: readonly InstanceIdentity[];
  /** Index of the local instance in supvisorsList. */
  readonly localIndex: number;
  readonly softwareName: string;
  readonly softwareIcon: string | null;
  /** Discovery mode (0.17+) when set. */
  readonly multicastGroup: { readonly address: string; readonly port: number } | null;
  /** null = INADDR_ANY. */
  readonly multicastInterface: string | null;
  readonly multicastTtl: number;
  readonly stereotypes: readonly string[];
  readonly rulesFiles: readonly string[];
  readonly cssFiles: readonly string[];
  readonly autoFence: boolean;
  readonly eventLink: EventLink;
  readonly eventPort: number | null;
  readonly synchroOptions: readonly SynchronizationOption[];
  /** seconds */
  readonly synchroTimeout: number;
  readonly inactivityTicks: number;
  readonly coreIdentifiers: readonly string[];
  readonly disabilitiesFile: string | null;
  readonly startingStrategy: StartingStrategy;
  readonly conciliationStrategy: ConciliationStrategy;
  readonly supvisorsFailureStrategy: SupvisorsFailureStrategy;
  readonly statsEnabled: { readonly host: boolean; readonly process: boolean };
  readonly statsCollectingPeriod: number;
  readonly statsPeriods: readonly number[];
  readonly statsHisto: number;
  readonly statsIrixMode: boolean;
  readonly tailLimit: number;
  readonly tailfLimit: number;
  /** null = AUTO (the daemon's main log). */
  readonly logfile: string | null;
  readonly logfileMaxbytes: number;
  readonly logfileBackups: number;
  readonly loglevel: "critical" | "error" | "warn" | "info" | "debug" | "trace" | "blather";
  // ---- ours (documented in the README as extensions) ----
  /** Heartbeat period in seconds (ours; Supvisors' TICK is 5 s). `inactivity_ticks` counts these. */
  readonly tickPeriod: number;
  /** Split-brain protection: a side without a majority elects no master and acts on nothing. */
  readonly quorum: boolean;
  /** Key that signs internal messages; derived from the HTTP credentials when not given. */
  readonly internalKey: string | null;
  /** `tls_ca_file`: PEM CA verifying the peers' HTTPS servers (absent: the system CAs). */
  readonly tlsCaFile?: string;
}

/** StateModes, per-instance form (spec §5.2). */
export interface StateModes {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly now_monotonic: number;
  readonly fsm_statecode: number;
  readonly fsm_statename: SupvisorsStateName;
  readonly degraded_mode: boolean;
  readonly discovery_mode: boolean;
  readonly master_identifier: Identifier | "";
  readonly starting_jobs: boolean;
  readonly stopping_jobs: boolean;
  readonly instance_states: Readonly<Record<Identifier, SupvisorsInstanceStateName>>;
}

/** LocalProcessInfo (spec §5.2): one process of the local supervisord. */
export interface LocalProcessInfo {
  readonly group: string;
  readonly name: string;
  readonly state: number;
  readonly statename: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly pid: number;
  readonly description: string;
  readonly spawnerr: string;
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
  readonly has_stdout: boolean;
  readonly has_stderr: boolean;
  /** Ours: the readiness of a process whose program has a readiness_check (absent otherwise). */
  readonly readiness?: ReadinessState;
}

/** A process state change as instances share it (spec §8.2 PROCESS). */
export interface ProcessEvent {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly name: string;
  readonly group: string;
  readonly state: number;
  readonly now: number;
  readonly now_monotonic: number;
  readonly pid: number;
  readonly expected: boolean;
  readonly spawnerr: string;
  readonly extra_args: string;
  readonly disabled: boolean;
  /** A synthetic state published by a commanding instance (start/stop failure, no resource). */
  readonly forced?: boolean;
  /** Ours: the process's readiness at the event, for a program with a readiness_check (absent otherwise). */
  readonly readiness?: ReadinessState;
  /** Ours: the event is a readiness change alone (state unchanged); `readiness` is the new value. */
  readonly readiness_only?: boolean;
  /** Ours: why the readiness changed (with readiness_only). */
  readonly readiness_reason?: string;
}

/** The network description an instance gives of itself (NetworkInfo.network, spec §5.2). */
export interface NetworkDescription {
  readonly machine_id: string;
  readonly fqdn: string;
  readonly addresses: Readonly<Record<string, { host_name: string; aliases: string[]; ipv4_addresses: string[]; nic_info: { nic_name: string; ipv4_address: string; netmask: string } }>>;
}

/**
 * The messages instances publish to each other on the internal transport. `boot` is a random id
 * drawn at each daemon start: a new one from a known identifier is a restart, seen at once
 * (Supvisors only sees a counter going backwards).
 */
export type InternalMessage =
  | { readonly kind: "tick"; readonly boot: string; readonly sequence_counter: number; readonly when: number; readonly when_monotonic: number }
  | { readonly kind: "state"; readonly state: StateModes }
  | { readonly kind: "process"; readonly event: ProcessEvent }
  | { readonly kind: "process_added"; readonly info: LocalProcessInfo }
  | { readonly kind: "process_removed"; readonly name: string; readonly group: string }
  | { readonly kind: "process_disability"; readonly info: LocalProcessInfo }
  /**
   * Raw statistics samples of the sender (spec §9.1): every instance integrates every instance's.
   * `host_reset`: the sender stopped its host statistics, its host series are dropped everywhere.
   */
  | { readonly kind: "stats"; readonly host: HostSample | null; readonly processes: readonly ProcessSample[]; readonly host_reset: boolean };

/** Placement, sequencing and failure rules of one application (spec §3.2; ApplicationRules). */
export interface ApplicationRulesData {
  readonly managed: boolean;
  readonly distribution: DistributionRule;
  /** As written (aliases expanded); may contain `*` and `#`. */
  readonly identifiers: readonly string[];
  readonly startSequence: number;
  readonly stopSequence: number;
  readonly startingStrategy: StartingStrategy;
  readonly startingFailureStrategy: StartingFailureStrategy;
  readonly runningFailureStrategy: RunningFailureStrategy;
  /** The operational_status formula as written, "" when none. */
  readonly statusFormula: string;
}

/** Rules of one process (spec §3.3; ProcessRules). */
export interface ProcessRulesData {
  /** As written (aliases expanded); may contain `*`, `#`, `@`. */
  readonly identifiers: readonly string[];
  readonly hashSign: "none" | "#" | "@";
  readonly startSequence: number;
  readonly stopSequence: number;
  readonly required: boolean;
  readonly waitExit: boolean;
  readonly expectedLoading: number;
  readonly startingFailureStrategy: StartingFailureStrategy;
  readonly runningFailureStrategy: RunningFailureStrategy;
}

/**
 * What the cluster model asks of the rules (implemented by rules/, consumed by context/ and the
 * strategies): lookups by Supervisor group and process name, with defaults for unmatched names.
 */
export interface RulesLookup {
  /** The rules of a group; `managed` is false (and the rest defaults) when no `<application>` matches. */
  applicationRules(application: string): ApplicationRulesData;
  /** The rules of a process of a group (program rules by name, then best pattern, then defaults). */
  processRules(application: string, processName: string): ProcessRulesData;
  /**
   * Evaluates the application's operational_status formula over its processes' statuses
   * (true = running-like or expected exit, spec §3.8): null when the application has no formula,
   * "error" when it cannot be evaluated (a major failure).
   */
  evaluateStatus(application: string, statuses: ReadonlyMap<string, boolean>): boolean | "error" | null;
}
