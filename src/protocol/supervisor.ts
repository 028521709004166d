/**
 * supervisord's state codes, shared by the daemon and every client (ctl, the TypeScript client):
 * process states and the daemon's own state, exactly as supervisord numbers them (spec
 * supervisor.md §3.1). Imports nothing, so a client bundle never pulls the daemon in.
 */

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

/** The daemon's mood (`supervisor.getState`). FATAL is never actually entered by supervisord. */
export const SupervisorStates = { FATAL: 2, RUNNING: 1, RESTARTING: 0, SHUTDOWN: -1 } as const;
export type SupervisorStateName = keyof typeof SupervisorStates;

/**
 * Readiness of a process (our extension, off by default; see README "Readiness checks"):
 * none = no readiness_check configured; off = configured, not STARTING/RUNNING; pending = spawned,
 * no pass yet; ready = passing; unready = failing after ready, or no pass within readiness_startsecs.
 */
export const ReadinessStates = ["none", "off", "pending", "ready", "unready"] as const;
export type ReadinessState = (typeof ReadinessStates)[number];
