/**
 * Deferred answers: a start/stop call with wait=true resolves on the process's real transition
 * (an event on the bus), not on a poll, so it answers as soon as the state is reached.
 *
 * One bus subscription serves every waiter, indexed by process, so a `stopAllProcesses(wait)` over
 * N processes costs O(N) per event batch instead of every event visiting every waiter.
 */
import type { EventBus } from "../events/bus.js";
import type { ManagedProcess } from "./model.js";

type Check = () => void;

export class ProcessWaiters {
  private readonly byProcess = new Map<string, Set<Check>>();

  constructor(bus: EventBus) {
    bus.subscribe((e) => {
      // READINESS too: a waiting start of a process with a readiness check answers on "ready".
      if (e.kind !== "PROCESS_STATE" && e.kind !== "READINESS") return;
      const checks = this.byProcess.get(key(e.process.group, e.process.name));
      if (checks) for (const c of [...checks]) c();
    });
  }

  /**
   * Resolves with the value `decide` returns once it returns something other than undefined;
   * `decide` runs now and after every state (or readiness) event of `proc`. A throw rejects.
   */
  waitFor<T>(proc: ManagedProcess, decide: () => T | undefined): Promise<T> {
    const first = decide();
    if (first !== undefined) return Promise.resolve(first);
    const k = key(proc.config.group, proc.config.name);
    return new Promise<T>((resolve, reject) => {
      const check: Check = () => {
        let v: T | undefined;
        try {
          v = decide();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (v !== undefined) {
          done();
          resolve(v);
        }
      };
      const done = () => {
        const set = this.byProcess.get(k);
        set?.delete(check);
        if (set && set.size === 0) this.byProcess.delete(k);
      };
      let set = this.byProcess.get(k);
      if (!set) this.byProcess.set(k, (set = new Set()));
      set.add(check);
    });
  }
}

function key(group: string, name: string): string {
  return `${group}\u0000${name}`;
}
