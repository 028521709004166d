/**
 * A real cluster of 3 instances of our supervisord on loopback: formation, a SIGKILLed and a
 * SIGSTOPped instance lost and rejoining, a Master kill leading to a new Master.
 */
import t from "tap";
import { instanceStates, poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const OPERATION_TIMEOUT = 20_000;

async function inOperation(i: ClusterInstance, master: string): Promise<boolean> {
  const s = await stateOf(i);
  return s.fsm_statename === "OPERATION" && s.master_identifier === master;
}

async function sees(i: ClusterInstance, id: string, state: string): Promise<boolean> {
  return (await instanceStates(i))[id] === state;
}

/** The FAILED then STOPPED transitions of `lost` in an observer's log, after `from` characters. */
function lossLogged(observer: ClusterInstance, lost: ClusterInstance, from: number): boolean {
  const text = observer.logText().slice(from);
  const failed = text.indexOf(`Supvisors=${lost.spec.nick} (${lost.identifier}) RUNNING -> FAILED`);
  const stopped = text.indexOf(`Supvisors=${lost.spec.nick} (${lost.identifier}) FAILED -> STOPPED`);
  return failed >= 0 && stopped > failed;
}

t.test("three instances form a cluster, lose members and take them back", async (t) => {
  const cluster = await TestCluster.create({ size: 3 });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];

  await t.test("formation: OPERATION everywhere, the same Master (smallest nick), 3 RUNNING instances", async (t) => {
    await cluster.waitAll((i) => inOperation(i, a0.identifier), "OPERATION with a0 as Master", OPERATION_TIMEOUT);
    for (const i of cluster.instances) {
      const states = await instanceStates(i);
      t.same(states, { [a0.identifier]: "RUNNING", [a1.identifier]: "RUNNING", [a2.identifier]: "RUNNING" }, `${i.spec.nick} sees all RUNNING`);
      t.same(await i.rpc("supvisors.get_master_identifier"), { identifier: a0.identifier, nick_identifier: "a0" });
    }
    // supervisor.* still works unchanged beside supvisors.*
    t.equal(((await a1.rpc("supervisor.getState")) as { statename: string }).statename, "RUNNING");
  });

  await t.test("SIGKILL: FAILED then STOPPED on the others, RUNNING again once restarted", async (t) => {
    const marks = [a0.logText().length, a1.logText().length];
    a2.signal("SIGKILL");
    await a2.waitExit();
    await poll(() => (lossLogged(a0, a2, marks[0]!) && lossLogged(a1, a2, marks[1]!) ? true : undefined), 10_000, "a2 lost on a0 and a1");
    t.ok(await sees(a0, a2.identifier, "STOPPED"));
    t.ok(await inOperation(a0, a0.identifier), "the majority keeps working");
    await a2.start();
    await cluster.waitAll((i) => sees(i, a2.identifier, "RUNNING"), "a2 RUNNING everywhere", OPERATION_TIMEOUT);
    await cluster.waitAll((i) => inOperation(i, a0.identifier), "OPERATION again", OPERATION_TIMEOUT);
  });

  await t.test("SIGSTOP: FAILED then STOPPED on the others, RUNNING again once continued", async (t) => {
    const marks = [a0.logText().length, a1.logText().length];
    a1.signal("SIGSTOP");
    try {
      await poll(() => (lossLogged(a0, a1, marks[0]!) && lossLogged(a2, a1, 0) ? true : undefined), 10_000, "a1 lost on a0 and a2");
    } finally {
      a1.signal("SIGCONT");
    }
    await cluster.waitAll((i) => sees(i, a1.identifier, "RUNNING"), "a1 RUNNING everywhere", OPERATION_TIMEOUT);
    await cluster.waitAll((i) => inOperation(i, a0.identifier), "OPERATION again", OPERATION_TIMEOUT);
    t.pass("a1 rejoined");
  });

  await t.test("Master kill: the others elect a new Master (a1) and keep operating", async (t) => {
    a0.signal("SIGKILL");
    await a0.waitExit();
    await cluster.waitAll((i) => inOperation(i, a1.identifier), "a1 Master of a1 and a2", OPERATION_TIMEOUT, [a1, a2]);
    t.same(await a2.rpc("supvisors.get_master_identifier"), { identifier: a1.identifier, nick_identifier: "a1" });
    await a0.start();
    await cluster.waitAll((i) => sees(i, a0.identifier, "RUNNING"), "a0 RUNNING everywhere", OPERATION_TIMEOUT);
    // a0 sees itself RUNNING before it has heard who the Master is: wait for its OPERATION, with
    // the Master already in place (a rejoining former Master does not take the role back).
    await cluster.waitAll((i) => inOperation(i, a1.identifier), "a1 Master everywhere", OPERATION_TIMEOUT);
    const masters = await Promise.all(cluster.instances.map(async (i) => (await stateOf(i)).master_identifier));
    t.equal(new Set(masters).size, 1, `one Master everywhere after the rejoin: ${masters.join(", ")}`);
  });
});
