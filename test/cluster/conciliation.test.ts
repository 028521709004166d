/**
 * Conflicts (a managed program running on several instances) and their conciliation over a real
 * cluster of 3 instances: the Master enters CONCILIATION, `supvisors.conciliate` applies each
 * strategy from any instance, and a conciliation_strategy other than USER is applied by the Master
 * on its own. Conflicts are made the way users make them: supervisor.startProcess on two instances.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { faultOf, placement } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const RULES = `<?xml version="1.0"?>
<root>
  <application name="dup">
    <starting_strategy>CONFIG</starting_strategy>
    <programs>
      <program name="p"><identifiers>a2,a1,a0</identifiers></program>
      <program name="q"><identifiers>a2,a1,a0</identifiers><running_failure_strategy>RESTART_PROCESS</running_failure_strategy></program>
    </programs>
  </application>
</root>
`;

const PROGRAMS = ["[group:dup]\nprograms = p,q\n", ...["p", "q"].map((n) => `[program:${n}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 1\n`)].join("\n");
const TIMEOUT = 20_000;

async function inState(i: ClusterInstance, state: string): Promise<boolean> {
  return (await stateOf(i)).fsm_statename === state;
}

/** Runs `name` on `first`, then on `second` (so second's is the younger): a conflict. */
async function conflict(name: string, first: ClusterInstance, second: ClusterInstance): Promise<void> {
  await first.slowRpc(10_000, "supervisor.startProcess", `dup:${name}`, true);
  await second.slowRpc(10_000, "supervisor.startProcess", `dup:${name}`, true);
  await poll(async () => ((await placement(first, "dup"))[name]![1].length === 2 ? true : undefined), TIMEOUT, `${name} running twice`);
}

async function cluster(t: Test, strategy: string): Promise<ClusterInstance[]> {
  const dir = mkdtempSync(join(tmpdir(), "sv-concil-"));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const c = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\nconciliation_strategy = ${strategy}`, programs: PROGRAMS });
  t.teardown(async () => {
    await c.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  await c.waitAll((i) => inState(i, "OPERATION"), "OPERATION everywhere", TIMEOUT);
  return c.instances;
}

t.test("conciliation on demand (conciliation_strategy = USER)", async (t) => {
  const [a0, a1, a2] = (await cluster(t, "USER")) as [ClusterInstance, ClusterInstance, ClusterInstance];
  const back = () => poll(async () => ((await Promise.all([a0, a1, a2].map((i) => inState(i, "OPERATION")))).every(Boolean) ? true : undefined), TIMEOUT, "OPERATION again");

  await t.test("a conflict takes the cluster to CONCILIATION, where it stays with USER", async (t) => {
    await conflict("p", a0, a1);
    await poll(async () => ((await Promise.all([a0, a1, a2].map((i) => inState(i, "CONCILIATION")))).every(Boolean) ? true : undefined), TIMEOUT, "CONCILIATION everywhere");
    const conflicts = (await a2.rpc("supvisors.get_conflicts")) as { process_name: string; identifiers: string[] }[];
    t.same(conflicts.map((c) => [c.process_name, c.identifiers]), [["p", [a0.identifier, a1.identifier]]]);
    t.equal(await a2.rpc("supvisors.conciliate", "USER"), false, "USER does nothing");
    t.equal((await a2.rpc("supvisors.get_conflicts") as unknown[]).length, 1);
    t.same((await faultOf(a2.rpc("supvisors.conciliate", "NOPE")))[0], 2);
    t.same(await faultOf(a2.rpc("supvisors.start_application", "CONFIG", "dup")), [101, "BAD_SUPVISORS_STATE: invalid Supvisors state=CONCILIATION - state expected in ['OPERATION']"]);
  });

  await t.test("SENICIDE keeps the youngest", async (t) => {
    t.equal(await a2.rpc("supvisors.conciliate", "SENICIDE"), true);
    await back();
    t.same((await placement(a0, "dup")).p, ["RUNNING", [a1.identifier]]);
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p");
  });

  await t.test("INFANTICIDE keeps the oldest", async (t) => {
    await conflict("p", a2, a0);
    await poll(async () => ((await inState(a1, "CONCILIATION")) ? true : undefined), TIMEOUT, "CONCILIATION");
    t.equal(await a1.rpc("supvisors.conciliate", 1), true);
    await back();
    t.same((await placement(a0, "dup")).p, ["RUNNING", [a2.identifier]]);
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p");
  });

  await t.test("STOP stops it everywhere", async (t) => {
    await conflict("p", a1, a2);
    await poll(async () => ((await inState(a0, "CONCILIATION")) ? true : undefined), TIMEOUT, "CONCILIATION");
    t.equal(await a0.rpc("supvisors.conciliate", "STOP"), true);
    await back();
    t.same((await placement(a0, "dup")).p, ["STOPPED", []]);
  });

  await t.test("RESTART stops it everywhere, then starts it once by the application's strategy", async (t) => {
    await conflict("p", a0, a1);
    await poll(async () => ((await inState(a0, "CONCILIATION")) ? true : undefined), TIMEOUT, "CONCILIATION");
    t.equal(await a0.rpc("supvisors.conciliate", "RESTART"), true);
    await poll(async () => ((await placement(a0, "dup")).p![0] === "RUNNING" && (await inState(a0, "OPERATION")) ? true : undefined), TIMEOUT, "p restarted once");
    t.same((await placement(a1, "dup")).p, ["RUNNING", [a2.identifier]], "CONFIG: the first of its identifiers");
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p");
  });

  await t.test("RUNNING_FAILURE stops it everywhere, then applies its running failure strategy (RESTART_PROCESS)", async (t) => {
    await conflict("q", a0, a1);
    await poll(async () => ((await inState(a0, "CONCILIATION")) ? true : undefined), TIMEOUT, "CONCILIATION");
    t.equal(await a1.rpc("supvisors.conciliate", "RUNNING_FAILURE"), true);
    await poll(async () => ((await placement(a0, "dup")).q![0] === "RUNNING" && (await inState(a0, "OPERATION")) ? true : undefined), TIMEOUT, "q restarted once");
    // a2's own view catches up with the Master's through its own events: wait for it, then check
    // that q runs once, where RESTART_PROCESS put it.
    await poll(async () => ((await placement(a2, "dup")).q![0] === "RUNNING" ? true : undefined), TIMEOUT, "q RUNNING on a2's view");
    t.same((await placement(a2, "dup")).q, ["RUNNING", [a2.identifier]]);
    t.same((await placement(a0, "dup")).q, ["RUNNING", [a2.identifier]]);
  });
});

t.test("conciliation by the Master on its own (conciliation_strategy = INFANTICIDE)", async (t) => {
  const [a0, a1, a2] = (await cluster(t, "INFANTICIDE")) as [ClusterInstance, ClusterInstance, ClusterInstance];
  await a1.slowRpc(10_000, "supervisor.startProcess", "dup:p", true);
  // No wait: the Master conciliates as soon as the second one is STARTING (a conflict already).
  await a2.rpc("supervisor.startProcess", "dup:p", false);
  await poll(async () => (a0.logText().includes("conciliation INFANTICIDE of dup:p") ? true : undefined), TIMEOUT, "conciliation applied");
  await poll(async () => ((await placement(a0, "dup")).p![1].length === 1 && (await inState(a0, "OPERATION")) ? true : undefined), TIMEOUT, "conflict resolved");
  t.same((await placement(a0, "dup")).p, ["RUNNING", [a1.identifier]], "the oldest kept");
  t.match(a0.logText(), /FiniteStateMachine: Supvisors in CONCILIATION/);
  t.same(await a2.rpc("supvisors.get_conflicts"), []);
});
