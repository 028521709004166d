/**
 * The readiness checks of one process: started when it is spawned (STARTING), stopped when it
 * leaves STARTING/RUNNING. One check at a time, each bounded by readiness_timeout (a slow one is
 * aborted and counts as failed); the next starts `interval` after the previous one started (at
 * once if the previous one took longer). Check instants are rounded to a small grid (25 ms, less
 * for short intervals) and share coalesced timers (slot-timers.ts), so the checks of many
 * processes run in one event-loop wake-up; a timeout is rounded up, never early. The
 * readiness_startsecs deadline is one exact timer while pending. Decisions are the pure machine's.
 */
import type { Clock, TimerHandle } from "../clock.js";
import type { ReadinessConfig } from "../config/types.js";
import type { ReadinessState } from "../../protocol/supervisor.js";
import type { ProcessStateName } from "../process/states.js";
import { ReadinessMachine, secondsText, type CheckResult, type ReadinessChange } from "./machine.js";
import type { ProbeContext, Prober } from "./probes.js";
import type { SlotEntry, SlotTimers } from "./slot-timers.js";

/** The grid (ms) check instants are rounded to, at most an eighth of the interval. */
const GRID_MS = 25;

export interface ReadinessLoopHost {
  readonly clock: Clock;
  /** Shared by every process's loop (one per daemon). */
  readonly timers: SlotTimers;
  readonly probe: Prober;
  readonly probeContext: ProbeContext;
  /** Record a readiness change (Process.setReadiness: event + main log). */
  publish(to: ReadinessState, reason: string): void;
  /** The process turned unready and readiness_on_failure = fail. */
  failed(reason: string): void;
}

export class ReadinessLoop {
  private readonly machine: ReadinessMachine;
  /** The next check, or the running check's timeout. */
  private slot: SlotEntry | null = null;
  private deadlineTimer: TimerHandle | null = null;
  private abort: (() => void) | null = null;
  private checkStartedAt = 0;
  /** Bumped on every start/stop, so a result of an older life is ignored. */
  private life = 0;
  private readonly grid: number;
  private readonly timeoutReason: CheckResult;
  private readonly runCheckFn = () => this.runCheck();

  constructor(
    private readonly config: ReadinessConfig,
    private readonly host: ReadinessLoopHost,
  ) {
    this.machine = new ReadinessMachine(config);
    this.grid = Math.min(GRID_MS, (config.interval * 1000) / 8);
    this.timeoutReason = { ok: false, reason: `timeout after ${secondsText(config.timeout)}` };
  }

  get state(): ReadinessState {
    return this.machine.state;
  }

  /** Follow the process's state: checks run while it is STARTING or RUNNING. */
  processState(to: ProcessStateName): void {
    if (to === "STARTING") this.start();
    else if (to !== "RUNNING") this.stop(to);
  }

  /** The process is going away for good. */
  dispose(): void {
    this.life++;
    this.cancel();
  }

  private start(): void {
    this.life++;
    this.cancel();
    const now = this.host.clock.now();
    this.apply(this.machine.spawned(now));
    this.armDeadline();
    this.slot = this.host.timers.at(now + this.config.interval * 1000, this.grid, "nearest", this.runCheckFn);
  }

  private stop(state: ProcessStateName): void {
    if (this.machine.state === "off") return;
    this.life++;
    this.cancel();
    this.apply(this.machine.stopped(state));
  }

  private cancel(): void {
    this.host.timers.cancel(this.slot);
    this.slot = null;
    this.host.clock.clearTimer(this.deadlineTimer);
    this.deadlineTimer = null;
    const abort = this.abort;
    this.abort = null;
    abort?.();
  }

  private armDeadline(): void {
    const at = this.machine.deadline;
    if (at === null) return;
    this.deadlineTimer = this.host.clock.setTimer(at - this.host.clock.now(), () => {
      this.deadlineTimer = null;
      this.apply(this.machine.tick(this.host.clock.now()));
    });
  }

  private runCheck(): void {
    const life = this.life;
    const now = this.host.clock.now();
    this.checkStartedAt = now;
    // The timeout first: a probe that answers synchronously cancels it in finish().
    this.slot = this.host.timers.at(now + this.config.timeout * 1000, this.grid, "up", () => {
      this.slot = null;
      const abort = this.abort;
      this.abort = null;
      abort?.();
      this.finish(life, this.timeoutReason);
    });
    let sync: CheckResult | null = null;
    let started = false;
    const abort = this.host.probe(this.config.check, this.host.probeContext, (r) => {
      if (!started) sync = r;
      else this.finish(life, r);
    });
    started = true;
    if (life !== this.life) return;
    if (sync) this.finish(life, sync);
    else if (this.slot) this.abort = abort;
  }

  private finish(life: number, r: CheckResult): void {
    if (life !== this.life) return;
    const clock = this.host.clock;
    this.host.timers.cancel(this.slot);
    this.slot = null;
    this.abort = null;
    const now = clock.now();
    this.apply(this.machine.result(r, now));
    if (life !== this.life) return;
    if (this.machine.deadline === null && this.deadlineTimer) {
      clock.clearTimer(this.deadlineTimer);
      this.deadlineTimer = null;
    }
    const next = Math.max(now, this.checkStartedAt + this.config.interval * 1000);
    this.slot = this.host.timers.at(next, next === now ? 0 : this.grid, "nearest", this.runCheckFn);
  }

  private apply(change: ReadinessChange | null): void {
    if (!change) return;
    this.host.publish(change.to, change.reason);
    if (change.to === "unready" && this.config.onFailure === "fail") this.host.failed(change.reason);
  }
}
