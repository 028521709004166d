/**
 * The cluster model: process state synthesis over instances (conflicts, STOPPING priority, the
 * latest stopped record), forced states, lost instances, application state and failures with
 * `required` rules and with a formula, payload shapes.
 */
import t from "tap";
import { ClusterModel } from "../../src/supvisors/context/cluster-model.js";
import { loadRules } from "../../src/supvisors/rules/index.js";
import { ProcessStates } from "../../src/supervisord/process/states.js";
import type { InstanceIdentity, LocalProcessInfo, ProcessEvent, RulesLookup } from "../../src/supvisors/types.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const S = ProcessStates;
const ids = (port: number): InstanceIdentity => ({ identifier: `h:${port}`, nick: `n${port}`, hostId: "h", httpPort: port, internalPort: port + 3, eventPort: port + 1, ipAddress: "10.0.0.1" });
const A = ids(1);
const B = ids(2);

function info(group: string, name: string, state: number, over: Partial<LocalProcessInfo> = {}): LocalProcessInfo {
  return {
    group, name, state, statename: "", start: 0, stop: 0, now: 100, pid: state === S.RUNNING ? 42 : 0, description: "", spawnerr: "", expected: true,
    start_monotonic: 0, stop_monotonic: 0, now_monotonic: 10, extra_args: "", startsecs: 1, stopwaitsecs: 10, process_index: 0, program_name: name, disabled: false, has_stdout: true, has_stderr: false,
    ...over,
  };
}

function event(id: string, group: string, name: string, state: number, over: Partial<ProcessEvent> = {}): ProcessEvent {
  return { identifier: id, nick_identifier: "", name, group, state, now: 200, now_monotonic: 20, pid: 7, expected: true, spawnerr: "", extra_args: "", disabled: false, ...over };
}

async function rulesFrom(xml: string): Promise<RulesLookup> {
  const dir = mkdtempSync(join(tmpdir(), "sv-ctx-"));
  try {
    const f = join(dir, "r.xml");
    writeFileSync(f, xml);
    return await loadRules([f]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

t.test("synthesis: one instance, conflicts, STOPPING priority, latest stopped record", async (t) => {
  const m = new ClusterModel({ instances: [A, B], localIdentifier: A.identifier, rules: await rulesFrom("<root><application name='web'/></root>") });
  m.loadInstance(A.identifier, [info("web", "api", S.STOPPED)], 1000);
  m.loadInstance(B.identifier, [info("web", "api", S.STOPPED)], 1001);
  t.match(m.processInfo("web", "api"), { statename: "STOPPED", identifiers: [] });
  m.applyEvent(event(A.identifier, "web", "api", S.STARTING), 2000);
  m.applyEvent(event(A.identifier, "web", "api", S.RUNNING), 2100);
  t.match(m.processInfo("web", "api"), { statecode: S.RUNNING, identifiers: [A.identifier], expected_exit: true });
  t.match(m.applicationInfo("web"), { statename: "RUNNING", managed: true, major_failure: false });
  m.applyEvent(event(B.identifier, "web", "api", S.STARTING), 2200);
  t.match(m.processInfo("web", "api"), { statename: "RUNNING", identifiers: [A.identifier, B.identifier] }, "conflict: RUNNING first");
  t.equal(m.hasConflicts(), true);
  t.equal(m.conflicts().length, 1);
  m.applyEvent(event(B.identifier, "web", "api", S.STOPPING), 2300);
  m.applyEvent(event(B.identifier, "web", "api", S.STOPPED), 2400);
  t.equal(m.hasConflicts(), false);
  m.applyEvent(event(A.identifier, "web", "api", S.STOPPING), 2500);
  t.match(m.processInfo("web", "api"), { statename: "STOPPING", identifiers: [A.identifier] });
  t.match(m.applicationInfo("web"), { statename: "STOPPING" });
  m.applyEvent(event(A.identifier, "web", "api", S.EXITED, { expected: false }), 2600);
  t.match(m.processInfo("web", "api"), { statename: "EXITED", expected_exit: false }, "the most recent record among stopped ones");
  t.match(m.applicationInfo("web"), { statename: "STOPPED", minor_failure: true, major_failure: false });
  t.equal(m.processFailure(A.identifier), true);
});

t.test("a lost instance: its running processes become FATAL 'Supervisor <id> lost'", async (t) => {
  const m = new ClusterModel({ instances: [A, B], localIdentifier: A.identifier, rules: await rulesFrom("<root/>") });
  m.loadInstance(B.identifier, [info("db", "db", S.RUNNING, { start: 50, start_monotonic: 5 })], 1000);
  t.equal(m.instanceLoading(B.identifier), 0);
  m.instanceLost(B.identifier, 3000);
  t.match(m.processInfo("db", "db"), { statename: "FATAL", identifiers: [] });
  t.match(m.innerProcessInfo(B.identifier, "db", "db"), { statename: "FATAL", spawnerr: `Supervisor ${B.identifier} lost`, has_crashed: false });
  t.match(m.applicationInfo("db"), { managed: false, statename: "STOPPED", major_failure: false, minor_failure: false }, "unmanaged: no failures");
});

t.test("forced states: applied unless a newer real event exists, cleared by the next real one", async (t) => {
  const m = new ClusterModel({ instances: [A], localIdentifier: A.identifier, rules: await rulesFrom("<root/>") });
  // The reference is the time of its last event (its stop at 10), whatever the handshake time.
  m.loadInstance(A.identifier, [info("g", "p", S.STOPPED, { now_monotonic: 40, stop_monotonic: 10 })], 1000);
  m.applyEvent(event(A.identifier, "g", "p", S.FATAL, { forced: true, now_monotonic: 5, spawnerr: "late" }), 1100);
  t.match(m.processInfo("g", "p"), { statename: "STOPPED" }, "older than the last real event: ignored");
  m.applyEvent(event("", "g", "p", S.FATAL, { forced: true, now_monotonic: 50, spawnerr: "No resource available" }), 1200);
  t.match(m.processInfo("g", "p"), { statename: "FATAL" });
  m.applyEvent(event(A.identifier, "g", "p", S.STARTING), 1300);
  t.match(m.processInfo("g", "p"), { statename: "STARTING" });
});

t.test("required and formula failures; removal; loads and inner records", async (t) => {
  const rules = await rulesFrom(`<root>
<application name="req"><programs><program name="main"><start_sequence>1</start_sequence><required>true</required><expected_loading>25</expected_loading></program></programs></application>
<application name="fx"><operational_status>'a' and any('w.*')</operational_status></application>
</root>`);
  const m = new ClusterModel({ instances: [A], localIdentifier: A.identifier, rules });
  m.loadInstance(A.identifier, [info("req", "main", S.RUNNING), info("req", "side", S.RUNNING), info("fx", "a", S.RUNNING), info("fx", "w1", S.STOPPED), info("fx", "w2", S.RUNNING)], 1000);
  t.equal(m.instanceLoading(A.identifier), 25);
  t.match(m.applicationInfo("fx"), { major_failure: false });
  m.applyEvent(event(A.identifier, "fx", "w2", S.STOPPED), 1100);
  t.match(m.applicationInfo("fx"), { major_failure: true }, "formula false");
  m.applyEvent(event(A.identifier, "req", "main", S.STOPPED), 1200);
  t.match(m.applicationInfo("req"), { statename: "RUNNING", major_failure: true }, "a required process stopped while the application runs");
  m.applyEvent(event(A.identifier, "req", "side", S.FATAL), 1300);
  t.match(m.applicationInfo("req"), { statename: "STOPPED", major_failure: false, minor_failure: true });
  t.same(Object.keys(m.processInfo("req", "side")!), ["application_name", "process_name", "now_monotonic", "statecode", "statename", "expected_exit", "last_event_mtime", "identifiers", "extra_args"]);
  t.same(Object.keys(m.applicationInfo("req")!), ["application_name", "managed", "now_monotonic", "statecode", "statename", "major_failure", "minor_failure"]);
  t.equal(m.innerProcessInfos(A.identifier)!.length, 5);
  t.equal(m.innerProcessInfos(B.identifier), undefined);
  m.removeProcess(A.identifier, "fx", "*", 1400);
  t.same(m.applicationNames(), ["req"], "an application without processes is deleted");
  m.loadInstance(A.identifier, [info("req", "main", S.STOPPED)], 1500);
  t.same(m.processNames("req"), ["main"], "a new handshake drops the records the instance no longer has");
});

t.test("uptimeAt: records refreshed by different instances' TICKs compare at one local instant", async (t) => {
  const m = new ClusterModel({ instances: [A, B], localIdentifier: A.identifier, rules: await rulesFrom("<root><application name='web'/></root>") });
  // Both RUNNING; A's process started 10 s before B's (each in its own monotonic clock).
  m.loadInstance(A.identifier, [info("web", "api", S.RUNNING, { start_monotonic: 100, now_monotonic: 100 })], 1000);
  m.loadInstance(B.identifier, [info("web", "api", S.RUNNING, { start_monotonic: 5000, now_monotonic: 5000 })], 1000);
  // A's last TICK came 0.2 s ago here (its uptime then: 12 s), B's 3 s ago (its uptime then: 1 s).
  m.refreshTimes(A.identifier, 112, 0, 20_800);
  m.refreshTimes(B.identifier, 5001, 0, 18_000);
  const p = m.processStatus("web", "api")!;
  t.equal(p.records.get(A.identifier)!.uptime, 12);
  t.equal(p.records.get(B.identifier)!.uptime, 1);
  t.equal(p.uptimeAt(A.identifier, 21_000), 12.2);
  t.equal(p.uptimeAt(B.identifier, 21_000), 4, "aged by the 3 s since its TICK");
  m.refreshTimes(A.identifier, 112.5, 0, 21_000);
  t.equal(p.uptimeAt(A.identifier, 21_000), 12.5);
  m.applyEvent(event(B.identifier, "web", "api", S.STOPPED), 22_000);
  t.equal(p.uptimeAt(B.identifier, 23_000), 0, "not running: no uptime");
});
