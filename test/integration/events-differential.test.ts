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
import { TestDaemon, hasReal, onBothDaemons, waitFor, type DaemonKind, type DaemonOptions } from "../helpers/daemon.js";
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
  const both = await onBothDaemons(t, { programs: PROGRAMS }, scenario);
  const [ours, real] = [both.ours.result, both.real.result];

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

const EDGE_PROGRAMS = [
  listenerSection("rec", { extra: "buffer_size=500" }),
  "[program:bin]",
  `command=/bin/sh -c "printf 'ok \\303\\244 then bad \\377\\376 bytes\\n'; exec sleep 1000"`,
  "stdout_events_enabled=true",
  "[program:capev]",
  // (the tail after END is longer than the BEGIN token: the reference holds back shorter output
  // of a capture-enabled channel until more arrives, see the report on logs/capture.ts)
  `command=/bin/sh -c "printf 'a <!--XSUPERVISOR:BEGIN-->x<!--XSUPERVISOR:END--> and then a tail longer than the token\\n'; exec sleep 1000"`,
  "stdout_capture_maxbytes=1KB",
  "stdout_events_enabled=true",
  "[program:multi]",
  "command=/bin/sleep 1000",
  "numprocs=2",
  "process_name=%(program_name)s_%(process_num)02d",
  "[program:backoff]",
  'command=/bin/sh -c "exit 1"',
  // startsecs well above 1: on a loaded machine the reference's 1 s tick sometimes lets a program
  // that exits at once reach RUNNING with startsecs=1 (README "Differences"), which is not what
  // this stream compares.
  "startsecs=5",
  "startretries=100",
  "[program:always]",
  'command=/bin/sh -c "sleep 2.5; exit 0"',
  "autorestart=true",
  "[group:grp]",
  "programs=bin,capev",
  "",
].join("\n");

async function edgeScenario(d: TestDaemon): Promise<{ before: Received[]; after: Received[] }> {
  const file = join(d.dir, "rec.jsonl");
  const got = () => readReceived(file);
  const delivered = (name: string, payloadPart: string, rs = got()) =>
    rs.some((r) => r.headers["eventname"] === name && r.payload.includes(payloadPart));

  // stop `backoff` while it waits in its second BACKOFF (2 s): STOPPED from BACKOFF has pid:0
  await d.waitForLog("exited: backoff", 20_000, 2);
  await waitFor(() => delivered("PROCESS_STATE_BACKOFF", "processname:backoff groupname:backoff from_state:STARTING tries:2"), 20_000, "2nd BACKOFF");
  await d.rpc("supervisor.stopProcess", "backoff");
  // `always` exits expectedly and is restarted; stop it while it runs for the second time
  await d.waitForLog("success: always", 20_000, 2);
  await d.rpc("supervisor.stopProcess", "always");
  await waitFor(() => delivered("PROCESS_STATE_STOPPED", "processname:always "), 20_000, `${d.kind}: always STOPPED delivered`);
  await waitFor(() => delivered("PROCESS_STATE_STOPPED", "processname:backoff "), 20_000, `${d.kind}: backoff STOPPED delivered`);
  await waitFor(() => delivered("PROCESS_STATE_RUNNING", "processname:multi_01 "), 20_000, `${d.kind}: multi_01 RUNNING delivered`);
  await waitFor(() => delivered("PROCESS_LOG_STDOUT", "processname:capev "), 20_000, `${d.kind}: capev PROCESS_LOG delivered`);
  const before = got();
  const firstPid = before[0]!.pid;

  // a restart (reload in place): the listener is restarted, the serials continue
  await d.rpc("supervisor.restart");
  const after = () => got().filter((r) => r.pid !== firstPid);
  await waitFor(() => delivered("PROCESS_STATE_RUNNING", "processname:multi_01 ", after()), 30_000, `${d.kind}: multi_01 RUNNING after restart`);
  await waitFor(() => delivered("PROCESS_LOG_STDOUT", "processname:capev ", after()), 30_000, `${d.kind}: capev PROCESS_LOG after restart`);
  await waitFor(() => delivered("PROCESS_STATE_RUNNING", "processname:bin ", after()), 30_000, `${d.kind}: bin RUNNING after restart`);
  await waitFor(() => delivered("PROCESS_STATE_RUNNING", "processname:always ", after()), 30_000, `${d.kind}: always RUNNING after restart`);
  return { before, after: after() };
}

t.test("edge cases: undecodable output, capture with log events, numprocs, stop in BACKOFF, autorestart, restart", async (t) => {
  const run = async (kind: DaemonKind) => {
    const d = new TestDaemon(kind, { programs: EDGE_PROGRAMS });
    t.teardown(async () => {
      await d.stop();
      d.cleanup();
    });
    await d.start();
    return edgeScenario(d);
  };
  const [ours, real] = await Promise.all([run("ours"), run("real")]);

  for (const phase of ["before", "after"] as const) {
    // after the restart only the streams that have settled are compared (`always` and `backoff`
    // keep cycling; the scenario waited for the rest)
    const settled = (s: Record<string, string[]>) =>
      phase === "before" ? s : Object.fromEntries(Object.entries(s).filter(([k]) => !/^(always|backoff) state$/.test(k)));
    const o = settled(streams(ours[phase]));
    const r = settled(streams(real[phase]));
    t.same(Object.keys(o).sort(), Object.keys(r).sort(), `${phase} restart: the same streams`);
    for (const key of Object.keys(r).sort()) t.same(o[key], r[key], `${phase} restart: stream ${key}`);
  }

  for (const [kind, rec] of [["ours", ours], ["real", real]] as const) {
    const lastBefore = Number(rec.before.at(-1)!.headers["serial"]);
    t.ok(Number(rec.after[0]!.headers["serial"]) > lastBefore, `${kind}: serials continue across a restart`);
    t.equal(rec.after[0]!.headers["poolserial"], "0", `${kind}: the new pool numbers from 0`);
  }

  const payloadOf = (rs: Received[], name: string, proc: string) =>
    rs.find((r) => r.headers["eventname"] === name && r.payload.startsWith(`processname:${proc} `))?.payload;
  t.equal(
    payloadOf(ours.before, "PROCESS_LOG_STDOUT", "bin")?.replace(/pid:\d+/, "pid:<pid>"),
    "processname:bin groupname:grp pid:<pid> channel:stdout\nUndecodable: b'ok \\xc3\\xa4 then bad \\xff\\xfe bytes\\n'",
  );
  t.equal(payloadOf(ours.before, "PROCESS_STATE_STOPPED", "backoff"), "processname:backoff groupname:backoff from_state:BACKOFF pid:0");
});
