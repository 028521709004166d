/**
 * A ProcessHost for unit tests: a FakeClock whose wall time can also jump, and records of every
 * main-log line, state event, spawn and kill.
 */
import { FakeClock, type Clock, type TimerHandle } from "../../src/supervisord/clock.js";
import type { LogLevelName, ProcessConfig } from "../../src/supervisord/config/types.js";
import { EventBus } from "../../src/supervisord/events/bus.js";
import type { ProcessStateEvent } from "../../src/supervisord/events/types.js";
import { Process, type ProcessHost, type SpawnResult } from "../../src/supervisord/process/process.js";
import type { SupervisorStateName } from "../../src/supervisord/process/states.js";

export const T0 = 1_700_000_000_000;

/** FakeClock timers plus a wall-clock offset, to simulate the system clock being set back or forward. */
export class JumpClock implements Clock {
  readonly inner: FakeClock;
  private offset = 0;
  constructor(start = T0) {
    this.inner = new FakeClock(start);
  }
  now(): number {
    return this.inner.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.inner.setTimer(ms, fn);
  }
  clearTimer(t: TimerHandle | null | undefined): void {
    this.inner.clearTimer(t);
  }
  advance(ms: number): void {
    this.inner.advance(ms);
  }
  /** Moves the wall clock only; timers keep their (monotonic) schedule. */
  jump(ms: number): void {
    this.offset += ms;
  }
  pendingTimers(): number {
    return this.inner.pendingTimers();
  }
}

const LEVEL_CODES: Record<LogLevelName, string> = {
  critical: "CRIT",
  error: "ERRO",
  warn: "WARN",
  info: "INFO",
  debug: "DEBG",
  trace: "TRAC",
  blather: "BLAT",
};

export class KillError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class FakeProcessHost implements ProcessHost {
  readonly clock: JumpClock;
  readonly bus = new EventBus((err) => {
    throw err;
  });
  readonly logs: { level: LogLevelName; message: string }[] = [];
  readonly events: ProcessStateEvent[] = [];
  /** Clock time of every fork attempt. */
  readonly spawnTimes: number[] = [];
  readonly kills: { pid: number; signal: number }[] = [];
  currentMood: SupervisorStateName = "RUNNING";
  nextPid = 100;
  /** When set, the next spawns fail with this spawnerr. */
  spawnError: string | null = null;
  /** When set, kill() throws an error with this code. */
  killErrorCode: string | null = null;
  /** Supvisors' switches of the process's program (see ProcessHost). */
  disabled = false;
  autorestartOff = false;

  constructor(start = T0) {
    this.clock = new JumpClock(start);
    this.bus.subscribe((e) => {
      if (e.kind === "PROCESS_STATE") this.events.push(e);
    });
  }

  log(level: LogLevelName, message: string): void {
    this.logs.push({ level, message });
  }
  spawn(_p: Process): SpawnResult {
    this.spawnTimes.push(this.clock.now());
    if (this.spawnError !== null) return { ok: false, spawnerr: this.spawnError };
    return { ok: true, pid: this.nextPid++ };
  }
  kill(pid: number, signal: number): void {
    this.kills.push({ pid, signal });
    if (this.killErrorCode !== null) throw new KillError(this.killErrorCode, `kill ${this.killErrorCode}`);
  }
  mood(): SupervisorStateName {
    return this.currentMood;
  }
  programDisabled(): boolean {
    return this.disabled;
  }
  autorestartForcedOff(): boolean {
    return this.autorestartOff;
  }

  /** Log lines as `LEVL message`. */
  lines(): string[] {
    return this.logs.map((l) => `${LEVEL_CODES[l.level]} ${l.message}`);
  }
  /** Log lines except DEBG. */
  infoLines(): string[] {
    return this.lines().filter((l) => !l.startsWith("DEBG "));
  }
  /** Events as `TO from=FROM tries=N pid=P [expected=0/1]`. */
  eventSummary(): string[] {
    return this.events.map(
      (e) => `${e.to} from=${e.from} tries=${e.tries} pid=${e.pid}${e.to === "EXITED" ? ` expected=${e.expected ? 1 : 0}` : ""}`,
    );
  }
  clear(): void {
    this.logs.length = 0;
    this.events.length = 0;
    this.spawnTimes.length = 0;
    this.kills.length = 0;
  }
}

/** A ProcessConfig with supervisord's defaults for `[program:foo]`. */
export function makeConfig(overrides: Partial<ProcessConfig> = {}): ProcessConfig {
  return {
    program_name: "foo",
    section: "program:foo",
    name: "foo",
    group: "foo",
    process_num: 0,
    numprocs: 1,
    command: "/bin/cat",
    environment: null,
    directory: null,
    umask: null,
    priority: 999,
    autostart: true,
    autorestart: "unexpected",
    startsecs: 1,
    startretries: 3,
    user: null,
    stdout_logfile: { kind: "auto" },
    stdout_logfile_maxbytes: 50 * 1024 * 1024,
    stdout_logfile_backups: 10,
    stdout_capture_maxbytes: 0,
    stdout_events_enabled: false,
    stdout_syslog: false,
    stderr_logfile: { kind: "auto" },
    stderr_logfile_maxbytes: 50 * 1024 * 1024,
    stderr_logfile_backups: 10,
    stderr_capture_maxbytes: 0,
    stderr_events_enabled: false,
    stderr_syslog: false,
    stopsignal: 15,
    stopsignal_name: "TERM",
    stopwaitsecs: 10,
    stopasgroup: false,
    killasgroup: false,
    exitcodes: [0],
    redirect_stderr: false,
    serverurl: null,
    readiness: null,
    ...overrides,
  };
}

export function makeProcess(overrides: Partial<ProcessConfig> = {}, host = new FakeProcessHost()): { p: Process; host: FakeProcessHost } {
  return { p: new Process(makeConfig(overrides), host), host };
}
