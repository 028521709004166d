/**
 * The statistics compiler over all instances (several periods at once, pid 0 drops, new pid
 * restarts, core counts, removeInstance / clear) and the UI derived figures of a series.
 */
import t from "tap";
import { StatsCompiler } from "../../src/supvisors/stats/compiler.js";
import { STABLE_RATE, regressionSlope, seriesFigures } from "../../src/supvisors/stats/figures.js";
import type { CpuJiffies, HostSample, ProcessSample } from "../../src/supvisors/stats/types.js";

/** A host with `cores` cores, each busy half of the time. */
function host(now: number, cores = 2): HostSample {
  const cpu = Array.from({ length: cores + 1 }, (): CpuJiffies => [10 * now, 10 * now]);
  return { now, cpu, mem: 20, net_io: {}, disk_usage: {}, disk_io: {} };
}

function proc(namespec: string, pid: number, now: number, proc_work = now / 2, nb_cores?: number): ProcessSample {
  const s: ProcessSample = { namespec, pid, now, proc_work, proc_memory: 1 };
  if (nb_cores !== undefined) s.nb_cores = nb_cores;
  return s;
}

const stopped = (namespec: string, now: number): ProcessSample => ({ namespec, pid: 0, now });

t.test("several periods: the 5 s integrator emits at every sample, the 15 s one every third", async (t) => {
  const c = new StatsCompiler([5, 15], 100);
  const emitted: number[][] = [];
  for (let now = 0; now <= 45; now += 5) emitted.push(c.pushHost("A", host(now), now + 1000).map((p) => p.target_period));
  t.strictSame(emitted, [[], [5], [5], [5, 15], [5], [5], [5, 15], [5], [5], [5, 15]]);
  t.strictSame(c.hostHistory("A", 5)!.times, [5, 10, 15, 20, 25, 30, 35, 40, 45]);
  t.strictSame(c.hostHistory("A", 15)!.times, [15, 30, 45]);
  t.equal(c.hostHistory("A", 10), null, "an unconfigured period");
  t.equal(c.hostHistory("B", 5), null, "an unknown instance");
  const p = c.pushHost("A", host(60), 7)[1];
  t.strictSame(
    { id: p.identifier, mono: p.now_monotonic, period: p.period, cpu: p.cpu },
    { id: "A", mono: 7, period: [45, 60], cpu: [50, 50, 50] },
  );
  const procs: number[][] = [];
  for (let now = 0; now <= 30; now += 5) procs.push(c.pushProcess("A", proc("g:p", 42, now), now).map((p) => p.target_period));
  t.strictSame(procs, [[], [5], [5], [5, 15], [5], [5], [5, 15]]);
  t.strictSame(c.processHistory("A", "g:p", 15), { pid: 42, times: [15, 30], cpu: [50, 50], mem: [1, 1] });
  t.equal(c.processHistory("A", "g:p", 10), null, "an unconfigured period");
  t.strictSame(new StatsCompiler([10, 10, 5], 10).periods, [10, 5], "duplicate periods merged");
  t.throws(() => new StatsCompiler([0], 10), RangeError);
  t.throws(() => new StatsCompiler([5], 0), RangeError);
});

t.test("core counts: host samples first, the supervisord sample as fallback, 0 when unknown", async (t) => {
  const c = new StatsCompiler([5], 10);
  t.equal(c.nbCores("A"), 0);
  c.pushHost("A", host(0, 4), 0);
  t.equal(c.nbCores("A"), 4, "len(cpu) − 1");
  const single: HostSample = { ...host(0), cpu: [[1, 1]] };
  c.pushHost("B", single, 0);
  t.equal(c.nbCores("B"), 1, "a single cpu entry: 1 core");
  c.setNbCores("C", 8);
  t.equal(c.nbCores("C"), 8);
  c.pushProcess("D", proc("supervisord", 9, 0, 0, 6), 0);
  t.equal(c.nbCores("D"), 6, "a supervisord sample carrying nb_cores");
  c.setNbCores("A", 16);
  t.equal(c.nbCores("A"), 4, "the host samples take precedence");
  t.throws(() => c.setNbCores("A", 0), RangeError);
});

t.test("process: pid 0 drops the instance's series, a new pid restarts them", async (t) => {
  const c = new StatsCompiler([5, 10], 10);
  t.strictSame(c.pushProcess("A", stopped("g:p", 0), 0), [], "pid 0 of an unknown process: nothing");
  t.strictSame(c.processes("A"), []);
  for (const id of ["A", "B"]) {
    c.pushProcess(id, proc("g:p", 10, 0), 0);
    c.pushProcess(id, proc("g:q", 11, 0), 0);
    c.pushProcess(id, proc("g:p", 10, 10), 0);
  }
  t.strictSame(c.processes("A"), ["g:p", "g:q"]);
  t.strictSame(c.processHistory("A", "g:p", 10)!.times, [10]);
  // stopped on A: every period of A dropped, B untouched
  t.strictSame(c.pushProcess("A", stopped("g:p", 12), 0), []);
  t.strictSame(c.processes("A"), ["g:q"]);
  t.equal(c.processHistory("A", "g:p", 5), null);
  t.equal(c.processHistory("A", "g:p", 10), null);
  t.strictSame(c.processHistory("B", "g:p", 10)!.times, [10], "the other instance keeps its series");
  c.pushProcess("A", stopped("g:q", 12), 0);
  t.strictSame(c.processes("A"), [], "no more series on A");
  // a new pid on B: the sample is the new reference, no payload from it
  t.strictSame(c.pushProcess("B", proc("g:p", 20, 30, 100), 5), [], "restarted: reference only");
  t.strictSame(c.processHistory("B", "g:p", 5), { pid: 20, times: [], cpu: [], mem: [] });
  const out = c.pushProcess("B", proc("g:p", 20, 40, 110), 6);
  t.strictSame(out.map((p) => [p.pid, p.target_period, p.period, p.cpu]), [
    [20, 5, [0, 10], 100],
    [20, 10, [0, 10], 100],
  ], "the new pid's start time is its first sample");
  t.strictSame(c.processes("B"), ["g:p", "g:q"], "a restarted process keeps its place");
});

t.test("process history: Solaris factor, bounded by histo", async (t) => {
  const histo = 10;
  const c = new StatsCompiler([1], histo);
  // 3 cores of work: 300 IRIX
  for (let i = 0; i <= histo + 50; i++) c.pushProcess("A", proc("g:p", 5, i, 3 * i), i);
  const irix = c.processHistory("A", "g:p", 1)!;
  t.strictSame(irix.cpu, Array(histo).fill(300), "IRIX may exceed 100");
  t.strictSame(irix.times, Array.from({ length: histo }, (_, k) => 51 + k), "oldest dropped");
  t.equal(irix.mem.length, histo);
  t.strictSame(c.processHistory("A", "g:p", 1, 4)!.cpu, Array(histo).fill(75), "Solaris: 4 cores");
  for (let i = 0; i <= histo + 50; i++) c.pushHost("A", host(i), i);
  const h = c.hostHistory("A", 1)!;
  t.equal(h.times.length, histo);
  t.strictSame(h.cpu.map((s) => s.length), [histo, histo, histo]);
});

t.test("removeInstance drops everything of an instance", async (t) => {
  const c = new StatsCompiler([5], 10);
  for (const id of ["A", "B"]) {
    c.pushHost(id, host(0), 0);
    c.pushHost(id, host(5), 0);
    c.pushProcess(id, proc("g:p", 3, 0, 0, 2), 0);
    c.setNbCores(id, 2);
  }
  c.removeInstance("A");
  t.equal(c.hostHistory("A", 5), null);
  t.strictSame(c.processes("A"), []);
  t.equal(c.nbCores("A"), 0, "core count forgotten");
  t.strictSame(c.hostHistory("B", 5)!.times, [5], "B untouched");
  t.strictSame(c.processes("B"), ["g:p"]);
  t.equal(c.nbCores("B"), 2);
  t.strictSame(c.pushHost("A", host(10), 0), [], "A's next sample is a new reference");
});

t.test("clear: host or process series, of one instance or all; re-enabling starts fresh", async (t) => {
  const c = new StatsCompiler([5], 10);
  const feed = (now: number) => {
    const out: number[] = [];
    for (const id of ["A", "B"]) {
      out.push(c.pushHost(id, host(now), 0).length);
      out.push(c.pushProcess(id, proc("g:p", 3, now), 0).length);
    }
    return out;
  };
  feed(0);
  t.strictSame(feed(5), [1, 1, 1, 1]);
  c.clear("host", "A");
  t.equal(c.hostHistory("A", 5), null);
  t.strictSame(feed(10), [0, 1, 1, 1], "A's host sample is a new reference");
  t.strictSame(c.hostHistory("A", 5)!.times, [], "fresh series");
  c.clear("process", "B");
  t.strictSame(c.processes("B"), []);
  t.strictSame(feed(15), [1, 1, 1, 0]);
  c.clear("host");
  c.clear("process");
  t.strictSame(feed(20), [0, 0, 0, 0], "everything restarts");
  t.strictSame(feed(25), [1, 1, 1, 1]);
  t.strictSame(c.hostHistory("B", 5)!.times, [5], "uptimes count from the first sample after the clear");
  t.equal(c.nbCores("A"), 2, "core counts survive a clear");
});

t.test("seriesFigures: last, mean, slope × period, population stddev", async (t) => {
  t.equal(seriesFigures([], [], 5), null, "empty series");
  const line = seriesFigures([1, 11, 21, 31], [0, 5, 10, 15], 5)!;
  t.equal(line.last, 31);
  t.equal(line.mean, 16);
  t.equal(line.slope, 10, "2 per second × 5 s");
  t.equal(seriesFigures([1, 11, 21, 31], [0, 5, 10, 15], 10)!.slope, 20);
  const known = seriesFigures([2, 4, 4, 4, 5, 5, 7, 9], [1, 2, 3, 4, 5, 6, 7, 8], 1)!;
  t.equal(known.mean, 5);
  t.equal(known.stddev, 2, "population (no Bessel correction)");
  t.strictSame(seriesFigures([7], [3], 5), { last: 7, mean: 7, slope: 0, stddev: 0, rate: 0, trend: "stable" }, "one value");
  t.equal(seriesFigures([1, 3], [4, 4], 5)!.slope, 0, "no spread in time: slope 0");
  t.equal(regressionSlope([100, 1, 2, 3], [0, 1, 2]), 1, "different lengths: the last pairs");
  t.equal(regressionSlope([5], [1]), 0);
});

t.test("seriesFigures: rate in percent of the previous value and the trend thresholds", async (t) => {
  t.equal(STABLE_RATE, 0.005);
  const up = seriesFigures([50, 100, 101], [0, 1, 2], 1)!;
  t.equal(up.rate, 1, "100 → 101: +1 %");
  t.equal(up.trend, "increase");
  const down = seriesFigures([100, 50], [0, 1], 1)!;
  t.equal(down.rate, -50);
  t.equal(down.trend, "decrease");
  const flat = seriesFigures([3, 3], [0, 1], 1)!;
  t.strictSame([flat.rate, flat.trend], [0, "stable"]);
  const under = seriesFigures([1000, 1000.049], [0, 1], 1)!;
  t.ok(Math.abs(under.rate - 0.0049) < 1e-9, "0.0049 %");
  t.equal(under.trend, "stable", "|rate| < 0.005: stable");
  t.equal(seriesFigures([1000, 1000.051], [0, 1], 1)!.trend, "increase", "0.0051 %");
  t.equal(seriesFigures([1000, 999.949], [0, 1], 1)!.trend, "decrease", "−0.0051 %");
  t.equal(seriesFigures([1000, 999.951], [0, 1], 1)!.trend, "stable", "−0.0049 %");
  t.strictSame(pick(seriesFigures([0, 0], [0, 1], 1)!), [0, "stable"], "0 → 0");
  t.strictSame(pick(seriesFigures([0, 3], [0, 1], 1)!), [Infinity, "increase"], "0 → 3: infinite rate");
  t.strictSame(pick(seriesFigures([0, -3], [0, 1], 1)!), [-Infinity, "decrease"]);
});

function pick(f: { rate: number; trend: string }): [number, string] {
  return [f.rate, f.trend];
}
