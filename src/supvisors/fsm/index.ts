/** The cluster's pure decision core (spec §4.1-4.6): see cluster-core.ts for how a host drives it. */
export { ClusterCore, sameStrategies } from "./cluster-core.js";
export type * from "./core-io.js";
export { ClusterCoreError, type ClusterCoreErrorCode } from "./errors.js";
export { FailureDetector, LATE_FACTOR } from "./failure-detector.js";
export { INSTANCE_TRANSITIONS, ACTIVE_INSTANCE_STATES, canChangeInstanceState, isActiveInstanceState } from "./instance-states.js";
export { FSM_TRANSITIONS, WORKING_STATES, CLOSING_STATES, canChangeState, decide } from "./supvisors-fsm.js";
export { stableIdentifiers, agreedMaster, selectMaster, holdsQuorum, runningIdentifiers } from "./stability.js";
export { evaluateSync, evaluateFailure, conditionSatisfied, CORE_MIN_UPTIME_MS, FAILURE_PRECEDENCE } from "./sync-conditions.js";
