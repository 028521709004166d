/**
 * Start and stop sequences (spec §3.7): processes grouped by rank. A start sequence runs its
 * ranks > 0 lowest first; a stop sequence runs every rank, greatest first (0 and the unmanaged
 * default -1 last). Pure.
 */
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";

/** Ranks > 0 of an application's start sequence, ascending; processes in the model's order. */
export function startSequence(app: ApplicationStatus): Map<number, ProcessStatus[]> {
  return byRank([...app.processes.values()].filter((p) => p.rules.startSequence > 0), (p) => p.rules.startSequence, (a, b) => a - b);
}

/** Every given process grouped by stop_sequence, greatest rank first. */
export function stopSequence(processes: readonly ProcessStatus[]): Map<number, ProcessStatus[]> {
  return byRank(processes, (p) => p.rules.stopSequence, (a, b) => b - a);
}

/** Sum of expected_loading over an application's start sequence (SINGLE_INSTANCE / SINGLE_NODE load). */
export function applicationLoad(app: ApplicationStatus): number {
  let load = 0;
  for (const p of app.processes.values()) if (p.rules.startSequence > 0) load += p.rules.expectedLoading;
  return load;
}

function byRank(processes: readonly ProcessStatus[], rank: (p: ProcessStatus) => number, order: (a: number, b: number) => number): Map<number, ProcessStatus[]> {
  const groups = new Map<number, ProcessStatus[]>();
  for (const p of processes) {
    const r = rank(p);
    let list = groups.get(r);
    if (!list) groups.set(r, (list = []));
    list.push(p);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => order(a, b)));
}
