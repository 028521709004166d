/**
 * What the Supvisors host drives: the internal transport, the peers' XML-RPC, the cluster model
 * and the local supervisord. Interfaces only, so the host is tested with fakes and the concrete
 * modules (cluster/, context/, supervisord/) stay replaceable.
 */
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { LogLevelName } from "../../supervisord/logs/levels.js";
import type { ManagedGroup } from "../../supervisord/service/model.js";
import type { SupervisorEvent } from "../../supervisord/events/types.js";
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";
import type { ModelView } from "../service/supvisors-service.js";
import type { Identifier, InternalMessage, LocalProcessInfo, ProcessEvent } from "../types.js";

/** The internal pub/sub (cluster/internal-bus.ts). */
export interface TransportPort {
  publish(msg: InternalMessage): void;
  onMessage(cb: (from: Identifier, msg: InternalMessage) => void): void;
  onRejected(cb: (from: Identifier | undefined, reason: string) => void): void;
  onPeerDisconnected(cb: (id: Identifier) => void): void;
  close(): Promise<void>;
}

/** One XML-RPC call to a peer (cluster/peer-rpc.ts); rejects with a fault or a transport error. */
export interface PeerCallerPort {
  call(id: Identifier, method: string, params: readonly RpcValue[], timeoutMs?: number): Promise<unknown>;
  isFault(err: unknown): boolean;
  close(): void;
}

/** The cluster model's inputs (context/), beside the queries the service reads. */
export interface ModelPort extends ModelView {
  loadInstance(id: Identifier, infos: readonly LocalProcessInfo[], nowMs: number): void;
  /** Returns whether it was applied. */
  applyEvent(event: ProcessEvent, nowMs: number): boolean;
  addProcess(id: Identifier, info: LocalProcessInfo, nowMs: number): void;
  removeProcess(id: Identifier, group: string, name: string, nowMs: number): void;
  setDisability(id: Identifier, info: LocalProcessInfo, nowMs: number): void;
  /** Returns the processes that ran there and now run nowhere (the lost processes, spec §6.9). */
  instanceLost(id: Identifier, nowMs: number): ProcessStatus[];
  applicationStatus(application: string): ApplicationStatus | undefined;
  processStatus(application: string, process: string): ProcessStatus | undefined;
  /** A TICK of the instance: its records' now / now_monotonic. */
  refreshTimes(id: Identifier, remoteMtime: number, remoteTime: number, nowMs: number): void;
  /** Whether managed applications have processes running on more than one instance. */
  hasConflicts(): boolean;
}

/** The local supervisord as the host sees it. */
export interface LocalSupervisorPort {
  groups(): readonly ManagedGroup[];
  subscribe(cb: (e: SupervisorEvent) => void): () => void;
  restart(): void;
  shutdown(): void;
  /** start_args on the local supervisord (extra arguments, then startProcess without wait); rejects with its fault. */
  startArgs(namespec: string, extraArgs: string): Promise<void>;
  /** supervisor.stopProcess(namespec, false) on the local supervisord; rejects with its fault. */
  stopProcess(namespec: string): Promise<void>;
}

/** The event interface (publish/): the host calls it at each trigger of spec §7.4. */
export interface EventsPort {
  supvisors(): void;
  /** InstanceInfo of an instance: on a state change, or (`tick`) on a TICK that only moves its clocks. */
  instance(id: Identifier, tick?: boolean): void;
  /** A process event as received (or forced), before it is stamped. */
  processEvent(event: object): void;
  /** The process's status, DELETED when no instance defines it any more. */
  process(application: string, name: string): void;
  application(application: string): void;
}

export const NO_EVENTS: EventsPort = { supvisors() {}, instance() {}, processEvent() {}, process() {}, application() {} };

/** Where the peers' statistics samples go (src/supvisors/stats/statistics.ts). */
export interface StatsPort {
  onRemote(from: Identifier, msg: Extract<InternalMessage, { kind: "stats" }>): void;
  instanceLost(id: Identifier): void;
}

export const NO_STATS: StatsPort = { onRemote() {}, instanceLost() {} };

export interface LoggerPort {
  log(level: LogLevelName, text: string): void;
}
