/**
 * The supvisors application and process control commands against scripted answers: exact
 * output, exit status, and the calls made (method, params, and for all_start* the URL and
 * credentials), as Supvisors 0.19's plugin prints and makes them.
 */
import t from "tap";
import { Controller, type ControllerIO } from "../../src/ctl/controller.js";
import { XmlRpcFault } from "../../src/ctl/errors.js";
import { buildCommandTable } from "../../src/ctl/main.js";
import { controlCommands, pyInt } from "../../src/ctl/supvisors/control-commands.js";
import type { RpcValue } from "../../src/supervisord/rpc/codec.js";

const SERVER = "http://localhost:9001";
const STRATEGIES = "['CONFIG', 'LESS_LOADED', 'MOST_LOADED', 'LOCAL', 'LESS_LOADED_NODE', 'MOST_LOADED_NODE']";

type Answer = RpcValue | XmlRpcFault | ((params: readonly RpcValue[]) => RpcValue);
/** Answers by method; a method called at another URL is keyed `<url>|<method>`. */
type Script = Record<string, Answer>;

interface Run {
  out: string;
  status: number;
  /** `[method, params]`, the API version check left out. */
  calls: [string, RpcValue[]][];
  /** `[url, username, password]` of each caller made. */
  callers: [string, string | null, string | null][];
}

async function run(line: string, script: Script = {}): Promise<Run> {
  let out = "";
  const io: ControllerIO = {
    write: (s) => void (out += s),
    errorLine: (l) => void (out += `[err] ${l}\n`),
    readLine: async () => null,
    colour: false,
  };
  const calls: [string, RpcValue[]][] = [];
  const callers: Run["callers"] = [];
  const factory = (url: string, username: string | null, password: string | null) => {
    callers.push([url, username, password]);
    return {
      async call(method: string, params: readonly RpcValue[] = []) {
        const key = url === SERVER ? method : `${url}|${method}`;
        if (key === "supvisors.get_api_version" && !(key in script)) return "0.19";
        calls.push([key, [...params]]);
        const answer = script[key];
        if (answer === undefined) throw new XmlRpcFault(1, "UNKNOWN_METHOD");
        if (answer instanceof XmlRpcFault) throw answer;
        return typeof answer === "function" ? answer(params) : answer;
      },
      close() {},
    };
  };
  const ctl = new Controller(
    { serverurl: SERVER, username: "user", password: "secret", prompt: "supvisors", history_file: null, interactive: false },
    io,
    buildCommandTable([{ name: "supvisors", commands: controlCommands }]),
    factory,
  );
  await ctl.onecmd(line);
  return { out, status: ctl.exitstatus, calls, callers };
}

const fault = (code: number, text: string) => new XmlRpcFault(code, text);
/** What `help <name>` prints. */
const help = (name: string) => controlCommands.find((c) => c.name === name)!.help! + "\n";

const APPS = [
  { application_name: "web", managed: true },
  { application_name: "db", managed: true },
  { application_name: "misc", managed: false },
];
const PROCS = [
  { application_name: "web", process_name: "nginx", statecode: 20 },
  { application_name: "db", process_name: "pg", statecode: 0 },
  { application_name: "solo", process_name: "solo", statecode: 10 },
  { application_name: "web", process_name: "api", statecode: 30 },
  { application_name: "web", process_name: "job", statecode: 100 },
];
const INSTANCES = [
  { identifier: "n1:60000", node_name: "n1", port: 60000, statecode: 3 },
  { identifier: "n2:60000", node_name: "n2", port: 60000, statecode: 1 },
  { identifier: "n3", node_name: "10.0.0.3", port: 61000, statecode: 2 },
  { identifier: "n4", node_name: "n4", port: 61000, statecode: 4 },
];
const PREDICTIONS = [
  { application_name: "web", process_name: "nginx", state: "RUNNING", forced_reason: "", running_identifiers: ["n1:60000"] },
  { application_name: "web", process_name: "a_long_process", state: "FATAL", forced_reason: "No resource available", running_identifiers: [] },
];
const PREDICTION_TABLE =
  "Application  Process         State       Supervisor    Reason\n" +
  "web          nginx           RUNNING     ['n1:60000']  \n" +
  "web          a_long_process  FATAL       []            No resource available\n";

t.test("every command has its help, its completion kinds, and checks the API first", async (t) => {
  t.same(
    controlCommands.map((c) => c.name),
    [
      "start_application",
      "test_start_application",
      "restart_application",
      "stop_application",
      "start_args",
      "all_start",
      "all_start_args",
      "start_process",
      "test_start_process",
      "start_any_process",
      "start_process_args",
      "start_any_process_args",
      "stop_process",
      "restart_process",
      "update_numprocs",
      "lazy_update_numprocs",
      "enable",
      "disable",
      "rolling_restart",
    ],
  );
  for (const c of controlCommands) {
    t.ok(c.help && !c.help.endsWith("\n"), `${c.name} help, printed with its newline`);
    t.ok(c.completes, `${c.name} completes`);
    const r = await run(`${c.name} CONFIG x y z`, { "supvisors.get_api_version": "0.18" });
    t.equal(r.out, "ERROR: this version of supvisorsctl expects to talk to a server with API version 0.19, but the remote version is 0.18.\n");
    t.equal(r.status, 5, `${c.name} upcheck`);
  }
  t.same(controlCommands.find((c) => c.name === "start_application")!.completes, ["starting-strategies", "applications"]);
  t.same(controlCommands.find((c) => c.name === "start_process")!.completes, ["starting-strategies", "namespecs"]);
  t.equal(controlCommands.find((c) => c.name === "stop_application")!.completes, "applications");
  t.equal(controlCommands.find((c) => c.name === "stop_process")!.completes, "namespecs");
  t.equal(controlCommands.find((c) => c.name === "enable")!.completes, "groups");
  t.equal(
    help("start_application"),
    "start_application <strategy> <appli>\t\tStart the managed application named appli with strategy.\n" +
      "start_application <strategy> <appli> <appli>\tStart multiple managed named applications with strategy\n" +
      "start_application <strategy>\t\t\tStart all managed applications with strategy.\n",
  );
  t.equal(help("start_process_args"), "start_process <strategy> <proc> <arg_list>\tStart the process named proc with additional arguments arg_list.\n");
});

t.test("strategy argument errors: exit 2, the message, then the help", async (t) => {
  const commands = [
    "start_application",
    "test_start_application",
    "restart_application",
    "start_process",
    "test_start_process",
    "start_any_process",
    "start_process_args",
    "start_any_process_args",
  ];
  for (const name of commands) {
    // test_start_* check the word count before the strategy.
    const r = await run(name.startsWith("test_") ? `${name} config a` : `${name} config a b`);
    t.equal(r.out, `ERROR: unknown strategy for ${name}. use one of ${STRATEGIES}\n${help(name)}`, name);
    t.equal(r.status, 2);
    t.same(r.calls, [], "nothing called after the API check");
  }
  const rp = await run("restart_process Config x");
  t.equal(rp.out, `ERROR: unknown strategy=Config. use one of ${STRATEGIES}\n${help("restart_process")}`);
  const missing: Record<string, string> = {
    start_application: "start_application requires at least a strategy",
    test_start_application: "test_start_application requires one strategy and one application name",
    restart_application: "restart_application requires at least a strategy",
    start_process: "start_process requires at least a strategy",
    test_start_process: "test_start_process requires one strategy and one namespec",
    start_any_process: "start_any_process requires a strategy and at least a regular expression",
    start_process_args: "start_process_args requires a strategy, a program namespec and extra arguments",
    start_any_process_args: "start_any_process_args requires a strategy, a regular expression and extra arguments",
    restart_process: "restart_process requires a strategy and a program name",
  };
  for (const [name, message] of Object.entries(missing)) {
    const r = await run(name);
    t.equal(r.out, `ERROR: ${message}\n${help(name)}`, name);
    t.equal(r.status, 2);
  }
  // Too few (or, for test_start_*, too many) words after a valid strategy.
  for (const line of ["test_start_application CONFIG", "test_start_application CONFIG a b", "test_start_process LOCAL a b", "start_any_process LOCAL", "start_process_args LOCAL web:a", "start_any_process_args LOCAL web"]) {
    const r = await run(line);
    t.match(r.out, /^ERROR: \S+ requires /, line);
    t.equal(r.status, 2);
  }
});

t.test("start_application: all managed sorted, named ones in order, unmanaged and unknown lines", async (t) => {
  const all = await run("start_application LESS_LOADED", { "supvisors.get_all_applications_info": APPS, "supvisors.start_application": true });
  t.equal(all.out, "db started: True\nweb started: True\n");
  t.same(all.calls, [
    ["supvisors.get_all_applications_info", []],
    ["supvisors.start_application", [1, "db"]],
    ["supvisors.start_application", [1, "web"]],
  ]);
  t.equal(all.status, 0);
  const word = await run("start_application MOST_LOADED_NODE web all nope", { "supvisors.get_all_applications_info": APPS, "supvisors.start_application": false });
  t.equal(word.out, "db started: False\nweb started: False\n", "`all` among names means all, unknown names unreported");
  t.equal(word.calls[1]![1][0], 5);
  const some = await run("start_application LOCAL web misc nope db", { "supvisors.get_all_applications_info": APPS, "supvisors.start_application": true });
  t.equal(some.out, "misc: IGNORED (unmanaged. use start misc:*)\nnope: ERROR (no such application)\nweb started: True\ndb started: True\n",
    "every name is checked before the first start");
  t.equal(some.status, 2);
  t.same(some.calls.slice(1).map((c) => c[1]), [[3, "web"], [3, "db"]]);
  const bad = await run("start_application CONFIG db", { "supvisors.get_all_applications_info": APPS, "supvisors.start_application": fault(60, "ALREADY_STARTED: db") });
  t.equal(bad.out, "db: ERROR (ALREADY_STARTED: db)\n");
  t.equal(bad.status, 1);
  const list = await run("start_application CONFIG db", { "supvisors.get_all_applications_info": fault(101, "BAD_SUPVISORS_STATE: not in OPERATION") });
  t.equal(list.out, "ERROR (BAD_SUPVISORS_STATE: not in OPERATION)\n");
  t.equal(list.status, 1);
  t.equal(list.calls.length, 1);
});

t.test("restart_application and stop_application", async (t) => {
  const r = await run("restart_application LESS_LOADED_NODE misc web", { "supvisors.get_all_applications_info": APPS, "supvisors.restart_application": true });
  t.equal(r.out, "misc: IGNORED (unmanaged. use restart misc:*)\nweb restarted: True\n");
  t.same(r.calls[1], ["supvisors.restart_application", [4, "web"]]);
  const rf = await run("restart_application CONFIG", { "supvisors.get_all_applications_info": APPS, "supvisors.restart_application": fault(50, "ABNORMAL_TERMINATION: x") });
  t.equal(rf.out, "db: ERROR (ABNORMAL_TERMINATION: x)\nweb: ERROR (ABNORMAL_TERMINATION: x)\n");
  t.equal(rf.status, 1);
  const s = await run("stop_application misc web nope", { "supvisors.get_all_applications_info": APPS, "supvisors.stop_application": true });
  t.equal(s.out, "misc: IGNORED (unmanaged. use stop misc:*)\nnope: ERROR (no such application)\nweb stopped: True\n");
  t.same(s.calls[1], ["supvisors.stop_application", ["web"]]);
  t.equal(s.status, 2);
  const all = await run("stop_application", { "supvisors.get_all_applications_info": APPS, "supvisors.stop_application": true });
  t.equal(all.out, "db stopped: True\nweb stopped: True\n");
  const sf = await run("stop_application", { "supvisors.get_all_applications_info": fault(101, "BAD_SUPVISORS_STATE: x") });
  t.equal(sf.out, "ERROR (BAD_SUPVISORS_STATE: x)\n");
  t.equal(sf.status, 1);
});

t.test("test_start_application and test_start_process: the prediction table", async (t) => {
  const ok = await run("test_start_application LESS_LOADED web", {
    "supvisors.get_application_info": { application_name: "web", managed: true },
    "supvisors.test_start_application": PREDICTIONS,
  });
  t.equal(ok.out, PREDICTION_TABLE);
  t.same(ok.calls, [
    ["supvisors.get_application_info", ["web"]],
    ["supvisors.test_start_application", [1, "web"]],
  ]);
  const empty = await run("test_start_application CONFIG web", { "supvisors.get_application_info": { managed: true }, "supvisors.test_start_application": [] });
  t.equal(empty.out, "Application  Process  State       Supervisor  Reason\n");
  const unmanaged = await run("test_start_application CONFIG misc", { "supvisors.get_application_info": { managed: false } });
  t.equal(unmanaged.out, `ERROR: misc unmanaged\n${help("test_start_application")}`);
  t.equal(unmanaged.status, 0, "the reference leaves the exit status alone here");
  const unknown = await run("test_start_application CONFIG nope", { "supvisors.get_application_info": fault(10, "BAD_NAME: nope") });
  t.equal(unknown.out, 'ERROR: unknown application "nope"\n');
  t.equal(unknown.status, 2);
  const failed = await run("test_start_application CONFIG web", { "supvisors.get_application_info": { managed: true }, "supvisors.test_start_application": fault(60, "ALREADY_STARTED: web") });
  t.equal(failed.out, "web: ERROR (ALREADY_STARTED: web)\n");
  t.equal(failed.status, 1);
  const proc = await run("test_start_process MOST_LOADED web:*", { "supvisors.test_start_process": PREDICTIONS });
  t.equal(proc.out, PREDICTION_TABLE);
  t.same(proc.calls, [["supvisors.test_start_process", [2, "web:*"]]]);
  const pf = await run("test_start_process MOST_LOADED web:*", { "supvisors.test_start_process": fault(10, "BAD_NAME: web:*") });
  t.equal(pf.out, "web:*: ERROR (BAD_NAME: web:*)\n");
  t.equal(pf.status, 1);
});

t.test("start_process, restart_process, stop_process: sorted namespecs, `all` from the process list", async (t) => {
  const all = await run("start_process LOCAL", { "supvisors.get_all_process_info": PROCS, "supvisors.start_process": true });
  t.equal(all.out, "db:pg started: True\nsolo started: True\nweb:api started: True\nweb:job started: True\nweb:nginx started: True\n");
  t.same(all.calls[0], ["supvisors.get_all_process_info", []]);
  t.same(all.calls[1], ["supvisors.start_process", [3, "db:pg"]]);
  const some = await run("start_process CONFIG z:b web:* Ä a", { "supvisors.start_process": fault(10, "BAD_NAME: x") });
  t.equal(some.out, "a: ERROR (BAD_NAME: x)\nweb:*: ERROR (BAD_NAME: x)\nz:b: ERROR (BAD_NAME: x)\nÄ: ERROR (BAD_NAME: x)\n");
  t.equal(some.status, 1);
  const lf = await run("start_process CONFIG all", { "supvisors.get_all_process_info": fault(101, "BAD_SUPVISORS_STATE") });
  t.equal(lf.out, "ERROR (BAD_SUPVISORS_STATE)\n");
  t.equal(lf.calls.length, 1);
  const rs = await run("restart_process MOST_LOADED y x", { "supvisors.restart_process": false });
  t.equal(rs.out, "x restarted: False\ny restarted: False\n");
  t.same(rs.calls[0], ["supvisors.restart_process", [2, "x"]]);
  const rall = await run("restart_process CONFIG", { "supvisors.get_all_process_info": PROCS, "supvisors.restart_process": true });
  t.equal(rall.calls.length, 6, "restart all covers stopped processes too");
  const st = await run("stop_process", { "supvisors.get_all_process_info": PROCS, "supvisors.stop_process": true });
  t.equal(st.out, "solo stopped\nweb:api stopped\nweb:nginx stopped\n", "only STARTING, RUNNING, BACKOFF");
  t.same(st.calls[1], ["supvisors.stop_process", ["solo"]]);
  const sf = await run("stop_process b a", { "supvisors.stop_process": fault(70, "NOT_RUNNING: a") });
  t.equal(sf.out, "a: ERROR (NOT_RUNNING: a)\nb: ERROR (NOT_RUNNING: a)\n");
  t.equal(sf.status, 1);
});

t.test("start_any_process and the *_args forms", async (t) => {
  const any = await run("start_any_process LESS_LOADED ^web zz", { "supvisors.start_any_process": (p) => (p[1] === "zz" ? "z:z" : "web:nginx") });
  t.equal(any.out, "web:nginx started\nz:z started\n");
  t.same(any.calls, [
    ["supvisors.start_any_process", [1, "^web"]],
    ["supvisors.start_any_process", [1, "zz"]],
  ]);
  const af = await run("start_any_process LESS_LOADED ^web", { "supvisors.start_any_process": fault(1, 'FAILED: no candidate process matching "^web"') });
  t.equal(af.out, '"^web": ERROR (FAILED: no candidate process matching "^web")\n');
  t.equal(af.status, 1);
  const pa = await run("start_process_args LOCAL web:nginx -a   b  c", { "supvisors.start_process": true });
  t.equal(pa.out, "web:nginx started: True\n");
  t.same(pa.calls, [["supvisors.start_process", [3, "web:nginx", "-a b c"]]]);
  const paf = await run("start_process_args LOCAL web:nginx -a", { "supvisors.start_process": fault(10, "BAD_NAME: web:nginx") });
  t.equal(paf.out, "web:nginx: ERROR (BAD_NAME: web:nginx)\n");
  const aa = await run("start_any_process_args LOCAL web -a  b", { "supvisors.start_any_process": "web:api" });
  t.equal(aa.out, "web:api started\n");
  t.same(aa.calls, [["supvisors.start_any_process", [3, "web", "-a b"]]]);
  const aaf = await run("start_any_process_args LOCAL web -a", { "supvisors.start_any_process": fault(1, "FAILED: x") });
  t.equal(aaf.out, '"web": ERROR (FAILED: x)\n');
  t.equal(aaf.status, 1);
});

t.test("start_args on the connected instance", async (t) => {
  const ok = await run("start_args web:nginx -x  1", { "supvisors.start_args": true });
  t.equal(ok.out, "web:nginx started: True\n");
  t.same(ok.calls, [["supvisors.start_args", ["web:nginx", "-x 1"]]]);
  const bad = await run("start_args web:nginx -x", { "supvisors.start_args": fault(103, "DISABLED: web:nginx") });
  t.equal(bad.out, "web:nginx: ERROR (DISABLED: web:nginx)\n");
  t.equal(bad.status, 1);
  const short = await run("start_args web:nginx");
  t.equal(short.out, `ERROR: start_args requires a process name and extra arguments\n${help("start_args")}`);
  t.equal(short.status, 2);
});

t.test("all_start and all_start_args: each CHECKED or RUNNING instance at its own URL", async (t) => {
  const script: Script = {
    "supvisors.get_all_instances_info": INSTANCES,
    "http://n1:60000|supervisor.startProcess": true,
    "http://10.0.0.3:61000|supervisor.startProcess": fault(60, "ALREADY_STARTED: web:nginx"),
    "http://n1:60000|supvisors.start_args": true,
    "http://10.0.0.3:61000|supvisors.start_args": false,
  };
  const r = await run("all_start web:nginx ignored", script);
  t.equal(r.out, "web:nginx started on n1:60000: True\nweb:nginx: ERROR (ALREADY_STARTED: web:nginx)\n");
  t.equal(r.status, 1);
  t.same(r.calls, [
    ["supvisors.get_all_instances_info", []],
    ["http://n1:60000|supervisor.startProcess", ["web:nginx", false]],
    ["http://10.0.0.3:61000|supervisor.startProcess", ["web:nginx", false]],
  ]);
  const remote = r.callers.filter(([url]) => url !== SERVER);
  t.same(remote, [
    ["http://n1:60000", "user", "secret"],
    ["http://10.0.0.3:61000", "user", "secret"],
  ]);
  const a = await run("all_start_args web:nginx -a  b", script);
  t.equal(a.out, "web:nginx started on n1:60000: True\nweb:nginx started on n3: False\n");
  t.same(a.calls.slice(1), [
    ["http://n1:60000|supvisors.start_args", ["web:nginx", "-a b", false]],
    ["http://10.0.0.3:61000|supvisors.start_args", ["web:nginx", "-a b", false]],
  ]);
  const none = await run("all_start web:nginx", { "supvisors.get_all_instances_info": [INSTANCES[1]!, INSTANCES[3]!] });
  t.equal(none.out, "ERROR: no running Supvisors instance\n");
  t.equal(none.status, 0);
  const lf = await run("all_start_args web:nginx -a", { "supvisors.get_all_instances_info": fault(2, "INCORRECT_PARAMETERS") });
  t.equal(lf.out, "ERROR (INCORRECT_PARAMETERS)\nERROR: no running Supvisors instance\n");
  t.equal(lf.status, 1);
  const missing = await run("all_start");
  t.equal(missing.out, `ERROR: all_start requires a process name\n${help("all_start")}`);
  t.equal(missing.status, 2);
  const short = await run("all_start_args web:nginx");
  t.equal(short.out, `ERROR: all_start_args requires a process name and extra arguments\n${help("all_start_args")}`);
});

t.test("update_numprocs and lazy_update_numprocs", async (t) => {
  const ok = await run("update_numprocs prog 3 extra", { "supvisors.update_numprocs": true });
  t.equal(ok.out, "prog numprocs updated: True\n");
  t.same(ok.calls, [["supvisors.update_numprocs", ["prog", 3]]]);
  const lazy = await run("lazy_update_numprocs prog +4", { "supvisors.update_numprocs": true });
  t.same(lazy.calls, [["supvisors.update_numprocs", ["prog", 4, true, true]]]);
  for (const bad of ["0", "-2", "x", "1.5", "_1", "1__0"]) {
    const r = await run(`update_numprocs prog ${bad}`);
    t.equal(r.out, `ERROR: numprocs must be a strictly positive integer\n${help("update_numprocs")}`, bad);
    t.equal(r.status, 2);
  }
  const missing = await run("lazy_update_numprocs prog");
  t.equal(missing.out, `ERROR: lazy_update_numprocs requires a program name and a numprocs values\n${help("lazy_update_numprocs")}`);
  const f = await run("update_numprocs prog 2", { "supvisors.update_numprocs": fault(10, "BAD_NAME: prog") });
  t.equal(f.out, "ERROR (BAD_NAME: prog)\n", "not reported against the program");
  t.equal(f.status, 1);
  const big = await run("update_numprocs prog 2147483648", { "supvisors.update_numprocs": true });
  t.equal(big.out, "error: <class 'OverflowError'>, int exceeds XML-RPC limits: file: /usr/lib/python3.11/xmlrpc/client.py line: 552\n");
  t.equal(big.status, 1);
  t.same(big.calls, [], "Python's client refuses to send it");
});

t.test("pyInt reads what Python's int() reads", async (t) => {
  t.equal(pyInt("007"), 7);
  t.equal(pyInt("1_000"), 1000);
  t.equal(pyInt("+5"), 5);
  t.equal(pyInt("-3"), -3);
  t.equal(pyInt("١٢"), 12, "Arabic-Indic digits");
  t.equal(pyInt("𝟗"), 9, "mathematical digits sit in adjacent runs of ten");
  t.equal(pyInt("1e3"), undefined);
  t.equal(pyInt("0x10"), undefined);
  t.equal(pyInt("1_"), undefined);
  t.equal(pyInt(""), undefined);
});

t.test("enable and disable", async (t) => {
  for (const name of ["enable", "disable"]) {
    const ok = await run(`${name} prog other`, { [`supvisors.${name}`]: true });
    t.equal(ok.out, `prog ${name}d: True\n`);
    t.same(ok.calls, [[`supvisors.${name}`, ["prog"]]]);
    const f = await run(`${name} prog`, { [`supvisors.${name}`]: fault(10, "BAD_NAME: prog") });
    t.equal(f.out, "ERROR (BAD_NAME: prog)\n");
    t.equal(f.status, 1);
    const missing = await run(name);
    t.equal(missing.out, `ERROR: ${name} requires a program name\n${help(name)}`);
    t.equal(missing.status, 2);
  }
});

t.test("rolling_restart (ours): an optional -b N and one target", async (t) => {
  const r = await run("rolling_restart web", { "supvisors.rolling_restart": true });
  t.equal(r.out, "web rolling restarted: True\n");
  t.same(r.calls, [["supvisors.rolling_restart", ["web", 1, true]]]);
  t.equal(r.status, 0);
  for (const line of ["rolling_restart -b 2 web:api", "rolling_restart web:api -b2", "rolling_restart --batch-size=2 web:api", "rolling_restart --batch-size 2 web:api"]) {
    const b = await run(line, { "supvisors.rolling_restart": true });
    t.same(b.calls, [["supvisors.rolling_restart", ["web:api", 2, true]]], line);
    t.equal(b.out, "web:api rolling restarted: True\n", line);
  }
  const f = await run("rolling_restart web", { "supvisors.rolling_restart": fault(70, "NOT_RUNNING: no process of web running") });
  t.equal(f.out, "web: ERROR (NOT_RUNNING: no process of web running)\n");
  t.equal(f.status, 1);
  const errors: Record<string, string> = {
    rolling_restart: "rolling_restart requires one target (appli or appli:program)",
    "rolling_restart a b": "rolling_restart requires one target (appli or appli:program)",
    "rolling_restart -b 0 web": "batch size must be a strictly positive integer",
    "rolling_restart -b x web": "batch size must be a strictly positive integer",
    "rolling_restart web -b": "-b requires a number",
  };
  for (const [line, message] of Object.entries(errors)) {
    const e = await run(line);
    t.equal(e.out, `ERROR: ${message}\n${help("rolling_restart")}`, line);
    t.equal(e.status, 2);
    t.same(e.calls, [], "nothing called after the API check");
  }
});
