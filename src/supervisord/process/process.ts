/**
 * One supervised process: supervisord's Subprocess (spec §3), driven by exact deadlines.
 *
 * The Process holds the bookkeeping of §3.2 and applies the rules of §3.3. It changes state only
 * through the pure table of transitions.ts and decides on time only through timed-rules.ts; the
 * effects (fork, kill, main log, events, the daemon's mood, time) go through the ProcessHost, so the
 * whole machine runs under a FakeClock in tests.
 *
 * Instead of supervisord's 1 s poll, one timer per process is armed at the next instant a timed
 * rule becomes true (startsecs elapsed, backoff delay over, retries exhausted, stopwaitsecs over,
 * autorestart due) and re-armed after every public operation.
 */
import type { Clock, TimerHandle } from "../clock.js";
import type { LogLevelName, ProcessConfig } from "../config/types.js";
import type { EventBus } from "../events/bus.js";
import type { ReadinessState } from "../../protocol/supervisor.js";
import { signame } from "../signals.js";
import { cappedInt, describeProcess } from "./describe.js";
import { decodeExit, type ProcessExit } from "./exit-status.js";
import { ProcessStates, SIGNALLABLE_STATES, type ProcessStateName, type SupervisorStateName } from "./states.js";
import { dueAction, nextDeadline, type TimedConfig, type TimedSnapshot } from "./timed-rules.js";
import { canApply, nextState, allowedFrom, ProcessStateError, type Trigger, type TriggerKind } from "./transitions.js";

const SIGKILL = 9;
/** `waiting for <name> to stop` is logged at most once per this interval. */
const STOP_REPORT_INTERVAL_MS = 2000;

export type SpawnResult = { readonly ok: true; readonly pid: number } | { readonly ok: false; readonly spawnerr: string };

/** Everything a Process needs from the outside world. */
export interface ProcessHost {
  readonly clock: Clock;
  /** Receives one ProcessStateEvent per state change. */
  readonly bus: EventBus;
  /** The main log; messages are the exact texts of spec §5.3. */
  log(level: LogLevelName, message: string): void;
  /**
   * Resolve the executable, make the pipes and fork, synchronously (as supervisord). On failure
   * return supervisord's spawnerr text (`can't find command 'x'`, ...). The child's death must later
   * be reported with Process.finish(), after its output was drained.
   */
  spawn(p: Process): SpawnResult;
  /** kill(2); a negative pid is a process group. Throws an Error with `.code` (e.g. "ESRCH"). */
  kill(pid: number, signal: number): void;
  /** The daemon's mood: autostart, autorestart and BACKOFF retries happen only while "RUNNING". */
  mood(): SupervisorStateName;
  /**
   * Supvisors' `disable` of this process's program: it is never spawned (no autostart, autorestart
   * or BACKOFF retry; it stays in its state). Always false without Supvisors.
   */
  programDisabled(): boolean;
  /**
   * Supvisors forces `autorestart=false` on programs whose running failure strategy acts on the
   * whole application (STOP_APPLICATION, RESTART_APPLICATION). Always false without Supvisors.
   */
  autorestartForcedOff(): boolean;
  /**
   * Called after each PROCESS_STATE event, once every bus subscriber saw it (our readiness checks
   * follow the state from here, so their READINESS event comes after the transition's).
   */
  stateChanged?(from: ProcessStateName, to: ProcessStateName): void;
}

/** getProcessInfo's fields except the log file paths (spec §8.8), in wire order. */
export interface ProcessInfoCore {
  readonly name: string;
  readonly group: string;
  readonly start: number;
  readonly stop: number;
  readonly now: number;
  readonly state: number;
  readonly statename: ProcessStateName;
  readonly spawnerr: string;
  readonly exitstatus: number;
  readonly pid: number;
  readonly description: string;
}

/** finish() was called for a process that has no child. */
export class ProcessNotRunningError extends Error {
  override readonly name = "ProcessNotRunningError";
  readonly code = "NOT_RUNNING";
}

export class Process {
  private _state: ProcessStateName = "STOPPED";
  private _pid = 0;
  private _laststart = 0;
  private _laststop = 0;
  private laststopreport = 0;
  private _delay = 0;
  private _backoff = 0;
  private _exitstatus: number | null = null;
  private _spawnerr: string | null = null;
  private _killing = false;
  private _administrativeStop = false;
  private _systemStop = false;
  private _obsolete = false;
  private timer: TimerHandle | null = null;
  private timerAt: number | null = null;
  private disposed = false;
  private _readiness: ReadinessState;

  constructor(
    readonly config: ProcessConfig,
    private readonly host: ProcessHost,
  ) {
    this._readiness = config.readiness ? "off" : "none";
  }

  get name(): string {
    return this.config.name;
  }
  get groupName(): string {
    return this.config.group;
  }
  get state(): ProcessStateName {
    return this._state;
  }
  /** 0 when no child exists. */
  get pid(): number {
    return this._pid;
  }
  /** Epoch ms of the last spawn attempt; 0 = never. */
  get laststart(): number {
    return this._laststart;
  }
  /** Epoch ms of the last reap; 0 = never. */
  get laststop(): number {
    return this._laststop;
  }
  /** Epoch ms deadline of the pending STARTING/BACKOFF/STOPPING step; 0 = none. */
  get delay(): number {
    return this._delay;
  }
  /** Consecutive failed starts. */
  get backoff(): number {
    return this._backoff;
  }
  /** Last exit status (-1 = killed by a signal); null when none. */
  get exitstatus(): number | null {
    return this._exitstatus;
  }
  get spawnerr(): string | null {
    return this._spawnerr;
  }
  /**
   * EXITED with an autorestart due (at once or after the 1 s crash-loop pacing): a stop is
   * accepted and cancels it, as supervisord's stop of the respawned RUNNING child ends its loop.
   */
  get restartPending(): boolean {
    return this._state === "EXITED" && nextDeadline(this.snapshot(), this.timedConfig(), this.host.mood(), this.spawnBlocked()) !== null;
  }
  /** Marked for removal by a numprocs decrease (Supvisors' update_numprocs): never spawned again. */
  get obsolete(): boolean {
    return this._obsolete;
  }
  /** A stop/kill is in progress. */
  get killing(): boolean {
    return this._killing;
  }
  get administrativeStop(): boolean {
    return this._administrativeStop;
  }
  get systemStop(): boolean {
    return this._systemStop;
  }
  /** Our readiness check's verdict ("none" without readiness_check); set by readiness/loop.ts. */
  get readiness(): ReadinessState {
    return this._readiness;
  }

  /**
   * Record a readiness change (the process's readiness loop decides it): one READINESS event, and the main
   * log line on becoming ready or unready. Supervisor's own state is never touched.
   */
  setReadiness(to: ReadinessState, reason: string): void {
    const from = this._readiness;
    if (from === to || from === "none") return;
    this._readiness = to;
    if (to === "ready") this.host.log("info", `${this.name} is ready`);
    else if (to === "unready") this.host.log("info", `${this.name} is not ready (${reason})`);
    this.host.bus.emit({ kind: "READINESS", process: { name: this.name, group: this.groupName }, from, to, reason });
  }

  // ---- starting ----------------------------------------------------------------------------

  /**
   * Start the process (start request, autostart, autorestart, BACKOFF retry). Returns the pid, or 0
   * when nothing was forked (spawn error -> BACKOFF, or a child already exists -> WARN, no-op).
   * Throws ProcessStateError in a state that cannot be started (UNKNOWN without a child).
   */
  spawn(): number {
    // Supvisors' patched spawn: a disabled program's process, or an obsolete one, is left as it is,
    // silently (startProcess refuses a disabled one with DISABLED before getting here; the timed
    // rules never ask for either).
    if (this.spawnBlocked()) return 0;
    if (this._pid) {
      // e.g. startProcess while STOPPING: supervisord's silent no-op (spec §14 item 31).
      this.host.log("warn", `process '${this.name}' already running`);
      return 0;
    }
    this.assertCan("spawn");
    this._killing = false;
    this._spawnerr = null;
    this._exitstatus = null;
    this._systemStop = false;
    this._administrativeStop = false;
    this._laststart = this.now();
    this.changeState({ kind: "spawn" });

    let result: SpawnResult;
    try {
      result = this.host.spawn(this);
    } catch (err) {
      // A spawner that throws is a fork failure, not a reason to crash the daemon.
      result = { ok: false, spawnerr: `unknown error during fork for '${this.name}': ${errorCode(err)}` };
    }
    if (!result.ok) {
      this._spawnerr = result.spawnerr;
      this.host.log("info", `spawnerr: ${result.spawnerr}`);
      this.changeState({ kind: "spawn-failed" });
      this.reschedule();
      return 0;
    }
    this._pid = result.pid;
    this.host.log("info", `spawned: '${this.name}' with pid ${result.pid}`);
    this._spawnerr = null;
    this._delay = this.now() + this.config.startsecs * 1000;
    this.reschedule();
    return result.pid;
  }

  /**
   * The autostart rule: a never-started (laststart == 0) STOPPED process with autostart=true is
   * spawned while the daemon is RUNNING. Called at daemon start and when its group is added.
   * Returns true when a spawn was attempted.
   */
  autostart(): boolean {
    const action = dueAction(this.snapshot(), this.timedConfig(), this.now(), this.host.mood(), this.spawnBlocked());
    if (action?.kind !== "spawn" || action.reason !== "autostart") return false;
    this.spawn();
    return true;
  }

  /**
   * Supvisors' `enable` of the program (after a disable): a STOPPED process counts as never started
   * again, so autostart applies if configured (Supvisors resets laststart), and whatever waited while
   * disabled (an autorestart, a BACKOFF retry) is done now.
   */
  programEnabled(): void {
    if (this._state === "STOPPED") this._laststart = 0;
    this.transition();
  }

  /**
   * A numprocs decrease marks a surplus process that still runs as obsolete (it is removed once it
   * stops): like a disabled one it is never spawned (no autorestart, retry or start). A later
   * increase revives it. The timer is re-armed by the new rule at once.
   */
  setObsolete(on: boolean): void {
    if (this._obsolete === on) return;
    this._obsolete = on;
    this.transition();
  }

  // ---- stopping ----------------------------------------------------------------------------

  /**
   * Administrative stop: send stopsignal (to -pid with stopasgroup). A BACKOFF process becomes
   * STOPPED at once. Returns null, or the error text when there is no child.
   */
  stop(): string | null {
    this._administrativeStop = true;
    this.laststopreport = 0;
    return this.kill(this.config.stopsignal);
  }

  /** The per-process part of a group's stop_all during daemon shutdown (spec §4.4). */
  stopForShutdown(): void {
    if (this._state === "RUNNING" || this._state === "STARTING") this.stop();
    else if (this._state === "BACKOFF") this.giveUp();
  }

  /**
   * BACKOFF -> FATAL without the `gave up:` line: what a group's stop_all does to a BACKOFF process
   * while the daemon shuts down. The automatic give-up after too many retries logs the line.
   */
  giveUp(): void {
    this.assertCan("give-up");
    this._delay = 0;
    this._backoff = 0;
    this._systemStop = true;
    this.changeState({ kind: "give-up" });
    this.reschedule();
  }

  /**
   * signalProcess: send `sig` to the child itself (never its group); no state change. Returns
   * null, or the error text when there is no child or kill failed (-> UNKNOWN).
   */
  signal(sig: number): string | null {
    const sigName = signame(sig);
    if (!this._pid) {
      const msg = `attempted to send ${this.name} sig ${sigName} but it wasn't running`;
      this.host.log("debug", msg);
      return msg;
    }
    this.host.log("debug", `sending ${this.name} (pid ${this._pid}) sig ${sigName}`);
    if (!SIGNALLABLE_STATES.has(this._state)) {
      throw new ProcessStateError(this.name, this._state, [...SIGNALLABLE_STATES], "signal");
    }
    try {
      this.host.kill(this._pid, sig);
    } catch (err) {
      if (errorCode(err) === "ESRCH") {
        // The reaper will see the death; the state changes there.
        this.host.log("debug", `unable to signal ${this.name} (pid ${this._pid}), it probably just now exited on its own: ${errorMessage(err)}`);
        return null;
      }
      const msg = `unknown problem sending sig ${this.name} (${this._pid}):${errorTrace(err)}`;
      this.host.log("critical", msg);
      this.enterUnknown();
      return msg;
    }
    return null;
  }

  /**
   * Log `waiting for <name> to stop` while STOPPING, at most every 2 s: called by a stopProcess
   * call that waits for the result.
   */
  stopReport(): void {
    if (this._state !== "STOPPING") return;
    const now = this.now();
    this.adjustForClockRollback(now);
    if (now > this.laststopreport + STOP_REPORT_INTERVAL_MS) {
      this.host.log("info", `waiting for ${this.name} to stop`);
      this.laststopreport = now;
    }
  }

  // ---- reaping -----------------------------------------------------------------------------

  /**
   * The child was reaped and its output drained: record how it ended and move to STOPPED (a stop
   * was in progress), BACKOFF (died before startsecs) or EXITED (after RUNNING; a STARTING process
   * that outlived startsecs unobserved first enters RUNNING, without a `success:` line).
   */
  finish(exit: ProcessExit): void {
    if (!this._pid) throw new ProcessNotRunningError(`finish() called for ${this.name}, which has no child`);
    const now = this.now();
    this.adjustForClockRollback(now);
    this._laststop = now;
    const { es, text } = decodeExit(exit);

    let tooQuickly: boolean;
    // supervisord tests `now > laststart`; with millisecond times an exit in the spawn's own
    // millisecond is ordinary, so only a laststart strictly in the future triggers the warning.
    if (now >= this._laststart) {
      tooQuickly = now - this._laststart < this.config.startsecs * 1000;
    } else {
      tooQuickly = false;
      this.host.log(
        "warn",
        `process '${this.name}' (${this._pid}) laststart time is in the future, don't know how long process was running so assuming it did not exit too quickly`,
      );
    }
    const expected = this.config.exitcodes.includes(es);

    if (this._state === "UNKNOWN") {
      // kill() failed earlier and the child died anyway. supervisord would hit an assertion in
      // its reaper here; we record the death and stay UNKNOWN (which cannot be started).
      this._exitstatus = es;
      this.host.log(expected ? "info" : "warn", `exited: ${this.name} (${text}; ${expected ? "expected" : "not expected"})`);
    } else if (this._killing) {
      this._killing = false;
      this._delay = 0;
      this._exitstatus = es;
      this.changeState({ kind: "reaped-while-stopping" });
      // WARN when the stop signal killed it: -1 is never in exitcodes (spec §14 item 5).
      this.host.log(expected ? "info" : "warn", `stopped: ${this.name} (${text})`);
    } else if (tooQuickly) {
      this._exitstatus = null;
      this._spawnerr = "Exited too quickly (process log may have details)";
      this.changeState({ kind: "exited-too-quickly" });
      // Even an expected exit code is "not expected" here (spec §14 item 2).
      this.host.log("warn", `exited: ${this.name} (${text}; not expected)`);
    } else {
      this._delay = 0;
      this._backoff = 0;
      this._exitstatus = es;
      if (this._state === "STARTING") this.changeState({ kind: "started" });
      if (expected) {
        this.changeState({ kind: "exited" }, true);
        this.host.log("info", `exited: ${this.name} (${text}; expected)`);
      } else {
        this._spawnerr = `Bad exit code ${es}`;
        this.changeState({ kind: "exited" }, false);
        this.host.log("warn", `exited: ${this.name} (${text}; not expected)`);
      }
    }
    this._pid = 0;
    this.reschedule();
  }

  // ---- time --------------------------------------------------------------------------------

  /**
   * Apply whatever timed rule is due now (supervisord's transition()), then re-arm the timer.
   * Timers call it; the daemon also calls it after the mood changes or a Supvisors switch of the
   * program (disable, autorestart override) flips, so the timer is re-armed by the new rules.
   */
  transition(): void {
    const now = this.now();
    this.adjustForClockRollback(now);
    const action = dueAction(this.snapshot(), this.timedConfig(), now, this.host.mood(), this.spawnBlocked());
    switch (action?.kind) {
      case "spawn":
        this.spawn();
        break;
      case "enter-running":
        this._delay = 0;
        this._backoff = 0;
        this.changeState({ kind: "started" });
        this.host.log(
          "info",
          `success: ${this.name} entered RUNNING state, process has stayed up for > than ${this.config.startsecs} seconds (startsecs)`,
        );
        break;
      case "give-up":
        this.giveUp();
        this.host.log("info", `gave up: ${this.name} entered FATAL state, too many start retries too quickly`);
        break;
      case "sigkill":
        this.host.log("warn", `killing '${this.name}' (${this._pid}) with SIGKILL`);
        this.kill(SIGKILL);
        break;
      case undefined:
        break;
    }
    this.reschedule();
  }

  /** Cancel the pending timer for good (the process's group is being removed). */
  dispose(): void {
    this.disposed = true;
    this.host.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  // ---- reporting ---------------------------------------------------------------------------

  /** getProcessInfo's fields (except log paths) at `nowMs`. */
  info(nowMs: number): ProcessInfoCore {
    const start = cappedInt(this._laststart / 1000);
    const stop = cappedInt(this._laststop / 1000);
    const now = cappedInt(nowMs / 1000);
    const spawnerr = this._spawnerr ?? "";
    const description = describeProcess({ name: this.name, state: this._state, pid: this._pid, start, stop, now, spawnerr });
    return {
      name: this.name,
      group: this.groupName,
      start,
      stop,
      now,
      state: ProcessStates[this._state],
      statename: this._state,
      spawnerr,
      exitstatus: this._exitstatus ?? 0,
      pid: this._pid,
      description,
    };
  }

  /** getProcessInfo's `description` at `nowMs`. */
  describe(nowMs: number): string {
    return this.info(nowMs).description;
  }

  // ---- internals ---------------------------------------------------------------------------

  /**
   * supervisord's kill(): the stop path and the SIGKILL escalation. Target is -pid when
   * stopasgroup (first signal) or killasgroup (escalation, already STOPPING).
   */
  private kill(sig: number): string | null {
    const sigName = signame(sig);
    if (this._state === "BACKOFF") {
      // Otherwise a stop would wait out all the retries.
      this.host.log("debug", `Attempted to kill ${this.name}, which is in BACKOFF state.`);
      this.changeState({ kind: "stop" });
      this.reschedule();
      return null;
    }
    if (this.restartPending) {
      // Worded like the BACKOFF case: no child to signal, the pending restart is cancelled.
      this.host.log("debug", `Attempted to kill ${this.name}, which is in EXITED state with a restart pending.`);
      this.changeState({ kind: "stop" });
      this.reschedule();
      return null;
    }
    if (!this._pid) {
      const msg = `attempted to kill ${this.name} with sig ${sigName} but it wasn't running`;
      this.host.log("debug", msg);
      return msg;
    }
    const asGroup = this._state === "STOPPING" ? this.config.killasgroup : this.config.stopasgroup;
    this.host.log("debug", `killing ${this.name} (pid ${this._pid}) ${asGroup ? "process group " : ""}with signal ${sigName}`);
    this.assertCan("stop");
    this._killing = true;
    this._delay = this.now() + this.config.stopwaitsecs * 1000;
    this.changeState({ kind: "stop" });
    try {
      this.host.kill(asGroup ? -this._pid : this._pid, sig);
    } catch (err) {
      if (errorCode(err) === "ESRCH") {
        // Already dead: the reaper will move it to STOPPED.
        this.host.log("debug", `unable to signal ${this.name} (pid ${this._pid}), it probably just exited on its own: ${errorMessage(err)}`);
      } else {
        const msg = `unknown problem killing ${this.name} (${this._pid}):${errorTrace(err)}`;
        this.host.log("critical", msg);
        this.enterUnknown();
        return msg;
      }
    }
    this.reschedule();
    return null;
  }

  private enterUnknown(): void {
    this.changeState({ kind: "kill-failed" });
    this._killing = false;
    this._delay = 0;
    this.reschedule();
  }

  /** The one place state changes: table lookup, BACKOFF bookkeeping, one event. */
  private changeState(trigger: Trigger, expected = true): void {
    const from = this._state;
    const to = nextState(this.name, from, trigger);
    if (to === from) return;
    this._state = to;
    if (to === "BACKOFF") {
      this._backoff += 1;
      this._delay = this.now() + this._backoff * 1000;
    }
    this.host.bus.emit({
      kind: "PROCESS_STATE",
      process: { name: this.name, group: this.groupName },
      from,
      to,
      tries: this._backoff,
      pid: this._pid,
      expected,
    });
    this.host.stateChanged?.(from, to);
  }

  private assertCan(kind: TriggerKind): void {
    if (!canApply(this._state, kind)) throw new ProcessStateError(this.name, this._state, allowedFrom(kind), kind);
  }

  private snapshot(): TimedSnapshot {
    return { state: this._state, laststart: this._laststart, delay: this._delay, backoff: this._backoff, exitstatus: this._exitstatus };
  }

  /** The config the timed rules read: the configured one, or with autorestart forced off (Supvisors). */
  private timedConfig(): TimedConfig {
    return this.host.autorestartForcedOff() ? { ...this.config, autorestart: false } : this.config;
  }

  private now(): number {
    return this.host.clock.now();
  }

  /** Supvisors' patched spawn does nothing for a disabled program or an obsolete process. */
  private spawnBlocked(): boolean {
    return this._obsolete || this.host.programDisabled();
  }

  /** Arm the single timer at the next deadline of the timed rules (or disarm it). */
  private reschedule(): void {
    if (this.disposed) return;
    const at = nextDeadline(this.snapshot(), this.timedConfig(), this.host.mood(), this.spawnBlocked());
    if (at !== null && at === this.timerAt && this.timer) return;
    this.host.clock.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === null) return;
    this.timer = this.host.clock.setTimer(Math.max(0, at - this.now()), () => {
      this.timer = null;
      this.timerAt = null;
      this.transition();
    });
  }

  /**
   * supervisord's _check_and_adjust_for_system_clock_rollback: when the wall clock went back,
   * pull the stored times back so deadlines stay at most their nominal length away.
   */
  private adjustForClockRollback(now: number): void {
    const startsecs = this.config.startsecs * 1000;
    const stopwait = this.config.stopwaitsecs * 1000;
    switch (this._state) {
      case "STARTING":
        if (now < this._laststart) this._laststart = now;
        if (this._delay > 0 && now < this._delay - startsecs) this._delay = now + startsecs;
        break;
      case "RUNNING":
        if (now > this._laststart && now < this._laststart + startsecs) this._laststart = now - startsecs;
        break;
      case "STOPPING":
        if (now < this.laststopreport) this.laststopreport = now;
        if (this._delay > 0 && now < this._delay - stopwait) this._delay = now + stopwait;
        break;
      case "BACKOFF":
        if (this._delay > 0 && now < this._delay - this._backoff * 1000) this._delay = now + this._backoff * 1000;
        break;
      default:
        break;
    }
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : String(code ?? (err as Error)?.message ?? err);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What follows the colon of supervisord's CRIT line (a Python traceback there, a JS stack here). */
function errorTrace(err: unknown): string {
  return err instanceof Error ? `${err.stack ?? `${err.name}: ${err.message}`}\n` : `${String(err)}\n`;
}
