/**
 * The statistics collector's schedule (src/supvisors/stats/collector.ts) with fake readers: never
 * early, the daemon's own entry, pids coming and going, slices that yield, the controls applied at
 * once, reader errors reported once and never thrown into the loop.
 */
import t, { type Test } from "tap";
import { type SampleBatch, StatsCollector, SUPERVISORD_ENTRY, type TreeReaderPort } from "../../src/supvisors/stats/collector.js";
import type { HostSample, ProcessRunningSample, ProcessUsage } from "../../src/supvisors/stats/types.js";

const nowS = () => performance.now() / 1000;

function fakeHost(): { sample(now: number): HostSample; close(): void; readings: number[]; closed: boolean } {
  return {
    readings: [],
    closed: false,
    sample(now) {
      this.readings.push(now);
      return { now, cpu: [[1, 1]], mem: 1, net_io: {}, disk_usage: {}, disk_io: {} };
    },
    close() {
      this.closed = true;
    },
  };
}

class FakeTree implements TreeReaderPort {
  readonly alive = new Set<number>();
  readonly forgotten: number[] = [];
  readonly reads: number[] = [];
  failWith: NodeJS.ErrnoException | null = null;
  closed = false;
  usage(pid: number): ProcessUsage | null {
    if (this.failWith && pid !== process.pid) throw this.failWith;
    this.reads.push(pid);
    return this.alive.has(pid) ? { proc_work: pid / 1000, proc_memory: 1 } : null;
  }
  usageNoChildren(pid: number): ProcessUsage | null {
    this.reads.push(pid);
    return { proc_work: 0.5, proc_memory: 0.25 };
  }
  forget(pid: number): void {
    this.forgotten.push(pid);
  }
  close(): void {
    this.closed = true;
  }
}

interface Rig {
  collector: StatsCollector;
  host: ReturnType<typeof fakeHost>;
  tree: FakeTree;
  batches: SampleBatch[];
  errors: string[];
  /** Resolves with the first batch (from now on) that satisfies `pred`; fails after 10 s. */
  next(pred: (b: SampleBatch) => boolean, what: string): Promise<SampleBatch>;
}

function rig(t: Test, opts: { host?: boolean; process?: boolean; periodS?: number; sliceBudgetMs?: number } = {}): Rig {
  const host = fakeHost();
  const tree = new FakeTree();
  const batches: SampleBatch[] = [];
  const errors: string[] = [];
  let waiters: { pred: (b: SampleBatch) => boolean; resolve: (b: SampleBatch) => void }[] = [];
  const collector = new StatsCollector(
    host,
    tree,
    { host: opts.host ?? true, process: opts.process ?? true, periodS: opts.periodS ?? 0.2, selfPid: process.pid, nbCores: 2, nowS, sliceBudgetMs: opts.sliceBudgetMs, onError: (what, err) => errors.push(`${what}: ${(err as Error).message}`) },
    (b) => {
      batches.push(b);
      waiters = waiters.filter((w) => (w.pred(b) ? (w.resolve(b), false) : true));
    },
  );
  t.teardown(() => collector.close());
  return {
    collector,
    host,
    tree,
    batches,
    errors,
    next(pred, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no batch with ${what} within 10 s`)), 10_000);
        waiters.push({ pred, resolve: (b) => (clearTimeout(timer), resolve(b)) });
      });
    },
  };
}

const hasProcess = (namespec: string, pid?: number) => (b: SampleBatch) => b.processes.some((p) => p.namespec === namespec && (pid === undefined || p.pid === pid));

t.test("the host and the daemon's own entry, every period and never early", async (t) => {
  const r = rig(t);
  r.collector.start();
  const first = await r.next((b) => b.host !== null, "a host sample");
  const self = first.processes.find((p) => p.namespec === SUPERVISORD_ENTRY) as ProcessRunningSample;
  t.same(self, { namespec: "supervisord", pid: process.pid, now: self.now, proc_work: 0.5, proc_memory: 0.25, nb_cores: 2 }, "the daemon alone, with the core count");
  for (let i = 0; i < 3; i++) await r.next((b) => b.host !== null, "another host sample");
  const gaps = r.host.readings.slice(1).map((x, i) => x - r.host.readings[i]!);
  t.ok(gaps.every((g) => g >= 0.2 - 1e-6), `host read every period at least (gaps ${gaps.map((g) => g.toFixed(3)).join(", ")})`);
  const selfTimes = r.batches.flatMap((b) => b.processes.filter((p) => p.namespec === SUPERVISORD_ENTRY).map((p) => p.now));
  t.ok(selfTimes.slice(1).every((x, i) => x - selfTimes[i]! >= 0.2 - 1e-6), "the daemon's entry too");
  t.equal(r.errors.length, 0);
});

t.test("a pid is read at once; a stop sends pid 0 and forgets the process", async (t) => {
  const r = rig(t, { host: false, periodS: 5 });
  r.collector.start();
  r.tree.alive.add(4242);
  r.collector.setPid("g:p", 4242);
  const b = await r.next(hasProcess("g:p", 4242), "the new process");
  t.match(b.processes.find((p) => p.namespec === "g:p"), { pid: 4242, proc_work: 4.242, proc_memory: 1 });
  r.collector.setPid("g:p", 0);
  await r.next(hasProcess("g:p", 0), "its stop");
  t.same(r.tree.forgotten, [4242]);
  r.collector.setPid("g:p", 0);
  t.same(r.tree.forgotten, [4242], "a second stop changes nothing");
});

t.test("a new pid for a running name: pid 0 for the old one, then the new one", async (t) => {
  const r = rig(t, { host: false, periodS: 5 });
  r.collector.start();
  r.tree.alive.add(10).add(11);
  r.collector.setPid("g:p", 10);
  await r.next(hasProcess("g:p", 10), "the first pid");
  r.collector.setPid("g:p", 11);
  await r.next(hasProcess("g:p", 11), "the second pid");
  const seq = r.batches.flatMap((b) => b.processes.filter((p) => p.namespec === "g:p").map((p) => p.pid));
  t.same(seq, [10, 0, 11]);
});

t.test("a process gone before its event: pid 0 once, no more readings of it", async (t) => {
  const r = rig(t, { host: false, periodS: 0.2 });
  r.collector.start();
  r.collector.setPid("g:ghost", 777);
  await r.next(hasProcess("g:ghost", 0), "the vanished process");
  await r.next(hasProcess(SUPERVISORD_ENTRY), "a later round");
  await r.next(hasProcess(SUPERVISORD_ENTRY), "one more round");
  t.equal(r.tree.reads.filter((p) => p === 777).length, 1, "read once");
  t.same(r.tree.forgotten, [777]);
});

t.test("slices: a large round is cut into slices, one batch each (the loop runs between them)", async (t) => {
  const r = rig(t, { host: false, periodS: 60, sliceBudgetMs: 0 });
  for (let i = 1; i <= 20; i++) {
    r.tree.alive.add(1000 + i);
    r.collector.setPid(`g:p${i}`, 1000 + i);
  }
  r.collector.start();
  await r.next((b) => b.processes.some((p) => p.namespec === "g:p20"), "the last process");
  const read = r.batches.flatMap((b) => b.processes.map((p) => p.namespec));
  t.equal(new Set(read).size, 21, "every process and the daemon read once");
  t.ok(r.batches.every((b) => b.processes.length <= 1), "a zero budget reads one entry per slice");
  t.ok(r.batches.length >= 21, "one batch per slice");
});

t.test("controls: disabling sends what ends the series, enabling starts again, the period applies at once", async (t) => {
  const r = rig(t, { periodS: 0.2 });
  r.tree.alive.add(5);
  r.collector.setPid("g:p", 5);
  r.collector.start();
  await r.next(hasProcess("g:p", 5), "a first reading");
  r.collector.enableProcess(false);
  const stop = await r.next((b) => b.processes.some((p) => p.pid === 0), "the end of the series");
  t.same(stop.processes.map((p) => [p.namespec, p.pid]).sort(), [["g:p", 0], ["supervisord", 0]]);
  t.same(r.collector.status(), { host: true, process: false, periodS: 0.2 });
  const readsAtStop = r.tree.reads.length;
  await r.next((b) => b.host !== null, "a host sample");
  await r.next((b) => b.host !== null, "another host sample");
  t.equal(r.tree.reads.length, readsAtStop, "no process read while disabled");
  r.collector.enableHost(false);
  await r.next((b) => b.hostReset, "the host reset");
  const hostAtStop = r.host.readings.length;
  r.collector.enableProcess(true);
  await r.next(hasProcess("g:p", 5), "process readings again");
  await r.next(hasProcess("g:p", 5), "and again");
  t.equal(r.host.readings.length, hostAtStop, "no host read while disabled");
  r.collector.setPeriod(30);
  t.same(r.collector.status(), { host: false, process: true, periodS: 30 });
  const before = r.tree.reads.length;
  r.collector.setPeriod(0.05);
  await r.next(hasProcess("g:p", 5), "a reading at the new, shorter period");
  t.ok(r.tree.reads.length > before);
});

t.test("reader errors: reported once per kind, the others still read, never thrown", async (t) => {
  const r = rig(t, { host: false, periodS: 0.1 });
  r.tree.alive.add(9);
  const err = Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
  r.tree.failWith = err;
  r.collector.setPid("g:p", 9);
  r.collector.start();
  await r.next(hasProcess(SUPERVISORD_ENTRY), "the daemon's entry");
  await r.next(hasProcess(SUPERVISORD_ENTRY), "again");
  await r.next(hasProcess(SUPERVISORD_ENTRY), "and again");
  t.same(r.errors, ["g:p: EMFILE: too many open files"]);
  r.tree.failWith = null;
  await r.next(hasProcess("g:p", 9), "the process once the reader recovers");
});

t.test("close releases the readers and stops the timers", async (t) => {
  const r = rig(t);
  r.collector.start();
  await r.next((b) => b.host !== null, "a host sample");
  r.collector.close();
  t.ok(r.host.closed && r.tree.closed);
  const n = r.batches.length;
  r.collector.setPid("g:p", 1);
  await new Promise((res) => setTimeout(res, 300));
  t.equal(r.batches.length, n, "nothing after close");
});
