/**
 * TICK_5 / TICK_60 / TICK_3600 (spec §4.3, §9.2). The reference checks once per main-loop
 * iteration whether the wall-clock "timeslice" `floor(now - now % period)` changed and, if so,
 * emits a tick with `when:<new slice>`; the first check only records the slices, so the first
 * tick comes at the next boundary. We arm one exact timer for the next 5-second boundary
 * (every 60 s and 3600 s boundary is also one) instead of polling.
 */
import type { Clock, TimerHandle } from "../clock.js";
import type { EventBus } from "./bus.js";

export const TICK_PERIODS = [5, 60, 3600] as const;
export type TickPeriod = (typeof TICK_PERIODS)[number];

/** Start (epoch seconds) of the timeslice of `period` seconds containing `nowMs`. */
export function timeslice(period: number, nowMs: number): number {
  return Math.floor(nowMs / 1000 / period) * period;
}

export class TickEmitter {
  private readonly last = new Map<TickPeriod, number>();
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Records the current slices and arms the timer for the next boundary. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.clock.now();
    for (const p of TICK_PERIODS) this.last.set(p, timeslice(p, now));
    this.arm(now);
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimer(this.timer);
    this.timer = null;
    this.last.clear();
  }

  private arm(now: number): void {
    const nextBoundaryMs = (timeslice(TICK_PERIODS[0], now) + TICK_PERIODS[0]) * 1000;
    // At least 1 ms, so a clock that fires early can never make us spin at the same instant.
    this.timer = this.clock.setTimer(Math.max(1, nextBoundaryMs - now), () => this.fire());
  }

  private fire(): void {
    this.timer = null;
    if (!this.running) return;
    const now = this.clock.now();
    // A timer that fires a little early finds the slices unchanged and simply re-arms for the
    // remaining time; after a clock jump each period emits once, for the slice it is now in.
    for (const period of TICK_PERIODS) {
      if (!this.running) return; // a subscriber stopped us from inside emit()
      const slice = timeslice(period, now);
      if (slice !== this.last.get(period)) {
        this.last.set(period, slice);
        this.bus.emit({ kind: "TICK", period, when: slice });
      }
    }
    if (this.running) this.arm(now);
  }
}
