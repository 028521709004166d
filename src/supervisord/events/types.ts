/**
 * Every change in the daemon is one typed event on the EventBus (DESIGN.md principle 3).
 * The main log, listener pools, RPC waiters, the dashboard and the cluster layer subscribe.
 * Names and fields mirror Supervisor's event types (spec §9); serialisation to the listener
 * payload text lives in events/payloads.ts.
 */
import type { ProcessStateName } from "../process/states.js";
import type { ReadinessState } from "../../protocol/supervisor.js";

export type Channel = "stdout" | "stderr";

/** Identifies a process at the time the event was created. */
export interface ProcessRef {
  readonly name: string;
  readonly group: string;
}

export type ProcessStateEvent = {
  readonly kind: "PROCESS_STATE";
  readonly process: ProcessRef;
  readonly from: ProcessStateName;
  readonly to: ProcessStateName;
  /** Backoff counter after the transition (STARTING/BACKOFF payloads). */
  readonly tries: number;
  /** pid at the time (the pid that just died for EXITED/STOPPED; 0 when none). */
  readonly pid: number;
  /** EXITED only: exit status in exitcodes. */
  readonly expected: boolean;
};
export type ProcessLogEvent = {
  readonly kind: "PROCESS_LOG";
  readonly process: ProcessRef;
  readonly channel: Channel;
  readonly pid: number;
  readonly data: Buffer;
};
export type ProcessCommunicationEvent = {
  readonly kind: "PROCESS_COMMUNICATION";
  readonly process: ProcessRef;
  readonly channel: Channel;
  readonly pid: number;
  readonly data: Buffer;
};
export type RemoteCommunicationEvent = { readonly kind: "REMOTE_COMMUNICATION"; readonly type: string; readonly data: string };
export type SupervisorStateChangeEvent = { readonly kind: "SUPERVISOR_STATE_CHANGE"; readonly to: "RUNNING" | "STOPPING" };
export type TickEvent = { readonly kind: "TICK"; readonly period: 5 | 60 | 3600; readonly when: number };
export type ProcessGroupEvent = { readonly kind: "PROCESS_GROUP"; readonly change: "ADDED" | "REMOVED"; readonly group: string };
/**
 * Supvisors' process events (its plugin registers them; see hierarchy.ts): a process added or
 * removed by updateNumprocs, or a process whose program's disabled flag changed. Never emitted
 * without the Supvisors layer, which is the only caller of those core methods.
 */
export type ProcessChangeEvent = {
  readonly kind: "PROCESS";
  readonly change: "ADDED" | "REMOVED" | "ENABLED" | "DISABLED";
  readonly process: ProcessRef;
};

/**
 * Our readiness checks (readiness/): a process's readiness changed. NOT a Supervisor event type:
 * event listeners never receive it and it takes no event serial; eventTypeName gives
 * PROCESS_READINESS_<TO> for logs only. `reason`: e.g. "HTTP 503", "timeout after 1 s".
 */
export type ReadinessEvent = {
  readonly kind: "READINESS";
  readonly process: ProcessRef;
  readonly from: ReadinessState;
  readonly to: ReadinessState;
  readonly reason: string;
};

export type SupervisorEvent =
  | ProcessStateEvent
  | ProcessLogEvent
  | ProcessCommunicationEvent
  | RemoteCommunicationEvent
  | SupervisorStateChangeEvent
  | TickEvent
  | ProcessGroupEvent
  | ProcessChangeEvent
  | ReadinessEvent;

/** Supervisor's concrete event type name, e.g. PROCESS_STATE_RUNNING, TICK_5, PROCESS_LOG_STDOUT. */
export function eventTypeName(e: SupervisorEvent): string {
  switch (e.kind) {
    case "PROCESS_STATE":
      return `PROCESS_STATE_${e.to}`;
    case "PROCESS_LOG":
      return `PROCESS_LOG_${e.channel.toUpperCase()}`;
    case "PROCESS_COMMUNICATION":
      return `PROCESS_COMMUNICATION_${e.channel.toUpperCase()}`;
    case "REMOTE_COMMUNICATION":
      return "REMOTE_COMMUNICATION";
    case "SUPERVISOR_STATE_CHANGE":
      return `SUPERVISOR_STATE_CHANGE_${e.to}`;
    case "TICK":
      return `TICK_${e.period}`;
    case "PROCESS_GROUP":
      return `PROCESS_GROUP_${e.change}`;
    case "PROCESS":
      return `PROCESS_${e.change}`;
    case "READINESS":
      return `PROCESS_READINESS_${e.to.toUpperCase()}`;
  }
}
