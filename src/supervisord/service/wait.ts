/**
 * Deferred answers: a start/stop call with wait=true resolves on the process's real transition
 * (an event on the bus), not on a poll, so it answers as soon as the state is reached.
 */
import type { EventBus } from "../events/bus.js";
import type { ManagedProcess } from "./model.js";

/**
 * Resolves with the value `decide` returns once it returns something other than undefined.
 * `decide` runs now and after every state event of `proc`.
 */
export function waitForProcess<T>(bus: EventBus, proc: ManagedProcess, decide: () => T | undefined): Promise<T> {
  const first = decide();
  if (first !== undefined) return Promise.resolve(first);
  return new Promise<T>((resolve, reject) => {
    const off = bus.subscribe((e) => {
      if (e.kind !== "PROCESS_STATE" || e.process.name !== proc.config.name || e.process.group !== proc.config.group) return;
      let v: T | undefined;
      try {
        v = decide();
      } catch (err) {
        off();
        reject(err);
        return;
      }
      if (v !== undefined) {
        off();
        resolve(v);
      }
    });
  });
}
