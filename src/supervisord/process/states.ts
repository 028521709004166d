/** Process and daemon state codes (protocol/supervisor.ts) and the state sets the core decides with. */

import { ProcessStates, type ProcessStateName } from "../../protocol/supervisor.js";

export { ProcessStates, SupervisorStates, type ProcessStateCode, type ProcessStateName, type SupervisorStateName } from "../../protocol/supervisor.js";

const byCode = new Map<number, ProcessStateName>(
  Object.entries(ProcessStates).map(([k, v]) => [v, k as ProcessStateName]),
);
export function processStateName(code: number): ProcessStateName {
  const n = byCode.get(code);
  if (!n) throw new RangeError(`unknown process state code ${code}`);
  return n;
}

export const STOPPED_STATES: ReadonlySet<ProcessStateName> = new Set(["STOPPED", "EXITED", "FATAL", "UNKNOWN"]);
export const RUNNING_STATES: ReadonlySet<ProcessStateName> = new Set(["RUNNING", "BACKOFF", "STARTING"]);
export const SIGNALLABLE_STATES: ReadonlySet<ProcessStateName> = new Set(["RUNNING", "STARTING", "STOPPING"]);

/** Event listener protocol sub-states. */
export const EventListenerStates = { READY: 10, BUSY: 20, ACKNOWLEDGED: 30, UNKNOWN: 40 } as const;
export type EventListenerStateName = keyof typeof EventListenerStates;
