/**
 * Where the processes of an application start (spec §6.1-6.3, §3.6): the application-level choice
 * of SINGLE_INSTANCE / SINGLE_NODE, the per-process choice, and the lazy `#` / `@` assignments.
 * Pure functions over the model's statuses and a placement context, shared by the Starter and
 * the starting model of test_start_* (which must plan exactly like it).
 */
import type { StartingStrategy } from "../../protocol/supvisors.js";
import type { ApplicationStatus } from "../context/application-status.js";
import type { ProcessStatus } from "../context/process-status.js";
import { applicationHashIdentifier, assignAt, assignHash, chooseInstance, chooseNode, filterCandidates, resolveIdentifiers, type PlacementContext } from "../strategies/placement.js";
import type { Identifier } from "../types.js";
import { applicationLoad } from "./sequences.js";

/** The process is configured on that instance and not disabled there (the configuration filter). */
export function eligibleOn(p: ProcessStatus, id: Identifier): boolean {
  const r = p.records.get(id);
  return r !== undefined && !r.disabled;
}

/**
 * SINGLE_INSTANCE / SINGLE_NODE: the instances chosen for the whole application before its first
 * rank ([] = none valid: every process fails with "No resource available"); null for
 * ALL_INSTANCES (each process is placed on its own).
 */
export function applicationInstances(app: ApplicationStatus, strategy: StartingStrategy, ctx: PlacementContext): Identifier[] | null {
  if (app.rules.distribution === "ALL_INSTANCES") return null;
  const all = [...app.processes.values()];
  const names = app.rules.identifiers;
  let candidates: Identifier[];
  if (names.includes("#")) {
    const reference = resolveIdentifiers(names.filter((n) => n !== "#"), ctx);
    const one = applicationHashIdentifier(app.name, reference.length > 0 ? reference : ctx.instances.map((i) => i.identifier));
    candidates = one === null ? [] : [one];
  } else candidates = resolveIdentifiers(names.length ? names : ["*"], ctx);
  if (app.rules.distribution === "SINGLE_INSTANCE") {
    const valid = filterCandidates(candidates, ctx, (id) => all.every((p) => eligibleOn(p, id)));
    const one = chooseInstance(strategy, valid, applicationLoad(app), ctx);
    return one === null ? [] : [one];
  }
  // SINGLE_NODE: the instances of the nodes where every process has an eligible instance.
  const nodeOf = (id: Identifier) => ctx.instances.find((i) => i.identifier === id)?.machineId || id;
  const byNode = new Map<string, Identifier[]>();
  for (const id of filterCandidates(candidates, ctx, () => true)) byNode.set(nodeOf(id), [...(byNode.get(nodeOf(id)) ?? []), id]);
  const nodeCandidates = [...byNode.values()].filter((ids) => all.every((p) => ids.some((id) => eligibleOn(p, id)))).flat();
  return chooseNode(strategy, nodeCandidates, applicationLoad(app), ctx);
}

/** The instance a process starts on, or null ("No resource available"). */
export function processTarget(
  p: ProcessStatus,
  strategy: StartingStrategy,
  ctx: PlacementContext,
  appInstances: readonly Identifier[] | null,
  hashAssigned: ReadonlyMap<string, Identifier>,
  /** Ours: instances left out (a process that failed its readiness there moves elsewhere). */
  avoid: ReadonlySet<Identifier> = new Set(),
): Identifier | null {
  let candidates: readonly Identifier[];
  if (appInstances !== null) candidates = appInstances;
  else if (p.rules.hashSign !== "none") {
    const assigned = hashAssigned.get(p.namespec);
    candidates = assigned === undefined ? [] : [assigned];
  } else candidates = resolveIdentifiers(p.rules.identifiers.length ? p.rules.identifiers : ["*"], ctx);
  const valid = filterCandidates(candidates, ctx, (id) => eligibleOn(p, id) && !avoid.has(id));
  return chooseInstance(strategy, valid, p.rules.expectedLoading, ctx);
}

/** `#` / `@` of an application's programs, assigned when it is planned (spec §3.6): the new assignments (namespec -> instance). */
export function hashAssignments(app: ApplicationStatus, ctx: PlacementContext, already: ReadonlyMap<string, Identifier>): Map<string, Identifier> {
  const out = new Map<string, Identifier>();
  const byProgram = new Map<string, ProcessStatus[]>();
  for (const p of app.processes.values()) {
    if (p.rules.hashSign === "none") continue;
    const program = programOf(p);
    byProgram.set(program, [...(byProgram.get(program) ?? []), p]);
  }
  for (const processes of byProgram.values()) {
    const rules = processes[0]!.rules;
    const names = rules.identifiers.filter((n) => n !== "#" && n !== "@");
    const reference = names.length === 0 || names.includes("*") ? ctx.instances.map((i) => i.identifier) : resolveIdentifiers(names, ctx);
    const assigned = new Map<string, Identifier>();
    for (const p of processes) {
      const a = already.get(p.namespec);
      if (a !== undefined) assigned.set(p.name, a);
    }
    const items = processes.map((p) => ({ name: p.name, index: indexOf(p) }));
    const result = rules.hashSign === "@" ? assignAt(items, reference, assigned) : assignHash(items, reference, assigned);
    for (const p of processes) {
      const id = result.get(p.name);
      if (id !== undefined && !already.has(p.namespec)) out.set(p.namespec, id);
    }
  }
  return out;
}

function programOf(p: ProcessStatus): string {
  for (const r of p.records.values()) return r.program_name;
  return p.name;
}

function indexOf(p: ProcessStatus): number {
  for (const r of p.records.values()) return r.process_index;
  return 0;
}
