/**
 * The readiness verdict of one process as a pure machine: inputs are the spawn, the end of the
 * process's STARTING/RUNNING life, each check's result and the current time; the output is the
 * readiness change, if any (DESIGN.md principle 2: no clock, timer or socket in here).
 *
 *   off --spawned--> pending --pass--> ready --`failures` consecutive fails--> unready --pass--> ready
 *   pending --no pass within startsecs--> unready          any --stopped--> off
 *
 * Failures while pending do not count towards `failures`: only readiness_startsecs bounds the wait
 * for the first pass (0 = no bound). An unready process keeps being checked.
 */
import type { ReadinessState } from "../../protocol/supervisor.js";

export interface ReadinessRules {
  /** Consecutive failures after ready that make the process unready. */
  readonly failures: number;
  /** Seconds from the spawn within which the first pass must come; 0 = no limit. */
  readonly startsecs: number;
}

export interface ReadinessChange {
  readonly to: ReadinessState;
  readonly reason: string;
}

export type CheckResult = { readonly ok: true; readonly detail: string } | { readonly ok: false; readonly reason: string };

/** `1 s`, `0.5 s`: how durations read in reasons. */
export function secondsText(s: number): string {
  return `${Number(s.toFixed(3))} s`;
}

export class ReadinessMachine {
  private _state: ReadinessState = "off";
  private consecutiveFailures = 0;
  /** Epoch ms by which the first pass must come (pending only); null = no limit. */
  private passDeadline: number | null = null;

  constructor(private readonly rules: ReadinessRules) {}

  get state(): ReadinessState {
    return this._state;
  }
  /** The instant at which `tick` would turn a pending process unready; null when none applies. */
  get deadline(): number | null {
    return this._state === "pending" ? this.passDeadline : null;
  }

  /** The process was spawned (entered STARTING). */
  spawned(now: number): ReadinessChange | null {
    this.consecutiveFailures = 0;
    this.passDeadline = this.rules.startsecs > 0 ? now + this.rules.startsecs * 1000 : null;
    return this.move("pending", "spawned");
  }

  /** The process left STARTING/RUNNING: no check runs any more. */
  stopped(reason: string): ReadinessChange | null {
    this.consecutiveFailures = 0;
    this.passDeadline = null;
    return this.move("off", reason);
  }

  /** One check ended. `now` decides the startsecs limit if its deadline went by meanwhile. */
  result(r: CheckResult, now: number): ReadinessChange | null {
    switch (this._state) {
      case "off":
        return null;
      case "pending":
        if (r.ok) return this.pass(r.detail);
        return this.tick(now);
      case "ready":
        if (r.ok) {
          this.consecutiveFailures = 0;
          return null;
        }
        this.consecutiveFailures++;
        return this.consecutiveFailures >= this.rules.failures ? this.move("unready", r.reason) : null;
      case "unready":
        return r.ok ? this.pass(r.detail) : null;
      case "none":
        return null;
    }
  }

  /** Time passed: a pending process past its startsecs limit becomes unready. */
  tick(now: number): ReadinessChange | null {
    if (this._state !== "pending" || this.passDeadline === null || now < this.passDeadline) return null;
    return this.move("unready", `no pass within ${secondsText(this.rules.startsecs)}`);
  }

  private pass(detail: string): ReadinessChange | null {
    this.consecutiveFailures = 0;
    return this.move("ready", detail);
  }

  private move(to: ReadinessState, reason: string): ReadinessChange | null {
    if (this._state === to) return null;
    this._state = to;
    return { to, reason };
  }
}
