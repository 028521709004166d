/**
 * SupvisorsService and the `supvisors.*` namespace: state guards, name resolution, parameter
 * checks and payload shapes, with a real ClusterCore (driven on a fake clock) and a fake model.
 */
import t from "tap";
import { ClusterCore } from "../../src/supvisors/fsm/cluster-core.js";
import { SupvisorsService, type ModelView, type Payload, type SupvisorsServicePorts } from "../../src/supvisors/service/supvisors-service.js";
import { enumParam, loggerLevelParam } from "../../src/supvisors/service/params.js";
import { StartingStrategies, ConciliationStrategies } from "../../src/protocol/supvisors.js";
import { createSupvisorsNamespace, toRpc } from "../../src/supvisors/rpc/namespace.js";
import { SupvisorsControl } from "../../src/supvisors/service/supvisors-control.js";
import { StatisticsControl } from "../../src/supvisors/service/supvisors-statistics.js";
import { createRegistry } from "../../src/supervisord/rpc/system-namespace.js";
import { RpcDouble } from "../../src/supervisord/rpc/values.js";
import { ServiceFault } from "../../src/supervisord/service/fault.js";
import type { InstanceIdentity, SupvisorsOptions } from "../../src/supvisors/types.js";
import { options as coreOptions } from "./supvisors-fsm-sim.js";

function identity(nick: string, port: number): InstanceIdentity {
  return { identifier: `10.0.0.1:${port}`, nick, hostId: "10.0.0.1", httpPort: port, internalPort: port + 3, eventPort: port + 1, ipAddress: "10.0.0.1" };
}
const LIST = [identity("gamma", 60000), identity("alpha", 60010), identity("beta", 60020)];

function supvisorsOptions(over: Partial<SupvisorsOptions> = {}): SupvisorsOptions {
  return {
    supvisorsList: LIST,
    localIndex: 1,
    softwareName: "",
    softwareIcon: null,
    multicastGroup: null,
    multicastInterface: null,
    multicastTtl: 1,
    stereotypes: ["front"],
    rulesFiles: [],
    cssFiles: [],
    autoFence: false,
    eventLink: "NONE",
    eventPort: null,
    synchroOptions: ["STRICT", "USER"],
    synchroTimeout: 15,
    inactivityTicks: 2,
    coreIdentifiers: [],
    disabilitiesFile: null,
    startingStrategy: "CONFIG",
    conciliationStrategy: "USER",
    supvisorsFailureStrategy: "CONTINUE",
    statsEnabled: { host: true, process: true },
    statsCollectingPeriod: 10,
    statsPeriods: [10],
    statsHisto: 200,
    statsIrixMode: false,
    tailLimit: 1024,
    tailfLimit: 1024,
    logfile: null,
    logfileMaxbytes: 0,
    logfileBackups: 0,
    loglevel: "info",
    tickPeriod: 0.25,
    quorum: true,
    internalKey: null,
    ...over,
  };
}

const fakeModel: ModelView = {
  applicationNames: () => ["web", "db"],
  applicationInfo: (a) => (a === "web" || a === "db" ? { application_name: a, managed: a === "web", statecode: 0, statename: "STOPPED", major_failure: false, minor_failure: false, now_monotonic: 1 } : undefined),
  processNames: (a) => (a === "web" ? ["nginx", "api"] : a === "db" ? ["db"] : undefined),
  processInfo: (a, p) => ({ application_name: a, process_name: p, statecode: 0, statename: "STOPPED", identifiers: [] }),
  conflicts: () => [],
  instanceLoading: () => 7,
  processFailure: () => false,
  innerProcessInfos: (id) => (id === "10.0.0.1:60010" ? [{ group: "web", name: "nginx" }, { group: "db", name: "db" }] : undefined),
  innerProcessInfo: (id, a, p) => (id === "10.0.0.1:60010" ? { group: a, name: p } : undefined),
};

function setup(over: Partial<SupvisorsOptions> = {}) {
  const opts = supvisorsOptions(over);
  const core = new ClusterCore({
    instances: LIST,
    localIdentifier: LIST[1]!.identifier,
    options: coreOptions({ synchroOptions: opts.synchroOptions }),
    startMs: 1000,
  });
  const logs: string[] = [];
  const levels: string[] = [];
  const ports: SupvisorsServicePorts = {
    options: opts,
    cluster: core,
    model: fakeModel,
    rules: {
      applicationRulesPayload: (a) => ({ managed: a === "web" }),
      processRulesPayload: () => ({ identifiers: ["*"], start_sequence: 0 }),
    },
    local: {
      allLocalProcessInfo: () => [],
      localProcessInfo: (n) => {
        throw new ServiceFault(10, n);
      },
    },
    network: () => null,
    statistics: () => ({ host: false, process: false, collectingPeriod: 10 }),
    setLogLevel: (l) => levels.push(l),
    log: (level, text) => logs.push(`${level} ${text}`),
  };
  return { svc: new SupvisorsService(ports), core, logs, levels };
}

function faultOf(fn: () => unknown): { code: number; text: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ServiceFault) return { code: err.code, text: err.faultString };
    throw err;
  }
  throw new Error("no fault");
}

t.test("status in OFF: G0 methods answer, G1 methods refuse with Supvisors' text", async (t) => {
  const { svc, logs } = setup();
  t.equal(svc.getApiVersion(), "0.19");
  t.same(svc.getMasterIdentifier(), {});
  const state = svc.getSupvisorsState();
  t.equal(state.fsm_statename, "OFF");
  t.same(state.starting_jobs, []);
  t.same(svc.getStrategies(), { "auto-fencing": false, starting: "CONFIG", conciliation: "USER", supvisors_failure: "CONTINUE" });
  t.same(
    faultOf(() => svc.getAllApplicationsInfo()),
    { code: 101, text: "BAD_SUPVISORS_STATE: invalid Supvisors state=OFF - state expected in ['DISTRIBUTION', 'OPERATION', 'CONCILIATION', 'RESTARTING', 'SHUTTING_DOWN']" },
  );
  t.match(logs.at(-1), /^error RPCInterface._check_state: invalid Supvisors state=OFF/);
});

t.test("instances: sorted by identifier, found by identifier, nick or stereotype; unknown is BAD_NAME", async (t) => {
  const { svc } = setup();
  const all = svc.getAllInstancesInfo();
  t.same(all.map((i) => i.identifier), ["10.0.0.1:60000", "10.0.0.1:60010", "10.0.0.1:60020"]);
  t.same(Object.keys(all[0]!), ["identifier", "nick_identifier", "node_name", "port", "statecode", "statename", "loading", "process_failure", "remote_sequence_counter", "remote_time", "remote_mtime", "local_sequence_counter", "local_time", "local_mtime"]);
  t.equal(all[0]!.statename, "STOPPED");
  t.equal(all[0]!.loading, 7);
  t.same(svc.getInstanceInfo("beta").map((i) => i.nick_identifier), ["beta"]);
  t.same(svc.getInstanceInfo("10.0.0.1:60000").map((i) => i.nick_identifier), ["gamma"]);
  t.same(svc.getInstanceInfo("front").map((i) => i.nick_identifier), ["alpha"], "the local stereotype");
  t.same(faultOf(() => svc.getInstanceInfo("nope")), { code: 10, text: "BAD_NAME: identifier=nope is unknown to Supvisors" });
  t.same(faultOf(() => svc.getInstanceStateModes("nope")).code, 10);
  t.same(svc.getInstanceStateModes("gamma")[0]!.fsm_statename, "OFF");
  t.same(svc.getNetworkInfo("alpha"), { identifier: "10.0.0.1:60010", nick_identifier: "alpha", host_id: "10.0.0.1", http_port: 60010, stereotypes: ["front"] });
});

t.test("inner process info: all records of an instance, or FAILED when it has none", async (t) => {
  const { svc } = setup();
  t.equal(svc.getAllInnerProcessInfo("alpha").length, 2);
  t.same(svc.getInnerProcessInfo("alpha", "web:*"), [{ group: "web", name: "nginx" }]);
  t.same(faultOf(() => svc.getInnerProcessInfo("gamma", "web:nginx")), { code: 30, text: "FAILED: web:nginx unknown on gamma" });
  t.same(faultOf(() => svc.getInnerProcessInfo("alpha", "nope:x")), { code: 10, text: "BAD_NAME: application=nope unknown to Supvisors" });
  t.same(faultOf(() => svc.getInnerProcessInfo("alpha", "web:x")), { code: 10, text: "BAD_NAME: process=x unknown in application=web" });
});

t.test("strategy and logger level parameters: Supvisors' INCORRECT_PARAMETERS texts", async (t) => {
  t.equal(enumParam("LESS_LOADED", StartingStrategies, "StartingStrategies"), "LESS_LOADED");
  t.equal(enumParam(2, StartingStrategies, "StartingStrategies"), "MOST_LOADED");
  t.same(
    faultOf(() => enumParam("less_loaded", StartingStrategies, "StartingStrategies")),
    { code: 2, text: "INCORRECT_PARAMETERS: invalid <enum 'StartingStrategies'> value=less_loaded - string expected in ['CONFIG', 'LESS_LOADED', 'MOST_LOADED', 'LOCAL', 'LESS_LOADED_NODE', 'MOST_LOADED_NODE']" },
  );
  t.same(faultOf(() => enumParam(9, ConciliationStrategies, "ConciliationStrategies")).text, "INCORRECT_PARAMETERS: invalid <enum 'ConciliationStrategies'> value=9 - integer expected in [0, 1, 2, 3, 4, 5]");
  t.same(faultOf(() => enumParam(1.5, StartingStrategies, "StartingStrategies")).text, "INCORRECT_PARAMETERS: invalid <enum 'StartingStrategies'> value=1.5 type=<class 'float'> - type string or integer expected");
  t.same(faultOf(() => enumParam(true, StartingStrategies, "StartingStrategies")).text, "INCORRECT_PARAMETERS: invalid <enum 'StartingStrategies'> value=True type=<class 'bool'> - type string or integer expected");
  t.equal(loggerLevelParam("DEBUG"), "debug");
  t.equal(loggerLevelParam(5), "trace");
  t.same(faultOf(() => loggerLevelParam("loud")).text, "INCORRECT_PARAMETERS: invalid logger value=loud - string expected in ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather']");
  t.same(faultOf(() => loggerLevelParam(7)).text, "INCORRECT_PARAMETERS: invalid logger value=7 - integer expected in [50, 40, 30, 20, 10, 5, 3]");
});

t.test("change_log_level logs the change at warn and applies it", async (t) => {
  const { svc, logs, levels } = setup();
  t.equal(svc.changeLogLevel("debug"), true);
  t.same(levels, ["debug"]);
  t.equal(logs.at(-1), "warn RPCInterface.change_log_level: DEBG");
  t.equal(faultOf(() => svc.changeLogLevel([1])).code, 2);
  t.same(levels, ["debug"], "a refused level changes nothing");
});

t.test("end_sync: refused outside SYNCHRONIZATION, without USER, for unknown or not running masters", async (t) => {
  const { svc, core } = setup();
  t.match(faultOf(() => svc.endSync("")).text, /^BAD_SUPVISORS_STATE: invalid Supvisors state=OFF - state expected in \['SYNCHRONIZATION'\]$/);
  core.tick(1000);
  core.takeReady();
  core.handshakeDone(LIST[1]!.identifier, 1000, { kind: "authorized", stateModes: core.localStateModes(), machineId: "m", stereotypes: [] }, 1001);
  core.takeReady();
  core.tick(1250);
  t.equal(core.state(), "SYNCHRONIZATION");
  t.same(faultOf(() => svc.endSync("nope")), { code: 10, text: "BAD_NAME: unknown Supvisors identifier=nope" });
  t.same(faultOf(() => svc.endSync("beta")), { code: 70, text: "NOT_RUNNING: Supvisors instance=10.0.0.1:60020 is not RUNNING (STOPPED)" });
  // alone, the local side holds no quorum of 3: the core refuses to elect
  t.match(faultOf(() => svc.endSync("alpha")).text, /^BAD_SUPVISORS_STATE: no quorum/);

  const noUser = setup({ synchroOptions: ["STRICT"] });
  noUser.core.tick(1000);
  noUser.core.handshakeDone(LIST[1]!.identifier, 1000, { kind: "authorized", stateModes: noUser.core.localStateModes(), machineId: "m", stereotypes: [] }, 1001);
  noUser.core.tick(1250);
  t.same(faultOf(() => noUser.svc.endSync("")), { code: 104, text: "NOT_APPLICABLE: USER expected in synchro_options" });
});

t.test("the namespace: registered beside system.*, documented, signatures, arity, multicall", async (t) => {
  const { svc, core } = setup();
  const registry = createRegistry();
  // The control methods are the cluster tests' subject; here only their guard is reached.
  const unreachable = (): never => {
    throw new Error("not reached before the state guard");
  };
  const control = new SupvisorsControl({
    state: () => core.state(),
    application: unreachable,
    applicationNames: unreachable,
    order: unreachable,
    get commander(): never {
      return unreachable();
    },
    waitFor: unreachable,
    jobsAnywhere: unreachable,
    closing: unreachable,
    startArgs: unreachable,
    localKnows: unreachable,
    localIdentifier: "",
    programProcesses: unreachable,
    setProgramDisabled: unreachable,
    updateNumprocs: unreachable,
    conciliationDefault: "USER",
    log: () => undefined,
  });
  const notInstalled = new StatisticsControl({ installed: false, enableHost: unreachable, enableProcess: unreachable, setCollectingPeriod: unreachable, log: () => undefined });
  registry.addNamespace("supvisors", createSupvisorsNamespace(svc, control, notInstalled));
  t.same(faultOf(() => registry.invoke("supvisors.enable_host_statistics", [true])).code, 105, "NOT_INSTALLED without /proc");
  t.same(faultOf(() => registry.invoke("supvisors.start_application", ["CONFIG", "app"])).code, 101, "control methods refused before OPERATION");
  const names = registry.listMethods().filter((m) => m.startsWith("supvisors."));
  t.ok(names.includes("supvisors.get_all_instances_info") && names.includes("supvisors.end_sync"));
  t.same(registry.methodSignature("supvisors.get_instance_info"), ["array", "string"]);
  t.same(registry.methodSignature("supvisors.end_sync"), ["boolean", "string"]);
  t.equal(faultOf(() => registry.invoke("supvisors.end_sync", [])).code, 101, "end_sync's master is optional");
  t.throws(() => registry.invoke("supvisors.get_instance_info", []), { code: 2 });
  t.throws(() => registry.invoke("supvisors.get_api_version", [1]), { code: 2 });
  const info = registry.invoke("supvisors.get_all_instances_info", []) as Payload[];
  t.ok(info[0]!.local_mtime instanceof RpcDouble, "floats stay <double>");
  t.equal(info[0]!.loading, 7);
  t.same(faultOf(() => registry.invoke("supvisors.get_instance_info", [42])), { code: 10, text: "BAD_NAME: identifier=42 is unknown to Supvisors" });
  const multi = registry.invoke("system.multicall", [[{ methodName: "supvisors.get_api_version", params: [] }, { methodName: "supvisors.get_instance_info", params: ["x"] }]]);
  t.same(multi, ["0.19", { faultCode: 10, faultString: "BAD_NAME: identifier=x is unknown to Supvisors" }]);
});

t.test("statistics controls: truth of the flags, the period checked, each applied at once", async (t) => {
  const calls: string[] = [];
  const stats = new StatisticsControl({
    installed: true,
    enableHost: (on) => calls.push(`host ${on}`),
    enableProcess: (on) => calls.push(`process ${on}`),
    setCollectingPeriod: (s) => calls.push(`period ${s}`),
    log: () => undefined,
  });
  t.equal(stats.enableHostStatistics(false), true);
  t.equal(stats.enableProcessStatistics(1), true, "Python's truth, as Supvisors takes the value");
  t.equal(stats.enableProcessStatistics(""), true);
  t.equal(stats.updateCollectingPeriod(2.5), true);
  t.same(calls, ["host false", "process true", "process false", "period 2.5"]);
  t.same(faultOf(() => stats.updateCollectingPeriod(0)), { code: 2, text: "INCORRECT_PARAMETERS: invalid collecting_period=0 - float expected in [1; 3600]" });
  t.same(faultOf(() => stats.updateCollectingPeriod("5")), { code: 2, text: "INCORRECT_PARAMETERS: invalid collecting_period=5 type=<class 'str'> - type float expected" });
  t.equal(calls.length, 4, "a refused period changes nothing");
  const off = new StatisticsControl({ installed: false, enableHost: () => t.fail("applied"), enableProcess: () => t.fail("applied"), setCollectingPeriod: () => t.fail("applied"), log: () => undefined });
  for (const f of [() => off.enableHostStatistics(true), () => off.enableProcessStatistics(true), () => off.updateCollectingPeriod(5)]) {
    t.same(faultOf(f), { code: 105, text: "NOT_INSTALLED: statistics cannot be collected here (no /proc)" });
  }
});

t.test("toRpc: float keys as <double>, nested", async (t) => {
  const v = toRpc({ now_monotonic: 3, statecode: 3, nested: [{ local_mtime: 0 }] }) as Record<string, unknown>;
  t.ok(v.now_monotonic instanceof RpcDouble);
  t.equal(v.statecode, 3);
  t.ok(((v.nested as Record<string, unknown>[])[0]!.local_mtime) instanceof RpcDouble);
});
