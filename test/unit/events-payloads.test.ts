import t from "tap";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { codePointLength, envelopeBytes, envelopeText, eventEnvelope, eventPayload } from "../../src/supervisord/events/payloads.js";
import type { ProcessStateEvent, SupervisorEvent } from "../../src/supervisord/events/types.js";
import type { ProcessStateName } from "../../src/supervisord/process/states.js";

const proc = { name: "cat_01", group: "cats" };
function st(from: ProcessStateName, to: ProcessStateName, extra: Partial<ProcessStateEvent> = {}): ProcessStateEvent {
  return { kind: "PROCESS_STATE", process: proc, from, to, tries: 0, pid: 0, expected: false, ...extra };
}

t.test("process state payloads (spec §9.2)", async (t) => {
  t.equal(eventPayload(st("STOPPED", "STARTING", { tries: 0 })), "processname:cat_01 groupname:cats from_state:STOPPED tries:0");
  t.equal(eventPayload(st("STARTING", "BACKOFF", { tries: 1 })), "processname:cat_01 groupname:cats from_state:STARTING tries:1");
  t.equal(eventPayload(st("STARTING", "RUNNING", { pid: 4242 })), "processname:cat_01 groupname:cats from_state:STARTING pid:4242");
  t.equal(eventPayload(st("RUNNING", "STOPPING", { pid: 4242 })), "processname:cat_01 groupname:cats from_state:RUNNING pid:4242");
  t.equal(eventPayload(st("RUNNING", "EXITED", { pid: 4242, expected: true })), "processname:cat_01 groupname:cats from_state:RUNNING expected:1 pid:4242");
  t.equal(eventPayload(st("RUNNING", "EXITED", { pid: 4242, expected: false })), "processname:cat_01 groupname:cats from_state:RUNNING expected:0 pid:4242");
  t.equal(eventPayload(st("STOPPING", "STOPPED", { pid: 4242 })), "processname:cat_01 groupname:cats from_state:STOPPING pid:4242");
  t.equal(eventPayload(st("BACKOFF", "STOPPED", { pid: 0 })), "processname:cat_01 groupname:cats from_state:BACKOFF pid:0");
  t.equal(eventPayload(st("BACKOFF", "FATAL", { tries: 3, pid: 9 })), "processname:cat_01 groupname:cats from_state:BACKOFF");
  t.equal(eventPayload(st("STOPPING", "UNKNOWN", { pid: 9 })), "processname:cat_01 groupname:cats from_state:STOPPING");
});

t.test("other payloads", async (t) => {
  t.equal(
    eventPayload({ kind: "PROCESS_LOG", process: proc, channel: "stderr", pid: 12, data: Buffer.from("oops\n") }),
    "processname:cat_01 groupname:cats pid:12 channel:stderr\noops\n",
  );
  t.equal(
    eventPayload({ kind: "PROCESS_LOG", process: proc, channel: "stdout", pid: 12, data: Buffer.from([0x61, 0xff, 0x0a]) }),
    "processname:cat_01 groupname:cats pid:12 channel:stdout\nUndecodable: b'a\\xff\\n'",
  );
  t.equal(
    eventPayload({ kind: "PROCESS_COMMUNICATION", process: proc, channel: "stdout", pid: 12, data: Buffer.from("hello") }),
    "processname:cat_01 groupname:cats pid:12\nhello",
  );
  t.equal(eventPayload({ kind: "REMOTE_COMMUNICATION", type: "tÿpe", data: "dätä\nline2" }), "type:tÿpe\ndätä\nline2");
  t.equal(eventPayload({ kind: "SUPERVISOR_STATE_CHANGE", to: "RUNNING" }), "");
  t.equal(eventPayload({ kind: "SUPERVISOR_STATE_CHANGE", to: "STOPPING" }), "");
  t.equal(eventPayload({ kind: "TICK", period: 60, when: 1700000040 }), "when:1700000040");
  t.equal(eventPayload({ kind: "PROCESS_GROUP", change: "ADDED", group: "cats" }), "groupname:cats\n");
  t.equal(eventPayload({ kind: "PROCESS_GROUP", change: "REMOVED", group: "cats" }), "groupname:cats\n");
});

t.test("envelope: the observed example of spec §9.3", async (t) => {
  const ev: SupervisorEvent = { kind: "PROCESS_LOG", process: { name: "talker", group: "talker" }, channel: "stdout", pid: 17282, data: Buffer.from("captured data") };
  t.equal(
    eventEnvelope(ev, { identifier: "supervisor", serial: 13, pool: "good", poolSerial: 13 }).toString("utf8"),
    "ver:3.0 server:supervisor serial:13 pool:good poolserial:13 eventname:PROCESS_LOG_STDOUT len:74\n" +
      "processname:talker groupname:talker pid:17282 channel:stdout\ncaptured data",
  );
});

t.test("len counts code points, bytes are UTF-8", async (t) => {
  const payload = "type:tÿpe\ndätä\nline2";
  const fields = { identifier: "supervisor", serial: 0, pool: "p", poolSerial: 0, eventName: "REMOTE_COMMUNICATION", payload };
  t.match(envelopeText(fields), /len:20\n/);
  const bytes = envelopeBytes(fields);
  const body = bytes.subarray(bytes.indexOf(0x0a) + 1);
  t.equal(body.length, 23, "23 bytes are sent for 20 code points");
  t.equal(codePointLength("a😀b"), 3, "astral characters count once (JS .length would say 4)");
  t.equal(codePointLength(""), 0);
});

// Differential check: the same events built with the reference's own classes.
const PY = "/usr/bin/python3";
t.test("payloads equal supervisor.events' payload() for the same values", { skip: !existsSync(PY) && "no /usr/bin/python3" }, async (t) => {
  const script = String.raw`
import json, sys
from supervisor import events
from supervisor.states import ProcessStates
class Cfg: pass
class GCfg: pass
class Grp: pass
class P: pass
def mk(pid, backoff):
    p = P(); p.config = Cfg(); p.config.name = 'cat_01'; p.group = Grp(); p.group.config = GCfg(); p.group.config.name = 'cats'
    p.pid = pid; p.backoff = backoff
    return p
out = []
out.append(events.ProcessStateStartingEvent(mk(0, 2), ProcessStates.BACKOFF).payload())
out.append(events.ProcessStateBackoffEvent(mk(0, 3), ProcessStates.STARTING).payload())
out.append(events.ProcessStateRunningEvent(mk(77, 0), ProcessStates.STARTING).payload())
out.append(events.ProcessStateStoppingEvent(mk(77, 0), ProcessStates.RUNNING).payload())
out.append(events.ProcessStateExitedEvent(mk(77, 0), ProcessStates.RUNNING, expected=False).payload())
out.append(events.ProcessStateStoppedEvent(mk(0, 0), ProcessStates.BACKOFF).payload())
out.append(events.ProcessStateFatalEvent(mk(0, 0), ProcessStates.BACKOFF).payload())
out.append(events.ProcessStateUnknownEvent(mk(0, 0), ProcessStates.STOPPING).payload())
out.append(events.ProcessLogStdoutEvent(mk(5, 0), 5, b'caf\xc3\xa9\n').payload())
out.append(events.ProcessLogStderrEvent(mk(5, 0), 5, b"it's \xff\"x").payload())
out.append(events.ProcessCommunicationStderrEvent(mk(5, 0), 5, b'\x00\x80').payload())
out.append(events.RemoteCommunicationEvent('t\u00ffpe', 'd\u00e4t\u00e4\nline2').payload())
out.append(events.SupervisorRunningEvent().payload())
out.append(events.Tick3600Event(1699999200, None).payload())
out.append(events.ProcessGroupRemovedEvent('cats').payload())
json.dump(out, sys.stdout)
`;
  const expected = JSON.parse(execFileSync(PY, ["-c", script], { encoding: "utf8" })) as string[];
  const ours = [
    eventPayload(st("BACKOFF", "STARTING", { tries: 2 })),
    eventPayload(st("STARTING", "BACKOFF", { tries: 3 })),
    eventPayload(st("STARTING", "RUNNING", { pid: 77 })),
    eventPayload(st("RUNNING", "STOPPING", { pid: 77 })),
    eventPayload(st("RUNNING", "EXITED", { pid: 77, expected: false })),
    eventPayload(st("BACKOFF", "STOPPED", { pid: 0 })),
    eventPayload(st("BACKOFF", "FATAL")),
    eventPayload(st("STOPPING", "UNKNOWN")),
    eventPayload({ kind: "PROCESS_LOG", process: proc, channel: "stdout", pid: 5, data: Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a]) }),
    eventPayload({ kind: "PROCESS_LOG", process: proc, channel: "stderr", pid: 5, data: Buffer.from([0x69, 0x74, 0x27, 0x73, 0x20, 0xff, 0x22, 0x78]) }),
    eventPayload({ kind: "PROCESS_COMMUNICATION", process: proc, channel: "stderr", pid: 5, data: Buffer.from([0x00, 0x80]) }),
    eventPayload({ kind: "REMOTE_COMMUNICATION", type: "tÿpe", data: "dätä\nline2" }),
    eventPayload({ kind: "SUPERVISOR_STATE_CHANGE", to: "RUNNING" }),
    eventPayload({ kind: "TICK", period: 3600, when: 1699999200 }),
    eventPayload({ kind: "PROCESS_GROUP", change: "REMOVED", group: "cats" }),
  ];
  t.same(ours, expected);
});
