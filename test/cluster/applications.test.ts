/**
 * Applications across a real cluster of 3 instances of our binary: start and stop sequences, the
 * placement strategies and distribution rules, the starting failure strategies, and every control
 * method's success path, faults and `wait` semantics, called as a client would over XML-RPC.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { applicationState, EventLog, faultOf, placement, processes, records, recordOf } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";

const RULES = `<?xml version="1.0"?>
<root>
  <model name="sleeper"><expected_loading>20</expected_loading></model>
  <application name="web">
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><reference>sleeper</reference><start_sequence>1</start_sequence><stop_sequence>3</stop_sequence><required>true</required></program>
      <program pattern="api_"><reference>sleeper</reference><start_sequence>2</start_sequence><stop_sequence>2</stop_sequence></program>
      <program name="front"><reference>sleeper</reference><start_sequence>3</start_sequence><stop_sequence>1</stop_sequence></program>
    </programs>
  </application>
  <application name="solo">
    <distribution>SINGLE_INSTANCE</distribution>
    <identifiers>a2,a1</identifiers>
    <programs><program pattern="s"><start_sequence>1</start_sequence><expected_loading>5</expected_loading></program></programs>
  </application>
  <application name="abort">
    <programs>
      <program name="bad"><start_sequence>1</start_sequence><required>true</required></program>
      <program name="after"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
  <application name="stopper">
    <programs>
      <program name="good"><start_sequence>1</start_sequence></program>
      <program name="bad"><start_sequence>2</start_sequence><required>true</required><starting_failure_strategy>STOP</starting_failure_strategy></program>
      <program name="after"><start_sequence>3</start_sequence></program>
    </programs>
  </application>
  <application name="goon">
    <programs>
      <program name="bad"><start_sequence>1</start_sequence><required>true</required><starting_failure_strategy>CONTINUE</starting_failure_strategy></program>
      <program name="after"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
</root>
`;

const program = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 1\nstopwaitsecs = 5\n${extra}\n`;
const broken = (name: string) => `[program:${name}]\ncommand = /nonexistent/program\nautostart = false\nstartsecs = 1\n`;

const PROGRAMS = [
  "[group:web]\nprograms = db,api,front\n",
  program("db"),
  program("api", "process_name = api_%(process_num)d\nnumprocs = 2"),
  program("front"),
  "[group:solo]\nprograms = s1,s2\n",
  program("s1"),
  program("s2"),
  "[group:misc]\nprograms = tool,tool2,tool3,pool\n",
  program("pool", "process_name = pool_%(process_num)d\nnumprocs = 2"),
  program("tool"),
  program("tool2"),
  program("tool3"),
  "[group:abort]\nprograms = abort_bad,abort_after\n",
  broken("abort_bad").replace("[program:abort_bad]", "[program:abort_bad]\nprocess_name = bad"),
  program("abort_after", "process_name = after"),
  "[group:stopper]\nprograms = stopper_good,stopper_bad,stopper_after\n",
  program("stopper_good", "process_name = good"),
  broken("stopper_bad").replace("[program:stopper_bad]", "[program:stopper_bad]\nprocess_name = bad"),
  program("stopper_after", "process_name = after"),
  "[group:goon]\nprograms = goon_bad,goon_after\n",
  broken("goon_bad").replace("[program:goon_bad]", "[program:goon_bad]\nprocess_name = bad"),
  program("goon_after", "process_name = after"),
].join("\n");

const START_TIMEOUT = 30_000;

t.test("applications over 3 instances", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-apps-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\ndisabilities_file = {dir}/disabilities.json\nevent_link = ZMQ`, programs: PROGRAMS });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", 20_000);
  // What a subscriber to a2's event interface sees of the whole cluster.
  const events = await EventLog.open("127.0.0.1", a2.spec.port + 1);
  t.teardown(() => events.close());
  await events.ready();

  await t.test("test_start_application / test_start_process: the placement start_application will make, nothing started", async (t) => {
    const predicted = (await a2.rpc("supvisors.test_start_application", "LESS_LOADED", "web")) as { process_name: string; state: string; forced_reason: string; running_identifiers: string[] }[];
    t.same(
      predicted.map((p) => [p.process_name, p.state, p.running_identifiers, p.forced_reason]),
      [
        ["api_0", "RUNNING", [a1.identifier], ""],
        ["api_1", "RUNNING", [a2.identifier], ""],
        ["db", "RUNNING", [a0.identifier], ""],
        ["front", "RUNNING", [a0.identifier], ""],
      ],
    );
    t.equal(await applicationState(a0, "web"), "STOPPED", "nothing was started");
    const one = (await a0.rpc("supvisors.test_start_process", "LOCAL", "misc:*")) as { process_name: string; running_identifiers: string[] }[];
    t.same(one.map((p) => [p.process_name, p.running_identifiers]), ["pool_0", "pool_1", "tool", "tool2", "tool3"].map((n) => [n, [a0.identifier]]), "LOCAL: all on the instance asked, sorted by name");
    t.same(await faultOf(a0.rpc("supvisors.test_start_application", "CONFIG", "misc")), [102, "NOT_MANAGED: misc"]);
  });

  await t.test("start_application: ranks in order, each process placed LESS_LOADED with the pending loads", async (t) => {
    const mark = events.events.length;
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.start_application", "LESS_LOADED", "web", true), true);
    t.same(await placement(a2, "web"), {
      db: ["RUNNING", [a0.identifier]],
      api_0: ["RUNNING", [a1.identifier]], // a0 has db's 20
      api_1: ["RUNNING", [a2.identifier]], // a1 has api_0's pending 20
      front: ["RUNNING", [a0.identifier]], // all at 20: the first
    });
    t.equal(await applicationState(a0, "web"), "RUNNING");
    // A rank starts only once the previous one is RUNNING (startsecs = 1 after its STARTING).
    const r = Object.fromEntries((await records(a2, cluster.instances, "web")).filter((x) => x.start_monotonic > 0).map((x) => [x.name, x.start_monotonic]));
    t.ok(r.api_0! >= r.db! + 1 && r.api_1! >= r.db! + 1, `api after db RUNNING: ${JSON.stringify(r)}`);
    t.ok(r.front! >= Math.max(r.api_0!, r.api_1!) + 1, "front after both api RUNNING");
    // The subscriber got each transition, and their owners' stamps put each rank RUNNING before the
    // next one STARTING. Arrival order is not causal: a SUB socket fair-queues between the instances
    // it hears, so a1's api_0 STARTING may be read before a0's earlier db RUNNING (Supvisors alike);
    // the raw `event`s carry the owner's monotonic clock, one clock here (one machine).
    await poll(() => (events.processes("web", mark).includes("front RUNNING") ? true : undefined), START_TIMEOUT, "front RUNNING published");
    t.ok(["db", "api_0", "api_1", "front"].every((n) => events.processes("web", mark).includes(`${n} RUNNING`)), "every RUNNING published");
    const seen = events.ownerOrdered("web", mark);
    const at = (x: string) => seen.indexOf(x);
    t.ok(at("db RUNNING") >= 0 && at("db RUNNING") < at("api_0 STARTING") && at("db RUNNING") < at("api_1 STARTING"), `rank 2 after rank 1 RUNNING: ${seen.join(", ")}`);
    t.ok(Math.max(at("api_0 RUNNING"), at("api_1 RUNNING")) < at("front STARTING"), "rank 3 after rank 2 RUNNING");
    t.same(await faultOf(a0.rpc("supvisors.start_application", "LESS_LOADED", "web")), [60, "ALREADY_STARTED: web"]);
    t.same(await faultOf(a0.rpc("supvisors.test_start_application", "LESS_LOADED", "web")), [60, "ALREADY_STARTED: web"]);
    t.same(await faultOf(a0.rpc("supvisors.test_start_process", "LESS_LOADED", "web:db")), [60, "ALREADY_STARTED: web:db"]);
  });

  await t.test("uptimes move on every instance, the owner's own view included", async (t) => {
    // db runs on a0: a0's record of it is refreshed by a0's own TICKs, as a1's is by a0's TICKs there.
    const uptime = async (viewer: ClusterInstance) => ((await viewer.rpc("supvisors.get_inner_process_info", a0.identifier, "web:db")) as { uptime: number }[])[0]!.uptime;
    const first = await uptime(a0);
    await poll(async () => ((await uptime(a0)) > first && (await uptime(a1)) > first ? true : undefined), 10_000, "db's uptime moving on a0 and a1");
    t.pass("the owner's uptime of its own process grows between events");
  });

  await t.test("placement strategies of start_process: CONFIG, MOST_LOADED, LOCAL, *_NODE", async (t) => {
    // Loads now: a0 40 (db, front), a1 20, a2 20; every instance is on this one machine (one node).
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.start_process", "MOST_LOADED", "misc:tool"), true);
    t.same((await placement(a0, "misc")).tool, ["RUNNING", [a0.identifier]], "MOST_LOADED: the most loaded instance");
    t.equal(await a2.slowRpc(START_TIMEOUT, "supvisors.start_process", "LOCAL", "misc:tool2"), true);
    t.same((await placement(a0, "misc")).tool2, ["RUNNING", [a2.identifier]], "LOCAL: the instance that got the call");
    t.equal(await a2.slowRpc(START_TIMEOUT, "supvisors.start_process", "LESS_LOADED_NODE", "misc:tool3"), true);
    t.same((await placement(a0, "misc")).tool3, ["RUNNING", [a1.identifier]], "LESS_LOADED_NODE: one node, then the less loaded instance (a1 before a2)");
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.stop_process", "misc:*"), true);
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_process", 0, "misc:tool"), true, "a strategy given by its value: 0 = CONFIG");
    t.same((await placement(a0, "misc")).tool, ["RUNNING", [a0.identifier]], "CONFIG: the first of the list");
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_process", "MOST_LOADED_NODE", "misc:tool2"), true);
    t.same((await placement(a0, "misc")).tool2, ["RUNNING", [a0.identifier]], "MOST_LOADED_NODE: one node, then the most loaded instance");
    await a0.slowRpc(START_TIMEOUT, "supvisors.stop_process", "misc:*");
  });

  await t.test("stop_application: by stop_sequence (db 3, api 2, front 1), not the reverse start order", async (t) => {
    const mark = events.events.length;
    t.equal(await a2.slowRpc(START_TIMEOUT, "supvisors.stop_application", "web", true), true);
    await poll(() => (events.processes("web", mark).includes("front STOPPED") ? true : undefined), START_TIMEOUT, "front STOPPED published");
    const seen = events.processes("web", mark);
    const at = (x: string) => seen.indexOf(x);
    t.ok(at("db STOPPED") < Math.min(at("api_0 STOPPING"), at("api_1 STOPPING")) && Math.max(at("api_0 STOPPED"), at("api_1 STOPPED")) < at("front STOPPING"), `the subscriber saw db, then api, then front: ${seen.join(", ")}`);
    t.equal(await applicationState(a0, "web"), "STOPPED");
    const r = Object.fromEntries((await records(a1, cluster.instances, "web")).filter((x) => x.stop_monotonic > 0).map((x) => [x.name, x.stop_monotonic]));
    t.ok(r.db! <= Math.min(r.api_0!, r.api_1!) && Math.max(r.api_0!, r.api_1!) <= r.front!, `db, then api, then front: ${JSON.stringify(r)}`);
    t.same(await faultOf(a0.rpc("supvisors.stop_application", "web")), [70, "NOT_RUNNING: failed to stop web"]);
  });

  await t.test("wait=false answers at once; the job goes on and the application ends RUNNING", async (t) => {
    t.equal(await a0.rpc("supvisors.start_application", "CONFIG", "web", false), true);
    t.not(await applicationState(a0, "web"), "RUNNING", "answered before the sequence ended");
    const idle = async () => ((await a0.rpc("supvisors.get_supvisors_state")) as { starting_jobs: string[] }).starting_jobs.length === 0;
    await poll(async () => ((await applicationState(a1, "web")) === "RUNNING" && (await idle()) ? true : undefined), START_TIMEOUT, "web RUNNING, its job ended");
    t.same(Object.values(await placement(a1, "web")).map(([state]) => state), ["RUNNING", "RUNNING", "RUNNING", "RUNNING"]);
    t.equal(await a0.rpc("supvisors.stop_application", "web", false), true);
    await poll(async () => ((await applicationState(a1, "web")) === "STOPPED" ? true : undefined), START_TIMEOUT, "web STOPPED");
  });

  await t.test("stop_application during its start: the ranks still to come are cancelled", async (t) => {
    t.equal(await a0.rpc("supvisors.start_application", "CONFIG", "web", false), true);
    await poll(async () => ((await placement(a0, "web")).db![0] === "STARTING" ? true : undefined), START_TIMEOUT, "db STARTING");
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.stop_application", "web", true), true);
    t.equal(((await a0.rpc("supvisors.get_supvisors_state")) as { starting_jobs: string[] }).starting_jobs.length, 0, "no start job left");
    t.same(Object.values(await placement(a1, "web")).map(([state]) => state), ["STOPPED", "STOPPED", "STOPPED", "STOPPED"]);
  });

  await t.test("SINGLE_INSTANCE: the whole application on one instance of its identifiers", async (t) => {
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_application", "CONFIG", "solo"), true);
    t.same(await placement(a1, "solo"), { s1: ["RUNNING", [a2.identifier]], s2: ["RUNNING", [a2.identifier]] }, "a2, the first of its identifiers");
    await a0.slowRpc(START_TIMEOUT, "supvisors.stop_application", "solo");
  });

  await t.test("starting failure ABORT: the later ranks are dropped; NOT_RUNNING for the caller", async (t) => {
    const [code, text] = await faultOf(a0.slowRpc(START_TIMEOUT, "supvisors.start_application", "CONFIG", "abort"));
    t.same([code, text], [70, "NOT_RUNNING: abort"]);
    const p = await placement(a0, "abort");
    t.equal(p.bad![0], "FATAL", "the required process shows its failure");
    t.same(p.after, ["STOPPED", []], "rank 2 never started");
    const forced = (await processes(a1, "abort:bad"))[0]!;
    t.equal(forced.statename, "FATAL", "the forced state is published to the other instances");
  });

  await t.test("starting failure STOP: the application is stopped once its job ended", async (t) => {
    await faultOf(a0.slowRpc(START_TIMEOUT, "supvisors.start_application", "CONFIG", "stopper"));
    await poll(async () => ((await placement(a0, "stopper")).good![0] === "STOPPED" ? true : undefined), START_TIMEOUT, "good stopped by the STOP strategy");
    t.same((await placement(a0, "stopper")).after, ["STOPPED", []], "rank 3 never started");
    t.match(a0.logText(), /starting failure strategy STOP: stopping stopper/);
  });

  await t.test("starting failure CONTINUE: the next ranks go on", async (t) => {
    // bad shows FATAL, after RUNNING: the application is RUNNING (with a major failure).
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_application", "CONFIG", "goon"), true);
    t.equal(((await a1.rpc("supvisors.get_application_info", "goon")) as { major_failure: boolean }).major_failure, true);
    t.same((await placement(a0, "goon")).after, ["RUNNING", [a0.identifier]]);
    await a0.slowRpc(START_TIMEOUT, "supvisors.stop_application", "goon");
  });

  await t.test("start_args on the receiving instance, with extra arguments kept in the model", async (t) => {
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.start_args", "misc:tool", "7", true), true);
    const tool = (await processes(a0, "misc:tool"))[0]!;
    t.same(tool.identifiers, [a1.identifier]);
    t.equal(tool.extra_args, "7");
    const rec = await recordOf(a0, a1, "misc:tool");
    t.equal(readFileSync(`/proc/${rec.pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" "), "/bin/sleep 300 7", "the child runs the command with the extra arguments");
    t.same(await faultOf(a1.rpc("supvisors.start_args", "misc:tool", "", true)), [60, "ALREADY_STARTED: misc:tool"]);
    t.same(await faultOf(a1.rpc("supvisors.start_args", "misc:nope", "")), [10, "BAD_NAME: process=nope unknown in application=misc"]);
  });

  await t.test("restart_process: stopped everywhere, started again (a new pid)", async (t) => {
    const before = (await recordOf(a0, a1, "misc:tool")).pid;
    t.equal(await a2.slowRpc(START_TIMEOUT, "supvisors.restart_process", "CONFIG", "misc:tool", "8"), true);
    const tool = (await processes(a0, "misc:tool"))[0]!;
    t.equal(tool.statename, "RUNNING");
    t.same(tool.identifiers, [a0.identifier], "CONFIG: the first instance this time");
    t.not((await recordOf(a0, a0, "misc:tool")).pid, before);
    t.equal(tool.extra_args, "8");
  });

  await t.test("start_any_process: the first stopped process matching the regex", async (t) => {
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_any_process", "CONFIG", "misc:tool[0-9]"), "misc:tool2");
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_any_process", "CONFIG", "misc:tool[0-9]"), "misc:tool3");
    t.same(await faultOf(a0.rpc("supvisors.start_any_process", "CONFIG", "misc:tool[0-9]")), [30, 'FAILED: no candidate process matching "misc:tool[0-9]"']);
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.stop_process", "misc:*"), true);
    t.same(await faultOf(a0.rpc("supvisors.stop_process", "misc:tool")), [70, "NOT_RUNNING: misc:tool already stopped"]);
  });

  await t.test("restart_application: stop, then start with the strategy; wait covers both", async (t) => {
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_application", "CONFIG", "solo"), true);
    const before = (await recordOf(a0, a2, "solo:s1")).pid;
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.restart_application", "CONFIG", "solo"), true);
    t.equal(await applicationState(a0, "solo"), "RUNNING");
    t.not((await recordOf(a0, a2, "solo:s1")).pid, before);
    await a0.slowRpc(START_TIMEOUT, "supvisors.stop_application", "solo");
  });

  await t.test("disable: stopped here, refused here, still disabled after a restart of the daemon; enable", async (t) => {
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.start_args", "misc:tool", "", true), true);
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.disable", "tool"), true);
    t.same((await processes(a0, "misc:tool"))[0]!.statename, "STOPPED", "the local process was stopped");
    t.equal(((await a0.rpc("supvisors.get_inner_process_info", a1.identifier, "misc:tool")) as { disabled: boolean }[])[0]!.disabled, true, "the other instances know it");
    t.same(await faultOf(a1.rpc("supervisor.startProcess", "misc:tool")), [103, "DISABLED: misc:tool"]);
    t.same(await faultOf(a1.rpc("supvisors.start_process", "LOCAL", "misc:tool")), [40, "ABNORMAL_TERMINATION: failed to start misc:tool"], "no instance for LOCAL: the only one has it disabled");
    t.same(JSON.parse(readFileSync(join(a1.dir, "disabilities.json"), "utf8")), { tool: true }, "persisted in Supvisors' format");
    await a1.stop();
    await a1.start();
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION" && (await stateOf(i)).instance_states[a1.identifier] === "RUNNING", "a1 back", 20_000);
    t.same(await faultOf(a1.rpc("supervisor.startProcess", "misc:tool")), [103, "DISABLED: misc:tool"], "still disabled after the restart");
    t.equal(await a1.rpc("supvisors.enable", "tool"), true);
    t.equal(await a1.slowRpc(START_TIMEOUT, "supervisor.startProcess", "misc:tool"), true);
    t.same(JSON.parse(readFileSync(join(a1.dir, "disabilities.json"), "utf8")), { tool: false });
    t.same(await faultOf(a1.rpc("supvisors.disable", "nope")), [10, "BAD_NAME: program=nope unknown to Supvisors"]);
    await a1.slowRpc(START_TIMEOUT, "supvisors.stop_process", "misc:tool");
  });

  await t.test("update_numprocs on the receiving instance: up, down (stopping a running one), lazy", async (t) => {
    const names = async (observer: ClusterInstance, on: ClusterInstance) =>
      ((await observer.rpc("supvisors.get_inner_process_info", on.identifier, "misc:*")) as { name: string }[]).map((r) => r.name).filter((n) => n.startsWith("pool_")).sort();
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.update_numprocs", "pool", 4), true);
    t.same(await names(a1, a1), ["pool_0", "pool_1", "pool_2", "pool_3"], "4 processes on a1");
    await poll(async () => ((await names(a0, a1)).length === 4 ? true : undefined), START_TIMEOUT, "a0 learns of them");
    t.same(await names(a0, a0), ["pool_0", "pool_1"], "a0 keeps its 2");
    t.same(((await a1.rpc("supervisor.getProcessInfo", "misc:pool_3")) as { statename: string }).statename, "STOPPED", "the local supervisord has it");
    t.equal(await a0.slowRpc(START_TIMEOUT, "supvisors.start_process", "CONFIG", "misc:pool_3"), true);
    t.same((await placement(a0, "misc")).pool_3, ["RUNNING", [a1.identifier]], "only a1 defines it");
    t.equal(await a1.slowRpc(START_TIMEOUT, "supvisors.update_numprocs", "pool", 2, true), true, "down, waiting for the running one to stop");
    t.same(await names(a1, a1), ["pool_0", "pool_1"]);
    t.equal((await placement(a0, "misc")).pool_3, undefined, "gone from the cluster's model");
    t.same(await faultOf(a1.rpc("supervisor.getProcessInfo", "misc:pool_3")), [10, "BAD_NAME: misc:pool_3"]);
    // lazy: a running surplus process stays until it stops by itself (here, a stop)
    await a1.slowRpc(START_TIMEOUT, "supervisor.startProcess", "misc:pool_1");
    t.equal(await a1.rpc("supvisors.update_numprocs", "pool", 1, true, true), true);
    t.same(await names(a1, a1), ["pool_0", "pool_1"], "pool_1 kept while it runs");
    await a1.slowRpc(START_TIMEOUT, "supervisor.stopProcess", "misc:pool_1");
    await poll(async () => ((await names(a1, a1)).length === 1 ? true : undefined), START_TIMEOUT, "pool_1 removed once stopped");
    t.equal(await a1.rpc("supvisors.update_numprocs", "pool", 2), true, "back to 2");
    t.same(await faultOf(a1.rpc("supvisors.update_numprocs", "nope", 2)), [10, "BAD_NAME: program=nope unknown to Supvisors"]);
    t.same(await faultOf(a1.rpc("supvisors.update_numprocs", "pool", 0)), [2, "INCORRECT_PARAMETERS: program=pool incorrect numprocs=0 - integer > 0 expected"]);
    t.same(await faultOf(a1.rpc("supvisors.update_numprocs", "tool", 2)), [104, "NOT_APPLICABLE: numprocs not applicable to program=tool"]);
  });

  await t.test("bad input gets Supvisors' faults and every instance keeps running", async (t) => {
    t.same(await faultOf(a0.rpc("supvisors.start_application", "FOO", "web")), [2, "INCORRECT_PARAMETERS: invalid <enum 'StartingStrategies'> value=FOO - string expected in ['CONFIG', 'LESS_LOADED', 'MOST_LOADED', 'LOCAL', 'LESS_LOADED_NODE', 'MOST_LOADED_NODE']"]);
    t.same(await faultOf(a0.rpc("supvisors.start_application", 9, "web")), [2, "INCORRECT_PARAMETERS: invalid <enum 'StartingStrategies'> value=9 - integer expected in [0, 1, 2, 3, 4, 5]"]);
    t.same((await faultOf(a0.rpc("supvisors.start_application", 1.5, "web")))[0], 2);
    t.same(await faultOf(a0.rpc("supvisors.start_application", "CONFIG", "nope")), [10, "BAD_NAME: application=nope unknown to Supvisors"]);
    t.same(await faultOf(a0.rpc("supvisors.start_application", "CONFIG", "misc")), [102, "NOT_MANAGED: misc"]);
    t.same(await faultOf(a0.rpc("supvisors.stop_application", "misc")), [102, "NOT_MANAGED: misc"]);
    t.same(await faultOf(a0.rpc("supvisors.start_process", "CONFIG", "web:nope")), [10, "BAD_NAME: process=nope unknown in application=web"]);
    t.same(await faultOf(a0.rpc("supvisors.start_process", "CONFIG", "misc:tool", 5)), [2, "INCORRECT_PARAMETERS: invalid extra_args=5 type=<class 'int'> - type string expected"]);
    t.same(await faultOf(a0.rpc("supvisors.start_any_process", "CONFIG", "(")), [2, 'INCORRECT_PARAMETERS: invalid regex="(" - Invalid regular expression: /(/: Unterminated group']);
    t.same(await faultOf(a0.rpc("supvisors.conciliate", "SENICIDE")), [101, "BAD_SUPVISORS_STATE: invalid Supvisors state=OPERATION - state expected in ['CONCILIATION']"]);
    t.same((await faultOf(a0.rpc("supvisors.start_application", "CONFIG")))[0], 2, "a missing argument");
    t.same(await faultOf(a0.slowRpc(START_TIMEOUT, "supvisors.start_process", "CONFIG", "abort:bad")), [70, "NOT_RUNNING: processes=['abort:bad']"], "its start failed (no such file)");
    t.same(await faultOf(a0.rpc("supvisors.restart_application", "CONFIG", "misc")), [40, "ABNORMAL_TERMINATION: failed to restart misc"], "nothing runs, no start sequence");
    t.same(await faultOf(a0.rpc("supvisors.start_args", "misc:*", "")), [10, "BAD_NAME: namespec=misc:* unknown to Supervisor"]);
    t.same(await faultOf(a0.rpc("supvisors.enable", "nope")), [10, "BAD_NAME: program=nope unknown to Supvisors"]);
    for (const i of cluster.instances) t.equal((await stateOf(i)).fsm_statename, "OPERATION", `${i.spec.nick} still in OPERATION`);
  });
});
