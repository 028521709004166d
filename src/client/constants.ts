/**
 * The protocol constants a client needs, in one import: Supvisors' enums and fault codes from
 * src/protocol/ (shared with the daemon), and supervisord's process and daemon states.
 *
 * The daemon keeps the latter in src/supervisord/process/states.ts, which a client must not
 * import (it would pull the daemon's module graph into the bundle), and src/protocol/ does not
 * hold them yet: they are repeated here, with the values supervisord has used since 3.0
 * (spec supervisor.md §3.1), which never change.
 */
import type { ConciliationStrategy, StartingStrategy } from "../protocol/supvisors.js";

export {
  Faults,
  SupvisorsFaultCodes,
  faultName,
  type FaultName,
  type FaultCode,
  type SupvisorsFaultName,
} from "../protocol/faults.js";
export {
  SupvisorsStates,
  SupvisorsInstanceStates,
  ApplicationStates,
  StartingStrategies,
  ConciliationStrategies,
  StartingFailureStrategies,
  RunningFailureStrategies,
  SupvisorsFailureStrategies,
  DistributionRules,
  StatisticsTypes,
  SynchronizationOptions,
  EventLinks,
  SupvisorsEventHeaders,
  SUPVISORS_API_VERSION,
  type SupvisorsStateName,
  type SupvisorsInstanceStateName,
  type ApplicationStateName,
  type StartingStrategy,
  type ConciliationStrategy,
  type StartingFailureStrategy,
  type RunningFailureStrategy,
  type SupvisorsFailureStrategy,
  type DistributionRule,
  type StatisticsType,
  type SynchronizationOption,
  type EventLink,
  type SupvisorsEventHeader,
} from "../protocol/supvisors.js";

export { ProcessStates, SupervisorStates, type ProcessStateCode, type ProcessStateName, type SupervisorStateName } from "../protocol/supervisor.js";

/** The API version `supervisor.getAPIVersion` answers. */
export const SUPERVISOR_API_VERSION = "3.0";

/** A strategy parameter as the `supvisors.*` API takes it: its literal or its value (spec §5.1). */
export type StartingStrategyParam = StartingStrategy | 0 | 1 | 2 | 3 | 4 | 5;
export type ConciliationStrategyParam = ConciliationStrategy | 0 | 1 | 2 | 3 | 4 | 5;

/** change_log_level's parameter: a level name (any case) or Supervisor's number for it. */
export type LoggerLevelParam = "critical" | "error" | "warn" | "info" | "debug" | "trace" | "blather" | 50 | 40 | 30 | 20 | 10 | 5 | 3;
