/**
 * Per-program switches the Supvisors layer sets on the core (spec supvisors.md §3.3, §5.3): a
 * program can be disabled (its processes are never spawned and startProcess refuses them), and its
 * autorestart can be forced off (running failure strategy STOP_APPLICATION / RESTART_APPLICATION).
 *
 * Keyed by program section name (ProcessConfig.program_name), not by process: they apply to every
 * process of the program, in every group that uses it, and outlive a group's removal and re-adding
 * (reloadConfig / update), as Supvisors keeps them per program. Without Supvisors nothing is ever set
 * and the core behaves exactly as supervisord.
 *
 * The processes read the flags through their ProcessHost (timed-rules.ts gates on them); a change
 * is pushed to the program's current processes here, so their timers follow the new rules at once.
 * A change of the disabled flag is announced per process (Supvisors' PROCESS_ENABLED /
 * PROCESS_DISABLED) before the process acts on it, as Supvisors notifies before its transition().
 */
import type { Process } from "./process.js";

/** What a process reads (RuntimeContext hands this view to every process). */
export interface ProgramSwitchesView {
  isDisabled(program: string): boolean;
  isAutorestartDisabled(program: string): boolean;
}

export class ProgramSwitches implements ProgramSwitchesView {
  private readonly disabled = new Set<string>();
  private readonly noAutorestart = new Set<string>();

  /**
   * `processesOf(program)`: the program's active processes, in start order. `announce` is told of
   * each process whose program's disabled flag changed.
   */
  constructor(
    private readonly processesOf: (program: string) => Iterable<Process>,
    private readonly announce: (p: Process, disabled: boolean) => void = () => {},
  ) {}

  isDisabled(program: string): boolean {
    return this.disabled.has(program);
  }
  isAutorestartDisabled(program: string): boolean {
    return this.noAutorestart.has(program);
  }

  /**
   * Only a change acts: enabling a program that is not disabled must not autostart anything (the
   * layer may apply every entry of its disabilities file, `false` ones included).
   */
  setDisabled(program: string, on: boolean): void {
    if (!toggle(this.disabled, program, on)) return;
    for (const p of this.processesOf(program)) {
      this.announce(p, on);
      // Disabling drops a pending autorestart / retry timer; enabling lets autostart and them act.
      if (on) p.transition();
      else p.programEnabled();
    }
  }

  setAutorestartDisabled(program: string, on: boolean): void {
    if (!toggle(this.noAutorestart, program, on)) return;
    // Re-arm each timer by the new rule: a pending autorestart is dropped, or due again when lifted.
    for (const p of this.processesOf(program)) p.transition();
  }

  /** A restart is a fresh supervisord: the Supvisors layer, started again, sets them anew. */
  clear(): void {
    this.disabled.clear();
    this.noAutorestart.clear();
  }
}

function toggle(set: Set<string>, key: string, on: boolean): boolean {
  if (set.has(key) === on) return false;
  if (on) set.add(key);
  else set.delete(key);
  return true;
}
