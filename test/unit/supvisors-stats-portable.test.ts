/**
 * The readers for machines without /proc (src/supvisors/stats/portable-readers.ts), run here on
 * Linux where os.cpus(), statfs and pidusage work too: the host sample's shape and values, a busy
 * child measured through pidusage, a gone pid, and the collector driving an asynchronous reader
 * (prepare() with the round's pids before their usage is read).
 */
import t from "tap";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { statfsSync } from "node:fs";
import { cpus } from "node:os";
import { StatsCollector, SUPERVISORD_ENTRY, type SampleBatch } from "../../src/supvisors/stats/collector.js";
import { PidusageTreeReader, PortableHostReader } from "../../src/supvisors/stats/portable-readers.js";
import { isHostSample } from "../../src/supvisors/stats/sample-checks.js";
import { poll } from "../helpers/cluster.js";

t.test("the portable host sample: every core and their mean, memory, the root partition", async (t) => {
  const r = new PortableHostReader();
  const s = r.sample(42);
  t.ok(isHostSample(s), "a sample the other instances accept");
  t.equal(s.now, 42);
  t.equal(s.cpu.length, cpus().length + 1);
  const n = s.cpu.length - 1;
  t.ok(Math.abs(s.cpu[0]![0] - s.cpu.slice(1).reduce((a, c) => a + c[0], 0) / n) < 1e-6, "entry 0 is the mean work");
  t.ok(s.mem > 0 && s.mem < 100);
  const f = statfsSync("/");
  const used = (f.blocks - f.bfree) * f.bsize;
  t.ok(Math.abs(s.disk_usage["/"]! - (used / (used + f.bavail * f.bsize)) * 100) < 0.2, "statfs's figure");
  t.same([s.net_io, s.disk_io], [{}, {}], "no I/O counters without /proc");
  const later = r.sample(43);
  t.ok(later.cpu[1]![0] + later.cpu[1]![1] >= s.cpu[1]![0] + s.cpu[1]![1], "the counters only grow");
});

t.test("pidusage: a busy child's CPU seconds grow about one per second; a gone pid is absent", async (t) => {
  const child = spawn("/bin/sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
  t.teardown(() => child.kill("SIGKILL"));
  const r = new PidusageTreeReader();
  t.teardown(() => r.close());
  await r.prepare([child.pid!]);
  const first = r.usage(child.pid!);
  t.ok(first && first.proc_memory > 0, "measured, with its memory");
  const t0 = performance.now();
  const next = await poll(async () => {
    if (performance.now() - t0 < 1500) return undefined;
    await r.prepare([child.pid!]);
    return r.usage(child.pid!) ?? undefined;
  }, 10_000, "a second measure");
  const rate = (next.proc_work - first!.proc_work) / ((performance.now() - t0) / 1000);
  t.ok(rate > 0.3 && rate < 1.2, `busy child: ${rate.toFixed(2)} CPU s per s`);
  const dead = spawn("/bin/true");
  await once(dead, "exit");
  await r.prepare([dead.pid!, child.pid!]);
  t.equal(r.usage(dead.pid!), null, "a gone pid has no usage");
  t.ok(r.usage(child.pid!), "the others of the round are still measured");
});

t.test("the collector prepares an asynchronous reader with the round's pids, then reads them", async (t) => {
  const calls: string[] = [];
  const reader = new PidusageTreeReader(async (pids) => {
    calls.push(`measure ${pids.join(",")}`);
    await new Promise((r) => setTimeout(r, 20));
    return Object.fromEntries(pids.filter((p) => p !== 99).map((p) => [String(p), { cpu: 0, memory: 1024, ppid: 1, pid: p, ctime: p, elapsed: 0, timestamp: 0 }]));
  });
  const batches: SampleBatch[] = [];
  const c = new StatsCollector(new PortableHostReader(), reader, { host: true, process: true, periodS: 30, selfPid: 7, nbCores: 2, nowS: () => performance.now() / 1000 }, (b) => batches.push(b));
  t.teardown(() => c.close());
  c.setPid("g:p", 5);
  c.setPid("g:gone", 99);
  c.start();
  await poll(() => (batches.some((b) => b.processes.some((p) => p.namespec === "g:p")) ? true : undefined), 10_000, "the round's batch");
  t.same(calls, ["measure 7,5,99"], "one measure for the whole round");
  const procs = batches.flatMap((b) => b.processes);
  t.match(procs.find((p) => p.namespec === SUPERVISORD_ENTRY), { pid: 7, proc_work: 0.007, nb_cores: 2 });
  t.match(procs.find((p) => p.namespec === "g:p"), { pid: 5, proc_work: 0.005 });
  t.match(procs.find((p) => p.namespec === "g:gone"), { pid: 0 }, "gone: its series end");
  t.ok(batches.some((b) => b.host !== null), "the host too");
});
