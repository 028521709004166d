/**
 * The host and process statistics integrators (spec §9.2, §9.3): the reference rule, cpu per core
 * and mean, kilobits per second, wrapped counters, items appearing and disappearing in the
 * history, histories bounded by histo, IRIX cpu and the Solaris factor. Exact numbers from
 * hand-made samples.
 */
import t from "tap";
import { HostIntegrator, cpuPercents, ioRates, nbCoresOf } from "../../src/supvisors/stats/host-integrator.js";
import { ProcessIntegrator } from "../../src/supvisors/stats/process-integrator.js";
import type { CpuJiffies, HostSample, IoCounters, ProcessRunningSample } from "../../src/supvisors/stats/types.js";

function host(now: number, over: Partial<HostSample> = {}): HostSample {
  return {
    now,
    cpu: [
      [10 * now, 10 * now],
      [10 * now, 10 * now],
    ],
    mem: 20,
    net_io: {},
    disk_usage: {},
    disk_io: {},
    ...over,
  };
}

function proc(now: number, proc_work: number, proc_memory = 1.5, pid = 1234): ProcessRunningSample {
  return { namespec: "grp:prg", pid, now, proc_work, proc_memory };
}

const HOST_KEYS = ["identifier", "now_monotonic", "target_period", "period", "cpu", "mem", "net_io", "disk_io", "disk_usage"];
const PROCESS_KEYS = ["namespec", "identifier", "pid", "now_monotonic", "target_period", "period", "cpu", "mem"];

t.test("host: the first sample is the reference, samples less than P after it are ignored", async (t) => {
  const h = new HostIntegrator("A", 10, 100);
  t.equal(h.push(host(100), 1), null, "first sample: reference only");
  t.equal(h.push(host(105), 2), null, "5 s < P");
  t.equal(h.push(host(109.999), 3), null, "just under P");
  t.strictSame(h.history().times, [], "nothing integrated yet");
  const p1 = h.push(host(110), 4);
  t.ok(p1, "exactly P after the reference: integrated");
  t.strictSame(p1!.period, [0, 10]);
  t.equal(p1!.now_monotonic, 4, "the caller's monotonic time");
  t.equal(p1!.target_period, 10);
  t.equal(p1!.identifier, "A");
  t.strictSame(Object.keys(p1!), HOST_KEYS, "exactly the hstats keys, in Supvisors' order");
  t.equal(h.push(host(119.9), 5), null, "the integrated sample became the reference");
  t.strictSame(h.push(host(125), 6)!.period, [10, 25], "window from the reference to the new sample");
  t.equal(h.push(host(120), 7), null, "a sample before the reference is ignored");
  t.strictSame(h.history().times, [10, 25]);
});

t.test("host cpu: per core and mean, zero denominator, zip over the shorter list", async (t) => {
  const h = new HostIntegrator("A", 5, 100);
  const ref: CpuJiffies[] = [
    [100, 300],
    [50, 150],
    [150, 150],
    [7, 7],
  ];
  const cur: CpuJiffies[] = [
    [150, 350],
    [60, 190],
    [240, 160],
    [7, 7],
  ];
  h.push(host(0, { cpu: ref }), 0);
  const p = h.push(host(5, { cpu: cur }), 0)!;
  t.strictSame(p.cpu, [50, 20, 90, 0], "mean 50/100, core 10/50, core 90/100, idle core 0/0 → 0");
  t.strictSame(h.history().cpu, [[50], [20], [90], [0]], "one series per cpu element");
  t.strictSame(cpuPercents(cur, ref.slice(0, 2)), [50, 20], "zip over the shorter list");
  t.strictSame(cpuPercents([[5, 0]], [[5, 0]]), [0]);
  t.equal(nbCoresOf(cur), 3, "len − 1");
  t.equal(nbCoresOf([[1, 1]]), 1, "a single entry: 1");
  t.equal(nbCoresOf([[1, 1], [1, 1]]), 1);
});

t.test("host: a core count change restarts the integration from that sample", async (t) => {
  const h = new HostIntegrator("A", 5, 100);
  h.push(host(0), 0);
  t.ok(h.push(host(5), 0));
  const three: CpuJiffies[] = [
    [1, 1],
    [1, 1],
    [1, 1],
  ];
  t.equal(h.push(host(10, { cpu: three }), 0), null, "new reference");
  t.strictSame(h.history().times, [], "history restarted");
  const p = h.push(host(15, { cpu: three.map(([w, i]): CpuJiffies => [w + 1, i + 1]) }), 0)!;
  t.strictSame(p.period, [0, 5], "the restart sample is the new start");
  t.strictSame(h.history().cpu, [[50], [50], [50]]);
});

t.test("host: mem and disk_usage are the new sample's, io in kilobits per second", async (t) => {
  const h = new HostIntegrator("A", 10, 100);
  h.push(
    host(0, {
      mem: 10,
      disk_usage: { "/": 40 },
      net_io: { eth0: [0, 1000], eth1: [500, 500], gone: [0, 0] },
      disk_io: { sda: [1000, 2000], sdb: [10, 10] },
    }),
    0,
  );
  const p = h.push(
    host(10, {
      mem: 33.3,
      disk_usage: { "/": 41.5, "/data": 2 },
      net_io: { eth0: [1_280_000, 641_000], eth1: [400, 600], fresh: [0, 0] },
      disk_io: { sda: [1000, 2000 + 12_800], sdb: [10, 5] },
    }),
    0,
  )!;
  t.equal(p.mem, 33.3);
  t.strictSame(p.disk_usage, { "/": 41.5, "/data": 2 });
  t.strictSame(p.net_io, { eth0: [1000, 500] }, "1 280 000 B in 10 s = 1000 kbit/s; wrapped, gone and fresh left out");
  t.strictSame(p.disk_io, { sda: [0, 10] }, "a wrapped write counter drops sdb");
  const wrappedIn: Record<string, IoCounters> = { x: [5, 10] };
  t.strictSame(ioRates({ x: [4, 20] }, wrappedIn, 1), {}, "either counter wrapped: left out");
  t.strictSame(ioRates({ x: [5, 10] }, wrappedIn, 0), { x: [0, 0] }, "zero duration: 0");
  t.strictSame(ioRates(JSON.parse('{"__proto__": [256, 0]}'), JSON.parse('{"__proto__": [0, 0]}'), 2), JSON.parse('{"__proto__": [1, 0]}'), "any name is a plain key");
});

t.test("host history: items appear and disappear, each with its own time axis", async (t) => {
  const h = new HostIntegrator("A", 5, 100);
  const kb = 128 * 5; // bytes per kbit/s over 5 s
  h.push(host(0, { net_io: { eth0: [0, 0], wlan0: [0, 0] }, disk_usage: { "/": 1 } }), 0);
  h.push(host(5, { net_io: { eth0: [kb, 0], wlan0: [kb, kb] }, disk_usage: { "/": 2 } }), 0);
  let hist = h.history();
  t.strictSame(hist.net_io, {
    eth0: { times: [5], values: [[1], [0]] },
    wlan0: { times: [5], values: [[1], [1]] },
  });
  // wlan0 gone, eth1 new (not in the reference: not integrated yet), /mnt mounted
  h.push(host(10, { net_io: { eth0: [3 * kb, 0], eth1: [0, 0] }, disk_usage: { "/": 3, "/mnt": 50 } }), 0);
  hist = h.history();
  t.strictSame(Object.keys(hist.net_io), ["eth0"], "wlan0 dropped, eth1 not yet integrated");
  t.strictSame(hist.net_io.eth0, { times: [5, 10], values: [[1, 2], [0, 0]] });
  t.strictSame(hist.disk_usage, {
    "/": { times: [5, 10], values: [[2, 3]] },
    "/mnt": { times: [10], values: [[50]] },
  }, "a new partition starts at this uptime");
  h.push(host(15, { net_io: { eth0: [4 * kb, 0], eth1: [2 * kb, kb] }, disk_usage: { "/": 3 } }), 0);
  hist = h.history();
  t.strictSame(hist.net_io.eth1, { times: [15], values: [[2], [1]] }, "eth1 created at uptime 15");
  t.notOk("/mnt" in hist.disk_usage, "an unmounted partition is dropped");
  // eth0 wraps: dropped from the integration, so from the history
  h.push(host(20, { net_io: { eth0: [0, 0], eth1: [3 * kb, kb] } }), 0);
  hist = h.history();
  t.strictSame(Object.keys(hist.net_io), ["eth1"]);
  t.strictSame(hist.disk_usage, {}, "no partition in the sample: none in the history");
  h.push(host(25, { net_io: { eth0: [kb, kb], eth1: [3 * kb, kb] } }), 0);
  hist = h.history();
  t.strictSame(hist.net_io, {
    eth1: { times: [15, 20, 25], values: [[2, 1, 0], [1, 0, 0]] },
    eth0: { times: [25], values: [[1], [1]] },
  }, "eth0 back with a fresh series");
  t.strictSame(hist.times, [5, 10, 15, 20, 25], "the host axis has every integration");
  t.equal(hist.mem.length, 5);
  t.strictSame(hist.cpu.map((s) => s.length), [5, 5]);
});

t.test("host history is bounded by histo, oldest dropped; copies are independent", async (t) => {
  const histo = 10;
  const h = new HostIntegrator("A", 1, histo);
  for (let i = 0; i <= histo + 50; i++) {
    h.push(host(i, { mem: i, net_io: { eth0: [i * 128, 0] }, disk_io: { sda: [0, i * 256] }, disk_usage: { "/": i } }), i);
  }
  const hist = h.history();
  const expected = Array.from({ length: histo }, (_, k) => 51 + k);
  t.strictSame(hist.times, expected, "the last histo uptimes");
  t.strictSame(hist.mem, expected);
  t.strictSame(hist.cpu, [Array(histo).fill(50), Array(histo).fill(50)]);
  t.strictSame(hist.net_io.eth0, { times: expected, values: [Array(histo).fill(1), Array(histo).fill(0)] });
  t.strictSame(hist.disk_io.sda, { times: expected, values: [Array(histo).fill(0), Array(histo).fill(2)] });
  t.strictSame(hist.disk_usage["/"], { times: expected, values: [expected] });
  (hist.times as number[]).push(1);
  (hist.cpu[0] as number[]).length = 0;
  (hist.net_io.eth0.times as number[]).length = 0;
  const again = h.history();
  t.equal(again.times.length, histo, "a copy: mutating it leaves the history alone");
  t.equal(again.cpu[0].length, histo);
  t.equal(again.net_io.eth0.times.length, histo);
  const p = h.push(host(100, { mem: 1 }), 0)!;
  p.cpu[0] = -1;
  t.equal(h.history().cpu[0].at(-1), 50, "the payload's arrays are not the history's");
  t.throws(() => new HostIntegrator("A", 1, 0), RangeError);
});

t.test("process: reference rule, cpu 100 × Δwork / Δnow, mem, exact payload", async (t) => {
  const p = new ProcessIntegrator("A", "grp:prg", 1234, 10, 100);
  t.equal(p.push(proc(50, 10), 1), null, "reference");
  t.equal(p.push(proc(59, 11), 2), null, "< P: ignored");
  const r = p.push(proc(60, 12, 2.5), 3)!;
  t.strictSame(r, {
    namespec: "grp:prg",
    identifier: "A",
    pid: 1234,
    now_monotonic: 3,
    target_period: 10,
    period: [0, 10],
    cpu: 20,
    mem: 2.5,
  });
  t.strictSame(Object.keys(r), PROCESS_KEYS, "exactly the pstats keys");
  const irix = p.push(proc(70, 32, 3), 4)!;
  t.equal(irix.cpu, 200, "two full cores of work: 200 (IRIX)");
  t.strictSame(irix.period, [10, 20]);
  t.strictSame(p.history(), { pid: 1234, times: [10, 20], cpu: [20, 200], mem: [2.5, 3] });
  t.strictSame(p.history(4).cpu, [5, 50], "Solaris: divided by the core count");
  t.strictSame(p.history(1).cpu, [20, 200], "IRIX: factor 1");
  t.strictSame(p.history(0).cpu, [20, 200], "no usable factor: 1");
  t.strictSame(p.history().cpu, [20, 200], "reading a Solaris view leaves the values alone");
});

t.test("process: Δnow 0 gives cpu 0 (only possible with a zero period)", async (t) => {
  const p = new ProcessIntegrator("A", "x", 1, 0, 10);
  p.push(proc(5, 1), 0);
  t.equal(p.push(proc(5, 3), 0)!.cpu, 0);
});

t.test("process history is bounded by histo", async (t) => {
  const histo = 10;
  const p = new ProcessIntegrator("A", "grp:prg", 1, 1, histo);
  for (let i = 0; i <= histo + 50; i++) p.push(proc(i, i / 2, i), 0);
  const hist = p.history();
  const expected = Array.from({ length: histo }, (_, k) => 51 + k);
  t.strictSame(hist.times, expected);
  t.strictSame(hist.mem, expected);
  t.strictSame(hist.cpu, Array(histo).fill(50));
  t.throws(() => new ProcessIntegrator("A", "x", 1, 1, 1.5), RangeError);
});
