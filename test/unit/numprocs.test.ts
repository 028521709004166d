/**
 * Supvisors' update_numprocs in the core (process/numprocs.ts), over pure Processes on the fake
 * process host, with process configs read by the real config reader from a temp file; and the
 * PROCESS_ADDED / _REMOVED / _ENABLED / _DISABLED events as the bus and a listener pool see them.
 */
import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/supervisord/config/errors.js";
import { readConfig } from "../../src/supervisord/config/read.js";
import type { EventListenerPoolConfig, ProcessConfig, SupervisorConfig } from "../../src/supervisord/config/types.js";
import type { UserDatabase } from "../../src/supervisord/config/users.js";
import { EventListenerPool } from "../../src/supervisord/events/pool.js";
import { eventPayload } from "../../src/supervisord/events/payloads.js";
import { EventSerials } from "../../src/supervisord/events/serials.js";
import { eventTypeName, type SupervisorEvent } from "../../src/supervisord/events/types.js";
import { NumprocsUpdater, type NumprocsGroup, type NumprocsMember, type NumprocsResult } from "../../src/supervisord/process/numprocs.js";
import { Process } from "../../src/supervisord/process/process.js";
import { ProgramSwitches } from "../../src/supervisord/process/program-switches.js";
import { FakeProcessHost } from "../helpers/fake-process-host.js";

const noUsers: UserDatabase = { userByName: () => undefined, userById: () => undefined, groupByName: () => undefined, groupById: () => undefined };
const SUPVISORS = "[rpcinterface:supvisors]\nsupervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface\n";

const CONF = `
[supervisord]
logfile = %(here)s/supervisord.log

[program:web]
command = /bin/sleep 100 %(process_num)s of %(numprocs)s
process_name = %(program_name)s_%(process_num)02d
numprocs = 2
numprocs_start = 0
autostart = false
startsecs = 0
autorestart = true
environment = NUM="%(process_num)s"

[program:solo]
command = /bin/cat
autostart = false

[program:shared]
command = /bin/cat %(group_name)s
process_name = sh_%(process_num)d
numprocs = 1
startsecs = 0
priority = 5

[program:other]
command = /bin/cat
priority = 5
autostart = false

[group:g1]
programs = shared,other

[group:g2]
programs = shared
`;

/** Reads `conf` (plus `extra`) from a fresh temp dir. */
type Teardown = { teardown(fn: () => void): void };
function read(t: Teardown, conf: string, extra = ""): SupervisorConfig {
  const dir = mkdtempSync(join(tmpdir(), "numprocs-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "supervisord.conf");
  writeFileSync(file, conf + extra);
  return readConfig(file, { cwd: dir, env: { HOME: dir }, hostname: "host", users: noUsers });
}

class FakeGroup implements NumprocsGroup {
  processes: NumprocsMember[];
  constructor(
    readonly name: string,
    configs: readonly ProcessConfig[],
    private readonly host: FakeProcessHost,
  ) {
    this.processes = configs.map((config) => ({ config, process: new Process(config, host) }));
  }
  addProcess(config: ProcessConfig): NumprocsMember {
    const m = { config, process: new Process(config, this.host) };
    this.processes = [...this.processes, m];
    return m;
  }
  removeProcess(name: string): void {
    const m = this.processes.find((p) => p.config.name === name)!;
    m.process.dispose();
    this.processes = this.processes.filter((p) => p !== m);
  }
  proc(name: string): Process {
    const m = this.processes.find((p) => p.config.name === name);
    if (!m) throw new Error(`no ${name} in ${this.name}`);
    return m.process;
  }
  names(): string[] {
    return this.processes.map((p) => p.config.name);
  }
}

function rig(t: Teardown, conf = CONF, extra = "") {
  const config = read(t, conf, extra);
  const host = new FakeProcessHost();
  const groups = config.groups.map((g) => new FakeGroup(g.name, g.processes, host));
  const changes: string[] = [];
  host.bus.subscribe((e) => {
    if (e.kind === "PROCESS") changes.push(`${eventTypeName(e)} ${eventPayload(e)}`);
    if (e.kind === "PROCESS_STATE") changes.push(`${e.to} ${e.process.group}:${e.process.name}`);
  });
  const autostarted: string[] = [];
  const updater = new NumprocsUpdater({
    bus: host.bus,
    groups: () => groups,
    definition: (_g, program) => config.programs.get(program) ?? null,
    autostart: (g, added) => {
      for (const m of added) {
        autostarted.push(`${g.name}:${m.config.name}`);
        m.process.autostart();
      }
    },
  });
  const group = (name: string) => groups.find((g) => g.name === name)!;
  /** Run the RUNNING processes of `names` (startsecs=0). */
  const run = (g: FakeGroup, ...names: string[]) => {
    for (const n of names) {
      g.proc(n).spawn();
      g.proc(n).transition();
    }
  };
  return { config, host, groups, group, updater, changes, autostarted, run };
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const updated = (r: NumprocsResult) => {
  if (r.kind !== "updated") throw new Error(`not updated: ${JSON.stringify(r)}`);
  return r;
};

t.test("increase: processes made as the reader makes them for that numprocs, added, announced, autostarted", async (t) => {
  const { group, updater, changes, autostarted, host } = rig(t);
  const r = updated(updater.update("web", 4, false));
  t.strictSame(r, { kind: "updated", added: ["web:web_02", "web:web_03"], revived: [], removed: [], pending: [] });
  t.strictSame(group("web").names(), ["web_00", "web_01", "web_02", "web_03"]);
  // The same section read with numprocs = 4: the new configs are exactly its last two.
  const fresh = read(t, CONF.replace("numprocs = 2", "numprocs = 4"));
  const freshWeb = fresh.groups.find((g) => g.name === "web")!.processes;
  t.strictSame(
    group("web").processes.slice(2).map((m) => m.config),
    freshWeb.slice(2),
    "expansions (%(process_num)s, %(numprocs)s, environment), defaults",
  );
  t.equal(group("web").processes[2]!.config.command, "/bin/sleep 100 2 of 4");
  t.strictSame({ ...group("web").processes[2]!.config.environment }, { NUM: "2" });
  t.equal(group("web").processes[0]!.config.command, "/bin/sleep 100 0 of 2", "the existing processes are untouched");
  t.strictSame(changes, ["PROCESS_ADDED processname:web_02 groupname:web ", "PROCESS_ADDED processname:web_03 groupname:web "]);
  t.strictSame(autostarted, ["web:web_02", "web:web_03"], "the autostart rule is applied to the new ones");
  t.equal(host.spawnTimes.length, 0, "autostart=false: nothing spawned");
  t.strictSame(updated(updater.update("web", 4, false)), { kind: "updated", added: [], revived: [], removed: [], pending: [] }, "same value: no change");
});

t.test("increase: autostart=true processes start after they are announced", async (t) => {
  const { group, updater, changes } = rig(t);
  const r = updated(updater.update("shared", 2, false));
  t.strictSame(r.added, ["g1:sh_1", "g2:sh_1"], "every group listing the program");
  t.strictSame(changes, [
    "PROCESS_ADDED processname:sh_1 groupname:g1 ",
    "PROCESS_ADDED processname:sh_1 groupname:g2 ",
    "STARTING g1:sh_1",
    "STARTING g2:sh_1",
  ]);
  t.equal(group("g1").proc("sh_1").config.command, "/bin/cat g1", "%(group_name)s per group");
  t.equal(group("g2").proc("sh_1").config.command, "/bin/cat g2");
  t.strictSame(group("g1").names(), ["sh_0", "other", "sh_1"], "the other program of the group is untouched");
});

t.test("decrease: stopped surplus processes are removed at once, announced before they go", async (t) => {
  const { group, updater, changes, host } = rig(t);
  updater.update("web", 4, false);
  changes.length = 0;
  const seen: string[][] = [];
  host.bus.subscribe((e) => {
    if (e.kind === "PROCESS" && e.change === "REMOVED") seen.push(group("web").names());
  });
  const r = updated(updater.update("web", 1, false));
  t.strictSame(r, { kind: "updated", added: [], revived: [], removed: ["web:web_01", "web:web_02", "web:web_03"], pending: [] });
  t.strictSame(group("web").names(), ["web_00"]);
  t.strictSame(changes, [
    "PROCESS_REMOVED processname:web_01 groupname:web ",
    "PROCESS_REMOVED processname:web_02 groupname:web ",
    "PROCESS_REMOVED processname:web_03 groupname:web ",
  ]);
  t.ok(seen[0]!.includes("web_01"), "a subscriber can still find the process being removed");
});

t.test("decrease, not lazy: running surplus processes are stopped, removed when STOPPED", async (t) => {
  const { group, updater, changes, host, run } = rig(t);
  updater.update("web", 3, false);
  const web = group("web");
  run(web, "web_00", "web_01", "web_02");
  changes.length = 0;
  host.kills.length = 0;
  const r = updated(updater.update("web", 1, false));
  t.strictSame(r, { kind: "updated", added: [], revived: [], removed: [], pending: ["web:web_01", "web:web_02"] });
  t.strictSame(host.kills, [{ pid: 101, signal: 15 }, { pid: 102, signal: 15 }]);
  t.equal(web.proc("web_01").state, "STOPPING");
  t.ok(web.proc("web_01").obsolete);
  web.proc("web_01").finish({ code: null, signal: "SIGTERM" });
  t.ok(web.names().includes("web_01"), "still there while the STOPPED event is delivered");
  await flush();
  t.strictSame(web.names(), ["web_00", "web_02"]);
  web.proc("web_02").finish({ code: null, signal: "SIGTERM" });
  await flush();
  t.strictSame(web.names(), ["web_00"]);
  t.strictSame(changes, [
    "STOPPING web:web_01",
    "STOPPING web:web_02",
    "STOPPED web:web_01",
    "PROCESS_REMOVED processname:web_01 groupname:web ",
    "STOPPED web:web_02",
    "PROCESS_REMOVED processname:web_02 groupname:web ",
  ]);
  t.equal(web.proc("web_00").state, "RUNNING", "the kept process is untouched");
});

t.test("decrease, lazy: running surplus processes run on and go when they stop by themselves, never restarted", async (t) => {
  const { group, updater, changes, host, run } = rig(t);
  updater.update("web", 3, false);
  const web = group("web");
  run(web, "web_00", "web_01", "web_02");
  changes.length = 0;
  host.kills.length = 0;
  const r = updated(updater.update("web", 1, true));
  t.strictSame(r.pending, ["web:web_01", "web:web_02"]);
  t.strictSame(host.kills, [], "nothing stopped");
  t.equal(web.proc("web_01").state, "RUNNING");
  // autorestart=true: an obsolete process that exits is not restarted, it is removed.
  const spawns = host.spawnTimes.length;
  web.proc("web_01").finish({ code: 0, signal: null });
  await flush();
  host.clock.advance(5000);
  t.equal(host.spawnTimes.length, spawns, "no autorestart");
  t.strictSame(web.names(), ["web_00", "web_02"]);
  t.strictSame(changes, ["EXITED web:web_01", "PROCESS_REMOVED processname:web_01 groupname:web "]);
  // A stop by hand removes it as well.
  web.proc("web_02").stop();
  web.proc("web_02").finish({ code: null, signal: "SIGTERM" });
  await flush();
  t.strictSame(web.names(), ["web_00"]);
});

t.test("an obsolete process is never spawned: start, retry; dying while STARTING (BACKOFF) removes it", async (t) => {
  const { group, updater, host } = rig(t, CONF.replace("startsecs = 0\nautorestart", "startsecs = 5\nautorestart"));
  updater.update("web", 2, false);
  const web = group("web");
  web.proc("web_01").spawn();
  t.equal(web.proc("web_01").state, "STARTING");
  updated(updater.update("web", 1, true));
  const p = web.proc("web_01");
  t.equal(p.spawn(), 0, "a second spawn is refused silently (no 'already running' line)");
  t.notOk(host.lines().some((l) => l.includes("already running")));
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "BACKOFF");
  await flush();
  t.strictSame(web.names(), ["web_00"], "BACKOFF: removed, no retry");
  host.clock.advance(10_000);
  t.equal(host.spawnTimes.length, 1);
});

t.test("decrease: a surplus process in BACKOFF (no child) is removed at once", async (t) => {
  const { group, updater, host } = rig(t);
  const web = group("web");
  host.spawnError = "can't find command '/bin/sleep'";
  web.proc("web_01").spawn();
  t.equal(web.proc("web_01").state, "BACKOFF");
  t.strictSame(updated(updater.update("web", 1, true)).removed, ["web:web_01"]);
  t.strictSame(web.names(), ["web_00"]);
  host.clock.advance(10_000);
  t.equal(host.spawnTimes.length, 1, "no retry of the removed process");
});

t.test("increase again: obsolete processes are revived, not made twice", async (t) => {
  const { group, updater, changes, host, run } = rig(t);
  updater.update("web", 3, false);
  const web = group("web");
  run(web, "web_00", "web_01", "web_02");
  updated(updater.update("web", 1, true));
  changes.length = 0;
  const r = updated(updater.update("web", 4, false));
  t.strictSame(r, { kind: "updated", added: ["web:web_03"], revived: ["web:web_01", "web:web_02"], removed: [], pending: [] });
  t.strictSame(changes, ["PROCESS_ADDED processname:web_03 groupname:web "], "no event for the revived ones");
  t.strictSame(web.names(), ["web_00", "web_01", "web_02", "web_03"]);
  t.notOk(web.proc("web_01").obsolete);
  // Back to normal: autorestart applies and it stays in its group.
  const spawns = host.spawnTimes.length;
  web.proc("web_01").finish({ code: 0, signal: null });
  await flush();
  host.clock.advance(1000);
  t.equal(host.spawnTimes.length, spawns + 1, "autorestarted");
  t.ok(web.names().includes("web_01"));
});

t.test("revived while stopping (not lazy): it stops but stays", async (t) => {
  const { group, updater, run } = rig(t);
  const web = group("web");
  run(web, "web_00", "web_01");
  updated(updater.update("web", 1, false));
  t.equal(web.proc("web_01").state, "STOPPING");
  t.strictSame(updated(updater.update("web", 2, false)).revived, ["web:web_01"]);
  web.proc("web_01").finish({ code: null, signal: "SIGTERM" });
  await flush();
  t.strictSame(web.names(), ["web_00", "web_01"]);
  t.equal(web.proc("web_01").state, "STOPPED");
});

t.test("errors are data and change nothing", async (t) => {
  const { group, updater, changes, config } = rig(t);
  t.strictSame(updater.update("nope", 2, false), { kind: "unknown" });
  t.strictSame(updater.update("web", 0, false), { kind: "bad_value" });
  t.strictSame(updater.update("web", -1, false), { kind: "bad_value" });
  t.strictSame(updater.update("web", 1.5, false), { kind: "bad_value" });
  t.strictSame(updater.update("web", Number.NaN, false), { kind: "bad_value" });
  t.strictSame(updater.update("web", "3" as unknown as number, false), { kind: "bad_value" });
  t.strictSame(updater.update("nope", 0, false), { kind: "unknown" }, "unknown comes first");
  const file = config.file;
  t.strictSame(updater.update("solo", 2, false), {
    kind: "not_applicable",
    reason: `%(process_num) must be present within process_name when numprocs > 1 in section 'program:solo' (file: '${file}')`,
  });
  t.strictSame(updated(updater.update("solo", 1, false)).added, [], "1 is always applicable");
  t.strictSame(group("solo").names(), ["solo"]);
  t.strictSame(group("web").names(), ["web_00", "web_01"]);
  t.strictSame(changes, []);
});

t.test("the reader's message is the one supervisord gives for numprocs > 1 without process_num", async (t) => {
  t.throws(() => read(t, CONF.replace("[program:solo]\ncommand = /bin/cat", "[program:solo]\ncommand = /bin/cat\nnumprocs = 2")), ConfigError);
  t.throws(
    () => read(t, CONF.replace("[program:solo]\ncommand = /bin/cat", "[program:solo]\ncommand = /bin/cat\nnumprocs = 2")),
    /%\(process_num\) must be present within process_name when numprocs > 1/,
  );
});

t.test("event listeners and fcgi programs are programs too", async (t) => {
  const extra = `
[eventlistener:lis]
command = /bin/cat
process_name = lis_%(process_num)s
events = TICK_5

[fcgi-program:fc]
command = /bin/cat
socket = tcp://127.0.0.1:9999
process_name = fc_%(process_num)s
`;
  const { group, updater } = rig(t, CONF, extra);
  t.strictSame(updated(updater.update("lis", 3, false)).added, ["lis:lis_1", "lis:lis_2"]);
  t.strictSame(updated(updater.update("fc", 2, false)).added, ["fc:fc_1"]);
  t.strictSame(group("lis").names(), ["lis_0", "lis_1", "lis_2"]);
});

// ---- events ---------------------------------------------------------------------------------------

t.test("event types: PROCESS (abstract) under EVENT, the four under PROCESS; the payload", async (t) => {
  const { eventTypeAncestry, matchesSubscription, isKnownEventType, SUPVISORS_EVENT_TYPE_NAMES, ABSTRACT_EVENT_TYPES } = await import(
    "../../src/supervisord/events/hierarchy.js"
  );
  t.strictSame(SUPVISORS_EVENT_TYPE_NAMES, ["PROCESS", "PROCESS_ADDED", "PROCESS_REMOVED", "PROCESS_ENABLED", "PROCESS_DISABLED"]);
  for (const n of ["PROCESS_ADDED", "PROCESS_REMOVED", "PROCESS_ENABLED", "PROCESS_DISABLED"]) {
    t.strictSame(eventTypeAncestry(n), [n, "PROCESS", "EVENT"]);
    t.ok(matchesSubscription(n, ["EVENT"]), `EVENT gets ${n}`);
    t.ok(matchesSubscription(n, ["PROCESS"]), `PROCESS gets ${n}`);
    t.notOk(matchesSubscription(n, ["PROCESS_STATE", "PROCESS_GROUP"]));
    t.notOk(isKnownEventType(n), "not a name supervisord knows");
    t.ok(isKnownEventType(n, { supvisors: true }), "a name once Supvisors is loaded");
  }
  t.ok(ABSTRACT_EVENT_TYPES.has("PROCESS"));
  t.notOk(matchesSubscription("PROCESS_STATE_RUNNING", ["PROCESS"]), "PROCESS is not PROCESS_STATE's parent");
  const e: SupervisorEvent = { kind: "PROCESS", change: "DISABLED", process: { name: "web_00", group: "web" } };
  t.equal(eventTypeName(e), "PROCESS_DISABLED");
  t.equal(eventPayload(e), "processname:web_00 groupname:web ");
});

t.test("events= PROCESS_ADDED: known only when the config has Supvisors' rpcinterface", async (t) => {
  const listener = "\n[eventlistener:watch]\ncommand = /bin/cat\nevents = process_added,PROCESS\n";
  t.throws(() => read(t, CONF, listener), /Unknown event type PROCESS_ADDED in \[eventlistener:watch\] events/);
  const config = read(t, CONF, listener + SUPVISORS);
  const pool = config.groups.find((g) => g.name === "watch") as EventListenerPoolConfig;
  t.strictSame(pool.events, ["PROCESS_ADDED", "PROCESS"]);
});

t.test("a listener subscribed to PROCESS_ADDED gets the added processes (and nothing else)", async (t) => {
  const { updater, host, group, run } = rig(t);
  const received: string[] = [];
  const pool = new EventListenerPool({
    config: { kind: "eventlistener", name: "watch", priority: -1, processes: [], events: ["PROCESS_ADDED"], buffer_size: 10, result_handler: "supervisor.dispatchers:default_handler" },
    bus: host.bus,
    serials: new EventSerials(),
    identifier: "supervisor",
    log: () => {},
    listeners: [{ name: "l0", isRunning: () => true, writeStdin: (d) => (received.push(d.toString("utf8")), true) }],
  });
  pool.listenerSpawned("l0");
  pool.listenerStdout("l0", Buffer.from("READY\n"));
  updater.update("web", 3, false);
  run(group("web"), "web_02");
  updater.update("web", 1, false);
  await flush();
  t.strictSame(received, ["ver:3.0 server:supervisor serial:0 pool:watch poolserial:0 eventname:PROCESS_ADDED len:33\nprocessname:web_02 groupname:web "]);
  pool.listenerStdout("l0", Buffer.from("RESULT 2\nOKREADY\n"));
  await flush();
  t.equal(pool.bufferLength, 0, "the REMOVED and state events were not buffered");
  pool.close();
});

t.test("a listener subscribed to EVENT gets them too (isinstance semantics)", async (t) => {
  const { updater, host } = rig(t);
  const received: string[] = [];
  const pool = new EventListenerPool({
    config: { kind: "eventlistener", name: "all", priority: -1, processes: [], events: ["EVENT"], buffer_size: 10, result_handler: "supervisor.dispatchers:default_handler" },
    bus: host.bus,
    serials: new EventSerials(),
    identifier: "supervisor",
    log: () => {},
    listeners: [{ name: "l0", isRunning: () => true, writeStdin: (d) => (received.push(d.toString("utf8")), true) }],
  });
  updater.update("web", 1, false);
  t.strictSame(pool.bufferedEvents().map((b) => b.typeName), ["PROCESS_REMOVED"]);
  pool.close();
});

t.test("setProgramDisabled: PROCESS_DISABLED / PROCESS_ENABLED per process of the program, on a change only", async (t) => {
  const { groups, host, changes } = rig(t);
  const processesOf = (program: string) => groups.flatMap((g) => g.processes.filter((m) => m.config.program_name === program).map((m) => m.process));
  const switches = new ProgramSwitches(processesOf, (p, disabled) =>
    host.bus.emit({ kind: "PROCESS", change: disabled ? "DISABLED" : "ENABLED", process: { name: p.name, group: p.groupName } }),
  );
  switches.setDisabled("shared", true);
  switches.setDisabled("shared", true);
  switches.setDisabled("shared", false);
  switches.setDisabled("web", false);
  t.strictSame(changes.filter((c) => c.startsWith("PROCESS_")), [
    "PROCESS_DISABLED processname:sh_0 groupname:g1 ",
    "PROCESS_DISABLED processname:sh_0 groupname:g2 ",
    "PROCESS_ENABLED processname:sh_0 groupname:g1 ",
    "PROCESS_ENABLED processname:sh_0 groupname:g2 ",
  ]);
});
