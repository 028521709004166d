/**
 * One page's view of the cluster: each status answer read at most once per request (a page of
 * 1000 processes asks for the rules of each, not for the whole state 1000 times), typed by the
 * fields the pages show. A read the service refuses (the daemon is shutting down) is empty.
 */
import type { DashboardInstance, DashboardPort, Payload } from "./port.js";

export interface StateModes {
  readonly fsm_statename: string;
  readonly master_identifier: string;
  readonly starting_jobs: readonly string[];
  readonly stopping_jobs: readonly string[];
  readonly degraded_mode: boolean;
  readonly discovery_mode: boolean;
  readonly instance_states: Readonly<Record<string, string>>;
}

export interface InstanceModes {
  readonly identifier: string;
  readonly starting_jobs: boolean;
  readonly stopping_jobs: boolean;
}

export interface InstanceInfo {
  readonly identifier: string;
  readonly nick_identifier: string;
  readonly node_name: string;
  readonly port: number;
  readonly statename: string;
  readonly loading: number;
  readonly process_failure: boolean;
  readonly remote_time: number;
  readonly local_time: number;
}

export interface ApplicationInfo {
  readonly application_name: string;
  readonly managed: boolean;
  readonly statename: string;
  readonly major_failure: boolean;
  readonly minor_failure: boolean;
}

export interface ProcessInfo {
  readonly application_name: string;
  readonly process_name: string;
  readonly statename: string;
  readonly expected_exit: boolean;
  readonly identifiers: readonly string[];
  readonly extra_args: string;
  /** Ours: identifier -> readiness where its program has a readiness_check. */
  readonly readiness?: Readonly<Record<string, string>>;
}

export interface LocalProcessInfo {
  readonly group: string;
  readonly name: string;
  readonly statename: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly pid: number;
  readonly description: string;
  readonly expected: boolean;
  readonly disabled: boolean;
  readonly has_stdout: boolean;
  readonly has_stderr: boolean;
  /** Ours: its readiness where its program has a readiness_check. */
  readonly readiness?: string;
}

/** The per-instance record of a process (get_all_inner_process_info). */
export interface InnerProcessInfo extends LocalProcessInfo {
  readonly identifier: string;
  readonly uptime: number;
  readonly has_crashed: boolean;
}

export interface ProcessRules {
  readonly expected_loading: number;
  readonly identifiers: readonly string[];
}

export interface ApplicationRules {
  readonly managed: boolean;
  readonly starting_strategy?: string;
}

export const namespecOf = (group: string, name: string): string => `${group}:${name}`;

export class Snapshot {
  private cache = new Map<string, unknown>();

  constructor(readonly port: DashboardPort) {}

  private once<T>(key: string, read: () => T, fallback: T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    let v: T;
    try {
      v = read();
    } catch {
      v = fallback;
    }
    this.cache.set(key, v);
    return v;
  }

  get local(): DashboardInstance {
    return this.port.local;
  }

  instance(id: string): DashboardInstance | undefined {
    return this.port.instances.find((i) => i.identifier === id);
  }

  nick(id: string): string {
    return this.instance(id)?.nick ?? id;
  }

  state(): StateModes {
    const none: StateModes = { fsm_statename: "OFF", master_identifier: "", starting_jobs: [], stopping_jobs: [], degraded_mode: false, discovery_mode: false, instance_states: {} };
    return this.once("state", () => this.port.reads.getSupvisorsState() as unknown as StateModes, none);
  }

  instanceModes(): ReadonlyMap<string, InstanceModes> {
    return this.once("modes", () => new Map((this.port.reads.getAllInstancesStateModes() as unknown as InstanceModes[]).map((m) => [m.identifier, m])), new Map());
  }

  /** In configuration order (the order the API answers), or by nick in discovery mode. */
  instances(): readonly InstanceInfo[] {
    return this.once(
      "instances",
      () => {
        const all = this.port.reads.getAllInstancesInfo() as unknown as InstanceInfo[];
        const order = new Map(this.port.instances.map((i, n) => [i.identifier, n]));
        return this.port.options.discoveryMode
          ? [...all].sort((a, b) => a.nick_identifier.localeCompare(b.nick_identifier))
          : [...all].sort((a, b) => (order.get(a.identifier) ?? 0) - (order.get(b.identifier) ?? 0));
      },
      [],
    );
  }

  instanceInfo(id: string): InstanceInfo | undefined {
    return this.instances().find((i) => i.identifier === id);
  }

  /** Sorted by name. */
  applications(): readonly ApplicationInfo[] {
    return this.once(
      "applications",
      () => [...(this.port.reads.getAllApplicationsInfo() as unknown as ApplicationInfo[])].sort((a, b) => cmp(a.application_name, b.application_name)),
      [],
    );
  }

  application(name: string): ApplicationInfo | undefined {
    return this.applications().find((a) => a.application_name === name);
  }

  applicationRules(name: string): ApplicationRules {
    return this.once(`arules|${name}`, () => this.port.reads.getApplicationRules(name) as unknown as ApplicationRules, { managed: false });
  }

  /** The strategy a link to an application carries: its own when managed, else the default. */
  applicationStrategy(name: string): string {
    return this.applicationRules(name).starting_strategy ?? this.port.options.startingStrategy;
  }

  processes(): readonly ProcessInfo[] {
    return this.once("processes", () => this.port.reads.getAllProcessInfo() as unknown as ProcessInfo[], []);
  }

  conflicts(): readonly ProcessInfo[] {
    return this.once("conflicts", () => this.port.reads.getConflicts() as unknown as ProcessInfo[], []);
  }

  /** The namespecs running on more than one instance. */
  conflicting(): ReadonlySet<string> {
    return this.once("conflicting", () => new Set(this.conflicts().map((p) => namespecOf(p.application_name, p.process_name))), new Set<string>());
  }

  localProcesses(): readonly LocalProcessInfo[] {
    return this.once("local", () => this.port.reads.getAllLocalProcessInfo() as unknown as LocalProcessInfo[], []);
  }

  /** The records of every process of an instance, by namespec. */
  inner(id: string): ReadonlyMap<string, InnerProcessInfo> {
    return this.once(`inner|${id}`, () => new Map((this.port.reads.getAllInnerProcessInfo(id) as unknown as InnerProcessInfo[]).map((p) => [namespecOf(p.group, p.name), p])), new Map());
  }

  processRules(namespec: string): ProcessRules {
    return this.once(`prules|${namespec}`, () => (this.port.reads.getProcessRules(namespec)[0] as unknown as ProcessRules) ?? { expected_loading: 0, identifiers: [] }, { expected_loading: 0, identifiers: [] });
  }

  /** Forced reasons by namespec (only the processes whose state is forced). */
  forcedReasons(): ReadonlyMap<string, string> {
    return this.once("forced", () => this.port.reads.forcedReasons(), new Map<string, string>());
  }

  statisticsStatus(): { host_stats: boolean; process_stats: boolean } {
    return this.once("stats", () => this.port.reads.getStatisticsStatus() as unknown as { host_stats: boolean; process_stats: boolean }, { host_stats: false, process_stats: false });
  }

  payload(key: string, read: () => Payload): Payload | null {
    return this.once<Payload | null>(key, read, null);
  }
}

/** Python's sort order of str (code points), which the pages keep. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
