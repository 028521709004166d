/**
 * The supvisors status commands on scripted server answers. Every expected text below was
 * printed by the real Supvisors 0.19 plugin (supvisorsctl.py run on the same answers, TZ=UTC).
 */
import t from "tap";
import { Controller, type ControllerIO } from "../../src/ctl/controller.js";
import { XmlRpcFault } from "../../src/ctl/errors.js";
import { buildCommandTable } from "../../src/ctl/main.js";
import { statusCommands } from "../../src/ctl/supvisors/status-commands.js";
import { RpcDouble, type RpcStruct, type RpcValue } from "../../src/supervisord/rpc/codec.js";

// The Time / Start / Now columns are local times; Node applies a TZ change at once.
process.env.TZ = "UTC";

/** An answer: a value, a fault to raise, or a value per first parameter (per-item calls). */
type Answer = RpcValue | XmlRpcFault | ((param: string) => RpcValue | XmlRpcFault);

interface Run {
  readonly out: string;
  readonly status: number;
  /** `method` or `method(first param)`, in call order, namespace left off. */
  readonly calls: readonly string[];
}

/** Runs one command line through the Controller, the supvisors namespace answered from `answers`. */
async function run(line: string, answers: Record<string, Answer>, api: RpcValue = "0.19"): Promise<Run> {
  let out = "";
  const calls: string[] = [];
  const io: ControllerIO = {
    write: (s) => void (out += s),
    errorLine: (l) => void (out += `[err] ${l}\n`),
    readLine: async () => null,
    colour: false,
  };
  const table: Record<string, Answer> = { "supvisors.get_api_version": api, ...prefixed(answers) };
  const caller = {
    async call(method: string, params: readonly RpcValue[] = []): Promise<RpcValue> {
      const short = method.replace(/^supvisors\./, "");
      calls.push(params.length > 0 ? `${short}(${String(params[0])})` : short);
      if (!(method in table)) throw new XmlRpcFault(1, "UNKNOWN_METHOD");
      const scripted = table[method]!;
      const a = typeof scripted === "function" ? scripted(String(params[0])) : scripted;
      if (a instanceof XmlRpcFault) throw a;
      return a;
    },
    close() {},
  };
  const session = { serverurl: "unix:///tmp/x.sock", username: null, password: null, prompt: "supervisor", history_file: null, interactive: false };
  const ctl = new Controller(session, io, buildCommandTable([{ name: "supvisors", commands: statusCommands }]), () => caller);
  await ctl.onecmd(line);
  return { out, status: ctl.exitstatus, calls };
}

function prefixed(answers: Record<string, Answer>): Record<string, Answer> {
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [`supvisors.${k}`, v]));
}

/** A per-item answer from a table; a missing key would be a test bug. */
function byParam(table: Record<string, RpcValue | XmlRpcFault>): (p: string) => RpcValue | XmlRpcFault {
  return (p) => {
    const a = table[p];
    if (a === undefined) throw new Error(`no scripted answer for ${p}`);
    return a;
  };
}

const lines = (...l: string[]) => l.map((x) => x + "\n").join("");
const D = (x: number) => new RpcDouble(x);
const STATE_FAULT = new XmlRpcFault(101, "BAD_SUPVISORS_STATE: invalid Supvisors state=INITIALIZATION - state expected in ['OPERATION']");
const STATE_FAULT_LINE = "ERROR (BAD_SUPVISORS_STATE: invalid Supvisors state=INITIALIZATION - state expected in ['OPERATION'])";

// ---- fixtures ---------------------------------------------------------------------------------

function stateModes(identifier: string, nick: string, extra: RpcStruct = {}): RpcStruct {
  return {
    identifier,
    nick_identifier: nick,
    now_monotonic: D(12.5),
    fsm_statecode: 4,
    fsm_statename: "OPERATION",
    degraded_mode: false,
    discovery_mode: true,
    master_identifier: "10.0.0.1:60000",
    starting_jobs: false,
    stopping_jobs: true,
    instance_states: {},
    ...extra,
  };
}
const GLOBAL_STATE = { ...stateModes("10.0.0.1:60000", "alpha"), starting_jobs: ["10.0.0.2:60000", "h'o"], stopping_jobs: [] };
const ALL_STATE_MODES = [
  stateModes("10.0.0.1:60000", "alpha"),
  stateModes("10.0.0.2:60000", "beta-very-long-nick", { fsm_statename: "CONCILIATION", degraded_mode: true, master_identifier: "" }),
];

function instanceInfo(identifier: string, nick: string, host: string, extra: RpcStruct = {}): RpcStruct {
  return {
    identifier,
    nick_identifier: nick,
    node_name: host,
    port: 60000,
    statecode: 3,
    statename: "RUNNING",
    loading: 35,
    process_failure: false,
    remote_sequence_counter: 1234,
    remote_mtime: D(1.5),
    remote_time: 1700000000,
    local_sequence_counter: 99,
    local_mtime: D(2.5),
    local_time: 1700000123,
    ...extra,
  };
}
const INSTANCES = [
  instanceInfo("10.0.0.1:60000", "alpha", "10.0.0.1"),
  // A state name longer than its column runs into the next one, as '%-11s' does.
  instanceInfo("some.very.long.hostname:60000", "beta", "some.very.long.hostname", { statename: "SILENT_LONG_STATE", process_failure: true, loading: 100, port: 7 }),
];

function applicationInfo(name: string, managed: boolean, statename: string, major: boolean, minor: boolean): RpcStruct {
  return { application_name: name, managed, now_monotonic: D(1), statecode: 0, statename, major_failure: major, minor_failure: minor };
}
const APPLICATIONS = [
  applicationInfo("database", true, "RUNNING", false, true),
  applicationInfo("my_movies_application", true, "STOPPED", true, false),
  applicationInfo("unmanaged", false, "STOPPED", false, false),
];
const APPLICATION_RULES = byParam({
  database: {
    application_name: "database",
    managed: true,
    distribution: "ALL_INSTANCES",
    identifiers: ["*"],
    start_sequence: 1,
    stop_sequence: 2,
    starting_strategy: "CONFIG",
    starting_failure_strategy: "ABORT",
    running_failure_strategy: "RESTART_APPLICATION",
    status_formula: "",
  },
  my_movies_application: {
    application_name: "my_movies_application",
    managed: true,
    distribution: "SINGLE_INSTANCE",
    identifiers: ["10.0.0.1:60000", "10.0.0.2:60000"],
    start_sequence: 0,
    stop_sequence: 0,
    starting_strategy: "LESS_LOADED",
    starting_failure_strategy: "CONTINUE",
    running_failure_strategy: "CONTINUE",
    status_formula: "",
  },
  unmanaged: { application_name: "unmanaged", managed: false },
  nope: new XmlRpcFault(10, "BAD_NAME: application nope unknown"),
});

function processInfo(application: string, process: string, statecode: number, statename: string, extra: RpcStruct = {}): RpcStruct {
  return {
    application_name: application,
    process_name: process,
    now_monotonic: D(3),
    statecode,
    statename,
    expected_exit: true,
    last_event_mtime: D(2),
    identifiers: [],
    extra_args: "",
    ...extra,
  };
}
const PROCESSES = [
  processInfo("database", "movie_server_01", 20, "RUNNING", { identifiers: ["10.0.0.1:60000"] }),
  processInfo("database", "db", 100, "EXITED", { expected_exit: false }),
  processInfo("unmanaged", "zz", 100, "EXITED"),
  processInfo("database", "x", 0, "STOPPED", { expected_exit: false }),
];

function localInfo(group: string, name: string, state: number, extra: RpcStruct = {}): RpcStruct {
  return {
    group,
    name,
    state,
    statename: "X",
    start: 0,
    stop: 0,
    now: 1700000500,
    pid: 0,
    description: "",
    spawnerr: "",
    expected: true,
    start_monotonic: D(0),
    stop_monotonic: D(0),
    now_monotonic: D(5),
    extra_args: "",
    startsecs: 1,
    stopwaitsecs: 10,
    process_index: 0,
    program_name: name,
    disabled: false,
    has_stdout: true,
    has_stderr: false,
    ...extra,
  };
}
const LOCAL_PROCESSES = [
  localInfo("database", "movie_server_01", 20, { start: 1700000400, pid: 4242, extra_args: "-x 1 --long" }),
  localInfo("database", "db", 100, { disabled: true }),
  // An unknown state code has no description: None.
  localInfo("grp_with_a_long_name", "p", 999, { now: 0 }),
];

function processRules(application: string, process: string, extra: RpcStruct = {}): RpcStruct {
  return {
    application_name: application,
    process_name: process,
    identifiers: ["*"],
    start_sequence: 1,
    stop_sequence: 0,
    required: true,
    wait_exit: false,
    expected_loading: 5,
    starting_failure_strategy: "ABORT",
    running_failure_strategy: "RESTART_PROCESS",
    ...extra,
  };
}
const PROCESS_RULES = byParam({
  "database:movie_server_01": [processRules("database", "movie_server_01")],
  "database:db": [processRules("database", "db", { identifiers: [], required: false, expected_loading: 0, running_failure_strategy: "CONTINUE" })],
  "unmanaged:zz": [processRules("unmanaged", "zz", { start_sequence: 0, identifiers: ["10.0.0.1:60000", "beta"] })],
  "database:x": new XmlRpcFault(10, "BAD_NAME: database:x"),
  "database:*": [processRules("database", "movie_server_01"), processRules("database", "db")],
  zz: new XmlRpcFault(10, "BAD_NAME: zz"),
});

// ---- the API check every command makes first ---------------------------------------------------

t.test("the API check: version mismatch (5) and unknown namespace (3)", async (t) => {
  const old = await run("sversion", {}, "0.18");
  t.equal(old.out, lines("ERROR: this version of supvisorsctl expects to talk to a server with API version 0.19, but the remote version is 0.18."));
  t.equal(old.status, 5);
  t.same(old.calls, ["get_api_version"]);
  let unknown = "";
  const session = { serverurl: "unix:///tmp/x.sock", username: null, password: null, prompt: "supervisor", history_file: null, interactive: false };
  const io: ControllerIO = { write: (s) => void (unknown += s), errorLine: () => {}, readLine: async () => null, colour: false };
  const noNamespace = { call: async () => Promise.reject(new XmlRpcFault(1, "UNKNOWN_METHOD")), close() {} };
  const ctl = new Controller(session, io, buildCommandTable([{ name: "supvisors", commands: statusCommands }]), () => noNamespace);
  await ctl.onecmd("sstatus");
  t.equal(
    unknown,
    lines(
      "ERROR: supervisord responded but did not recognize the supvisors namespace commands that supervisorstl uses to control it. " +
        "Please check that the [rpcinterface:supvisors] section is enabled in the configuration file.",
    ),
  );
  t.equal(ctl.exitstatus, 3);
});

// ---- one-call commands ---------------------------------------------------------------------------

t.test("sversion asks the version again after the check", async (t) => {
  const r = await run("sversion", {});
  t.same(r, { out: "0.19\n", status: 0, calls: ["get_api_version", "get_api_version"] });
});

t.test("master", async (t) => {
  const elected = await run("master", { get_master_identifier: { identifier: "10.0.0.1:60000", nick_identifier: "alpha" } });
  t.equal(elected.out, lines("Nick identifier: alpha", "Identifier:      10.0.0.1:60000"));
  t.same(elected.calls, ["get_api_version", "get_master_identifier"]);
  t.equal((await run("master", { get_master_identifier: {} })).out, "No Supvisors Master\n");
  const fault = await run("master", { get_master_identifier: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("strategies", async (t) => {
  const r = await run("strategies", { get_strategies: { "auto-fencing": false, starting: "CONFIG", conciliation: "USER", supvisors_failure: "CONTINUE" } });
  t.equal(r.out, lines("Auto-fencing: False", "Failure:      CONTINUE", "Conciliation: USER", "Starting:     CONFIG"));
  const fault = await run("strategies", { get_strategies: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("stats_status prints the period as a Python float", async (t) => {
  const whole = await run("stats_status", { get_statistics_status: { host_stats: true, process_stats: false, collecting_period: D(5) } });
  t.equal(whole.out, lines("Collecting Host statistics:    True", "Collecting Process statistics: False", "Collecting statistics period:  5.0"));
  const tenth = await run("stats_status", { get_statistics_status: { host_stats: true, process_stats: true, collecting_period: D(0.1) } });
  t.match(tenth.out, /period: {2}0\.1\n$/);
  const fault = await run("stats_status", { get_statistics_status: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

// ---- tables ------------------------------------------------------------------------------------

t.test("sstate: global form without names, per-instance form with names", async (t) => {
  const global = await run("sstate", { get_supvisors_state: GLOBAL_STATE });
  t.equal(
    global.out,
    lines(
      "Nickname  Supvisors identifier  State           Degraded  Discovery  Master          Starting                   Stopping  ",
      "alpha     10.0.0.1:60000        OPERATION       False     True       10.0.0.1:60000  ['10.0.0.2:60000', \"h'o\"]  []        ",
    ),
  );
  t.same(global.calls, ["get_api_version", "get_supvisors_state"]);
  const answers = { get_all_instances_state_modes: ALL_STATE_MODES };
  const title = "Nickname             Supvisors identifier  State           Degraded  Discovery  Master          Starting  Stopping  ";
  const alpha = "alpha                10.0.0.1:60000        OPERATION       False     True       10.0.0.1:60000  False     True      ";
  const beta = "beta-very-long-nick  10.0.0.2:60000        CONCILIATION    True      True                       False     True      ";
  const all = await run("sstate all", answers);
  t.equal(all.out, lines(title, alpha, beta));
  t.same(all.calls, ["get_api_version", "get_all_instances_state_modes"]);
  t.equal((await run("sstate alpha", answers)).out, lines(title, alpha), "by nick; widths still measured on every instance");
  t.equal((await run("sstate 10.0.0.2:60000 unknown", answers)).out, lines(title, beta), "by identifier; unknown names ignored");
  t.equal((await run("sstate x", { get_all_instances_state_modes: [] })).out, "", "no instance: no title");
  const fault = await run("sstate", { get_supvisors_state: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("instance_status", async (t) => {
  const answers = { get_all_instances_info: INSTANCES };
  const title = "Nickname  Supvisors identifier           Host                     Port   State      Load  Time      Counter  Processes  ";
  const alpha = "alpha     10.0.0.1:60000                 10.0.0.1                 60000  RUNNING    35%   22:15:23  1234     ok         ";
  const beta = "beta      some.very.long.hostname:60000  some.very.long.hostname  7      SILENT_LONG_STATE100%  22:15:23  1234     error      ";
  const all = await run("instance_status", answers);
  t.equal(all.out, lines(title, alpha, beta));
  t.same(all.calls, ["get_api_version", "get_all_instances_info"]);
  t.equal((await run("instance_status alpha", answers)).out, lines(title, alpha));
  t.equal((await run("instance_status some.very.long.hostname:60000 all", answers)).out, lines(title, alpha, beta), "all wins");
  t.equal((await run("instance_status nobody", answers)).out, lines(title), "the title even when nothing matches");
  t.equal(
    (await run("instance_status", { get_all_instances_info: [] })).out,
    lines("Nickname  Supvisors identifier  Host  Port   State      Load  Time      Counter  Processes  "),
  );
  const fault = await run("instance_status", { get_all_instances_info: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("application_info", async (t) => {
  const answers = { get_all_applications_info: APPLICATIONS };
  const title = "Application            State     Major  Minor  ";
  const database = "database               RUNNING   False  True   ";
  const unmanaged = "unmanaged              STOPPED   False  False  ";
  t.equal((await run("application_info", answers)).out, lines(title, database, "my_movies_application  STOPPED   True   False  ", unmanaged));
  t.equal((await run("application_info database unmanaged", answers)).out, lines(title, database, unmanaged));
  const fault = await run("application_info", { get_all_applications_info: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("application_rules: managed rows, unmanaged rows all n/a, per-application faults", async (t) => {
  const all = await run("application_rules", { get_all_applications_info: APPLICATIONS, get_application_rules: APPLICATION_RULES });
  t.equal(
    all.out,
    lines(
      "Application            Managed  Distribution     Supervisor                            Start  Stop   Starting          Starting_Failure  Running_Failure",
      "database               True     ALL_INSTANCES    ['*']                                 1      2      CONFIG            ABORT             RESTART_APPLICATION",
      "my_movies_application  True     SINGLE_INSTANCE  ['10.0.0.1:60000', '10.0.0.2:60000']  0      0      LESS_LOADED       CONTINUE          CONTINUE",
      "unmanaged              False    n/a              n/a                                   n/a    n/a    n/a               n/a               n/a",
    ),
  );
  t.same(all.calls, [
    "get_api_version",
    "get_all_applications_info",
    "get_application_rules(database)",
    "get_application_rules(my_movies_application)",
    "get_application_rules(unmanaged)",
  ]);
  const named = await run("application_rules unmanaged nope database", { get_application_rules: APPLICATION_RULES });
  t.equal(
    named.out,
    lines(
      "nope: ERROR (BAD_NAME: application nope unknown)",
      "Application  Managed  Distribution     Supervisor  Start  Stop   Starting          Starting_Failure  Running_Failure",
      "unmanaged    False    n/a              n/a         n/a    n/a    n/a               n/a               n/a",
      "database     True     ALL_INSTANCES    ['*']       1      2      CONFIG            ABORT             RESTART_APPLICATION",
    ),
    "in the order given, the fault first",
  );
  t.equal(named.status, 1);
  const onlyFaults = await run("application_rules nope", { get_application_rules: APPLICATION_RULES });
  t.same([onlyFaults.out, onlyFaults.status], [lines("nope: ERROR (BAD_NAME: application nope unknown)"), 1], "no rules: no title");
  const fault = await run("application_rules all", { get_all_applications_info: STATE_FAULT });
  t.same([fault.out, fault.status, fault.calls], [lines(STATE_FAULT_LINE), 1, ["get_api_version", "get_all_applications_info"]]);
});

t.test("sstatus: Expected only for EXITED processes", async (t) => {
  const title = "Application  Process          State       Expected  Supervisor";
  const server = "database     movie_server_01  RUNNING     n/a       ['10.0.0.1:60000']";
  const db = "database     db               EXITED      False     []";
  const all = await run("sstatus", { get_all_process_info: PROCESSES });
  t.equal(all.out, lines(title, server, db, "unmanaged    zz               EXITED      True      []", "database     x                STOPPED     n/a       []"));
  t.same(all.calls, ["get_api_version", "get_all_process_info"]);
  const named = await run("sstatus database:* bad", {
    get_process_info: byParam({ "database:*": PROCESSES.slice(0, 2), bad: new XmlRpcFault(10, "BAD_NAME: bad") }),
  });
  t.equal(named.out, lines("bad: ERROR (BAD_NAME: bad)", title, server, db));
  t.same([named.status, named.calls], [1, ["get_api_version", "get_process_info(database:*)", "get_process_info(bad)"]]);
  t.equal((await run("sstatus", { get_all_process_info: [] })).out, "", "no process: no title");
  const fault = await run("sstatus all", { get_all_process_info: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("local_status: filtered here by namespec, 0 for zero times", async (t) => {
  const answers = { get_all_local_process_info: LOCAL_PROCESSES };
  const title = "Application           Process          Disabled  State       Start       Now         PID     Extra args";
  const server = "database              movie_server_01  False     RUNNING     22:20:00    22:21:40    4242    -x 1 --long";
  const db = "database              db               True      EXITED      0           22:21:40    0       ";
  const p = "grp_with_a_long_name  p                False     None        0           0           0       ";
  const all = await run("local_status", answers);
  t.equal(all.out, lines(title, server, db, p));
  t.same(all.calls, ["get_api_version", "get_all_local_process_info"]);
  t.equal((await run("local_status database:db grp_with_a_long_name:* none database:movie_server_01", answers)).out, lines(title, db, p, server), "in the order of the names");
  t.equal((await run("local_status database", answers)).out, "", "a bare name means group:name; no match prints nothing");
  t.equal(
    (await run("local_status grp_with_a_long_name:", answers)).out,
    lines("Application           Process  Disabled  State       Start       Now         PID     Extra args", "grp_with_a_long_name  p        False     None        0           0           0       "),
    "widths measured on the matching processes only",
  );
  const fault = await run("local_status", { get_all_local_process_info: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

t.test("process_rules: namespecs sorted, per-namespec faults", async (t) => {
  const title = "Application  Process          Start  Stop   Required    WaitExit    Loading     Strategy              Supervisor";
  const server = "database     movie_server_01  1      0      True        False       5%          RESTART_PROCESS       ['*']";
  const all = await run("process_rules", { get_all_process_info: PROCESSES, get_process_rules: PROCESS_RULES });
  t.equal(
    all.out,
    lines(
      "database:x: ERROR (BAD_NAME: database:x)",
      title,
      "database     db               1      0      False       False       0%          CONTINUE              []",
      server,
      "unmanaged    zz               0      0      True        False       5%          RESTART_PROCESS       ['10.0.0.1:60000', 'beta']",
    ),
  );
  t.same(all.calls, [
    "get_api_version",
    "get_all_process_info",
    "get_process_rules(database:db)",
    "get_process_rules(database:movie_server_01)",
    "get_process_rules(database:x)",
    "get_process_rules(unmanaged:zz)",
  ]);
  t.equal(all.status, 1);
  const named = await run("process_rules zz database:*", { get_process_rules: PROCESS_RULES });
  t.equal(named.out, lines("zz: ERROR (BAD_NAME: zz)", title, server, "database     db               1      0      True        False       5%          RESTART_PROCESS       ['*']"));
  t.same(named.calls, ["get_api_version", "get_process_rules(database:*)", "get_process_rules(zz)"], "sorted: ':' < 'z'");
  const fault = await run("process_rules all", { get_all_process_info: STATE_FAULT });
  t.same([fault.out, fault.status, fault.calls], [lines(STATE_FAULT_LINE), 1, ["get_api_version", "get_all_process_info"]]);
});

t.test("conflicts", async (t) => {
  const conflict = processInfo("database", "movie_server_01", 20, "RUNNING", { identifiers: ["10.0.0.1:60000", "10.0.0.2:60000"] });
  const r = await run("conflicts", { get_conflicts: [conflict] });
  t.equal(
    r.out,
    lines("Application  Process          State       Supervisor", "database     movie_server_01  RUNNING     ['10.0.0.1:60000', '10.0.0.2:60000']"),
  );
  t.same(await run("conflicts", { get_conflicts: [] }), { out: "", status: 0, calls: ["get_api_version", "get_conflicts"] }, "no conflict: nothing");
  const fault = await run("conflicts", { get_conflicts: STATE_FAULT });
  t.same([fault.out, fault.status], [lines(STATE_FAULT_LINE), 1]);
});

// ---- help and completion -----------------------------------------------------------------------

const HELP: Record<string, string> = {
  sversion: lines("sversion\t\t\tGet the API version of Supvisors."),
  sstate: lines(
    "sstate\t\t\t\tGet the Supvisors state and modes.",
    "sstate <identifier>\t\t\tGet the Supvisors instance state and modes.",
    "sstate <identifier> <identifier>\tGet the state and modes for multiple Supvisors instances",
    "sstate all\t\t\tGet the state and modes for all Supvisors instances",
  ),
  master: lines("master\t\t\t\tGet the Supvisors Master identification."),
  strategies: lines("strategies\t\t\tGet the Supvisors strategies."),
  stats_status: lines("stats_status\t\t\tGet the Supvisors statistics collection status."),
  instance_status: lines(
    "instance_status <identifier>\t\t\tGet the status of the Supvisors instance.",
    "instance_status <identifier> <identifier>\tGet the status for multiple Supvisors instances",
    "instance_status\t\t\t\t\tGet the status of all Supvisors instances.",
  ),
  application_info: lines(
    "application_info <appli>\t\tGet the status of application named appli.",
    "application_info <appli> <appli>\tGet the status for multiple named application",
    "application_info\t\t\tGet the status of all applications.",
  ),
  application_rules: lines(
    "application_rules <appli>\t\t\tGet the rules of the application named appli.",
    "application_rules <appli> <appli>\t\tGet the rules for multiple named applications",
    "application_rules\t\t\t\tGet the rules of all applications.",
  ),
  sstatus: lines(
    "sstatus <proc>\t\t\t\tGet the status of the process named proc.",
    "sstatus <appli>:*\t\t\tGet the process status of application named appli.",
    "sstatus <proc> <proc>\t\t\tGet the status for multiple named processes",
    "sstatus\t\t\t\t\tGet the status of all processes.",
  ),
  local_status: lines(
    "local_status <proc>\t\t\tGet the local status of the process named proc.",
    "local_status <appli>:*\t\t\tGet the local status of all processes in the application named appli.",
    "local_status <proc> <proc>\t\tGet the local status for multiple named processes",
    "local_status\t\t\t\tGet the local status of all processes.",
  ),
  process_rules: lines(
    "process_rules <proc>\t\t\tGet the rules of the process named proc.",
    "process_rules <appli>:*\t\t\tGet the rules of all processes in the application named appli.",
    "process_rules <proc> <proc>\t\tGet the rules for multiple named processes",
    "process_rules\t\t\t\tGet the rules of all processes.",
  ),
  conflicts: lines("conflicts\t\t\t\tGet the Supvisors conflicts."),
};

t.test("help texts", async (t) => {
  t.same(
    statusCommands.map((c) => c.name).sort(),
    Object.keys(HELP).sort(),
    "exactly the twelve status commands",
  );
  for (const c of statusCommands) t.equal(`${c.help}\n`, HELP[c.name], `help ${c.name}`);
  const viaShell = await run("help sstate", {});
  // The default plugin answers first, as in Python's per-plugin do_help.
  t.equal(viaShell.out, "*** No help on sstate\n" + HELP.sstate, "help sstate through the controller");
});

t.test("completion kinds", async (t) => {
  const kinds = Object.fromEntries(statusCommands.map((c) => [c.name, c.completes]));
  t.same(kinds, {
    sversion: undefined,
    sstate: "instances",
    master: undefined,
    strategies: undefined,
    stats_status: undefined,
    instance_status: "instances",
    application_info: "applications",
    application_rules: "applications",
    sstatus: "namespecs",
    local_status: "processes",
    process_rules: "namespecs",
    conflicts: undefined,
  });
});
