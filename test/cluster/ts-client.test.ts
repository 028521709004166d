/**
 * The TypeScript client against a real cluster of 3 instances (event_link = WS): every
 * `supvisors.*` method called once through SupvisorsClient, each answer compared with the same
 * call made raw (test/helpers/cluster.ts); faults as RpcFaultError; the event stream seeing an
 * application start, and reconnecting by itself when its instance restarts; and the example
 * program examples/client/start-watch-stop.ts run against the cluster.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { RpcFaultError } from "../../src/client/errors.js";
import type { SupvisorsEvent } from "../../src/client/event-types.js";
import type { MethodName, ParamsOf, ResultOf } from "../../src/client/methods.js";
import { SupvisorsClient } from "../../src/client/supvisors-client.js";
import type { RpcValue } from "../../src/supervisord/rpc/codec.js";
import { placement } from "../helpers/apps.js";
import { poll, RpcError, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO } from "../helpers/daemon.js";

const run = promisify(execFile);
const TIMEOUT = 30_000;

const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><start_sequence>1</start_sequence><stop_sequence>3</stop_sequence><required>true</required><expected_loading>20</expected_loading></program>
      <program pattern="api_"><start_sequence>2</start_sequence><stop_sequence>2</stop_sequence><expected_loading>20</expected_loading></program>
      <program name="front"><start_sequence>3</start_sequence><stop_sequence>1</stop_sequence></program>
    </programs>
  </application>
</root>
`;

const program = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\nstopwaitsecs = 5\n${extra}\n`;
const PROGRAMS = [
  "[group:web]\nprograms = db,api,front\n",
  program("db"),
  program("api", "process_name = api_%(process_num)d\nnumprocs = 2"),
  program("front"),
  "[group:misc]\nprograms = tool,tool2,tool3,pool\n",
  program("tool"),
  program("tool2"),
  program("tool3"),
  program("pool", "process_name = pool_%(process_num)d\nnumprocs = 2"),
].join("\n");

/** Records the methods it was asked to call. */
class CountingClient extends SupvisorsClient {
  static readonly called = new Set<string>();
  protected override invoke<N extends MethodName>(method: N, params: ParamsOf<N>): Promise<ResultOf<N>> {
    CountingClient.called.add(method);
    return super.invoke(method, params);
  }
}

/** What moves between two reads of the same state: clocks, counters, uptimes. */
const VOLATILE = /^(now|now_monotonic|remote_mtime|local_mtime|remote_time|local_time|remote_sequence_counter|local_sequence_counter|uptime)$/;
function steady(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(steady);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !VOLATILE.test(k))
        .map(([k, x]) => [k, k === "description" && typeof x === "string" ? x.replace(/uptime \d+:\d\d:\d\d/, "uptime <t>") : steady(x)]),
    );
  }
  return v;
}

/** [code, faultString] of a call that must fail, from the client or raw. */
async function faultOf(p: Promise<unknown>): Promise<[number, string]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcFaultError) return [err.code, err.faultString];
    if (err instanceof RpcError) return [err.faultCode, err.faultString];
    throw err;
  }
  throw new Error("the call succeeded");
}

const urlOf = (i: ClusterInstance) => `http://${i.spec.host}:${i.spec.port}`;

t.test("SupvisorsClient over 3 instances", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-ts-client-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const cluster = await TestCluster.create({
    size: 3,
    supvisors: `rules_files = ${dir}/rules.xml\ndisabilities_file = {dir}/disabilities.json\nevent_link = WS`,
    programs: PROGRAMS,
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const operating = () =>
    cluster.waitAll(async (i) => {
      const s = await stateOf(i);
      return s.fsm_statename === "OPERATION" && Object.values(s.instance_states).every((x) => x === "RUNNING");
    }, "OPERATION everywhere", TIMEOUT);
  await operating();
  const [c0, c1, c2] = cluster.instances.map((i) => new CountingClient(urlOf(i)));
  t.teardown(() => Promise.all([c0!.close(), c1!.close(), c2!.close()]));
  const s0 = c0!.supvisors;
  const s1 = c1!.supvisors;
  const raw0 = (method: string, ...params: RpcValue[]) => a0.slowRpc(TIMEOUT, method, ...params);
  const raw1 = (method: string, ...params: RpcValue[]) => a1.slowRpc(TIMEOUT, method, ...params);

  // Subscribed before anything is started: the stream sees the whole test, and a2's restarts.
  const seen: SupvisorsEvent[] = [];
  const stream = c2!.subscribe({ headers: ["process", "application", "event", "supvisors"], reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
  stream.on("message", (e) => seen.push(e));
  await stream.opened(TIMEOUT);

  let listed: string[] = [];
  await t.test("status: each read as the raw call answers it", async (t) => {
    listed = (await c0!.system.listMethods()).filter((m) => m.startsWith("supvisors."));
    t.equal(listed.length, 44, "Supvisors 0.19's 43 methods and our rolling_restart");
    t.equal(await s0.getApiVersion(), "0.19");
    t.equal(await s0.getApiVersion(), await raw0("supvisors.get_api_version"));
    const state = await s0.getSupvisorsState();
    t.same(steady(state), steady(await raw0("supvisors.get_supvisors_state")));
    t.equal(state.fsm_statename, "OPERATION");
    t.same(state.starting_jobs, [], "the global form: lists of identifiers");
    const modes = await s0.getAllInstancesStateModes();
    t.same(steady(modes), steady(await raw0("supvisors.get_all_instances_state_modes")));
    t.same(modes.map((m) => m.starting_jobs), [false, false, false], "the per-instance form: booleans");
    t.same(steady(await s0.getInstanceStateModes("a1")), steady(await raw0("supvisors.get_instance_state_modes", "a1")));
    const master = await s0.getMasterIdentifier();
    t.same(master, await raw0("supvisors.get_master_identifier"));
    t.ok("identifier" in master && cluster.instances.some((i) => i.identifier === master.identifier), "a Master among the instances");
    t.same(await s0.getStrategies(), await raw0("supvisors.get_strategies"));
    t.same(await s0.getStatisticsStatus(), await raw0("supvisors.get_statistics_status"));
    const network = await s0.getNetworkInfo(a1.identifier);
    t.same(network, await raw0("supvisors.get_network_info", a1.identifier));
    t.equal(network.http_port, a1.spec.port);
    const instances = await s0.getAllInstancesInfo();
    t.same(steady(instances), steady(await raw0("supvisors.get_all_instances_info")));
    t.same(instances.map((i) => [i.nick_identifier, i.statename]).sort(), [["a0", "RUNNING"], ["a1", "RUNNING"], ["a2", "RUNNING"]]);
    t.same(steady(await s0.getInstanceInfo("a2")), steady(await raw0("supvisors.get_instance_info", "a2")));
    t.same(steady(await s0.getAllApplicationsInfo()), steady(await raw0("supvisors.get_all_applications_info")));
    t.same(steady(await s0.getApplicationInfo("web")), steady(await raw0("supvisors.get_application_info", "web")));
    const rules = await s0.getApplicationRules("web");
    t.same(rules, await raw0("supvisors.get_application_rules", "web"));
    t.equal(rules.managed && rules.starting_strategy, "LESS_LOADED", "narrowed on managed");
    t.same(await s0.getApplicationRules("misc"), { managed: false, application_name: "misc" });
    t.same(steady(await s0.getAllProcessInfo()), steady(await raw0("supvisors.get_all_process_info")));
    t.same(steady(await s0.getProcessInfo("web:*")), steady(await raw0("supvisors.get_process_info", "web:*")));
    t.same(steady(await s0.getAllLocalProcessInfo()), steady(await raw0("supvisors.get_all_local_process_info")));
    t.same(steady(await s0.getLocalProcessInfo("misc:tool")), steady(await raw0("supvisors.get_local_process_info", "misc:tool")));
    t.same(steady(await s0.getAllInnerProcessInfo(a1.identifier)), steady(await raw0("supvisors.get_all_inner_process_info", a1.identifier)));
    t.same(steady(await s0.getInnerProcessInfo(a1.identifier, "web:db")), steady(await raw0("supvisors.get_inner_process_info", a1.identifier, "web:db")));
    const prules = await s0.getProcessRules("web:*");
    t.same(prules, await raw0("supvisors.get_process_rules", "web:*"));
    t.same(Object.fromEntries(prules.map((r) => [r.process_name, [r.start_sequence, r.expected_loading]])), { db: [1, 20], api_0: [2, 20], api_1: [2, 20], front: [3, 0] });
    t.same(await s0.getConflicts(), await raw0("supvisors.get_conflicts"));
  });

  await t.test("applications: start / stop / restart / test_start, and the events of the start", async (t) => {
    t.same(await s1.testStartApplication("LESS_LOADED", "web"), await raw1("supvisors.test_start_application", "LESS_LOADED", "web"));
    const mark = seen.length;
    t.equal(await s1.startApplication("LESS_LOADED", "web"), true);
    // What the subscriber of a2 saw of that start: each process STARTING then RUNNING, the raw
    // events with their owner. (The application shows RUNNING as soon as a rank runs, between ranks.)
    const names = ["db", "api_0", "api_1", "front"];
    const processStates = (name: string) => seen.slice(mark).flatMap((e) => (e.header === "process" && e.body.application_name === "web" && e.body.process_name === name ? [e.body.statename] : []));
    await poll(() => (names.every((n) => processStates(n).includes("RUNNING")) ? true : undefined), TIMEOUT, "every process RUNNING on the stream");
    for (const n of names) t.same(processStates(n), ["STARTING", "RUNNING"], `${n}: STARTING, RUNNING`);
    const raw = seen.slice(mark).flatMap((e) => (e.header === "event" && e.body.group === "web" && e.body.state === 20 ? [e.body] : []));
    t.same(raw.map((e) => e.name).sort(), [...names].sort(), "a raw event per process RUNNING");
    t.ok(raw.every((e) => cluster.instances.some((i) => i.identifier === e.identifier)), "from the instance owning it");
    const appStates = () => seen.slice(mark).flatMap((e) => (e.header === "application" && e.body.application_name === "web" ? [e.body.statename] : []));
    // Its event follows front's RUNNING: it may still be on its way.
    await poll(() => (appStates().at(-1) === "RUNNING" ? true : undefined), TIMEOUT, "the application RUNNING after its last process");
    t.same([appStates()[0], appStates().at(-1)], ["STARTING", "RUNNING"], "the application STARTING first, RUNNING last");

    const rawStop = await raw1("supvisors.stop_application", "web");
    t.equal(await raw1("supvisors.start_application", "LESS_LOADED", "web"), true, "the raw start answers as the client's");
    t.equal(await s1.stopApplication("web"), rawStop, "the client's stop answers as the raw one");

    t.equal(await s1.restartApplication("CONFIG", "web"), true);
    t.equal(await raw1("supvisors.restart_application", "CONFIG", "web"), true);
    t.same((await placement(a0, "web")).db![0], "RUNNING");
    await raw1("supvisors.stop_application", "web");
  });

  await t.test("processes: each control as the raw call answers it", async (t) => {
    // Client then raw on a twin, or client, raw undo, raw redo, client undo.
    t.equal(await s0.startProcess("CONFIG", "misc:tool"), await raw0("supvisors.start_process", "CONFIG", "misc:tool2", "", true));
    t.equal(await s0.restartProcess("CONFIG", "misc:tool", "5"), await raw0("supvisors.restart_process", "CONFIG", "misc:tool2", "5", true));
    t.same((await s0.getProcessInfo("misc:tool"))[0]!.extra_args, "5", "the extra arguments are kept");
    // Ours: the rolling restart of a running process (client, then raw on the twin).
    t.equal(await s0.rollingRestart("misc:tool"), await raw0("supvisors.rolling_restart", "misc:tool2", 1, true));
    t.equal(await s0.stopProcess("misc:tool"), await raw0("supvisors.stop_process", "misc:tool2", true));
    t.same(await s0.testStartProcess("LOCAL", "misc:*"), await raw0("supvisors.test_start_process", "LOCAL", "misc:*"));
    const any = await s0.startAnyProcess("CONFIG", "^misc:tool3$");
    const rawStopped = await raw0("supvisors.stop_process", "misc:tool3", true);
    t.equal(any, await raw0("supvisors.start_any_process", "CONFIG", "^misc:tool3$", "", true));
    t.equal(any, "misc:tool3", "the namespec started");
    t.equal(await s0.stopProcess("misc:tool3"), rawStopped);
    // start_args: on the receiving instance itself.
    const startedHere = await s0.startArgs("misc:tool", "7");
    t.same((await s0.getProcessInfo("misc:tool"))[0]!.identifiers, [a0.identifier], "on the instance asked");
    await raw0("supvisors.stop_process", "misc:tool", true);
    t.equal(startedHere, await raw0("supvisors.start_args", "misc:tool", "7", true));
    await raw0("supvisors.stop_process", "misc:tool", true);
  });

  await t.test("programs on one instance: numprocs, enable / disable", async (t) => {
    t.equal(await s0.updateNumprocs("pool", 3), await raw0("supvisors.update_numprocs", "pool", 2, true, false));
    t.equal(await s0.disable("tool3"), true);
    const rawEnabled = await raw0("supvisors.enable", "tool3", true);
    t.equal(await raw0("supvisors.disable", "tool3", true), true, "the raw disable answers as the client's");
    t.equal(await s0.enable("tool3"), rawEnabled, "the client's enable answers as the raw one");
    t.equal((await s0.getLocalProcessInfo("misc:tool3")).disabled, false);
  });

  await t.test("statistics and log level controls", async (t) => {
    t.equal(await s0.enableHostStatistics(true), await raw0("supvisors.enable_host_statistics", true));
    t.equal(await s0.enableProcessStatistics(true), await raw0("supvisors.enable_process_statistics", true));
    t.equal(await s0.updateCollectingPeriod(2), await raw0("supvisors.update_collecting_period", 5));
    t.equal(await s0.changeLogLevel("debug"), await raw0("supvisors.change_log_level", "info"));
  });

  await t.test("faults, each as the raw call gets it", async (t) => {
    const cases: [string, () => Promise<unknown>, () => Promise<RpcValue>, number][] = [
      ["conciliate outside CONCILIATION", () => s0.conciliate("SENICIDE"), () => raw0("supvisors.conciliate", "SENICIDE"), 101],
      ["end_sync outside SYNCHRONIZATION", () => s0.endSync(), () => raw0("supvisors.end_sync", ""), 101],
      ["restart_sequence with nothing to start", () => s0.restartSequence(), () => raw0("supvisors.restart_sequence", true), 40],
      ["an unknown application", () => s0.getApplicationInfo("nosuch"), () => raw0("supvisors.get_application_info", "nosuch"), 10],
      ["an unmanaged application", () => s0.startApplication("CONFIG", "misc"), () => raw0("supvisors.start_application", "CONFIG", "misc", true), 102],
      ["a strategy out of range", () => c0!.callRaw("supvisors.start_process", [9, "misc:tool"]), () => raw0("supvisors.start_process", 9, "misc:tool"), 2],
      ["an unknown instance", () => s0.getInstanceInfo("a9"), () => raw0("supvisors.get_instance_info", "a9"), 10],
    ];
    for (const [what, viaClient, viaRaw, code] of cases) {
      const ours = await faultOf(viaClient());
      t.same(ours, await faultOf(viaRaw()), what);
      t.equal(ours[0], code, `${what}: code ${code}`);
    }
    const err = await s0.stopApplication("web").catch((e: unknown) => e);
    t.ok(err instanceof RpcFaultError && err.is("NOT_RUNNING"), "a typed fault: web is not running");
  });

  await t.test("the example program: starts web, sees it RUNNING on the event interface, stops it", async (t) => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "examples/client/start-watch-stop.ts", urlOf(a0), "web"], { cwd: REPO, timeout: 2 * TIMEOUT });
    const lines = stdout.trim().split("\n");
    const at = (line: string) => lines.indexOf(line);
    t.match(lines[0], /^events: subscribed to ws:\/\/127\.0\.0\.1:\d+\/application\/process$/, "subscribed first");
    t.ok(lines.slice(1).some((l) => /^connected to a0 \(127\.0\.0\.1:\d+\): Supvisors is OPERATION, Master 127\.0\.0\.1:\d+$/.test(l)), "connected to a0");
    t.ok(at("event: application web STOPPED") > 0, "the current state from the snapshot");
    t.ok(at("web is STOPPED") < at("starting web"), "the state read before the start");
    t.ok(at("starting web") > 0, "starting");
    t.ok(lines.some((l) => /^event: process web:db RUNNING on 127\.0\.0\.1:\d+$/.test(l)), "db's RUNNING event, with where it runs");
    t.ok(at("event: application web RUNNING") > at("starting web"), "the application's RUNNING event");
    t.ok(at("web is RUNNING") > at("event: application web RUNNING"), "seen RUNNING by its event");
    t.ok(at("stopping web") > at("web is RUNNING"));
    t.equal(lines.at(-1), "web is STOPPED", "stopped last");
    t.same((await placement(a0, "web")).db, ["STOPPED", []]);
  });

  await t.test("restart: the cluster restarts; the event stream reconnects by itself and gets the state again", async (t) => {
    const boots = () => cluster.instances.map((i) => i.logText().split("FiniteStateMachine: Supvisors in SYNCHRONIZATION").length);
    const restarted = async (before: number[]) => {
      await poll(() => (boots().every((n, k) => n > before[k]!) ? true : undefined), TIMEOUT, "every instance restarted");
      await operating();
    };
    const closes: boolean[] = [];
    const onClose = (i: { willReconnect: boolean }) => closes.push(i.willReconnect);
    stream.on("close", onClose);
    const reopened = new Promise<boolean>((resolve) => stream.once("open", (i) => resolve(i.reconnected)));
    const first = boots();
    t.equal(await s1.restart(), true);
    t.equal(await reopened, true, "open again, as a reconnection");
    t.ok(closes.length >= 1 && closes.every(Boolean), "lost, with a reconnection coming");
    const snapshot = await stream.waitFor((e) => e.header === "supvisors", { timeoutMs: TIMEOUT });
    t.ok(snapshot, "the state again from the restarted instance");
    await restarted(first);
    const second = boots();
    t.equal(await a0.slowRpc(TIMEOUT, "supvisors.restart"), true, "the raw restart answers as the client's");
    await restarted(second);
    await stream.opened(TIMEOUT);
    stream.off("close", onClose);
    t.equal(stream.state, "open");
  });

  await t.test("shutdown: the raw call on a one-instance cluster, then the client's here", async (t) => {
    const spare = await TestCluster.create({ size: 1, nicks: ["spare"] });
    t.teardown(() => spare.teardown());
    const [only] = spare.instances as [ClusterInstance];
    await poll(async () => ((await stateOf(only)).fsm_statename === "OPERATION" ? true : undefined), TIMEOUT, "spare OPERATION");
    const rawShutdown = await only.rpc("supvisors.shutdown");
    t.equal(await s0.shutdown(), rawShutdown);
    t.same(await Promise.all(cluster.instances.map((i) => i.waitExit(TIMEOUT))), [0, 0, 0], "every instance exited");
    t.equal(await only.waitExit(TIMEOUT), 0);
    await stream.close();
  });

  t.same(
    listed.filter((m) => !CountingClient.called.has(m)),
    [],
    "every supvisors.* method was called through the client",
  );
});
