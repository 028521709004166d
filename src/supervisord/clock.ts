/**
 * Time as the core sees it. Everything that decides on time takes a Clock, so the state machines
 * are tested with FakeClock and run with realClock (DESIGN.md principle 2).
 */
export interface TimerHandle {
  readonly id: number;
}
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls fn once after ms milliseconds (at an exact deadline, not on a tick). */
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(t: TimerHandle | null | undefined): void;
}

let nextId = 1;

export const realClock: Clock = (() => {
  const live = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const id = nextId++;
      const t = setTimeout(() => {
        live.delete(id);
        fn();
      }, Math.max(0, ms));
      live.set(id, t);
      return { id };
    },
    clearTimer(h) {
      if (!h) return;
      const t = live.get(h.id);
      if (t) clearTimeout(t);
      live.delete(h.id);
    },
  };
})();

/** A manual clock for tests: time moves only through advance(), firing due timers in order. */
export class FakeClock implements Clock {
  private timers: { id: number; at: number; fn: () => void }[] = [];
  constructor(private t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = nextId++;
    this.timers.push({ id, at: this.t + Math.max(0, ms), fn });
    return { id };
  }
  clearTimer(h: TimerHandle | null | undefined): void {
    if (h) this.timers = this.timers.filter((x) => x.id !== h.id);
  }
  /** Moves time forward by ms, running each timer at its own deadline (earliest first). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
  pendingTimers(): number {
    return this.timers.length;
  }
}
