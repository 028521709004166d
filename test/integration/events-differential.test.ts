/**
 * Differential events test (issue: events and event listeners): the same scenario runs on the
 * REAL supervisord 4.2.5 and on OURS, each with a Python listener built on the real
 * supervisor.childutils (test/fixtures/listeners/record.py) subscribed to EVENT. What the two
 * listeners received must match: the envelope fields (ver, server, pool, eventname, len), and the
 * payloads after pids/times are normalised. Independent processes interleave differently in the
 * two daemons, so events are compared per stream (one process's state changes, one process's
 * stdout events, one event type, ...), each stream in order.
 */
import t from "tap";
import { TestDaemon, hasReal, waitFor, type DaemonKind, type DaemonOptions } from "../helpers/daemon.js";
import { listenerSection, normalisePayload, readReceived, type Received } from "../fixtures/listeners/recorded.js";
import { join } from "node:path";

if (!hasReal) t.plan(0, "the real supervisord is not installed (apt-get install supervisor)");

const PROGRAMS = [
  listenerSection("rec", { extra: "buffer_size=500" }),
  "[program:ok]",
  'command=/bin/sh -c "sleep 1.5; exit 0"',
  "autorestart=false",
  "[program:bad]",
  'command=/bin/sh -c "sleep 1.5; exit 3"',
  "autorestart=false",
  "[program:crash]",
  'command=/bin/sh -c "exit 2"',
  "startretries=1",
  "[program:long]",
  "command=/bin/sleep 1000",
  "[program:talker]",
  `command=/bin/sh -c "printf 'out: h\\303\\244llo\\n'; sleep 0.5; printf 'err line\\n' >&2; exec sleep 1000"`,
  "stdout_events_enabled=true",
  "stderr_events_enabled=true",
  "[program:capture]",
  `command=/bin/sh -c "printf 'before <!--XSUPERVISOR:BEGIN-->captured \\303\\274\\nline2<!--XSUPERVISOR:END--> after\\n'; sleep 0.5; printf '<!--XSUPERVISOR:BEGIN-->err cap<!--XSUPERVISOR:END-->' >&2; exec sleep 1000"`,
  "stdout_capture_maxbytes=1KB",
  "stderr_capture_maxbytes=1KB",
  "",
].join("\n");

const ADDED = ["[program:added]", "command=/bin/sleep 1000", "startsecs=0", ""].join("\n");

const REMOTE_TYPE = "tÿpe";
const REMOTE_DATA = "dätä\nline2 ✓ 🎉";

async function stateOf(d: TestDaemon, name: string): Promise<string> {
  const info = (await d.rpc("supervisor.getProcessInfo", name)) as Record<string, unknown>;
  return String(info["statename"]);
}

async function scenario(d: TestDaemon): Promise<Received[]> {
  const file = join(d.dir, "rec.jsonl");
  const got = () => readReceived(file);
  const has = (pred: (r: Received) => boolean) => got().some(pred);
  const hasEvent = (name: string, payloadPart = "") => has((r) => r.headers["eventname"] === name && r.payload.includes(payloadPart));

  await d.waitForLog("gave up: crash", 20_000);
  await d.waitForLog("exited: ok", 20_000);
  await d.waitForLog("exited: bad", 20_000);
  await waitFor(() => hasEvent("PROCESS_STATE_RUNNING", "processname:long "), 20_000, `${d.kind}: long RUNNING delivered`);
  await waitFor(() => hasEvent("PROCESS_COMMUNICATION_STDERR"), 20_000, `${d.kind}: capture stderr delivered`);
  await waitFor(() => hasEvent("PROCESS_LOG_STDERR"), 20_000, `${d.kind}: talker stderr delivered`);

  await d.rpc("supervisor.stopProcess", "long");
  await d.rpc("supervisor.sendRemoteCommEvent", REMOTE_TYPE, REMOTE_DATA);

  // reread with a changed config, then add the new group and remove it again
  d.writeConfig({ programs: PROGRAMS + ADDED });
  const changes = (await d.rpc("supervisor.reloadConfig")) as string[][][];
  t.same(changes, [[["added"], [], []]], `${d.kind}: reloadConfig sees the added group`);
  await d.rpc("supervisor.addProcessGroup", "added");
  await waitFor(() => hasEvent("PROCESS_STATE_RUNNING", "processname:added "), 20_000, `${d.kind}: added RUNNING delivered`);
  t.equal(await stateOf(d, "added"), "RUNNING");
  await d.rpc("supervisor.stopProcessGroup", "added");
  await d.rpc("supervisor.removeProcessGroup", "added");
  await waitFor(() => hasEvent("PROCESS_GROUP_REMOVED"), 20_000, `${d.kind}: PROCESS_GROUP_REMOVED delivered`);
  await waitFor(() => hasEvent("TICK_5"), 20_000, `${d.kind}: a TICK_5 delivered`);
  await waitFor(() => hasEvent("REMOTE_COMMUNICATION"), 20_000, `${d.kind}: REMOTE_COMMUNICATION delivered`);

  // What arrives during shutdown depends on how many loop iterations the reference happens to
  // spend before it stops the listener: events-listener-behaviour.test.ts covers it.
  const received = got();
  await d.rpc("supervisor.shutdown");
  t.equal(await d.waitExit(30_000), 0, `${d.kind}: exits 0`);
  return received;
}

/** The stream an event belongs to: events within one stream are causally ordered. */
function streamOf(r: Received): string {
  const name = r.headers["eventname"]!;
  const proc = /^processname:(\S+)/.exec(r.payload)?.[1];
  if (name.startsWith("PROCESS_STATE_")) return `${proc} state`;
  if (proc) return `${proc} ${name}`;
  return name;
}

function streams(received: Received[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of received) {
    if (r.headers["eventname"]!.startsWith("TICK_")) continue; // how many depends on timing
    const h = r.headers;
    (out[streamOf(r)] ??= []).push(`ver:${h["ver"]} server:${h["server"]} pool:${h["pool"]} eventname:${h["eventname"]} len:${h["len"]}\n${normalisePayload(r.payload)}`);
  }
  return out;
}

t.test("a childutils listener on EVENT receives the same events from both daemons", async (t) => {
  const opts: DaemonOptions = { programs: PROGRAMS };
  const run = async (kind: DaemonKind) => {
    const d = new TestDaemon(kind, opts);
    t.teardown(async () => {
      await d.stop();
      d.cleanup();
    });
    await d.start();
    return scenario(d);
  };
  const [ours, real] = await Promise.all([run("ours"), run("real")]);

  for (const [kind, rec] of [["ours", ours], ["real", real]] as const) {
    t.test(`${kind}: envelope`, async (t) => {
      rec.forEach((r, i) => {
        const h = r.headers;
        t.same(Object.keys(h), ["ver", "server", "serial", "pool", "poolserial", "eventname", "len"], "header keys in order");
        t.equal(h["ver"], "3.0");
        t.equal(h["server"], "supervisor");
        t.equal(h["pool"], "rec");
        t.equal(Number(h["len"]), r.pylen, `len counts code points (${h["eventname"]})`);
        // one pool, buffer never full, nothing rejected: serials are 0,1,2,... and equal the pool serials
        t.equal(h["serial"], String(i), "serial");
        t.equal(h["poolserial"], String(i), "poolserial");
      });
      const ticks = rec.filter((r) => r.headers["eventname"] === "TICK_5");
      t.ok(ticks.length >= 1, "a TICK_5 arrived");
      for (const tick of rec.filter((r) => r.headers["eventname"]!.startsWith("TICK_"))) {
        const period = Number(tick.headers["eventname"]!.slice("TICK_".length));
        const when = Number(/^when:(\d+)$/.exec(tick.payload)?.[1]);
        t.equal(when % period, 0, `${tick.headers["eventname"]} when is the start of its slice`);
      }
    });
  }

  // TICK_60 / TICK_3600 arrive only when the run happens to cross such a boundary
  const types = (rec: Received[]) =>
    [...new Set(rec.map((r) => r.headers["eventname"]!))].filter((n) => n !== "TICK_60" && n !== "TICK_3600").sort();
  t.same(types(ours), types(real), "the same event types");
  t.same(
    types(ours),
    [
      "PROCESS_COMMUNICATION_STDERR",
      "PROCESS_COMMUNICATION_STDOUT",
      "PROCESS_GROUP_ADDED",
      "PROCESS_GROUP_REMOVED",
      "PROCESS_LOG_STDERR",
      "PROCESS_LOG_STDOUT",
      "PROCESS_STATE_BACKOFF",
      "PROCESS_STATE_EXITED",
      "PROCESS_STATE_FATAL",
      "PROCESS_STATE_RUNNING",
      "PROCESS_STATE_STARTING",
      "PROCESS_STATE_STOPPED",
      "PROCESS_STATE_STOPPING",
      "REMOTE_COMMUNICATION",
      "SUPERVISOR_STATE_CHANGE_RUNNING",
      "TICK_5",
    ],
    "every event type the scenario produces",
  );

  const o = streams(ours);
  const r = streams(real);
  t.same(Object.keys(o).sort(), Object.keys(r).sort(), "the same streams");
  for (const key of Object.keys(r).sort()) t.same(o[key], r[key], `stream ${key}`);

  // a few exact payloads (spec §9.2)
  const remote = ours.find((x) => x.headers["eventname"] === "REMOTE_COMMUNICATION");
  t.equal(remote?.payload, `type:${REMOTE_TYPE}\n${REMOTE_DATA}`);
  t.equal(ours.find((x) => x.headers["eventname"] === "PROCESS_GROUP_ADDED")?.payload, "groupname:rec\n", "first group added: the listener's (priority -1)");
});
