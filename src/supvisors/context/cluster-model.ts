/**
 * The cluster model (spec §4.7-4.9): every application and process known on any instance, with
 * the per-instance records, the synthesised states and the loads. The host feeds it (handshake
 * data, process events, lost instances); the service reads it. Pure: no clock, no I/O.
 */
import { ProcessStates } from "../../supervisord/process/states.js";
import type { ModelPort } from "../host/ports.js";
import type { Identifier, InstanceIdentity, LocalProcessInfo, ProcessEvent, RulesLookup } from "../types.js";
import { ApplicationStatus } from "./application-status.js";
import { ProcessStatus } from "./process-status.js";

export interface ClusterModelInit {
  readonly instances: readonly InstanceIdentity[];
  readonly localIdentifier: Identifier;
  readonly rules: RulesLookup;
  /** For the now_monotonic of payloads; default: the last time given to an input. */
  readonly nowMs?: () => number;
}

export class ClusterModel implements ModelPort {
  private readonly apps = new Map<string, ApplicationStatus>();
  private readonly order: readonly Identifier[];
  private readonly rules: RulesLookup;
  private readonly clock: (() => number) | undefined;
  private lastMs = 0;

  constructor(init: ClusterModelInit) {
    this.order = init.instances.map((i) => i.identifier);
    this.rules = init.rules;
    this.clock = init.nowMs;
  }

  private now(): number {
    return this.clock ? this.clock() : this.lastMs;
  }

  private process(group: string, name: string, create: boolean): ProcessStatus | undefined {
    let app = this.apps.get(group);
    if (!app) {
      if (!create) return undefined;
      app = new ApplicationStatus(group, this.rules.applicationRules(group));
      this.apps.set(group, app);
    }
    let p = app.processes.get(name);
    if (!p && create) {
      p = new ProcessStatus(group, name, this.rules.processRules(group, name));
      app.processes.set(name, p);
    }
    return p;
  }

  private evaluate(group: string): void {
    this.apps.get(group)?.evaluate(this.rules);
  }

  // ---- inputs ---------------------------------------------------------------------------------

  loadInstance(id: Identifier, infos: readonly LocalProcessInfo[], nowMs: number): void {
    this.lastMs = nowMs;
    // Records of processes the instance no longer has are dropped (it restarted with another config).
    const fresh = new Set(infos.map((i) => `${i.group}:${i.name}`));
    for (const app of [...this.apps.values()]) {
      for (const p of [...app.processes.values()]) if (p.records.has(id) && !fresh.has(p.namespec)) this.dropRecord(app, p, id);
    }
    const touched = new Set<string>();
    for (const info of infos) {
      this.process(info.group, info.name, true)!.load(id, info, nowMs);
      touched.add(info.group);
    }
    for (const g of touched) this.evaluate(g);
  }

  /** Returns whether the event was applied (a known process; a forced state not outdated). */
  applyEvent(event: ProcessEvent, nowMs: number): boolean {
    this.lastMs = nowMs;
    const p = this.process(event.group, event.name, false);
    if (!p) return false;
    // Ours: a readiness change alone leaves the state (and the application's) as it is.
    if (event.readiness_only === true) return event.readiness !== undefined && p.setReadiness(event.identifier, event.readiness, nowMs);
    if (event.forced === true) {
      if (!p.force(event)) return false;
    } else if (!p.update(event, nowMs)) return false;
    this.evaluate(event.group);
    return true;
  }

  addProcess(id: Identifier, info: LocalProcessInfo, nowMs: number): void {
    this.lastMs = nowMs;
    this.process(info.group, info.name, true)!.load(id, info, nowMs);
    this.evaluate(info.group);
  }

  /** `name` "*" removes the whole group of that instance. */
  removeProcess(id: Identifier, group: string, name: string, nowMs: number): void {
    this.lastMs = nowMs;
    const app = this.apps.get(group);
    if (!app) return;
    const targets = name === "*" ? [...app.processes.values()] : [app.processes.get(name)].filter((p): p is ProcessStatus => p !== undefined);
    for (const p of targets) if (p.records.has(id)) this.dropRecord(app, p, id);
    if (this.apps.has(group)) this.evaluate(group);
  }

  private dropRecord(app: ApplicationStatus, p: ProcessStatus, id: Identifier): void {
    if (p.remove(id)) app.processes.delete(p.name);
    // An application whose last process is removed is DELETED: it leaves the model.
    if (app.processes.size === 0) this.apps.delete(app.name);
  }

  setDisability(id: Identifier, info: LocalProcessInfo, nowMs: number): void {
    this.lastMs = nowMs;
    this.process(info.group, info.name, false)?.setDisabled(id, info.disabled);
  }

  /** The instance is lost: its running processes become FATAL there. Returns those that now run nowhere. */
  instanceLost(id: Identifier, nowMs: number): ProcessStatus[] {
    this.lastMs = nowMs;
    const lost: ProcessStatus[] = [];
    for (const app of this.apps.values()) {
      let changed = false;
      for (const p of app.processes.values()) {
        if (!p.running.has(id)) continue;
        changed = true;
        if (p.invalidate(id, nowMs)) lost.push(p);
      }
      if (changed) app.evaluate(this.rules);
    }
    return lost;
  }

  /** A TICK of an instance: its records' now/now_monotonic (uptimes, descriptions). */
  refreshTimes(id: Identifier, remoteMtime: number, remoteTime: number, nowMs: number): void {
    for (const app of this.apps.values()) for (const p of app.processes.values()) p.refreshTimes(id, remoteMtime, remoteTime, nowMs);
  }

  hasConflicts(): boolean {
    for (const app of this.apps.values()) {
      if (!app.rules.managed) continue;
      for (const p of app.processes.values()) if (p.conflicting()) return true;
    }
    return false;
  }

  // ---- queries (ModelView) --------------------------------------------------------------------

  applicationNames(): readonly string[] {
    return [...this.apps.keys()];
  }

  applicationInfo(application: string): Record<string, unknown> | undefined {
    return this.apps.get(application)?.payload(this.now());
  }

  processNames(application: string): readonly string[] | undefined {
    const app = this.apps.get(application);
    return app ? [...app.processes.keys()] : undefined;
  }

  processInfo(application: string, process: string): Record<string, unknown> | undefined {
    return this.apps.get(application)?.processes.get(process)?.payload(this.now(), this.order);
  }

  conflicts(): readonly Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const app of this.apps.values()) {
      if (!app.rules.managed) continue;
      for (const p of app.processes.values()) if (p.conflicting()) out.push(p.payload(this.now(), this.order));
    }
    return out;
  }

  /** Sum of the expected loading of the processes running (or starting) there. */
  instanceLoading(id: Identifier): number {
    let load = 0;
    for (const app of this.apps.values()) {
      for (const p of app.processes.values()) {
        const r = p.records.get(id);
        if (r && (r.state === ProcessStates.RUNNING || r.state === ProcessStates.STARTING || r.state === ProcessStates.BACKOFF)) load += p.rules.expectedLoading;
      }
    }
    return load;
  }

  /** One of its processes crashed (FATAL or an unexpected exit) and is still in that state. */
  processFailure(id: Identifier): boolean {
    for (const app of this.apps.values()) {
      for (const p of app.processes.values()) {
        const r = p.records.get(id);
        if (r && (r.state === ProcessStates.FATAL || (r.state === ProcessStates.EXITED && !r.expected)) && !r.spawnerr.startsWith("Supervisor ")) return true;
      }
    }
    return false;
  }

  innerProcessInfos(id: Identifier): readonly Record<string, unknown>[] | undefined {
    const out: Record<string, unknown>[] = [];
    let known = false;
    for (const app of this.apps.values()) {
      for (const p of app.processes.values()) {
        const r = p.records.get(id);
        if (r) {
          known = true;
          out.push({ ...r });
        }
      }
    }
    return known ? out : undefined;
  }

  innerProcessInfo(id: Identifier, application: string, process: string): Record<string, unknown> | undefined {
    const r = this.apps.get(application)?.processes.get(process)?.records.get(id);
    return r ? { ...r } : undefined;
  }

  /** For the strategies and the commander (next layers). */
  processStatus(application: string, process: string): ProcessStatus | undefined {
    return this.apps.get(application)?.processes.get(process);
  }

  applicationStatus(application: string): ApplicationStatus | undefined {
    return this.apps.get(application);
  }
}
