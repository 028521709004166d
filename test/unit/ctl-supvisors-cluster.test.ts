/**
 * The supvisors cluster commands (conciliate, restart_sequence, sreload, sshutdown, end_sync,
 * loglevel, enable_stats / disable_stats, stats_period), the plugin's `start` wording of a
 * disabled program, `[ctlplugin:supvisors]` in supervisorctl's config, and the completion of the
 * supvisors arguments. Expected texts are those of Supvisors 0.19's plugin.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { Completer, kindAt } from "../../src/ctl/completion.js";
import { XmlRpcFault } from "../../src/ctl/errors.js";
import { pluginsFor } from "../../src/ctl/main.js";
import { parseCtlArgs } from "../../src/ctl/options.js";
import { clusterCommands } from "../../src/ctl/supvisors/cluster-commands.js";
import { SUPVISORS_CTL_FACTORY, supvisorsPlugin } from "../../src/ctl/supvisors/plugin.js";
import { RpcDouble } from "../../src/supervisord/rpc/codec.js";
import { runLine, type Answer } from "../helpers/ctl-rig.js";

const run = (line: string, answers: Record<string, Answer> = {}) => runLine([supvisorsPlugin], line, answers);
/** What `help <name>` prints. */
const help = (name: string) => clusterCommands.find((c) => c.name === name)!.help! + "\n";

t.test("conciliate: the strategy by its value, argument errors with the help", async (t) => {
  let r = await run("conciliate RESTART", { "supvisors.conciliate": true });
  t.same([r.out, r.status, r.calls], ["Conciliated: True\n", 0, [["supvisors.conciliate", [4]]]]);
  r = await run("conciliate");
  t.same([r.out, r.status], ["ERROR: conciliate requires a strategy\n" + help("conciliate"), 2]);
  r = await run("conciliate restart");
  t.equal(r.out, "ERROR: unknown strategy for conciliate. use one of ['SENICIDE', 'INFANTICIDE', 'USER', 'STOP', 'RESTART', 'RUNNING_FAILURE']\n" + help("conciliate"));
  r = await run("conciliate USER", { "supvisors.conciliate": new XmlRpcFault(101, "BAD_SUPVISORS_STATE: Supvisors (state=OPERATION) not in state CONCILIATION") });
  t.same([r.out, r.status], ["ERROR (BAD_SUPVISORS_STATE: Supvisors (state=OPERATION) not in state CONCILIATION)\n", 1]);
});

t.test("one-call commands print their label and Python's str() of the answer", async (t) => {
  for (const [line, method, label] of [
    ["restart_sequence", "restart_sequence", "Start sequence completed"],
    ["sreload", "restart", "Restarted"],
    ["sshutdown", "shutdown", "Shut down"],
  ] as const) {
    const r = await run(line, { [`supvisors.${method}`]: true });
    t.same([r.out, r.calls], [`${label}: True\n`, [[`supvisors.${method}`, []]]], line);
  }
  const r = await run("sreload", { "supvisors.restart": new XmlRpcFault(101, "BAD_SUPVISORS_STATE: x") });
  t.same([r.out, r.status], ["ERROR (BAD_SUPVISORS_STATE: x)\n", 1]);
});

t.test("end_sync: none or one identifier", async (t) => {
  let r = await run("end_sync", { "supvisors.end_sync": true });
  t.same([r.out, r.calls], ["End of Synchronization phase requested: True\n", [["supvisors.end_sync", [""]]]]);
  r = await run("end_sync a1", { "supvisors.end_sync": true });
  t.same(r.calls, [["supvisors.end_sync", ["a1"]]]);
  r = await run("end_sync a1 a2");
  t.same([r.out, r.status, r.calls], ["ERROR: end_sync optionally takes one single Supvisors identifier\n" + help("end_sync"), 2, []]);
});

t.test("loglevel: exact lower-case descriptions, sent as numbers", async (t) => {
  let r = await run("loglevel debug", { "supvisors.change_log_level": true });
  t.same([r.out, r.calls], ["Logger level changed: True\n", [["supvisors.change_log_level", [10]]]]);
  r = await run("loglevel DEBUG");
  t.same([r.out, r.status], ["ERROR: unknown level for Logger\n" + help("loglevel"), 2]);
  t.equal(
    help("loglevel"),
    "loglevel lvl\t\t\t\tChange the level of local Supvisors' logger to lvl.\n\t\t\t\t\tApplicable values are: dict_values(['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather']).\n",
  );
});

t.test("enable_stats / disable_stats: host, process, all in any case; every bad word reported", async (t) => {
  const answers = { "supvisors.enable_host_statistics": true, "supvisors.enable_process_statistics": true };
  let r = await run("enable_stats", answers);
  t.same([r.out, r.calls.map(([m, p]) => [m, p])], [
    "Host statistics enabled: True\nProcess statistics enabled: True\n",
    [["supvisors.enable_host_statistics", [true]], ["supvisors.enable_process_statistics", [true]]],
  ]);
  r = await run("disable_stats PROCESS", answers);
  t.same([r.out, r.calls], ["Process statistics disabled: True\n", [["supvisors.enable_process_statistics", [false]]]]);
  r = await run("disable_stats host all", answers);
  t.equal(r.out, "Host statistics disabled: True\nProcess statistics disabled: True\n");
  r = await run("enable_stats cpu host disk", answers);
  t.same([r.out, r.status, r.calls], ["ERROR: invalid statistics type cpu\nERROR: invalid statistics type disk\n" + help("enable_stats"), 2, []]);
  r = await run("enable_stats", { "supvisors.enable_host_statistics": new XmlRpcFault(105, "NOT_INSTALLED: x"), "supvisors.enable_process_statistics": true });
  t.same([r.out, r.status], ["ERROR (NOT_INSTALLED: x)\nProcess statistics enabled: True\n", 1], "one failing switch does not stop the other");
});

t.test("stats_period: Python's float(), strictly positive, sent as a double", async (t) => {
  let r = await run("stats_period 2.5", { "supvisors.update_collecting_period": true });
  t.equal(r.out, "Statistics period updated: True\n");
  t.ok(r.calls[0]![1][0] instanceof RpcDouble && (r.calls[0]![1][0] as RpcDouble).value === 2.5);
  r = await run("stats_period 1_0", { "supvisors.update_collecting_period": true });
  t.equal((r.calls[0]![1][0] as RpcDouble).value, 10, "underscores between digits, as float() takes them");
  for (const bad of ["x", "0", "-3", "nan"]) {
    r = await run(`stats_period ${bad}`);
    t.same([r.out, r.status], ["ERROR: stats_period requires a strictly positive period\n" + help("stats_period"), 2], bad);
  }
  r = await run("stats_period");
  t.equal(r.out, "ERROR: stats_period requires a period\n" + help("stats_period"));
  r = await run("stats_period 99999", { "supvisors.update_collecting_period": new XmlRpcFault(2, "INCORRECT_PARAMETERS: invalid collecting_period=99999.0") });
  t.same([r.out, r.status], ["ERROR (INCORRECT_PARAMETERS: invalid collecting_period=99999.0)\n", 1]);
});

t.test("the API check: another version, no supvisors namespace, nothing listening", async (t) => {
  let r = await run("sreload", { "supvisors.get_api_version": "0.18" });
  t.same([r.out, r.status], ["ERROR: this version of supvisorsctl expects to talk to a server with API version 0.19, but the remote version is 0.18.\n", 5]);
  r = await run("sreload", { "supvisors.get_api_version": new XmlRpcFault(1, "UNKNOWN_METHOD") });
  t.equal(r.status, 3);
  t.match(r.out, /^ERROR: supervisord responded but did not recognize the supvisors namespace commands .* \[rpcinterface:supvisors\] section is enabled in the configuration file\.\n$/);
});

t.test("start: a disabled program is `ERROR disabled` once the supvisors plugin is loaded", async (t) => {
  const answers = {
    "supervisor.startProcess": new XmlRpcFault(103, "DISABLED: web:db"),
    "supervisor.startProcessGroup": [{ name: "db", group: "web", status: 103, description: "DISABLED" }],
  };
  let r = await run("start web:db", answers);
  t.same([r.out, r.status], ["web:db: ERROR disabled\n", 1]);
  r = await run("start web:*", answers);
  t.equal(r.out, "web:db: ERROR disabled\n");
  r = await runLine([], "start web:db", answers);
  t.match(r.out, /^error: <class 'ValueError'>, Unknown result code 103 for web:db/, "plain supervisorctl has no wording for it");
});

t.test("[ctlplugin:x] in supervisorctl's config", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ctlplugin-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conf = (body: string) => {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.conf`);
    writeFileSync(file, `[supervisorctl]\nserverurl = http://127.0.0.1:9001\n${body}`);
    return file;
  };
  const parse = (file: string) => parseCtlArgs(["-c", file, "sstate"], "supervisorctl", {}, dir, [SUPVISORS_CTL_FACTORY]);
  const ok = parse(conf(`[ctlplugin:supvisors]\nsupervisor.ctl_factory = ${SUPVISORS_CTL_FACTORY}\n`));
  t.equal(ok.kind, "run");
  const sections = ok.kind === "run" ? ok.settings.ctlplugins : [];
  t.same(sections, [{ name: "supvisors", factory: SUPVISORS_CTL_FACTORY }]);
  t.same(pluginsFor(sections, { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin }, []).map((p) => p.name), ["supvisors"]);
  t.same(pluginsFor([], { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin }, []), [], "no section: no supvisors commands in supervisorctl");
  t.same(pluginsFor(sections, { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin }, [supvisorsPlugin]).length, 1, "supvisorsctl does not add it twice");
  t.same(
    pluginsFor([{ name: "cluster", factory: SUPVISORS_CTL_FACTORY }], { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin }, []).map((p) => p.name),
    ["cluster"],
    "named after its section, as supervisorctl's help headings are",
  );
  t.same(parse(conf("[ctlplugin:x]\nfoo = 1\n")), { kind: "usage-error", message: "section [ctlplugin:x] does not specify a supervisor.ctl_factory" });
  t.same(parse(conf("[ctlplugin:x]\nsupervisor.ctl_factory = my.module:factory\n")), { kind: "usage-error", message: "my.module:factory cannot be resolved within [ctlplugin:x]" });
});

t.test("completion: per-position kinds, strategies, application names, namespecs", async (t) => {
  t.equal(kindAt(["starting-strategies", "applications"], 0), "starting-strategies");
  t.equal(kindAt(["starting-strategies", "applications"], 5), "applications");
  t.equal(kindAt("namespecs", 3), "namespecs");
  const { ctl } = await runLine([supvisorsPlugin], "", {
    "supvisors.get_all_applications_info": [{ application_name: "web" }, { application_name: "batch" }],
    "supvisors.get_all_process_info": [
      { application_name: "web", process_name: "db" },
      { application_name: "web", process_name: "api_0" },
    ],
  });
  const c = new Completer(ctl);
  t.same(await c.complete("start_application LE"), [["LESS_LOADED ", "LESS_LOADED_NODE "], "LE"]);
  t.same(await c.complete("start_application CONFIG w"), [["web "], "w"]);
  t.same(await c.complete("start_application CONFIG web "), [["web ", "batch "], ""]);
  t.same(await c.complete("sstatus web:"), [["web:* ", "web:db ", "web:api_0 "], "web:"]);
  t.same(await c.complete("conciliate S"), [["SENICIDE ", "STOP "], "S"]);
  t.same(await c.complete("enable_stats h"), [["host "], "h"]);
  t.same(await c.complete("sst"), [["sstate ", "sstatus "], "sst"]);
});

t.test("--follow: where the event interface is, and the word itself", async (t) => {
  const { resolveEndpoint } = await import("../../src/ctl/supvisors/event-source.js");
  const { takeFollow } = await import("../../src/ctl/supvisors/follow.js");
  t.same(resolveEndpoint("http://10.0.0.5:9001", null), { ok: true, endpoint: { link: "WS", host: "10.0.0.5", port: 9002 } }, "0.19's default: the server's port + 1");
  t.same(resolveEndpoint("http://h:9001", { link: "zmq", port: "7000" }), { ok: true, endpoint: { link: "ZMQ", host: "h", port: 7000 } });
  t.same(resolveEndpoint("http://[::1]:9001", { link: "WS", port: null }), { ok: true, endpoint: { link: "WS", host: "::1", port: 9002 } });
  t.same(resolveEndpoint("http://h:9001", { link: "NONE", port: null }).ok, false);
  t.match(resolveEndpoint("unix:///run/s.sock", null), { ok: false, message: /event_port/ }, "a unix socket has no port to add one to");
  t.same(resolveEndpoint("unix:///run/s.sock", { link: "WS", port: "60002" }), { ok: true, endpoint: { link: "WS", host: "127.0.0.1", port: 60002 } });
  t.same(takeFollow(["web:*", "--follow", "db"]), [true, ["web:*", "db"]]);
  t.same(takeFollow(["all"]), [false, ["all"]]);

  const dir = mkdtempSync(join(tmpdir(), "ctl-events-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "s.conf");
  writeFileSync(file, "[supervisorctl]\n[rpcinterface:supvisors]\nsupervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface\nevent_link = ZMQ\nevent_port = 60002\n");
  const parsed = parseCtlArgs(["-c", file, "sstatus"], "supvisorsctl", {}, dir, [SUPVISORS_CTL_FACTORY]);
  t.same(parsed.kind === "run" ? parsed.settings.supvisorsEvents : null, { link: "ZMQ", port: "60002" }, "read from the same supervisord.conf");
});

t.test("on a terminal the state names are coloured, the layout unchanged", async (t) => {
  const answers = {
    "supvisors.get_all_process_info": [
      { application_name: "web", process_name: "db", statecode: 20, statename: "RUNNING", expected_exit: true, identifiers: ["h:1"] },
      { application_name: "web", process_name: "api", statecode: 0, statename: "STOPPED", expected_exit: true, identifiers: [] },
    ],
  };
  const plain = await runLine([supvisorsPlugin], "sstatus", answers);
  const coloured = await runLine([supvisorsPlugin], "sstatus", answers, true);
  t.match(coloured.out, /\x1b\[32mRUNNING\x1b\[0m {5}n\/a/);
  t.equal(coloured.out.replace(/\x1b\[[0-9;]*m/g, ""), plain.out, "the same text without the colour codes");
  t.notMatch(plain.out, /\x1b/, "piped: no escape at all");
});
