/**
 * Stability of the context, the Master check, the Master selection (spec §4.4) and the quorum of
 * our split-brain protection. Pure functions over a snapshot of what the local instance knows.
 */
import type { SupvisorsInstanceStateName } from "../../protocol/supvisors.js";
import type { Identifier, StateModes } from "../types.js";

/** What the local instance knows, as the functions below read it. */
export interface ContextView {
  /** Every known instance in supvisors_list order, with its nick. */
  readonly instances: readonly { readonly identifier: Identifier; readonly nick: string }[];
  /** How the local instance sees each instance. */
  readonly states: ReadonlyMap<Identifier, SupvisorsInstanceStateName>;
  /** The last StateModes of an instance (for the local one: its current StateModes). */
  readonly reported: (id: Identifier) => StateModes | undefined;
}

/** States that may appear in a stable context's maps (spec §4.4). */
const SETTLED: readonly SupvisorsInstanceStateName[] = ["RUNNING", "STOPPED", "ISOLATED"];

/** Identifiers the local instance sees RUNNING, in list order. */
export function runningIdentifiers(view: ContextView): Identifier[] {
  return view.instances.filter((i) => view.states.get(i.identifier) === "RUNNING").map((i) => i.identifier);
}

/**
 * The stable identifiers, or null when the context is unstable: every locally-RUNNING instance
 * (ourselves included) must have reported a map with only RUNNING/STOPPED/ISOLATED in it, and the
 * RUNNING sets of those maps must all be equal. An instance that never reported is unstable.
 */
export function stableIdentifiers(view: ContextView): ReadonlySet<Identifier> | null {
  const running = runningIdentifiers(view);
  if (running.length === 0) return null;
  let reference: ReportedSummary | null = null;
  for (const id of running) {
    const sm = view.reported(id);
    if (!sm) return null;
    const summary = summaryOf(sm);
    if (summary === null) return null;
    if (reference === null) reference = summary;
    else if (summary.key !== reference.key) return null;
  }
  return reference!.running;
}

/** A reported map reduced to what stability compares: its RUNNING set, and that set as one string. */
interface ReportedSummary {
  readonly key: string;
  readonly running: ReadonlySet<Identifier>;
}

/**
 * Summaries by StateModes object (null: a state other than RUNNING/STOPPED/ISOLATED in it). A
 * StateModes object is never modified once received, and a new publication is a new object, so
 * the context is evaluated after each message in O(instances) instead of O(instances^2) with a
 * sort per instance: with 30 instances that was most of an idle instance's CPU.
 */
const summaries = new WeakMap<StateModes, ReportedSummary | null>();

function summaryOf(sm: StateModes): ReportedSummary | null {
  let summary = summaries.get(sm);
  if (summary === undefined) {
    summary = summarise(sm);
    summaries.set(sm, summary);
  }
  return summary;
}

function summarise(sm: StateModes): ReportedSummary | null {
  const ids: Identifier[] = [];
  for (const [other, state] of Object.entries(sm.instance_states)) {
    if (!SETTLED.includes(state)) return null;
    if (state === "RUNNING") ids.push(other);
  }
  ids.sort();
  return { key: ids.join("\n"), running: new Set(ids) };
}

/**
 * The Master check: the one non-empty master_identifier declared by every locally-RUNNING
 * instance, provided the local instance sees it RUNNING; null otherwise.
 */
export function agreedMaster(view: ContextView): Identifier | null {
  const declared = new Set<string>();
  for (const id of runningIdentifiers(view)) declared.add(view.reported(id)?.master_identifier ?? "");
  if (declared.size !== 1) return null;
  const [master] = declared as Set<string>;
  if (!master || view.states.get(master) !== "RUNNING") return null;
  return master;
}

/**
 * The Master selection: masters already declared by RUNNING instances first (so a newcomer, or
 * the side of a healed partition that had none, adopts the existing one), else every RUNNING
 * instance; core instances preferred; the smallest nick wins (string order). Null when nobody runs.
 */
export function selectMaster(view: ContextView, coreIdentifiers: readonly Identifier[]): Identifier | null {
  const running = runningIdentifiers(view);
  const declared = new Set<Identifier>();
  for (const id of running) {
    const m = view.reported(id)?.master_identifier;
    if (m && running.includes(m)) declared.add(m);
  }
  let candidates = declared.size > 0 ? running.filter((id) => declared.has(id)) : running;
  const core = candidates.filter((id) => coreIdentifiers.includes(id));
  if (core.length > 0) candidates = core;
  const nickOf = (id: Identifier) => view.instances.find((i) => i.identifier === id)?.nick ?? id;
  let best: Identifier | null = null;
  for (const id of candidates) if (best === null || nickOf(id) < nickOf(best)) best = id;
  return best;
}

/**
 * The quorum set: the core identifiers when there are some, else every declared instance. A side
 * holds the quorum when it sees a strict majority of that set RUNNING (itself included).
 */
export function holdsQuorum(running: Iterable<Identifier>, quorumSet: readonly Identifier[]): boolean {
  let n = 0;
  for (const id of running) if (quorumSet.includes(id)) n++;
  return n * 2 > quorumSet.length;
}
