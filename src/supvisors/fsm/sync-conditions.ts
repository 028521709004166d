/**
 * Synchronization conditions, degraded mode and the verdict the supvisors failure strategy acts
 * on (spec §4.3). Pure: the caller gives the stable set, the uptime and what it knows of the
 * Master.
 */
import type { SynchronizationOption } from "../../protocol/supvisors.js";
import type { Identifier } from "../types.js";

/** The CORE condition also needs this uptime (Supvisors' SYNCHRO_TIMEOUT_MIN). */
export const CORE_MIN_UPTIME_MS = 15_000;

/** Failure precedence after synchronization: only the first enabled one gives the verdict. */
export const FAILURE_PRECEDENCE: readonly SynchronizationOption[] = ["USER", "CORE", "STRICT", "LIST"];

export interface SyncInputs {
  readonly options: readonly SynchronizationOption[];
  /** supvisors_list, in order (the STRICT set). */
  readonly declared: readonly Identifier[];
  /** declared + discovered (the LIST set). */
  readonly known: readonly Identifier[];
  readonly core: readonly Identifier[];
  /** The stable identifiers, null when the context is unstable. */
  readonly stable: ReadonlySet<Identifier> | null;
  readonly uptimeMs: number;
  readonly synchroTimeoutMs: number;
  /** A Master is known and RUNNING (USER). */
  readonly masterRunning: boolean;
}

const allIn = (ids: readonly Identifier[], set: ReadonlySet<Identifier> | null) => set !== null && ids.every((id) => set.has(id));

/** Whether one condition ends SYNCHRONIZATION now. */
export function conditionSatisfied(option: SynchronizationOption, i: SyncInputs): boolean {
  switch (option) {
    case "STRICT":
      return allIn(i.declared, i.stable);
    case "LIST":
      return allIn(i.known, i.stable);
    case "TIMEOUT":
      return i.uptimeMs >= i.synchroTimeoutMs;
    case "CORE":
      return allIn(i.core, i.stable) && i.uptimeMs >= CORE_MIN_UPTIME_MS;
    case "USER":
      return i.masterRunning;
  }
}

export interface SyncVerdict {
  /** The enabled conditions that are satisfied (any one ends SYNCHRONIZATION). */
  readonly satisfied: readonly SynchronizationOption[];
  /** An enabled STRICT/LIST/CORE condition is not satisfied. */
  readonly degraded: boolean;
}

/** SYNCHRONIZATION: which enabled conditions hold (logical OR, no precedence: spec §4.3). */
export function evaluateSync(i: SyncInputs): SyncVerdict {
  const satisfied = i.options.filter((o) => conditionSatisfied(o, i));
  const degraded = i.options.some((o) => (o === "STRICT" || o === "LIST" || o === "CORE") && !satisfied.includes(o));
  return { satisfied, degraded };
}

export interface FailureVerdict {
  /** The option whose failure the failure strategy must act on, null when none. */
  readonly failedBy: SynchronizationOption | null;
  readonly degraded: boolean;
}

/**
 * After synchronization: each option re-checked as a failure. STRICT/LIST/CORE fail when their
 * membership no longer holds (CORE's 15 s uptime is an entry criterion only, so it cannot fail
 * once passed: the uptime never shrinks); USER fails when an instance was lost in this
 * evaluation. An unstable context gives the verdict of the last stable set (`stable` is that set),
 * so a peer's handshake in progress does not count as a failure.
 */
export function evaluateFailure(i: SyncInputs, lostThisEvaluation: boolean): FailureVerdict {
  const failed = (o: SynchronizationOption): boolean => {
    switch (o) {
      case "STRICT":
        return !allIn(i.declared, i.stable);
      case "LIST":
        return !allIn(i.known, i.stable);
      case "CORE":
        return !allIn(i.core, i.stable);
      case "USER":
        return lostThisEvaluation;
      case "TIMEOUT":
        return false;
    }
  };
  const degraded = i.options.some((o) => (o === "STRICT" || o === "LIST" || o === "CORE") && failed(o));
  const first = FAILURE_PRECEDENCE.find((o) => i.options.includes(o));
  return { failedBy: first !== undefined && failed(first) ? first : null, degraded };
}
