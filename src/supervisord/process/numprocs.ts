/**
 * Supvisors' update_numprocs in the core (spec supvisors.md §5.3; Supervisor issue #177): change the
 * number of processes of one program section at run time, in every group that uses it, without
 * touching the other processes.
 *
 * - Increase: the new processes are made from the program's section exactly as the config reader
 *   would have made them for the new numprocs (ProgramDefinition.processes), added to each group
 *   using the program, announced (PROCESS_ADDED) and then given the autostart rule, as for a group
 *   added. A process of the program still there because it is being removed (obsolete) is revived
 *   instead of made twice.
 * - Decrease: the surplus processes without a child (STOPPED, EXITED, FATAL, UNKNOWN, BACKOFF) are
 *   removed at once (PROCESS_REMOVED); the others are marked obsolete: never spawned again (no
 *   autorestart, retry or start) and removed when they stop. Not lazy, they are stopped here; lazy,
 *   they are left to stop by themselves.
 *
 * Which processes are surplus is decided by name: the names the section expands to for the new
 * numprocs are kept, the others go. (Supvisors slices its list of process configs, sorted by name,
 * at the new numprocs: with 10 or more unpadded names, `x_10` sorts before `x_2`, so it removed
 * the wrong ones and, increasing past 10, failed to add some; by name it cannot.)
 * A surplus process in BACKOFF has no child and would never stop by itself once it may not retry
 * (Supvisors' lazy mode left it there for good): it is removed at once.
 *
 * Errors are data: the caller (the Supvisors layer) maps them to its faults.
 */
import type { ProcessConfig, ProgramDefinition } from "../config/types.js";
import { ConfigError } from "../config/errors.js";
import type { EventBus } from "../events/bus.js";
import type { Process } from "./process.js";
import type { ProcessStateName } from "./states.js";

export type NumprocsResult =
  /** No active group has a process of this program. */
  | { readonly kind: "unknown" }
  /** numprocs is not an integer > 0. */
  | { readonly kind: "bad_value" }
  /** The section cannot make that many processes (the config reader's error text), nothing changed. */
  | { readonly kind: "not_applicable"; readonly reason: string }
  | {
      readonly kind: "updated";
      /** Namespecs of the processes made and added to their group (PROCESS_ADDED sent). */
      readonly added: readonly string[];
      /** Obsolete processes that are kept again instead (no event: they never left). */
      readonly revived: readonly string[];
      /** Surplus processes removed now (PROCESS_REMOVED sent). */
      readonly removed: readonly string[];
      /** Surplus processes still running, obsolete, removed when they stop (stopping already unless lazy). */
      readonly pending: readonly string[];
    };

/** A process of a group as the updater needs it (RuntimeProcess in the daemon). */
export interface NumprocsMember {
  readonly config: ProcessConfig;
  readonly process: Process;
}

export interface NumprocsGroup {
  readonly name: string;
  /** In the group's (priority) order. */
  readonly processes: readonly NumprocsMember[];
  /** Make the process from its config and add it to the group (not started). */
  addProcess(config: ProcessConfig): NumprocsMember;
  /** Remove a (stopped) process from the group; its timers go with it. */
  removeProcess(name: string): void;
}

export interface NumprocsHost {
  readonly bus: EventBus;
  /** The active groups, in priority order. */
  groups(): readonly NumprocsGroup[];
  /** The program's section as read for this group (the config the group was made from). */
  definition(group: NumprocsGroup, program: string): ProgramDefinition | null;
  /** The autostart rule for processes just added to `group`, as when a group is added. */
  autostart(group: NumprocsGroup, added: readonly NumprocsMember[]): void;
  /** Run after the current event is delivered (default: a microtask). */
  defer?(fn: () => void): void;
}

/** The state events after which an obsolete process goes (Supvisors' update_stop, plus FATAL). */
const STOPPED_BY_ITSELF: ReadonlySet<ProcessStateName> = new Set(["STOPPED", "EXITED", "BACKOFF", "FATAL"]);
/** States of a surplus process that can be removed at once: no child to wait for. */
const REMOVABLE_NOW: ReadonlySet<ProcessStateName> = new Set(["STOPPED", "EXITED", "FATAL", "UNKNOWN", "BACKOFF"]);

const namespec = (group: string, name: string) => `${group}:${name}`;

export class NumprocsUpdater {
  private readonly defer: (fn: () => void) => void;
  private readonly unsubscribe: () => void;
  /** Namespecs of the obsolete processes, so a state event costs a lookup only for them. */
  private readonly obsolete = new Set<string>();

  constructor(private readonly host: NumprocsHost) {
    this.defer = host.defer ?? queueMicrotask;
    this.unsubscribe = host.bus.subscribe((e) => {
      if (e.kind !== "PROCESS_STATE" || !STOPPED_BY_ITSELF.has(e.to)) return;
      const { group, name } = e.process;
      // After the event is delivered: the process finishes its own bookkeeping (exit line, pid,
      // the listener pool) first, and every subscriber sees the state change before the removal.
      if (this.obsolete.has(namespec(group, name))) this.defer(() => this.removeIfObsolete(group, name));
    });
  }

  update(program: string, numprocs: number, lazy: boolean): NumprocsResult {
    const groups = this.host.groups().filter((g) => g.processes.some((p) => p.config.program_name === program));
    if (groups.length === 0) return { kind: "unknown" };
    if (typeof numprocs !== "number" || !Number.isInteger(numprocs) || numprocs <= 0) return { kind: "bad_value" };

    // Expand for every group first: a section that cannot make them changes nothing.
    const plans: { group: NumprocsGroup; wanted: ProcessConfig[] }[] = [];
    for (const group of groups) {
      const def = this.host.definition(group, program);
      if (!def) return { kind: "unknown" };
      try {
        plans.push({ group, wanted: def.processes(group.name, numprocs) });
      } catch (err) {
        if (err instanceof ConfigError) return { kind: "not_applicable", reason: err.message };
        throw err;
      }
    }

    const added: string[] = [];
    const revived: string[] = [];
    const removed: string[] = [];
    const pending: NumprocsMember[] = [];
    const toStart: { group: NumprocsGroup; members: NumprocsMember[] }[] = [];
    for (const { group, wanted } of plans) {
      const mine = group.processes.filter((p) => p.config.program_name === program);
      const wantedNames = new Set(wanted.map((pc) => pc.name));
      // Surplus first, so a removed one's name is free before anything is added.
      for (const m of mine) {
        if (wantedNames.has(m.config.name)) continue;
        if (REMOVABLE_NOW.has(m.process.state)) {
          this.remove(group, m);
          removed.push(namespec(group.name, m.config.name));
        } else if (!m.process.obsolete) {
          m.process.setObsolete(true);
          this.obsolete.add(namespec(group.name, m.config.name));
          pending.push(m);
        } else {
          pending.push(m);
        }
      }
      const fresh: NumprocsMember[] = [];
      for (const pc of wanted) {
        const existing = mine.find((m) => m.config.name === pc.name);
        if (existing) {
          if (existing.process.obsolete) {
            existing.process.setObsolete(false);
            this.obsolete.delete(namespec(group.name, pc.name));
            revived.push(namespec(group.name, pc.name));
          }
          continue;
        }
        const m = group.addProcess(pc);
        this.host.bus.emit({ kind: "PROCESS", change: "ADDED", process: { name: pc.name, group: group.name } });
        added.push(namespec(group.name, pc.name));
        fresh.push(m);
      }
      if (fresh.length) toStart.push({ group, members: fresh });
    }
    // Not lazy: stopped here (a process already STOPPING goes on stopping); each is removed once STOPPED.
    if (!lazy) for (const m of pending) if (m.process.state !== "STOPPING") m.process.stop();
    for (const { group, members } of toStart) this.host.autostart(group, members);
    return { kind: "updated", added, revived, removed, pending: pending.map((m) => namespec(m.config.group, m.config.name)) };
  }

  /** The groups were all disposed (daemon restart): nothing is pending any more. */
  forget(): void {
    this.obsolete.clear();
  }

  /** Stop listening to the bus (the daemon goes away). */
  close(): void {
    this.unsubscribe();
    this.obsolete.clear();
  }

  private removeIfObsolete(group: string, name: string): void {
    const found = this.find(group, name);
    if (!found?.member.process.obsolete) {
      // Its group was removed, or it was revived.
      this.obsolete.delete(namespec(group, name));
      return;
    }
    const p = found.member.process;
    if (!REMOVABLE_NOW.has(p.state) || p.pid !== 0) return;
    this.remove(found.group, found.member);
  }

  /** Announced first, removed next: a subscriber can still look the process up (Supvisors' order). */
  private remove(group: NumprocsGroup, m: NumprocsMember): void {
    this.obsolete.delete(namespec(group.name, m.config.name));
    this.host.bus.emit({ kind: "PROCESS", change: "REMOVED", process: { name: m.config.name, group: group.name } });
    group.removeProcess(m.config.name);
  }

  private find(group: string, name: string): { group: NumprocsGroup; member: NumprocsMember } | undefined {
    const g = this.host.groups().find((x) => x.name === group);
    const member = g?.processes.find((p) => p.config.name === name);
    return g && member ? { group: g, member } : undefined;
  }
}
