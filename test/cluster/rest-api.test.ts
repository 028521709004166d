/**
 * The REST API of a 3-instance cluster of ours, with auth: every supvisors route against the same
 * XML-RPC call (queries: the same result; actions: the same result and their effect seen over
 * XML-RPC), faults as 400 {message, code}, 401 / 404 / 405, and the OpenAPI document: valid,
 * every route served described and every route described served, and every answer valid
 * against it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { applicationState, placement } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, RpcError, type ClusterInstance } from "../helpers/cluster.js";
import { rest, responseChecker, templateOf, validateOpenApi, type RestTarget } from "../helpers/rest.js";
import { REST_ROUTES } from "../../src/web/rest/route-table.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";

const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><start_sequence>1</start_sequence><expected_loading>10</expected_loading></program>
      <program name="front"><start_sequence>2</start_sequence><expected_loading>10</expected_loading></program>
    </programs>
  </application>
  <application name="misc"><programs><program pattern="ool"><start_sequence>1</start_sequence></program></programs></application>
</root>
`;
const program = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\nstopwaitsecs = 5\n${extra}\n`;
const PROGRAMS = ["[group:web]\nprograms = db,front\n", program("db"), program("front"), "[group:misc]\nprograms = tool,pool\n", program("tool"), program("pool", "process_name = pool_%(process_num)d\nnumprocs = 2")].join("\n");
const AUTH = { username: "admin", password: "s3cret" };
const SLOW = 30_000;

/** Values that move between two reads (clocks, counters, uptimes, loads). */
const MOVING = /time|now|uptime|counter|description|load|sequence|stats|period_|pid/i;
function steady(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(steady);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !MOVING.test(k)).map(([k, x]) => [k, steady(x)]));
  return v;
}
const plain = (v: RpcValue): unknown => JSON.parse(JSON.stringify(v));

t.test("REST on a 3-instance cluster", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-rest-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml`, programs: PROGRAMS, auth: AUTH });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", 20_000);
  const target = (i: ClusterInstance): RestTarget => ({ port: i.spec.port, auth: `${AUTH.username}:${AUTH.password}` });
  const r1 = target(a1);

  const docAnswer = await rest(r1, "GET", "/api/openapi.json");
  const doc = docAnswer.json as { paths: Record<string, Record<string, unknown>> };
  const check = responseChecker(doc);
  const call = async (i: ClusterInstance, verb: string, path: string, status = 200): Promise<unknown> => {
    const a = await rest(target(i), verb, path);
    t.equal(a.status, status, `${verb} ${path} on ${i.spec.nick}: ${status} (${a.text.slice(0, 300)})`);
    const template = templateOf(doc, path);
    if (template) t.equal(check(verb, template, a.status, a.json), null, `${verb} ${path}: the answer matches the document`);
    else t.fail(`${path} is not described`);
    return a.json;
  };
  const faultOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof RpcError ? { message: e.faultString, code: e.faultCode } : { error: String(e) }));

  await t.test("the OpenAPI document: valid; served = described", async (t) => {
    t.equal(docAnswer.status, 200);
    const v = await validateOpenApi(doc);
    t.ok(v.valid, `valid OpenAPI 3.1: ${String(JSON.stringify(v.errors)).slice(0, 800)}`);
    const described = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${p}`)).sort();
    const table = REST_ROUTES.map((r) => `${r.verb} /api${r.path}`).sort();
    t.same(described, table, "every route of the table is described, and only those");
    // Each described path is served: OPTIONS (which runs nothing) lists its verb.
    for (const [p, ops] of Object.entries(doc.paths)) {
      const concrete = p.replace(/\{(\w+)\}/g, (_m, name: string) => (name === "strategy" ? "CONFIG" : name === "numprocs" || name === "offset" || name === "length" ? "1" : name === "period" ? "1.0" : name === "log_level" ? "info" : "x"));
      const o = await rest(r1, "OPTIONS", concrete);
      for (const verb of Object.keys(ops)) t.match(String(o.headers.allow), verb.toUpperCase(), `${verb.toUpperCase()} ${p} served`);
    }
    t.same((await rest(target(a0), "GET", "/api/openapi.json")).json, doc, "every instance has the same document");
  });

  await t.test("supvisors queries: the XML-RPC result on the same instance", async (t) => {
    const same = async (i: ClusterInstance, path: string, method: string, ...params: RpcValue[]) => {
      const before = steady(plain(await i.rpc(method, ...params)));
      const got = steady(await call(i, "GET", path));
      const after = steady(plain(await i.rpc(method, ...params)));
      t.ok(JSON.stringify(got) === JSON.stringify(before) || JSON.stringify(got) === JSON.stringify(after), `${path} = ${method}`) || t.same(got, after);
    };
    const id = a2.identifier;
    await same(a1, "/api/supvisors/api_version", "supvisors.get_api_version");
    await same(a1, "/api/supvisors/supvisors_state", "supvisors.get_supvisors_state");
    await same(a1, "/api/supvisors/all_instances_state_modes", "supvisors.get_all_instances_state_modes");
    await same(a1, `/api/supvisors/instance_state_modes/${id}`, "supvisors.get_instance_state_modes", id);
    await same(a1, "/api/supvisors/master_identifier", "supvisors.get_master_identifier");
    await same(a1, "/api/supvisors/strategies", "supvisors.get_strategies");
    await same(a1, "/api/supvisors/statistics_status", "supvisors.get_statistics_status");
    await same(a1, `/api/supvisors/network_info/${id}`, "supvisors.get_network_info", id);
    await same(a1, "/api/supvisors/all_instances_info", "supvisors.get_all_instances_info");
    await same(a1, `/api/supvisors/instance_info/${id}`, "supvisors.get_instance_info", id);
    await same(a1, "/api/supvisors/all_applications_info", "supvisors.get_all_applications_info");
    await same(a1, "/api/supvisors/application_info/web", "supvisors.get_application_info", "web");
    await same(a1, "/api/supvisors/application_rules/web", "supvisors.get_application_rules", "web");
    await same(a1, "/api/supvisors/all_process_info", "supvisors.get_all_process_info");
    await same(a1, "/api/supvisors/process_info/web:*", "supvisors.get_process_info", "web:*");
    await same(a1, "/api/supvisors/all_local_process_info", "supvisors.get_all_local_process_info");
    await same(a1, "/api/supvisors/local_process_info/web:db", "supvisors.get_local_process_info", "web:db");
    await same(a1, `/api/supvisors/all_inner_process_info/${id}`, "supvisors.get_all_inner_process_info", id);
    await same(a1, `/api/supvisors/inner_process_info/${id}/web:db`, "supvisors.get_inner_process_info", id, "web:db");
    await same(a1, "/api/supvisors/process_rules/web:db", "supvisors.get_process_rules", "web:db");
    await same(a1, "/api/supvisors/conflicts", "supvisors.get_conflicts");
    t.same(await call(a1, "GET", "/api/supvisors/application_info/web"), { ...(plain(await a1.rpc("supvisors.get_application_info", "web")) as object) }, "a steady result is equal as is");
  });

  await t.test("application and process actions: the same results, their effect over XML-RPC", async (t) => {
    t.same(await call(a1, "POST", "/api/supvisors/test_start_application/LESS_LOADED/web"), plain(await a1.rpc("supvisors.test_start_application", "LESS_LOADED", "web")));
    t.same(await call(a1, "POST", "/api/supvisors/test_start_process/LOCAL/misc:*"), plain(await a1.rpc("supvisors.test_start_process", "LOCAL", "misc:*")));
    t.equal(await call(a1, "POST", "/api/supvisors/start_application/LESS_LOADED/web"), true);
    t.equal(await applicationState(a0, "web"), "RUNNING", "web RUNNING once answered (wait=true)");
    t.same(await call(a1, "POST", "/api/supvisors/start_application/LESS_LOADED/web", 400), await faultOf(a1.rpc("supvisors.start_application", "LESS_LOADED", "web")), "ALREADY_STARTED, as over XML-RPC");
    t.equal(await call(a2, "POST", "/api/supvisors/stop_application/web?wait=true"), true);
    t.equal(await applicationState(a0, "web"), "STOPPED");
    t.equal(await call(a2, "POST", "/api/supvisors/restart_application/CONFIG/web"), true);
    t.same((await placement(a0, "web")).db, ["RUNNING", [a0.identifier]], "CONFIG: the first instance");
    t.equal(await call(a0, "POST", "/api/supvisors/start_process/LOCAL/misc:tool?extra_args=10"), true);
    t.same((await placement(a0, "misc")).tool, ["RUNNING", [a0.identifier]], "LOCAL: on the instance asked");
    t.match(await a0.rpc("supvisors.get_local_process_info", "misc:tool"), { extra_args: "10" }, "extra_args passed on");
    // startsecs = 0 on the Master's own instance: the start follows the stop's STOPPED event at once
    // (it used to find the old child still recorded: "already running", then FATAL).
    t.equal(await call(a0, "POST", "/api/supvisors/restart_process/LOCAL/misc:tool?extra_args=20"), true);
    t.match(await a0.rpc("supvisors.get_local_process_info", "misc:tool"), { extra_args: "20", statename: "RUNNING" });
    t.equal(await call(a0, "POST", "/api/supvisors/stop_process/misc:tool"), true);
    t.equal(await call(a2, "POST", "/api/supvisors/start_args/misc:tool?extra_args=5&wait=true"), true);
    t.same((await placement(a0, "misc")).tool, ["RUNNING", [a2.identifier]], "start_args: on the instance asked");
    const any = await call(a1, "POST", "/api/supvisors/start_any_process/LESS_LOADED/misc:pool_.*?wait=true");
    t.match(any, /^misc:pool_[01]$/, "start_any_process answers the namespec it started");
    t.equal(await call(a1, "POST", "/api/supvisors/stop_process/misc:*?wait=true"), true);
    t.same(await call(a1, "POST", "/api/supvisors/start_process/CONFIG/misc:nope", 400), await faultOf(a1.rpc("supvisors.start_process", "CONFIG", "misc:nope")), "BAD_NAME, as over XML-RPC");
    t.match(await call(a1, "POST", "/api/supvisors/start_process/FASTEST/misc:tool", 400), { errors: { strategy: /not one of CONFIG/ } });
  });

  await t.test("numprocs, enable / disable", async (t) => {
    t.equal(await call(a1, "POST", "/api/supvisors/update_numprocs/pool/3"), true);
    await poll(async () => (((await a0.rpc("supvisors.get_process_info", "misc:*")) as unknown[]).length === 4 ? true : undefined), SLOW, "pool_2 seen by a0");
    t.equal(await call(a1, "POST", "/api/supvisors/lazy_update_numprocs/pool/2"), true);
    await poll(async () => (((await a0.rpc("supvisors.get_process_info", "misc:*")) as unknown[]).length === 3 ? true : undefined), SLOW, "pool_2 removed (it was stopped)");
    t.equal(await call(a1, "POST", "/api/supvisors/disable/tool"), true);
    // enable / disable act on the instance asked (its supervisord's program).
    t.match(await a1.rpc("supvisors.get_local_process_info", "misc:tool"), { disabled: true }, "disabled on a1");
    t.match(await a0.rpc("supvisors.get_local_process_info", "misc:tool"), { disabled: false }, "not on a0");
    t.same(await call(a1, "POST", "/api/supvisors/start_args/misc:tool", 400), await faultOf(a1.rpc("supvisors.start_args", "misc:tool", "", true)), "a disabled program cannot start there: the same fault");
    t.equal(await call(a1, "POST", "/api/supvisors/enable/tool?wait=false"), true);
    await poll(async () => ((await a1.rpc("supvisors.get_local_process_info", "misc:tool")) as { disabled: boolean }).disabled === false || undefined, SLOW, "enabled again");
  });

  await t.test("statistics, log level, conciliation, sync, restart_sequence", async (t) => {
    t.equal(await call(a1, "POST", "/api/supvisors/disable_host_statistics"), true);
    t.match(await a1.rpc("supvisors.get_statistics_status"), { host_stats: false });
    t.equal(await call(a1, "POST", "/api/supvisors/enable_host_statistics"), true);
    t.equal(await call(a1, "POST", "/api/supvisors/disable_process_statistics"), true);
    t.match(await a1.rpc("supvisors.get_statistics_status"), { host_stats: true, process_stats: false });
    t.equal(await call(a1, "POST", "/api/supvisors/enable_process_statistics"), true);
    t.equal(await call(a1, "POST", "/api/supvisors/update_collecting_period/2.5"), true);
    t.match(await a1.rpc("supvisors.get_statistics_status"), { collecting_period: 2.5 });
    t.same(await call(a1, "POST", "/api/supvisors/update_collecting_period/0.01", 400), await faultOf(a1.rpc("supvisors.update_collecting_period", 0.01)), "a period out of range: the method's fault");
    t.equal(await call(a1, "POST", "/api/supvisors/change_log_level/debug"), true);
    t.match(await call(a1, "POST", "/api/supvisors/change_log_level/loud", 400), { errors: { log_level: /critical/ } });
    t.same(await call(a1, "POST", "/api/supvisors/conciliate/SENICIDE", 400), await faultOf(a1.rpc("supvisors.conciliate", "SENICIDE")), "no conflict, not in CONCILIATION: the fault");
    t.same(await call(a1, "POST", "/api/supvisors/end_sync", 400), await faultOf(a1.rpc("supvisors.end_sync")), "end_sync out of SYNCHRONIZATION: the fault");
    t.same(await call(a1, "POST", `/api/supvisors/end_sync/${a2.identifier}`, 400), await faultOf(a1.rpc("supvisors.end_sync", a2.identifier)));
    // Every application here has run already and none failed: nothing to start, the method's fault.
    t.same(await call(a1, "POST", "/api/supvisors/restart_sequence?wait=true", 400), await faultOf(a1.rpc("supvisors.restart_sequence", true)));
  });

  await t.test("401, 404, 405", async (t) => {
    const anonymous: RestTarget = { port: a1.spec.port };
    t.equal((await rest(anonymous, "GET", "/api/supvisors/supvisors_state")).status, 401);
    t.equal((await rest({ port: a1.spec.port, auth: "admin:wrong" }, "POST", "/api/supvisors/shutdown")).status, 401, "no shutdown without the password");
    t.equal((await rest(r1, "GET", "/api/supvisors/nothing")).status, 404);
    t.equal((await rest(r1, "GET", "/api/supvisors/start_application/CONFIG")).status, 404, "a parameter missing");
    const na = await rest(r1, "GET", "/api/supvisors/start_application/CONFIG/web");
    t.equal(na.status, 405);
    t.equal(na.headers.allow, "OPTIONS, POST");
    t.equal((await rest(r1, "POST", "/api/supvisors/all_process_info")).status, 405);
    t.equal(await stateOf(a1).then((s) => s.fsm_statename), "OPERATION", "nothing happened to the cluster");
  });

  await t.test("restart then shutdown of the whole cluster", async (t) => {
    t.equal(await call(a2, "POST", "/api/supvisors/restart"), true);
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION again after the restart", 60_000);
    t.pass("the cluster restarted");
    t.equal(await call(a0, "POST", "/api/supvisors/shutdown"), true);
    for (const i of cluster.instances) t.equal(await i.waitExit(60_000), 0, `${i.spec.nick} shut down`);
  });
});
