/**
 * What a peer's `stats` message must look like before it reaches the compiler
 * (src/supvisors/stats/sample-checks.ts, through the envelope's message checks): the good
 * shapes pass as they are, anything malformed or oversized is refused as a whole.
 */
import t from "tap";
import { checkInternalMessage } from "../../src/supvisors/cluster/message-checks.js";
import { MAX_ITEMS, MAX_PROCESSES } from "../../src/supvisors/stats/sample-checks.js";

const host = { now: 12.5, cpu: [[10, 90], [10, 90]], mem: 41.2, net_io: { lo: [1, 2] }, disk_usage: { "/": 23.1 }, disk_io: { vda: [512, 1024] } };
const running = { namespec: "g:p", pid: 42, now: 12.5, proc_work: 3.25, proc_memory: 0.5 };
const self = { namespec: "supervisord", pid: 7, now: 12.5, proc_work: 1, proc_memory: 0.2, nb_cores: 2 };
const stopped = { namespec: "g:q", pid: 0, now: 13 };
const ok = (payload: Record<string, unknown>) => checkInternalMessage("stats", payload);

t.test("good messages pass unchanged", async (t) => {
  t.same(ok({ host, processes: [running, self, stopped], host_reset: false }), { kind: "stats", host, processes: [running, self, stopped], host_reset: false });
  t.same(ok({ host: null, processes: [], host_reset: true }), { kind: "stats", host: null, processes: [], host_reset: true });
});

t.test("malformed hosts are refused", async (t) => {
  const bad: Record<string, unknown>[] = [
    { ...host, now: "12" },
    { ...host, now: Number.NaN },
    { ...host, cpu: [] },
    { ...host, cpu: [[1, 2, 3]] },
    { ...host, cpu: [[1, "2"]] },
    { ...host, mem: null },
    { ...host, net_io: { lo: [1] } },
    { ...host, net_io: [] },
    { ...host, disk_usage: { "/": "full" } },
    { ...host, disk_io: { vda: [1, Infinity] } },
    { ...host, net_io: Object.fromEntries(Array.from({ length: MAX_ITEMS + 1 }, (_, i) => [`nic${i}`, [0, 0]])) },
    { ...host, disk_usage: { ["x".repeat(600)]: 1 } },
  ];
  for (const h of bad) t.equal(ok({ host: h, processes: [], host_reset: false }), null, JSON.stringify(h).slice(0, 80));
});

t.test("malformed processes and envelopes are refused", async (t) => {
  const bad: unknown[] = [
    { ...running, pid: -1 },
    { ...running, pid: 1.5 },
    { ...running, proc_work: undefined },
    { ...running, proc_memory: "1" },
    { ...running, namespec: 3 },
    { ...self, nb_cores: 0 },
    { ...self, nb_cores: 2.5 },
    { namespec: "g:q", now: 1 },
    null,
    "g:p",
  ];
  for (const p of bad) t.equal(ok({ host: null, processes: [p], host_reset: false }), null, JSON.stringify(p) ?? String(p));
  t.equal(ok({ host: null, processes: [], host_reset: "no" }), null, "host_reset must be a boolean");
  t.equal(ok({ host: null, processes: {}, host_reset: false }), null, "processes must be a list");
  t.equal(ok({ processes: [], host_reset: false }), null, "host is required (null when absent)");
  const many = Array.from({ length: MAX_PROCESSES + 1 }, () => stopped);
  t.equal(ok({ host: null, processes: many, host_reset: false }), null, "too many processes in one message");
});
