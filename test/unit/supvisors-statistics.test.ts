/**
 * The statistics of the cluster on one instance (src/supvisors/stats/statistics.ts): local batches
 * integrated and sent on, peers' batches integrated, unknown processes dropped, a restarted peer's
 * series started again, lost instances forgotten, and the last figures a late subscriber gets
 * (through EventPublisher.snapshot, with Supvisors' float types).
 */
import t from "tap";
import { EventPublisher } from "../../src/supvisors/publish/event-publisher.js";
import type { EventTransport } from "../../src/supvisors/publish/transport.js";
import { Statistics } from "../../src/supvisors/stats/statistics.js";
import type { HostSample, HostStatsPayload, ProcessSample, ProcessStatsPayload } from "../../src/supvisors/stats/types.js";
import type { InternalMessage } from "../../src/supvisors/types.js";

const host = (now: number): HostSample => ({ now, cpu: [[now, now], [now, now]], mem: 10, net_io: { lo: [now * 1280, 0] }, disk_usage: { "/": 50 }, disk_io: {} });
const proc = (namespec: string, pid: number, now: number, work = now / 2): ProcessSample => (pid === 0 ? { namespec, pid: 0, now } : { namespec, pid, now, proc_work: work, proc_memory: 1 });

function rig(known = (_id: string, _ns: string) => true) {
  const sent: InternalMessage[] = [];
  const hstats: HostStatsPayload[] = [];
  const pstats: ProcessStatsPayload[] = [];
  const s = new Statistics({
    localIdentifier: "L",
    periods: [2],
    histo: 10,
    collector: null,
    configuredPeriod: 5,
    publish: (m) => sent.push(m),
    events: { hostStats: (p) => hstats.push(p), processStats: (p) => pstats.push(p) },
    nowMonotonic: () => 1000,
    knownProcess: known,
  });
  const remote = (from: string, h: HostSample | null, processes: ProcessSample[], host_reset = false) => s.onRemote(from, { kind: "stats", host: h, processes, host_reset });
  return { s, sent, hstats, pstats, remote };
}

t.test("a local batch is integrated here and sent to the others as it was read", async (t) => {
  const r = rig();
  r.s.onLocalBatch({ host: host(0), processes: [proc("g:p", 5, 0)], hostReset: false });
  r.s.onLocalBatch({ host: host(2), processes: [proc("g:p", 5, 2)], hostReset: false });
  t.same(r.sent[1], { kind: "stats", host: host(2), processes: [proc("g:p", 5, 2)], host_reset: false });
  t.same(r.hstats.map((p) => [p.identifier, p.cpu, p.net_io]), [["L", [50, 50], { lo: [10, 0] }]]);
  t.same(r.pstats.map((p) => [p.identifier, p.namespec, p.pid, p.cpu]), [["L", "g:p", 5, 50]]);
  t.same(r.s.status(), { host: false, process: false, collectingPeriod: 5 }, "no collector: nothing collected");
  t.equal(r.s.installed, false);
});

t.test("a peer's batch: integrated under its identifier; its unknown processes dropped", async (t) => {
  const r = rig((id, ns) => id === "R" && ns === "g:known");
  for (const now of [0, 2]) r.remote("R", host(now), [proc("g:known", 7, now), proc("g:ghost", 8, now), proc("supervisord", 9, now)]);
  t.same(r.hstats.map((p) => p.identifier), ["R"]);
  t.same(r.pstats.map((p) => p.namespec).sort(), ["g:known", "supervisord"], "a name the model does not know on R is not kept");
  t.same(r.s.compiler.processes("R").sort(), ["g:known", "supervisord"]);
  r.remote("L", host(4), [], false);
  t.equal(r.hstats.length, 1, "a message claiming to be from this instance is ignored");
});

t.test("a peer whose clock went back restarted: its series start again", async (t) => {
  const r = rig();
  for (const now of [100, 102]) r.remote("R", host(now), []);
  t.equal(r.hstats.length, 1);
  r.remote("R", host(1), []);
  r.remote("R", host(3), []);
  t.equal(r.hstats.length, 2, "integrated from the new reference, not ignored as older than 102");
  t.same(r.hstats[1]!.period, [0, 2]);
});

t.test("last payloads: kept per series, forgotten with their series; the snapshot sends them", async (t) => {
  const r = rig();
  for (const now of [0, 2]) r.remote("R", host(now), [proc("g:p", 5, now), proc("g:q", 6, now)]);
  for (const now of [0, 2]) r.s.onLocalBatch({ host: host(now), processes: [], hostReset: false });
  let last = r.s.lastPayloads();
  t.same(last.host.map((p) => p.identifier).sort(), ["L", "R"]);
  t.same(last.process.map((p) => p.namespec).sort(), ["g:p", "g:q"]);
  r.remote("R", null, [proc("g:p", 0, 3)]);
  t.same(r.s.lastPayloads().process.map((p) => p.namespec), ["g:q"], "pid 0 ends g:p's");
  r.remote("R", null, [], true);
  t.same(r.s.lastPayloads().host.map((p) => p.identifier), ["L"], "host_reset ends R's host series");

  const published: [string, string][] = [];
  const transport: EventTransport = { start: async () => undefined, wants: () => true, publish: (h, b) => published.push([h, b]), close: async () => undefined };
  const emptyModel = { applicationNames: () => [], applicationInfo: () => null, processNames: () => [], processInfo: () => null } as never;
  const pub = new EventPublisher(transport, { supvisorsState: () => ({}), instanceInfo: () => ({}), instances: [], model: emptyModel, nowMonotonic: () => 1, lastStats: () => r.s.lastPayloads() });
  const snap = pub.snapshot().filter(([h]) => h === "hstats" || h === "pstats");
  t.same(snap.map(([h]) => h), ["hstats", "pstats"]);
  t.match(snap[0]![1], /"cpu": \[50\.0, 50\.0\]/, "floats as Python prints them");
  t.match(snap[0]![1], /"net_io": \{"lo": \[10\.0, 0\.0\]\}/);

  r.s.instanceLost("R");
  last = r.s.lastPayloads();
  t.same([last.host.map((p) => p.identifier), last.process.length], [["L"], 0], "a lost instance's figures go");
  t.same(r.s.compiler.processes("R"), []);
});

t.test("the publisher builds a body only for a header someone subscribed to", async (t) => {
  const wanted = new Set<string>(["hstats"]);
  const published: string[] = [];
  let built = 0;
  const transport: EventTransport = { start: async () => undefined, wants: (h) => wanted.has(h), publish: (h) => published.push(h), close: async () => undefined };
  const emptyModel = { applicationNames: () => [], applicationInfo: () => null, processNames: () => [], processInfo: () => null } as never;
  const pub = new EventPublisher(transport, { supvisorsState: () => (built++, {}), instanceInfo: () => (built++, {}), instances: [], model: emptyModel, nowMonotonic: () => 1 });
  pub.supvisors();
  pub.instance("X");
  t.equal(built, 0, "no payload built for supvisors/instance: nobody asked");
  pub.hostStats(host(2) as never);
  t.same(published, ["hstats"]);
  wanted.add("supvisors");
  pub.supvisors();
  t.same([published, built], [["hstats", "supvisors"], 1]);
});
