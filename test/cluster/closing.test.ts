/**
 * The cluster-wide orders over 3 real instances: DISTRIBUTION's automatic start by
 * start_sequence, restart_sequence (repairs an application with a failure), and supvisors.restart
 * / supvisors.shutdown, which stop every application by the global stop sequence (greatest
 * stop_sequence first) before every supervisord restarts / exits.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { faultOf, placement, recordOf } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const RULES = `<?xml version="1.0"?>
<root>
  <application name="base"><start_sequence>1</start_sequence><stop_sequence>1</stop_sequence>
    <programs><program name="store"><identifiers>a1</identifiers><start_sequence>1</start_sequence></program></programs></application>
  <application name="top"><start_sequence>2</start_sequence><stop_sequence>2</stop_sequence>
    <programs><program name="ui"><identifiers>a2</identifiers><start_sequence>1</start_sequence></program></programs></application>
  <application name="fatal"><running_failure_strategy>RESTART</running_failure_strategy>
    <programs><program name="crasher"><identifiers>a2</identifiers></program></programs></application>
  <application name="manual">
    <programs><program name="m"><start_sequence>1</start_sequence></program></programs></application>
</root>
`;
const prog = (n: string) => `[program:${n}]\ncommand = /bin/sleep 300\nautostart = false\nautorestart = false\nstartsecs = 1\n`;
const PROGRAMS = ["[group:base]\nprograms = store\n", prog("store"), "[group:top]\nprograms = ui\n", prog("ui"), "[group:manual]\nprograms = m\n", prog("m"), "[group:fatal]\nprograms = crasher\n", prog("crasher")].join("\n");
const TIMEOUT = 30_000;

t.test("cluster-wide orders", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-closing-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml`, programs: PROGRAMS });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const operating = () => cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", TIMEOUT);

  await t.test("DISTRIBUTION starts the applications by start_sequence; rank 0 ones are left alone", async (t) => {
    await operating();
    t.same((await placement(a0, "base")).store, ["RUNNING", [a1.identifier]]);
    t.same((await placement(a0, "top")).ui, ["RUNNING", [a2.identifier]]);
    t.same((await placement(a0, "manual")).m, ["STOPPED", []]);
    const store = await recordOf(a0, a1, "base:store");
    const ui = await recordOf(a0, a2, "top:ui");
    t.ok(ui.start_monotonic >= store.start_monotonic + 1, "top (rank 2) after base (rank 1) was RUNNING");
  });

  await t.test("restart_sequence: nothing to repair, then an application with a failure is started again", async (t) => {
    t.same(await faultOf(a1.rpc("supvisors.restart_sequence")), [40, "ABNORMAL_TERMINATION: failed to trigger start sequence"]);
    process.kill((await recordOf(a0, a1, "base:store")).pid, "SIGKILL");
    await poll(async () => ((await placement(a0, "base")).store![0] === "EXITED" ? true : undefined), TIMEOUT, "store crashed");
    t.equal(((await a0.rpc("supvisors.get_application_info", "base")) as { minor_failure: boolean }).minor_failure, true);
    t.equal(await a2.slowRpc(TIMEOUT, "supvisors.restart_sequence", true), true);
    t.same((await placement(a0, "base")).store, ["RUNNING", [a1.identifier]], "repaired where its rules place it");
  });

  await t.test("restart: the global stop sequence, then every supervisord restarts and the cluster forms again", async (t) => {
    const boots = cluster.instances.map((i) => i.logText().split("\n").filter((l) => l.includes("FiniteStateMachine: Supvisors in SYNCHRONIZATION")).length);
    t.equal(await a2.rpc("supvisors.restart"), true, "asked of a non-Master: forwarded to the Master");
    await poll(async () => (cluster.instances.every((i, n) => i.logText().split("\n").filter((l) => l.includes("FiniteStateMachine: Supvisors in SYNCHRONIZATION")).length > boots[n]!) ? true : undefined), TIMEOUT, "every instance restarted");
    t.match(a0.logText(), /Supvisors in RESTARTING/);
    await operating();
    t.same((await placement(a0, "top")).ui, ["RUNNING", [a2.identifier]], "started again by the new DISTRIBUTION");
  });

  await t.test("running failure strategy RESTART: a crash restarts the whole cluster", async (t) => {
    const boots = cluster.instances.map((i) => i.logText().split("FiniteStateMachine: Supvisors in SYNCHRONIZATION").length);
    t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_process", "CONFIG", "fatal:crasher"), true);
    process.kill((await recordOf(a0, a2, "fatal:crasher")).pid, "SIGKILL");
    await poll(async () => (cluster.instances.every((i, n) => i.logText().split("FiniteStateMachine: Supvisors in SYNCHRONIZATION").length > boots[n]!) ? true : undefined), TIMEOUT, "every instance restarted");
    t.match(a0.logText(), /Supvisors restart \(running failure strategy RESTART of fatal:crasher\)/);
    await operating();
  });

  await t.test("shutdown: top (stop_sequence 2) stopped before base (1), then every supervisord exits", async (t) => {
    t.equal(await a0.rpc("supvisors.shutdown"), true);
    const codes = await Promise.all(cluster.instances.map((i) => i.waitExit(TIMEOUT)));
    t.same(codes, [0, 0, 0], "every daemon exited");
    const stopLine = (i: ClusterInstance, name: string) => [...i.logText().split("\n")].reverse().find((l) => l.includes(`stopped: ${name} (`)) ?? ""; // the restart stopped them once already
    const stamp = (line: string) => line.slice(0, 23);
    const ui = stopLine(a2, "ui");
    const store = stopLine(a1, "store");
    t.ok(ui && store, "both stopped by their supervisord");
    t.ok(stamp(ui) <= stamp(store), `ui stopped first: ${stamp(ui)} then ${stamp(store)}`);
    t.match(a0.logText(), /Supvisors in SHUTTING_DOWN/);
  });
});
