/**
 * The per-process counters no getProcessInfo field holds, kept from the EventBus (DESIGN.md
 * principle 3: subscribe, never poll): starts (transitions to STARTING) and exits (transitions to
 * EXITED, by expected or not). They live as long as the daemon process, across in-process
 * restarts (SIGHUP), so they only go up; a removed group or process drops its counters (a
 * counter that comes back from 0 is a reset Prometheus handles).
 */
import type { EventBus } from "../../supervisord/events/bus.js";
import type { SupervisorEvent } from "../../supervisord/events/types.js";

export interface ProcessCounts {
  starts: number;
  exitsExpected: number;
  exitsUnexpected: number;
}

export class ProcessCounters {
  private readonly groups = new Map<string, Map<string, ProcessCounts>>();
  private readonly unsubscribe: () => void;

  constructor(bus: EventBus) {
    this.unsubscribe = bus.subscribe((e) => this.onEvent(e));
  }

  /** The counts of a process, or undefined when it never started nor exited. */
  get(group: string, name: string): ProcessCounts | undefined {
    return this.groups.get(group)?.get(name);
  }

  close(): void {
    this.unsubscribe();
  }

  private onEvent(e: SupervisorEvent): void {
    switch (e.kind) {
      case "PROCESS_STATE": {
        if (e.to !== "STARTING" && e.to !== "EXITED") return;
        let byName = this.groups.get(e.process.group);
        if (byName === undefined) {
          byName = new Map();
          this.groups.set(e.process.group, byName);
        }
        let c = byName.get(e.process.name);
        if (c === undefined) {
          c = { starts: 0, exitsExpected: 0, exitsUnexpected: 0 };
          byName.set(e.process.name, c);
        }
        if (e.to === "STARTING") c.starts++;
        else if (e.expected) c.exitsExpected++;
        else c.exitsUnexpected++;
        return;
      }
      case "PROCESS_GROUP":
        if (e.change === "REMOVED") this.groups.delete(e.group);
        return;
      case "PROCESS":
        if (e.change === "REMOVED") this.groups.get(e.process.group)?.delete(e.process.name);
        return;
      default:
        return;
    }
  }
}
