/**
 * The order of work of a rolling restart (ours, `supvisors.rolling_restart`): the target's
 * running processes grouped by the instance they run on, the instances taken in the
 * supvisors_list order, `batchSize` instances per batch. Pure: the executor
 * (service/rolling-restart.ts) carries the plan out, one batch after the other.
 */
import type { Identifier } from "../types.js";

/** One process of the target and the instances where it is RUNNING now. */
export interface RollingCandidate {
  readonly namespec: string;
  readonly runningOn: readonly Identifier[];
}

/** The processes to restart on one instance. */
export interface RollingStep {
  readonly identifier: Identifier;
  readonly namespecs: readonly string[];
}

/** Instances restarted together; the next batch begins once all of them are ready again. */
export type RollingBatch = readonly RollingStep[];

/**
 * Batches of at most `batchSize` instances (>= 1), in `order` (instances missing from it come
 * last, by identifier); inside a step the namespecs keep the candidates' order. Empty when nothing
 * runs.
 */
export function planRollingRestart(candidates: readonly RollingCandidate[], order: readonly Identifier[], batchSize: number): RollingBatch[] {
  if (!(batchSize >= 1)) throw new RangeError(`batch size ${batchSize} < 1`);
  const byInstance = new Map<Identifier, string[]>();
  for (const c of candidates) {
    for (const id of new Set(c.runningOn)) {
      const list = byInstance.get(id) ?? [];
      if (!list.includes(c.namespec)) list.push(c.namespec);
      byInstance.set(id, list);
    }
  }
  const rank = (id: Identifier) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  const ids = [...byInstance.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const size = Math.floor(batchSize);
  const batches: RollingBatch[] = [];
  for (let i = 0; i < ids.length; i += size) batches.push(ids.slice(i, i + size).map((id) => ({ identifier: id, namespecs: byInstance.get(id)! })));
  return batches;
}
