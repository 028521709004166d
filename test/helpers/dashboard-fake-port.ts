/**
 * A DashboardPort made of plain data, for rendering the dashboard pages without a cluster: every
 * status answer is a mutable field (payloads as the service answers them), the statistics
 * histories are keyed by instance and period, and `call` records each RPC and answers from a
 * handler (default: `true`; an RpcFault thrown or rejected for a refusal). Builders make the
 * payloads with the service's field names and sensible defaults; `renderPage` / `runPageAction`
 * parse a query as the routes do (same ViewContext, same Snapshot) and render or act.
 */
import { viewEnv } from "../../src/web/dashboard/routes.js";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import type { RpcResult } from "../../src/supervisord/rpc/registry.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";
import type { ProcessResult } from "../../src/supervisord/service/supervisor-service.js";
import type { HostHistory, ProcessHistory } from "../../src/supvisors/stats/types.js";
import type { NetworkDescription } from "../../src/supvisors/types.js";
import type { ActionService } from "../../src/web/actions.js";
import { stamped, type ActionResult } from "../../src/web/dashboard/actions.js";
import type { DashboardPage } from "../../src/web/dashboard/pages/page.js";
import type { ChangeTopic, DashboardInstance, DashboardOptions, DashboardPort, Payload } from "../../src/web/dashboard/port.js";
import { Snapshot } from "../../src/web/dashboard/snapshot.js";
import { ViewContext } from "../../src/web/dashboard/view-context.js";
import { parseForm } from "../../src/web/form.js";

// ---- payload builders --------------------------------------------------------------------------

const PROCESS_STATE_CODES: Readonly<Record<string, number>> = { STOPPED: 0, STARTING: 10, RUNNING: 20, BACKOFF: 30, STOPPING: 40, EXITED: 100, FATAL: 200, UNKNOWN: 1000 };
const INSTANCE_STATE_CODES: Readonly<Record<string, number>> = { UNKNOWN: 0, CHECKING: 1, CHECKED: 2, RUNNING: 3, FAILED: 4, ISOLATED: 5, STOPPED: 6 };
const APPLICATION_STATE_CODES: Readonly<Record<string, number>> = { UNKNOWN: -1, STOPPED: 0, STARTING: 1, RUNNING: 2, STOPPING: 3, DELETED: 4 };

/** `{identifier, nick, hostId, httpPort}`; the identifier defaults to `<nick>:<port>` on `10.0.0.<n>`. */
export function dashboardInstance(nick: string, n: number, over: Partial<DashboardInstance> = {}): DashboardInstance {
  const hostId = over.hostId ?? `10.0.0.${n}`;
  const httpPort = over.httpPort ?? 9000 + n;
  return { identifier: over.identifier ?? `${hostId}:${httpPort}`, nick, hostId, httpPort };
}

/** A getAllInstancesInfo item. */
export function instanceInfo(inst: DashboardInstance, statename = "RUNNING", over: Record<string, unknown> = {}): Payload {
  return {
    identifier: inst.identifier,
    nick_identifier: inst.nick,
    node_name: inst.hostId,
    port: inst.httpPort,
    statecode: INSTANCE_STATE_CODES[statename] ?? 0,
    statename,
    loading: 0,
    process_failure: false,
    remote_sequence_counter: 1,
    remote_time: 1_700_000_000,
    remote_mtime: 100,
    local_sequence_counter: 1,
    local_time: 1_700_000_000,
    local_mtime: 100,
    ...over,
  };
}

/** A getAllInstancesStateModes item. */
export function instanceModes(inst: DashboardInstance, over: Record<string, unknown> = {}): Payload {
  return { identifier: inst.identifier, nick_identifier: inst.nick, fsm_statecode: 3, fsm_statename: "OPERATION", discovery_mode: false, master_identifier: "", starting_jobs: false, stopping_jobs: false, instance_states: {}, ...over };
}

/** A getAllApplicationsInfo item. */
export function applicationInfo(name: string, statename = "STOPPED", over: Record<string, unknown> = {}): Payload {
  return { application_name: name, managed: true, statecode: APPLICATION_STATE_CODES[statename] ?? 0, statename, major_failure: false, minor_failure: false, ...over };
}

/** A getAllProcessInfo item (the synthetic view of a process over the cluster). */
export function processInfo(group: string, name: string, statename = "STOPPED", identifiers: readonly string[] = [], over: Record<string, unknown> = {}): Payload {
  return { application_name: group, process_name: name, statecode: PROCESS_STATE_CODES[statename] ?? 0, statename, expected_exit: true, last_event_time: 0, now: 0, identifiers: [...identifiers], extra_args: "", ...over };
}

/** A getAllLocalProcessInfo item (supervisor's process info plus Supvisors' fields). */
export function localProcess(group: string, name: string, statename = "STOPPED", over: Record<string, unknown> = {}): Payload {
  const running = statename === "RUNNING" || statename === "STOPPING";
  return {
    group,
    name,
    state: PROCESS_STATE_CODES[statename] ?? 0,
    statename,
    start: running ? 1_700_000_000 : 0,
    stop: 0,
    now: 1_700_000_100,
    pid: running ? 4242 : 0,
    description: running ? "pid 4242, uptime 0:01:40" : "Not started",
    spawnerr: "",
    expected: true,
    start_monotonic: 0,
    stop_monotonic: 0,
    now_monotonic: 100,
    extra_args: "",
    startsecs: 1,
    stopwaitsecs: 10,
    process_index: 0,
    program_name: name,
    disabled: false,
    has_stdout: true,
    has_stderr: false,
    ...over,
  };
}

/** A getAllInnerProcessInfo item: the local record of an instance. */
export function innerProcess(identifier: string, local: Payload, over: Record<string, unknown> = {}): Payload {
  return { ...local, identifier, local_mtime: 100, event_time: 100, uptime: 0, has_crashed: false, ...over };
}

/** A getProcessRules item. */
export function processRules(group: string, name: string, expectedLoading = 0, over: Record<string, unknown> = {}): Payload {
  return { application_name: group, process_name: name, identifiers: ["*"], at_identifiers: [], hash_identifiers: [], start_sequence: 0, stop_sequence: -1, required: false, wait_exit: false, expected_loading: expectedLoading, running_failure_strategy: "CONTINUE", ...over };
}

/** A process history whose `times` are 0, period, 2·period... */
export function processHistory(cpu: readonly number[], mem: readonly number[], period = 5, pid = 4242): ProcessHistory {
  const n = Math.max(cpu.length, mem.length);
  return { pid, times: Array.from({ length: n }, (_, i) => i * period), cpu: [...cpu], mem: [...mem] };
}

// ---- the port ----------------------------------------------------------------------------------

export interface RecordedCall {
  readonly method: string;
  readonly params: RpcValue[];
}

export interface FakePortInit {
  /** Defaults to three instances A, B, C; the first is local unless `local` says otherwise. */
  readonly instances?: readonly DashboardInstance[];
  /** The identifier of the serving instance. */
  readonly local?: string;
  readonly options?: Partial<DashboardOptions>;
}

const historyKey = (identifier: string, period: number) => `${identifier}|${period}`;

export class FakeDashboardPort implements DashboardPort {
  readonly version = "0.19 (Supervisor 4.3.0)";
  readonly instances: readonly DashboardInstance[];
  readonly local: DashboardInstance;
  options: DashboardOptions;

  // The answers, mutable by the tests (null: the read fails, as a ServiceFault would).
  supvisorsState: Payload | null;
  instancesStateModes: Payload[] | null;
  instancesInfo: Payload[] | null;
  applications: Payload[] | null = [];
  /** By application name. */
  applicationRules: Record<string, Payload> = {};
  processes: Payload[] | null = [];
  localProcesses: Payload[] | null = [];
  /** By instance identifier. */
  inner: Record<string, Payload[]> = {};
  /** By namespec; a namespec missing gets expected_loading 0. */
  rules: Record<string, Payload> = {};
  conflicts: Payload[] | null = [];
  statistics: Payload = { host_stats: true, process_stats: true, collecting_period: 5 };
  /** Forced reasons by namespec. */
  forced: ReadonlyMap<string, string> = new Map();
  networks: Record<string, NetworkDescription> = {};

  private readonly hostHistories = new Map<string, HostHistory>();
  private readonly processHistories = new Map<string, ProcessHistory>();
  private readonly listeners = new Set<(topic: ChangeTopic) => void>();

  /** Every `call`, in order. */
  readonly calls: RecordedCall[] = [];
  /** How many times each read was made (the pages read each answer once per request). */
  readonly readCounts = new Map<string, number>();
  /** Answers `call`: return a value or a promise, throw / reject an RpcFault. */
  onCall: (method: string, params: RpcValue[]) => RpcResult = () => true;

  constructor(init: FakePortInit = {}) {
    this.instances = init.instances ?? [dashboardInstance("A", 1), dashboardInstance("B", 2), dashboardInstance("C", 3)];
    this.local = this.instances.find((i) => i.identifier === init.local) ?? this.instances[0]!;
    this.options = {
      softwareName: "",
      softwareIcon: null,
      cssFiles: [],
      statsPeriods: [5, 15, 60],
      startingStrategy: "CONFIG",
      tailLimit: 1024,
      tailfLimit: 1024,
      discoveryMode: false,
      userSync: false,
      ...init.options,
    };
    this.supvisorsState = { fsm_statecode: 3, fsm_statename: "OPERATION", discovery_mode: false, master_identifier: this.local.identifier, starting_jobs: [], stopping_jobs: [], degraded_mode: false, instance_states: Object.fromEntries(this.instances.map((i) => [i.identifier, "RUNNING"])) };
    this.instancesStateModes = this.instances.map((i) => instanceModes(i));
    this.instancesInfo = this.instances.map((i) => instanceInfo(i));
  }

  private read<T>(name: string, value: T | null | undefined): T {
    this.readCounts.set(name, (this.readCounts.get(name) ?? 0) + 1);
    if (value === null || value === undefined) throw new RpcFault(Faults.FAILED, `${name} not available`);
    return value;
  }

  readonly reads = {
    getSupvisorsState: (): Payload => this.read("getSupvisorsState", this.supvisorsState),
    getAllInstancesStateModes: (): readonly Payload[] => this.read("getAllInstancesStateModes", this.instancesStateModes),
    getAllInstancesInfo: (): readonly Payload[] => this.read("getAllInstancesInfo", this.instancesInfo),
    getAllApplicationsInfo: (): readonly Payload[] => this.read("getAllApplicationsInfo", this.applications),
    getApplicationInfo: (name: string): Payload => this.read("getApplicationInfo", this.applications?.find((a) => a["application_name"] === name)),
    getApplicationRules: (name: string): Payload => this.read("getApplicationRules", this.applicationRules[name] ?? { application_name: name, managed: false }),
    getAllProcessInfo: (): readonly Payload[] => this.read("getAllProcessInfo", this.processes),
    getAllLocalProcessInfo: (): readonly Payload[] => this.read("getAllLocalProcessInfo", this.localProcesses),
    getAllInnerProcessInfo: (identifier: string): readonly Payload[] => this.read("getAllInnerProcessInfo", this.inner[identifier] ?? []),
    getProcessRules: (namespec: string): readonly Payload[] => {
      const i = namespec.indexOf(":");
      const group = i < 0 ? namespec : namespec.slice(0, i);
      const name = i < 0 ? "*" : namespec.slice(i + 1);
      if (name !== "*" && name !== "") return this.read("getProcessRules", [this.rules[namespec] ?? processRules(group, name)]);
      // the whole application: the rules of every process known in it (unknown application: a fault)
      const names = new Set<string>();
      for (const ns of Object.keys(this.rules)) if (ns.startsWith(`${group}:`)) names.add(ns.slice(group.length + 1));
      for (const p of [...(this.localProcesses ?? []), ...(this.processes ?? [])]) {
        if ((p["group"] ?? p["application_name"]) === group) names.add(String(p["name"] ?? p["process_name"]));
      }
      return this.read("getProcessRules", names.size ? [...names].map((n) => this.rules[`${group}:${n}`] ?? processRules(group, n)) : null);
    },
    getConflicts: (): readonly Payload[] => this.read("getConflicts", this.conflicts),
    getStatisticsStatus: (): Payload => this.read("getStatisticsStatus", this.statistics),
    forcedReasons: (): ReadonlyMap<string, string> => this.read("forcedReasons", this.forced),
  };

  readonly orderLog: { order: string; args: unknown[] }[] = [];
  orderResult = true;
  readonly orders = {
    conciliateProcess: (strategy: string, namespec: string | null): boolean => {
      this.orderLog.push({ order: "conciliateProcess", args: [strategy, namespec] });
      return this.orderResult;
    },
    stopProcessOn: async (namespec: string, identifier: string): Promise<boolean> => {
      this.orderLog.push({ order: "stopProcessOn", args: [namespec, identifier] });
      return this.orderResult;
    },
    keepProcessOn: async (namespec: string, identifier: string): Promise<boolean> => {
      this.orderLog.push({ order: "keepProcessOn", args: [namespec, identifier] });
      return this.orderResult;
    },
  };

  call(method: string, params: RpcValue[]): RpcResult {
    this.calls.push({ method, params });
    return this.onCall(method, params);
  }

  /** Makes `method` fail with this fault (others keep the current handler). */
  failCall(method: string, code: number, text?: string): void {
    const previous = this.onCall;
    this.onCall = (m, p) => {
      if (m === method) throw new RpcFault(code, text);
      return previous(m, p);
    };
  }

  setHostHistory(identifier: string, period: number, history: HostHistory | null): void {
    if (history === null) this.hostHistories.delete(historyKey(identifier, period));
    else this.hostHistories.set(historyKey(identifier, period), history);
  }

  setProcessHistory(identifier: string, namespec: string, period: number, history: ProcessHistory | null): void {
    const key = `${historyKey(identifier, period)}|${namespec}`;
    if (history === null) this.processHistories.delete(key);
    else this.processHistories.set(key, history);
  }

  hostHistory(identifier: string, period: number): HostHistory | null {
    return this.hostHistories.get(historyKey(identifier, period)) ?? null;
  }

  processHistory(identifier: string, namespec: string, period: number): ProcessHistory | null {
    return this.processHistories.get(`${historyKey(identifier, period)}|${namespec}`) ?? null;
  }

  network(identifier: string): NetworkDescription | null {
    return this.networks[identifier] ?? null;
  }

  onChange(cb: (topic: ChangeTopic) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Tells the subscribers that something changed. */
  emit(topic: ChangeTopic): void {
    for (const cb of this.listeners) cb(topic);
  }

  // ---- conveniences for the usual set-ups ----

  /**
   * Adds a process configured on the serving instance: its local record, its inner record, its
   * rules (expected load), and its application if unknown yet. Returns the local payload.
   */
  addLocalProcess(group: string, name: string, statename = "STOPPED", over: Record<string, unknown> = {}, extra: { load?: number; crashed?: boolean } = {}): Payload {
    const p = localProcess(group, name, statename, over);
    (this.localProcesses ??= []).push(p);
    (this.inner[this.local.identifier] ??= []).push(innerProcess(this.local.identifier, p, { has_crashed: extra.crashed ?? false }));
    this.rules[`${group}:${name}`] = processRules(group, name, extra.load ?? 0);
    if (!(this.applications ??= []).some((a) => a["application_name"] === group)) this.applications.push(applicationInfo(group));
    return p;
  }
}

// ---- rendering and acting as the routes do -----------------------------------------------------

export interface PageRequest {
  readonly ctx: ViewContext;
  readonly snap: Snapshot;
}

/** A fresh snapshot and the view context of `query` (`a=1&b=2`, no `?`) for a page. */
export function pageRequest(page: DashboardPage, port: DashboardPort, query = ""): PageRequest {
  const snap = new Snapshot(port);
  const ctx = new ViewContext(page.name, parseForm(query), viewEnv(port, snap));
  return { ctx, snap };
}

export const FIXED_NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** The page's HTML for `query` (a redirect is returned as `REDIRECT <location>`). */
export function renderPage(page: DashboardPage, port: DashboardPort, query = "", browserHost = "10.0.0.1"): string {
  const { ctx, snap } = pageRequest(page, port, query);
  const out = page.render({ ctx, snap, browserHost, nowMs: FIXED_NOW });
  return typeof out === "string" ? out : `REDIRECT ${out.redirect}`;
}

export interface ActionOutcome extends ActionResult {
  /** The message as the footer shows it: `<message> at <ctime>`. */
  readonly stampedMessage: string;
}

/** Runs the action named by the query's `action` as the routes do; an unknown one is `Unknown action`. */
export async function runPageAction(page: DashboardPage, port: DashboardPort, query: string, supervisor: ActionService = new FakeSupervisor()): Promise<ActionOutcome> {
  const { ctx, snap } = pageRequest(page, port, query);
  const action = ctx.action ?? "";
  const handler = Object.hasOwn(page.actions, action) ? page.actions[action] : undefined;
  const result: ActionResult = handler ? await handler({ ctx, snap, port, supervisor, now: () => FIXED_NOW }) : { message: `Unknown action: ${action}`, gravity: "erro" };
  return { ...result, stampedMessage: stamped(result, FIXED_NOW).message };
}

// ---- the local supervisord's service -----------------------------------------------------------

/**
 * The ActionService the processes page's Supervisor actions use: records each call with its
 * arguments; `faults` makes a method throw (processes unknown to `known` are BAD_NAME).
 */
export class FakeSupervisor implements ActionService {
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** Method -> fault thrown when it is called. */
  faults: Record<string, RpcFault> = {};
  /** The namespecs getProcessInfo knows; null: every name. */
  known: Set<string> | null = null;
  groupResults: ProcessResult[] = [];

  private run<T>(method: string, args: unknown[], value: T): T {
    this.calls.push({ method, args });
    const f = this.faults[method];
    if (f) throw f;
    return value;
  }

  getProcessInfo(name: string): ReturnType<ActionService["getProcessInfo"]> {
    if (this.known !== null && !this.known.has(name)) {
      this.calls.push({ method: "getProcessInfo", args: [name] });
      throw new RpcFault(Faults.BAD_NAME, name);
    }
    return this.run("getProcessInfo", [name], {} as ReturnType<ActionService["getProcessInfo"]>);
  }

  startProcess(name: string, wait?: boolean): ReturnType<ActionService["startProcess"]> {
    return this.run("startProcess", [name, wait], true);
  }

  stopProcess(name: string, wait?: boolean): ReturnType<ActionService["stopProcess"]> {
    return this.run("stopProcess", [name, wait], true);
  }

  startAllProcesses(wait?: boolean): ReturnType<ActionService["startAllProcesses"]> {
    return this.run("startAllProcesses", [wait], [] as unknown as ReturnType<ActionService["startAllProcesses"]>);
  }

  stopAllProcesses(wait?: boolean): ReturnType<ActionService["stopAllProcesses"]> {
    return this.run("stopAllProcesses", [wait], [] as unknown as ReturnType<ActionService["stopAllProcesses"]>);
  }

  clearProcessLogs(name: string): ReturnType<ActionService["clearProcessLogs"]> {
    return this.run("clearProcessLogs", [name], true as ReturnType<ActionService["clearProcessLogs"]>);
  }

  startProcessGroup(name: string, wait?: boolean): ReturnType<ActionService["startProcessGroup"]> {
    return this.run("startProcessGroup", [name, wait], this.groupResults as unknown as ReturnType<ActionService["startProcessGroup"]>);
  }

  stopProcessGroup(name: string, wait?: boolean): ReturnType<ActionService["stopProcessGroup"]> {
    return this.run("stopProcessGroup", [name, wait], this.groupResults as unknown as ReturnType<ActionService["stopProcessGroup"]>);
  }
}
