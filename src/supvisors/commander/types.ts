/**
 * What the Commander (Starter, Stopper, running-failure handler) takes in and hands out. Like
 * ClusterCore it is pure: the host feeds it process events, call results, instance losses and
 * time, and carries out the requests it produces (spec §6.4-6.9).
 */
import type { StartingStrategy } from "../../protocol/supvisors.js";
import type { Identifier, ProcessEvent } from "../types.js";

/** A call the host makes on a target instance. */
export type CommandRequest =
  /** `supvisors.start_args(namespec, extraArgs, false)` on the target (directly when it is the local instance). */
  | { readonly kind: "start"; readonly target: Identifier; readonly namespec: string; readonly extraArgs: string }
  /** `supervisor.stopProcess(namespec, false)` on the target. */
  | { readonly kind: "stop"; readonly target: Identifier; readonly namespec: string };

/** What the host does for the Commander besides the calls. */
export type CommanderAction =
  /** Running failure strategy RESTART / SHUTDOWN: supvisors.restart() / shutdown() (forwarded to the Master if needed). */
  | { readonly kind: "closing"; readonly what: "restart" | "shutdown"; readonly why: string };

export interface CommanderLog {
  readonly level: "error" | "warn" | "info" | "debug";
  readonly text: string;
}

export interface CommanderReady {
  readonly requests: CommandRequest[];
  /** Forced states to apply to the local model and publish to the other instances (spec §4.7). */
  readonly forced: ProcessEvent[];
  readonly actions: CommanderAction[];
  readonly logs: CommanderLog[];
}

/** The role the local instance plays now, as the ClusterCore says. */
export interface CommanderRole {
  readonly isMaster: boolean;
  /** Master in DISTRIBUTION or OPERATION: lost processes are repaired (spec §6.9 step 4). */
  readonly repairs: boolean;
  /** Failure jobs may be triggered (not in SYNCHRONIZATION / ELECTION / closing states). */
  readonly working: boolean;
}

/** A start request as the API makes it (an application, or processes of one application). */
export interface StartOrder {
  readonly strategy: StartingStrategy;
  readonly extraArgs?: string;
}

export interface CommanderOptions {
  /** Added to every deadline: the time a request and its event take to travel (ms). */
  readonly marginMs: number;
}
