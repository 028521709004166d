/**
 * The TypeScript client against a real daemon (dist/bin/supervisord.mjs): every `system.*` and
 * `supervisor.*` method called once through the client, over TCP with Basic auth, each answer
 * compared with the same call made with the raw XML-RPC helper over the unix socket; faults
 * arriving as RpcFaultError with the daemon's code and text; 401 without credentials; and the
 * example program type-checked against the package's built declarations.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { RpcFaultError, RpcTransportError } from "../../src/client/errors.js";
import type { MethodName, ParamsOf, ResultOf } from "../../src/client/methods.js";
import { SupervisorClient } from "../../src/client/supervisor-client.js";
import type { ProcessResult } from "../../src/client/supervisor-types.js";
import type { RpcValue } from "../../src/supervisord/rpc/codec.js";
import { freePortPair } from "../helpers/cluster.js";
import { REPO, RpcError, TestDaemon } from "../helpers/daemon.js";

const run = promisify(execFile);

const PROGRAMS = (port: number) => `
[inet_http_server]
port = 127.0.0.1:${port}
username = user
password = secret

[program:cat]
command=/bin/cat
startsecs=0

[program:echoer]
command=/bin/sh -c "printf 'out-line\\n'; printf 'err-line\\n' >&2; exec /bin/sleep 1000"
startsecs=0

[program:sleeper_a]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:sleeper_b]
command=/bin/sleep 1000
startsecs=0
autostart=false

[group:grp]
programs=g1,g2

[program:g1]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:g2]
command=/bin/sleep 1000
startsecs=0
autostart=false

[program:nofile]
command=/nonexistent/prog
autostart=false

[program:quick]
command=/bin/sh -c "exit 3"
startsecs=1
startretries=0
autostart=false

[group:extra]
programs=extra1

[program:extra1]
command=/bin/sleep 1000
autostart=false
`;

/** Records the methods it was asked to call, to check that every one was. */
class CountingClient extends SupervisorClient {
  readonly called = new Set<string>();
  protected override invoke<N extends MethodName>(method: N, params: ParamsOf<N>): Promise<ResultOf<N>> {
    this.called.add(method);
    return super.invoke(method, params);
  }
}

/** The fault of a call that must fail, from either side, as [code, faultString]. */
async function faultOf(p: Promise<unknown>): Promise<[number, string, string]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcFaultError) return [err.code, err.faultString, err.name];
    if (err instanceof RpcError) return [err.faultCode, err.faultString, "raw"];
    throw err;
  }
  throw new Error("the call succeeded");
}

/** `now` and the uptime in descriptions move between two calls. */
function steady(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(steady);
  if (v && typeof v === "object") {
    const { now: _now, description, ...rest } = v as Record<string, unknown>;
    return { ...rest, description: typeof description === "string" ? description.replace(/uptime \d+:\d\d:\d\d/, "uptime <t>") : description };
  }
  return v;
}

/** Group results in completion order: compared as sets. */
const byName = (rs: readonly ProcessResult[] | RpcValue) => [...(rs as ProcessResult[])].sort((a, b) => `${a.group}:${a.name}`.localeCompare(`${b.group}:${b.name}`));

t.test("every system.* and supervisor.* method through the client, compared with the raw call", async (t) => {
  const port = await freePortPair();
  const d = new TestDaemon("ours", { programs: PROGRAMS(port) });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  // A test process that dies before its teardown (an uncaught exception) takes the daemon with it.
  const killOnExit = () => d.child?.kill("SIGTERM");
  process.once("exit", killOnExit);
  t.teardown(() => void process.off("exit", killOnExit));
  await d.waitForLog("success: echoer entered RUNNING state");
  const url = `http://127.0.0.1:${port}`;
  const client = new CountingClient(url, { username: "user", password: "secret" });
  t.teardown(() => client.close());
  const raw = (method: string, ...params: RpcValue[]) => d.rpc(method, ...params);
  let listed: string[] = [];

  await t.test("credentials: 401 without them or with a wrong password, a distinct transport error", async (t) => {
    for (const opts of [{}, { username: "user", password: "wrong" }]) {
      const anonymous = new SupervisorClient(url, opts);
      const err = await anonymous.supervisor.getPID().catch((e: unknown) => e);
      await anonymous.close();
      t.ok(err instanceof RpcTransportError, "an RpcTransportError");
      t.match(err, { kind: "http", status: 401, method: "supervisor.getPID" });
      t.notOk(err instanceof RpcFaultError);
    }
    const unix = new SupervisorClient(`unix://${d.sock}`);
    t.teardown(() => unix.close());
    t.equal(await unix.supervisor.getPID(), await raw("supervisor.getPID"), "the unix socket needs none");
  });

  await t.test("system.*", async (t) => {
    const methods = await client.system.listMethods();
    t.same(methods, await raw("system.listMethods"));
    listed = methods;
    t.equal(methods.length, 41, "supervisord 4.2.5's 41 methods");
    t.equal(await client.system.methodHelp("supervisor.startProcess"), await raw("system.methodHelp", "supervisor.startProcess"));
    t.same(await client.system.methodSignature("supervisor.startProcess"), await raw("system.methodSignature", "supervisor.startProcess"));
    t.same(await client.system.methodSignature("supervisor.startProcess"), ["boolean", "string", "boolean"]);
    const ours = await client.system.multicall([
      { methodName: "supervisor.getPID" },
      { methodName: "supervisor.getProcessInfo", params: ["nosuch"] },
      { methodName: "supervisor.getState", params: [] },
    ]);
    const theirs = await raw("system.multicall", [
      { methodName: "supervisor.getPID", params: [] },
      { methodName: "supervisor.getProcessInfo", params: ["nosuch"] },
      { methodName: "supervisor.getState", params: [] },
    ]);
    t.same(ours, theirs);
    const [pid, fault, state] = ours;
    t.equal(pid, d.pid, "typed element by element: a number...");
    t.same(fault, { faultCode: 10, faultString: "BAD_NAME: nosuch" }, "...a fault struct in place...");
    t.same(state, { statecode: 1, statename: "RUNNING" }, "...a struct");
  });

  await t.test("the reads", async (t) => {
    const s = client.supervisor;
    t.equal(await s.getAPIVersion(), await raw("supervisor.getAPIVersion"));
    t.equal(await s.getVersion(), await raw("supervisor.getVersion"));
    t.equal(await s.getSupervisorVersion(), await raw("supervisor.getSupervisorVersion"));
    t.equal(await s.getIdentification(), await raw("supervisor.getIdentification"));
    t.same(await s.getState(), await raw("supervisor.getState"));
    t.equal(await s.getPID(), await raw("supervisor.getPID"));
    t.equal(await s.getPID(), d.pid);
    t.equal(await s.readLog(0, 100), await raw("supervisor.readLog", 0, 100));
    t.equal(await s.readMainLog(0, 100), await raw("supervisor.readMainLog", 0, 100));
    const cat = await s.getProcessInfo("cat");
    t.same(steady(cat), steady(await raw("supervisor.getProcessInfo", "cat")));
    t.equal(cat.statename, "RUNNING");
    t.same(steady(await s.getAllProcessInfo()), steady(await raw("supervisor.getAllProcessInfo")));
    t.same(await s.getAllConfigInfo(), await raw("supervisor.getAllConfigInfo"));
    t.equal(await s.readProcessStdoutLog("echoer", 0, 0), "out-line\n");
    t.equal(await s.readProcessStdoutLog("echoer", 0, 0), await raw("supervisor.readProcessStdoutLog", "echoer", 0, 0));
    t.equal(await s.readProcessLog("echoer", 0, 0), await raw("supervisor.readProcessLog", "echoer", 0, 0));
    t.equal(await s.readProcessStderrLog("echoer", 0, 0), await raw("supervisor.readProcessStderrLog", "echoer", 0, 0));
    const tail = await s.tailProcessStdoutLog("echoer", 0, 100);
    t.same(tail, ["out-line\n", 9, false]);
    t.same(tail, await raw("supervisor.tailProcessStdoutLog", "echoer", 0, 100));
    t.same(await s.tailProcessLog("echoer", 0, 3), await raw("supervisor.tailProcessLog", "echoer", 0, 3));
    t.same(await s.tailProcessStderrLog("echoer", 0, 100), await raw("supervisor.tailProcessStderrLog", "echoer", 0, 100));
    t.same(await s.reloadConfig(), await raw("supervisor.reloadConfig"));
  });

  await t.test("process control: the client on one process or group, the raw call on its twin or again", async (t) => {
    const s = client.supervisor;
    t.equal(await s.startProcess("sleeper_a"), await raw("supervisor.startProcess", "sleeper_b"));
    t.equal(await s.stopProcess("sleeper_a"), await raw("supervisor.stopProcess", "sleeper_b"));
    const started = await s.startProcessGroup("grp");
    const rawStopped = await raw("supervisor.stopProcessGroup", "grp");
    t.same(byName(started), byName(await raw("supervisor.startProcessGroup", "grp")));
    t.same(byName(await s.stopProcessGroup("grp")), byName(rawStopped));
    t.same(byName(started).map((r) => `${r.name} ${r.status} ${r.description}`), ["g1 80 OK", "g2 80 OK"]);

    await s.startProcess("sleeper_a");
    await raw("supervisor.startProcess", "sleeper_b");
    await s.startProcessGroup("grp");
    t.equal(await s.signalProcess("sleeper_a", "CONT"), await raw("supervisor.signalProcess", "sleeper_b", "CONT"));
    t.same(byName(await s.signalProcessGroup("grp", "CONT")), byName(await raw("supervisor.signalProcessGroup", "grp", "CONT")));
    t.same(byName(await s.signalAllProcesses(18)), byName(await raw("supervisor.signalAllProcesses", 18)), "a signal by number");
    t.equal(await s.sendProcessStdin("cat", "hello\n"), await raw("supervisor.sendProcessStdin", "cat", "again\n"));
    t.equal(await s.sendRemoteCommEvent("ts-client", "data"), await raw("supervisor.sendRemoteCommEvent", "ts-client", "data"));

    t.equal(await s.removeProcessGroup("extra"), true);
    t.equal(await raw("supervisor.addProcessGroup", "extra"), true);
    t.equal(await raw("supervisor.removeProcessGroup", "extra"), true, "the raw remove answers as the client's did");
    t.equal(await s.addProcessGroup("extra"), true, "the client's add answers as the raw one did");

    t.equal(await s.clearProcessLogs("echoer"), await raw("supervisor.clearProcessLogs", "echoer"));
    t.equal(await s.clearProcessLog("echoer"), await raw("supervisor.clearProcessLog", "echoer"));
    t.same(byName(await s.clearAllProcessLogs()), byName(await raw("supervisor.clearAllProcessLogs")));
    t.equal(await s.clearLog(), await raw("supervisor.clearLog"));
  });

  await t.test("faults arrive as RpcFaultError with the daemon's code and text", async (t) => {
    const s = client.supervisor;
    const cases: [string, () => Promise<unknown>, () => Promise<RpcValue>, number, string][] = [
      ["unknown process", () => s.getProcessInfo("nosuch"), () => raw("supervisor.getProcessInfo", "nosuch"), 10, "BAD_NAME"],
      ["already running", () => s.startProcess("cat"), () => raw("supervisor.startProcess", "cat"), 60, "ALREADY_STARTED"],
      ["not running", () => s.stopProcess("quick"), () => raw("supervisor.stopProcess", "quick"), 70, "NOT_RUNNING"],
      ["no such command", () => s.startProcess("nofile"), () => raw("supervisor.startProcess", "nofile"), 20, "NO_FILE"],
      ["bad log arguments", () => s.readLog(-1, 5), () => raw("supervisor.readLog", -1, 5), 3, "BAD_ARGUMENTS"],
      ["bad signal", () => s.signalProcess("cat", "NOPE"), () => raw("supervisor.signalProcess", "cat", "NOPE"), 11, "BAD_SIGNAL"],
      ["group already there", () => s.addProcessGroup("grp"), () => raw("supervisor.addProcessGroup", "grp"), 90, "ALREADY_ADDED"],
      ["group still running", () => s.removeProcessGroup("grp"), () => raw("supervisor.removeProcessGroup", "grp"), 91, "STILL_RUNNING"],
      ["unknown method help", () => client.system.methodHelp("x.y"), () => raw("system.methodHelp", "x.y"), 4, "SIGNATURE_UNSUPPORTED"],
      ["unknown method", () => client.callRaw("supervisor.nosuch"), () => raw("supervisor.nosuch"), 1, "UNKNOWN_METHOD"],
      ["wrong arguments", () => client.callRaw("supervisor.getProcessInfo", []), () => raw("supervisor.getProcessInfo"), 2, "INCORRECT_PARAMETERS"],
    ];
    for (const [what, viaClient, viaRaw, code, name] of cases) {
      const [c, text, n] = await faultOf(viaClient());
      const [rc, rtext] = await faultOf(viaRaw());
      t.same([c, n], [code, name], `${what}: ${name}`);
      t.same([c, text], [rc, rtext], `${what}: as the raw call`);
    }
    const [c, text] = await faultOf(s.startProcess("quick"));
    t.same([c, text], [50, "SPAWN_ERROR: quick"], "exits too quickly");
    t.same(await faultOf(raw("supervisor.startProcess", "quick")), [50, "SPAWN_ERROR: quick", "raw"]);
  });

  await t.test("start and stop everything", async (t) => {
    await raw("supervisor.stopAllProcesses");
    const started = await client.supervisor.startAllProcesses();
    const rawStopped = await raw("supervisor.stopAllProcesses");
    t.same(byName(started), byName(await raw("supervisor.startAllProcesses")));
    t.same(byName(await client.supervisor.stopAllProcesses()), byName(rawStopped));
    t.ok(started.some((r) => r.name === "cat" && r.status === 80), "cat among them");
  });

  await t.test("restart: true, the daemon comes back, the client reconnects by itself", async (t) => {
    // The main log was cleared above: count the starts from now on.
    const starts = () => d.messages().filter((m) => m.includes("supervisord started with pid")).length;
    const before = starts();
    t.equal(await client.supervisor.restart(), true);
    await d.waitForLog("supervisord started with pid", 20_000, before + 1);
    t.equal(await raw("supervisor.restart"), true);
    await d.waitForLog("supervisord started with pid", 20_000, before + 2);
    t.same(await client.supervisor.getState(), { statecode: 1, statename: "RUNNING" }, "a fresh connection after the old one was closed");
  });

  await t.test("shutdown: true here, and true from the raw call on a second daemon", async (t) => {
    const twin = new TestDaemon("ours", { programs: "" });
    t.teardown(async () => {
      await twin.stop();
      twin.cleanup();
    });
    await twin.start();
    t.equal(await client.supervisor.shutdown(), await twin.rpc("supervisor.shutdown"));
    t.equal(await d.waitExit(), 0);
    t.equal(await twin.waitExit(), 0);
  });

  t.ok(listed.length > 0);
  t.same(
    listed.filter((m) => !client.called.has(m)),
    [],
    "every method the daemon lists was called through the client",
  );
});

t.test("the example program type-checks against the package's declarations (dist/client)", async (t) => {
  const tsc = join(REPO, "node_modules/typescript/bin/tsc");
  const ok = await run(process.execPath, [tsc, "-p", join(REPO, "examples/client/tsconfig.json")], { cwd: REPO }).then(
    () => "",
    (err: { stdout?: string }) => err.stdout ?? String(err),
  );
  t.equal(ok, "", "tsc reports nothing");

  // The declarations are really in force: a wrong strategy and a wrong result use are refused.
  const dir = mkdtempSync(join(REPO, "examples/client/.typecheck-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "bad.ts"),
    [
      'import { SupvisorsClient } from "supervisord-ts/client";',
      'const c = new SupvisorsClient("http://127.0.0.1:1");',
      'await c.supvisors.startApplication("FASTEST", "web");',
      'const n: number = (await c.supvisors.getAllInstancesInfo())[0]!.statename;',
      "void n;",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", files: ["bad.ts"] }));
  const out = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: REPO }).then(
    () => "",
    (err: { stdout?: string }) => err.stdout ?? "",
  );
  t.match(out, /bad\.ts\(3,\d+\): error TS2345: Argument of type '"FASTEST"'/, "a strategy not in StartingStrategies");
  t.match(out, /bad\.ts\(4,\d+\): error TS2322/, "statename is a string literal union, not a number");
});
