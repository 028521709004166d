/**
 * The event interface of a real cluster of 3 instances, seen by subscribers no one here wrote:
 * Debian's python3-zmq (event_link = ZMQ) and python3-websockets (event_link = WS), plus a Node
 * zeromq SUB. Each header with the spec's keys and types, in the spec's order for a process start,
 * a crash, an instance loss, a numprocs change and a disable (spec §7.3-7.4); the websocket's late
 * joiner snapshot; hostile websocket clients.
 */
import { readFileSync } from "node:fs";
import t, { type Test } from "tap";
import { WebSocket } from "ws";
import { recordOf } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { type Event, pythonHas, PySubscriber } from "../helpers/py-subscriber.js";

const TIMEOUT = 20_000;

// ---- what each header carries (spec §7.3): key -> type ------------------------------------------
const F = "float";
const KEYS: Record<string, Record<string, string>> = {
  supvisors: { identifier: "str", nick_identifier: "str", now_monotonic: F, fsm_statecode: "int", fsm_statename: "str", degraded_mode: "bool", discovery_mode: "bool", master_identifier: "str", starting_jobs: "list", stopping_jobs: "list", instance_states: "dict" },
  instance: { identifier: "str", nick_identifier: "str", node_name: "str", port: "int", statecode: "int", statename: "str", loading: "int", process_failure: "bool", remote_sequence_counter: "int", remote_time: "int", remote_mtime: F, local_sequence_counter: "int", local_time: "int", local_mtime: F },
  application: { application_name: "str", managed: "bool", now_monotonic: F, statecode: "int", statename: "str", major_failure: "bool", minor_failure: "bool" },
  process: { application_name: "str", process_name: "str", now_monotonic: F, statecode: "int", statename: "str", expected_exit: "bool", last_event_mtime: F, identifiers: "list", extra_args: "str" },
  event: { identifier: "str", nick_identifier: "str", group: "str", name: "str", state: "int", expected: "bool", spawnerr: "str", now: F, now_monotonic: F, event_mtime: F, pid: "int", extra_args: "str", disabled: "bool" },
};

/** Python's type of a JSON value as json.loads gives it (a number with a '.' is a float). */
function pyType(raw: string, key: string): string {
  const m = new RegExp(`"${key}": (\\[|\\{|"|true|false|-?[0-9.e+-]+)`).exec(raw);
  if (!m) return "missing";
  const v = m[1]!;
  if (v === "[") return "list";
  if (v === "{") return "dict";
  if (v === '"') return "str";
  if (v === "true" || v === "false") return "bool";
  return /[.e]/.test(v) ? "float" : "int";
}

function checkShape(t: Test, [header, body, raw]: Event): void {
  const spec = KEYS[header];
  if (!spec) return;
  t.same(Object.keys(body).sort(), Object.keys(spec).sort(), `${header}: the spec's keys`);
  const types = Object.fromEntries(Object.keys(spec).map((k) => [k, pyType(raw, k)]));
  t.same(types, spec, `${header}: the spec's types as Python reads them`);
}

const PROGRAMS = [
  "[program:w]\ncommand = /bin/sleep 300\nautostart = false\nautorestart = false\nstartsecs = 1\n",
  "[program:pool]\ncommand = /bin/sleep 300\nautostart = false\nprocess_name = pool_%(process_num)d\nnumprocs = 1\n",
].join("\n");

/** Events after `from` matching a predicate, as [header, short description]. */
function after(events: readonly Event[], from: number, keep: (e: Event) => boolean): Event[] {
  return events.slice(from).filter(keep);
}

const about = (name: string) => (e: Event) => {
  const b = e[1];
  return e[0] !== "instance" && e[0] !== "supvisors" && (b.name === name || b.process_name === name || b.application_name === name || b.group === name);
};

/** Until the subscriber's last `process` event about `name` says `statename` (what a call did has reached it). */
async function reached(sub: PySubscriber, name: string, statename: string): Promise<void> {
  await poll(() => {
    const last = [...sub.events].reverse().find((e) => e[0] === "process" && e[1].process_name === name);
    return last?.[1].statename === statename ? true : undefined;
  }, TIMEOUT, `${name} ${statename} seen by the subscriber`);
}

const can = pythonHas("zmq") && pythonHas("websockets");
if (!can) {
  console.log("# event interface tests skipped: /usr/bin/python3 with python3-zmq and python3-websockets needed");
  t.pass("skipped: python3-zmq / python3-websockets missing");
} else {
  t.test("ZeroMQ event interface: a Python subscriber sees the cluster from one instance", async (t) => {
    const cluster = await TestCluster.create({ size: 3, supvisors: "event_link = ZMQ", programs: PROGRAMS });
    t.teardown(() => cluster.teardown());
    const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);
    const sub = new PySubscriber("zmq", "127.0.0.1", a1.spec.port + 1);
    t.teardown(() => sub.stop());
    await sub.started();
    // A ZeroMQ subscription takes effect a moment after the connection: wait for the first heartbeat's event.
    await poll(() => (sub.events.some((e) => e[0] === "instance") ? true : undefined), TIMEOUT, "first instance event");

    await t.test("a process start on another instance: event, process, application, per transition", async (t) => {
      const mark = sub.events.length;
      await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
      await poll(() => (after(sub.events, mark, about("w")).length >= 6 ? true : undefined), TIMEOUT, "6 events about w");
      const seen = after(sub.events, mark, about("w")).slice(0, 6);
      t.same(seen.map(([h, b]) => `${h}:${b.state ?? b.statename}`), ["event:10", "process:STARTING", "application:STARTING", "event:20", "process:RUNNING", "application:RUNNING"]);
      t.equal(seen[0]![1].identifier, a2.identifier, "the raw event of the instance that runs it");
    });

    await t.test("every header has the spec's keys and types (as json.loads gives them)", async (t) => {
      const lines = sub.events;
      for (const header of ["instance", "event", "process", "application"]) {
        const e = lines.find((x) => x[0] === header);
        t.ok(e, `a ${header} event was seen`);
        if (e) checkShape(t, e);
      }
      // supvisors: published when a state & modes change; an instance leaving changes them.
      const mark = sub.events.length;
      await a2.stop();
      await poll(() => (sub.events.slice(mark).some((e) => e[0] === "supvisors") ? true : undefined), TIMEOUT, "a supvisors event");
      const s = sub.events.slice(mark).find((e) => e[0] === "supvisors")!;
      checkShape(t, s);
      await a2.start();
      await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION" && Object.values((await stateOf(i)).instance_states).every((x) => x === "RUNNING"), "a2 back", TIMEOUT);
    });

    await t.test("a crash: event EXITED (not expected), process, application", async (t) => {
      await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
      await reached(sub, "w", "RUNNING");
      const mark = sub.events.length;
      process.kill((await recordOf(a1, a2, "w:w")).pid, "SIGKILL");
      await poll(() => (after(sub.events, mark, about("w")).length >= 3 ? true : undefined), TIMEOUT, "crash events");
      const seen = after(sub.events, mark, about("w")).slice(0, 3);
      t.same(seen.map(([h, b]) => `${h}:${b.state ?? b.statename}`), ["event:100", "process:EXITED", "application:STOPPED"]);
      t.equal(seen[0]![1].expected, false);
      t.equal(seen[1]![1].expected_exit, false);
    });

    await t.test("an instance loss: instance, then process and application of what ran there", async (t) => {
      await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
      await reached(sub, "w", "RUNNING");
      const mark = sub.events.length;
      a2.signal("SIGKILL");
      await a2.waitExit();
      await poll(() => (after(sub.events, mark, about("w")).length >= 2 ? true : undefined), TIMEOUT, "loss events");
      const lossAt = sub.events.findIndex((e, i) => i >= mark && e[0] === "instance" && e[1].identifier === a2.identifier && e[1].statename !== "RUNNING");
      t.ok(lossAt >= 0, "an instance event says a2 is no longer RUNNING");
      const w = after(sub.events, mark, about("w")).slice(0, 2);
      t.same(w.map(([h, b]) => `${h}:${b.statename}`), ["process:FATAL", "application:STOPPED"]);
      t.ok(sub.events.indexOf(w[0]!) > lossAt, "after the instance event");
      await a2.start();
      await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION" && Object.values((await stateOf(i)).instance_states).every((x) => x === "RUNNING"), "a2 back", TIMEOUT);
    });

    await t.test("update_numprocs: a new process appears; a removed one is an event of state -1 and a DELETED process", async (t) => {
      let mark = sub.events.length;
      t.equal(await a1.rpc("supvisors.update_numprocs", "pool", 2), true);
      await poll(() => (after(sub.events, mark, about("pool_1")).length >= 1 ? true : undefined), TIMEOUT, "pool_1 appears");
      t.same(after(sub.events, mark, about("pool_1"))[0]!.slice(0, 1), ["process"]);
      mark = sub.events.length;
      t.equal(await a1.slowRpc(TIMEOUT, "supvisors.update_numprocs", "pool", 1), true);
      await poll(() => (after(sub.events, mark, about("pool_1")).length >= 2 ? true : undefined), TIMEOUT, "pool_1 removed");
      const removed = after(sub.events, mark, about("pool_1")).slice(0, 2);
      t.same(removed.map(([h, b]) => `${h}:${b.state ?? b.statename}`), ["event:-1", "process:DELETED"]);
      t.equal(removed[1]![1].statecode, -1);
    });

    await t.test("disable: an event with disabled = true", async (t) => {
      const mark = sub.events.length;
      t.equal(await a0.rpc("supvisors.disable", "w"), true);
      await poll(() => (after(sub.events, mark, (e) => e[0] === "event" && e[1].name === "w" && e[1].disabled === true).length ? true : undefined), TIMEOUT, "disabled event");
      t.equal(await a0.rpc("supvisors.enable", "w"), true);
    });

    await t.test("a Node zeromq subscriber with a prefix subscription gets only that header", async (t) => {
      const zmq = await import("zeromq");
      const s = new zmq.Subscriber({ linger: 0 });
      t.teardown(() => s.close());
      s.connect(`tcp://127.0.0.1:${a0.spec.port + 1}`);
      s.subscribe("process");
      const got: string[] = [];
      const reader = (async () => {
        for await (const [h, b] of s) {
          got.push(`${h!.toString()} ${JSON.parse(b!.toString()).process_name}`);
          if (got.length >= 2) break;
        }
      })();
      // The subscription needs a moment to reach the publisher: restart until both transitions are seen.
      await poll(async () => {
        if (got.length >= 2) return true;
        await a1.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true).catch(() => undefined);
        await a1.slowRpc(TIMEOUT, "supervisor.stopProcess", "w", true).catch(() => undefined);
        return got.length >= 2 ? true : undefined;
      }, TIMEOUT, "process events on the Node subscriber", 200);
      await reader;
      t.ok(got.every((g) => g === "process w"), `only process events: ${got.join(", ")}`);
    });

    await t.test("ZMQ subscribers that vanish mid-stream or never read: the others get every event", async (t) => {
      const zmq = await import("zeromq");
      const port = a1.spec.port + 1;
      const doomed = [0, 1, 2, 3, 4].map(() => new PySubscriber("zmq", "127.0.0.1", port));
      t.teardown(() => doomed.forEach((d) => d.stop()));
      await Promise.all(doomed.map((d) => d.started()));
      // Subscribers that never read: their queues fill up to a small high-water mark.
      const idle = Array.from({ length: 20 }, () => {
        const s = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 10 });
        s.connect(`tcp://127.0.0.1:${port}`);
        s.subscribe();
        return s;
      });
      t.teardown(() => idle.forEach((s) => s.close()));
      const mark = sub.events.length;
      for (let i = 0; i < 3; i++) {
        await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
        if (i === 0) doomed.forEach((d) => d.stop()); // SIGKILLed while events flow
        await a2.slowRpc(TIMEOUT, "supervisor.stopProcess", "w", true);
      }
      const states = () => after(sub.events, mark, (e) => e[0] === "process" && e[1].process_name === "w").map((e) => String(e[1].statename));
      await poll(() => (states().length >= 12 ? true : undefined), TIMEOUT, "every transition of w on the reading subscriber");
      t.same(states(), Array.from({ length: 3 }, () => ["STARTING", "RUNNING", "STOPPING", "STOPPED"]).flat(), "nothing lost, nothing out of order");
      t.equal((await stateOf(a1)).fsm_statename, "OPERATION", "the publishing instance serves on");
    });
  });

  t.test("websocket event interface: Python subscriber, late joiner, hostile clients", async (t) => {
    // Statistics at their shortest periods, so that hstats and pstats come within seconds.
    const cluster = await TestCluster.create({ size: 3, supvisors: "event_link = WS\nstats_collecting_period = 1\nstats_periods = 2", programs: PROGRAMS });
    t.teardown(() => cluster.teardown());
    const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);
    const port = a0.spec.port + 1;

    await t.test("a late joiner gets the current state of everything at once", async (t) => {
      await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
      const sub = new PySubscriber("ws", "127.0.0.1", port, "/all");
      t.teardown(() => sub.stop());
      await sub.started();
      await poll(() => (sub.events.some((e) => e[0] === "process" && e[1].process_name === "w") ? true : undefined), TIMEOUT, "snapshot");
      const w = sub.events.find((e) => e[0] === "process" && e[1].process_name === "w")!;
      t.equal(w[1].statename, "RUNNING", "w is RUNNING, on a2");
      t.same(w[1].identifiers, [a2.identifier]);
      t.ok(sub.events.some((e) => e[0] === "supvisors" && e[1].fsm_statename === "OPERATION"), "the global state");
      t.equal(new Set(sub.events.filter((e) => e[0] === "instance").map((e) => e[1].identifier)).size, 3, "every instance");
      checkShape(t, w);
    });

    await t.test("the path selects the headers; a start is event, process, application", async (t) => {
      const sub = new PySubscriber("ws", "127.0.0.1", port, "/process/nothing");
      t.teardown(() => sub.stop());
      await sub.started();
      // w runs on a2 since the last test: there only, so its status follows a1's transitions below.
      await a2.slowRpc(TIMEOUT, "supervisor.stopProcess", "w", true);
      await a1.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
      await poll(() => (sub.events.filter((e) => e[1].statename === "RUNNING" && e[1].process_name === "w").length >= 1 ? true : undefined), TIMEOUT, "process RUNNING");
      t.ok(sub.events.every((e) => e[0] === "process"), "only process events (unknown segments ignored)");
      const all = new PySubscriber("ws", "127.0.0.1", port, "/all");
      t.teardown(() => all.stop());
      await all.started();
      // The snapshot comes as a run of events: w's own (its application, then itself) must be in
      // before the count is taken, or its tail would be read as the stop's first events.
      await poll(() => (all.events.some((e) => e[0] === "process" && e[1].process_name === "w") ? true : undefined), TIMEOUT, "w in the snapshot");
      const from = all.events.length;
      await a1.slowRpc(TIMEOUT, "supervisor.stopProcess", "w", true);
      await poll(() => (after(all.events, from, about("w")).length >= 6 ? true : undefined), TIMEOUT, "stop events");
      t.same(after(all.events, from, about("w")).slice(0, 6).map(([h, b]) => `${h}:${b.state ?? b.statename}`), ["event:40", "process:STOPPING", "application:STOPPING", "event:0", "process:STOPPED", "application:STOPPED"]);
    });

    await t.test("statistics on /hstats/pstats: every instance's host and daemon, with the spec's keys", async (t) => {
      const sub = new PySubscriber("ws", "127.0.0.1", port, "/hstats/pstats");
      t.teardown(() => sub.stop());
      await sub.started();
      const ids = [a0, a1, a2].map((i) => i.identifier).sort();
      const seen = (header: string) => [...new Set(sub.events.filter((e) => e[0] === header).map((e) => String(e[1].identifier)))].sort();
      await poll(() => (seen("hstats").length === 3 && seen("pstats").length === 3 ? true : undefined), TIMEOUT, "hstats and pstats of the 3 instances");
      t.same(seen("hstats"), ids, "each instance's host, published by a0");
      t.same(seen("pstats"), ids, "each daemon's own entry");
      t.ok(sub.events.every((e) => e[0] === "hstats" || e[0] === "pstats"), "only the headers of the path");
      const h = sub.events.find((e) => e[0] === "hstats")!;
      t.same(Object.keys(h[1]), ["identifier", "now_monotonic", "target_period", "period", "cpu", "mem", "net_io", "disk_io", "disk_usage"]);
      const p = sub.events.find((e) => e[0] === "pstats" && e[1].namespec === "supervisord")!;
      t.same(Object.keys(p[1]), ["namespec", "identifier", "pid", "now_monotonic", "target_period", "period", "cpu", "mem"]);
      t.equal(pyType(p[2], "cpu"), "float");
      t.equal(pyType(p[2], "target_period"), "float");
    });

    await t.test("hostile clients: garbage, one that never reads, 200 connections: the daemon keeps serving", async (t) => {
      const sockets: WebSocket[] = [];
      t.teardown(() => sockets.forEach((s) => s.terminate()));
      const open = (path: string) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
          ws.on("open", () => resolve(ws));
          ws.on("error", reject);
          sockets.push(ws);
        });
      const garbage = await open("/all");
      garbage.send(Buffer.alloc(100_000, 7)); // beyond the frame size a subscriber may send: closed
      await poll(() => (garbage.readyState === WebSocket.CLOSED ? true : undefined), TIMEOUT, "garbage client closed");
      const mute = await open("/all");
      // A client that never reads: its socket stops reading, the daemon's buffer for it fills.
      (mute as unknown as { _socket: { pause(): void } })._socket.pause();
      const many = await Promise.all(Array.from({ length: 200 }, () => open("/event")));
      t.equal(many.filter((s) => s.readyState === WebSocket.OPEN).length, 200, "200 subscribers connected");
      for (let i = 0; i < 3; i++) {
        await a1.slowRpc(TIMEOUT, "supervisor.startProcess", "w", true);
        await a1.slowRpc(TIMEOUT, "supervisor.stopProcess", "w", true);
      }
      t.equal(((await a0.rpc("supervisor.getState")) as { statename: string }).statename, "RUNNING", "still serving");
      t.equal((await stateOf(a0)).fsm_statename, "OPERATION");
      const fresh = new PySubscriber("ws", "127.0.0.1", port, "/supvisors");
      t.teardown(() => fresh.stop());
      await fresh.started();
      await poll(() => (fresh.events.some((e) => e[0] === "supvisors") ? true : undefined), TIMEOUT, "a new subscriber still served");
      t.notMatch(readFileSync(a0.log, "utf8"), /CRIT (uncaptured|.*exception)/);
    });
  });
}
