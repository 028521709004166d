/**
 * Coalesced timers for readiness checks: instants are rounded to a grid and every callback due in
 * the same slot runs from ONE clock timer. 1000 processes checked every second then cost ~40 timer
 * wake-ups a second and no per-check node timer (a setTimeout/clearTimeout pair per check, in
 * ever-changing duration lists, measurably costs more than the checks' own bookkeeping).
 * Cancelling is lazy: the entry is disarmed and dropped when its slot runs.
 */
import type { Clock, TimerHandle } from "../clock.js";

export interface SlotEntry {
  fn: (() => void) | null;
}

interface Slot {
  readonly entries: SlotEntry[];
  readonly timer: TimerHandle;
}

export class SlotTimers {
  private readonly slots = new Map<number, Slot>();

  constructor(readonly clock: Clock) {}

  /**
   * Run `fn` at `at` rounded to a multiple of `gridMs`: to the nearest one (a cadence keeps its
   * mean period) or up (a deadline never comes early). A slot already past runs at once.
   */
  at(at: number, gridMs: number, round: "nearest" | "up", fn: () => void): SlotEntry {
    const slotAt = gridMs > 0 ? (round === "up" ? Math.ceil(at / gridMs) : Math.round(at / gridMs)) * gridMs : at;
    const entry: SlotEntry = { fn };
    let slot = this.slots.get(slotAt);
    if (!slot) {
      const timer = this.clock.setTimer(Math.max(0, slotAt - this.clock.now()), () => this.run(slotAt));
      slot = { entries: [], timer };
      this.slots.set(slotAt, slot);
    }
    slot.entries.push(entry);
    return entry;
  }

  cancel(entry: SlotEntry | null): void {
    if (entry) entry.fn = null;
  }

  /** Clock timers held (tests). */
  get pendingSlots(): number {
    return this.slots.size;
  }

  private run(slotAt: number): void {
    const slot = this.slots.get(slotAt);
    if (!slot) return;
    this.slots.delete(slotAt);
    for (const e of slot.entries) {
      const fn = e.fn;
      if (!fn) continue;
      e.fn = null;
      try {
        fn();
      } catch (err) {
        // One failing callback must not lose the others of the slot.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
