/**
 * Event listener behaviour (issue: events and event listeners; spec §9.4, §9.5, §14 items 15-16),
 * with the childutils listener test/fixtures/listeners/record.py: a rejected (FAIL) event comes
 * back with the same serials, a slow listener with a tiny buffer loses the oldest events (and
 * nothing else breaks), a listener that dies while BUSY gets the event again after its restart,
 * and a listener hears SUPERVISOR_STATE_CHANGE_STOPPING at shutdown. Each runs on ours and, where
 * the real supervisord is installed, on the real one too, with the same assertions.
 */
import t, { type Test } from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TestDaemon, hasReal, waitFor, type DaemonKind } from "../helpers/daemon.js";
import { listenerSection, readReceived, type Received } from "../fixtures/listeners/recorded.js";

const KINDS: DaemonKind[] = hasReal ? ["ours", "real"] : ["ours"];
// ours and the real one side by side (each test has its own temp dir and daemon)
t.jobs = 2;

async function withDaemon(t: Test, kind: DaemonKind, programs: string): Promise<TestDaemon> {
  const d = new TestDaemon(kind, { programs });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  return d;
}

const received = (d: TestDaemon, pool: string): Received[] => readReceived(join(d.dir, `${pool}.jsonl`));
const remoteData = (rs: Received[]) => rs.filter((r) => r.headers["eventname"] === "REMOTE_COMMUNICATION").map((r) => r.payload);

async function waitRunning(d: TestDaemon, name: string): Promise<void> {
  await d.waitForLog(`success: ${name} entered RUNNING state`);
}

for (const kind of KINDS) {
  t.test(`${kind}: an event answered with FAIL is sent again with the same serial and poolserial`, async (t) => {
    const d = await withDaemon(
      t,
      kind,
      listenerSection("rec", { events: "REMOTE_COMMUNICATION", args: "--fail-once REMOTE_COMMUNICATION" }) +
        "[program:other]\ncommand=/bin/sleep 1000\n",
    );
    await waitRunning(d, "rec");
    await d.rpc("supervisor.sendRemoteCommEvent", "t", "first");
    await d.rpc("supervisor.sendRemoteCommEvent", "t", "second");
    await waitFor(() => received(d, "rec").length >= 3, 20_000, "three deliveries");
    const rs = received(d, "rec");
    t.same(
      rs.map((r) => [r.action, r.payload, r.headers["serial"], r.headers["poolserial"]]),
      [
        ["fail", "type:t\nfirst", "0", "0"],
        ["ok", "type:t\nfirst", "0", "0"],
        ["ok", "type:t\nsecond", "1", "1"],
      ],
    );
    t.ok(d.messages().includes("WARN rec: event was rejected"), "the rejection is logged");
  });

  t.test(`${kind}: a slow listener with buffer_size=2 loses the oldest events, nothing else breaks`, async (t) => {
    const d = await withDaemon(
      t,
      kind,
      listenerSection("slow", { events: "REMOTE_COMMUNICATION", args: "--sleep 2", extra: "buffer_size=2" }) +
        "[program:other]\ncommand=/bin/sleep 1000\n",
    );
    await waitRunning(d, "slow");
    await waitRunning(d, "other");
    // "0" goes straight to the idle listener, which then sleeps 2 s; "1".."5" queue in a buffer of 2
    for (let i = 0; i < 6; i++) await d.rpc("supervisor.sendRemoteCommEvent", "n", String(i));
    await d.waitForLog("event buffer overflowed", 20_000, 3);
    t.same(
      d.messages().filter((m) => m.includes("overflowed")),
      [1, 2, 3].map((s) => `ERRO pool slow event buffer overflowed, discarding event ${s}`),
      "the oldest buffered events are discarded",
    );
    // the daemon keeps working meanwhile
    const info = (await d.rpc("supervisor.getProcessInfo", "other")) as Record<string, unknown>;
    t.equal(info["statename"], "RUNNING");
    t.equal(((await d.rpc("supervisor.getState")) as Record<string, unknown>)["statename"], "RUNNING");
    await waitFor(() => received(d, "slow").length >= 3, 20_000, "the remaining events delivered");
    const rs = received(d, "slow");
    t.same(remoteData(rs), ["type:n\n0", "type:n\n4", "type:n\n5"]);
    t.same(
      rs.map((r) => r.headers["serial"]),
      ["0", "4", "5"],
    );
    t.same(
      rs.map((r) => r.headers["poolserial"]),
      ["0", "4", "5"],
      "discarded events had consumed their pool serials",
    );
  });

  t.test(`${kind}: a listener that dies while BUSY gets the event again after its restart`, async (t) => {
    const d = await withDaemon(
      t,
      kind,
      listenerSection("rec", { events: "REMOTE_COMMUNICATION", args: "--die-once REMOTE_COMMUNICATION {dir}/died" }),
    );
    await waitRunning(d, "rec");
    await d.rpc("supervisor.sendRemoteCommEvent", "t", "важно");
    await d.waitForLog("exited: rec (exit status 1; not expected)");
    await waitFor(() => received(d, "rec").length >= 2, 20_000, "the event redelivered");
    const rs = received(d, "rec");
    t.same(
      rs.map((r) => [r.action, r.payload, r.headers["serial"], r.headers["poolserial"]]),
      [
        ["die", "type:t\nважно", "0", "0"],
        ["ok", "type:t\nважно", "0", "0"],
      ],
    );
    t.equal(d.messages().filter((m) => m.startsWith("INFO spawned: 'rec'")).length, 2, "restarted once");
  });

  t.test(`${kind}: at shutdown a listener hears SUPERVISOR_STATE_CHANGE_STOPPING`, async (t) => {
    // The listener's group (priority -1) is stopped last, once `slowstop` (1 s to die) is gone;
    // meanwhile it gets the events. (The reference kills a listener right after the last other
    // group stopped, even with an event in flight, so what comes after is left unchecked.)
    const d = await withDaemon(
      t,
      kind,
      listenerSection("rec", { events: "SUPERVISOR_STATE_CHANGE,PROCESS_STATE_STOPPING" }) +
        `[program:slowstop]\ncommand=/bin/sh -c "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.2; done"\n`,
    );
    await waitRunning(d, "rec");
    await waitRunning(d, "slowstop");
    await waitFor(() => received(d, "rec").length >= 1, 20_000, "SUPERVISOR_STATE_CHANGE_RUNNING");
    await d.rpc("supervisor.shutdown");
    t.equal(await d.waitExit(), 0);
    t.same(
      received(d, "rec").map((r) => `${r.headers["eventname"]} ${r.payload.replace(/pid:\d+/, "pid:<pid>")}`),
      [
        "SUPERVISOR_STATE_CHANGE_RUNNING ",
        "SUPERVISOR_STATE_CHANGE_STOPPING ",
        "PROCESS_STATE_STOPPING processname:slowstop groupname:slowstop from_state:RUNNING pid:<pid>",
      ],
    );
  });
}

if (hasReal) {
  t.test("protocol violations are logged as the reference does", async (t) => {
    const listener = (name: string, priority: number, script: string) =>
      [`[eventlistener:${name}]`, `command=/bin/sh -c "${script}"`, "events=REMOTE_COMMUNICATION", `priority=${priority}`, ""].join("\n");
    // distinct priorities: the reference re-queues a rejected event in every pool with a process of
    // the same priority (spec §14 item 16), which we deliberately don't copy
    const programs = [
      listener("badline", 1, "printf 'READY\\n'; read hdr; printf 'garbage\\n'; exec sleep 1000"),
      listener("unsolicited", 2, "printf 'READY\\nhello\\n'; exec sleep 1000"),
      listener("notready", 3, "printf 'HELLO!\\n'; exec sleep 1000"),
      listener("rejecter", 4, "printf 'READY\\n'; read hdr; printf 'RESULT 3\\nBAD'; exec sleep 1000"),
    ].join("\n");
    const names = ["badline", "unsolicited", "notready", "rejecter"];
    const run = async (kind: DaemonKind) => {
      const d = await withDaemon(t, kind, programs);
      for (const n of names) await waitRunning(d, n);
      await d.rpc("supervisor.sendRemoteCommEvent", "t", "x");
      await d.waitForLog("badline: bad result line");
      await d.waitForLog("rejecter: event was rejected");
      return d.messages();
    };
    const [ours, real] = await Promise.all([run("ours"), run("real")]);
    const about = (msgs: string[], n: string) => msgs.filter((m) => m.includes(`${n}:`) || m.includes(`'${n}'`));
    for (const n of names) t.same(about(ours, n), about(real, n), n);
    t.ok(ours.some((m) => m.startsWith("WARN notready: has entered the UNKNOWN state")));
    t.ok(ours.includes("WARN badline: bad result line: 'garbage'"));
    t.ok(
      ours.includes(
        "WARN unsolicited: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
      ),
    );
  });
}

if (hasReal) {
  t.test("a listener pool added at runtime, removed and added again", async (t) => {
    const base = "[program:p]\ncommand=/bin/sleep 1000\n";
    const late = listenerSection("late", { args: "--sleep 0.3", extra: "numprocs=2\nprocess_name=%(program_name)s_%(process_num)d\nstartsecs=0" });
    const run = async (kind: DaemonKind) => {
      const d = await withDaemon(t, kind, base);
      await waitRunning(d, "p");
      d.writeConfig({ programs: base + late });
      t.same(await d.rpc("supervisor.reloadConfig"), [[["late"], [], []]]);
      await d.rpc("supervisor.addProcessGroup", "late");
      const got = () => received(d, "late");
      const has = (name: string, part: string) => got().some((r) => r.headers["eventname"] === name && r.payload.includes(part));
      await waitFor(() => has("PROCESS_STATE_RUNNING", "processname:late_1 "), 20_000, `${kind}: late_1 RUNNING delivered`);
      // two events at once: the second goes to the other listener while the first is busy
      await d.rpc("supervisor.sendRemoteCommEvent", "a", "1");
      await d.rpc("supervisor.sendRemoteCommEvent", "b", "2");
      await waitFor(() => has("REMOTE_COMMUNICATION", "type:b"), 20_000, `${kind}: remote events delivered`);
      const first = got();
      await d.rpc("supervisor.stopProcessGroup", "late");
      await d.rpc("supervisor.removeProcessGroup", "late");
      t.same(await d.rpc("supervisor.reloadConfig"), [[["late"], [], []]], `${kind}: late can be added again`);
      await d.rpc("supervisor.addProcessGroup", "late");
      await waitFor(() => got().length > first.length && has("PROCESS_STATE_RUNNING", "processname:late_1 "), 20_000, `${kind}: re-added`);
      await waitFor(
        () => got().filter((r) => r.headers["eventname"] === "PROCESS_STATE_RUNNING" && r.payload.includes("processname:late_1 ")).length >= 2,
        20_000,
        `${kind}: late_1 RUNNING after re-adding`,
      );
      const all = got();
      return { first, second: all.slice(first.length) };
    };
    const [ours, real] = await Promise.all([run("ours"), run("real")]);
    // which instance got what depends on timing only for the startup burst; compare per event.
    // A TICK_5 that happens to fall inside the run takes pool serials too (on either daemon), so
    // events are numbered by their rank in pool-serial order among the non-tick events.
    const view = (rs: Received[]) =>
      rs
        .filter((r) => !r.headers["eventname"]!.startsWith("TICK_"))
        .sort((a, b) => Number(a.headers["poolserial"]) - Number(b.headers["poolserial"]))
        .map((r, rank) => `${rank} ${r.headers["eventname"]} ${r.payload.replace(/pid:\d+/, "pid:<pid>")}`)
        .sort();
    t.same(view(ours.first), view(real.first), "first instance of the pool");
    t.same(view(ours.second), view(real.second), "the pool added again");
    // Its two listeners record what they get concurrently: the lowest serial, not the first line, is the first event.
    t.equal(Math.min(...ours.second.map((r) => Number(r.headers["poolserial"]))), 0, "a re-added pool numbers from 0");
    const remote = ours.first.filter((r) => r.headers["eventname"] === "REMOTE_COMMUNICATION");
    t.equal(new Set(remote.map((r) => r.pid)).size, 2, "the two remote events went to different listeners");
  });
}

for (const kind of KINDS) {
  t.test(`${kind}: a listener's stdout is logged once per chunk at debug level, as a bytes repr, and to its stdout log`, async (t) => {
    const d = new TestDaemon(kind, {
      programs:
        listenerSection("rec", { events: "REMOTE_COMMUNICATION", extra: "stdout_logfile={dir}/rec.out\nstdout_events_enabled=true\npriority=5" }) +
        listenerSection("logs", { events: "PROCESS_LOG", extra: "priority=6" }),
      supervisord: "loglevel=debug",
    });
    t.teardown(async () => {
      await d.stop();
      d.cleanup();
    });
    await d.start();
    await waitRunning(d, "rec");
    await waitRunning(d, "logs");
    await d.rpc("supervisor.sendRemoteCommEvent", "t", "x");
    await waitFor(() => received(d, "rec").length >= 1, 20_000, "delivery");
    await d.waitForLog("rec: ACKNOWLEDGED -> READY", 20_000, 2);
    const msgs = d.messages();
    const after = msgs.flatMap((m, i) => (m === "DEBG 'rec' stdout output:" ? [msgs[i + 1] ?? ""] : []));
    t.ok(after.length >= 2);
    t.same(after.filter((l) => !l.startsWith("b'")), [], "every stdout chunk is logged as b'...', once");
    t.equal(readFileSync(join(d.dir, "rec.out"), "utf8"), "READY\nRESULT 2\nOKREADY\n", "the raw protocol text in the stdout log");
    await d.rpc("supervisor.stopProcess", "rec");
    await d.waitForLog("stopped: rec");
    t.same(received(d, "logs"), [], "a listener's stdout makes no PROCESS_LOG events, even with stdout_events_enabled");
  });
}
