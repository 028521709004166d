/**
 * The instance state machine of spec §4.6: how one instance is seen by the local one. Only the
 * transition table lives here; what triggers a transition is ClusterCore's business.
 */
import type { SupvisorsInstanceStateName } from "../../protocol/supvisors.js";

/** Allowed transitions (spec §4.6). ISOLATED is final until the local Supervisor restarts. */
export const INSTANCE_TRANSITIONS: Readonly<Record<SupvisorsInstanceStateName, readonly SupvisorsInstanceStateName[]>> = {
  STOPPED: ["CHECKING"],
  CHECKING: ["STOPPED", "CHECKED", "FAILED", "ISOLATED"],
  CHECKED: ["RUNNING", "FAILED"],
  RUNNING: ["FAILED"],
  FAILED: ["STOPPED", "ISOLATED"],
  ISOLATED: [],
};

/** States in which an instance is watched for inactivity and receives publications. */
export const ACTIVE_INSTANCE_STATES: readonly SupvisorsInstanceStateName[] = ["CHECKING", "CHECKED", "RUNNING", "FAILED"];

export function canChangeInstanceState(from: SupvisorsInstanceStateName, to: SupvisorsInstanceStateName): boolean {
  return INSTANCE_TRANSITIONS[from].includes(to);
}

export function isActiveInstanceState(state: SupvisorsInstanceStateName): boolean {
  return ACTIVE_INSTANCE_STATES.includes(state);
}
