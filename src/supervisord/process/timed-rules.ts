/**
 * The time-driven half of supervisord's per-process transition() (spec §3.3), as pure functions.
 *
 * supervisord evaluates these rules on every ~1 s loop iteration. We evaluate them only at the
 * exact instant they become true (DESIGN.md principle 4): nextDeadline() says when, dueAction()
 * says what. They share one rule set so a timer can never fire into a state where nothing is due
 * and re-arm itself at the same instant (no busy loop).
 */
import type { ProcessConfig } from "../config/types.js";
import type { ProcessStateName, SupervisorStateName } from "./states.js";

/**
 * A crash loop (EXITED + autorestart, e.g. startsecs=0) is not respawned faster than supervisord's
 * ~1 s loop would: at most one spawn per second per process, so it never spins a core.
 */
export const MIN_RESPAWN_INTERVAL_MS = 1000;

/** The bookkeeping the rules read. Times are epoch milliseconds; 0 means "never"/"none". */
export interface TimedSnapshot {
  readonly state: ProcessStateName;
  readonly laststart: number;
  readonly delay: number;
  readonly backoff: number;
  readonly exitstatus: number | null;
}

export type TimedConfig = Pick<ProcessConfig, "autostart" | "autorestart" | "exitcodes" | "startsecs" | "startretries">;

export type DueAction =
  | { readonly kind: "spawn"; readonly reason: "autorestart" | "autostart" | "retry" }
  | { readonly kind: "enter-running" }
  | { readonly kind: "give-up" }
  | { readonly kind: "sigkill" };

/** `autorestart=true`, or `unexpected` with an exit status outside exitcodes. */
export function wantsAutorestart(cfg: TimedConfig, exitstatus: number | null): boolean {
  if (cfg.autorestart === true) return true;
  if (cfg.autorestart === "unexpected") return exitstatus === null || !cfg.exitcodes.includes(exitstatus);
  return false;
}

/**
 * Whether the spawning rules (autostart, autorestart, BACKOFF retry) may act: only while the daemon
 * mood is RUNNING, and never for a program Supvisors disabled (its patched spawn does nothing, so
 * the process just stays in its state; a gate here rather than in spawn() keeps a due retry from
 * re-arming its timer in a loop).
 */
function spawningAllowed(mood: SupervisorStateName, disabled: boolean): boolean {
  return mood === "RUNNING" && !disabled;
}

/**
 * What supervisord's transition() would do at `now` (at most one action: the rules are mutually
 * exclusive per state). Spawning rules apply only while the daemon mood is RUNNING and the program
 * is not `disabled`; entering RUNNING, giving up and the SIGKILL escalation apply in any mood.
 */
export function dueAction(s: TimedSnapshot, cfg: TimedConfig, now: number, mood: SupervisorStateName, disabled = false): DueAction | null {
  const spawning = spawningAllowed(mood, disabled);
  switch (s.state) {
    case "EXITED":
      return spawning && wantsAutorestart(cfg, s.exitstatus) && now >= s.laststart + MIN_RESPAWN_INTERVAL_MS
        ? { kind: "spawn", reason: "autorestart" }
        : null;
    case "STOPPED":
      // Only a never-started process autostarts (boot, reload, group added).
      return spawning && s.laststart === 0 && cfg.autostart ? { kind: "spawn", reason: "autostart" } : null;
    case "BACKOFF":
      if (s.backoff > cfg.startretries) return { kind: "give-up" };
      return spawning && now > s.delay ? { kind: "spawn", reason: "retry" } : null;
    case "STARTING":
      // Strictly greater, as supervisord. With startsecs=0 supervisord's float clock has always moved
      // on by the time it looks; ours counts whole milliseconds, so 0 means "at once".
      return now - s.laststart > cfg.startsecs * 1000 || (cfg.startsecs === 0 && now >= s.laststart) ? { kind: "enter-running" } : null;
    case "STOPPING":
      return now >= s.delay ? { kind: "sigkill" } : null;
    default:
      return null;
  }
}

/**
 * The earliest epoch ms at which dueAction() becomes non-null, or null when nothing is pending
 * (a result in the past means "due now"). The autostart rule has no deadline: it is applied when
 * the daemon starts or a group is added (Process.autostart()), never by a timer.
 */
export function nextDeadline(s: TimedSnapshot, cfg: TimedConfig, mood: SupervisorStateName, disabled = false): number | null {
  const spawning = spawningAllowed(mood, disabled);
  switch (s.state) {
    case "EXITED":
      return spawning && wantsAutorestart(cfg, s.exitstatus) ? s.laststart + MIN_RESPAWN_INTERVAL_MS : null;
    case "BACKOFF":
      if (s.backoff > cfg.startretries) return 0;
      // `now > delay`: the first millisecond past the deadline.
      return spawning ? s.delay + 1 : null;
    case "STARTING":
      return cfg.startsecs === 0 ? s.laststart : s.laststart + cfg.startsecs * 1000 + 1;
    case "STOPPING":
      return s.delay;
    default:
      return null;
  }
}
