/**
 * The supvisorsflask bin: the REST routes at the root paths, as a separate process in front of an
 * instance. In front of the real Debian supervisord 4.2.5 and in front of ours (same config), the
 * system and supervisor routes give the same results; in front of ours they equal the daemon's
 * own /api routes; the instance's auth applies; the CLI behaves as argparse does.
 */
import t, { type Test } from "tap";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { hasReal, REPO, TestDaemon, type DaemonKind } from "../helpers/daemon.js";
import { poll } from "../helpers/cluster.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { rest, restOk, type RestTarget } from "../helpers/rest.js";

const FLASK = join(REPO, "dist/bin/supvisorsflask.mjs");
const AUTH = "user:secret";

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

[program:idle]
command = sleep 1000
autostart = false
startsecs = 0
`;

interface Fronted {
  readonly daemon: TestDaemon;
  readonly flask: RestTarget;
  readonly port: number;
}

async function startFlask(t: Test, args: string[]): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, [FLASK, ...args, "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  });
  await poll(() => (out.includes(" * Running on") ? true : child.exitCode !== null ? Promise.reject(new Error(out)) : undefined), 10_000, "supvisorsflask listening");
  return { child, port, output: () => out };
}

async function front(t: Test, kind: DaemonKind): Promise<Fronted> {
  const port = await freePort();
  const daemon = new TestDaemon(kind, { programs: PROGRAMS(port) });
  t.teardown(async () => {
    await daemon.stop();
    daemon.cleanup();
  });
  await daemon.start();
  await poll(async () => ((await daemon.rpc("supervisor.readProcessStderrLog", "talker", 0, 9)) === "err-line\n") || undefined, 15_000, `${kind}: talker's output logged`);
  const flask = await startFlask(t, ["-u", `http://127.0.0.1:${port}`]);
  return { daemon, port, flask: { port: flask.port, auth: AUTH } };
}

/** What differs between two daemons running the same config: pids, times, their temp dirs. */
function comparable(v: unknown, dir: string): unknown {
  if (typeof v === "string") return v.replaceAll(dir, "{dir}").replace(/pid \d+, uptime [\d:]+/, "pid N, uptime T").replace(/(---supervisor-)[\w]+(\.log)/g, "$1X$2");
  if (Array.isArray(v)) return v.map((x) => comparable(x, dir));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !["pid", "start", "now", "stop"].includes(k)).map(([k, x]) => [k, comparable(x, dir)]));
  return v;
}

const QUERIES = [
  "/system/listMethods",
  "/system/methodHelp/supervisor.getState",
  "/system/methodSignature/supervisor.startProcess",
  "/supervisor/getAPIVersion",
  "/supervisor/getSupervisorVersion",
  "/supervisor/getIdentification",
  "/supervisor/getState",
  "/supervisor/getAllConfigInfo",
  "/supervisor/getProcessInfo/talker",
  "/supervisor/getAllProcessInfo",
  "/supervisor/readProcessStdoutLog/talker/0/9",
  "/supervisor/readProcessStderrLog/talker/0/9",
  "/supervisor/tailProcessStdoutLog/talker/0/100",
  "/supervisor/tailProcessStderrLog/talker/-5/5",
  "/supervisor/getProcessInfo/nope",
  "/supervisor/readProcessStdoutLog/nope/0/9",
  "/system/methodHelp/no.such",
];

const ACTIONS = [
  "/supervisor/startProcess/idle",
  "/supervisor/startProcess/idle",
  "/supervisor/stopProcess/idle?wait=true",
  "/supervisor/stopProcess/idle",
  "/supervisor/startProcess/nope",
  "/supervisor/signalProcess/talker/CONT",
  "/supervisor/signalProcess/talker/NOSIG",
  "/supervisor/sendProcessStdin/cat/hello",
  "/supervisor/sendProcessStdin/idle/hello",
  "/supervisor/sendRemoteCommEvent/type/data",
  "/supervisor/clearProcessLogs/talker",
  "/supervisor/stopProcessGroup/cat",
  "/supervisor/startProcessGroup/cat?wait=false",
  "/supervisor/removeProcessGroup/talker",
  "/supervisor/addProcessGroup/nope",
  "/supervisor/reloadConfig",
  "/supervisor/clearLog",
];

t.test("supvisorsflask in front of the real supervisord and of ours", { skip: hasReal ? false : "the real supervisord is not installed (apt-get install supervisor)" }, async (t) => {
  const [real, ours] = await Promise.all([front(t, "real"), front(t, "ours")]);

  await t.test("queries: the same results (and the same faults) in front of both", async (t) => {
    for (const path of QUERIES) {
      const [a, b] = await Promise.all([rest(real.flask, "GET", path), rest(ours.flask, "GET", path)]);
      t.equal(b.status, a.status, `${path}: status ${a.status} in front of both`);
      t.same(comparable(b.json, ours.daemon.dir), comparable(a.json, real.daemon.dir), `${path}: same result`);
    }
  });

  await t.test("actions: the same results in front of both, in the same order", async (t) => {
    for (const path of ACTIONS) {
      const [a, b] = await Promise.all([rest(real.flask, "POST", path), rest(ours.flask, "POST", path)]);
      t.equal(b.status, a.status, `POST ${path}: status ${a.status} in front of both (${a.text.trim()})`);
      t.same(comparable(b.json, ours.daemon.dir), comparable(a.json, real.daemon.dir), `POST ${path}: same result`);
    }
  });

  await t.test("in front of ours: the same answers as the daemon's own /api routes", async (t) => {
    const direct: RestTarget = { port: ours.port, auth: AUTH };
    for (const path of ["/supervisor/getAllConfigInfo", "/supervisor/getState", "/system/listMethods", "/supervisor/getProcessInfo/nope"]) {
      const [a, b] = await Promise.all([rest(direct, "GET", `/api${path}`), rest(ours.flask, "GET", path)]);
      t.equal(b.status, a.status, path);
      t.same(b.json, a.json, path);
    }
  });

  await t.test("the supvisors routes in front of a plain supervisord: its UNKNOWN_METHOD fault", async (t) => {
    const a = await rest(real.flask, "GET", "/supvisors/supvisors_state");
    t.equal(a.status, 400);
    t.same(a.json, { message: "UNKNOWN_METHOD", code: 1 });
  });

  await t.test("the instance's auth applies: no credentials, 401; the document and docs are served", async (t) => {
    const anonymous: RestTarget = { port: (real.flask as { port: number }).port };
    const a = await rest(anonymous, "GET", "/supervisor/getState");
    t.equal(a.status, 401);
    t.match(a.headers["www-authenticate"], /Basic/);
    t.equal((await rest({ port: (real.flask as { port: number }).port, auth: "user:bad" }, "GET", "/supervisor/getState")).status, 401);
    const doc = (await restOk(anonymous, "GET", "/swagger.json")) as { openapi: string; paths: Record<string, unknown> };
    t.equal(doc.openapi, "3.1.0");
    t.ok(doc.paths["/supervisor/getState"], "root paths in the document");
    t.same(await restOk(anonymous, "GET", "/openapi.json"), doc);
    t.match((await rest(anonymous, "GET", "/")).text, /swagger-ui/, "the docs page at /");
    t.equal((await rest(real.flask, "GET", "/supervisor/noSuchRoute")).status, 404);
    t.equal((await rest(real.flask, "GET", "/supervisor/shutdown")).status, 405);
  });

  await t.test("credentials in the URL are used for every call, and stay out of the output", async (t) => {
    const f = await startFlask(t, ["-u", `http://user:secret@127.0.0.1:${real.port}`]);
    t.same(await restOk({ port: f.port }, "GET", "/supervisor/getState"), { statecode: 1, statename: "RUNNING" });
    t.notMatch(f.output(), /secret/);
  });

  await t.test("an instance that does not answer: 502 with a message", async (t) => {
    const f = await startFlask(t, ["-u", `http://127.0.0.1:${await freePort()}`]);
    const a = await rest({ port: f.port }, "GET", "/supervisor/getState");
    t.equal(a.status, 502);
    t.match(a.json, { message: /cannot reach the instance: ECONNREFUSED/ });
  });
});

t.test("the command line, as argparse", async (t) => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [FLASK, ...args], { encoding: "utf8", env: { PATH: process.env.PATH, ...env }, timeout: 10_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const none = run([]);
  t.equal(none.code, 2);
  t.match(none.err, /^usage: supvisorsflask \[--help\] -u SUPERVISOR_URL \[-h HOST\] \[-p PORT\] \[-d\]\nsupvisorsflask: error: the following arguments are required: -u\/--supervisor_url\n$/);
  const bad = run(["-u", "http://localhost"]);
  t.equal(bad.code, 2);
  t.match(bad.err, /The URL provided is invalid: http:\/\/localhost/, "the port is required");
  t.equal(run(["-u", "ftp://h:1"]).code, 2);
  t.match(run(["-u", "http://h:1", "-p", "x"]).err, /invalid int value: 'x'/);
  t.match(run(["--bogus"]).err, /error: Unknown option '--bogus'/);
  const help = run(["--help"]);
  t.equal(help.code, 0);
  t.match(help.out, /^usage: supvisorsflask .*\n\n.*\n\noptions:\n  --help/s);
  t.match(run(["--help"], { SUPERVISOR_SERVER_URL: "http://h:1" }).out, /\[-u SUPERVISOR_URL\]/, "-u optional when the environment gives the URL");
  const port = await freePort();
  const busy = (await import("node:net")).createServer().listen(port, "127.0.0.1");
  t.teardown(() => busy.close());
  await new Promise((r) => busy.once("listening", r));
  const taken = run(["-u", "http://127.0.0.1:1", "-p", String(port)]);
  t.equal(taken.code, 1);
  t.match(taken.err, /cannot listen on 127\.0\.0\.1:\d+: listen EADDRINUSE/);
});
