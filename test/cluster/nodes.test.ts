/**
 * Nodes: 4 instances of our binary as 2 machines of 2 instances each. Each instance runs in its
 * own mount namespace (made here, as root) where /etc/machine-id is another file, which is how an
 * instance tells its machine. Shows the per-node load rule, the *_NODE strategies against the
 * per-instance ones, and SINGLE_NODE distribution.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { placement } from "../helpers/apps.js";
import { stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

function canFakeMachines(): string | null {
  if ((process.getuid?.() ?? 1) !== 0) return "needs root (a mount namespace per instance)";
  try {
    execFileSync("unshare", ["-m", "--propagation", "private", "true"], { stdio: "ignore" });
  } catch (err) {
    return `unshare -m refused here: ${(err as Error).message.split("\n")[0]}`;
  }
  return null;
}

const RULES = `<?xml version="1.0"?>
<root>
  <application name="load">
    <programs>
      <program name="l50"><identifiers>a1</identifiers><expected_loading>50</expected_loading></program>
      <program name="l10"><identifiers>a2</identifiers><expected_loading>10</expected_loading></program>
      <program name="l30"><identifiers>a3</identifiers><expected_loading>30</expected_loading></program>
    </programs>
  </application>
  <application name="probe">
    <programs>
      <program pattern="p"><expected_loading>5</expected_loading></program>
      <program name="big"><identifiers>a1,a2</identifiers><expected_loading>55</expected_loading></program>
    </programs>
  </application>
  <application name="pair">
    <distribution>SINGLE_NODE</distribution>
    <programs><program pattern="q"><start_sequence>1</start_sequence><expected_loading>15</expected_loading></program></programs>
  </application>
</root>
`;
const prog = (n: string) => `[program:${n}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n`;
const PROGRAMS = [
  "[group:load]\nprograms = l50,l10,l30\n", ...["l50", "l10", "l30"].map(prog),
  "[group:probe]\nprograms = p1,p2,p3,p4,big\n", ...["p1", "p2", "p3", "p4", "big"].map(prog),
  "[group:pair]\nprograms = q1,q2\n", ...["q1", "q2"].map(prog),
].join("\n");

const skip = canFakeMachines();
if (skip) {
  console.log(`# node tests skipped: ${skip}`);
  t.pass(`skipped: ${skip}`);
} else {
  t.test("two machines of two instances each", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "sv-nodes-"));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "rules.xml"), RULES);
    writeFileSync(join(dir, "machine-1"), "11111111111111111111111111111111\n");
    writeFileSync(join(dir, "machine-2"), "22222222222222222222222222222222\n");
    const machineOf = (i: number) => join(dir, i < 2 ? "machine-1" : "machine-2");
    const cluster = await TestCluster.create({
      size: 4,
      supvisors: `rules_files = ${dir}/rules.xml`,
      programs: PROGRAMS,
      // A private mount namespace where /etc/machine-id is this instance's machine.
      wrapper: (i) => ["unshare", "-m", "--propagation", "private", "sh", "-c", `mount --bind ${machineOf(i)} /etc/machine-id && exec "$0" "$@"`],
    });
    t.teardown(() => cluster.teardown());
    const [a0, a1, a2, a3] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance, ClusterInstance];
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", 30_000);
    const net = (i: ClusterInstance) => a0.rpc("supvisors.get_network_info", i.identifier) as Promise<{ network?: { machine_id: string } }>;
    t.same(await Promise.all([a0, a1, a2, a3].map(async (i) => (await net(i)).network?.machine_id)), ["1".repeat(32), "1".repeat(32), "2".repeat(32), "2".repeat(32)], "two machines");

    // Loads: a0 0 and a1 50 (machine 1: 50), a2 10 and a3 30 (machine 2: 40).
    for (const p of ["l50", "l10", "l30"]) await a0.slowRpc(20_000, "supvisors.start_process", "CONFIG", `load:${p}`);
    const where = async (p: string) => (await placement(a0, "probe"))[p]![1];

    await t.test("LESS_LOADED takes the least loaded instance; LESS_LOADED_NODE the least loaded machine first", async (t) => {
      await a0.slowRpc(20_000, "supvisors.start_process", "LESS_LOADED", "probe:p1");
      t.same(await where("p1"), [a0.identifier], "a0 (0) although its machine carries 50");
      await a0.slowRpc(20_000, "supvisors.start_process", "LESS_LOADED_NODE", "probe:p2");
      t.same(await where("p2"), [a2.identifier], "machine 2 (40 < 55), then its least loaded: a2 (10)");
      await a0.slowRpc(20_000, "supvisors.start_process", "MOST_LOADED_NODE", "probe:p3");
      t.same(await where("p3"), [a1.identifier], "machine 1 (55 > 45), then its most loaded: a1 (50)");
    });

    await t.test("the load rule is per machine: 55 more fits a2 but not a1, whose machine has 60", async (t) => {
      // Machine 1 now: a0 5 (p1) + a1 55 (l50, p3) = 60; machine 2: a2 15 + a3 30 = 45.
      await a0.slowRpc(20_000, "supvisors.start_process", "CONFIG", "probe:big");
      t.same(await where("big"), [a2.identifier], "CONFIG would take a1 first: its machine is full");
    });

    await t.test("SINGLE_NODE: the whole application on instances of one machine", async (t) => {
      await a0.slowRpc(20_000, "supvisors.start_process", "CONFIG", "probe:p4");
      t.equal(await a1.slowRpc(20_000, "supvisors.start_application", "LESS_LOADED", "pair"), true);
      const p = await placement(a0, "pair");
      const machine = (id: string) => ([a0, a1].some((i) => i.identifier === id) ? 1 : 2);
      t.equal(machine(p.q1![1][0]!), machine(p.q2![1][0]!), `q1 and q2 on one machine: ${p.q1![1][0]}, ${p.q2![1][0]}`);
      t.equal(machine(p.q1![1][0]!), 1, "machine 1 (65) can take their 30, machine 2 (100) cannot");
    });
  });
}
