/**
 * The process state machine as data (spec §3.3): which state each trigger may be applied in and
 * the state it leads to. Process changes state only through nextState(), so a transition that
 * supervisord would reject with an AssertionError is impossible here by construction (it throws
 * ProcessStateError instead of silently corrupting the bookkeeping).
 */
import type { ProcessStateName } from "./states.js";

/** Why a process changes state. One variant per arrow of the spec's diagram. */
export type Trigger =
  /** A start request, autostart, autorestart or a BACKOFF retry: spawn() begins. */
  | { readonly kind: "spawn" }
  /** The executable could not be resolved, pipes could not be made or fork failed. */
  | { readonly kind: "spawn-failed" }
  /** Up longer than startsecs (timer), or forced by finish() when startsecs elapsed unobserved. */
  | { readonly kind: "started" }
  /** Reaped before startsecs elapsed (no stop in progress). */
  | { readonly kind: "exited-too-quickly" }
  /** Reaped after reaching RUNNING (no stop in progress). */
  | { readonly kind: "exited" }
  /**
   * A stop/kill request: a signal is sent, or a BACKOFF process is stopped at once, or (ours) an
   * EXITED process whose paced autorestart is pending is stopped at once (the restart cancelled).
   */
  | { readonly kind: "stop" }
  /** Reaped while a stop was in progress. */
  | { readonly kind: "reaped-while-stopping" }
  /** Too many start retries, or the daemon shuts down while the process is in BACKOFF. */
  | { readonly kind: "give-up" }
  /** kill(2) failed with something other than ESRCH. */
  | { readonly kind: "kill-failed" };

export type TriggerKind = Trigger["kind"];

type Row = Readonly<Partial<Record<ProcessStateName, ProcessStateName>>>;

/** from-state -> to-state, per trigger. Absent = illegal. */
export const TRANSITIONS: { readonly [K in TriggerKind]: Row } = {
  spawn: { STOPPED: "STARTING", EXITED: "STARTING", BACKOFF: "STARTING", FATAL: "STARTING" },
  "spawn-failed": { STARTING: "BACKOFF" },
  started: { STARTING: "RUNNING" },
  "exited-too-quickly": { STARTING: "BACKOFF" },
  exited: { RUNNING: "EXITED" },
  // STOPPING -> STOPPING is the SIGKILL escalation or a repeated stop: no state change, no event.
  // EXITED -> STOPPED is ours: a crash loop waits out its 1 s pacing in EXITED (supervisord spends
  // that second in its poll with the next child RUNNING), and a stop there must end the loop as a
  // stop of that RUNNING child would. Only allowed while an autorestart is pending (Process.kill).
  stop: { RUNNING: "STOPPING", STARTING: "STOPPING", STOPPING: "STOPPING", BACKOFF: "STOPPED", EXITED: "STOPPED" },
  "reaped-while-stopping": { STOPPING: "STOPPED" },
  "give-up": { BACKOFF: "FATAL" },
  "kill-failed": { RUNNING: "UNKNOWN", STARTING: "UNKNOWN", STOPPING: "UNKNOWN" },
};

/** A transition or an operation was attempted in a state that does not allow it. */
export class ProcessStateError extends Error {
  override readonly name = "ProcessStateError";
  readonly code = "BAD_STATE";
  constructor(
    readonly processName: string,
    readonly state: ProcessStateName,
    readonly allowed: readonly ProcessStateName[],
    what: string,
  ) {
    // Same wording as supervisord's _assertInState, plus what was attempted.
    super(`Assertion failed for ${processName}: ${state} not in ${allowed.join(" ")} (${what})`);
  }
}

/** The states in which a trigger may be applied. */
export function allowedFrom(kind: TriggerKind): ProcessStateName[] {
  return Object.keys(TRANSITIONS[kind]) as ProcessStateName[];
}

export function canApply(from: ProcessStateName, kind: TriggerKind): boolean {
  return TRANSITIONS[kind][from] !== undefined;
}

/** The state a trigger leads to from `from`; throws ProcessStateError when illegal. */
export function nextState(processName: string, from: ProcessStateName, trigger: Trigger): ProcessStateName {
  const to = TRANSITIONS[trigger.kind][from];
  if (to === undefined) throw new ProcessStateError(processName, from, allowedFrom(trigger.kind), trigger.kind);
  return to;
}
