/**
 * The typed inputs and outputs of ClusterCore: what the host hands in (options, TICK payloads,
 * handshake results) and what it drains with takeReady() (raft's `Ready`), plus the answers of
 * the calls that can be refused.
 */
import type {
  ConciliationStrategy,
  StartingStrategy,
  SupvisorsFailureStrategy,
  SupvisorsInstanceStateName,
  SupvisorsStateName,
  SynchronizationOption,
} from "../../protocol/supvisors.js";
import type { Identifier, InstanceIdentity, StateModes } from "../types.js";

export interface ClusterCoreOptions {
  readonly synchroOptions: readonly SynchronizationOption[];
  /** seconds (TIMEOUT condition). */
  readonly synchroTimeout: number;
  /** Counted local ticks of silence after which an active peer is FAILED (failure-detector.ts). */
  readonly inactivityTicks: number;
  /** seconds between two calls of tick(). */
  readonly tickPeriod: number;
  /** Already resolved to identifiers (nicks and stereotypes expanded by the options reader). */
  readonly coreIdentifiers: readonly Identifier[];
  readonly autoFence: boolean;
  /** Forced to CONTINUE when TIMEOUT is in synchroOptions (spec §4.3). */
  readonly supvisorsFailureStrategy: SupvisorsFailureStrategy;
  /** Split-brain protection (ours): false restores Supvisors' behaviour. */
  readonly quorum: boolean;
  /** For strategies() and the handshake's consistency check. */
  readonly startingStrategy: StartingStrategy;
  readonly conciliationStrategy: ConciliationStrategy;
  /** Reported in StateModes (discovery itself is not handled by the core). Default false. */
  readonly discoveryMode?: boolean;
}

export interface ClusterCoreInit {
  /** supvisors_list, resolved, in order. */
  readonly instances: readonly InstanceIdentity[];
  readonly localIdentifier: Identifier;
  readonly options: ClusterCoreOptions;
  /** Monotonic ms at start (the OFF entry: every uptime is measured from here). */
  readonly startMs: number;
  /** Wall-clock ms at the same moment (local_time of InstanceInfo is derived from it). Default 0. */
  readonly startWallMs?: number;
}

/** A TICK as a peer publishes it (spec §8.2, plus our boot id). `when` in seconds. */
export interface TickPayload {
  readonly boot: string;
  readonly sequence_counter: number;
  readonly when: number;
  readonly when_monotonic: number;
}

/** How a handshake with an instance ended (spec §4.6). */
export type HandshakeResult =
  | { readonly kind: "authorized"; readonly stateModes: StateModes; readonly machineId: string; readonly stereotypes: readonly string[] }
  /** The peer sees us ISOLATED. */
  | { readonly kind: "not_authorized" }
  /** The peer's get_strategies() differs from ours (sameStrategies). */
  | { readonly kind: "inconsistent" }
  /** An XML-RPC fault: back to STOPPED, retried on its next TICK. */
  | { readonly kind: "unknown" }
  /** A transport failure at any step: FAILED. */
  | { readonly kind: "transport_failure" };

/** The get_strategies() payload (spec §5.3). */
export interface Strategies {
  readonly "auto-fencing": boolean;
  readonly starting: StartingStrategy;
  readonly conciliation: ConciliationStrategy;
  readonly supvisors_failure: SupvisorsFailureStrategy;
}

export type LogLevel = "critical" | "error" | "warn" | "info" | "debug" | "trace";
export interface LogLine {
  readonly level: LogLevel;
  readonly text: string;
}

export interface HandshakeRequest {
  readonly identifier: Identifier;
  /** Pass it back to handshakeDone() unchanged. */
  readonly startedAtMs: number;
}

export interface FsmTransition {
  readonly from: SupvisorsStateName;
  readonly to: SupvisorsStateName;
}

export interface InstanceTransition {
  readonly identifier: Identifier;
  readonly from: SupvisorsInstanceStateName;
  readonly to: SupvisorsInstanceStateName;
}

/** What the host must do, in order. */
export type CoreAction =
  /** Entry of SYNCHRONIZATION, ELECTION, RESTARTING, SHUTTING_DOWN: abort Starter/Stopper/failure jobs. */
  | { readonly kind: "abort_jobs" }
  /** Master entering DISTRIBUTION: Starter.start_applications(); report jobs with jobsChanged(). */
  | { readonly kind: "start_applications" }
  /** Master entering CONCILIATION (and on each tick while conflicts remain): apply conciliation_strategy. */
  | { readonly kind: "conciliate" }
  /** Master entering RESTARTING/SHUTTING_DOWN: Stopper.stop_applications() (global stop sequence). */
  | { readonly kind: "stop_applications" }
  /** Exit of RESTARTING / SHUTTING_DOWN: supervisor.restart() / supervisor.shutdown() on the local Supervisor. */
  | { readonly kind: "restart_local" }
  | { readonly kind: "shutdown_local" };

/** Everything the core produced since the last takeReady(), in order of production. */
export interface Ready {
  /** The TICK to publish to every non-isolated peer (publishTargets()), after a tick(). */
  readonly tick: { readonly sequence_counter: number; readonly when_monotonic: number } | null;
  /** The local StateModes to publish to every active peer, when they changed. */
  readonly stateModes: StateModes | null;
  readonly handshakes: readonly HandshakeRequest[];
  /** Instances that became FAILED: their processes are lost (spec §6.9). */
  readonly failed: readonly Identifier[];
  /** FAILED instances invalidated; to ISOLATED: stop every exchange with it. */
  readonly invalidated: readonly { readonly identifier: Identifier; readonly to: "STOPPED" | "ISOLATED" }[];
  readonly instanceTransitions: readonly InstanceTransition[];
  readonly transitions: readonly FsmTransition[];
  readonly actions: readonly CoreAction[];
  readonly logs: readonly LogLine[];
}

/** end_sync refusals (spec §5.3), with the fault the API answers. */
export type EndSyncResult =
  | { readonly ok: true; readonly master: Identifier }
  | {
      readonly ok: false;
      readonly fault: "BAD_SUPVISORS_STATE" | "NOT_APPLICABLE" | "BAD_NAME" | "NOT_RUNNING";
      readonly reason: "not_synchronizing" | "not_applicable" | "already_master" | "unknown" | "not_running" | "no_quorum" | "no_candidate";
      readonly message: string;
    };

/** supvisors.restart() / shutdown() as the core sees it (spec §4.2 "External triggers"). */
export type ClosingResult =
  | { readonly kind: "accepted" }
  /** Not the Master: forward supvisors.restart()/shutdown() to it. */
  | { readonly kind: "forward"; readonly master: Identifier }
  | { readonly kind: "refused"; readonly fault: "BAD_SUPVISORS_STATE"; readonly message: string };

/** What InstanceInfo needs from the core (spec §5.2; seconds, times capped like Supvisors). */
export interface InstanceStatus {
  readonly identifier: Identifier;
  readonly nick_identifier: string;
  readonly state: SupvisorsInstanceStateName;
  readonly remote_sequence_counter: number;
  readonly remote_mtime: number;
  readonly remote_time: number;
  readonly local_sequence_counter: number;
  readonly local_mtime: number;
  readonly local_time: number;
  /** From the handshake; "" until known. */
  readonly machine_id: string;
  readonly stereotypes: readonly string[];
}
