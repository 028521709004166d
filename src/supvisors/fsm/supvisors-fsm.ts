/**
 * The global Supvisors state machine of spec §4.2: the transition table, the state groups and
 * the per-state rule ("first matching rule wins") as a pure function of a snapshot. ClusterCore
 * builds the snapshot, applies the decision (refusing what the table forbids) and runs the
 * entry and exit actions.
 */
import type { SupvisorsStateName } from "../../protocol/supvisors.js";

export const WORKING_STATES: readonly SupvisorsStateName[] = ["ELECTION", "DISTRIBUTION", "OPERATION", "CONCILIATION"];
export const CLOSING_STATES: readonly SupvisorsStateName[] = ["RESTARTING", "SHUTTING_DOWN", "FINAL"];

/**
 * Allowed transitions (spec §4.2). [QUIRK] kept on purpose: DISTRIBUTION -> SYNCHRONIZATION and
 * CONCILIATION -> ELECTION are missing although the rules below can ask for them; such a request
 * is refused and the FSM stays where it is.
 */
export const FSM_TRANSITIONS: Readonly<Record<SupvisorsStateName, readonly SupvisorsStateName[]>> = {
  OFF: ["SYNCHRONIZATION"],
  SYNCHRONIZATION: ["OFF", "ELECTION"],
  ELECTION: ["OFF", "SYNCHRONIZATION", "DISTRIBUTION", "SHUTTING_DOWN"],
  DISTRIBUTION: ["OFF", "ELECTION", "OPERATION", "RESTARTING", "SHUTTING_DOWN"],
  OPERATION: ["OFF", "SYNCHRONIZATION", "ELECTION", "CONCILIATION", "RESTARTING", "SHUTTING_DOWN"],
  CONCILIATION: ["OFF", "SYNCHRONIZATION", "OPERATION", "RESTARTING", "SHUTTING_DOWN"],
  RESTARTING: ["FINAL"],
  SHUTTING_DOWN: ["FINAL"],
  FINAL: [],
};

export function canChangeState(from: SupvisorsStateName, to: SupvisorsStateName): boolean {
  return FSM_TRANSITIONS[from].includes(to);
}

/** The snapshot one evaluation reads (after instance housekeeping). */
export interface FsmSnapshot {
  readonly state: SupvisorsStateName;
  /** The local instance is RUNNING (its own handshake is done). */
  readonly localRunning: boolean;
  /** The context is stable (stability.ts). */
  readonly stable: boolean;
  /** SYNCHRONIZATION: an enabled condition is satisfied. */
  readonly syncSatisfied: boolean;
  /** After synchronization: the state the supvisors failure strategy asks for, if any. */
  readonly failureState: "SYNCHRONIZATION" | "SHUTTING_DOWN" | null;
  /** The Master check holds (one Master agreed by every RUNNING instance). */
  readonly masterAgreed: boolean;
  /** The local instance is that Master. */
  readonly isMaster: boolean;
  /** The state the Master reports (null when no Master is known). */
  readonly masterState: SupvisorsStateName | null;
  /** CHECKED instances were activated in this evaluation. */
  readonly activated: boolean;
  /** Split-brain protection is on and the local side has no majority. */
  readonly quorumLost: boolean;
  readonly startingJobs: boolean;
  readonly stoppingJobs: boolean;
  readonly conflicts: boolean;
}

export type FsmDecision =
  | { readonly kind: "stay" }
  | { readonly kind: "go"; readonly to: SupvisorsStateName; readonly why: string }
  /** ELECTION without an agreed Master: run the Master selection and wait. */
  | { readonly kind: "select_master" };

const STAY: FsmDecision = { kind: "stay" };
const go = (to: SupvisorsStateName, why: string): FsmDecision => ({ kind: "go", to, why });

/** States a non-Master follows the Master into from DISTRIBUTION, OPERATION or CONCILIATION. */
const FOLLOWED: readonly SupvisorsStateName[] = ["SYNCHRONIZATION", "ELECTION", "DISTRIBUTION", "OPERATION", "CONCILIATION", "RESTARTING", "SHUTTING_DOWN"];

function followMaster(s: FsmSnapshot): FsmDecision {
  if (s.masterState !== null && s.masterState !== s.state && FOLLOWED.includes(s.masterState)) return go(s.masterState, "the Master is in " + s.masterState);
  return STAY;
}

/** One evaluation of the current state (spec §4.2, table "States"). */
export function decide(s: FsmSnapshot): FsmDecision {
  switch (s.state) {
    case "OFF":
      return s.localRunning ? go("SYNCHRONIZATION", "the local instance is RUNNING") : STAY;
    case "SYNCHRONIZATION":
      if (!s.localRunning) return go("OFF", "the local instance is not RUNNING");
      return s.syncSatisfied ? go("ELECTION", "a synchronization condition is satisfied") : STAY;
    case "ELECTION":
      if (!s.localRunning) return go("OFF", "the local instance is not RUNNING");
      if (s.failureState) return go(s.failureState, "supvisors failure strategy");
      if (!s.stable) return STAY;
      if (!s.masterAgreed) return { kind: "select_master" };
      if (s.isMaster) return go("DISTRIBUTION", "Master elected");
      // Spec: a non-Master waits for the Master's DISTRIBUTION. Ours also follows a Master already
      // past it (its Starter may be idle at once), or it would wait forever.
      if (s.masterState === "DISTRIBUTION" || s.masterState === "OPERATION" || s.masterState === "CONCILIATION") return go("DISTRIBUTION", "the Master is in " + s.masterState);
      return STAY;
    case "DISTRIBUTION":
      if (!s.localRunning) return go("OFF", "the local instance is not RUNNING");
      if (s.failureState) return go(s.failureState, "supvisors failure strategy");
      if (!s.masterAgreed) return go("ELECTION", "Master check failed");
      if (s.isMaster) return s.startingJobs ? STAY : go("OPERATION", "automatic start done");
      return s.masterState === "DISTRIBUTION" ? STAY : followMaster(s);
    case "OPERATION":
      if (!s.localRunning) return go("OFF", "the local instance is not RUNNING");
      if (s.failureState) return go(s.failureState, "supvisors failure strategy");
      if (!s.masterAgreed) return go("ELECTION", "Master check failed");
      if (s.activated) return go("ELECTION", "new instance activated");
      if (s.isMaster) {
        if (s.startingJobs || s.stoppingJobs) return STAY;
        return s.conflicts ? go("CONCILIATION", "conflicts detected") : STAY;
      }
      return followMaster(s);
    case "CONCILIATION":
      if (!s.localRunning) return go("OFF", "the local instance is not RUNNING");
      if (s.failureState) return go(s.failureState, "supvisors failure strategy");
      if (!s.masterAgreed) {
        // Split-brain protection: CONCILIATION -> ELECTION is refused by the table, so a side that
        // lost its majority goes back through SYNCHRONIZATION instead.
        return s.quorumLost ? go("SYNCHRONIZATION", "no quorum") : go("ELECTION", "Master check failed");
      }
      if (s.activated) return go("ELECTION", "new instance activated");
      if (s.isMaster) {
        if (s.startingJobs || s.stoppingJobs) return STAY;
        return s.conflicts ? STAY : go("OPERATION", "no more conflicts");
      }
      return followMaster(s);
    case "RESTARTING":
    case "SHUTTING_DOWN":
      if (s.failureState || !s.masterAgreed) return go("FINAL", "consistency lost while closing");
      if (s.isMaster) return s.stoppingJobs ? STAY : go("FINAL", "applications stopped");
      return s.masterState === s.state ? STAY : go("FINAL", "the Master left " + s.state);
    case "FINAL":
      return STAY;
  }
}
