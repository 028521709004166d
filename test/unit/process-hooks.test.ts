/**
 * The core's hooks for the Supvisors layer: extra arguments of start_args, disabled programs and the
 * autorestart override (spec supvisors.md §3.3, §5.3). Pure parts on a FakeClock; one real child
 * shows the extra arguments reaching the spawned argv.
 */
import t from "tap";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeProcessHost, makeConfig, T0 } from "../helpers/fake-process-host.js";
import { realClock } from "../../src/supervisord/clock.js";
import type { GroupConfig, ProcessConfig, SupervisordOptions } from "../../src/supervisord/config/types.js";
import { EventBus } from "../../src/supervisord/events/bus.js";
import { MainLogger } from "../../src/supervisord/logs/main-log.js";
import { commandLine } from "../../src/supervisord/process/executable.js";
import { Process, type ProcessHost } from "../../src/supervisord/process/process.js";
import { ProgramSwitches } from "../../src/supervisord/process/program-switches.js";
import { dueAction, nextDeadline, type TimedSnapshot } from "../../src/supervisord/process/timed-rules.js";
import { RuntimeProcess, type RuntimeContext } from "../../src/supervisord/process/runtime.js";
import { faultName, SupvisorsFaultCodes } from "../../src/protocol/faults.js";
import { ServiceFault } from "../../src/supervisord/service/fault.js";
import type { ManagedGroup, ManagedProcess, ProcessInfoCore, StdinResult, SupervisorCore } from "../../src/supervisord/service/model.js";
import { SupervisorService, type ProcessResult } from "../../src/supervisord/service/supervisor-service.js";

/**
 * Processes sharing one FakeProcessHost (one clock, one log) whose Supvisors switches are read from
 * a real ProgramSwitches, as the daemon wires them.
 */
function rig(configs: Partial<ProcessConfig>[]) {
  const host = new FakeProcessHost();
  const procs: Process[] = [];
  const switches = new ProgramSwitches((program) => procs.filter((p) => p.config.program_name === program));
  for (const c of configs) {
    const config = makeConfig(c);
    const h: ProcessHost = {
      clock: host.clock,
      bus: host.bus,
      log: (level, message) => host.log(level, message),
      spawn: (p) => host.spawn(p),
      kill: (pid, sig) => host.kill(pid, sig),
      mood: () => host.mood(),
      programDisabled: () => switches.isDisabled(config.program_name),
      autorestartForcedOff: () => switches.isAutorestartDisabled(config.program_name),
    };
    procs.push(new Process(config, h));
  }
  return { host, procs, switches, p: procs[0] };
}

/** A process that has reached RUNNING (startsecs=1), host records cleared. */
function running(overrides: Partial<ProcessConfig> = {}) {
  const r = rig([overrides]);
  r.p.spawn();
  r.host.clock.advance(1001);
  r.host.clear();
  return r;
}

// ---- disabled programs ------------------------------------------------------------------------

t.test("a disabled program is not autostarted, and nothing is logged", async (t) => {
  const { p, host, switches } = rig([{}]);
  switches.setDisabled("foo", true);
  t.equal(p.autostart(), false);
  t.equal(p.state, "STOPPED");
  t.strictSame(host.lines(), []);
  t.strictSame(host.events, []);
  t.equal(host.clock.pendingTimers(), 0);
});

t.test("spawn() of a disabled program does nothing, whoever calls it (Supvisors' patched spawn)", async (t) => {
  const { p, host, switches } = rig([{}]);
  switches.setDisabled("foo", true);
  t.equal(p.spawn(), 0);
  t.equal(p.state, "STOPPED");
  t.equal(p.laststart, 0);
  t.strictSame(host.spawnTimes, []);
  t.strictSame(host.lines(), []);
});

t.test("a disabled program's EXITED process is not autorestarted until it is enabled", async (t) => {
  const { p, host, switches } = running({ autorestart: true });
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "EXITED");
  t.equal(p.restartPending, true);
  switches.setDisabled("foo", true);
  t.equal(p.restartPending, false, "a stop would find nothing to cancel");
  t.equal(host.clock.pendingTimers(), 0, "the autorestart timer is dropped");
  host.clock.advance(60_000);
  t.equal(p.state, "EXITED");
  t.equal(host.spawnTimes.length, 0);
  t.strictSame(host.infoLines(), ["WARN exited: foo (exit status 1; not expected)"], "no spam while disabled");

  switches.setDisabled("foo", false);
  t.equal(p.state, "STARTING", "the autorestart that waited is done at once");
  t.strictSame(host.spawnTimes, [T0 + 1001 + 60_000]);
});

t.test("a disabled program's autorestart timer, armed before the disable, does not spawn", async (t) => {
  // startsecs=0 crash loop: the respawn waits the 1 s pacing; disabling during it cancels it.
  const { p, host, switches } = rig([{ startsecs: 0, autorestart: true }]);
  p.spawn();
  host.clock.advance(0);
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "EXITED");
  t.equal(host.clock.pendingTimers(), 1);
  switches.setDisabled("foo", true);
  host.clock.advance(5000);
  t.equal(host.spawnTimes.length, 1);
  t.equal(p.state, "EXITED");
});

t.test("a disabled program's BACKOFF process is not retried: it stays BACKOFF, no timer, no give-up", async (t) => {
  const { p, host, switches } = rig([{ startretries: 1 }]);
  p.spawn();
  host.clock.advance(100);
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "BACKOFF");
  t.equal(p.backoff, 1);
  switches.setDisabled("foo", true);
  t.equal(host.clock.pendingTimers(), 0);
  host.clock.advance(600_000);
  t.equal(p.state, "BACKOFF");
  t.equal(p.backoff, 1, "no attempt counted");
  t.equal(host.spawnTimes.length, 1);
  t.equal(host.lines().length, 2, "spawned + exited, nothing since");

  switches.setDisabled("foo", false);
  t.equal(p.state, "STARTING", "the retry that waited is done at once");
  t.equal(host.spawnTimes.length, 2);
});

t.test("a disabled program's BACKOFF process can still be stopped", async (t) => {
  const { p, switches, host } = rig([{}]);
  p.spawn();
  p.finish({ code: 1, signal: null });
  switches.setDisabled("foo", true);
  t.equal(p.stop(), null);
  t.equal(p.state, "STOPPED");
  host.clock.advance(10_000);
  t.equal(p.state, "STOPPED");
});

t.test("disabling does not stop a running process; its exit is then final", async (t) => {
  const { p, host, switches } = running({ autorestart: true });
  switches.setDisabled("foo", true);
  t.equal(p.state, "RUNNING");
  t.strictSame(host.kills, []);
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "EXITED");
  host.clock.advance(60_000);
  t.equal(host.spawnTimes.length, 0);
});

t.test("enabling lets a STOPPED process autostart again if configured (Supvisors resets laststart)", async (t) => {
  const { p, host, switches } = running();
  p.stop();
  p.finish({ code: null, signal: "SIGTERM" });
  t.equal(p.state, "STOPPED");
  switches.setDisabled("foo", true);
  t.equal(p.state, "STOPPED");
  switches.setDisabled("foo", false);
  t.equal(p.state, "STARTING");
  t.equal(host.spawnTimes.length, 1);
});

t.test("enabling a STOPPED process with autostart=false: it stays STOPPED, shown as never started", async (t) => {
  const { p, host, switches } = running({ autostart: false });
  p.stop();
  p.finish({ code: null, signal: "SIGTERM" });
  switches.setDisabled("foo", true);
  switches.setDisabled("foo", false);
  t.equal(p.state, "STOPPED");
  t.equal(p.laststart, 0);
  t.equal(p.info(host.clock.now()).description, "Not started");
  t.equal(host.spawnTimes.length, 0);
});

t.test("a never-started process disabled at boot autostarts when enabled", async (t) => {
  const { p, host, switches } = rig([{}]);
  switches.setDisabled("foo", true);
  p.autostart();
  switches.setDisabled("foo", false);
  t.equal(p.state, "STARTING");
  t.strictSame(host.lines(), ["INFO spawned: 'foo' with pid 100"]);
});

t.test("enabling a program that is not disabled changes nothing", async (t) => {
  const { p, host, switches } = running();
  p.stop();
  p.finish({ code: null, signal: "SIGTERM" });
  const laststart = p.laststart;
  switches.setDisabled("foo", false);
  t.equal(p.state, "STOPPED");
  t.equal(p.laststart, laststart);
  t.equal(host.spawnTimes.length, 0);
  t.equal(switches.isDisabled("foo"), false);
});

t.test("enabling while the daemon is not RUNNING spawns nothing", async (t) => {
  const { p, host, switches } = rig([{}]);
  switches.setDisabled("foo", true);
  host.currentMood = "SHUTDOWN";
  switches.setDisabled("foo", false);
  t.equal(p.state, "STOPPED");
  t.equal(host.spawnTimes.length, 0);
});

t.test("the switch is per program: every process of it, in every group, and no other program", async (t) => {
  const { procs, host, switches } = rig([
    { program_name: "foo", name: "foo_0", group: "g1" },
    { program_name: "foo", name: "foo_0", group: "g2" },
    { program_name: "bar", name: "bar", group: "bar" },
  ]);
  switches.setDisabled("foo", true);
  t.equal(switches.isDisabled("foo"), true);
  t.equal(switches.isDisabled("bar"), false);
  t.equal(switches.isDisabled("foo_0"), false, "a process name is not a program name");
  for (const p of procs) p.autostart();
  t.strictSame(procs.map((p) => p.state), ["STOPPED", "STOPPED", "STARTING"]);
  switches.setDisabled("foo", false);
  t.strictSame(procs.map((p) => p.state), ["STARTING", "STARTING", "STARTING"]);
  t.equal(host.spawnTimes.length, 3);
});

// ---- autorestart override ---------------------------------------------------------------------

t.test("autorestart override: autorestart=true behaves as false", async (t) => {
  const { p, host, switches } = running({ autorestart: true });
  switches.setAutorestartDisabled("foo", true);
  p.finish({ code: 0, signal: null });
  t.equal(p.state, "EXITED");
  t.equal(p.restartPending, false);
  t.equal(host.clock.pendingTimers(), 0);
  host.clock.advance(60_000);
  t.equal(host.spawnTimes.length, 0);
});

t.test("autorestart override: autorestart=unexpected and an unexpected exit is not restarted", async (t) => {
  const { p, host, switches } = running({ autorestart: "unexpected" });
  switches.setAutorestartDisabled("foo", true);
  p.finish({ code: 3, signal: null });
  host.clock.advance(60_000);
  t.equal(p.state, "EXITED");
  t.equal(host.spawnTimes.length, 0);
});

t.test("autorestart override set while a restart is pending cancels it; lifting it restarts", async (t) => {
  const { p, host, switches } = running({ autorestart: true });
  p.finish({ code: 0, signal: null });
  t.equal(p.restartPending, true);
  switches.setAutorestartDisabled("foo", true);
  t.equal(p.restartPending, false);
  host.clock.advance(10_000);
  t.equal(host.spawnTimes.length, 0);
  switches.setAutorestartDisabled("foo", false);
  t.equal(p.state, "STARTING");
  t.equal(host.spawnTimes.length, 1);
});

t.test("autorestart override keeps BACKOFF retries (they are not autorestarts)", async (t) => {
  const { p, host, switches } = rig([{ autorestart: true, startretries: 3 }]);
  switches.setAutorestartDisabled("foo", true);
  p.spawn();
  p.finish({ code: 1, signal: null });
  t.equal(p.state, "BACKOFF");
  host.clock.advance(1001);
  t.equal(p.state, "STARTING");
  t.equal(host.spawnTimes.length, 2);
});

t.test("autorestart override leaves explicit starts and other programs alone", async (t) => {
  const { procs, host, switches } = rig([
    { program_name: "foo", name: "foo", group: "foo", autorestart: true, startsecs: 0 },
    { program_name: "bar", name: "bar", group: "bar", autorestart: true, startsecs: 0 },
  ]);
  switches.setAutorestartDisabled("foo", true);
  for (const p of procs) {
    p.spawn();
    host.clock.advance(0);
    p.finish({ code: 0, signal: null });
  }
  host.clock.advance(5000);
  t.strictSame(procs.map((p) => p.state), ["EXITED", "RUNNING"], "bar was autorestarted, foo was not");
  t.equal(host.spawnTimes.length, 3);
  procs[0].spawn();
  t.equal(procs[0].state, "STARTING", "a start request still works");
});

t.test("clear() (a daemon restart) forgets both switches", async (t) => {
  const { switches } = rig([{}]);
  switches.setDisabled("foo", true);
  switches.setAutorestartDisabled("foo", true);
  switches.clear();
  t.equal(switches.isDisabled("foo"), false);
  t.equal(switches.isAutorestartDisabled("foo"), false);
});

// ---- extra arguments ----------------------------------------------------------------------------

t.test("commandLine: the configured command, a space, the extra args; '' = the command", async (t) => {
  t.equal(commandLine("/bin/prog -v", ""), "/bin/prog -v");
  t.equal(commandLine("/bin/prog -v", "-x 'a b'"), "/bin/prog -v -x 'a b'");
});

t.test("extra args reach the spawned argv, shlex-split, and are kept for autorestarts", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "hooks-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "out.log");
  const bus = new EventBus((err) => {
    throw err;
  });
  const logger = new MainLogger({ file: null, maxbytes: 0, backups: 0, level: "info", echo: false });
  let rp: RuntimeProcess | undefined;
  const switches = new ProgramSwitches(() => (rp ? [rp.process] : []));
  const options: SupervisordOptions = {
    logfile: join(dir, "supervisord.log"),
    logfile_maxbytes: 0,
    logfile_backups: 0,
    loglevel: "info",
    pidfile: join(dir, "pid"),
    umask: 0o22,
    nodaemon: true,
    silent: true,
    minfds: 1024,
    minprocs: 200,
    nocleanup: true,
    childlogdir: dir,
    user: null,
    directory: null,
    strip_ansi: false,
    environment: null,
    identifier: "supervisor",
  };
  const ctx: RuntimeContext = {
    clock: realClock,
    bus,
    logger,
    options,
    daemonEnv: process.env,
    mood: () => "RUNNING",
    programs: switches,
    defaultServerUrl: () => null,
  };
  // Prints each argument after $0 in brackets, one run per line.
  const config = makeConfig({ command: `/bin/sh -c 'printf "[%s]" "$@"; echo' argv0`, startsecs: 0, autorestart: true });
  const proc = new RuntimeProcess(config, ctx, { stdoutLogfile: log, stderrLogfile: "" });
  rp = proc;
  t.teardown(() => proc.dispose());
  const exits = (n: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      const off = bus.subscribe((e) => {
        if (e.kind === "PROCESS_STATE" && e.to === "EXITED" && ++seen === n) {
          off();
          resolve();
        }
      });
    });

  t.equal(proc.extraArgs, "");
  proc.setExtraArgs(`one "two words" 'it''s'`);
  t.equal(proc.extraArgs, `one "two words" 'it''s'`);
  const twoRuns = exits(2);
  proc.spawn();
  await twoRuns; // the first run, then its autorestart (after the 1 s crash-loop pacing)
  switches.setDisabled("foo", true); // ends the loop
  t.equal(proc.state, "EXITED");

  proc.setExtraArgs("");
  const third = exits(1);
  switches.setDisabled("foo", false); // the autorestart that waited runs now, without extra args
  await third;
  switches.setDisabled("foo", true);
  await logger.close();
  await new Promise((r) => setTimeout(r, 50));
  t.strictSame(readFileSync(log, "utf8").split("\n"), ["[one][two words][its]", "[one][two words][its]", "[]", ""]);
});

// ---- startProcess and the DISABLED fault ------------------------------------------------------

/** A ManagedProcess over a pure Process (no fork). */
class FakeManaged implements ManagedProcess {
  extraArgs = "";
  readonly stdoutLogfile = "";
  readonly stderrLogfile = "";
  constructor(readonly process: Process) {}
  get config() {
    return this.process.config;
  }
  get state() {
    return this.process.state;
  }
  get pid() {
    return this.process.pid;
  }
  get readiness() {
    return this.process.readiness;
  }
  get spawnerr() {
    return this.process.spawnerr;
  }
  get killing() {
    return this.process.killing;
  }
  get restartPending() {
    return this.process.restartPending;
  }
  get obsolete() {
    return this.process.obsolete;
  }
  setExtraArgs(args: string): void {
    this.extraArgs = args;
  }
  spawn(): void {
    this.process.spawn();
  }
  transition(): void {
    this.process.transition();
  }
  stop(): string | null {
    return this.process.stop();
  }
  stopReport(): void {
    this.process.stopReport();
  }
  signal(sig: number): string | null {
    return this.process.signal(sig);
  }
  info(nowMs: number): ProcessInfoCore {
    return this.process.info(nowMs);
  }
  writeStdin(): StdinResult {
    return "not-running";
  }
  clearLogs(): void {}
}

/** Groups `g` (processes p1, p2 of program prog, p3 of program other) and `solo`. */
function serviceRig() {
  const r = rig([
    { program_name: "prog", name: "p1", group: "g", startsecs: 0, autostart: false },
    { program_name: "prog", name: "p2", group: "g", startsecs: 0, autostart: false },
    { program_name: "other", name: "p3", group: "g", startsecs: 0, autostart: false },
    { program_name: "solo", name: "solo", group: "solo", startsecs: 0, autostart: false },
  ]);
  const managed = r.procs.map((p) => new FakeManaged(p));
  const groupConfig = (name: string): GroupConfig => ({ name, priority: 999 }) as unknown as GroupConfig;
  const groups: ManagedGroup[] = [
    { config: groupConfig("g"), processes: managed.slice(0, 3) },
    { config: groupConfig("solo"), processes: managed.slice(3) },
  ];
  const checked: { program: string; extraArgs: string | undefined }[] = [];
  const unused = () => {
    throw new Error("not used by these tests");
  };
  const core: SupervisorCore = {
    clock: r.host.clock,
    bus: r.host.bus,
    pid: 1,
    mood: () => "RUNNING",
    identification: () => "supervisor",
    groups: () => groups,
    lastConfig: unused,
    reread: unused,
    addGroup: unused,
    removeGroup: unused,
    shutdown: unused,
    restart: unused,
    mainLogPath: () => null,
    clearMainLog: unused,
    log: () => {},
    sameGroupConfig: () => true,
    checkExecutable: (p, extraArgs) => {
      checked.push({ program: p.program_name, extraArgs });
      return extraArgs === "--bad" ? { ok: false, fault: "NOT_EXECUTABLE", reason: "bad" } : { ok: true };
    },
    setProgramDisabled: (program, disabled) => r.switches.setDisabled(program, disabled),
    isProgramDisabled: (program) => r.switches.isDisabled(program),
    setAutorestartDisabled: (program, disabled) => r.switches.setAutorestartDisabled(program, disabled),
    updateNumprocs: unused,
    setReadinessFailureHandler: unused,
  };
  return { ...r, managed, core, checked, service: new SupervisorService(core) };
}

function fault(fn: () => unknown): ServiceFault {
  try {
    fn();
  } catch (err) {
    if (err instanceof ServiceFault) return err;
    throw err;
  }
  throw new Error("no fault");
}

t.test("code 103 is DISABLED in the shared fault table", async (t) => {
  t.equal(SupvisorsFaultCodes.DISABLED, 103);
  t.equal(faultName(103), "DISABLED");
  t.equal(new ServiceFault(103, "g:p1").faultString, "DISABLED: g:p1");
});

t.test("startProcess refuses a disabled program with DISABLED: <name as given>", async (t) => {
  const { service, core, host } = serviceRig();
  core.setProgramDisabled("prog", true);
  const f = fault(() => service.startProcess("g:p1", false));
  t.equal(f.code, 103);
  t.equal(f.faultString, "DISABLED: g:p1");
  t.equal(await service.startProcess("solo", true), true, "another program starts");
  t.equal(host.spawnTimes.length, 1, "only solo was spawned");
});

t.test("startProcess: BAD_NAME comes first, DISABLED before ALREADY_STARTED and the executable check", async (t) => {
  const { service, core, managed, checked } = serviceRig();
  t.equal(fault(() => service.startProcess("g:nope")).faultString, "BAD_NAME: g:nope");
  managed[0].spawn();
  managed[0].transition();
  t.equal(managed[0].state, "RUNNING");
  core.setProgramDisabled("prog", true);
  t.equal(fault(() => service.startProcess("g:p1")).faultString, "DISABLED: g:p1", "a running process of a disabled program");
  t.equal(fault(() => service.startProcess("g:p2")).code, 103);
  t.strictSame(checked, [], "refused before the executable is even looked at");
});

t.test("startProcessGroup / g:* / startAllProcesses: DISABLED per process, the others start", async (t) => {
  const expected: ProcessResult[] = [
    { name: "p1", group: "g", status: 103, description: "DISABLED: g:p1" },
    { name: "p2", group: "g", status: 103, description: "DISABLED: g:p2" },
    { name: "p3", group: "g", status: 80, description: "OK" },
  ];
  const starts: [string, (s: SupervisorService) => unknown, ProcessResult[]][] = [
    ["startProcessGroup", (s) => s.startProcessGroup("g", true), expected],
    ["startProcess g:*", (s) => s.startProcess("g:*", false), expected],
    ["startAllProcesses", (s) => s.startAllProcesses(true), [...expected, { name: "solo", group: "solo", status: 80, description: "OK" }]],
  ];
  for (const [what, start, results] of starts) {
    const { service, core, managed } = serviceRig();
    core.setProgramDisabled("prog", true);
    t.strictSame(await start(service), results, what);
    t.strictSame(managed.map((m) => m.state), ["STOPPED", "STOPPED", "RUNNING", what === "startAllProcesses" ? "RUNNING" : "STOPPED"], what);
  }
});

t.test("startProcess works again once the program is enabled", async (t) => {
  const { service, core, managed } = serviceRig();
  core.setProgramDisabled("prog", true);
  core.setProgramDisabled("prog", false);
  t.equal(await service.startProcess("g:p1", true), true);
  t.equal(managed[0].state, "RUNNING");
});

t.test("startProcess checks the executable with the process's extra args", async (t) => {
  const { service, managed, checked, host } = serviceRig();
  managed[0].setExtraArgs("-x 1");
  t.equal(await service.startProcess("g:p1", false), true);
  managed[1].setExtraArgs("--bad");
  t.equal(fault(() => service.startProcess("g:p2", false)).code, 21);
  t.strictSame(checked, [
    { program: "prog", extraArgs: "-x 1" },
    { program: "prog", extraArgs: "--bad" },
  ]);
  t.equal(host.spawnTimes.length, 1);
});

// ---- the pure rules -------------------------------------------------------------------------------

t.test("timed rules: `disabled` gates the spawning rules only", async (t) => {
  const cfg = makeConfig({ autorestart: true });
  const T = T0 + 10_000;
  const snap = (s: Partial<TimedSnapshot>): TimedSnapshot => ({ state: "STOPPED", laststart: 0, delay: 0, backoff: 0, exitstatus: null, ...s });
  t.same(dueAction(snap({}), cfg, T, "RUNNING", true), null, "no autostart");
  t.same(dueAction(snap({ state: "EXITED", laststart: T0, exitstatus: 0 }), cfg, T, "RUNNING", true), null, "no autorestart");
  t.same(dueAction(snap({ state: "BACKOFF", delay: T0, backoff: 1 }), cfg, T, "RUNNING", true), null, "no retry");
  t.equal(nextDeadline(snap({ state: "BACKOFF", delay: T0, backoff: 1 }), cfg, "RUNNING", true), null, "no timer for it");
  t.equal(nextDeadline(snap({ state: "EXITED", laststart: T0, exitstatus: 0 }), cfg, "RUNNING", true), null);
  t.same(dueAction(snap({ state: "BACKOFF", delay: T0, backoff: 4 }), cfg, T, "RUNNING", true), { kind: "give-up" }, "give-up still applies");
  t.same(dueAction(snap({ state: "STARTING", laststart: T0 }), cfg, T, "RUNNING", true), { kind: "enter-running" });
  t.same(dueAction(snap({ state: "STOPPING", delay: T0 }), cfg, T, "RUNNING", true), { kind: "sigkill" });
  t.same(dueAction(snap({}), cfg, T, "RUNNING"), { kind: "spawn", reason: "autostart" }, "default: not disabled");
});
