/**
 * The Commander's test world, shared by the Commander and the dashboard-control tests: a
 * ClusterModel of 3 instances loaded with process infos and a Commander over a context backed by
 * that model, driven like the host drives it (model.applyEvent then commander.onEvent; forced
 * states drained with takeReady() applied back to the model). No sockets, no timers.
 */
import type { Test } from "tap";
import { Commander } from "../../src/supvisors/commander/commander.js";
import type { CommanderContext } from "../../src/supvisors/commander/context.js";
import type { CommanderReady, CommanderRole, CommandRequest } from "../../src/supvisors/commander/types.js";
import { ClusterModel } from "../../src/supvisors/context/cluster-model.js";
import type { ApplicationStatus } from "../../src/supvisors/context/application-status.js";
import type { ProcessStatus } from "../../src/supvisors/context/process-status.js";
import type { SupvisorsInstanceStateName } from "../../src/protocol/supvisors.js";
import { ProcessStates } from "../../src/supervisord/process/states.js";
import type { ApplicationRulesData, InstanceIdentity, LocalProcessInfo, ProcessEvent, ProcessRulesData, RulesLookup } from "../../src/supvisors/types.js";

export const S = ProcessStates;
export const A = "A:60000";
export const B = "B:60000";
export const C = "C:60000";
export const IDS = [A, B, C] as const;
export const MARGIN = 5000;

export const MASTER: CommanderRole = { isMaster: true, repairs: true, working: true };
export const NOT_MASTER: CommanderRole = { isMaster: false, repairs: false, working: true };
/** The Master in CONCILIATION: working, not repairing losses. */
export const MASTER_CONCILIATING: CommanderRole = { isMaster: true, repairs: false, working: true };

export const identity = (id: string, i: number): InstanceIdentity => ({ identifier: id, nick: `n${i}`, hostId: id.split(":")[0]!, httpPort: 60000, internalPort: 60003, eventPort: 60001, ipAddress: `10.0.0.${i + 1}` });

// ---- rules: a fake lookup (the program's own values win over the application's) ----------------

export type ProgramSpec = Partial<ProcessRulesData>;
export type AppSpec = Partial<Omit<ApplicationRulesData, "managed">> & { programs?: Record<string, ProgramSpec> };

export const UNMANAGED: ApplicationRulesData = {
  managed: false, distribution: "ALL_INSTANCES", identifiers: ["*"], startSequence: 0, stopSequence: 0,
  startingStrategy: "CONFIG", startingFailureStrategy: "ABORT", runningFailureStrategy: "CONTINUE", statusFormula: "",
};

export function rulesOf(apps: Record<string, AppSpec>): RulesLookup {
  const application = (name: string): ApplicationRulesData => {
    const spec = apps[name];
    if (!spec) return UNMANAGED;
    const { programs: _programs, ...own } = spec;
    return { ...UNMANAGED, managed: true, ...own };
  };
  return {
    applicationRules: application,
    processRules(app: string, name: string): ProcessRulesData {
      const a = application(app);
      return {
        identifiers: ["*"], hashSign: "none", startSequence: 0, stopSequence: 0, required: false, waitExit: false, expectedLoading: 0,
        startingFailureStrategy: a.startingFailureStrategy, runningFailureStrategy: a.runningFailureStrategy,
        ...(apps[app]?.programs?.[name] ?? {}),
      };
    },
    evaluateStatus: () => null,
  };
}

// ---- process infos and events ------------------------------------------------------------------

export function info(namespec: string, state: number, over: Partial<LocalProcessInfo> = {}): LocalProcessInfo {
  const [group, name] = namespec.split(":") as [string, string];
  const running = state === S.RUNNING;
  return {
    group, name, state, statename: "", start: running ? 50 : 0, stop: 0, now: 100, pid: running ? 42 : 0, description: "", spawnerr: "", expected: true,
    start_monotonic: running ? 0.5 : 0, stop_monotonic: 0, now_monotonic: 1, extra_args: "", startsecs: 1, stopwaitsecs: 10, process_index: 0, program_name: name,
    disabled: false, has_stdout: true, has_stderr: false,
    ...over,
  };
}

/** The same namespecs, all STOPPED. */
export const stopped = (...namespecs: string[]): LocalProcessInfo[] => namespecs.map((ns) => info(ns, S.STOPPED));

export const startReq = (target: string, namespec: string, extraArgs = ""): CommandRequest => ({ kind: "start", target, namespec, extraArgs });
export const stopReq = (target: string, namespec: string): CommandRequest => ({ kind: "stop", target, namespec });

// ---- the world: model + commander, driven like the host ----------------------------------------

export interface WorldInit {
  readonly apps: Record<string, AppSpec>;
  readonly loads: Partial<Record<string, LocalProcessInfo[]>>;
  readonly states?: Partial<Record<string, SupvisorsInstanceStateName>>;
}

export class World {
  nowMs = 1000;
  readonly states: Record<string, SupvisorsInstanceStateName> = { [A]: "RUNNING", [B]: "RUNNING", [C]: "RUNNING" };
  readonly model: ClusterModel;
  readonly cmd: Commander;

  constructor(init: WorldInit) {
    Object.assign(this.states, init.states ?? {});
    this.model = new ClusterModel({ instances: IDS.map(identity), localIdentifier: A, rules: rulesOf(init.apps) });
    for (const id of IDS) {
      const infos = init.loads[id];
      if (infos) this.model.loadInstance(id, infos, this.nowMs);
    }
    const ctx: CommanderContext = {
      localIdentifier: A,
      applicationNames: () => this.model.applicationNames(),
      application: (name) => this.model.applicationStatus(name),
      placement: () => ({
        instances: IDS.map((id, i) => ({ identifier: id, nick: `n${i}`, machineId: `machine-${i}`, stereotypes: [], state: this.states[id]! })),
        localIdentifier: A,
        load: (id) => this.model.instanceLoading(id),
      }),
    };
    this.cmd = new Commander(ctx, { marginMs: MARGIN });
  }

  app(name: string): ApplicationStatus {
    const a = this.model.applicationStatus(name);
    if (!a) throw new Error(`no application ${name}`);
    return a;
  }

  proc(namespec: string): ProcessStatus {
    const [group, name] = namespec.split(":") as [string, string];
    const p = this.model.processStatus(group, name);
    if (!p) throw new Error(`no process ${namespec}`);
    return p;
  }

  /** Drains the commander; its forced states go to the model as the host does. */
  take(): CommanderReady {
    const r = this.cmd.takeReady();
    for (const e of r.forced) this.model.applyEvent(e, this.nowMs);
    return r;
  }

  /** A real event of `id` at `ms`: to the model, then to the commander. */
  event(ms: number, id: string, namespec: string, state: number, over: Partial<ProcessEvent> = {}): CommanderReady {
    this.nowMs = ms;
    const [group, name] = namespec.split(":") as [string, string];
    const running = state === S.RUNNING || state === S.STARTING || state === S.BACKOFF || state === S.STOPPING;
    const e: ProcessEvent = { identifier: id, nick_identifier: "", name, group, state, now: ms / 1000, now_monotonic: ms / 1000, pid: running ? 7 : 0, expected: true, spawnerr: "", extra_args: "", disabled: false, ...over };
    this.model.applyEvent(e, ms);
    this.cmd.onEvent(e, ms);
    return this.take();
  }

  time(ms: number): CommanderReady {
    this.nowMs = ms;
    this.cmd.onTime(ms);
    return this.take();
  }

  role(role: CommanderRole, ms: number): CommanderReady {
    this.nowMs = ms;
    this.cmd.setRole(role, ms);
    return this.take();
  }

  /** The instance is lost: not RUNNING for placement any more, its processes invalidated, the commander told. */
  lose(ms: number, id: string): { lost: string[]; ready: CommanderReady } {
    this.nowMs = ms;
    this.states[id] = "STOPPED";
    const lost = this.model.instanceLost(id, ms);
    this.cmd.onInstanceLost(id, lost, ms);
    return { lost: lost.map((p) => p.namespec), ready: this.take() };
  }
}

/** Exact list of forced states (order included), each matched on its main fields. */
export function forcedAre(t: Test, r: CommanderReady, expected: readonly { identifier: string; namespec: string; state: number; reason: string }[], msg: string): void {
  t.equal(r.forced.length, expected.length, `${msg}: ${expected.length} forced state(s)`);
  expected.forEach((x, i) => {
    const [group, name] = x.namespec.split(":");
    t.match(r.forced[i], { identifier: x.identifier, group, name, state: x.state, spawnerr: x.reason, expected: false, forced: true }, `${msg}: forced ${x.namespec}`);
  });
}

export const byTargetThenName = (a: CommandRequest, b: CommandRequest) => `${a.namespec} ${a.target}`.localeCompare(`${b.namespec} ${b.target}`);
export const sorted = (l: readonly CommandRequest[]) => [...l].sort(byTargetThenName);
