/**
 * A busy machine is not a dead peer: with both cores saturated by other processes, and while one
 * instance starts 1000 programs at once, no instance of a 3-instance cluster declares another lost.
 */
import { spawn, type ChildProcess } from "node:child_process";
import t from "tap";
import { instanceStates, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const BURN_MS = 30_000;

function lossesIn(i: ClusterInstance, from: number): string[] {
  return i
    .logText()
    .slice(from)
    .split("\n")
    .filter((l) => / -> FAILED /.test(l));
}

t.test("no false loss on a saturated machine, nor during a start of 1000 programs", async (t) => {
  const cluster = await TestCluster.create({
    size: 3,
    programs: (i) => (i === 0 ? ["[program:many]", "command = sleep 3600", "numprocs = 1000", "process_name = %(program_name)s_%(process_num)03d", "autostart = false", "startsecs = 0", "stopsignal = KILL", ""].join("\n") : ""),
  });
  t.teardown(() => cluster.teardown());
  const [a0] = cluster.instances as [ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", 30_000);
  const marks = cluster.instances.map((i) => i.logText().length);

  await t.test("both cores saturated", async (t) => {
    const burners: ChildProcess[] = [];
    t.teardown(() => burners.forEach((b) => b.kill("SIGKILL")));
    for (let k = 0; k < 2; k++) burners.push(spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    // Keep asking the cluster while it is busy: every answer must show everything RUNNING.
    const end = Date.now() + BURN_MS;
    while (Date.now() < end) {
      for (const i of cluster.instances) {
        const states = Object.values(await instanceStates(i));
        t.ok(states.every((s) => s === "RUNNING"), `${i.spec.nick}: ${states.join(",")}`, { diagnostic: false });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    burners.forEach((b) => b.kill("SIGKILL"));
    for (const [k, i] of cluster.instances.entries()) t.same(lossesIn(i, marks[k]!), [], `${i.spec.nick} logged no loss`);
  });

  await t.test("1000 programs started at once on one instance", async (t) => {
    const from = cluster.instances.map((i) => i.logText().length);
    await a0.slowRpc(180_000, "supervisor.startAllProcesses", true);
    const infos = (await a0.rpc("supervisor.getAllProcessInfo")) as { statename: string }[];
    t.equal(infos.filter((p) => p.statename === "RUNNING").length, 1000, "1000 RUNNING");
    for (const [k, i] of cluster.instances.entries()) t.same(lossesIn(i, from[k]!), [], `${i.spec.nick} logged no loss`);
    for (const i of cluster.instances) t.ok(Object.values(await instanceStates(i)).every((s) => s === "RUNNING"), `${i.spec.nick} sees all RUNNING`);
    await a0.slowRpc(180_000, "supervisor.stopAllProcesses", true);
  });
});
