/**
 * Split brain: instances in network namespaces (made here, as root), cut apart with blackhole
 * routes. The side without a majority elects no Master and acts on nothing, its processes keep
 * running; the majority keeps (or elects) exactly one Master; after the heal there is one Master
 * and the same view everywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { instanceStates, poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { canMakeNamespaces, NetLab } from "../helpers/netns.js";

const can = canMakeNamespaces();
if (!can.ok) {
  console.log(`# partition tests skipped: ${can.reason}`);
  t.pass(`skipped: ${can.reason}`);
} else {
  t.test("network partitions: no split brain", async (t) => {
    const lab = new NetLab(3);
    t.teardown(() => lab.teardown());
    const dir = mkdtempSync(join(tmpdir(), "sv-part-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // ha:svc is managed: started by the Master on a2, moved by RESTART_PROCESS when a2 is cut off.
    writeFileSync(
      join(dir, "rules.xml"),
      `<root><application name="ha"><start_sequence>1</start_sequence><running_failure_strategy>RESTART_PROCESS</running_failure_strategy>` +
        `<programs><program name="svc"><identifiers>a2,a1,a0</identifiers><start_sequence>1</start_sequence></program></programs></application></root>`,
    );
    const cluster = await TestCluster.create({
      size: 3,
      host: (i) => lab.addresses[i]!,
      wrapper: (i) => lab.wrapper(i),
      supvisors: `rules_files = ${dir}/rules.xml\nconciliation_strategy = SENICIDE`,
      programs: [
        "[program:keeper]", "command = sleep 3600", "startsecs = 0", "stopsignal = KILL", "",
        "[group:ha]", "programs = svc", "[program:svc]", "command = sleep 3600", "startsecs = 0", "autostart = false", "stopsignal = KILL", "",
      ].join("\n"),
    });
    t.teardown(() => cluster.teardown());
    const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    const masterOf = async (i: ClusterInstance) => (await stateOf(i)).master_identifier;
    const operating = async (i: ClusterInstance, master: string) => {
      const s = await stateOf(i);
      return s.fsm_statename === "OPERATION" && s.master_identifier === master;
    };
    const allRunning = async (i: ClusterInstance) => Object.values(await instanceStates(i)).every((s) => s === "RUNNING");
    const keeperRunning = async (i: ClusterInstance) => ((await i.rpc("supervisor.getProcessInfo", "keeper")) as { statename: string }).statename === "RUNNING";

    await cluster.waitAll((i) => operating(i, a0.identifier), "formation with a0 as Master", 30_000);
    const svcOn = async (i: ClusterInstance) => ((await i.rpc("supvisors.get_process_info", "ha:svc")) as { statename: string; identifiers: string[] }[])[0]!;
    await poll(async () => ((await svcOn(a0)).identifiers[0] === a2.identifier ? true : undefined), 10_000, "ha:svc started on a2");

    await t.test("a partition heals with a program running on both sides: conciliated, it runs once", async (t) => {
      lab.cut(2);
      await poll(async () => {
        const svc = await svcOn(a0);
        return svc.statename === "RUNNING" && svc.identifiers.length === 1 && svc.identifiers[0] === a1.identifier ? true : undefined;
      }, 15_000, "the majority restarted ha:svc on a1");
      t.ok(((await a2.rpc("supervisor.getProcessInfo", "ha:svc")) as { statename: string }).statename === "RUNNING", "and the cut-off side still runs its own");
      lab.heal(2);
      await cluster.waitAll(allRunning, "all RUNNING after the heal", 20_000);
      await cluster.waitAll(async (i) => {
        const svc = await svcOn(i);
        return (await operating(i, a0.identifier)) && svc.identifiers.length === 1;
      }, "conciliated: ha:svc on one instance, OPERATION everywhere", 20_000);
      t.same((await svcOn(a2)).identifiers, [a1.identifier], "SENICIDE kept the younger one, on a1");
      for (const i of cluster.instances) t.same(await i.rpc("supvisors.get_conflicts"), [], `no conflict left on ${i.spec.nick}`);
      t.match(a0.logText(), /conciliation SENICIDE of ha:svc/);
    });

    await t.test("a minority (one instance) cut off: no Master there, the majority keeps a0", async (t) => {
      lab.cut(2);
      await poll(async () => ((await instanceStates(a0))[a2.identifier] === "STOPPED" ? true : undefined), 10_000, "a0 lost a2");
      await poll(async () => ((await masterOf(a2)) === "" ? true : undefined), 10_000, "a2 without Master");
      const s2 = await stateOf(a2);
      t.not(s2.fsm_statename, "OPERATION", `the minority does not operate (${s2.fsm_statename})`);
      t.match(await a2.rpc("supvisors.get_all_applications_info").catch((e) => e), { faultCode: 101 }, "and refuses what needs a working state");
      t.ok(await keeperRunning(a2), "its processes keep running");
      t.ok(await operating(a0, a0.identifier), "a0 still operating as Master");
      t.ok(await operating(a1, a0.identifier), "a1 still follows a0");
      lab.heal(2);
      await cluster.waitAll(allRunning, "all RUNNING after the heal", 20_000);
      await cluster.waitAll((i) => operating(i, a0.identifier), "one Master (a0) everywhere", 20_000);
    });

    await t.test("the Master cut off: it steps down, the majority elects a1, one Master after the heal", async (t) => {
      lab.cut(0);
      await cluster.waitAll((i) => operating(i, a1.identifier), "a1 Master of a1 and a2", 15_000, [a1, a2]);
      await poll(async () => ((await masterOf(a0)) === "" ? true : undefined), 10_000, "a0 without Master");
      t.ok(await keeperRunning(a0), "a0's processes keep running");
      lab.heal(0);
      await cluster.waitAll(allRunning, "all RUNNING after the heal", 20_000);
      await poll(async () => {
        const masters = await Promise.all(cluster.instances.map(masterOf));
        return new Set(masters).size === 1 && masters[0] !== "" ? masters : undefined;
      }, 20_000, "one Master everywhere");
      t.pass("one Master after the heal");
    });
  });
}
