/**
 * readiness_on_failure = fail without a delegate (plain supervisord, no Supvisors): restart the
 * process in place. Stop it as a stopProcess would, then start it again once it is STOPPED (on the
 * next timer turn, so every subscriber sees STOPPED before the new STARTING). Anything else
 * happening to it meanwhile (someone starts it, it ends otherwise) cancels the pending start.
 */
import type { Clock } from "../clock.js";
import type { EventBus } from "../events/bus.js";
import type { LogLevelName } from "../config/types.js";
import type { SupervisorStateName } from "../process/states.js";

export interface RestartTarget {
  readonly config: { readonly name: string; readonly group: string };
  readonly state: string;
  stop(): string | null;
  spawn(): void;
}

export interface RestartDeps {
  readonly clock: Clock;
  readonly bus: EventBus;
  log(level: LogLevelName, message: string): void;
  mood(): SupervisorStateName;
}

export function restartInPlace(p: RestartTarget, reason: string, deps: RestartDeps): void {
  if (p.state !== "STARTING" && p.state !== "RUNNING") return;
  deps.log("info", `${p.config.name} restarting: not ready (${reason})`);
  const off = deps.bus.subscribe((e) => {
    if (e.kind !== "PROCESS_STATE" || e.process.name !== p.config.name || e.process.group !== p.config.group) return;
    if (e.to === "STOPPING") return;
    off();
    if (e.to !== "STOPPED") return;
    deps.clock.setTimer(0, () => {
      if (deps.mood() === "RUNNING" && p.state === "STOPPED") p.spawn();
    });
  });
  const err = p.stop();
  if (err !== null) {
    off();
    deps.log("warn", `${p.config.name} could not be restarted: ${err}`);
  }
}
