/**
 * Every supvisors command of our ctl against a real 3-instance cluster of our daemon, as an
 * operator types them: output, exit status, the success path, the error paths (unknown names,
 * bad strategy, wrong argument count, a fault from the server) and `all`. supervisorctl loads the
 * same commands from `[ctlplugin:supvisors]`. When SUPVISORS_SRC points at Supvisors 0.19's
 * source, the real plugin runs beside ours on the same cluster and the outputs are compared.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { placement } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO, TestDaemon } from "../helpers/daemon.js";

const TIMEOUT = 30_000;
const SUPVISORSCTL = join(REPO, "dist/bin/supvisorsctl.mjs");
const SUPERVISORCTL = join(REPO, "dist/bin/supervisorctl.mjs");
const ORACLE = process.env["SUPVISORS_SRC"];

const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <start_sequence>1</start_sequence>
    <stop_sequence>2</stop_sequence>
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><start_sequence>1</start_sequence><required>true</required><expected_loading>20</expected_loading></program>
      <program pattern="api_"><start_sequence>2</start_sequence><identifiers>a1,a2</identifiers><running_failure_strategy>RESTART_PROCESS</running_failure_strategy></program>
    </programs>
  </application>
  <application name="svc">
    <programs>
      <program name="a"><start_sequence>1</start_sequence></program>
      <program name="b"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
</root>
`;

const program = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 3600\nautostart = false\nstartsecs = 1\nstopwaitsecs = 5\n${extra}\n`;
const PROGRAMS = [
  "[group:web]\nprograms = db,api\n",
  program("db"),
  program("api", "process_name = api_%(process_num)d\nnumprocs = 2"),
  "[group:svc]\nprograms = svc_a,svc_b\n",
  program("svc_a", "process_name = a"),
  program("svc_b", "process_name = b"),
  program("tool"),
].join("\n");

interface CtlRun {
  readonly out: string;
  readonly code: number;
}

function runNode(args: readonly string[]): Promise<CtlRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, NO_COLOR: "1" }, timeout: TIMEOUT }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ out: stdout + stderr, code });
    });
  });
}

/** Our supvisorsctl on one instance (a one-shot command, as a script would run it). */
function sctl(i: ClusterInstance, ...words: string[]): Promise<CtlRun> {
  return runNode([SUPVISORSCTL, "-s", `http://${i.identifier}`, ...words]);
}

/** The cells of a table line: columns are at least two spaces apart, values have at most one. */
function cells(line: string): string[] {
  return line.trimEnd().split(/ {2,}/);
}

function rows(out: string): string[][] {
  return out.trimEnd().split("\n").map(cells);
}

t.test("the supvisors commands against a 3-instance cluster", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-sctl-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({
    size: 3,
    supvisors: `rules_files = ${dir}/rules.xml\ndisabilities_file = {dir}/disabilities.json\nevent_link = WS`,
    programs: PROGRAMS,
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const ids = (...xs: ClusterInstance[]) => xs.map((x) => x.identifier);
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", TIMEOUT);
  // web starts on its own (start_sequence 1): wait for it, so the tables below are settled.
  await poll(async () => (Object.values(await placement(a0, "web")).every(([s]) => s === "RUNNING") ? true : undefined), TIMEOUT, "web RUNNING");

  await t.test("sversion, master, strategies, stats_status", async (t) => {
    t.same(await sctl(a1, "sversion"), { out: "0.19\n", code: 0 });
    t.same(await sctl(a2, "master"), { out: `Nick identifier: a0\nIdentifier:      ${a0.identifier}\n`, code: 0 });
    t.same(await sctl(a1, "strategies"), { out: "Auto-fencing: False\nFailure:      CONTINUE\nConciliation: USER\nStarting:     CONFIG\n", code: 0 });
    const stats = await sctl(a0, "stats_status");
    t.match(stats.out, /^Collecting Host statistics: {4}True\nCollecting Process statistics: True\nCollecting statistics period: {2}\d+\.\d+\n$/);
  });

  await t.test("sstate: the local state, or the instances named (nick or identifier), or all", async (t) => {
    const local = await sctl(a1, "sstate");
    t.same(rows(local.out), [
      ["Nickname", "Supvisors identifier", "State", "Degraded", "Discovery", "Master", "Starting", "Stopping"],
      ["a1", a1.identifier, "OPERATION", "False", "False", a0.identifier, "[]", "[]"],
    ]);
    const two = await sctl(a0, "sstate", "a2", a1.identifier);
    t.same(rows(two.out).slice(1).map((r) => r[0]).sort(), ["a1", "a2"]);
    t.same(rows(two.out)[1]!.slice(2), ["OPERATION", "False", "False", a0.identifier, "False", "False"], "per-instance form: booleans");
    t.equal(rows((await sctl(a0, "sstate", "all")).out).length, 4);
    t.same(rows((await sctl(a0, "sstate", "nobody")).out), [rows(local.out)[0]], "an unknown name: the title only");
  });

  await t.test("instance_status: all, by name", async (t) => {
    const all = rows((await sctl(a0, "instance_status")).out);
    t.same(all[0], ["Nickname", "Supvisors identifier", "Host", "Port", "State", "Load", "Time", "Counter", "Processes"]);
    t.same(all.slice(1).map((r) => r[0]).sort(), ["a0", "a1", "a2"]);
    for (const r of all.slice(1)) {
      t.equal(r[4], "RUNNING");
      t.match(r[5], /^\d+%$/);
      t.match(r[6], /^\d\d:\d\d:\d\d$/);
      t.equal(r[8], "ok");
    }
    const one = rows((await sctl(a0, "instance_status", "a2")).out);
    t.same(one.slice(1).map((r) => [r[0], r[1], r[2], r[3]]), [["a2", a2.identifier, "127.0.0.1", String(a2.spec.port)]]);
  });

  await t.test("application_info, application_rules: managed and unmanaged, an unknown name", async (t) => {
    t.same(rows((await sctl(a1, "application_info")).out), [
      ["Application", "State", "Major", "Minor"],
      ["svc", "STOPPED", "False", "False"],
      ["tool", "STOPPED", "False", "False"],
      ["web", "RUNNING", "False", "False"],
    ]);
    t.same(rows((await sctl(a1, "application_info", "web")).out).slice(1), [["web", "RUNNING", "False", "False"]]);
    const rules = await sctl(a2, "application_rules", "web", "tool", "nope");
    t.equal(rules.code, 1);
    t.same(rows(rules.out), [
      ["nope: ERROR (BAD_NAME: application=nope unknown to Supvisors)"],
      ["Application", "Managed", "Distribution", "Supervisor", "Start", "Stop", "Starting", "Starting_Failure", "Running_Failure"],
      ["web", "True", "ALL_INSTANCES", "['*']", "1", "2", "LESS_LOADED", "ABORT", "CONTINUE"],
      ["tool", "False", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"],
    ]);
  });

  await t.test("sstatus, local_status, process_rules: all, appli:*, a namespec, an unknown one", async (t) => {
    const all = rows((await sctl(a0, "sstatus")).out);
    t.same(all[0], ["Application", "Process", "State", "Expected", "Supervisor"]);
    t.same(all.slice(1).map((r) => `${r[0]}:${r[1]} ${r[2]}`), ["svc:a STOPPED", "svc:b STOPPED", "tool:tool STOPPED", "web:api_0 RUNNING", "web:api_1 RUNNING", "web:db RUNNING"]);
    const web = rows((await sctl(a0, "sstatus", "web:*")).out);
    t.same(web.slice(1).map((r) => r[1]), ["api_0", "api_1", "db"]);
    t.match(web.find((r) => r[1] === "db")![4], /^\['127\.0\.0\.1:\d+'\]$/);
    const bad = await sctl(a0, "sstatus", "web:nope");
    t.same(bad, { out: "web:nope: ERROR (BAD_NAME: process=nope unknown in application=web)\n", code: 1 });

    // local_status: only what this instance runs, with Supervisor's own fields.
    const dbAt = (await placement(a0, "web")).db![1][0];
    const owner = cluster.instances.find((i) => i.identifier === dbAt)!;
    const local = rows((await sctl(owner, "local_status", "web:db")).out);
    t.same(local[0], ["Application", "Process", "Disabled", "State", "Start", "Now", "PID", "Extra args"]);
    t.same(local[1]!.slice(0, 4), ["web", "db", "False", "RUNNING"]);
    t.match(local[1]![6], /^[1-9]\d*$/, "a real pid");
    t.equal(rows((await sctl(owner, "local_status")).out).length, 1 + 6, "every local process, all");

    t.same(rows((await sctl(a1, "process_rules", "web:api_0", "web:db")).out), [
      ["Application", "Process", "Start", "Stop", "Required", "WaitExit", "Loading", "Strategy", "Supervisor"],
      ["web", "api_0", "2", "2", "False", "False", "0%", "RESTART_PROCESS", "['a1', 'a2']"],
      ["web", "db", "1", "1", "True", "False", "20%", "CONTINUE", "['*']"],
    ]);
    t.same(await sctl(a1, "process_rules", "nope:x"), { out: "nope:x: ERROR (BAD_NAME: application=nope unknown to Supvisors)\n", code: 1 });
  });

  await t.test("sstatus --follow / sstate --follow, piped: the table, then one line per change, until Ctrl-C", async (t) => {
    // No config file: the event interface is looked for at the server's port + 1 (0.19's default).
    const watch = (i: ClusterInstance, ...words: string[]) => {
      const child = spawn(process.execPath, [SUPVISORSCTL, "-s", `http://${i.identifier}`, ...words], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      t.teardown(() => void child.kill("SIGKILL"));
      return { lines: () => rows(out), text: () => out, stop: async () => (child.kill("SIGINT"), await exited) };
    };
    const procs = watch(a2, "sstatus", "--follow", "svc:*");
    await poll(() => (procs.lines().length >= 3 ? true : undefined), TIMEOUT, "the first table");
    t.same(procs.lines().map((r) => r.slice(0, 3)), [["Application", "Process", "State"], ["svc", "a", "STOPPED"], ["svc", "b", "STOPPED"]]);
    const state = watch(a2, "sstate", "--follow");
    await poll(() => (state.lines().length >= 2 ? true : undefined), TIMEOUT, "the first sstate table");

    await a0.slowRpc(TIMEOUT, "supvisors.start_process", "CONFIG", "svc:a", "", true);
    await poll(() => (procs.lines().some((r) => r[1] === "a" && r[2] === "RUNNING") ? true : undefined), TIMEOUT, "svc:a RUNNING followed");
    const changes = procs.lines().slice(3).map((r) => `${r[1]} ${r[2]}`);
    t.same(changes.filter((c, i) => c !== changes[i - 1]), ["a STARTING", "a RUNNING"], "each change once, only the row that changed");
    t.match(procs.lines().at(-1)![4], /^\['127\.0\.0\.1:\d+'\]$/);
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "svc:a", true);
    await poll(() => (procs.lines().at(-1)![2] === "STOPPED" ? true : undefined), TIMEOUT, "svc:a STOPPED followed");
    t.equal(await procs.stop(), 0, "Ctrl-C ends it, status 0");
    // The jobs of the start showed in sstate's Starting column, then went.
    t.ok(state.lines().slice(2).some((r) => r[6] !== "[]"), `a start job seen live:\n${state.text()}`);
    await poll(() => (state.lines().at(-1)![6] === "[]" && state.lines().at(-1)![7] === "[]" ? true : undefined), TIMEOUT, "no job left");
    t.equal(await state.stop(), 0);
  });

  await t.test("argument errors: exit 2, the message, then the command's help", async (t) => {
    const noStrategy = await sctl(a0, "start_application");
    t.equal(noStrategy.code, 2);
    t.match(noStrategy.out, /^ERROR: start_application requires at least a strategy\nstart_application <strategy> <appli>\t\t/);
    const badStrategy = await sctl(a0, "start_process", "Config", "svc:a");
    t.equal(badStrategy.code, 2);
    t.match(badStrategy.out, /^ERROR: unknown strategy for start_process\. use one of \['CONFIG', 'LESS_LOADED', 'MOST_LOADED', 'LOCAL', 'LESS_LOADED_NODE', 'MOST_LOADED_NODE'\]\n/);
    const badConciliation = await sctl(a0, "conciliate", "KILL");
    t.equal(badConciliation.code, 2);
    t.match(badConciliation.out, /^ERROR: unknown strategy for conciliate\. use one of \['SENICIDE', 'INFANTICIDE', 'USER', 'STOP', 'RESTART', 'RUNNING_FAILURE'\]\n/);
    t.equal((await sctl(a0, "test_start_application", "CONFIG")).code, 2, "exactly two arguments");
    t.equal((await sctl(a0, "update_numprocs", "api", "zero")).code, 2);
    t.equal((await sctl(a0, "end_sync", "a0", "a1")).code, 2);
    t.equal((await sctl(a0, "loglevel", "loud")).code, 2);
    t.equal((await sctl(a0, "enable_stats", "cpu")).code, 2);
    t.equal((await sctl(a0, "stats_period", "-1")).code, 2);
  });

  await t.test("applications: test_start, start (waits), restart, stop; unmanaged and unknown names", async (t) => {
    const predicted = rows((await sctl(a1, "test_start_application", "LESS_LOADED", "svc")).out);
    t.same(predicted[0], ["Application", "Process", "State", "Supervisor", "Reason"]);
    t.same(predicted.slice(1).map((r) => r.slice(0, 3)), [["svc", "a", "RUNNING"], ["svc", "b", "RUNNING"]]);
    t.same(await placement(a0, "svc"), { a: ["STOPPED", []], b: ["STOPPED", []] }, "a prediction starts nothing");

    t.same(await sctl(a1, "start_application", "CONFIG", "svc", "tool", "nope"), {
      out: "tool: IGNORED (unmanaged. use start tool:*)\nnope: ERROR (no such application)\nsvc started: True\n",
      code: 2,
    });
    // The command waited: svc is RUNNING as soon as it returns.
    t.same(Object.values(await placement(a2, "svc")).map(([s]) => s), ["RUNNING", "RUNNING"]);
    t.same(await sctl(a1, "restart_application", "CONFIG", "svc"), { out: "svc restarted: True\n", code: 0 });
    t.same(await sctl(a2, "stop_application", "svc"), { out: "svc stopped: True\n", code: 0 });
    t.same(Object.values(await placement(a0, "svc")).map(([s]) => s), ["STOPPED", "STOPPED"]);
    t.same(await sctl(a2, "stop_application", "svc"), { out: "svc: ERROR (NOT_RUNNING: failed to stop svc)\n", code: 1 }, "a fault from the server");
  });

  await t.test("processes: start, stop, restart, by regex, with extra arguments, on every instance", async (t) => {
    t.same(await sctl(a0, "start_process", "LOCAL", "svc:a", "svc:b"), { out: "svc:a started: True\nsvc:b started: True\n", code: 0 });
    t.same((await placement(a1, "svc")).a, ["RUNNING", [a0.identifier]], "LOCAL: where the command was typed");
    t.same(await sctl(a0, "stop_process", "svc:*"), { out: "svc:* stopped\n", code: 0 }, "a namespec as given");
    t.same(await sctl(a0, "restart_process", "CONFIG", "svc:a"), { out: "svc:a restarted: True\n", code: 0 });
    t.same(await sctl(a0, "stop_process", "svc:a"), { out: "svc:a stopped\n", code: 0 });
    t.same(await sctl(a0, "start_any_process", "CONFIG", "^svc:b$"), { out: "svc:b started\n", code: 0 });
    const again = await sctl(a0, "start_any_process", "CONFIG", "^svc:b$");
    t.equal(again.code, 1);
    t.match(again.out, /^"\^svc:b\$": ERROR \(/, "nothing left to start matches");
    t.same(await sctl(a0, "stop_process", "svc:b"), { out: "svc:b stopped\n", code: 0 });
    t.same(await sctl(a1, "start_process_args", "LOCAL", "svc:a", "5"), { out: "svc:a started: True\n", code: 0 });
    t.equal((await a1.rpc("supvisors.get_all_local_process_info") as { name: string; extra_args: string }[]).find((p) => p.name === "a")!.extra_args, "5");
    t.same(await sctl(a1, "stop_process", "svc:a"), { out: "svc:a stopped\n", code: 0 });
    t.same(await sctl(a2, "start_any_process_args", "LOCAL", "svc:.", "7"), { out: "svc:a started\n", code: 0 });
    t.same(await sctl(a2, "start_args", "tool", "9"), { out: "tool started: True\n", code: 0 });
    t.same(await sctl(a2, "stop_process", "all"), { out: "svc:a stopped\ntool stopped\nweb:api_0 stopped\nweb:api_1 stopped\nweb:db stopped\n", code: 0 }, "all: every running process");
    t.same(await sctl(a0, "start_application", "CONFIG", "web"), { out: "web started: True\n", code: 0 });

    // all_start: every CHECKED/RUNNING instance, through its own XML-RPC server.
    const everywhere = await sctl(a1, "all_start", "tool");
    const sorted = [...ids(a0, a1, a2)].sort();
    t.same(everywhere, { out: sorted.map((id) => `tool started on ${id}: True\n`).join(""), code: 0 });
    // all_start does not wait (supervisor.startProcess(ns, False) on each instance).
    await poll(async () => (rows((await sctl(a0, "sstatus", "tool")).out)[1]![2] === "RUNNING" ? true : undefined), TIMEOUT, "tool RUNNING");
    t.equal(rows((await sctl(a0, "sstatus", "tool")).out)[1]![4]!.split(",").length, 3, "an unmanaged program may run everywhere");
    t.same(await sctl(a0, "stop_process", "tool"), { out: "tool stopped\n", code: 0 });
  });

  await t.test("conflicts and conciliate", async (t) => {
    // svc:a started on the 3 instances: a conflict of a managed application, left to the user
    // (conciliation_strategy USER).
    const started = (ns: string) => [...ids(a0, a1, a2)].sort().map((id) => `${ns} started on ${id}: True\n`).join("");
    t.same(await sctl(a1, "all_start", "svc:a"), { out: started("svc:a"), code: 0 });
    await poll(async () => ((await stateOf(a0)).fsm_statename === "CONCILIATION" ? true : undefined), TIMEOUT, "CONCILIATION");
    const conflicts = rows((await sctl(a2, "conflicts")).out);
    t.same(conflicts[0], ["Application", "Process", "State", "Supervisor"]);
    t.same(conflicts.slice(1).map((r) => r.slice(0, 2)), [["svc", "a"]]);
    t.match(conflicts[1]![2], /^(STARTING|RUNNING)$/, "a conflict as soon as it runs in two places");
    t.equal(conflicts[1]![3]!.split(",").length, 3, "the three instances");
    t.same(await sctl(a2, "conciliate", "USER"), { out: "Conciliated: False\n", code: 0 }, "USER: nothing done");
    t.same(await sctl(a2, "conciliate", "STOP"), { out: "Conciliated: True\n", code: 0 });
    await poll(async () => ((await stateOf(a0)).fsm_statename === "OPERATION" ? true : undefined), TIMEOUT, "OPERATION again");
    t.same(await sctl(a2, "conflicts"), { out: "", code: 0 }, "no conflict: nothing printed");
    t.same(await sctl(a2, "all_start_args", "svc:a", "11"), { out: started("svc:a"), code: 0 });
    await poll(async () => ((await stateOf(a0)).fsm_statename === "CONCILIATION" ? true : undefined), TIMEOUT, "CONCILIATION");
    t.same(await sctl(a0, "conciliate", "SENICIDE"), { out: "Conciliated: True\n", code: 0 });
    await poll(async () => ((await placement(a0, "svc")).a![1].length === 1 && (await stateOf(a0)).fsm_statename === "OPERATION" ? true : undefined), TIMEOUT, "one svc:a left");
    t.same(await sctl(a0, "stop_process", "svc:a"), { out: "svc:a stopped\n", code: 0 });
  });

  await t.test("update_numprocs, lazy_update_numprocs, disable, enable; supervisorctl with [ctlplugin:supvisors]", async (t) => {
    t.same(await sctl(a0, "update_numprocs", "api", "3"), { out: "api numprocs updated: True\n", code: 0 });
    await poll(async () => ((await placement(a2, "web")).api_2 ? true : undefined), TIMEOUT, "api_2 known everywhere");
    t.same(await sctl(a0, "lazy_update_numprocs", "api", "2"), { out: "api numprocs updated: True\n", code: 0 });
    t.same(await sctl(a0, "update_numprocs", "nope", "2"), { out: "ERROR (BAD_NAME: program=nope unknown to Supvisors)\n", code: 1 });

    t.same(await sctl(a1, "disable", "tool"), { out: "tool disabled: True\n", code: 0 });
    // supervisorctl itself, its config naming Supvisors' ctl plugin: the same commands, and the
    // `start` of a disabled program worded by the plugin.
    const conf = join(dir, "ctl.conf");
    writeFileSync(conf, `[supervisorctl]\nserverurl = http://${a1.identifier}\n\n[ctlplugin:supvisors]\nsupervisor.ctl_factory = supvisors.supvisorsctl:make_supvisors_controller_plugin\n`);
    t.same(await runNode([SUPERVISORCTL, "-c", conf, "start", "tool"]), { out: "tool: ERROR disabled\n", code: 1 });
    t.same(await runNode([SUPERVISORCTL, "-c", conf, "sversion"]), { out: "0.19\n", code: 0 });
    const plain = join(dir, "plain.conf");
    writeFileSync(plain, `[supervisorctl]\nserverurl = http://${a1.identifier}\n`);
    t.same(await runNode([SUPERVISORCTL, "-c", plain, "sversion"]), { out: "*** Unknown syntax: sversion\n", code: 1 }, "without the section: no supvisors commands");
    t.same(await sctl(a1, "enable", "tool"), { out: "tool enabled: True\n", code: 0 });
    t.same(await sctl(a1, "disable", "nope"), { out: "ERROR (BAD_NAME: program=nope unknown to Supvisors)\n", code: 1 });
  });

  await t.test("loglevel, statistics switches and period, end_sync outside SYNCHRONIZATION", async (t) => {
    t.same(await sctl(a2, "loglevel", "debug"), { out: "Logger level changed: True\n", code: 0 });
    t.same(await sctl(a2, "loglevel", "info"), { out: "Logger level changed: True\n", code: 0 });
    t.same(await sctl(a2, "disable_stats", "process"), { out: "Process statistics disabled: True\n", code: 0 });
    t.match((await sctl(a2, "stats_status")).out, /Collecting Process statistics: False\n/);
    t.same(await sctl(a2, "enable_stats"), { out: "Host statistics enabled: True\nProcess statistics enabled: True\n", code: 0 });
    t.same(await sctl(a2, "stats_period", "2"), { out: "Statistics period updated: True\n", code: 0 });
    t.match((await sctl(a2, "stats_status")).out, /Collecting statistics period: {2}2\.0\n/);
    const late = await sctl(a2, "end_sync");
    t.equal(late.code, 1);
    t.match(late.out, /^ERROR \(BAD_SUPVISORS_STATE: /);
  });

  await t.test("the real plugin prints the same (SUPVISORS_SRC)", { skip: ORACLE && existsSync(join(ORACLE, "supvisors")) ? false : "SUPVISORS_SRC not set: no Supvisors 0.19 source to compare with" }, async (t) => {
    const conf = join(dir, "oracle.conf");
    writeFileSync(conf, `[supervisorctl]\nserverurl = http://${a0.identifier}\n\n[ctlplugin:supvisors]\nsupervisor.ctl_factory = supvisors.supvisorsctl:make_supvisors_controller_plugin\n`);
    const real = (words: string[]) =>
      new Promise<CtlRun>((resolve) =>
        execFile("/usr/bin/python3", ["-m", "supervisor.supervisorctl", "-c", conf, ...words], { env: { ...process.env, PYTHONPATH: ORACLE } }, (err, stdout, stderr) =>
          resolve({ out: stdout + stderr, code: err ? (typeof err.code === "number" ? err.code : -1) : 0 }),
        ),
      );
    // Read-only commands whose output does not move between two runs a moment apart.
    const commands = [
      ["sversion"], ["sstate"], ["sstate", "all"], ["sstate", "a1"], ["master"], ["strategies"], ["stats_status"],
      ["application_info"], ["application_info", "web", "nope"], ["application_rules"], ["application_rules", "web", "nope"],
      ["sstatus"], ["sstatus", "web:*", "nope"], ["process_rules"], ["process_rules", "web:db"], ["conflicts"],
      ["test_start_application", "CONFIG", "svc"], ["test_start_process", "LOCAL", "svc:a"], ["start_application"],
      ["start_application", "FOO"], ["conciliate", "USER"], ["end_sync", "x", "y"], ["loglevel"], ["help"], ["help", "sstatus"],
      ["help", "start_process_args"], ["update_numprocs", "api", "x"], ["enable_stats", "disk"], ["stop_application", "nope"],
    ];
    for (const words of commands) {
      const theirs = await real(words);
      t.same(await sctl(a0, ...words), theirs, words.join(" "));
    }
  });

  await t.test("a plain supervisord, nothing listening: the messages and exit statuses of the version check", async (t) => {
    const daemon = new TestDaemon("ours", { programs: "" });
    t.teardown(async () => {
      await daemon.stop();
      daemon.cleanup();
    });
    await daemon.start();
    t.same(await runNode([SUPVISORSCTL, "-s", `unix://${daemon.sock}`, "sstate"]), {
      out: "ERROR: supervisord responded but did not recognize the supvisors namespace commands that supervisorstl uses to control it. Please check that the [rpcinterface:supvisors] section is enabled in the configuration file.\n",
      code: 3,
    });
    t.same(await runNode([SUPVISORSCTL, "-s", "http://127.0.0.1:9", "master"]), { out: "ERROR: http://127.0.0.1:9 refused connection\n", code: 4 });
    t.same(await runNode([SUPVISORSCTL, "-s", `unix://${dir}/none.sock`, "master"]), { out: `ERROR: unix://${dir}/none.sock no such file\n`, code: 7 });
  });

  await t.test("sreload restarts every instance, sshutdown stops them all", async (t) => {
    const starts = (i: ClusterInstance) => i.logText().split("supervisord started with pid").length;
    const before = [a0, a1, a2].map(starts);
    t.same(await sctl(a1, "sreload"), { out: "Restarted: True\n", code: 0 });
    // The answer comes before the restarts: wait for each one, then for the cluster to form again.
    await poll(() => ([a0, a1, a2].every((i, k) => starts(i) > before[k]!) ? true : undefined), 60_000, "every instance restarted");
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION after the restart", 60_000);
    t.same(await sctl(a2, "sshutdown"), { out: "Shut down: True\n", code: 0 });
    for (const i of [a0, a1, a2]) {
      const code = await i.waitExit(TIMEOUT);
      t.equal(code, 0, `${i.spec.nick} exited`, code === 0 ? {} : { log: i.logText().slice(-3000), stderr: i.stderr });
    }
  });
});
