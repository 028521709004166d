/**
 * Readiness checks (ours) on our real daemon: an HTTP child ready after a delay (the waiting start
 * answers while still STARTING), a TCP and a command check, a check failing after ready (event in
 * the main log, info field), readiness_on_failure=fail without Supvisors (restart in place),
 * readiness_startsecs exceeded (ABNORMAL_TERMINATION), plain programs' info unchanged, our ctl's
 * status suffix, and a bad readiness_check as a config error with file:line.
 */
import t from "tap";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, RpcError, TestDaemon, waitFor } from "../helpers/daemon.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import type { RpcStruct } from "../../src/supervisord/rpc/codec.js";

const SERVER = join(REPO, "test/fixtures/readiness/http-server.mjs");
const OUR_CTL = join(REPO, "dist/bin/supervisorctl.mjs");
const NODE = process.execPath;
/** The recording listener needs Debian's python3 with the supervisor package. */
const HAS_PY = existsSync("/usr/bin/python3") && spawnSync("/usr/bin/python3", ["-c", "import supervisor.childutils"]).status === 0;

if (!existsSync(join(REPO, "dist/bin/supervisord.mjs"))) throw new Error("build first: node scripts/build.mjs");

const [webPort, tcpPort, badPort, failPort, restartPort, groupPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);

const PROGRAMS = `
[program:web]
command=${NODE} ${SERVER} ${webPort} 1200
autostart=false
startsecs=30
readiness_check=http://127.0.0.1:${webPort}/health
readiness_interval=0.1

[program:tcp]
command=${NODE} ${SERVER} ${tcpPort} 0
autostart=false
startsecs=30
readiness_check=tcp://127.0.0.1:${tcpPort}
readiness_interval=0.1

[program:cmd]
command=sleep 1000
autostart=false
startsecs=30
readiness_check=command:/bin/sh -c 'test "$SUPERVISOR_PROCESS_NAME" = cmd && test -e {dir}/cmd-flag'
readiness_interval=0.1

[program:flaky]
command=${NODE} ${SERVER} ${failPort} 0 {dir}/flaky-flag
autostart=false
startsecs=0
readiness_check=http://127.0.0.1:${failPort}/
readiness_interval=0.1
readiness_failures=2

[program:restarter]
command=${NODE} ${SERVER} ${restartPort} 0 {dir}/restart-flag
autostart=false
startsecs=0
readiness_check=http://127.0.0.1:${restartPort}/
readiness_interval=0.1
readiness_failures=1
readiness_on_failure=fail

[program:never]
command=sleep 1000
autostart=false
startsecs=30
readiness_check=tcp://127.0.0.1:${badPort}
readiness_interval=0.1
readiness_startsecs=0.5

[program:gweb]
command=${NODE} ${SERVER} ${groupPort} 600
autostart=false
startsecs=30
readiness_check=http://127.0.0.1:${groupPort}/
readiness_interval=0.1

[group:gw]
programs=gweb

[program:plain]
command=sleep 1000
startsecs=0
${HAS_PY ? `
[eventlistener:rec]
command=/usr/bin/python3 ${join(REPO, "test/fixtures/listeners/record.py")} {dir}/events.jsonl
events=EVENT
` : ""}`;

const d = new TestDaemon("ours", { programs: PROGRAMS });
t.teardown(async () => {
  await d.stop();
  d.cleanup();
});
await d.start();

const info = async (name: string) => (await d.rpc("supervisor.getProcessInfo", name)) as RpcStruct;
const ctlStatus = (): Promise<string> =>
  new Promise((resolve) => execFile(NODE, [OUR_CTL, "-s", `unix://${d.sock}`, "status"], (_e, stdout) => resolve(stdout)));
const line = (status: string, name: string) => status.split("\n").find((l) => l.startsWith(`${name} `)) ?? "";

t.test("HTTP check: the waiting start answers once ready, while still STARTING", async (t) => {
  const answer = await d.rpc("supervisor.startProcess", "web", true);
  t.equal(answer, true);
  const i = await info("web");
  t.equal(i.statename, "STARTING", "answered before startsecs (30 s) made it RUNNING");
  t.equal(i.readiness, "ready");
  const msgs = d.messages();
  const spawned = msgs.findIndex((m) => m.startsWith("INFO spawned: 'web'"));
  const ready = msgs.indexOf("INFO web is ready");
  t.ok(spawned >= 0 && ready > spawned, "spawned, then ready, in the main log");
  t.notOk(msgs.some((m) => m.startsWith("INFO success: web entered RUNNING")), "no RUNNING yet");
  t.equal(line(await ctlStatus(), "web").includes("(not ready)"), false, "ctl: nothing extra when ready");
});

t.test("a waiting group start answers once its checked process is ready", async (t) => {
  const results = (await d.rpc("supervisor.startProcessGroup", "gw", true)) as RpcStruct[];
  t.same(results, [{ name: "gweb", group: "gw", status: 80, description: "OK" }]);
  const i = await info("gw:gweb");
  t.equal(i.readiness, "ready");
  t.equal(i.statename, "STARTING");
});

t.test("TCP check", async (t) => {
  t.equal(await d.rpc("supervisor.startProcess", "tcp", true), true);
  const i = await info("tcp");
  t.equal(i.readiness, "ready");
  t.equal(i.statename, "STARTING");
});

t.test("command check: pending until it passes; ctl shows (not ready) meanwhile", async (t) => {
  t.equal(await d.rpc("supervisor.startProcess", "cmd", false), true);
  t.equal((await info("cmd")).readiness, "pending");
  t.match(line(await ctlStatus(), "cmd"), /^cmd\s+STARTING\s+ \(not ready\)$/);
  const waiting = d.rpc("supervisor.startProcess", "cmd", true).catch((e: RpcError) => e);
  t.match(await waiting, { faultCode: 60 }, "ALREADY_STARTED while STARTING, as supervisord");
  writeFileSync(join(d.dir, "cmd-flag"), "");
  await d.waitForLog("INFO cmd is ready");
  t.equal((await info("cmd")).readiness, "ready");
});

t.test("a check failing after ready: unready in the main log and the info; a pass makes it ready again", async (t) => {
  t.equal(await d.rpc("supervisor.startProcess", "flaky", true), true);
  const before = await info("flaky");
  t.equal(before.readiness, "ready");
  writeFileSync(join(d.dir, "flaky-flag"), "");
  await d.waitForLog("INFO flaky is not ready (HTTP 503)");
  const after = await info("flaky");
  t.equal(after.readiness, "unready");
  t.equal(after.statename, "RUNNING", "Supervisor's state is untouched");
  t.equal(after.pid, before.pid, "report: not restarted");
  t.match(line(await ctlStatus(), "flaky"), /^flaky\s+RUNNING\s+pid \d+, uptime [\d:]+ \(not ready\)$/);
  rmSync(join(d.dir, "flaky-flag"));
  await d.waitForLog("INFO flaky is ready", 20_000, 2);
  t.equal((await info("flaky")).readiness, "ready");
});

t.test("readiness_on_failure=fail without Supvisors: restarted in place, ready again", async (t) => {
  t.equal(await d.rpc("supervisor.startProcess", "restarter", true), true);
  const first = (await info("restarter")).pid as number;
  writeFileSync(join(d.dir, "restart-flag"), "");
  await d.waitForLog("INFO restarter restarting: not ready (HTTP 503)");
  rmSync(join(d.dir, "restart-flag"));
  await d.waitForLog("INFO restarter is ready", 20_000, 2);
  const i = await info("restarter");
  t.not(i.pid, first, "a new pid");
  t.equal(i.readiness, "ready");
  const msgs = d.messages().filter((m) => m.includes("restarter"));
  const order = ["INFO restarter is not ready (HTTP 503)", "INFO restarter restarting: not ready (HTTP 503)"];
  t.same(msgs.filter((m) => order.includes(m)), order, "not ready, then restarting");
  t.ok(msgs.some((m) => m.startsWith("INFO stopped: restarter")), "stopped first");
  t.equal(msgs.filter((m) => m.startsWith("INFO spawned: 'restarter'")).length, 2, "then spawned again");
});

t.test("readiness_startsecs exceeded: the waiting start answers ABNORMAL_TERMINATION", async (t) => {
  const err = await d.rpc("supervisor.startProcess", "never", true).then(
    () => null,
    (e: RpcError) => e,
  );
  t.ok(err instanceof RpcError);
  t.equal(err?.faultCode, 40);
  t.equal(err?.faultString, "ABNORMAL_TERMINATION: never");
  const i = await info("never");
  t.equal(i.readiness, "unready");
  t.equal(i.statename, "STARTING", "the process itself goes on");
  t.ok(d.messages().includes("INFO never is not ready (no pass within 0.5 s)"));
});

t.test("stopping: readiness off; plain programs have no readiness key at all", async (t) => {
  await d.rpc("supervisor.stopProcess", "tcp", true);
  t.equal((await info("tcp")).readiness, "off");
  const all = (await d.rpc("supervisor.getAllProcessInfo")) as RpcStruct[];
  const plain = all.find((p) => p.name === "plain")!;
  t.notOk("readiness" in plain, "getAllProcessInfo: no readiness for a plain program");
  t.notOk("readiness" in (await info("plain")));
  t.ok(all.filter((p) => p.name !== "plain" && p.name !== "rec").every((p) => typeof p.readiness === "string"), "every checked program has it");
  if (HAS_PY) t.notOk("readiness" in all.find((p) => p.name === "rec")!, "an event listener never has it");
  t.match(line(await ctlStatus(), "plain"), /^plain\s+RUNNING\s+pid \d+, uptime [\d:]+$/);
  t.match(line(await ctlStatus(), "tcp"), /^tcp\s+STOPPED\s+\w{3} \d\d \d\d:\d\d (AM|PM)$/);
});

t.test("event listeners never receive READINESS and it takes no event serial", { skip: !HAS_PY && "no python3 with supervisor" }, async (t) => {
  const file = join(d.dir, "events.jsonl");
  const events = () =>
    existsSync(file)
      ? readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { headers: Record<string, string> })
      : [];
  // The stop of `tcp` in the previous test is the last process event the listener must have seen.
  await waitFor(() => events().some((e) => e.headers.eventname === "PROCESS_STATE_STOPPED"), 20_000, "the listener saw tcp's STOPPED");
  const got = events();
  t.notOk(got.some((e) => /READINESS/.test(e.headers.eventname ?? "")), "no READINESS event delivered");
  const serials = got.map((e) => Number(e.headers.serial));
  t.same(serials, serials.map((_, i) => serials[0]! + i), "serials without gaps: READINESS took none");
});

t.test("an unparsable readiness_check is a config error naming file:line", async (t) => {
  const bad = new TestDaemon("ours", { programs: "[program:x]\ncommand=sleep 1\nreadiness_check=smtp://x:25\n" });
  t.teardown(() => bad.cleanup());
  const r = spawnSync(NODE, [join(REPO, "dist/bin/supervisord.mjs"), "-c", bad.conf], { encoding: "utf8", timeout: 20_000 });
  t.equal(r.status, 2);
  t.match(r.stderr, /Error: invalid readiness_check value 'smtp:\/\/x:25': expected http/);
  const lineNo = readFileSync(bad.conf, "utf8").split("\n").indexOf("readiness_check=smtp://x:25") + 1;
  t.match(r.stderr, new RegExp(`supervisord\\.conf:${lineNo}, section \\[program:x\\], option 'readiness_check'`));
});
