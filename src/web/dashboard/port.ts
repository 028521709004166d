/**
 * What the dashboard reads and calls: the `supvisors.*` status answers (the same payloads the
 * XML-RPC clients get), the RPC registry for every action (so an action's faults and `wait`
 * rules are exactly a client's), the statistics histories, the network descriptions for links,
 * and a change feed for the live pages. The Supvisors layer builds it (supvisors/boot.ts); the
 * pages decide nothing about the cluster, they only show these answers and forward the clicks.
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import type { RpcResult } from "../../supervisord/rpc/registry.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { HostHistory, ProcessHistory } from "../../supvisors/stats/types.js";
import type { NetworkDescription } from "../../supvisors/types.js";

/** A payload as the API answers it. */
export type Payload = { readonly [k: string]: unknown };

/**
 * What changed, named as the event interface's headers (spec §7.2), the live pages refresh on
 * it; `tick` is an `instance` event that changed no state, load or failure (a TICK's clocks).
 */
export type ChangeTopic = SupvisorsEventHeader | "tick";

export interface DashboardInstance {
  readonly identifier: string;
  readonly nick: string;
  readonly hostId: string;
  readonly httpPort: number;
}

export interface DashboardOptions {
  readonly softwareName: string;
  /** A PNG file served as `/software_icon.png`, or null. */
  readonly softwareIcon: string | null;
  /** User stylesheets, served as `/css/<index>.css` and linked last. */
  readonly cssFiles: readonly string[];
  readonly statsPeriods: readonly number[];
  readonly startingStrategy: string;
  readonly tailLimit: number;
  readonly tailfLimit: number;
  readonly discoveryMode: boolean;
  /** USER is among synchro_options: the user may end the synchronization from the main page. */
  readonly userSync: boolean;
}

/** The SupvisorsService status methods the pages read (their payloads, or a ServiceFault). */
export interface DashboardReads {
  getSupvisorsState(): Payload;
  getAllInstancesStateModes(): readonly Payload[];
  getAllInstancesInfo(): readonly Payload[];
  getAllApplicationsInfo(): readonly Payload[];
  getApplicationInfo(name: string): Payload;
  getApplicationRules(name: string): Payload;
  getAllProcessInfo(): readonly Payload[];
  getAllLocalProcessInfo(): readonly Payload[];
  getAllInnerProcessInfo(identifier: string): readonly Payload[];
  getProcessRules(namespec: string): readonly Payload[];
  getConflicts(): readonly Payload[];
  getStatisticsStatus(): Payload;
  /** Why a process shows a forced state (a start that failed elsewhere: `No resource available`...), by namespec; only forced ones. */
  forcedReasons(): ReadonlyMap<string, string>;
}

/** Dashboard-only orders with no XML-RPC method (the conciliation page's buttons). */
export interface DashboardOrders {
  /** A conciliation strategy on one conflict (namespec) or on all (null); false when nothing was done. */
  conciliateProcess(strategy: string, namespec: string | null): boolean;
  /** Stops a process on one instance; resolves when it no longer runs there. */
  stopProcessOn(namespec: string, identifier: string): Promise<boolean>;
  /** Stops a process everywhere but on one instance; resolves when it runs nowhere else. */
  keepProcessOn(namespec: string, identifier: string): Promise<boolean>;
}

export interface DashboardPort {
  readonly version: string;
  readonly local: DashboardInstance;
  /** In configuration order. */
  readonly instances: readonly DashboardInstance[];
  /** Ours: "https" when the inet servers have certfile/keyfile (the cluster's peers too). */
  readonly scheme?: "http" | "https";
  readonly options: DashboardOptions;
  readonly reads: DashboardReads;
  readonly orders: DashboardOrders;
  /** A `system.*`, `supervisor.*` or `supvisors.*` method as a client calls it (RpcFault on refusal). */
  call(method: string, params: RpcValue[]): RpcResult;
  /** Series of a host / process on an instance for a period (stats_periods); null when none. */
  hostHistory(identifier: string, period: number): HostHistory | null;
  processHistory(identifier: string, namespec: string, period: number): ProcessHistory | null;
  /** Network description of an instance (ours, or the peer's from its handshake). */
  network(identifier: string): NetworkDescription | null;
  /** Calls `cb` on every change of the cluster's view; returns the unsubscribe. */
  onChange(cb: (topic: ChangeTopic) => void): () => void;
}
