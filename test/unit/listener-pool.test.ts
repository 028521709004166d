import t from "tap";
import type { EventListenerPoolConfig, ProcessConfig } from "../../src/supervisord/config/types.js";
import { EventBus } from "../../src/supervisord/events/bus.js";
import { EventListenerPool, UnknownListenerError, UnsupportedResultHandlerError } from "../../src/supervisord/events/pool.js";
import { EventSerials } from "../../src/supervisord/events/serials.js";
import type { SupervisorEvent } from "../../src/supervisord/events/types.js";

class FakeListener {
  running = false;
  stdinOpen = true;
  readonly received: string[] = [];
  constructor(readonly name: string) {}
  isRunning(): boolean {
    return this.running;
  }
  writeStdin(data: Buffer): boolean {
    if (!this.stdinOpen) return false;
    this.received.push(data.toString("utf8"));
    return true;
  }
}

const DEFAULT_HANDLER = "supervisor.dispatchers:default_handler";
function poolConfig(name: string, events: string[], listeners: string[], buffer_size = 10): EventListenerPoolConfig {
  return {
    kind: "eventlistener",
    name,
    priority: -1,
    processes: listeners.map((n) => ({ name: n }) as ProcessConfig),
    events,
    buffer_size,
    result_handler: DEFAULT_HANDLER,
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const tick = (when: number): SupervisorEvent => ({ kind: "TICK", period: 5, when });
const groupAdded = (group: string): SupervisorEvent => ({ kind: "PROCESS_GROUP", change: "ADDED", group });
const remote = (type: string, data: string): SupervisorEvent => ({ kind: "REMOTE_COMMUNICATION", type, data });

function setup(events: string[], names = ["l0"], buffer_size = 10) {
  const bus = new EventBus((e) => {
    throw e;
  });
  const serials = new EventSerials();
  const logs: string[] = [];
  const fakes = names.map((n) => new FakeListener(n));
  const pool = new EventListenerPool({
    config: poolConfig("pool", events, names, buffer_size),
    bus,
    serials,
    identifier: "supervisor",
    log: (level, msg) => logs.push(`${level} ${msg}`),
    listeners: fakes,
  });
  return { bus, serials, logs, fakes, pool };
}

/** Spawned, RUNNING and READY. */
async function bringUp(pool: EventListenerPool, f: FakeListener) {
  pool.listenerSpawned(f.name);
  f.running = true;
  pool.listenerBecameRunning(f.name);
  pool.listenerStdout(f.name, Buffer.from("READY\n"));
  await flush();
}

t.test("a listener gets nothing until RUNNING and READY; then oldest first", async (t) => {
  const { bus, fakes, pool, logs } = setup(["TICK_5"]);
  const [l0] = fakes as [FakeListener];
  pool.listenerSpawned("l0");
  bus.emit(tick(5));
  bus.emit(tick(10));
  await flush();
  t.same(l0.received, []);
  pool.listenerStdout("l0", Buffer.from("READY\n"));
  await flush();
  t.same(l0.received, [], "READY but still STARTING: nothing");
  t.equal(pool.listenerState("l0"), "READY");
  l0.running = true;
  pool.listenerBecameRunning("l0");
  t.same(l0.received, [], "dispatch is deferred out of the caller's stack");
  await flush();
  t.same(l0.received, ["ver:3.0 server:supervisor serial:0 pool:pool poolserial:0 eventname:TICK_5 len:6\nwhen:5"]);
  t.equal(pool.listenerState("l0"), "BUSY");
  t.equal(pool.bufferLength, 1);
  pool.listenerStdout("l0", Buffer.from("RESULT 2\nOKREADY\n"));
  await flush();
  t.same(l0.received[1], "ver:3.0 server:supervisor serial:1 pool:pool poolserial:1 eventname:TICK_5 len:7\nwhen:10");
  t.equal(pool.bufferLength, 0);
  t.same(logs, [
    "debug 'l0' stdout output:\nb'READY\\n'",
    "debug l0: ACKNOWLEDGED -> READY",
    "debug event 0 sent to listener l0",
    "debug rebuffering event 1 for pool pool (buf size=0, max=10)",
    "debug 'l0' stdout output:\nb'RESULT 2\\nOKREADY\\n'",
    "debug l0: event was processed",
    "debug l0: BUSY -> ACKNOWLEDGED",
    "debug l0: ACKNOWLEDGED -> READY",
    "debug event 1 sent to listener l0",
  ]);
});

t.test("global serial is shared, poolserial per pool, unsubscribed events consume no serial", async (t) => {
  const bus = new EventBus();
  const serials = new EventSerials();
  const log = () => {};
  const a = new FakeListener("a0");
  const b = new FakeListener("b0");
  const pa = new EventListenerPool({ config: poolConfig("pa", ["TICK"], ["a0"]), bus, serials, identifier: "sid", log, listeners: [a] });
  const pb = new EventListenerPool({ config: poolConfig("pb", ["TICK_60", "REMOTE_COMMUNICATION"], ["b0"]), bus, serials, identifier: "sid", log, listeners: [b] });
  bus.emit(groupAdded("nobody-listens"));
  bus.emit(tick(5)); // pa only → serial 0
  bus.emit({ kind: "TICK", period: 60, when: 60 }); // both → serial 1
  bus.emit(remote("x", "y")); // pb only → serial 2
  t.equal(serials.lastSerial, 2);
  t.same(pa.bufferedEvents().map((e) => [e.serial, e.poolSerial]), [[0, 0], [1, 1]]);
  t.same(pb.bufferedEvents().map((e) => [e.serial, e.poolSerial]), [[1, 0], [2, 1]]);
  for (const [p, f] of [[pa, a], [pb, b]] as const) await bringUp(p, f);
  t.match(a.received[0], /^ver:3\.0 server:sid serial:0 pool:pa poolserial:0 eventname:TICK_5 len:6\n/);
  t.match(b.received[0], /^ver:3\.0 server:sid serial:1 pool:pb poolserial:0 eventname:TICK_60 len:7\nwhen:60$/);
});

t.test("overflow drops the oldest and logs ERRO with its serial", async (t) => {
  const { bus, pool, logs } = setup(["PROCESS_GROUP"], ["l0"], 3);
  for (const g of ["g0", "g1", "g2", "g3", "g4"]) bus.emit(groupAdded(g));
  t.same(pool.bufferedEvents().map((e) => e.serial), [2, 3, 4]);
  t.same(logs, ["error pool pool event buffer overflowed, discarding event 0", "error pool pool event buffer overflowed, discarding event 1"]);
});

t.test("FAIL re-sends the same event with the same serial and poolserial", async (t) => {
  const { bus, fakes, pool, logs } = setup(["REMOTE_COMMUNICATION"]);
  const [l0] = fakes as [FakeListener];
  bus.emit(remote("a", "1"));
  bus.emit(remote("b", "2"));
  await bringUp(pool, l0);
  t.equal(l0.received.length, 1);
  logs.length = 0;
  pool.listenerStdout("l0", Buffer.from("RESULT 4\nFAILREADY\n"));
  await flush();
  t.equal(l0.received.length, 2);
  t.equal(l0.received[1], l0.received[0], "identical envelope (serial 0, poolserial 0)");
  t.same(logs.slice(1, 5), [
    "warn l0: event was rejected",
    "debug l0: BUSY -> ACKNOWLEDGED",
    "debug rebuffering event 0 for pool pool (buf size=1, max=10)",
    "debug l0: ACKNOWLEDGED -> READY",
  ]);
  pool.listenerStdout("l0", Buffer.from("RESULT 2\nOKREADY\n"));
  await flush();
  t.match(l0.received[2], /serial:1 pool:pool poolserial:1 eventname:REMOTE_COMMUNICATION len:8\ntype:b\n2$/);
});

t.test("a rejected event goes back to the head even when the buffer is full (the oldest is dropped)", async (t) => {
  const { bus, fakes, pool, logs } = setup(["TICK_5"], ["l0"], 2);
  const [l0] = fakes as [FakeListener];
  bus.emit(tick(5));
  await bringUp(pool, l0); // serial 0 sent
  bus.emit(tick(10));
  bus.emit(tick(15));
  t.same(pool.bufferedEvents().map((e) => e.serial), [1, 2]);
  logs.length = 0;
  pool.listenerStdout("l0", Buffer.from("RESULT 4\nFAIL"));
  t.same(pool.bufferedEvents().map((e) => e.serial), [0, 2]);
  t.ok(logs.includes("error pool pool event buffer overflowed, discarding event 1"));
});

t.test("listener death while BUSY re-queues; the respawned instance gets it again", async (t) => {
  const { bus, fakes, pool } = setup(["TICK"], ["l0"]);
  const [l0] = fakes as [FakeListener];
  bus.emit(tick(5));
  await bringUp(pool, l0);
  t.equal(pool.bufferLength, 0);
  t.same(pool.listenerStatuses(), [{ name: "l0", state: "BUSY", busyWith: 0 }]);
  l0.running = false;
  pool.listenerExited("l0");
  t.equal(pool.bufferLength, 1);
  await flush();
  t.equal(l0.received.length, 1, "not running: nothing sent");
  pool.listenerSpawned("l0");
  t.equal(pool.listenerState("l0"), "ACKNOWLEDGED");
  pool.listenerStdout("l0", Buffer.from("READY\n"));
  await flush();
  t.equal(l0.received.length, 1, "READY but STARTING: still nothing");
  l0.running = true;
  pool.listenerBecameRunning("l0");
  await flush();
  t.equal(l0.received.length, 2);
  t.equal(l0.received[1], l0.received[0]);
});

t.test("dispatch goes to the first RUNNING+READY listener in config order", async (t) => {
  const { bus, fakes, pool } = setup(["TICK_5"], ["l0", "l1", "l2"]);
  const [l0, l1, l2] = fakes as [FakeListener, FakeListener, FakeListener];
  await bringUp(pool, l2);
  await bringUp(pool, l1);
  bus.emit(tick(5));
  bus.emit(tick(10));
  bus.emit(tick(15));
  await flush();
  t.same([l0.received.length, l1.received.length, l2.received.length], [0, 1, 1]);
  t.match(l1.received[0], /serial:0 /);
  t.match(l2.received[0], /serial:1 /);
  t.equal(pool.bufferLength, 1);
  await bringUp(pool, l0);
  t.match(l0.received[0], /serial:2 /);
});

t.test("EPIPE leaves the listener unchanged and tries the next one", async (t) => {
  const { bus, fakes, pool, logs } = setup(["TICK_5"], ["l0", "l1"]);
  const [l0, l1] = fakes as [FakeListener, FakeListener];
  await bringUp(pool, l0);
  await bringUp(pool, l1);
  l0.stdinOpen = false;
  bus.emit(tick(5));
  await flush();
  t.same(l0.received, []);
  t.equal(l1.received.length, 1);
  t.equal(pool.listenerState("l0"), "READY");
  t.ok(logs.includes("debug epipe occurred while sending event 0 to listener l0, listener state unchanged"));
});

t.test("a listener in UNKNOWN gets no events; the other listener does", async (t) => {
  const { bus, fakes, pool, logs } = setup(["TICK_5"], ["l0", "l1"]);
  const [l0, l1] = fakes as [FakeListener, FakeListener];
  await bringUp(pool, l0);
  pool.listenerStdout("l0", Buffer.from("chatter\n"));
  t.equal(pool.listenerState("l0"), "UNKNOWN");
  t.ok(logs.includes("debug l0: READY -> UNKNOWN"));
  t.ok(
    logs.includes(
      "warn l0: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
    ),
  );
  bus.emit(tick(5));
  await flush();
  t.same(l0.received, []);
  t.equal(pool.bufferLength, 1);
  await bringUp(pool, l1);
  t.equal(l1.received.length, 1);
});

t.test("bad result line: UNKNOWN, event re-queued for another listener", async (t) => {
  const { bus, fakes, pool, logs } = setup(["TICK_5"], ["l0", "l1"]);
  const [l0, l1] = fakes as [FakeListener, FakeListener];
  await bringUp(pool, l0);
  bus.emit(tick(5));
  await flush();
  logs.length = 0;
  pool.listenerStdout("l0", Buffer.from("RESULT x\n"));
  t.same(logs.slice(1, 5), [
    "warn l0: bad result line: 'RESULT x'",
    "debug l0: BUSY -> UNKNOWN",
    "warn l0: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
    "debug rebuffering event 0 for pool pool (buf size=0, max=10)",
  ]);
  await bringUp(pool, l1);
  t.equal(l1.received[0], l0.received[0]);
});

t.test("subscribing to a type and its parent buffers each event once", async (t) => {
  const { bus, pool } = setup(["PROCESS_STATE", "PROCESS_STATE_RUNNING"]);
  bus.emit({ kind: "PROCESS_STATE", process: { name: "x", group: "x" }, from: "STARTING", to: "RUNNING", tries: 0, pid: 3, expected: false });
  t.equal(pool.bufferLength, 1);
});

t.test("close() unsubscribes and drops the buffer", async (t) => {
  const { bus, fakes, pool } = setup(["TICK_5"]);
  bus.emit(tick(5));
  pool.close();
  bus.emit(tick(10));
  t.equal(pool.bufferLength, 0);
  t.ok(pool.isClosed);
  await bringUp(pool, fakes[0]!);
  t.same(fakes[0]!.received, []);
});

t.test("removeListener re-queues its event; unknown names and handlers are errors", async (t) => {
  const { bus, fakes, pool } = setup(["TICK_5"], ["l0", "l1"]);
  await bringUp(pool, fakes[0]!);
  bus.emit(tick(5));
  await flush();
  pool.removeListener("l0");
  t.equal(pool.bufferLength, 1);
  t.throws(() => pool.listenerStdout("l0", Buffer.from("x")), UnknownListenerError);
  t.throws(
    () =>
      new EventListenerPool({
        config: { ...poolConfig("p", ["TICK"], []), result_handler: "mymod:handler" },
        bus,
        serials: new EventSerials(),
        identifier: "s",
        log: () => {},
      }),
    UnsupportedResultHandlerError,
  );
});

t.test("a custom result handler decides", async (t) => {
  const bus = new EventBus();
  const l0 = new FakeListener("l0");
  const pool = new EventListenerPool({
    config: poolConfig("p", ["TICK_5"], ["l0"]),
    bus,
    serials: new EventSerials(),
    identifier: "s",
    log: () => {},
    listeners: [l0],
    resultHandler: (body) => (body.toString() === "YES" ? "processed" : "rejected"),
  });
  bus.emit(tick(5));
  await bringUp(pool, l0);
  pool.listenerStdout("l0", Buffer.from("RESULT 3\nYESREADY\n"));
  await flush();
  t.equal(l0.received.length, 1);
  t.equal(pool.bufferLength, 0);
});
