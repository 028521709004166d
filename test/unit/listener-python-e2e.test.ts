/**
 * End-to-end framing check against the reference's own client side: a real Python listener
 * built on supervisor.childutils.listener (text-mode stdin, reads `len` characters) is driven
 * by our EventListenerPool. Non-ASCII and astral payloads prove `len` is counted the way
 * childutils reads it (code points); a FAIL reply proves the re-send path.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { EventListenerPoolConfig, ProcessConfig } from "../../src/supervisord/config/types.js";
import { EventBus } from "../../src/supervisord/events/bus.js";
import { eventPayload } from "../../src/supervisord/events/payloads.js";
import { EventListenerPool } from "../../src/supervisord/events/pool.js";
import { EventSerials } from "../../src/supervisord/events/serials.js";
import { eventTypeName, type SupervisorEvent } from "../../src/supervisord/events/types.js";

const PY = "/usr/bin/python3";

const LISTENER = String.raw`
import json, sys
from supervisor import childutils
failed = set()
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    sys.stderr.write(json.dumps({"headers": headers, "payload": payload}) + "\n")
    sys.stderr.flush()
    if "please-fail" in payload and headers["serial"] not in failed:
        failed.add(headers["serial"])
        childutils.listener.fail(sys.stdout)
    else:
        childutils.listener.ok(sys.stdout)
`;

interface Received {
  headers: Record<string, string>;
  payload: string;
}

async function waitFor(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test("a childutils listener receives and acknowledges every event intact", { skip: !existsSync(PY) && "no /usr/bin/python3" }, async (t) => {
  const child = spawn(PY, ["-c", LISTENER], { stdio: ["pipe", "pipe", "pipe"] });
  t.teardown(() => {
    child.kill("SIGKILL");
  });
  const received: Received[] = [];
  let stderrText = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => {
    stderrText += s;
    let nl: number;
    while ((nl = stderrText.indexOf("\n")) >= 0) {
      const line = stderrText.slice(0, nl);
      stderrText = stderrText.slice(nl + 1);
      try {
        received.push(JSON.parse(line) as Received);
      } catch {
        t.fail(`listener stderr: ${line}`);
      }
    }
  });

  let running = false;
  const proc = {
    name: "py_listener",
    isRunning: () => running,
    writeStdin: (data: Buffer) => {
      if (child.stdin.destroyed) return false;
      child.stdin.write(data);
      return true;
    },
  };
  const bus = new EventBus();
  const logs: string[] = [];
  const config: EventListenerPoolConfig = {
    kind: "eventlistener",
    name: "pyp",
    priority: -1,
    processes: [{ name: "py_listener" } as ProcessConfig],
    events: ["EVENT"],
    buffer_size: 50,
    result_handler: "supervisor.dispatchers:default_handler",
  };
  const pool = new EventListenerPool({ config, bus, serials: new EventSerials(), identifier: "supervisor", log: (l, m) => logs.push(`${l} ${m}`), listeners: [proc] });
  pool.listenerSpawned("py_listener");
  child.stdout.on("data", (chunk: Buffer) => pool.listenerStdout("py_listener", chunk));
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });

  const events: SupervisorEvent[] = [
    { kind: "REMOTE_COMMUNICATION", type: "tÿpe", data: "dätä\nline2" },
    { kind: "REMOTE_COMMUNICATION", type: "emoji", data: "😀 astral 𝄞 and 漢字, then more\n" },
    { kind: "PROCESS_LOG", process: { name: "talker", group: "talk" }, channel: "stdout", pid: 42, data: Buffer.from([0x6f, 0x6b, 0xff, 0xfe, 0x0a]) },
    { kind: "PROCESS_COMMUNICATION", process: { name: "talker", group: "talk" }, channel: "stderr", pid: 42, data: Buffer.from("naïve café ✓") },
    { kind: "REMOTE_COMMUNICATION", type: "x", data: "please-fail once: ünïcode" },
    { kind: "PROCESS_GROUP", change: "ADDED", group: "grüppe" },
    { kind: "PROCESS_STATE", process: { name: "talker", group: "talk" }, from: "STARTING", to: "RUNNING", tries: 0, pid: 42, expected: false },
    { kind: "SUPERVISOR_STATE_CHANGE", to: "RUNNING" },
    { kind: "TICK", period: 5, when: 1700000005 },
  ];
  for (const e of events) bus.emit(e);
  // Like the process layer: the listener only gets events once its process is RUNNING.
  running = true;
  pool.listenerBecameRunning("py_listener");

  await waitFor(() => received.length >= events.length + 1 || exited, "all events to be acknowledged");
  await waitFor(() => pool.bufferLength === 0 && pool.listenerState("py_listener") === "READY" || exited, "the listener to be READY again");
  t.notOk(exited, "the listener never died (it would, on a desynchronised header)");
  t.equal(received.length, events.length + 1, "every event once, the failed one twice");

  const failIdx = events.findIndex((e) => e.kind === "REMOTE_COMMUNICATION" && e.data.startsWith("please-fail"));
  const expectedOrder = [...events.slice(0, failIdx + 1), events[failIdx]!, ...events.slice(failIdx + 1)];
  expectedOrder.forEach((e, i) => {
    const got = received[i]!;
    const serial = i <= failIdx ? i : i - 1;
    t.equal(got.payload, eventPayload(e), `payload ${i} (${eventTypeName(e)})`);
    t.same(
      got.headers,
      {
        ver: "3.0",
        server: "supervisor",
        serial: String(serial),
        pool: "pyp",
        poolserial: String(serial),
        eventname: eventTypeName(e),
        len: String([...eventPayload(e)].length),
      },
      `headers ${i}`,
    );
  });
  t.equal(logs.filter((l) => l === "debug py_listener: event was processed").length, events.length);
  t.equal(logs.filter((l) => l === "warn py_listener: event was rejected").length, 1);
  t.notOk(logs.some((l) => l.includes("UNKNOWN")), "never left the protocol");
});
