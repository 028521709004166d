/**
 * The state guards of the `supvisors.*` methods (spec §5.1): which global states a method may
 * run in. A refusal is BAD_SUPVISORS_STATE with Supvisors' text, the expected states printed as
 * the Python list of their names.
 */
import type { SupvisorsStateName } from "../../protocol/supvisors.js";
import { SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ServiceFault } from "../../supervisord/service/fault.js";

export const Guards = {
  /** G1: once the applications can be known. */
  FROM_DISTRIBUTION: ["DISTRIBUTION", "OPERATION", "CONCILIATION", "RESTARTING", "SHUTTING_DOWN"],
  /** G2 */
  OPERATING: ["OPERATION"],
  /** G3 */
  OPERATING_CONCILIATION: ["OPERATION", "CONCILIATION"],
  /** G4 */
  CONCILIATION: ["CONCILIATION"],
  /** G5 */
  SYNCHRONIZATION: ["SYNCHRONIZATION"],
} as const satisfies Record<string, readonly SupvisorsStateName[]>;

export function checkState(current: SupvisorsStateName, allowed: readonly SupvisorsStateName[]): void {
  if (allowed.includes(current)) return;
  throw new ServiceFault(
    SupvisorsFaultCodes.BAD_SUPVISORS_STATE,
    `invalid Supvisors state=${current} - state expected in [${allowed.map((s) => `'${s}'`).join(", ")}]`,
  );
}
