/**
 * What the Starter, Stopper and failure handler read: the cluster model's application and process
 * statuses, and the instances as placement sees them. Implemented by the host over ClusterModel
 * and ClusterCore; faked in the unit tests.
 */
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";
import type { PlacementContext } from "../strategies/placement.js";
import type { Identifier } from "../types.js";
import type { CommanderLog, CommandRequest } from "./types.js";
import type { ProcessEvent } from "../types.js";

export interface CommanderContext {
  readonly localIdentifier: Identifier;
  applicationNames(): readonly string[];
  application(name: string): ApplicationStatus | undefined;
  /** Placement's view without the pending loads (the Starter adds its own). */
  placement(): Omit<PlacementContext, "pendingLoad">;
}

/** The output buffer the parts of the commander share, and the time of the current input. */
export interface Outbox {
  nowMs: number;
  request(r: CommandRequest): void;
  force(e: ProcessEvent): void;
  log(level: CommanderLog["level"], text: string): void;
}

/** A forced state for a process (spec §4.7): applied only if no newer real event of `target` exists. */
export function forcedEvent(p: ProcessStatus, target: Identifier | null, state: number, reason: string): ProcessEvent {
  const r = target === null ? undefined : p.records.get(target);
  return {
    identifier: target ?? "",
    nick_identifier: "",
    name: p.name,
    group: p.application,
    state,
    now: 0,
    // The target's own time of its last event: a real event it sends later wins over this.
    now_monotonic: r?.event_time ?? 0,
    pid: 0,
    expected: false,
    spawnerr: reason,
    extra_args: r?.extra_args ?? "",
    disabled: r?.disabled ?? false,
    forced: true,
  };
}
