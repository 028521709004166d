/**
 * The Java client's event subscribers (clients/java, org.supvisors.event) against a 3-instance
 * cluster of ours: over the websocket (event_link = WS, SupvisorsWsEventSubscriber, JDK only) and
 * over ZeroMQ (event_link = ZMQ, SupvisorsEventSubscriber with Debian's JeroMQ). The Java program
 * clients/java/test/org/supvisors/test/EventCheck.java prints each callback's typed object back
 * under the spec's keys; every one must equal the body a TypeScript subscriber of the same instance
 * received, and each of the 7 kinds must come while an application starts (statistics every 2 s).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import t, { type Test } from "tap";
import { WebSocket } from "ws";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { compileJava, javaMissing } from "../helpers/java.js";

const TIMEOUT = 30_000;
const KINDS = ["supvisors", "instance", "application", "process", "event", "hstats", "pstats"];

const RULES = `<?xml version="1.0"?>
<root>
  <application name="app">
    <programs>
      <program name="one"><start_sequence>1</start_sequence></program>
      <program name="two"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
</root>
`;
const program = (name: string) => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 1\nstopwaitsecs = 5\n`;
const PROGRAMS = ["[group:app]\nprograms = one,two\n", program("one"), program("two")].join("\n");

/** supervisord's process state codes, as the Java ProcessState names them. */
const PROCESS_STATES: Record<number, string> = { 0: "STOPPED", 10: "STARTING", 20: "RUNNING", 30: "BACKOFF", 40: "STOPPING", 100: "EXITED", 200: "FATAL", 1000: "UNKNOWN", [-1]: "DELETED" };

type Event = [string, Record<string, unknown>];

/** Equal as JSON values, numbers within float precision (the statistics are Floats in Java). */
function same(java: unknown, ts: unknown): boolean {
  if (java === null && ts === undefined) return true;
  if (typeof java === "number" && typeof ts === "number") return Math.abs(java - ts) <= 1e-5 * Math.max(1, Math.abs(ts));
  if (Array.isArray(java) && Array.isArray(ts)) return java.length === ts.length && java.every((x, i) => same(x, ts[i]));
  if (java && ts && typeof java === "object" && typeof ts === "object" && !Array.isArray(java) && !Array.isArray(ts)) {
    const a = java as Record<string, unknown>;
    const b = ts as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return java === ts;
}

/** The Java view of a TS body: the event's state code by its name. */
function javaView(kind: string, body: Record<string, unknown>): Record<string, unknown> {
  if (kind === "event" && typeof body.state === "number") return { ...body, state: PROCESS_STATES[body.state] ?? null };
  return body;
}

/** The keys of the Java line equal in the TS body (the keys Java has no getter for are not printed). */
function matches(kind: string, java: Record<string, unknown>, ts: Event): boolean {
  if (ts[0] !== kind) return false;
  const body = javaView(kind, ts[1]);
  return Object.keys(java).every((k) => same(java[k], body[k]));
}

/** A TS subscriber of every header of the instance's event port. */
async function tsSubscriber(link: "ws" | "zmq", port: number): Promise<{ events: Event[]; close: () => Promise<void> }> {
  const events: Event[] = [];
  if (link === "ws") {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/all`);
    ws.on("message", (data) => {
      const [h, b] = JSON.parse(String(data)) as [string, Record<string, unknown>];
      events.push([h, b]);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return { events, close: async () => ws.terminate() };
  }
  const zmq = await import("zeromq");
  const sub = new zmq.Subscriber({ linger: 0 });
  sub.connect(`tcp://127.0.0.1:${port}`);
  sub.subscribe();
  const loop = (async () => {
    try {
      for await (const [h, b] of sub) events.push([String(h), JSON.parse(String(b)) as Record<string, unknown>]);
    } catch {
      // closed
    }
  })();
  return {
    events,
    close: async () => {
      sub.close();
      await loop;
    },
  };
}

/** EventCheck on the instance's event port: its lines as [kind, fields]. */
function javaSubscriber(classpath: string, link: "ws" | "zmq", port: number, headers?: readonly string[]): { child: ChildProcess; events: Event[]; stderr: string[] } {
  const args = ["-cp", classpath, "org.supvisors.test.EventCheck", link, "127.0.0.1", String(port), "0", "120", ...(headers ? [headers.join(",")] : [])];
  const child = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
  const events: Event[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const tab = line.indexOf("\t");
    const kind = line.slice(0, tab);
    if (kind === "started" || kind === "done") return;
    events.push([kind, JSON.parse(line.slice(tab + 1)) as Record<string, unknown>]);
  });
  createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
  return { child, events, stderr };
}

async function check(t: Test, classpath: string, link: "ws" | "zmq"): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sv-java-events-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const supvisors = [`event_link = ${link.toUpperCase()}`, `rules_files = ${dir}/rules.xml`, "stats_collecting_period = 1", "stats_periods = 2"].join("\n");
  const cluster = await TestCluster.create({ size: 3, supvisors, programs: PROGRAMS });
  t.teardown(() => cluster.teardown());
  const [a0, a1] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);
  const eventPort = a1.spec.port + 1;

  const ts = await tsSubscriber(link, eventPort);
  t.teardown(() => ts.close());
  await poll(() => (ts.events.some((e) => e[0] === "instance") ? true : undefined), TIMEOUT, "the TS subscriber's first instance event");

  const java = javaSubscriber(classpath, link, eventPort);
  // a second one, subscribed while running to 2 headers only (subscribeTo* / unsubscribeFrom*)
  const some = ["process", "event"];
  const partial = javaSubscriber(classpath, link, eventPort, some);
  t.teardown(() => {
    for (const j of [java, partial]) if (j.child.exitCode === null) j.child.kill("SIGKILL");
  });
  // ZeroMQ: the subscription takes effect a moment after the connection; websocket: the snapshot first.
  await poll(() => (java.events.some((e) => e[0] === "instance") ? true : undefined), TIMEOUT, "the Java subscriber's first instance event");
  await new Promise((r) => setTimeout(r, 500));
  const mark = java.events.length;

  t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "app", true), true, "app started over XML-RPC");
  const kindsAfter = () => new Set(java.events.slice(mark).map((e) => e[0]));
  const pstatsOfApp = () => java.events.slice(mark).some((e) => e[0] === "pstats" && String(e[1].namespec).startsWith("app:"));
  await poll(() => (KINDS.every((k) => kindsAfter().has(k)) && pstatsOfApp() ? true : undefined), TIMEOUT, `every kind at the Java subscriber (seen: ${[...kindsAfter()].join(",")})`).catch((err: Error) => {
    t.fail(`${err.message}: seen ${[...kindsAfter()].join(",")}; stderr: ${java.stderr.join(" | ")}`);
  });
  t.same(KINDS.filter((k) => !kindsAfter().has(k)), [], "each event kind received by the Java listener");
  t.ok(pstatsOfApp(), "process statistics of the application's processes");
  // what the TS subscriber got a little later than Java (the same instance, the same stream)
  await new Promise((r) => setTimeout(r, 300));

  const received = java.events.slice(mark);
  const unmatched = received.filter(([kind, fields]) => !ts.events.some((e) => matches(kind, fields, e)));
  for (const kind of KINDS) {
    const ofKind = received.filter((e) => e[0] === kind);
    const bad = unmatched.filter((e) => e[0] === kind);
    t.equal(bad.length, 0, `${kind}: the ${ofKind.length} Java objects equal bodies the TS subscriber received`, {
      unmatched: bad.slice(0, 2).map((e) => e[1]),
      tsOfKind: ts.events.filter((e) => e[0] === kind).slice(-2).map((e) => javaView(kind, e[1])),
    });
  }
  const ev = received.find((e) => e[0] === "event" && e[1].name === "one" && e[1].state === "RUNNING");
  t.ok(ev, "the RUNNING event of app:one");
  t.same(java.stderr.filter((l) => /not delivered/.test(l)), [], "no event the Java subscriber could not deliver");
  // the one subscribed to process and event: those only (the first ones may be from before the change)
  await poll(() => (partial.events.some((e) => e[0] === "process") && partial.events.some((e) => e[0] === "event") ? true : undefined), TIMEOUT, "process and event at the partial subscriber").catch((err: Error) => t.fail(err.message));
  const lastOther = partial.events.map((e) => some.includes(e[0])).lastIndexOf(false);
  const afterChange = partial.events.slice(lastOther + 1);
  t.ok(afterChange.some((e) => e[0] === "process") && afterChange.some((e) => e[0] === "event"), "the partial subscriber: process and event after its subscription change");
  t.ok(partial.events.filter((e) => e[0] === "process").every(([k, f]) => ts.events.some((e) => matches(k, f, e))), "its process objects equal the TS bodies");
  java.child.kill("SIGTERM");
  partial.child.kill("SIGTERM");
}

const missing = javaMissing();
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  const java = compileJava();
  t.teardown(() => java.cleanup());
  if (java.failure) {
    t.fail("clients/java compiles", { javac: java.failure.slice(0, 4000) });
  } else {
    t.test("websocket (event_link = WS): SupvisorsWsEventSubscriber", (t) => check(t, java.classpath, "ws"));
    t.test("ZeroMQ (event_link = ZMQ): SupvisorsEventSubscriber over JeroMQ", (t) => check(t, java.classpath, "zmq"));
  }
}
