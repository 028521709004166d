// The REST API of a plain supervisord config (no Supvisors): every system and supervisor route
// against the same XML-RPC call on the same daemon, faults as 400 {message, code}, 401, 404, 405,
// the supvisors routes absent, and the OpenAPI document: valid, exactly the routes served, and
// the real answers valid against its schemas.
import t from "tap";
import { readFileSync, writeFileSync } from "node:fs";
import { RpcError, TestDaemon } from "../helpers/daemon.js";
import { poll } from "../helpers/cluster.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { rest, restOk, responseChecker, templateOf, validateOpenApi, type RestTarget } from "../helpers/rest.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";

const PROGRAMS = (port: number) => `
[inet_http_server]
port = 127.0.0.1:${port}
username = user
password = secret

[program:cat]
command = cat
startsecs = 0

[program:talker]
command = sh -c 'echo out-line; echo err-line >&2; exec sleep 1000'
startsecs = 0

[group:pool]
programs = sleeper

[program:sleeper]
command = sleep 1000
numprocs = 2
process_name = %(program_name)s_%(process_num)d
startsecs = 0

[program:idle]
command = sleep 1000
autostart = false
`;

/** What moves between two reads of the same process (its clock and uptime text). */
function steady(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(steady);
  if (v && typeof v === "object") {
    const o = { ...(v as Record<string, unknown>) };
    delete o.now;
    if (o.statename === "RUNNING") delete o.description;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, steady(x)]));
  }
  return v;
}

/** An XML-RPC value (doubles decoded as numbers) as the JSON a REST answer parses to. */
function plain(v: RpcValue): unknown {
  return JSON.parse(JSON.stringify(v));
}

t.test("REST on a plain supervisord", async (t) => {
  const port = await freePort();
  const d = new TestDaemon("ours", { programs: PROGRAMS(port) });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  const sock: RestTarget = { sock: d.sock };
  const inet: RestTarget = { port, auth: "user:secret" };
  const xml = (m: string, ...p: RpcValue[]) => d.rpc(m, ...p);
  const settled = async () => ((await xml("supervisor.getAllProcessInfo")) as { statename: string }[]).every((p) => p.statename === "RUNNING" || p.statename === "STOPPED") || undefined;
  await poll(settled, 20_000, "the autostarted processes RUNNING");
  await poll(async () => ((await xml("supervisor.readProcessStderrLog", "talker", 0, 9)) === "err-line\n") || undefined, 10_000, "talker's output logged");

  const doc = await restOk(sock, "GET", "/api/openapi.json");
  const check = responseChecker(doc);
  /** A REST call whose answer must be valid against the document, returned parsed. */
  const call = async (target: RestTarget, verb: string, path: string, status = 200) => {
    const a = await rest(target, verb, path);
    t.equal(a.status, status, `${verb} ${path}: ${status} (${a.text.slice(0, 200)})`);
    t.match(a.headers["content-type"], /^application\/json/);
    const template = templateOf(doc, path);
    t.ok(template, `${path} is described`);
    if (template) t.equal(check(verb, template, a.status, a.json), null, `${verb} ${path}: the answer matches the document`);
    return a.json;
  };

  await t.test("the OpenAPI document: valid, and exactly the system and supervisor routes", async (t) => {
    const v = await validateOpenApi(doc);
    t.ok(v.valid, `valid OpenAPI 3.1: ${String(JSON.stringify(v.errors)).slice(0, 500)}`);
    const paths = Object.keys((doc as { paths: object }).paths);
    t.ok(paths.every((p) => p.startsWith("/api/system/") || p.startsWith("/api/supervisor/")), "no supvisors route without Supvisors");
    t.equal(paths.length, 35);
    t.equal((await rest(sock, "GET", "/api/supvisors/api_version")).status, 404, "the supvisors routes are not served");
    t.same(await restOk(inet, "GET", "/api/openapi.json"), doc, "the same document on every server");
  });

  await t.test("queries: the XML-RPC result, as JSON", async (t) => {
    const same = async (path: string, method: string, ...params: RpcValue[]) => t.same(steady(await call(sock, "GET", path)), steady(plain(await xml(method, ...params))), `${path} = ${method}`);
    await same("/api/system/listMethods", "system.listMethods");
    await same("/api/system/methodHelp/supervisor.getState", "system.methodHelp", "supervisor.getState");
    await same("/api/system/methodSignature/supervisor.readLog", "system.methodSignature", "supervisor.readLog");
    await same("/api/supervisor/getAPIVersion", "supervisor.getAPIVersion");
    await same("/api/supervisor/getSupervisorVersion", "supervisor.getSupervisorVersion");
    await same("/api/supervisor/getIdentification", "supervisor.getIdentification");
    await same("/api/supervisor/getState", "supervisor.getState");
    await same("/api/supervisor/getPID", "supervisor.getPID");
    await same("/api/supervisor/readLog/0/40", "supervisor.readLog", 0, 40);
    await same("/api/supervisor/getAllConfigInfo", "supervisor.getAllConfigInfo");
    await same("/api/supervisor/getProcessInfo/pool:sleeper_0", "supervisor.getProcessInfo", "pool:sleeper_0");
    await same("/api/supervisor/getAllProcessInfo", "supervisor.getAllProcessInfo");
    await same("/api/supervisor/readProcessStdoutLog/talker/0/9", "supervisor.readProcessStdoutLog", "talker", 0, 9);
    await same("/api/supervisor/readProcessStderrLog/talker/0/9", "supervisor.readProcessStderrLog", "talker", 0, 9);
    await same("/api/supervisor/tailProcessStdoutLog/talker/0/100", "supervisor.tailProcessStdoutLog", "talker", 0, 100);
    await same("/api/supervisor/tailProcessStderrLog/talker/-4/4", "supervisor.tailProcessStderrLog", "talker", -4, 4);
    t.equal(await call(sock, "GET", "/api/supervisor/readProcessStdoutLog/talker/0/9"), "out-line\n");
    t.same(await call(inet, "GET", "/api/supervisor/getState"), { statecode: 1, statename: "RUNNING" }, "over TCP with credentials");
    t.equal((await rest(sock, "HEAD", "/api/supervisor/getState")).status, 200, "HEAD");
  });

  await t.test("actions: the same results as over XML-RPC, and their effect", async (t) => {
    t.equal(await call(sock, "POST", "/api/supervisor/startProcess/idle"), true);
    t.equal(((await xml("supervisor.getProcessInfo", "idle")) as { statename: string }).statename, "RUNNING", "started, waited for");
    t.equal(await call(sock, "POST", "/api/supervisor/stopProcess/idle?wait=true"), true);
    t.equal(((await xml("supervisor.getProcessInfo", "idle")) as { statename: string }).statename, "STOPPED");
    t.same(await call(sock, "POST", "/api/supervisor/startProcess/idle?wait=false"), plain(await xml("supervisor.stopProcess", "idle", true)), "wait=false: true, as XML-RPC's stop is");
    // Group and all results: the same names and status codes (in name order: the order is by priority).
    const names = (r: unknown) => (r as { name: string; status: number }[]).map((x) => [x.name, x.status]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const restStopGroup = names(await call(sock, "POST", "/api/supervisor/stopProcessGroup/pool"));
    const restStartGroup = names(await call(sock, "POST", "/api/supervisor/startProcessGroup/pool"));
    t.same(restStopGroup, names(plain(await xml("supervisor.stopProcessGroup", "pool", true))), "stopProcessGroup");
    t.same(restStartGroup, names(plain(await xml("supervisor.startProcessGroup", "pool", true))), "startProcessGroup");
    t.same(restStartGroup, [["sleeper_0", 80], ["sleeper_1", 80]]);
    t.equal(await call(sock, "POST", "/api/supervisor/signalProcess/pool:sleeper_0/CONT"), true);
    t.same(names(await call(sock, "POST", "/api/supervisor/signalProcessGroup/pool/CONT")), names(plain(await xml("supervisor.signalProcessGroup", "pool", "CONT"))));
    t.same(names(await call(sock, "POST", "/api/supervisor/signalAllProcesses/CONT")), names(plain(await xml("supervisor.signalAllProcesses", "CONT"))));
    t.equal(await call(sock, "POST", "/api/supervisor/sendProcessStdin/cat/hello%20there"), true);
    t.equal(await call(sock, "POST", "/api/supervisor/sendRemoteCommEvent/mytype/my%20data"), true);
    t.equal(await call(sock, "POST", "/api/supervisor/clearProcessLogs/talker"), true);
    t.equal(await xml("supervisor.readProcessStdoutLog", "talker", 0, 100), "", "cleared");
    t.same(names(await call(sock, "POST", "/api/supervisor/clearAllProcessLogs")), names(plain(await xml("supervisor.clearAllProcessLogs"))));
    t.equal(await call(sock, "POST", "/api/supervisor/clearLog"), true);
    // stopAll / startAll over REST give what the same calls give over XML-RPC in the same state.
    const restStop = names(await call(sock, "POST", "/api/supervisor/stopAllProcesses"));
    const xmlStart = names(plain(await xml("supervisor.startAllProcesses", true)));
    t.equal(xmlStart.length, 5, "all five started");
    t.same(names(plain(await xml("supervisor.stopAllProcesses", true))), xmlStart, "XML-RPC's stopAll: the five");
    t.same(names(await call(sock, "POST", "/api/supervisor/startAllProcesses?wait=1")), xmlStart, "REST's startAll = XML-RPC's");
    t.equal(restStop.length, 4, "REST's stopAll: the four running then (idle was stopped)");
    // A group added to the file: reloadConfig sees it, addProcessGroup adds it, removeProcessGroup takes it away.
    writeFileSync(d.conf, `${readFileSync(d.conf, "utf8")}\n[program:later]\ncommand = sleep 1000\nautostart = false\n`);
    t.same(await call(sock, "POST", "/api/supervisor/reloadConfig"), [[["later"], [], []]]);
    t.equal(await call(sock, "POST", "/api/supervisor/addProcessGroup/later"), true);
    t.same(await call(sock, "POST", "/api/supervisor/addProcessGroup/later", 400), { message: "ALREADY_ADDED: later", code: 90 });
    t.equal(await call(sock, "POST", "/api/supervisor/removeProcessGroup/later"), true);
    t.same(plain(await xml("supervisor.addProcessGroup", "later")), true, "XML-RPC agrees: it was removed");
  });

  await t.test("faults are 400 {message, code}; bad parameters 400 with errors", async (t) => {
    const fault = async (verb: string, path: string, method: string, ...params: RpcValue[]) => {
      const body = await call(sock, verb, path, 400);
      const e = await xml(method, ...params).then(
        () => null,
        (x: unknown) => x as RpcError,
      );
      t.same(body, { message: e?.faultString, code: e?.faultCode }, `${path}: the XML-RPC fault`);
    };
    await fault("GET", "/api/supervisor/getProcessInfo/nope", "supervisor.getProcessInfo", "nope");
    await fault("POST", "/api/supervisor/startProcess/nope", "supervisor.startProcess", "nope");
    await fault("POST", "/api/supervisor/startProcess/cat", "supervisor.startProcess", "cat");
    await fault("GET", "/api/supervisor/readProcessStdoutLog/nope/0/10", "supervisor.readProcessStdoutLog", "nope", 0, 10);
    await fault("GET", "/api/system/methodHelp/no.such", "system.methodHelp", "no.such");
    await fault("POST", "/api/supervisor/signalProcess/cat/NOSIG", "supervisor.signalProcess", "cat", "NOSIG");
    await fault("POST", "/api/supervisor/removeProcessGroup/cat", "supervisor.removeProcessGroup", "cat");
    t.same(await call(sock, "POST", "/api/supervisor/startProcess/cat?wait=perhaps", 400), { errors: { wait: "Invalid literal for boolean(): perhaps" }, message: "Input payload validation failed" });
    t.match(await call(sock, "GET", "/api/supervisor/readLog/zero/10", 400), { errors: { offset: /integer/ } });
  });

  await t.test("401 without credentials, 404 for an unknown route, 405 for the wrong method", async (t) => {
    const anonymous: RestTarget = { port };
    const a = await rest(anonymous, "GET", "/api/supervisor/getState");
    t.equal(a.status, 401);
    t.match(a.headers["www-authenticate"], /Basic/);
    t.equal((await rest({ port, auth: "user:wrong" }, "GET", "/api/openapi.json")).status, 401, "the document too");
    t.equal((await rest(anonymous, "GET", "/api/docs")).status, 401, "and the docs page");
    const nf = await rest(inet, "GET", "/api/supervisor/noSuchThing");
    t.equal(nf.status, 404);
    t.match(nf.json, { message: /not found/ });
    t.equal((await rest(inet, "GET", "/api/nothing")).status, 404);
    t.equal((await rest(inet, "GET", "/api")).status, 404);
    const na = await rest(inet, "GET", "/api/supervisor/shutdown");
    t.equal(na.status, 405);
    t.equal(na.headers.allow, "OPTIONS, POST");
    t.match(na.json, { message: /not allowed/ });
    t.equal((await rest(inet, "POST", "/api/supervisor/getState")).status, 405);
    t.equal((await rest(inet, "PUT", "/api/supervisor/getState")).status, 405);
    const o = await rest(inet, "OPTIONS", "/api/supervisor/getState");
    t.equal(o.status, 200);
    t.equal(o.headers.allow, "GET, HEAD, OPTIONS");
    t.equal((await rest(inet, "POST", "/api/openapi.json")).status, 405);
  });

  await t.test("the docs page and its assets come from this server", async (t) => {
    const page = await rest(inet, "GET", "/api/docs");
    t.equal(page.status, 200);
    t.match(page.headers["content-security-policy"], /script-src 'self'/);
    for (const m of page.text.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const asset = await rest(inet, "GET", m[1]!);
      t.equal(asset.status, 200, `${m[1]} served`);
      t.ok(asset.text.length > 100, `${m[1]} has content`);
    }
    t.equal((await rest(inet, "GET", "/api/docs/nothing.js")).status, 404);
  });

  await t.test("restart and shutdown", async (t) => {
    const pid = await xml("supervisor.getPID");
    t.equal(await call(sock, "POST", "/api/supervisor/restart"), true);
    // The main log was cleared by clearLog above: this line is the restart's.
    await d.waitForLog("supervisord started with pid", 20_000, 1);
    await poll(async () => (await xml("supervisor.getState").then(() => true, () => undefined)), 20_000, "the daemon answering again");
    t.equal(await xml("supervisor.getPID"), pid, "the same process, restarted");
    t.equal(await restOk(sock, "POST", "/api/supervisor/shutdown"), true);
    t.equal(await d.waitExit(), 0, "shut down");
  });
});
