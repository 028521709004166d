/**
 * The result schemas of src/web/rest/schemas.ts against reality: every method the daemon serves
 * (system.listMethods) has a schema and every schema a served method; and every method is called
 * for real over XML-RPC, its result turned into JSON (a double into a number) and validated
 * against its schema:
 *  - on a 3-instance Supvisors cluster (synchro_options = USER, so the calls see SYNCHRONIZATION
 *    with no Master, then end_sync; statistics on; applications started and stopped, a conflict
 *    made and conciliated, then supvisors.restart and supvisors.shutdown at the end);
 *  - on a plain supervisord (no supvisors section) with RUNNING, EXITED, FATAL and STOPPED
 *    processes, a reloadConfig with a group added, one changed and one removed, then
 *    supervisor.restart and supervisor.shutdown at the end.
 * supervisor.restart and supervisor.shutdown are called on the plain daemon only (on a cluster
 * instance they would take one instance out of the cluster mid-test); every other method is
 * called on the cluster, the supervisor.* and system.* ones on both. Nothing is checked statically.
 *
 * Ints and doubles: a result is validated twice, once with each double as its number, and once
 * with each integral double moved off the integers (+0.25), so that an `integer` schema refuses
 * a value the daemon sends as <double>.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import t from "tap";
import { Ajv2020 } from "ajv/dist/2020.js";
import { decodeMethodResponse, DEFAULT_DECODE_LIMITS, encodeMethodCall, RpcDouble, type RpcValue } from "../../src/supervisord/rpc/codec.js";
import { COMPONENT_SCHEMAS, RESULT_SCHEMAS, type JsonSchema } from "../../src/web/rest/schemas.js";
import { poll, RpcError, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { TestDaemon } from "../helpers/daemon.js";

// ---- the schemas, compiled once ---------------------------------------------------------------

function rewriteRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (s && typeof s === "object") {
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(/^#\/components\/schemas\//, "components.json#/$defs/") : rewriteRefs(v)]));
  }
  return s;
}
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addSchema({ $id: "components.json", $defs: rewriteRefs(COMPONENT_SCHEMAS) as Record<string, JsonSchema> });
const validators = new Map(Object.entries(RESULT_SCHEMAS).map(([m, s]) => [m, ajv.compile(rewriteRefs(s) as JsonSchema)]));

// ---- raw XML-RPC calls that keep <double> apart -------------------------------------------------

type Target = { readonly sock: string } | { readonly host: string; readonly port: number };

function rawCall(target: Target, method: string, params: RpcValue[], timeoutMs = 60_000): Promise<RpcValue> {
  const body = encodeMethodCall(method, params);
  const where = "sock" in target ? { socketPath: target.sock } : { host: target.host, port: target.port };
  return new Promise((resolve, reject) => {
    const req = request({ ...where, agent: false, path: "/RPC2", method: "POST", timeout: timeoutMs, headers: { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`${method}: HTTP ${res.statusCode}`));
        const r = decodeMethodResponse(Buffer.concat(chunks), DEFAULT_DECODE_LIMITS, { keepDoubles: true });
        if (r.kind === "fault") reject(new RpcError(r.faultCode, r.faultString));
        else resolve(r.value);
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${method}: timeout`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The result as JSON: a double as its number (`shift`: an integral one moved off the integers). */
function plain(v: RpcValue, shift = false): unknown {
  if (v instanceof RpcDouble) return shift && Number.isInteger(v.value) ? v.value + 0.25 : v.value;
  if (Buffer.isBuffer(v) || v instanceof Date) throw new Error(`unexpected ${Buffer.isBuffer(v) ? "base64" : "dateTime"} value in a result`);
  if (Array.isArray(v)) return v.map((x) => plain(x, shift));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, shift)]));
  return v;
}

/** How many times each method's result was validated, per daemon kind. */
const checked = { cluster: new Map<string, number>(), plain: new Map<string, number>() };

type Tap = { ok(v: unknown, msg: string): unknown };

function makeCheck(t: Tap, target: Target, kind: keyof typeof checked) {
  return async (method: string, ...params: RpcValue[]): Promise<unknown> => {
    const validate = validators.get(method);
    if (!validate) throw new Error(`no schema for ${method}`);
    const v = await rawCall(target, method, params);
    const json = plain(v);
    const label = `${method}(${params.map((p) => JSON.stringify(p instanceof RpcDouble ? p.value : p)).join(", ")})`;
    t.ok(validate(json), `${label} matches its schema${validate(json) ? "" : `: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(json).slice(0, 600)}`}`);
    const shifted = plain(v, true);
    t.ok(validate(shifted), `${label}: its doubles are where the schema has numbers${validate(shifted) ? "" : `: ${ajv.errorsText(validate.errors)}`}`);
    checked[kind].set(method, (checked[kind].get(method) ?? 0) + 1);
    return json;
  };
}

const ALL_METHODS = Object.keys(RESULT_SCHEMAS).sort();
const TIMEOUT = 30_000;

// ---- the cluster ------------------------------------------------------------------------------

const RULES = `<?xml version="1.0"?>
<root>
  <model name="sleeper"><expected_loading>10</expected_loading></model>
  <application name="web">
    <start_sequence>1</start_sequence>
    <stop_sequence>1</stop_sequence>
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><reference>sleeper</reference><start_sequence>1</start_sequence><required>true</required></program>
      <program pattern="api_"><reference>sleeper</reference><start_sequence>2</start_sequence></program>
    </programs>
  </application>
  <application name="solo">
    <distribution>SINGLE_INSTANCE</distribution>
    <identifiers>a2,a1</identifiers>
    <programs><program pattern="s"><start_sequence>1</start_sequence><expected_loading>5</expected_loading></program></programs>
  </application>
</root>
`;

const sleeper = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nautorestart = false\nstartsecs = 0\nstopwaitsecs = 5\n${extra}\n`;

const CLUSTER_PROGRAMS = [
  "[group:web]\nprograms = db,api\n",
  sleeper("db"),
  sleeper("api", "process_name = api_%(process_num)d\nnumprocs = 2"),
  "[group:solo]\nprograms = s1,s2\n",
  sleeper("s1"),
  sleeper("s2"),
  "[group:misc]\nprograms = tool,pool,cat,oneshot,broken\n",
  sleeper("tool"),
  sleeper("pool", "process_name = pool_%(process_num)d\nnumprocs = 2"),
  "[program:cat]\ncommand = /bin/cat\nautostart = true\nstartsecs = 0\n",
  '[program:oneshot]\ncommand = /bin/sh -c "echo done"\nautostart = true\nstartsecs = 0\nautorestart = false\n',
  "[program:broken]\ncommand = /nonexistent/program\nautostart = true\nstartretries = 0\n",
  "[group:scratch]\nprograms = scr\n",
  sleeper("scr"),
].join("\n");

type StateView = { fsm_statename: string; master_identifier: string; instance_states: Record<string, string> };

t.test("every result of a Supvisors cluster matches its schema", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-schemas-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({
    size: 3,
    supvisors: [`rules_files = ${dir}/rules.xml`, "disabilities_file = {dir}/disabilities.json", "synchro_options = USER", "stats_enabled = true"].join("\n"),
    programs: CLUSTER_PROGRAMS,
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const target = (i: ClusterInstance): Target => ({ host: i.spec.host, port: i.spec.port });
  const on = (t: Tap, i: ClusterInstance) => makeCheck(t, target(i), "cluster");
  const state = async (i: ClusterInstance) => plain(await rawCall(target(i), "supvisors.get_supvisors_state", [])) as StateView;
  const allRunning = (s: StateView) => Object.keys(s.instance_states).length === 3 && Object.values(s.instance_states).every((x) => x === "RUNNING");
  const everywhere = (fsm: string, what: string) => cluster.waitAll(async (i) => (await state(i)).fsm_statename === fsm, what, TIMEOUT);
  const processState = async (i: ClusterInstance, namespec: string) => ((await rawCall(target(i), "supvisors.get_process_info", [namespec])) as { statename: string }[])[0]!.statename;

  /** The status methods every state answers (guard G0). */
  const g0 = async (t: Tap, i: ClusterInstance) => {
    const call = on(t, i);
    await call("supvisors.get_api_version");
    await call("supvisors.get_supvisors_state");
    await call("supvisors.get_all_instances_state_modes");
    await call("supvisors.get_instance_state_modes", a2.identifier);
    await call("supvisors.get_instance_state_modes", "a1");
    await call("supvisors.get_master_identifier");
    await call("supvisors.get_strategies");
    await call("supvisors.get_statistics_status");
    await call("supvisors.get_network_info", a0.identifier);
    await call("supvisors.get_network_info", i.identifier);
    await call("supvisors.get_all_instances_info");
    await call("supvisors.get_instance_info", "a2");
    await call("supvisors.get_all_local_process_info");
    await call("supvisors.get_local_process_info", "misc:cat");
    await call("supvisors.get_local_process_info", "misc:broken");
    await call("supvisors.get_local_process_info", "misc:oneshot");
    await call("supvisors.get_all_inner_process_info", a0.identifier);
    await call("supvisors.get_inner_process_info", a2.identifier, "misc:*");
  };
  /** The status methods of DISTRIBUTION onwards (guard G1). */
  const g1 = async (t: Tap, i: ClusterInstance) => {
    const call = on(t, i);
    await call("supvisors.get_all_applications_info");
    await call("supvisors.get_application_info", "web");
    await call("supvisors.get_application_info", "misc");
    await call("supvisors.get_application_rules", "web");
    await call("supvisors.get_application_rules", "solo");
    await call("supvisors.get_application_rules", "misc");
    await call("supvisors.get_all_process_info");
    await call("supvisors.get_process_info", "web:*");
    await call("supvisors.get_process_info", "misc:broken");
    await call("supvisors.get_process_rules", "web:*");
    await call("supvisors.get_process_rules", "misc:tool");
    await call("supvisors.get_inner_process_info", a0.identifier, "web:db");
    return call("supvisors.get_conflicts");
  };

  await t.test("the served methods are the described ones", async (t) => {
    const served = ((await rawCall(target(a0), "system.listMethods", [])) as string[]).slice().sort();
    t.same(served, ALL_METHODS, "a schema for every method served, and no schema for a method not served");
  });

  await t.test("SYNCHRONIZATION (USER): no Master yet, then end_sync", async (t) => {
    await cluster.waitAll(async (i) => {
      const s = await state(i);
      return s.fsm_statename === "SYNCHRONIZATION" && allRunning(s);
    }, "every instance RUNNING, still in SYNCHRONIZATION", TIMEOUT);
    t.same(plain(await rawCall(target(a1), "supvisors.get_master_identifier", [])), {}, "no Master: an empty struct");
    await g0(t, a1);
    // The local process states settle (autostart): broken FATAL, oneshot EXITED, cat RUNNING.
    await poll(async () => {
      const all = plain(await rawCall(target(a0), "supvisors.get_all_local_process_info", [])) as { name: string; statename: string }[];
      const s = Object.fromEntries(all.map((p) => [p.name, p.statename]));
      return s.broken === "FATAL" && s.oneshot === "EXITED" && s.cat === "RUNNING" ? true : undefined;
    }, TIMEOUT, "autostarted processes settled");
    t.equal(await on(t, a0)("supvisors.end_sync"), true);
    await everywhere("OPERATION", "OPERATION everywhere");
  });

  await t.test("the status methods in OPERATION, the start sequence done", async (t) => {
    await poll(async () => ((await processState(a0, "web:api_1")) === "RUNNING" ? true : undefined), TIMEOUT, "web started by DISTRIBUTION");
    for (const i of [a0, a1, a2]) {
      await g0(t, i);
      t.same(await g1(t, i), [], "no conflict yet");
    }
    const call = on(t, a1);
    for (const m of ALL_METHODS) await call("system.methodSignature", m);
    await call("system.listMethods");
    await call("system.methodHelp", "supvisors.start_application");
    await call("system.multicall", [
      { methodName: "supvisors.get_api_version", params: [] },
      { methodName: "supvisors.nope", params: [] },
      { methodName: "supervisor.getProcessInfo", params: ["misc:cat"] },
    ]);
  });

  await t.test("the application and process controls", async (t) => {
    const call = on(t, a0);
    t.ok(((await call("supvisors.test_start_application", "CONFIG", "solo")) as unknown[]).length > 0);
    t.ok(((await call("supvisors.test_start_process", "LESS_LOADED", "misc:tool")) as unknown[]).length > 0);
    t.equal(await call("supvisors.start_application", "CONFIG", "solo", true), true);
    await on(t, a1)("supvisors.get_application_info", "solo");
    t.equal(await call("supvisors.stop_application", "solo", true), true);
    t.equal(await call("supvisors.restart_application", "LESS_LOADED", "solo", true), true);
    t.equal(await call("supvisors.start_process", "LESS_LOADED", "misc:tool", "", true), true);
    t.equal(await call("supvisors.restart_process", "CONFIG", "misc:tool", "10", true), true);
    t.equal(await call("supvisors.rolling_restart", "misc:tool", 1, true), true, "ours: the rolling restart of one running process");
    await on(t, a1)("supvisors.get_process_info", "misc:tool");
    t.equal(await call("supvisors.stop_process", "misc:tool", true), true);
    t.equal(await call("supvisors.start_args", "misc:tool", "5", true), true);
    await on(t, a2)("supvisors.get_all_inner_process_info", a0.identifier);
    t.equal(await call("supvisors.stop_process", "misc:tool", true), true);
    const started = await call("supvisors.start_any_process", "CONFIG", "misc:pool_.*", "", true);
    t.match(started, /^misc:pool_[01]$/);
    t.equal(await call("supvisors.stop_process", started as string, true), true);
    t.equal(await call("supvisors.update_numprocs", "pool", 3, true), true);
    await on(t, a1)("supvisors.get_process_info", "misc:*");
    t.equal(await call("supvisors.update_numprocs", "pool", 2, true, true), true, "lazy");
    t.equal(await call("supvisors.disable", "tool", true), true);
    await call("supvisors.get_local_process_info", "misc:tool");
    t.equal(await call("supvisors.enable", "tool", true), true);
    t.equal(await call("supvisors.change_log_level", "debug"), true);
    t.equal(await call("supvisors.change_log_level", 20), true);
    t.equal(await call("supvisors.enable_host_statistics", false), true);
    t.equal(await call("supvisors.enable_process_statistics", false), true);
    await call("supvisors.get_statistics_status");
    t.equal(await call("supvisors.enable_host_statistics", true), true);
    t.equal(await call("supvisors.enable_process_statistics", true), true);
    t.equal(await call("supvisors.update_collecting_period", new RpcDouble(2)), true);
    t.same(await call("supvisors.get_statistics_status"), { host_stats: true, process_stats: true, collecting_period: 2 });
    // restart_sequence repairs the applications of the start sequence that failed: api_0 crashes.
    const where = ((await call("supvisors.get_process_info", "web:api_0")) as { identifiers: string[] }[])[0]!.identifiers[0]!;
    const owner = cluster.instances.find((i) => i.identifier === where)!;
    process.kill(((await on(t, owner)("supvisors.get_local_process_info", "web:api_0")) as { pid: number }).pid, "SIGKILL");
    await poll(async () => ((await processState(a2, "web:api_0")) === "EXITED" ? true : undefined), TIMEOUT, "api_0 crashed");
    t.match(await on(t, a2)("supvisors.get_application_info", "web"), { minor_failure: true });
    t.equal(await on(t, a2)("supvisors.restart_sequence", true), true, "the global start sequence starts api_0 again");
    t.equal(await processState(a0, "web:api_0"), "RUNNING");
    await g1(t, a2);
  });

  await t.test("the supervisor methods on a cluster instance", async (t) => {
    const call = on(t, a2);
    for (const m of ["getAPIVersion", "getVersion", "getSupervisorVersion", "getIdentification", "getState", "getPID", "getAllProcessInfo", "getAllConfigInfo", "reloadConfig"]) await call(`supervisor.${m}`);
    await call("supervisor.readLog", 0, 0);
    await call("supervisor.readMainLog", -200, 0);
    for (const ns of ["misc:cat", "misc:broken", "misc:oneshot", "web:db"]) await call("supervisor.getProcessInfo", ns);
    t.equal(await call("supervisor.sendProcessStdin", "misc:cat", "hello\n"), true);
    await poll(async () => (((await rawCall(target(a2), "supervisor.tailProcessStdoutLog", ["misc:cat", 0, 100])) as [string])[0].includes("hello") ? true : undefined), TIMEOUT, "cat echoed");
    await call("supervisor.readProcessStdoutLog", "misc:cat", 0, 0);
    await call("supervisor.readProcessLog", "misc:cat", -3, 0);
    await call("supervisor.readProcessStderrLog", "misc:cat", 0, 0);
    await call("supervisor.tailProcessStdoutLog", "misc:cat", 0, 2);
    await call("supervisor.tailProcessLog", "misc:cat", 0, 100);
    await call("supervisor.tailProcessStderrLog", "misc:cat", 0, 100);
    t.equal(await call("supervisor.clearProcessLogs", "misc:cat"), true);
    t.equal(await call("supervisor.clearProcessLog", "misc:oneshot"), true);
    await call("supervisor.clearAllProcessLogs");
    t.equal(await call("supervisor.sendRemoteCommEvent", "type", "data"), true);
    t.equal(await call("supervisor.startProcess", "misc:tool", true), true);
    t.equal(await call("supervisor.signalProcess", "misc:tool", "CONT"), true);
    t.equal(await call("supervisor.stopProcess", "misc:tool", true), true);
    t.type(await call("supervisor.startProcess", "misc:*", true), Array, "a group form answers the group's results");
    t.type(await call("supervisor.signalProcess", "misc:*", "CONT"), Array);
    t.type(await call("supervisor.stopProcess", "misc:*", true), Array);
    await call("supervisor.startProcessGroup", "scratch", true);
    await call("supervisor.signalProcessGroup", "scratch", "CONT");
    await call("supervisor.stopProcessGroup", "scratch", true);
    t.equal(await call("supervisor.removeProcessGroup", "scratch"), true);
    t.equal(await call("supervisor.addProcessGroup", "scratch"), true);
    t.equal(await call("supervisor.clearLog"), true);
    await call("supervisor.getAllProcessInfo");
  });

  await t.test("a conflict: its entry, conciliate USER (nothing) then INFANTICIDE", async (t) => {
    const call = on(t, a0);
    // Every process started on a0 behind Supvisors' back: web's processes running elsewhere conflict.
    const results = (await call("supervisor.startAllProcesses", true)) as { name: string; status: number }[];
    t.ok(results.some((r) => r.name === "broken" && r.status !== 80), "broken's failure is one of the results");
    await poll(async () => ((await state(a0)).fsm_statename === "CONCILIATION" ? true : undefined), TIMEOUT, "CONCILIATION");
    const conflicts = (await g1(t, a1)) as unknown[];
    t.ok(conflicts.length > 0, "conflicts listed");
    await g0(t, a1);
    t.equal(await call("supvisors.conciliate", "USER"), false, "USER: nothing done");
    t.equal(await call("supvisors.conciliate", "INFANTICIDE"), true);
    await everywhere("OPERATION", "OPERATION again");
    t.same(await on(t, a2)("supvisors.get_conflicts"), []);
    await call("supervisor.signalAllProcesses", "CONT");
    await call("supervisor.stopAllProcesses", true);
  });

  await t.test("supvisors.restart, end_sync with a Master named, then supvisors.shutdown", async (t) => {
    t.equal(await on(t, a1)("supvisors.restart"), true);
    // With synchro_options = USER the restarted cluster waits for end_sync in SYNCHRONIZATION.
    await cluster.waitAll(async (i) => {
      const s = await state(i);
      return s.fsm_statename === "SYNCHRONIZATION" && allRunning(s);
    }, "every instance restarted, in SYNCHRONIZATION", TIMEOUT);
    await g0(t, a2);
    t.equal(await on(t, a0)("supvisors.end_sync", a1.identifier), true);
    await everywhere("OPERATION", "OPERATION after the restart");
    t.equal((await state(a2)).master_identifier, a1.identifier);
    t.equal(await on(t, a2)("supvisors.shutdown"), true);
    t.same(await Promise.all(cluster.instances.map((i) => i.waitExit(TIMEOUT))), [0, 0, 0], "every instance exited");
  });

  await t.test("every method was called on the cluster (but supervisor.restart / shutdown)", async (t) => {
    const missing = ALL_METHODS.filter((m) => !checked.cluster.has(m));
    t.same(missing, ["supervisor.restart", "supervisor.shutdown"]);
  });
});

// ---- a plain supervisord ------------------------------------------------------------------------

const PLAIN = (extra: string) =>
  [
    "[program:run]\ncommand = /bin/sleep 300\nstartsecs = 0\n",
    "[program:cat]\ncommand = /bin/cat\nstartsecs = 0\n",
    '[program:exited]\ncommand = /bin/sh -c "echo out; echo err >&2; exit 3"\nstartsecs = 0\nautorestart = false\n',
    '[program:fatal]\ncommand = /bin/sh -c "exit 1"\nstartsecs = 5\nstartretries = 0\n',
    "[program:missing]\ncommand = /nonexistent/program\nstartretries = 0\n",
    `[program:idle]\ncommand = /bin/sleep 300\nautostart = false\nuser = ${userInfo().username}\ndirectory = /tmp\nserverurl = AUTO\nstdout_logfile = NONE\nredirect_stderr = true\nexitcodes = 0,2\nstopsignal = INT\nkillasgroup = true\nstopasgroup = true\npriority = 5\n`,
    "[group:grp]\nprograms = g1,g2\npriority = 10\n",
    "[program:g1]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n",
    "[program:g2]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n",
    extra,
  ].join("\n");
const BEFORE = PLAIN("[group:gone]\nprograms = goner\n\n[program:goner]\ncommand = /bin/sleep 300\nautostart = false\n\n[group:chg]\nprograms = changer\n\n[program:changer]\ncommand = /bin/sleep 300\nautostart = false\n");
const AFTER = PLAIN("[group:chg]\nprograms = changer\n\n[program:changer]\ncommand = /bin/sleep 301\nautostart = false\n\n[group:added]\nprograms = newbie\n\n[program:newbie]\ncommand = /bin/sleep 300\nautostart = false\n");

t.test("every result of a plain supervisord matches its schema", async (t) => {
  const d = new TestDaemon("ours", { programs: BEFORE });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  const checker = (t: Tap) => makeCheck(t, { sock: d.sock }, "plain");
  const states = async () => Object.fromEntries(((await d.rpc("supervisor.getAllProcessInfo")) as { group: string; name: string; statename: string }[]).map((p) => [p.name, p.statename]));

  await t.test("the served methods: supervisor.* and system.*, each described", async (t) => {
    const served = ((await d.rpc("system.listMethods")) as string[]).slice().sort();
    t.same(served, ALL_METHODS.filter((m) => !m.startsWith("supvisors.")));
  });

  await t.test("every process state shows", async (t) => {
    const call = checker(t);
    await poll(async () => {
      const s = await states();
      return s.run === "RUNNING" && s.cat === "RUNNING" && s.exited === "EXITED" && s.fatal === "FATAL" && s.missing === "FATAL" && s.idle === "STOPPED" ? true : undefined;
    }, TIMEOUT, "RUNNING, EXITED, FATAL and STOPPED processes");
    for (const name of ["run", "cat", "exited", "fatal", "missing", "idle", "grp:g1", "gone:goner"]) await call("supervisor.getProcessInfo", name);
    const all = (await call("supervisor.getAllProcessInfo")) as { statename: string }[];
    t.same([...new Set(all.map((p) => p.statename))].sort(), ["EXITED", "FATAL", "RUNNING", "STOPPED"]);
    const config = (await call("supervisor.getAllConfigInfo")) as { name: string; uid: unknown }[];
    t.type(config.find((c) => c.name === "idle")?.uid, "number", "a uid when the user option is set");
    for (const m of ["getAPIVersion", "getVersion", "getSupervisorVersion", "getIdentification", "getState", "getPID"]) await call(`supervisor.${m}`);
    for (const m of await d.rpc("system.listMethods") as string[]) await call("system.methodSignature", m);
    await call("system.listMethods");
    await call("system.methodHelp", "supervisor.startProcess");
    await call("system.multicall", [{ methodName: "supervisor.getPID", params: [] }, { methodName: "supervisor.getProcessInfo", params: ["nosuch"] }, { methodName: "system.multicall", params: [[]] }]);
  });

  await t.test("logs", async (t) => {
    const call = checker(t);
    await call("supervisor.readLog", 0, 0);
    await call("supervisor.readMainLog", -100, 0);
    t.equal(await call("supervisor.readProcessStdoutLog", "exited", 0, 0), "out\n");
    await call("supervisor.readProcessLog", "exited", 0, 2);
    await call("supervisor.readProcessStderrLog", "exited", 0, 0);
    t.same(await call("supervisor.tailProcessStdoutLog", "exited", 0, 2), ["t\n", 4, true], "overflow");
    await call("supervisor.tailProcessLog", "exited", 0, 100);
    await call("supervisor.tailProcessStderrLog", "exited", 0, 100);
    await call("supervisor.tailProcessStdoutLog", "idle", 0, 100);
    t.equal(await call("supervisor.sendProcessStdin", "cat", "hi\n"), true);
    t.equal(await call("supervisor.sendRemoteCommEvent", "type", "data"), true);
    t.equal(await call("supervisor.clearProcessLogs", "exited"), true);
    t.equal(await call("supervisor.clearProcessLog", "cat"), true);
    await call("supervisor.clearAllProcessLogs");
  });

  await t.test("controls", async (t) => {
    const call = checker(t);
    t.equal(await call("supervisor.startProcess", "idle", true), true);
    t.equal(await call("supervisor.signalProcess", "idle", "CONT"), true);
    t.equal(await call("supervisor.stopProcess", "idle", true), true);
    t.type(await call("supervisor.startProcess", "grp:*", true), Array);
    t.type(await call("supervisor.signalProcess", "grp:*", "CONT"), Array);
    t.type(await call("supervisor.stopProcess", "grp:*", true), Array);
    t.equal(((await call("supervisor.startProcessGroup", "grp", true)) as unknown[]).length, 2);
    await call("supervisor.signalProcessGroup", "grp", "CONT");
    await call("supervisor.stopProcessGroup", "grp", true);
    const started = (await call("supervisor.startAllProcesses", true)) as { name: string; status: number }[];
    t.same(started.filter((r) => r.status !== 80).map((r) => r.name).sort(), ["fatal", "missing"], "the failures are results too");
    await call("supervisor.signalAllProcesses", "CONT");
    await call("supervisor.stopAllProcesses", true);
  });

  await t.test("reloadConfig: a group added, one changed, one removed", async (t) => {
    const call = checker(t);
    d.writeConfig({ programs: AFTER });
    t.same(await call("supervisor.reloadConfig"), [[["added"], ["chg"], ["gone"]]]);
    await call("supervisor.getAllConfigInfo");
    t.equal(await call("supervisor.addProcessGroup", "added"), true);
    t.equal(await call("supervisor.removeProcessGroup", "gone"), true);
    t.equal(await call("supervisor.clearLog"), true);
  });

  await t.test("restart, then shutdown", async (t) => {
    const call = checker(t);
    const starts = () => d.logText().split("supervisord started with pid").length;
    const before = starts();
    t.equal(await call("supervisor.restart"), true);
    await poll(async () => (starts() > before && (await d.rpc("supervisor.getState").then(() => true, () => false)) ? true : undefined), TIMEOUT, "the daemon restarted");
    await call("supervisor.getState");
    t.equal(await call("supervisor.shutdown"), true);
    t.equal(await d.waitExit(TIMEOUT), 0);
  });

  await t.test("every supervisor.* and system.* method was called", async (t) => {
    t.same(ALL_METHODS.filter((m) => !m.startsWith("supvisors.") && !checked.plain.has(m)), []);
  });
});

t.test("every method's result was validated against reality", async (t) => {
  t.same(ALL_METHODS.filter((m) => !checked.cluster.has(m) && !checked.plain.has(m)), []);
  t.comment(`validated results: cluster ${[...checked.cluster.values()].reduce((a, b) => a + b, 0)} calls of ${checked.cluster.size} methods, plain ${[...checked.plain.values()].reduce((a, b) => a + b, 0)} calls of ${checked.plain.size} methods`);
});
