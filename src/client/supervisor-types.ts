/**
 * What the `supervisor.*` and `system.*` methods answer (spec supervisor.md §8.5-8.10), key for
 * key as the daemon sends them. Types only: results are not validated at run time.
 */
import type { ReadinessState } from "../protocol/supervisor.js";
import type { ProcessStateCode, ProcessStateName, SupervisorStateName } from "./constants.js";

/** supervisor.getState. */
export interface SupervisorState {
  readonly statecode: number;
  readonly statename: SupervisorStateName;
}

/** supervisor.getProcessInfo / getAllProcessInfo (spec §8.8). Times are epoch seconds (int). */
export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  /** Last start, 0 if never started. */
  readonly start: number;
  /** Last stop, 0 if never stopped. */
  readonly stop: number;
  readonly now: number;
  readonly state: ProcessStateCode;
  readonly statename: ProcessStateName;
  readonly spawnerr: string;
  /** Last exit code; -1 when killed by a signal. */
  readonly exitstatus: number;
  /** Deprecated alias of stdout_logfile. */
  readonly logfile: string;
  readonly stdout_logfile: string;
  readonly stderr_logfile: string;
  readonly pid: number;
  /** `pid 123, uptime 0:01:02`, a stop date, a spawn error... as supervisorctl status shows it. */
  readonly description: string;
  /**
   * Ours: present only when the program has a `readiness_check` (README "Readiness checks");
   * never "none" here.
   */
  readonly readiness?: Exclude<ReadinessState, "none">;
}

/** One element of what the group and "all" operations answer (start/stop/signal/clear). */
export interface ProcessResult {
  readonly name: string;
  readonly group: string;
  /** A fault code, or 80 (SUCCESS). */
  readonly status: number;
  /** `OK` or the fault string. */
  readonly description: string;
}

/** supervisor.getAllConfigInfo (spec §8.9): one per process of the last parsed configuration. */
export interface ConfigInfo {
  readonly autostart: boolean;
  /** A path or `none`. */
  readonly directory: string;
  /** A uid or `none`. */
  readonly uid: number | "none";
  readonly command: string;
  readonly exitcodes: number[];
  readonly group: string;
  readonly group_prio: number;
  /** Whether the group is active now (false for a group only in the re-read configuration). */
  readonly inuse: boolean;
  readonly killasgroup: boolean;
  readonly name: string;
  readonly process_prio: number;
  readonly redirect_stderr: boolean;
  readonly startretries: number;
  readonly startsecs: number;
  readonly stdout_capture_maxbytes: number;
  readonly stdout_events_enabled: boolean;
  /** A path, `auto` or `none`. */
  readonly stdout_logfile: string;
  readonly stdout_logfile_backups: number;
  readonly stdout_logfile_maxbytes: number;
  readonly stdout_syslog: boolean;
  readonly stopsignal: number;
  readonly stopwaitsecs: number;
  readonly stderr_capture_maxbytes: number;
  readonly stderr_events_enabled: boolean;
  readonly stderr_logfile: string;
  readonly stderr_logfile_backups: number;
  readonly stderr_logfile_maxbytes: number;
  readonly stderr_syslog: boolean;
  /** A URL or `none`. */
  readonly serverurl: string;
}

/** reloadConfig's answer: `[[added, changed, removed]]`, group names. */
export type ReloadConfigResult = [[added: string[], changed: string[], removed: string[]]];

/** tailProcess*Log's answer: the bytes read, the offset to ask from next time, whether data were skipped. */
export type TailResult = [data: string, offset: number, overflow: boolean];

/** A signal as supervisor.signal* take it: a name (`HUP`, `SIGHUP`) or a number. */
export type SignalParam = string | number;
