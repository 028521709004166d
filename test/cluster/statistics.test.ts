/**
 * Host and process statistics of a real 2-instance cluster (spec §9), seen by Debian's
 * python3-zmq on the OTHER instance's event interface: the figures crossed the internal transport
 * and were integrated there. Values are checked against what /proc says: a busy loop is about one
 * core (IRIX), a process tree whose grandchild does the work counts it, a child that allocates a
 * known amount shows it; network and disk rates account for the bytes the test moves; the
 * controls (enable_*_statistics, update_collecting_period) act at once.
 */
import { createConnection, createServer } from "node:net";
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { faultOf } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { type Event, pythonHas, PySubscriber } from "../helpers/py-subscriber.js";

const TIMEOUT = 30_000;
const ALLOC_MIB = 200;

const PROGRAMS = (i: number) =>
  i !== 0
    ? ""
    : [
        "[program:busy]\ncommand = /bin/sh -c 'while :; do :; done'\nstartsecs = 0\n",
        // The root shell only waits; its child shell waits; the grandchild loops.
        `[program:tree]\ncommand = /bin/sh -c '/bin/sh -c "/bin/sh -c \\"while :; do :; done\\" & wait" & wait'\nstartsecs = 0\n`,
        // Allocates and touches ALLOC_MIB MiB, then sleeps.
        `[program:alloc]\ncommand = ${process.execPath} -e "const b = Buffer.alloc(${ALLOC_MIB} * 1048576, 1); setInterval(() => b[0]++, 1000)"\nstartsecs = 0\n`,
      ].join("\n");

const body = (e: Event) => e[1] as Record<string, any>;

/** pstats of one namespec measured on `id`, at a period, from index `from`. */
function pstats(sub: PySubscriber, id: string, namespec: string, period: number, from = 0): Record<string, any>[] {
  return sub.events.slice(from).filter((e) => e[0] === "pstats" && body(e).identifier === id && body(e).namespec === namespec && body(e).target_period === period).map(body);
}

function hstats(sub: PySubscriber, id: string, period: number, from = 0): Event[] {
  return sub.events.slice(from).filter((e) => e[0] === "hstats" && body(e).identifier === id && body(e).target_period === period);
}

/** Waits for n more pstats of a namespec (from index `from`). */
async function nextPstats(sub: PySubscriber, id: string, namespec: string, period: number, n: number, from = sub.events.length): Promise<Record<string, any>[]> {
  return poll(() => {
    const got = pstats(sub, id, namespec, period, from);
    return got.length >= n ? got : undefined;
  }, TIMEOUT, `${n} pstats of ${namespec} at ${period} s`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The raw JSON text of a key's value (balanced brackets), as Python printed it. */
function rawValue(raw: string, key: string): string {
  const at = raw.indexOf(`"${key}": `);
  if (at < 0) return "";
  let i = at + key.length + 4;
  if (raw[i] !== "[" && raw[i] !== "{") return /^[^,}]*/.exec(raw.slice(i))![0];
  let depth = 0;
  const start = i;
  for (; i < raw.length; i++) {
    if (raw[i] === "[" || raw[i] === "{") depth++;
    else if (raw[i] === "]" || raw[i] === "}") depth--;
    if (depth === 0) break;
  }
  return raw.slice(start, i + 1);
}

/** Every number in a value prints as a Python float (a '.' or an exponent). */
function allFloats(text: string): boolean {
  const numbers = text.replace(/"[^"]*"/g, "").match(/-?[0-9][0-9.e+-]*/g) ?? [];
  return numbers.length > 0 && numbers.every((n) => /[.e]/.test(n));
}

/** utime+stime seconds of a process and all its descendants, from /proc, as the test reads it. */
function treeWork(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  let work = (Number(f[11]) + Number(f[12])) / 100;
  for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "latin1").trim().split(" ").filter(Boolean)) work += treeWork(Number(task));
  return work;
}

const can = pythonHas("zmq");
if (!can) {
  t.pass("skipped: /usr/bin/python3 with python3-zmq needed");
} else {
  t.test("statistics of a cluster, published by every instance", async (t: Test) => {
    const cluster = await TestCluster.create({
      size: 2,
      supvisors: "event_link = ZMQ\nstats_collecting_period = 1\nstats_periods = 2,4\nstats_histo = 10",
      programs: PROGRAMS,
    });
    t.teardown(() => cluster.teardown());
    const [a0, a1] = cluster.instances as [ClusterInstance, ClusterInstance];
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);
    const sub = new PySubscriber("zmq", "127.0.0.1", a1.spec.port + 1);
    t.teardown(() => sub.stop());
    await sub.started();
    const pidOf = async (name: string) => ((await a0.rpc("supervisor.getProcessInfo", name)) as { pid: number }).pid;

    await t.test("get_statistics_status: both on, the collecting period", async (t) => {
      t.same(await a0.rpc("supvisors.get_statistics_status"), { host_stats: true, process_stats: true, collecting_period: 1 });
    });

    await t.test("a busy loop is about one core (IRIX), measured on a0, integrated on a1", async (t) => {
      const got = await nextPstats(sub, a0.identifier, "busy:busy", 2, 3);
      const pid = await pidOf("busy");
      t.ok(got.every((p) => p.pid === pid), "the pid of the process");
      const cpu = median(got.map((p) => p.cpu));
      // Two cores, two busy loops and the test itself: each loop gets a large share of one core.
      t.ok(cpu > 40 && cpu < 115, `busy loop cpu ${cpu.toFixed(1)} % of one core`);
      // The same window from /proc: the figure agrees with the kernel's counters.
      const w0 = treeWork(pid);
      const s0 = performance.now();
      const more = await nextPstats(sub, a0.identifier, "busy:busy", 2, 2);
      const fromProc = ((treeWork(pid) - w0) / ((performance.now() - s0) / 1000)) * 100;
      const ours = median(more.map((p) => p.cpu));
      t.ok(Math.abs(ours - fromProc) < 30, `ours ${ours.toFixed(1)} % vs /proc ${fromProc.toFixed(1)} %`);
    });

    await t.test("a tree whose grandchild loops: the root's figure counts it", async (t) => {
      const got = await nextPstats(sub, a0.identifier, "tree:tree", 2, 3);
      const cpu = median(got.map((p) => p.cpu));
      t.ok(cpu > 40 && cpu < 115, `tree cpu ${cpu.toFixed(1)} % while the root only waits`);
    });

    await t.test("a child that allocates a known amount: its memory percent covers it", async (t) => {
      const memTotal = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "latin1"))![1]) * 1024;
      const got = await nextPstats(sub, a0.identifier, "alloc:alloc", 2, 1);
      const bytes = (got[0]!.mem / 100) * memTotal;
      t.ok(bytes >= ALLOC_MIB * 1048576 * 0.98 && bytes < (ALLOC_MIB + 150) * 1048576, `alloc uses ${(bytes / 1048576).toFixed(0)} MiB`);
    });

    await t.test("the daemons' own entries, both periods, the spec's keys and float types", async (t) => {
      for (const id of [a0.identifier, a1.identifier]) await nextPstats(sub, id, "supervisord", 4, 1, 0);
      const e = sub.events.find((x) => x[0] === "pstats" && body(x).namespec === "supervisord")!;
      t.same(Object.keys(body(e)), ["namespec", "identifier", "pid", "now_monotonic", "target_period", "period", "cpu", "mem"]);
      for (const k of ["now_monotonic", "target_period", "period", "cpu", "mem"]) t.ok(allFloats(rawValue(e[2], k)), `pstats ${k} is a float`);
      t.ok(/"pid": \d+[,}]/.test(e[2]), "pid is an int");
    });

    await t.test("hstats: every core and their mean, memory, interfaces, disks; kbit/s account for the bytes moved", async (t) => {
      const first = await poll(() => hstats(sub, a0.identifier, 2)[0], TIMEOUT, "a0's hstats");
      const h = body(first);
      t.same(Object.keys(h), ["identifier", "now_monotonic", "target_period", "period", "cpu", "mem", "net_io", "disk_io", "disk_usage"]);
      for (const k of ["now_monotonic", "target_period", "period", "cpu", "mem", "net_io", "disk_io", "disk_usage"]) t.ok(allFloats(rawValue(first[2], k)), `hstats ${k}: floats`);
      t.equal(h.cpu.length, cpus().length + 1, "mean, then one per core");
      t.ok(h.mem > 0 && h.mem < 100);
      t.ok(Array.isArray(h.net_io.lo), "lo is up");
      t.ok(Object.keys(h.disk_usage).includes("/"), "the root partition");

      // Move 64 MiB over loopback, then write and fsync 64 MiB to a0's directory.
      const mark = sub.events.length;
      const N = 64 * 1048576;
      const server = createServer((s) => s.resume());
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      t.teardown(() => server.close());
      await new Promise<void>((resolve, reject) => {
        const c = createConnection((server.address() as { port: number }).port, "127.0.0.1", () => c.end(Buffer.alloc(N, 7), () => resolve()));
        c.on("error", reject);
      });
      const fd = openSync(join(a0.dir, "disk-test.bin"), "w");
      const chunk = Buffer.alloc(1048576, 3);
      for (let i = 0; i < 64; i++) writeSync(fd, chunk);
      fsyncSync(fd);
      closeSync(fd);
      const moved = (sel: (h: Record<string, any>) => number) => hstats(sub, a0.identifier, 2, mark).reduce((sum, e) => sum + sel(body(e)) * (body(e).period[1] - body(e).period[0]) * 128, 0);
      const lo = await poll(() => {
        const v = moved((x) => x.net_io.lo?.[0] ?? 0);
        return v >= N ? v : undefined;
      }, TIMEOUT, "lo's received kbit/s × seconds to cover the bytes sent");
      t.ok(lo >= N, `lo received ${(lo / 1048576).toFixed(1)} MiB by the rates`);
      const written = await poll(() => {
        const v = moved((x) => Math.max(0, ...Object.values(x.disk_io as Record<string, [number, number]>).map((d) => d[1])));
        return v >= N * 0.9 ? v : undefined;
      }, TIMEOUT, "a disk's written kbit/s × seconds to cover the bytes written");
      t.ok(written >= N * 0.9, `a device wrote ${(written / 1048576).toFixed(1)} MiB by the rates`);
    });

    await t.test("controls: process statistics off and on, the period changed, a bad period refused", async (t) => {
      t.equal(await a0.rpc("supvisors.enable_process_statistics", false), true);
      t.same(await a0.rpc("supvisors.get_statistics_status"), { host_stats: true, process_stats: false, collecting_period: 1 });
      // Once two host integrations came after the switch, nothing of a0's processes follows.
      const mark = sub.events.length;
      await poll(() => (hstats(sub, a0.identifier, 2, mark).length >= 2 ? true : undefined), TIMEOUT, "two hstats after the switch");
      const settled = mark + sub.events.slice(mark).findIndex((e) => e[0] === "hstats" && body(e).identifier === a0.identifier && body(e).target_period === 2);
      await poll(() => (hstats(sub, a0.identifier, 2, settled + 1).length >= 2 ? true : undefined), TIMEOUT, "two more hstats");
      t.equal(pstats(sub, a0.identifier, "busy:busy", 2, settled + 1).length, 0, "no pstats of a0 while off");
      t.ok(pstats(sub, a1.identifier, "supervisord", 2, settled + 1).length > 0, "a1 still measures itself");

      t.equal(await a0.rpc("supvisors.enable_process_statistics", true), true);
      await nextPstats(sub, a0.identifier, "busy:busy", 2, 1);
      t.pass("pstats of a0 again");

      t.equal(await a0.rpc("supvisors.update_collecting_period", 3), true);
      t.same(await a0.rpc("supvisors.get_statistics_status"), { host_stats: true, process_stats: true, collecting_period: 3 });
      // At 3 s between samples, each 2 s integration spans at least 3 s.
      const slow = await nextPstats(sub, a0.identifier, "busy:busy", 2, 3);
      t.ok(slow.slice(1).every((p) => p.period[1] - p.period[0] >= 3 - 1e-6), `windows of ${slow.map((p) => (p.period[1] - p.period[0]).toFixed(2)).join(", ")} s`);
      t.same(await faultOf(a0.rpc("supvisors.update_collecting_period", 0)), [2, "INCORRECT_PARAMETERS: invalid collecting_period=0 - float expected in [1; 3600]"]);

      t.equal(await a0.rpc("supvisors.enable_host_statistics", false), true);
      const offMark = sub.events.length;
      await nextPstats(sub, a0.identifier, "supervisord", 2, 2);
      const afterOff = hstats(sub, a0.identifier, 2, offMark).length;
      t.ok(afterOff <= 1, `at most one hstats in flight after the switch (${afterOff})`);
    });

    await t.test("the daemons keep serving", async (t) => {
      t.equal((await stateOf(a0)).fsm_statename, "OPERATION");
      t.equal((await stateOf(a1)).fsm_statename, "OPERATION");
    });
  });
}
