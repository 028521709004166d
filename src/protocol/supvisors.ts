/**
 * Supvisors 0.19 constants shared by the daemon and every client (ctl, web scripts, the
 * TypeScript client): state codes and names, enum literals in their numeric order, fault codes.
 * This module imports nothing, so a client bundle never pulls the daemon's code in (DESIGN.md).
 */

/** The global state machine (spec §4.1, 0.19 codes). */
export const SupvisorsStates = {
  OFF: 0,
  SYNCHRONIZATION: 1,
  ELECTION: 2,
  DISTRIBUTION: 3,
  OPERATION: 4,
  CONCILIATION: 5,
  RESTARTING: 6,
  SHUTTING_DOWN: 7,
  FINAL: 8,
} as const;
export type SupvisorsStateName = keyof typeof SupvisorsStates;

/** One instance as seen by another (spec §4.6, 0.19 codes). */
export const SupvisorsInstanceStates = {
  STOPPED: 0,
  CHECKING: 1,
  CHECKED: 2,
  RUNNING: 3,
  FAILED: 4,
  ISOLATED: 5,
} as const;
export type SupvisorsInstanceStateName = keyof typeof SupvisorsInstanceStates;

export const ApplicationStates = { STOPPED: 0, STARTING: 1, RUNNING: 2, STOPPING: 3, DELETED: 4 } as const;
export type ApplicationStateName = keyof typeof ApplicationStates;

/** Enum literals in value order (value = index), as Supvisors' Python enums number them. */
export const StartingStrategies = ["CONFIG", "LESS_LOADED", "MOST_LOADED", "LOCAL", "LESS_LOADED_NODE", "MOST_LOADED_NODE"] as const;
export type StartingStrategy = (typeof StartingStrategies)[number];
export const ConciliationStrategies = ["SENICIDE", "INFANTICIDE", "USER", "STOP", "RESTART", "RUNNING_FAILURE"] as const;
export type ConciliationStrategy = (typeof ConciliationStrategies)[number];
export const StartingFailureStrategies = ["ABORT", "STOP", "CONTINUE"] as const;
export type StartingFailureStrategy = (typeof StartingFailureStrategies)[number];
export const RunningFailureStrategies = [
  "CONTINUE",
  "RESTART_PROCESS",
  "STOP_APPLICATION",
  "RESTART_APPLICATION",
  "SHUTDOWN",
  "RESTART",
] as const;
export type RunningFailureStrategy = (typeof RunningFailureStrategies)[number];
export const SupvisorsFailureStrategies = ["CONTINUE", "RESYNC", "SHUTDOWN"] as const;
export type SupvisorsFailureStrategy = (typeof SupvisorsFailureStrategies)[number];
export const DistributionRules = ["ALL_INSTANCES", "SINGLE_INSTANCE", "SINGLE_NODE"] as const;
export type DistributionRule = (typeof DistributionRules)[number];
export const StatisticsTypes = ["OFF", "HOST", "PROCESS", "ALL"] as const;
export type StatisticsType = (typeof StatisticsTypes)[number];
export const SynchronizationOptions = ["STRICT", "LIST", "TIMEOUT", "CORE", "USER"] as const;
export type SynchronizationOption = (typeof SynchronizationOptions)[number];
export const EventLinks = ["NONE", "ZMQ", "WS"] as const;
export type EventLink = (typeof EventLinks)[number];
export const AuthorizationTypes = ["UNKNOWN", "AUTHORIZED", "NOT_AUTHORIZED", "INCONSISTENT"] as const;
export type AuthorizationType = (typeof AuthorizationTypes)[number];

/** Supvisors' own fault codes, added to supervisord's table (spec §5.1). */
export const SupvisorsFaults = {
  SUPVISORS_CONF_ERROR: 100,
  BAD_SUPVISORS_STATE: 101,
  NOT_MANAGED: 102,
  DISABLED: 103,
  NOT_APPLICABLE: 104,
  NOT_INSTALLED: 105,
} as const;
export type SupvisorsFaultName = keyof typeof SupvisorsFaults;

/** The `supervisor.ctl_factory` of a `[ctlplugin:x]` section that loads the supvisors ctl commands. */
export const SUPVISORS_CTL_FACTORY = "supvisors.supvisorsctl:make_supvisors_controller_plugin";

/** The API version `supvisors.get_api_version` reports. */
export const SUPVISORS_API_VERSION = "0.19";

/** Name of a state code, or undefined. */
export function nameOfCode<T extends Record<string, number>>(table: T, code: number): keyof T | undefined {
  for (const [k, v] of Object.entries(table)) if (v === code) return k as keyof T;
  return undefined;
}

/** The headers of the event interface (spec §7.2), in EventHeaders' order. */
export const SupvisorsEventHeaders = ["supvisors", "instance", "application", "event", "process", "hstats", "pstats"] as const;
export type SupvisorsEventHeader = (typeof SupvisorsEventHeaders)[number];
