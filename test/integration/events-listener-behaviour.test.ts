/**
 * Event listener behaviour (issue: events and event listeners; spec §9.4, §9.5, §14 items 15-16),
 * with the childutils listener test/fixtures/listeners/record.py: a rejected (FAIL) event comes
 * back with the same serials, a slow listener with a tiny buffer loses the oldest events (and
 * nothing else breaks), a listener that dies while BUSY gets the event again after its restart,
 * and a listener hears SUPERVISOR_STATE_CHANGE_STOPPING at shutdown. Each runs on ours and, where
 * the real supervisord is installed, on the real one too, with the same assertions.
 */
import t, { type Test } from "tap";
import { join } from "node:path";
import { TestDaemon, hasReal, waitFor, type DaemonKind } from "../helpers/daemon.js";
import { listenerSection, readReceived, type Received } from "../fixtures/listeners/recorded.js";

const KINDS: DaemonKind[] = hasReal ? ["ours", "real"] : ["ours"];

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
