/**
 * The starting model of test_start_application / test_start_process (spec §6.10): plans exactly
 * like the Starter (same placement functions, strategy, distribution, pending loads) on a copy of
 * the loads, as if every start succeeded rank after rank, and tells where each process would run.
 * Nothing is sent and nothing is changed.
 */
import type { StartingStrategy } from "../../protocol/supvisors.js";
import type { ApplicationStatus } from "../context/application-status.js";
import { STOPPED_STATES, stateName, type ProcessStatus } from "../context/process-status.js";
import type { PlacementContext } from "../strategies/placement.js";
import type { Identifier } from "../types.js";
import { applicationInstances, hashAssignments, processTarget } from "./placement-plan.js";
import { startSequence } from "./sequences.js";
import { NO_RESOURCE } from "./starter.js";

/** DistributionPrediction (spec §5.2). */
export interface Prediction {
  readonly application_name: string;
  readonly process_name: string;
  readonly state: string;
  readonly forced_reason: string;
  readonly running_identifiers: Identifier[];
}

/** The load each simulated start adds, on top of the real context's. */
function simulated(ctx: PlacementContext): { ctx: PlacementContext; add(id: Identifier, load: number): void } {
  const extra = new Map<Identifier, number>();
  return {
    ctx: { ...ctx, pendingLoad: (id) => ctx.pendingLoad(id) + (extra.get(id) ?? 0) },
    add: (id, load) => extra.set(id, (extra.get(id) ?? 0) + load),
  };
}

function predictOne(p: ProcessStatus, waitExit: boolean, target: () => Identifier | null, sim: ReturnType<typeof simulated>): Prediction {
  const base = { application_name: p.application, process_name: p.name };
  if (!STOPPED_STATES.has(p.displayedState) && p.running.size > 0) {
    // Already running: the Starter skips it; it stays as it is.
    return { ...base, state: stateName(p.displayedState), forced_reason: "", running_identifiers: [...p.running] };
  }
  const id = target();
  if (id === null) return { ...base, state: "FATAL", forced_reason: NO_RESOURCE, running_identifiers: [] };
  sim.add(id, p.rules.expectedLoading);
  return waitExit ? { ...base, state: "EXITED", forced_reason: "", running_identifiers: [] } : { ...base, state: "RUNNING", forced_reason: "", running_identifiers: [id] };
}

const byName = (a: Prediction, b: Prediction) => (a.application_name + "\0" + a.process_name < b.application_name + "\0" + b.process_name ? -1 : 1);

export function predictApplication(app: ApplicationStatus, strategy: StartingStrategy, ctx: PlacementContext, assigned: ReadonlyMap<string, Identifier>): Prediction[] {
  const sim = simulated(ctx);
  const hashes = new Map([...assigned, ...hashAssignments(app, ctx, assigned)]);
  const instances = applicationInstances(app, strategy, sim.ctx);
  const out: Prediction[] = [];
  for (const processes of startSequence(app).values()) {
    for (const p of processes) out.push(predictOne(p, p.rules.waitExit, () => processTarget(p, strategy, sim.ctx, instances, hashes), sim));
  }
  return out.sort(byName);
}

export function predictProcesses(app: ApplicationStatus, processes: readonly ProcessStatus[], strategy: StartingStrategy, ctx: PlacementContext, assigned: ReadonlyMap<string, Identifier>): Prediction[] {
  const sim = simulated(ctx);
  const instances = applicationInstances(app, strategy, sim.ctx);
  return processes.map((p) => predictOne(p, false, () => processTarget(p, strategy, sim.ctx, instances, assigned), sim)).sort(byName);
}

