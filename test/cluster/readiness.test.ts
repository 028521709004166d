/**
 * Readiness in the Supvisors layer (ours) over a real cluster of 3 instances of our binary: an
 * application of 2 ranks whose rank-1 program is an HTTP server with a readiness check (503 for a
 * while, then 200) and a startsecs longer than that delay: rank 2 starts once rank 1 is ready,
 * before rank 1 is RUNNING. A check that starts failing shows in the event interface and in
 * get_all_process_info; with readiness_on_failure = fail and RESTART_PROCESS the process moves to
 * another instance.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { EventLog } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO } from "../helpers/daemon.js";

const FIXTURE = join(REPO, "test/fixtures/ready-server-cluster.mjs");
const TIMEOUT = 60_000;

const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <programs>
      <program name="api"><identifiers>a0</identifiers><start_sequence>1</start_sequence></program>
      <program name="front"><identifiers>a0</identifiers><start_sequence>2</start_sequence></program>
    </programs>
  </application>
  <application name="mover">
    <starting_strategy>CONFIG</starting_strategy>
    <programs>
      <program name="mv"><identifiers>a0,a1</identifiers><start_sequence>1</start_sequence><running_failure_strategy>RESTART_PROCESS</running_failure_strategy></program>
    </programs>
  </application>
</root>
`;


interface ProcessView {
  application_name: string;
  process_name: string;
  statename: string;
  identifiers: string[];
  readiness?: Record<string, string>;
}

t.test("readiness across the cluster", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-ready-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const apiPort = await freePort();
  let mvPort = await freePort();
  while (mvPort === apiPort) mvPort = await freePort();
  const programs = [
    "[group:web]\nprograms = api,front\n",
    "[program:api]",
    // 503 for 0.5 s, while startsecs is 5 s: ready long before RUNNING.
    `command = ${process.execPath} ${FIXTURE} ${apiPort} 500 {dir}/api-fail`,
    "autostart = false",
    "startsecs = 5",
    "stopwaitsecs = 5",
    `readiness_check = http://127.0.0.1:${apiPort}/health`,
    "readiness_interval = 0.1",
    "readiness_timeout = 2",
    "readiness_failures = 2",
    "",
    "[program:front]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n",
    "[group:mover]\nprograms = mv\n",
    "[program:mv]",
    `command = ${process.execPath} ${FIXTURE} ${mvPort} 100 {dir}/mv-fail`,
    "autostart = false",
    "startsecs = 0",
    "stopwaitsecs = 5",
    `readiness_check = http://127.0.0.1:${mvPort}/`,
    "readiness_interval = 0.1",
    "readiness_timeout = 2",
    "readiness_failures = 2",
    "readiness_on_failure = fail",
    "",
  ].join("\n");
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\nevent_link = ZMQ`, programs });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", 30_000);
  // a0 publishes its own processes' events in their order.
  const events = await EventLog.open("127.0.0.1", a0.spec.port + 1);
  t.teardown(() => events.close());
  await events.ready();
  const view = async (i: ClusterInstance, ns: string) => ((await i.rpc("supvisors.get_all_process_info")) as unknown as ProcessView[]).find((p) => `${p.application_name}:${p.process_name}` === ns)!;
  const rawEvents = (from: number, name: string) => events.events.slice(from).filter(([h, b]) => h === "event" && b.name === name).map(([, b]) => b);

  await t.test("rank 2 starts once rank 1 is ready, before its startsecs elapse", async (t) => {
    const mark = events.events.length;
    t.same((await view(a1, "web:api")).readiness, { [a0.identifier]: "off", [a1.identifier]: "off", [a2.identifier]: "off" }, "configured, not running: off everywhere");
    t.notOk("readiness" in (await view(a1, "web:front")), "front has no check: Supvisors' payload unchanged");
    t.equal(await a1.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "web", true), true, "start_application answers once every rank is done (api ready, STARTING)");
    await poll(() => (rawEvents(mark, "api").some((b) => b.state === 20) ? true : undefined), TIMEOUT, "api RUNNING after its startsecs");
    const seq = events.events.slice(mark).filter(([h]) => h === "event").map(([, b]) => `${String(b.name)} ${b.readiness_only === true ? `ready:${String(b.readiness)}` : String(b.state)}`);
    const at = (s: string) => seq.indexOf(s);
    t.ok(at("api 10") >= 0, "api STARTING");
    t.ok(at("api ready:ready") > at("api 10"), "then api ready");
    t.ok(at("front 10") > at("api ready:ready"), "front STARTING after api is ready");
    t.ok(at("api 20") > at("front 10"), `and before api is RUNNING: ${seq.join(", ")}`);
    const running = rawEvents(mark, "api").find((b) => b.state === 20)!;
    t.equal(running.readiness, "ready", "the process events carry readiness");
    t.notOk("readiness" in rawEvents(mark, "front")[0]!, "not those of a program without a check");
    t.same((await view(a2, "web:api")).readiness, { [a0.identifier]: "ready", [a1.identifier]: "off", [a2.identifier]: "off" }, "get_all_process_info: per instance");
    const local = ((await a0.rpc("supvisors.get_local_process_info", "web:api")) as { readiness?: string }).readiness;
    t.equal(local, "ready", "get_local_process_info");
  });

  await t.test("a check that starts failing: the event, get_all_process_info; it recovers", async (t) => {
    const mark = events.events.length;
    writeFileSync(join(a0.dir, "api-fail"), "");
    await poll(async () => ((await view(a1, "web:api")).readiness?.[a0.identifier] === "unready" ? true : undefined), TIMEOUT, "api unready on a0, seen by a1");
    const change = rawEvents(mark, "api").find((b) => b.readiness_only === true && b.readiness === "unready");
    t.ok(change, "a readiness event in the event interface");
    t.match(change, { identifier: a0.identifier, group: "web", name: "api", state: 20, readiness_reason: /503/ });
    t.equal((await view(a1, "web:api")).statename, "RUNNING", "Supervisor's state is unchanged (readiness_on_failure = report)");
    unlinkSync(join(a0.dir, "api-fail"));
    await poll(async () => ((await view(a1, "web:api")).readiness?.[a0.identifier] === "ready" ? true : undefined), TIMEOUT, "api ready again");
  });

  await t.test("readiness_on_failure = fail with RESTART_PROCESS: the process moves to another instance", async (t) => {
    t.equal(await a2.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "mover", true), true);
    await poll(async () => {
      const v = await view(a2, "mover:mv");
      return v.identifiers.join() === a0.identifier && v.readiness?.[a0.identifier] === "ready" ? true : undefined;
    }, TIMEOUT, "mv ready on a0");
    writeFileSync(join(a0.dir, "mv-fail"), "");
    const moved = await poll(async () => {
      const v = await view(a2, "mover:mv");
      return v.identifiers.join() === a1.identifier && v.statename === "RUNNING" && v.readiness?.[a1.identifier] === "ready" ? v : undefined;
    }, TIMEOUT, "mv running and ready on a1");
    t.equal(moved.readiness?.[a0.identifier], "off", "stopped on a0");
    t.match(a0.logText(), new RegExp(`Commander: mover:mv not ready on ${a0.identifier.replaceAll(".", "\\.")} \\(.*503.*\\): running failure strategy RESTART_PROCESS`));
  });
});
