import t from "tap";
import { FakeClock, type Clock, type TimerHandle } from "../../src/supervisord/clock.js";
import { EventBus } from "../../src/supervisord/events/bus.js";
import { TickEmitter, timeslice } from "../../src/supervisord/events/ticks.js";
import type { SupervisorEvent } from "../../src/supervisord/events/types.js";

function collect(bus: EventBus): string[] {
  const seen: string[] = [];
  bus.subscribe((e: SupervisorEvent) => {
    if (e.kind === "TICK") seen.push(`TICK_${e.period}@${e.when}`);
  });
  return seen;
}

t.test("timeslice is the aligned slice start in epoch seconds", async (t) => {
  t.equal(timeslice(5, 1_700_000_003_999), 1_700_000_000);
  t.equal(timeslice(5, 1_700_000_005_000), 1_700_000_005);
  t.equal(timeslice(60, 1_700_000_059_000), 1_700_000_040);
  t.equal(timeslice(3600, 1_700_000_000_000), 1_699_999_200);
});

t.test("first tick at the next boundary, then every period, aligned", async (t) => {
  const clock = new FakeClock(1_699_999_197_300); // 2.7 s before a 3600 s (and 60 s, 5 s) boundary
  const bus = new EventBus();
  const seen = collect(bus);
  const ticks = new TickEmitter(bus, clock);
  ticks.start();
  t.same(seen, [], "start only records the current slices");
  clock.advance(2_699);
  t.same(seen, [], "not yet at the boundary");
  clock.advance(1);
  t.same(seen, ["TICK_5@1699999200", "TICK_60@1699999200", "TICK_3600@1699999200"], "all three at an hour boundary, in order");
  clock.advance(5_000);
  t.same(seen.slice(3), ["TICK_5@1699999205"]);
  clock.advance(55_000);
  t.same(seen.slice(-2), ["TICK_5@1699999260", "TICK_60@1699999260"]);
  t.equal(seen.length, 3 + 12 + 1);
  t.equal(clock.pendingTimers(), 1, "exactly one timer armed");
  ticks.stop();
  t.equal(clock.pendingTimers(), 0);
  clock.advance(60_000);
  t.equal(seen.length, 16, "nothing after stop");
});

t.test("restart after stop records slices afresh", async (t) => {
  const clock = new FakeClock(1_700_000_001_000);
  const bus = new EventBus();
  const seen = collect(bus);
  const ticks = new TickEmitter(bus, clock);
  ticks.start();
  ticks.start();
  t.equal(clock.pendingTimers(), 1, "start is idempotent");
  ticks.stop();
  clock.advance(10_000);
  ticks.start();
  clock.advance(3_999);
  t.same(seen, []);
  clock.advance(1);
  t.same(seen, ["TICK_5@1700000015"]);
});

/** A clock whose timers (longer than 1 ms) fire 1 ms early, as real timers sometimes appear to. */
class EarlyClock implements Clock {
  constructor(private readonly inner: FakeClock) {}
  now(): number {
    return this.inner.now();
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.inner.setTimer(ms > 1 ? ms - 1 : ms, fn);
  }
  clearTimer(h: TimerHandle | null | undefined): void {
    this.inner.clearTimer(h);
  }
}

t.test("a timer firing early re-arms instead of emitting a wrong or duplicate tick", async (t) => {
  const fake = new FakeClock(1_700_000_000_000);
  const bus = new EventBus();
  const seen = collect(bus);
  const ticks = new TickEmitter(bus, new EarlyClock(fake));
  ticks.start();
  fake.advance(4_999);
  t.same(seen, []);
  fake.advance(1);
  t.same(seen, ["TICK_5@1700000005"]);
  fake.advance(5_000);
  t.same(seen, ["TICK_5@1700000005", "TICK_5@1700000010"]);
});

t.test("a subscriber may stop the emitter from inside a tick, even between periods", async (t) => {
  const clock = new FakeClock(1_699_999_195_000); // the first boundary is an hour boundary
  const bus = new EventBus();
  const ticks = new TickEmitter(bus, clock);
  let n = 0;
  bus.subscribe(() => {
    n++;
    ticks.stop();
  });
  ticks.start();
  clock.advance(60_000);
  t.equal(n, 1);
  t.equal(clock.pendingTimers(), 0);
});
