/**
 * Placement (spec §6.1-6.3, §3.6, §15 items 13-14): which instance (or node) a process or an
 * application starts on. Pure functions: the caller hands in the instance list, the loads and
 * the configuration filter; nothing here reads a clock, a socket or the cluster model.
 */
import type { DistributionRule, StartingStrategy, SupvisorsInstanceStateName } from "../../protocol/supvisors.js";
import type { Identifier } from "../types.js";

/** One instance as placement sees it, in supvisors_list order. */
export interface PlacementInstance {
  readonly identifier: Identifier;
  readonly nick: string;
  /** Node identity: instances with the same machineId are on one node ("" = unknown: its own node, keyed by identifier). */
  readonly machineId: string;
  readonly stereotypes: readonly string[];
  readonly state: SupvisorsInstanceStateName;
}

export interface PlacementContext {
  readonly instances: readonly PlacementInstance[];
  /** The instance running the Starter (LOCAL strategy). */
  readonly localIdentifier: Identifier;
  /** Sum of expected_loading of processes running-like (STARTING, RUNNING, BACKOFF, STOPPING) on that instance. */
  load(id: Identifier): number;
  /** Sum of expected_loading of processes already assigned to that instance by planned / in-progress start jobs but still stopped. */
  pendingLoad(id: Identifier): number;
}

/** The distribution rules that choose one place for the whole application before its first rank (§6.3). */
export type NonDistributedRule = Exclude<DistributionRule, "ALL_INSTANCES">;

/** The sign, in a rule's `identifiers`, that defers the choice to the caller (§3.6). */
const DEFERRED_SIGNS: ReadonlySet<string> = new Set(["#", "@"]);

/** The strategies that sort the valid candidates by a pair of loads (§6.2). */
type SortingStrategy = Exclude<StartingStrategy, "CONFIG" | "LOCAL">;

/** How a sorting strategy orders the valid candidates: which load comes first in the key, and which end wins. */
interface SortOrder {
  readonly first: "instance" | "node";
  readonly pick: "min" | "max";
}

const SORT_ORDERS: Readonly<Record<SortingStrategy, SortOrder>> = {
  LESS_LOADED: { first: "instance", pick: "min" },
  MOST_LOADED: { first: "instance", pick: "max" },
  LESS_LOADED_NODE: { first: "node", pick: "min" },
  MOST_LOADED_NODE: { first: "node", pick: "max" },
};

function findInstance(id: Identifier, ctx: PlacementContext): PlacementInstance | undefined {
  return ctx.instances.find((i) => i.identifier === id);
}

/**
 * The key grouping instances into nodes (§6.1 "same machine id"). An unknown machine id (network
 * info not yet received) makes the instance a node of its own; the prefixes keep a machine id from
 * colliding with an identifier.
 */
export function nodeKey(id: Identifier, ctx: PlacementContext): string {
  const machineId = findInstance(id, ctx)?.machineId ?? "";
  return machineId === "" ? `instance:${id}` : `machine:${machineId}`;
}

/** The identifiers on the node of `id` (itself included), in list order; just `id` when it is not in the list. */
export function nodeMembers(id: Identifier, ctx: PlacementContext): Identifier[] {
  if (!findInstance(id, ctx)) return [id];
  const key = nodeKey(id, ctx);
  return ctx.instances.filter((i) => nodeKey(i.identifier, ctx) === key).map((i) => i.identifier);
}

/**
 * Rule candidates (§6.1 step 1, §3.6 `*`): a list holding `*` means every known instance in list
 * order; otherwise each name, in written order, is an identifier, else a nick, else a stereotype
 * (all its instances); unknown names are dropped and duplicates removed. `#`/`@` are resolved lazily
 * by the caller (§15 item 14), so they are skipped here.
 */
export function resolveIdentifiers(names: readonly string[], ctx: PlacementContext): Identifier[] {
  if (names.includes("*")) return ctx.instances.map((i) => i.identifier);
  const out: Identifier[] = [];
  const add = (id: Identifier): void => {
    if (!out.includes(id)) out.push(id);
  };
  for (const name of names) {
    if (DEFERRED_SIGNS.has(name)) continue;
    const byId = ctx.instances.find((i) => i.identifier === name);
    if (byId) {
      add(byId.identifier);
      continue;
    }
    const byNick = ctx.instances.find((i) => i.nick === name);
    if (byNick) {
      add(byNick.identifier);
      continue;
    }
    for (const i of ctx.instances) if (i.stereotypes.includes(name)) add(i.identifier);
  }
  return out;
}

/**
 * Configuration and liveness filters (§6.1 steps 2-3): an instance is a candidate only if it is
 * RUNNING (CHECKED and the others are excluded) and defines the process, not disabled there.
 */
export function filterCandidates(candidates: readonly Identifier[], ctx: PlacementContext, eligible: (id: Identifier) => boolean): Identifier[] {
  return candidates.filter((id) => findInstance(id, ctx)?.state === "RUNNING" && eligible(id));
}

/** The load test is per node (§6.1 step 4, §15 item 13): a node's load sums its instances' loads. */
export function nodeLoad(id: Identifier, ctx: PlacementContext): number {
  return nodeMembers(id, ctx).reduce((sum, m) => sum + ctx.load(m), 0);
}

/** Pending loads count like loads (§6.1 step 4): a node's pending load sums its instances' pending loads. */
export function nodePendingLoad(id: Identifier, ctx: PlacementContext): number {
  return nodeMembers(id, ctx).reduce((sum, m) => sum + ctx.pendingLoad(m), 0);
}

/** Validity (§6.1 step 4): `node_load + pending_node_load + expected_load <= 100`; loads are never capped. */
export function isValid(id: Identifier, expectedLoad: number, ctx: PlacementContext): boolean {
  return nodeLoad(id, ctx) + nodePendingLoad(id, ctx) + expectedLoad <= 100;
}

/** The sort key of a candidate (§6.1 "per-instance value used for sorting" includes the pending loads). */
function sortKey(id: Identifier, order: SortOrder, ctx: PlacementContext): readonly [number, number] {
  const instance = ctx.load(id) + ctx.pendingLoad(id);
  const node = nodeLoad(id, ctx) + nodePendingLoad(id, ctx);
  return order.first === "instance" ? [instance, node] : [node, instance];
}

function compareKeys(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * Starting strategies (§6.2) applied to the valid candidates: CONFIG takes the first; the sorting
 * strategies take the min (ties -> earliest) or max (ties -> latest) of their load pair; LOCAL takes
 * the Starter's own instance or nothing. Null means "No resource available" (the caller forces FATAL).
 */
export function chooseInstance(strategy: StartingStrategy, candidates: readonly Identifier[], expectedLoad: number, ctx: PlacementContext): Identifier | null {
  const valid = candidates.filter((id) => isValid(id, expectedLoad, ctx));
  switch (strategy) {
    case "CONFIG":
      return valid[0] ?? null;
    case "LOCAL":
      return valid.includes(ctx.localIdentifier) ? ctx.localIdentifier : null;
    default: {
      const order = SORT_ORDERS[strategy];
      let best: Identifier | null = null;
      let bestKey: readonly [number, number] = [0, 0];
      for (const id of valid) {
        const key = sortKey(id, order, ctx);
        const cmp = best === null ? 0 : compareKeys(key, bestKey);
        // min keeps the earliest of equals (strict <); max moves to the latest of equals (>=).
        if (best === null || (order.pick === "min" ? cmp < 0 : cmp >= 0)) {
          best = id;
          bestKey = key;
        }
      }
      return best;
    }
  }
}

/**
 * SINGLE_NODE (§6.3): the strategy, applied with the application load, picks an instance whose node
 * wins; the application's processes are then placed among that node's candidate instances (list
 * order). An empty list means every process fails with "No resource available".
 */
export function chooseNode(strategy: StartingStrategy, candidates: readonly Identifier[], applicationLoad: number, ctx: PlacementContext): Identifier[] {
  const chosen = chooseInstance(strategy, candidates, applicationLoad, ctx);
  if (chosen === null) return [];
  const key = nodeKey(chosen, ctx);
  const rank = (id: Identifier): number => {
    const i = ctx.instances.findIndex((x) => x.identifier === id);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  return candidates.filter((id) => nodeKey(id, ctx) === key).sort((a, b) => rank(a) - rank(b));
}

type IndexedProcess = { readonly name: string; readonly index: number };

function byIndex(processes: readonly IndexedProcess[]): IndexedProcess[] {
  return [...processes].sort((a, b) => a.index - b.index);
}

/**
 * `#` on a program (§3.6): each not-yet-assigned process, by process_index, goes to the reference
 * instance that holds the fewest processes of the program so far (ties -> reference order), which is
 * a round robin rolling over when processes outnumber instances. Already assigned processes keep
 * their instance. The result holds every entry of `assigned` plus the new assignments.
 */
export function assignHash(processes: readonly IndexedProcess[], reference: readonly Identifier[], assigned: ReadonlyMap<string, Identifier>): Map<string, Identifier> {
  const result = new Map(assigned);
  if (reference.length === 0) return result;
  const counts = new Map<Identifier, number>(reference.map((id) => [id, 0]));
  for (const p of processes) {
    const id = assigned.get(p.name);
    if (id !== undefined && counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  for (const p of byIndex(processes)) {
    if (result.has(p.name)) continue;
    let best = reference[0]!;
    for (const id of reference) if ((counts.get(id) ?? 0) < (counts.get(best) ?? 0)) best = id;
    result.set(p.name, best);
    counts.set(best, (counts.get(best) ?? 0) + 1);
  }
  return result;
}

/**
 * `@` on a program (§3.6): like `#` without roll-over; the not-yet-assigned processes, by
 * process_index, are zipped with the reference instances no process of the program holds yet, and
 * the processes in excess stay unassigned (absent from the result: Supvisors cannot start them).
 */
export function assignAt(processes: readonly IndexedProcess[], reference: readonly Identifier[], assigned: ReadonlyMap<string, Identifier>): Map<string, Identifier> {
  const result = new Map(assigned);
  const taken = new Set(processes.map((p) => assigned.get(p.name)).filter((id): id is Identifier => id !== undefined));
  const free = reference.filter((id, i) => !taken.has(id) && reference.indexOf(id) === i);
  const pending = byIndex(processes).filter((p) => !result.has(p.name));
  pending.forEach((p, i) => {
    const id = free[i];
    if (id !== undefined) result.set(p.name, id);
  });
  return result;
}

const APPLICATION_SUFFIX = /[-_](\d+)$/;

/**
 * `#` on an application (§3.6, 0.13+ roll-over): the group name ends with `-N` or `_N` (N >= 1, zero
 * padding allowed) and the application goes to reference[(N-1) mod length]; a non-conforming name or
 * an empty reference gives null (the caller logs an error and resets start_sequence to 0).
 */
export function applicationHashIdentifier(application: string, reference: readonly Identifier[]): Identifier | null {
  const match = APPLICATION_SUFFIX.exec(application);
  if (!match || reference.length === 0) return null;
  const n = Number.parseInt(match[1]!, 10);
  if (n < 1) return null;
  return reference[(n - 1) % reference.length] ?? null;
}
