/**
 * The Java client's supvisors namespace (clients/java, org.supvisors.rpc.SupvisorsXmlRpc) against a
 * 3-instance cluster of ours with inet credentials and synchro_options = USER. The Java program
 * clients/java/test/org/supvisors/test/SupvisorsCheck.java, connected to a0, runs the calls this
 * test sends it on its stdin and prints each typed result back under the XML-RPC keys; the status
 * results must equal the same call made over XML-RPC from TypeScript (time-varying fields only
 * typed), the faults must have the same code, and the controls are checked by their effect seen
 * over XML-RPC. Every public method of SupvisorsXmlRpc is called, and every supvisors.* method the
 * daemon serves has its Java method.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import t, { type Test } from "tap";
import { poll, RpcError, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { compileJava, javaMissing } from "../helpers/java.js";

const TIMEOUT = 30_000;
const AUTH = { username: "java", password: "s3cret" };

const RULES = `<?xml version="1.0"?>
<root>
  <application name="app">
    <programs>
      <program name="one"><start_sequence>1</start_sequence><expected_loading>5</expected_loading></program>
      <program name="two"><start_sequence>2</start_sequence><required>true</required></program>
    </programs>
  </application>
  <application name="auto">
    <start_sequence>1</start_sequence>
    <programs>
      <program name="auto1"><start_sequence>1</start_sequence></program>
    </programs>
  </application>
  <application name="late">
    <start_sequence>2</start_sequence>
    <programs>
      <program name="flaky"><start_sequence>1</start_sequence><required>true</required></program>
    </programs>
  </application>
  <application name="dup">
    <programs>
      <program name="p"><identifiers>a0,a1,a2</identifiers></program>
    </programs>
  </application>
</root>
`;
const sleeper = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 1\nstopwaitsecs = 5\n${extra}\n`;
/** The programs; late:flaky fails to start until the test writes FLAG. */
const programs = (flag: string) => [
  "[group:app]\nprograms = one,two\n",
  sleeper("one"),
  sleeper("two"),
  "[group:auto]\nprograms = auto1\n",
  sleeper("auto1"),
  "[group:dup]\nprograms = p\n",
  sleeper("p"),
  "[group:misc]\nprograms = tool,pool\n",
  sleeper("tool", "startsecs = 0"),
  sleeper("pool", "process_name = pool_%(process_num)d\nnumprocs = 2\nstartsecs = 0"),
  "[group:late]\nprograms = flaky\n",
  `[program:flaky]\ncommand = /bin/sh -c "test -f ${flag} && exec /bin/sleep 300"\nautostart = false\nstartsecs = 1\nstartretries = 0\n`,
].join("\n");

/** The Java method of each supvisors.* method the daemon serves. */
const JAVA_OF: Record<string, string> = {
  get_api_version: "getAPIVersion",
  get_supvisors_state: "getSupvisorsState",
  get_all_instances_state_modes: "getAllInstancesStateModes",
  get_instance_state_modes: "getInstanceStateModes",
  get_master_identifier: "getMasterIdentifier",
  get_strategies: "getStrategies",
  get_statistics_status: "getStatisticsStatus",
  get_network_info: "getNetworkInfo",
  get_all_instances_info: "getAllInstancesInfo",
  get_instance_info: "getInstanceInfo",
  get_all_applications_info: "getAllApplicationInfo",
  get_application_info: "getApplicationInfo",
  get_application_rules: "getApplicationRules",
  get_all_process_info: "getAllProcessInfo",
  get_process_info: "getProcessInfo",
  get_all_local_process_info: "getAllLocalProcessInfo",
  get_local_process_info: "getLocalProcessInfo",
  get_all_inner_process_info: "getAllInnerProcessInfo",
  get_inner_process_info: "getInnerProcessInfo",
  get_process_rules: "getProcessRules",
  get_conflicts: "getConflicts",
  change_log_level: "changeLogLevel",
  end_sync: "endSynchronization",
  conciliate: "conciliate",
  restart_sequence: "restartSequence",
  restart: "restart",
  shutdown: "shutdown",
  start_application: "startApplication",
  stop_application: "stopApplication",
  test_start_application: "testStartApplication",
  test_start_process: "testStartProcess",
  restart_application: "restartApplication",
  start_args: "startArgs",
  start_process: "startProcess",
  start_any_process: "startAnyProcess",
  stop_process: "stopProcess",
  restart_process: "restartProcess",
  rolling_restart: "rollingRestart",
  enable: "enable",
  update_numprocs: "updateNumprocs",
  disable: "disable",
  enable_host_statistics: "enableHostStatistics",
  enable_process_statistics: "enableProcessStatistics",
  update_collecting_period: "updateCollectingPeriod",
};

/** Fields that change from one call to the next (the monotonic start / stop of a local process are derived from the time of the call): only their type is compared. */
const VOLATILE = new Set(["now_monotonic", "now", "start_monotonic", "stop_monotonic", "local_mtime", "remote_mtime", "local_time", "remote_time", "remote_sequence_counter", "local_sequence_counter", "description", "uptime"]);

type Json = unknown;
type Obj = Record<string, unknown>;

/** Equal as JSON values (a Java null stands for a missing key), volatile keys by type only. */
function diff(java: Json, ts: Json, path = ""): string | null {
  if (java === null && ts === undefined) return null;
  if (typeof java === "number" && typeof ts === "number") return Math.abs(java - ts) <= 1e-9 * Math.max(1, Math.abs(ts)) ? null : `${path}: ${java} != ${ts}`;
  if (Array.isArray(java) && Array.isArray(ts)) {
    if (java.length !== ts.length) return `${path}: length ${java.length} != ${ts.length}`;
    for (let i = 0; i < java.length; i++) {
      const d = diff(java[i], ts[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (java && ts && typeof java === "object" && typeof ts === "object" && !Array.isArray(java) && !Array.isArray(ts)) {
    const a = java as Obj;
    const b = ts as Obj;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (VOLATILE.has(k) && b[k] !== undefined) {
        if (typeof a[k] !== typeof b[k]) return `${path}.${k}: type ${typeof a[k]} != ${typeof b[k]}`;
        continue;
      }
      const d = diff(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return java === ts ? null : `${path}: ${JSON.stringify(java)} != ${JSON.stringify(ts)}`;
}

/** A TS struct as Java prints it: no state codes (the enums are compared by name). */
function view(x: Json): Json {
  if (Array.isArray(x)) return x.map(view);
  if (x && typeof x === "object") {
    const out: Obj = {};
    for (const [k, v] of Object.entries(x as Obj)) {
      if (k === "statecode" || k === "fsm_statecode") continue;
      // LocalProcessInfo / InnerProcessInfo: the state code, as the ProcessState Java reads from it
      if (k === "state" && typeof v === "number") continue;
      out[k] = view(v);
    }
    return out;
  }
  return x;
}

const namespec = (group: string, name: string) => (group === name ? name : `${group}:${name}`);

/** The name a Java map keys an item by. */
function keyOf(item: Obj): string {
  if (typeof item.fsm_statename === "string" || typeof item.node_name === "string") return item.identifier as string;
  if (typeof item.process_name === "string") return namespec(item.application_name as string, item.process_name);
  if (typeof item.application_name === "string") return item.application_name;
  return namespec(item.group as string, item.name as string);
}

/** A TS array of structs as the keyed map Java returns. */
function keyed(items: Json): Obj {
  return Object.fromEntries((items as Obj[]).map((i) => [keyOf(i), view(i)]));
}

/** SupvisorsCheck, driven line by line. */
class JavaCheck {
  readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;
  readonly stderr: string[] = [];

  constructor(classpath: string, target: ClusterInstance) {
    this.child = spawn("java", ["-cp", classpath, "org.supvisors.test.SupvisorsCheck", target.spec.host, String(target.spec.port), AUTH.username, AUTH.password], { stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      this.lines.push(line);
      this.waiter?.();
    });
    createInterface({ input: this.child.stderr! }).on("line", (line) => this.stderr.push(line));
  }

  private async next(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null) throw new Error(`SupvisorsCheck exited ${this.child.exitCode}: ${this.stderr.join(" | ")}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error("no answer from SupvisorsCheck");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.lines.shift()!;
  }

  async ready(): Promise<void> {
    const line = await this.next(TIMEOUT);
    if (!line.startsWith("ready\t")) throw new Error(`unexpected first line ${line}`);
  }

  /** One call: the method and its arguments (strings, booleans, numbers; null as "-"). */
  async call(method: string, ...args: (string | number | boolean | null)[]): Promise<Json> {
    this.child.stdin!.write([method, ...args.map((a) => (a === null ? "-" : String(a)))].join("\t") + "\n");
    const line = await this.next(TIMEOUT);
    const tab = line.indexOf("\t");
    if (line.slice(0, tab) !== method) throw new Error(`answer of ${line.slice(0, tab)} to ${method}`);
    return JSON.parse(line.slice(tab + 1));
  }

  quit(): void {
    if (this.child.exitCode === null) this.child.stdin!.end("quit\n");
  }
}

/** The result of a TS call, or {fault: code}. */
async function tsCall(i: ClusterInstance, method: string, ...params: (string | number | boolean)[]): Promise<Json> {
  try {
    return await i.slowRpc(TIMEOUT, `supvisors.${method}`, ...params);
  } catch (err) {
    if (err instanceof RpcError) return { fault: err.faultCode };
    throw err;
  }
}

async function run(t: Test, classpath: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sv-java-supvisors-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const supvisors = [`rules_files = ${dir}/rules.xml`, "synchro_options = USER", "disabilities_file = {dir}/disabilities.json", "stats_enabled = true"].join("\n");
  const cluster = await TestCluster.create({ size: 3, supvisors, programs: programs(join(dir, "flag")), auth: AUTH });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  const java = new JavaCheck(classpath, a0);
  t.teardown(() => {
    if (java.child.exitCode === null) java.child.kill("SIGKILL");
  });
  await java.ready();

  const state = async (i: ClusterInstance) => (await i.rpc("supvisors.get_supvisors_state")) as { fsm_statename: string; master_identifier: string; instance_states: Record<string, string> };
  const allRunning = (s: { instance_states: Record<string, string> }) => Object.keys(s.instance_states).length === 3 && Object.values(s.instance_states).every((x) => x === "RUNNING");
  const everywhere = (fsm: string) => cluster.waitAll(async (i) => (await state(i)).fsm_statename === fsm, `${fsm} everywhere`, TIMEOUT);
  const processInfo = async (ns: string) => ((await a0.rpc("supvisors.get_process_info", ns)) as Obj[])[0]!;
  const processState = async (ns: string) => (await processInfo(ns)).statename as string;
  const appState = async (name: string) => ((await a0.rpc("supvisors.get_application_info", name)) as Obj).statename as string;
  /** The effect of a control, seen over XML-RPC (polled until it shows, or the deadline). */
  const seen = async (t: Test, probe: () => Promise<unknown>, expected: unknown, what: string) => {
    let last: unknown;
    await poll(async () => {
      last = await probe();
      return diff(last, expected) === null ? true : undefined;
    }, TIMEOUT, what).catch(() => undefined);
    t.same(last, expected, what);
  };
  const localOf = async (i: ClusterInstance, ns: string) => (await i.rpc("supvisors.get_local_process_info", ns)) as Obj;
  const waitFor = (what: string, probe: () => Promise<boolean>) => poll(async () => ((await probe()) ? true : undefined), TIMEOUT, what);
  /** The pid of a process where it runs. */
  const pidOf = async (ns: string) => {
    const where = (await processInfo(ns)).identifiers as string[];
    const host = cluster.instances.find((i) => i.identifier === where[0])!;
    return (await localOf(host, ns)).pid as number;
  };

  /** The Java result and the TS one of the same call (TS just after Java), compared. */
  const same = async (t: Test, method: string, javaArgs: (string | number | boolean | null)[], tsParams: (string | number | boolean)[], shape: "value" | "keyed" = "value", what = "") => {
    const j = await java.call(JAVA_OF[method]!, ...javaArgs);
    const ts = await tsCall(a0, method, ...tsParams);
    const expected = shape === "keyed" && Array.isArray(ts) ? keyed(ts) : view(ts);
    const d = diff(j, expected);
    t.equal(d, null, `${JAVA_OF[method]}(${javaArgs.join(", ")}) equals supvisors.${method} over XML-RPC${what}`, { java: j, ts: expected });
    if (shape === "keyed" && Array.isArray(ts)) t.same(Object.keys(j as Obj), Object.keys(expected as Obj), `${JAVA_OF[method]}: keyed by name, in the answer's order`);
    return j;
  };
  const fault = async (t: Test, code: number, method: string, ...args: (string | number | boolean | null)[]) => {
    t.same(await java.call(method, ...args), { fault: code }, `${method}(${args.join(", ")}): fault ${code}`);
  };

  await t.test("credentials: refused without them (401), accepted with them", async (t) => {
    t.same(await java.call("auth"), { none: 401, wrong: 401 }, "getHttpStatus() 401 without credentials and with a wrong password");
    t.equal(await java.call("getAPIVersion"), "0.19", "getAPIVersion (public) with the credentials");
  });

  await t.test("every supvisors.* method served has its Java method", async (t) => {
    const served = ((await a0.rpc("system.listMethods")) as string[]).filter((m) => m.startsWith("supvisors.")).map((m) => m.slice("supvisors.".length));
    t.same(served.filter((m) => !JAVA_OF[m]), [], "no method without a Java one");
    t.same(Object.keys(JAVA_OF).filter((m) => !served.includes(m)), [], "no Java method the daemon does not serve");
  });

  await t.test("SYNCHRONIZATION (USER): guards, then endSynchronization()", async (t) => {
    await cluster.waitAll(async (i) => {
      const s = await state(i);
      return s.fsm_statename === "SYNCHRONIZATION" && allRunning(s);
    }, "every instance RUNNING in SYNCHRONIZATION", TIMEOUT);
    await same(t, "get_supvisors_state", [], []);
    t.same(await java.call("getMasterIdentifier"), {}, "no Master yet: an identifier of nulls");
    await same(t, "get_all_applications_info", [], [], "keyed", " (a fault)");
    await fault(t, 101, "getAllApplicationInfo");
    await fault(t, 101, "restart");
    await fault(t, 101, "shutdown");
    await fault(t, 101, "restartSequence", true);
    await fault(t, 101, "conciliate", "USER");
    await fault(t, 10, "endSynchronization", "nope");
    t.equal(await java.call("endSynchronization"), true, "endSynchronization() calls end_sync without argument");
    await everywhere("OPERATION");
    t.not((await state(a2)).master_identifier, "", "a Master elected");
  });

  await t.test("the status methods equal their XML-RPC results", async (t) => {
    await waitFor("auto started by DISTRIBUTION", async () => (await processState("auto:auto1")) === "RUNNING");
    await same(t, "get_supvisors_state", [], []);
    await same(t, "get_all_instances_state_modes", [], [], "keyed");
    await same(t, "get_instance_state_modes", ["a1"], ["a1"], "keyed");
    await same(t, "get_instance_state_modes", ["nope"], ["nope"], "keyed", " (BAD_NAME)");
    await same(t, "get_master_identifier", [], []);
    await same(t, "get_strategies", [], []);
    await same(t, "get_statistics_status", [], []);
    await same(t, "get_network_info", [a0.identifier], [a0.identifier]);
    await same(t, "get_network_info", ["nope"], ["nope"], "value", " (BAD_NAME)");
    await same(t, "get_all_instances_info", [], [], "keyed");
    await same(t, "get_instance_info", ["a2"], ["a2"], "keyed");
    await same(t, "get_instance_info", ["nope"], ["nope"], "keyed", " (BAD_NAME)");
    await same(t, "get_all_applications_info", [], [], "keyed");
    await same(t, "get_application_info", ["app"], ["app"]);
    await same(t, "get_application_info", ["nope"], ["nope"], "value", " (BAD_NAME)");
    await same(t, "get_application_rules", ["app"], ["app"]);
    await same(t, "get_application_rules", ["misc"], ["misc"], "value", " (not managed)");
    await same(t, "get_all_process_info", [], [], "keyed");
    await same(t, "get_process_info", ["app:*"], ["app:*"], "keyed");
    await same(t, "get_process_info", ["nope:x"], ["nope:x"], "keyed", " (BAD_NAME)");
    await same(t, "get_all_local_process_info", [], [], "keyed");
    await same(t, "get_local_process_info", ["misc:tool"], ["misc:tool"]);
    await same(t, "get_local_process_info", ["nope"], ["nope"], "value", " (BAD_NAME)");
    await same(t, "get_all_inner_process_info", [a1.identifier], [a1.identifier]);
    const auto = (await processInfo("auto:auto1")).identifiers as string[];
    const inner = await same(t, "get_inner_process_info", [auto[0]!, "auto:*"], [auto[0]!, "auto:*"]);
    t.equal((inner as Obj[])[0]?.statename, "RUNNING", "the inner record of the running auto1");
    await same(t, "get_inner_process_info", ["nope", "auto:*"], ["nope", "auto:*"], "value", " (BAD_NAME)");
    await same(t, "get_process_rules", ["app:*"], ["app:*"], "keyed");
    await same(t, "get_process_rules", ["misc:tool"], ["misc:tool"], "keyed", " (not managed)");
    await same(t, "get_conflicts", [], [], "keyed");
    await same(t, "test_start_application", ["CONFIG", "app"], [0, "app"], "keyed");
    await same(t, "test_start_process", ["LESS_LOADED", "app:one"], [1, "app:one"], "keyed");
    await same(t, "test_start_application", ["CONFIG", "misc"], [0, "misc"], "keyed", " (NOT_MANAGED)");
  });

  await t.test("application control", async (t) => {
    await fault(t, 10, "startApplication", "CONFIG", "nope", true);
    await fault(t, 102, "startApplication", "CONFIG", "misc", true);
    t.equal(await java.call("startApplication", "CONFIG", "app", true), true, "startApplication");
    await seen(t, () => appState("app"), "RUNNING", "app RUNNING");
    await fault(t, 60, "startApplication", "CONFIG", "app", true);
    const pid = await pidOf("app:one");
    t.equal(await java.call("restartApplication", "CONFIG", "app", true), true, "restartApplication");
    await seen(t, () => appState("app"), "RUNNING", "app RUNNING again");
    t.not(await pidOf("app:one"), pid, "app:one restarted (another pid)");
    t.equal(await java.call("stopApplication", "app", true), true, "stopApplication");
    await seen(t, () => appState("app"), "STOPPED", "app STOPPED");
    await fault(t, 70, "stopApplication", "app", true);
  });

  await t.test("process control", async (t) => {
    t.equal(await java.call("startProcess", "LESS_LOADED", "app:one", "", true), true, "startProcess");
    await seen(t, () => processState("app:one"), "RUNNING", "app:one RUNNING");
    await fault(t, 60, "startProcess", "CONFIG", "app:one", "", true);
    await fault(t, 10, "startProcess", "CONFIG", "app:nope", "", true);
    const pid = await pidOf("app:one");
    t.equal(await java.call("restartProcess", "CONFIG", "app:one", "", true), true, "restartProcess");
    await seen(t, () => processState("app:one"), "RUNNING", "app:one RUNNING again");
    t.not(await pidOf("app:one"), pid, "app:one restarted (another pid)");
    // Ours: the rolling restart of the program (one instance here), answered once RUNNING again.
    const before = await pidOf("app:one");
    t.equal(await java.call("rollingRestart", "app:one", 1, true), true, "rollingRestart");
    await seen(t, () => processState("app:one"), "RUNNING", "app:one RUNNING after the rolling restart");
    t.not(await pidOf("app:one"), before, "app:one restarted by the rolling restart (another pid)");
    await fault(t, 10, "rollingRestart", "nope", 1, true);
    await fault(t, 2, "rollingRestart", "app:one", 0, true);
    t.equal(await java.call("stopProcess", "app:one", true), true, "stopProcess");
    await seen(t, () => processState("app:one"), "STOPPED", "app:one STOPPED");
    await fault(t, 70, "stopProcess", "app:one", true);
    t.equal(await java.call("startAnyProcess", "CONFIG", "app:t", "", true), "app:two", "startAnyProcess: the namespec started");
    await seen(t, () => processState("app:two"), "RUNNING", "app:two RUNNING");
    await fault(t, 30, "startAnyProcess", "CONFIG", "nomatch", "", true);
    t.equal(await java.call("stopProcess", "app:*", true), true, "stopProcess app:*");
    await seen(t, () => processState("app:two"), "STOPPED", "app:two STOPPED");
    t.equal(await java.call("startArgs", "misc:tool", "100", true), true, "startArgs");
    await seen(t, async () => {
      const tool = await localOf(a0, "misc:tool");
      return [tool.statename, tool.extra_args];
    }, ["RUNNING", "100"], "misc:tool RUNNING on a0 with its extra arguments");
    t.equal(await java.call("stopProcess", "misc:tool", true), true, "stopProcess misc:tool");
  });

  await t.test("numprocs, enable, disable (on the local Supervisor of a0)", async (t) => {
    const pools = async () => ((await a0.rpc("supvisors.get_all_local_process_info")) as Obj[]).filter((p) => p.program_name === "pool").map((p) => p.name);
    t.equal(await java.call("updateNumprocs", "pool", 3, true, false), true, "updateNumprocs 3");
    await seen(t, pools, ["pool_0", "pool_1", "pool_2"], "3 pool processes on a0");
    await fault(t, 2, "updateNumprocs", "pool", 0, true, false);
    await fault(t, 10, "updateNumprocs", "nope", 2, true, false);
    t.equal(await java.call("updateNumprocs", "pool", 2, true, true), true, "updateNumprocs 2 (lazy)");
    await seen(t, pools, ["pool_0", "pool_1"], "2 pool processes on a0");
    t.equal(await java.call("disable", "tool", true), true, "disable");
    await seen(t, async () => (await localOf(a0, "misc:tool")).disabled, true, "misc:tool disabled on a0");
    t.equal((await localOf(a1, "misc:tool")).disabled, false, "not on a1");
    await fault(t, 10, "disable", "nope", true);
    t.equal(await java.call("enable", "tool", true), true, "enable");
    await seen(t, async () => (await localOf(a0, "misc:tool")).disabled, false, "misc:tool enabled again");
  });

  await t.test("statistics and log level", async (t) => {
    const stats = async () => (await a0.rpc("supvisors.get_statistics_status")) as Obj;
    t.equal(await java.call("enableHostStatistics", false), true, "enableHostStatistics(false)");
    t.equal(await java.call("enableProcessStatistics", false), true, "enableProcessStatistics(false)");
    t.equal(await java.call("updateCollectingPeriod", 2.5), true, "updateCollectingPeriod(2.5)");
    await seen(t, stats, { host_stats: false, process_stats: false, collecting_period: 2.5 }, "seen by get_statistics_status");
    await same(t, "get_statistics_status", [], []);
    t.equal(await java.call("enableHostStatistics", true), true);
    t.equal(await java.call("enableProcessStatistics", true), true);
    await seen(t, stats, { host_stats: true, process_stats: true, collecting_period: 2.5 }, "enabled again");
    t.equal(await java.call("changeLogLevel", "DEBUG"), true, "changeLogLevel(DEBUG)");
    t.match(await a0.rpc("supervisor.readLog", 0, 0), /change_log_level: DEBG/, "logged by a0");
    t.equal(await java.call("changeLogLevel", "INFO"), true, "changeLogLevel(INFO)");
    t.match(await a0.rpc("supervisor.readLog", 0, 0), /change_log_level: INFO/);
  });

  await t.test("a conflict, then conciliate", async (t) => {
    await a0.slowRpc(TIMEOUT, "supervisor.startProcess", "dup:p", true);
    await a1.slowRpc(TIMEOUT, "supervisor.startProcess", "dup:p", true);
    await waitFor("CONCILIATION on a0", async () => (await state(a0)).fsm_statename === "CONCILIATION");
    const conflicts = await same(t, "get_conflicts", [], [], "keyed");
    t.same(Object.keys(conflicts as Obj), ["dup:p"], "dup:p in conflict");
    t.same(((conflicts as Record<string, Obj>)["dup:p"]!.identifiers as string[]).slice().sort(), [a0.identifier, a1.identifier].sort(), "on a0 and a1");
    await fault(t, 101, "startApplication", "CONFIG", "app", true);
    t.equal(await java.call("conciliate", "USER"), false, "conciliate(USER) does nothing");
    t.equal(await java.call("conciliate", "SENICIDE"), true, "conciliate(SENICIDE)");
    await everywhere("OPERATION");
    await seen(t, async () => (await processInfo("dup:p")).identifiers, [a1.identifier], "the youngest kept");
    t.equal(await java.call("stopProcess", "dup:p", true), true);
  });

  await t.test("restartSequence", async (t) => {
    await seen(t, () => processState("late:flaky"), "FATAL", "late:flaky failed to start in DISTRIBUTION");
    writeFileSync(join(dir, "flag"), "");
    t.equal(await java.call("restartSequence", true), true, "restartSequence(true)");
    await seen(t, () => processState("late:flaky"), "RUNNING", "late:flaky started by the start sequence run again");
    await fault(t, 40, "restartSequence", true);
  });

  await t.test("restart, endSynchronization(master), shutdown", async (t) => {
    t.equal(await java.call("restart"), true, "restart");
    await cluster.waitAll(async (i) => {
      const s = await state(i);
      return s.fsm_statename === "SYNCHRONIZATION" && allRunning(s);
    }, "every instance restarted, in SYNCHRONIZATION", TIMEOUT);
    t.equal(await java.call("endSynchronization", a1.identifier), true, "endSynchronization(a1)");
    await everywhere("OPERATION");
    t.equal((await state(a2)).master_identifier, a1.identifier, "a1 the Master");
    await fault(t, 101, "endSynchronization", a1.identifier);
    t.equal(await java.call("shutdown"), true, "shutdown");
    t.same(await Promise.all(cluster.instances.map((i) => i.waitExit(TIMEOUT))), [0, 0, 0], "every instance exited");
  });

  t.same(await java.call("uncalled"), [], "every public method of SupvisorsXmlRpc called");
  t.same(java.stderr, [], "nothing on SupvisorsCheck's stderr");
  java.quit();
}

const missing = javaMissing();
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  const java = compileJava();
  t.teardown(() => java.cleanup());
  if (java.failure) {
    t.fail("clients/java compiles", { javac: java.failure.slice(0, 4000) });
  } else {
    t.test("SupvisorsXmlRpc against a cluster of ours", (t) => run(t, java.classpath));
  }
}
