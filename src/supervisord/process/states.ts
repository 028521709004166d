/** Process and daemon state codes, exactly as supervisord numbers them (spec §3.1). */

export const ProcessStates = {
  STOPPED: 0,
  STARTING: 10,
  RUNNING: 20,
  BACKOFF: 30,
  STOPPING: 40,
  EXITED: 100,
  FATAL: 200,
  UNKNOWN: 1000,
} as const;
export type ProcessStateName = keyof typeof ProcessStates;
export type ProcessStateCode = (typeof ProcessStates)[ProcessStateName];

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

/** The daemon's mood. FATAL is never actually entered by supervisord. */
export const SupervisorStates = { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 } as const;
export type SupervisorStateName = keyof typeof SupervisorStates;

/** Event listener protocol sub-states. */
export const EventListenerStates = { READY: 10, BUSY: 20, ACKNOWLEDGED: 30, UNKNOWN: 40 } as const;
export type EventListenerStateName = keyof typeof EventListenerStates;
