/**
 * The shapes the statistics modules exchange (spec §9, §7.3). Raw samples cross the wire between
 * instances (spec §9.1: every instance integrates every instance's samples), so their keys are
 * Supvisors' own snake_case names, and so are the integrated payloads published as `hstats` and
 * `pstats`. Types only.
 */

/** `[work, idle]` jiffies of one logical core (or their mean over the cores, at index 0). */
export type CpuJiffies = [work: number, idle: number];

/** Two cumulative byte counters of one network interface or disk: [in, out] = [recv, sent] / [read, write]. */
export type IoCounters = [number, number];

/** One raw host sample (spec §9.2). */
export interface HostSample {
  /** Monotonic seconds at the start of the reading. */
  now: number;
  /** Index 0: mean of the cores; then one entry per logical core. */
  cpu: CpuJiffies[];
  /** Used (not available) memory, percent of MemTotal, one decimal as psutil rounds it. */
  mem: number;
  /** Interfaces that are up only: nic -> [bytes received, bytes sent]. */
  net_io: Record<string, IoCounters>;
  /** Mounted real partitions: mountpoint -> used percent (one decimal, as psutil). */
  disk_usage: Record<string, number>;
  /** Block devices: device -> [bytes read, bytes written]. */
  disk_io: Record<string, IoCounters>;
}

/** What the process reader measures for one process tree. */
export interface ProcessUsage {
  /** user + system CPU seconds of the process and all its descendants. */
  proc_work: number;
  /** Sum of the RSS percent of physical memory of the process and all its descendants. */
  proc_memory: number;
}

/** A raw sample of a running process (spec §9.3). */
export interface ProcessRunningSample extends ProcessUsage {
  namespec: string;
  pid: number;
  now: number;
  /** Only on the `supervisord` entry: logical core count, for the Solaris display mode. */
  nb_cores?: number;
}

/** The process is gone (or was stopped): its series must be dropped. */
export interface ProcessStoppedSample {
  namespec: string;
  pid: 0;
  now: number;
}

export type ProcessSample = ProcessRunningSample | ProcessStoppedSample;

/** The `hstats` payload (spec §7.3). */
export interface HostStatsPayload {
  identifier: string;
  now_monotonic: number;
  target_period: number;
  /** [start, end] of the integration window, seconds since the first sample. */
  period: [number, number];
  cpu: number[];
  mem: number;
  /** kilobits per second */
  net_io: Record<string, [number, number]>;
  /** kilobits per second */
  disk_io: Record<string, [number, number]>;
  disk_usage: Record<string, number>;
}

/** The `pstats` payload (spec §7.3). */
export interface ProcessStatsPayload {
  namespec: string;
  identifier: string;
  pid: number;
  now_monotonic: number;
  target_period: number;
  period: [number, number];
  /** IRIX: 100 = one full core. */
  cpu: number;
  mem: number;
}

/**
 * The history of one network interface, disk or partition: its own uptime axis (it may appear
 * after the host's first sample) and its series, each as long as `times`: [in, out] for I/O
 * (kilobits per second), [percent] for a disk usage.
 */
export interface TimedSeries {
  readonly times: readonly number[];
  readonly values: readonly (readonly number[])[];
}

/** The integrated host history of one instance and one period (spec §9.2). */
export interface HostHistory {
  /** Uptimes: sample time minus the first sample's time, oldest first, at most `stats_histo`. */
  readonly times: readonly number[];
  /** One series per cpu element (index 0 = mean of the cores), each as long as `times`. */
  readonly cpu: readonly (readonly number[])[];
  /** As long as `times`. */
  readonly mem: readonly number[];
  readonly net_io: Readonly<Record<string, TimedSeries>>;
  readonly disk_io: Readonly<Record<string, TimedSeries>>;
  readonly disk_usage: Readonly<Record<string, TimedSeries>>;
}

/** The integrated history of one process on one instance for one period (spec §9.3). */
export interface ProcessHistory {
  /** The pid the series were built for. */
  readonly pid: number;
  readonly times: readonly number[];
  /** IRIX values divided by the factor the history was read with (1 = IRIX). */
  readonly cpu: readonly number[];
  readonly mem: readonly number[];
}
