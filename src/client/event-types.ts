/**
 * The events of the Supvisors event interface (spec supvisors.md §7.2-7.3) as a discriminated
 * union on the header: `if (e.header === "process") e.body.statename` is typed. The bodies are the
 * daemon's JSON as it sends it.
 */
import type { ProcessStateCode } from "./constants.js";
import type { ApplicationInfo, Identifier, InstanceInfo, LocalProcessInfo, ReadinessName, SupvisorsProcessInfo, SupvisorsState } from "./supvisors-types.js";

/** `event`: a process transition, as the instance owning the process reported it. */
export interface ProcessTransitionEvent {
  /** The owner (`""` for a start no instance could take, forced FATAL). */
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly group: string;
  readonly name: string;
  readonly state: ProcessStateCode;
  /** Meaningful for EXITED: the exit code was an expected one. */
  readonly expected: boolean;
  readonly spawnerr: string;
  /** Owner's epoch seconds. */
  readonly now: number;
  /** Owner's monotonic seconds. */
  readonly now_monotonic: number;
  /** Publisher's monotonic seconds at reception. */
  readonly event_mtime: number;
  readonly pid: number;
  readonly extra_args: string;
  readonly disabled: boolean;
  /** Ours: its readiness, for a program with a readiness_check only. */
  readonly readiness?: ReadinessName;
  /** Ours: the event is a readiness change alone (the state is unchanged). */
  readonly readiness_only?: boolean;
  /** Ours: why the readiness changed (with readiness_only). */
  readonly readiness_reason?: string;
}

/** `event`: the process was removed from that instance (numprocs decrease, group removed). */
export interface ProcessRemovedEvent {
  readonly identifier: Identifier;
  readonly group: string;
  readonly name: string;
  readonly state: -1;
  readonly event_mtime: number;
}

/** `event`: a program was enabled or disabled there: the whole LocalProcessInfo again. */
export interface ProcessDisabilityEvent extends LocalProcessInfo {
  readonly identifier: Identifier;
  readonly event_mtime: number;
}

/**
 * The three bodies of `event`. Narrow with `body.state === -1` (removal) and
 * `"statename" in body` (disability, the only one carrying a statename).
 */
export type ProcessEventBody = ProcessTransitionEvent | ProcessRemovedEvent | ProcessDisabilityEvent;

/** `hstats`: the host statistics of one instance, integrated over one period. */
export interface HostStatistics {
  readonly identifier: Identifier;
  readonly now_monotonic: number;
  /** The configured period (one of stats_periods), seconds. */
  readonly target_period: number;
  /** [start, end] of the integration window, seconds since the first sample. */
  readonly period: [number, number];
  /** Percent; [0] the mean of all cores, then one per logical core. */
  readonly cpu: number[];
  /** Used memory, percent. */
  readonly mem: number;
  /** Per interface, [received, sent] in kilobits per second. */
  readonly net_io: Readonly<Record<string, [number, number]>>;
  /** Per device, [read, written] in kilobits per second. */
  readonly disk_io: Readonly<Record<string, [number, number]>>;
  /** Per mount point, percent used. */
  readonly disk_usage: Readonly<Record<string, number>>;
}

/** `pstats`: the statistics of one process (and its descendants), integrated over one period. */
export interface ProcessStatistics {
  readonly namespec: string;
  readonly identifier: Identifier;
  readonly pid: number;
  readonly now_monotonic: number;
  readonly target_period: number;
  readonly period: [number, number];
  /** Percent, IRIX mode: 100 = one full core. */
  readonly cpu: number;
  /** Percent of physical memory. */
  readonly mem: number;
}

/** Body type per header. */
export interface SupvisorsEventBodies {
  supvisors: SupvisorsState;
  instance: InstanceInfo;
  application: ApplicationInfo;
  event: ProcessEventBody;
  process: SupvisorsProcessInfo;
  hstats: HostStatistics;
  pstats: ProcessStatistics;
}

export type SupvisorsEventOf<H extends keyof SupvisorsEventBodies> = { readonly header: H; readonly body: SupvisorsEventBodies[H] };

/** One event, discriminated by `header`. */
export type SupvisorsEvent = { [H in keyof SupvisorsEventBodies]: SupvisorsEventOf<H> }[keyof SupvisorsEventBodies];
