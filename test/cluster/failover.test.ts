/**
 * Running failure strategies over a real cluster of 3 instances of our binary (spec §6.7, §6.9,
 * §15 item 16): what the Master does with the processes lost with an instance (RESTART_PROCESS,
 * STOP_APPLICATION, RESTART_APPLICATION, CONTINUE), with the Master itself (the next Master
 * repairs the dead one's processes, past Supvisors 0.19), and with crashes reported by a live
 * instance (STOP_APPLICATION acts, RESTART_PROCESS leaves it to Supervisor's autorestart).
 * After every rejoin: no conflict, no process running twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { allProcesses, applicationState, conflicts, EventLog, placement, processes, recordOf } from "../helpers/apps.js";
import { instanceStates, poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const prog = (name: string, ids: string, rank = 1, extra = "") =>
  `<program name="${name}"><identifiers>${ids}</identifiers><start_sequence>${rank}</start_sequence>${extra}</program>`;
const app = (name: string, strategy: string, programs: string[]) =>
  `  <application name="${name}">
    <start_sequence>1</start_sequence>
    <starting_strategy>CONFIG</starting_strategy>
    <running_failure_strategy>${strategy}</running_failure_strategy>
    <programs>${programs.join("")}</programs>
  </application>`;

const RULES = `<?xml version="1.0"?>
<root>
${app("rp", "RESTART_PROCESS", [prog("rp_moving", "a2,a1,a0"), prog("rp_anchor", "a0", 1, "<running_failure_strategy>CONTINUE</running_failure_strategy>")])}
${app("sa", "STOP_APPLICATION", [prog("sa_lost", "a2"), prog("sa_other", "a1")])}
${app("ra", "RESTART_APPLICATION", [prog("ra_lost", "a2,a0"), prog("ra_other", "a1")])}
${app("co", "CONTINUE", [prog("co_p", "a2")])}
${app("mk", "RESTART_PROCESS", [prog("mk_auto", "a0,a1,a2"), prog("mk_manual", "a0,a1,a2", 0), prog("mk_anchor", "a1")])}
${app("cs", "STOP_APPLICATION", [prog("cs_one", "a1"), prog("cs_two", "a1")])}
${app("cr", "RESTART_PROCESS", [prog("cr_p", "a1")])}
</root>
`;

const GROUPS: Record<string, string[]> = {
  rp: ["rp_moving", "rp_anchor"],
  sa: ["sa_lost", "sa_other"],
  ra: ["ra_lost", "ra_other"],
  co: ["co_p"],
  mk: ["mk_auto", "mk_manual", "mk_anchor"],
  cs: ["cs_one", "cs_two"],
  cr: ["cr_p"],
};
/** autorestart = unexpected (supervisord's default) unless said otherwise: Supvisors must override it for STOP/RESTART_APPLICATION. */
const AUTORESTART: Record<string, string> = { cr_p: "false" };

const PROGRAMS = Object.entries(GROUPS)
  .flatMap(([g, ps]) => [
    `[group:${g}]\nprograms = ${ps.join(",")}\n`,
    ...ps.map((p) => `[program:${p}]\ncommand = /bin/sleep 300\nautostart = false\nautorestart = ${AUTORESTART[p] ?? "unexpected"}\nstartsecs = 1\nstopwaitsecs = 5\n`),
  ])
  .join("\n");

const FORM_TIMEOUT = 30_000;
const REPAIR_TIMEOUT = 30_000;

t.test("running failure strategies over 3 instances", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-failover-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\nevent_link = ZMQ`, programs: PROGRAMS });
  t.teardown(() => cluster.teardown());
  // The children of a SIGKILLed supervisord outlive it: killed here (and at the end, whatever happens).
  const orphans: number[] = [];
  const killOrphans = () => {
    for (const pid of orphans.splice(0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone already
      }
    }
  };
  t.teardown(killOrphans);
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];

  const operating = async (i: ClusterInstance, master: string) => {
    const s = await stateOf(i);
    return s.fsm_statename === "OPERATION" && s.master_identifier === master;
  };
  const one = async (observer: ClusterInstance, namespec: string) => (await processes(observer, namespec))[0]!;
  /** Polls until `observer` shows the process in `state` on exactly `where` (and `extra` holds). */
  const waitProcess = (observer: ClusterInstance, namespec: string, state: string, where: ClusterInstance[], what: string, extra: () => Promise<boolean> = async () => true) =>
    poll(
      async () => {
        const p = await one(observer, namespec);
        const ok = p.statename === state && JSON.stringify(p.identifiers) === JSON.stringify(where.map((i) => i.identifier)) && (await extra());
        return ok ? p : undefined;
      },
      REPAIR_TIMEOUT,
      what,
    );
  const localPid = async (i: ClusterInstance, namespec: string) => ((await i.rpc("supervisor.getProcessInfo", namespec)) as { pid: number }).pid;
  const localState = async (i: ClusterInstance, namespec: string) => ((await i.rpc("supervisor.getProcessInfo", namespec)) as { statename: string }).statename;
  /** Every child of an instance's supervisord, to kill once the daemon is SIGKILLed. */
  const childrenOf = async (i: ClusterInstance) => ((await i.rpc("supervisor.getAllProcessInfo")) as { pid: number }[]).map((p) => p.pid).filter((pid) => pid > 0);
  const sigkill = async (i: ClusterInstance) => {
    const children = await childrenOf(i);
    i.signal("SIGKILL");
    await i.waitExit();
    orphans.push(...children);
    killOrphans();
  };
  /** No conflict on any instance and no process running on more than one instance. */
  const noDoubles = async (t: Test) => {
    for (const i of cluster.running()) {
      t.same(await conflicts(i), [], `${i.spec.nick}: get_conflicts is empty`);
      const doubles = (await allProcesses(i)).filter((p) => p.identifiers.length > 1).map((p) => `${p.application_name}:${p.process_name} on ${p.identifiers.join(",")}`);
      t.same(doubles, [], `${i.spec.nick}: no process runs twice`);
    }
  };

  await cluster.waitAll((i) => operating(i, a0.identifier), "OPERATION with a0 as Master", FORM_TIMEOUT);

  await t.test("DISTRIBUTION started every application where its identifiers say", async (t) => {
    await poll(async () => ((await applicationState(a0, "cr")) === "RUNNING" ? true : undefined), REPAIR_TIMEOUT, "the automatic start");
    const expected: Record<string, Record<string, [string, string[]]>> = {
      rp: { rp_moving: ["RUNNING", [a2.identifier]], rp_anchor: ["RUNNING", [a0.identifier]] },
      sa: { sa_lost: ["RUNNING", [a2.identifier]], sa_other: ["RUNNING", [a1.identifier]] },
      ra: { ra_lost: ["RUNNING", [a2.identifier]], ra_other: ["RUNNING", [a1.identifier]] },
      co: { co_p: ["RUNNING", [a2.identifier]] },
      mk: { mk_auto: ["RUNNING", [a0.identifier]], mk_manual: ["STOPPED", []], mk_anchor: ["RUNNING", [a1.identifier]] },
      cs: { cs_one: ["RUNNING", [a1.identifier]], cs_two: ["RUNNING", [a1.identifier]] },
      cr: { cr_p: ["RUNNING", [a1.identifier]] },
    };
    for (const [name, want] of Object.entries(expected)) t.same(await placement(a1, name), want, `${name} placed`);
  });

  await t.test("crashes reported by a live instance: STOP_APPLICATION acts, RESTART_PROCESS does not", async (t) => {
    const mark = a0.logText().length;
    const csPid = (await recordOf(a0, a1, "cs:cs_one")).pid;
    const crPid = (await recordOf(a0, a1, "cr:cr_p")).pid;
    t.ok(csPid > 0 && crPid > 0, "the children's pids are known to the Master");
    process.kill(csPid, "SIGKILL");
    process.kill(crPid, "SIGKILL");
    // The Master stops the rest of cs; its crash record stays EXITED (Supvisors disabled the autorestart).
    await poll(async () => ((await applicationState(a0, "cs")) === "STOPPED" && (await localState(a1, "cs:cs_two")) === "STOPPED" ? true : undefined), REPAIR_TIMEOUT, "cs stopped by the Master");
    t.match(a0.logText().slice(mark), /running failure strategy STOP_APPLICATION: stopping cs/, "the Master applied STOP_APPLICATION");
    t.equal(await localState(a1, "cs:cs_one"), "EXITED", "cs_one not restarted by supervisord (autorestart forced off)");
    t.equal(await localState(a1, "cs:cs_two"), "STOPPED", "cs_two stopped, not crashed");
    t.same(await placement(a2, "cs"), { cs_one: ["EXITED", []], cs_two: ["STOPPED", []] }, "every instance sees it");
    // cr's crash went through the Master as well (same time window): nothing done, autorestart=false.
    const cr = await one(a0, "cr:cr_p");
    t.same([cr.statename, cr.identifiers], ["EXITED", []], "cr_p stays EXITED");
    t.equal(await localState(a1, "cr:cr_p"), "EXITED", "supervisord did not restart it either");
    t.notMatch(a0.logText().slice(mark), /RESTART_PROCESS: starting cr:|Starter: starting cr:/, "the Master did not restart cr_p");
    for (const name of ["cs", "cr"]) {
      const info = (await a0.rpc("supvisors.get_application_info", name)) as { statename: string; major_failure: boolean; minor_failure: boolean };
      t.same([info.statename, info.major_failure, info.minor_failure], ["STOPPED", false, true], `${name}: STOPPED with a minor failure (the crash)`);
    }
  });

  await t.test("a2 SIGKILLed: each strategy applied by the Master to what was lost", async (t) => {
    // A subscriber to a1's event interface watches the failover.
    const events = await EventLog.open("127.0.0.1", a1.spec.port + 1);
    t.teardown(() => events.close());
    await events.ready();
    const mark = a0.logText().length;
    const anchorPid = (await recordOf(a0, a0, "rp:rp_anchor")).pid;
    const raOtherPid = (await recordOf(a0, a1, "ra:ra_other")).pid;
    await sigkill(a2);
    await poll(async () => ((await instanceStates(a0))[a2.identifier] === "STOPPED" ? true : undefined), 10_000, "a0 lost a2");
    t.match(a0.logText().slice(mark), new RegExp(`4 process\\(es\\) lost with ${a2.identifier}`), "the 4 managed processes of a2 are lost");

    await t.test("RESTART_PROCESS: restarted on the next instance of its identifiers", async (t) => {
      await waitProcess(a0, "rp:rp_moving", "RUNNING", [a1], "rp_moving RUNNING on a1");
      t.same((await one(a1, "rp:rp_moving")).identifiers, [a1.identifier], "a1 sees it too");
      t.equal((await recordOf(a0, a0, "rp:rp_anchor")).pid, anchorPid, "the rest of the application untouched (not promoted)");
      t.match(a0.logText().slice(mark), /running failure strategy RESTART_PROCESS: starting rp:rp_moving/);
      await poll(() => (events.processes("rp").includes("rp_moving RUNNING") ? true : undefined), REPAIR_TIMEOUT, "the subscriber sees it RUNNING");
      const seen = events.processes("rp").filter((x) => x.startsWith("rp_moving"));
      t.same(seen.slice(seen.indexOf("rp_moving FATAL")), ["rp_moving FATAL", "rp_moving STARTING", "rp_moving RUNNING"], "the subscriber saw it lost (FATAL), then STARTING and RUNNING again");
      const running = events.events.find(([h, b]) => h === "process" && b.process_name === "rp_moving" && b.statename === "RUNNING")!;
      t.same(running[1].identifiers, [a1.identifier], "on a1");
    });

    await t.test("STOP_APPLICATION: the process on a1 stopped by the Master", async (t) => {
      await poll(async () => ((await applicationState(a0, "sa")) === "STOPPED" ? true : undefined), REPAIR_TIMEOUT, "sa STOPPED");
      const sa = await placement(a1, "sa");
      t.same(sa.sa_other, ["STOPPED", []], "sa_other stopped");
      t.same(sa.sa_lost, ["FATAL", []], "sa_lost shows the loss");
      t.equal(await localState(a1, "sa:sa_other"), "STOPPED", "a1's supervisord stopped it");
      t.match(a0.logText().slice(mark), /running failure strategy STOP_APPLICATION: stopping sa/);
    });

    await t.test("RESTART_APPLICATION: both running again, a1's with a new pid, the lost one elsewhere", async (t) => {
      await waitProcess(a0, "ra:ra_other", "RUNNING", [a1], "ra_other restarted", async () => (await recordOf(a0, a1, "ra:ra_other")).pid !== raOtherPid);
      await waitProcess(a0, "ra:ra_lost", "RUNNING", [a0], "ra_lost RUNNING on a0");
      t.not((await recordOf(a0, a1, "ra:ra_other")).pid, raOtherPid, "ra_other has a new pid");
      t.equal(await applicationState(a0, "ra"), "RUNNING");
      t.match(a0.logText().slice(mark), /running failure strategy RESTART_APPLICATION: restarting ra/);
    });

    await t.test("CONTINUE: stays FATAL with the loss as its reason", async (t) => {
      // The other repairs are done: the Master had the time to act on co as well.
      for (const i of [a0, a1]) {
        const co = await one(i, "co:co_p");
        t.same([co.statename, co.identifiers], ["FATAL", []], `${i.spec.nick}: co_p FATAL, running nowhere`);
        t.equal((await recordOf(i, a2, "co:co_p")).spawnerr, `Supervisor ${a2.identifier} lost`, `${i.spec.nick}: the record of a2 tells the loss`);
      }
      t.notMatch(a0.logText().slice(mark), /starting co:co_p/, "the Master did not restart co_p");
    });

    t.ok(await operating(a0, a0.identifier), "the Master kept operating");
  });

  /** Polls until `observer` logged a new DISTRIBUTION ended (after `mark`), then OPERATION everywhere with one Master. */
  const rejoined = async (observer: ClusterInstance, mark: number) => {
    await poll(() => (/Supvisors in OPERATION \(from DISTRIBUTION/.test(observer.logText().slice(mark)) ? true : undefined), FORM_TIMEOUT, `a new DISTRIBUTION on ${observer.spec.nick}`);
    await poll(
      async () => {
        const s = await Promise.all(cluster.instances.map((i) => stateOf(i)));
        return s.every((x) => x.fsm_statename === "OPERATION" && x.master_identifier !== "" && x.master_identifier === s[0]!.master_identifier) ? s[0]!.master_identifier : undefined;
      },
      FORM_TIMEOUT,
      "OPERATION everywhere with one Master",
    );
  };

  await t.test("a2 restarted: it rejoins under a0 and nothing runs twice", async (t) => {
    const mark = a0.logText().length;
    await a2.start();
    await cluster.waitAll(async (i) => (await instanceStates(i))[a2.identifier] === "RUNNING", "a2 RUNNING everywhere", FORM_TIMEOUT);
    await rejoined(a0, mark);
    for (const i of cluster.instances) t.equal((await stateOf(i)).master_identifier, a0.identifier, `${i.spec.nick}: a0 still the Master`);
    await noDoubles(t);
  });

  await t.test("the Master SIGKILLed: the next Master restarts its RESTART_PROCESS programs", async (t) => {
    t.equal(await a0.slowRpc(REPAIR_TIMEOUT, "supvisors.start_process", "CONFIG", "mk:mk_manual"), true);
    t.same((await one(a1, "mk:mk_manual")).identifiers, [a0.identifier], "mk_manual (start_sequence 0) runs on a0");
    t.same((await one(a1, "mk:mk_auto")).identifiers, [a0.identifier], "mk_auto runs on a0");
    const anchorPid = await localPid(a1, "mk:mk_anchor");
    const mark = a1.logText().length;
    await sigkill(a0);
    await cluster.waitAll((i) => operating(i, a1.identifier), "a1 Master of a1 and a2", FORM_TIMEOUT, [a1, a2]);
    for (const i of [a1, a2]) t.same(await i.rpc("supvisors.get_master_identifier"), { identifier: a1.identifier, nick_identifier: "a1" }, `${i.spec.nick}: a1 is the Master`);
    // mk_auto is in the start sequence (the new Master's DISTRIBUTION repairs it anyway); mk_manual is
    // not: only the losses remembered by a1 since a0 died bring it back.
    await waitProcess(a1, "mk:mk_auto", "RUNNING", [a1], "mk_auto RUNNING on a1");
    await waitProcess(a1, "mk:mk_manual", "RUNNING", [a1], "mk_manual RUNNING on a1");
    t.same((await one(a2, "mk:mk_manual")).identifiers, [a1.identifier], "a2 sees mk_manual on a1");
    t.equal(await localPid(a1, "mk:mk_anchor"), anchorPid, "mk_anchor untouched (not promoted to RESTART_APPLICATION)");
    const log = a1.logText().slice(mark);
    t.match(log, /running failure strategy RESTART_PROCESS: starting mk:mk_manual/, "a1 logs the failover of the dead Master's process");
    t.match(log, new RegExp(`Starter: starting mk:mk_manual on ${a1.identifier}`), "a1 logs where it started it");
  });

  await t.test("a0 restarted: it rejoins under one Master and nothing runs twice", async (t) => {
    const mark = a1.logText().length;
    await a0.start();
    await cluster.waitAll(async (i) => (await instanceStates(i))[a0.identifier] === "RUNNING", "a0 RUNNING everywhere", FORM_TIMEOUT);
    await rejoined(a1, mark);
    await noDoubles(t);
  });
});
