/**
 * ProcessTreeReader on real processes and real /proc (CPU seconds of a busy tree, RSS of a known
 * allocation, descendants found through children files, thread children, a dead or reused pid,
 * odd comm names, descriptors released), and on hand-written /proc trees for exact values of
 * both discovery modes (children files, and the ppid scan of kernels without them).
 */
import t, { type Test } from "tap";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessTreeReader, parseProcStat } from "../../src/supvisors/stats/process-reader.js";
import { clockTicks, openFilesSoftLimit, pageBytes, statsDescriptorBudget } from "../../src/supvisors/stats/sysconf.js";

const BUSY = "while :; do :; done";
const MEM_TOTAL = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))![1]) * 1024;

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), "preader-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A child in its own process group, stopped with all its descendants at teardown whatever happens.
 * Orphans are left to pid 1, which may reap late (about a second here) or never (a container
 * without --init), so the tree is stopped from its leaves up, each parent reaping its children,
 * and the root is awaited.
 */
function start(t: Test, file: string, args: string[], stdout: "ignore" | "pipe" = "ignore"): ChildProcess {
  const child = spawn(file, args, { detached: true, stdio: ["ignore", stdout, "ignore"] });
  t.teardown(() => stopTree(child));
  return child;
}

async function stopTree(root: ChildProcess): Promise<void> {
  const pid = root.pid!;
  const exited = root.exitCode !== null || root.signalCode !== null ? Promise.resolve() : once(root, "exit");
  const signal = (target: number, name: NodeJS.Signals) => {
    try {
      process.kill(target, name);
    } catch {
      // already gone
    }
  };
  signal(-pid, "SIGCONT"); // a stopped shell resumes and reaps
  const deadline = performance.now() + 3000;
  for (;;) {
    const rest = ownTree(pid).slice(1);
    if (rest.length === 0 || performance.now() > deadline) break;
    const parents = new Set(rest.map((member) => ownStat(member)?.ppid));
    for (const member of rest) if (!parents.has(member)) signal(member, "SIGKILL");
    await pause(20);
  }
  signal(-pid, "SIGKILL");
  await Promise.race([exited, pause(3000)]);
}

function reader(t: Test, opts?: ConstructorParameters<typeof ProcessTreeReader>[0]): ProcessTreeReader {
  const r = new ProcessTreeReader(opts);
  t.teardown(() => r.close());
  return r;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it returns a value, or fails after `seconds`. */
async function until<T>(seconds: number, check: () => T | undefined | null | false): Promise<T> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`condition not met within ${seconds} s`);
    await pause(50);
  }
}

/**
 * CPU seconds per second of `work()` over windows of at least 1 s, polled until a window reaches
 * `low` (a busy 2-core machine may starve the child for a while) within 10 s; a window above 1.1
 * (one busy loop cannot use more than one core) fails at once. Returns the accepted rate.
 */
async function busyRate(t: Test, work: () => number, low = 0.5): Promise<number> {
  const deadline = performance.now() + 10_000;
  let rate = 0;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    const w0 = work();
    while (performance.now() - t0 < 1000) await pause(100);
    const w1 = work();
    rate = (w1 - w0) / ((performance.now() - t0) / 1000);
    if (rate > 1.1) break;
    if (rate >= low) return rate;
  }
  t.fail(`busy rate ${rate} not in [${low}, 1.1]`);
  return rate;
}

/** The test's own view of a process, from /proc/<pid>/stat split after the last ')'. */
function ownStat(pid: number): { ppid: number; ticks: number; rss: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return null;
  }
  const f = text.slice(text.lastIndexOf(")") + 2).split(" "); // f[0] is field 3
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rss: Number(f[21]) };
}

/** The tree of `pid` as psutil finds it: a scan of every /proc/<pid>/stat into a ppid map. */
function ownTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const st = ownStat(Number(name));
    if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(name)]);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

function ownUsage(tree: number[]): { work: number; memory: number } {
  let ticks = 0;
  let rss = 0;
  for (const pid of tree) {
    const st = ownStat(pid);
    if (st) {
      ticks += st.ticks;
      rss += st.rss;
    }
  }
  return { work: ticks / clockTicks(), memory: ((rss * pageBytes()) / MEM_TOTAL) * 100 };
}

/** A line of /proc/<pid>/stat with the fields the reader uses, the others plausible. */
function statLine(o: { pid: number; comm: string; state?: string; ppid: number; utime: number; stime: number; threads?: number; rss: number; start?: number }): string {
  const f = [o.pid, `(${o.comm})`, o.state ?? "S", o.ppid, o.pid, o.pid, 0, -1, 4194304, 100, 0, 0, 0];
  f.push(o.utime, o.stime, 5000, 6000, 20, 0, o.threads ?? 1, 0, o.start ?? 12345, 9999999, o.rss, "18446744073709551615");
  f.push(...new Array(27).fill(0));
  return f.join(" ") + "\n";
}

function fixtureFile(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

t.test("parseProcStat: fields counted after the last ')' of the comm", async (t) => {
  const line = statLine({ pid: 7, comm: "a b) (c) d", state: "R", ppid: 3, utime: 11, stime: 22, threads: 4, rss: 55 });
  t.strictSame(parseProcStat(line), { state: "R", ppid: 3, ticks: 33, numThreads: 4, startTime: 12345, rssPages: 55 });
  t.equal(parseProcStat("7 (cut) S 1 2 3"), null);
  t.equal(parseProcStat(""), null);
});

t.test("a busy child: proc_work grows about one CPU second per second", async (t) => {
  const child = start(t, "sh", ["-c", BUSY]);
  const r = reader(t);
  await until(5, () => r.usage(child.pid!));
  const rate = await busyRate(t, () => r.usage(child.pid!)!.proc_work);
  t.ok(rate >= 0.5 && rate <= 1.1, `rate ${rate}`);
  // An idle process, for contrast.
  const idle = start(t, "sleep", ["60"]);
  await until(5, () => r.usage(idle.pid!));
  const w0 = r.usage(idle.pid!)!.proc_work;
  await until(5, () => (r.usage(child.pid!)!.proc_work > rate + w0 ? true : undefined));
  t.ok(r.usage(idle.pid!)!.proc_work - w0 < 0.05, "the idle one does not grow");
});

t.test("a child holding 200 MiB: proc_memory covers it", async (t) => {
  const size = 200 * 1024 * 1024;
  const child = start(t, process.execPath, ["-e", `globalThis.b = Buffer.alloc(${size}, 1); console.log("ready"); setInterval(() => {}, 1000);`], "pipe");
  await once(child.stdout!, "data");
  const r = reader(t);
  const bytes = (r.usage(child.pid!)!.proc_memory * MEM_TOTAL) / 100;
  t.ok(bytes >= size, `${bytes} >= ${size}`);
  t.ok(bytes < size + 200 * 1024 * 1024, `${bytes}: at most 200 MiB of node on top`);
});

t.test("a tree whose grandchild is busy: counted in the root's usage, not in usageNoChildren", async (t) => {
  // root sh (waits) -> middle sh (waits) -> the busy subshell
  const root = start(t, "sh", ["-c", `sh -c "${BUSY} & wait" & wait`]);
  const pid = root.pid!;
  const r = reader(t);
  const [, middle] = await until(5, () => {
    const tree = ownTree(pid);
    return tree.length >= 3 ? tree : undefined;
  });
  const rate = await busyRate(t, () => r.usage(pid)!.proc_work);
  t.ok(rate >= 0.5, `tree rate ${rate}`);
  const alone0 = r.usageNoChildren(pid)!.proc_work;
  const middle0 = r.usageNoChildren(middle)!.proc_work;
  await until(5, () => (r.usage(pid)!.proc_work > alone0 + middle0 + 0.5 ? true : undefined));
  t.ok(r.usageNoChildren(pid)!.proc_work - alone0 < 0.05, "the waiting root itself is idle");
  t.ok(r.usageNoChildren(middle)!.proc_work - middle0 < 0.05, "and so is its child");

  // Agrees with the test's own psutil-like computation (a ppid scan), read just before and after.
  const tree = ownTree(pid);
  t.ok(tree.length >= 2, `tree ${tree}`);
  const before = ownUsage(tree);
  const mine = r.usage(pid)!;
  const after = ownUsage(tree);
  t.ok(mine.proc_work >= before.work && mine.proc_work <= after.work, `${before.work} <= ${mine.proc_work} <= ${after.work}`);
  t.ok(Math.abs(mine.proc_memory - after.memory) <= after.memory * 0.02, `memory ${mine.proc_memory} ~ ${after.memory}`);
});

t.test("children of a non-main thread are found (a worker thread spawns the busy child)", async (t) => {
  const code = `const { Worker } = require("node:worker_threads");
new Worker('require("node:child_process").spawn("sh", ["-c", ${JSON.stringify(BUSY)}], { stdio: "ignore" })', { eval: true });
setInterval(() => {}, 1000);`;
  const node = start(t, process.execPath, ["-e", code]);
  const pid = node.pid!;
  await until(10, () => ownTree(pid).length >= 2);
  const mainChildren = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  t.equal(mainChildren, "", "the busy child is not the main thread's");
  const r = reader(t);
  const rate = await busyRate(t, () => r.usage(pid)!.proc_work - r.usageNoChildren(pid)!.proc_work);
  t.ok(rate >= 0.5, `descendants' rate ${rate}`);
});

t.test("the ppid scan on live processes (a procRoot without children files)", async (t) => {
  const root = start(t, "sh", ["-c", `sh -c "${BUSY}" & wait`]);
  const pid = root.pid!;
  const tree = await until(5, () => {
    const pids = ownTree(pid);
    return pids.length >= 2 ? pids : undefined;
  });
  // Each member's stat is the real one; its task dir exists but has no children file.
  const proc = tempDir(t);
  for (const member of [...tree, process.pid]) {
    mkdirSync(join(proc, String(member), "task", String(member)), { recursive: true });
    symlinkSync(`/proc/${member}/stat`, join(proc, String(member), "stat"));
  }
  const r = reader(t, { procRoot: proc, memTotalBytes: MEM_TOTAL, scanMaxAgeMs: 0 });
  const rate = await busyRate(t, () => r.usage(pid)!.proc_work);
  t.ok(rate >= 0.5, `tree rate ${rate}`);
  t.equal((r as unknown as { mode: string }).mode, "scan");
  t.ok(r.openFiles >= tree.length + 1, "the scan keeps the members' stat files");
  r.close();
  t.equal(r.openFiles, 0);
});

t.test("a dead pid gives null, never throws", async (t) => {
  const r = reader(t);
  const child = start(t, "sleep", ["60"]);
  t.ok(r.usage(child.pid!));
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited; // reaped by node: the kept descriptor now fails
  t.equal(r.usage(child.pid!), null);
  t.equal(r.usageNoChildren(child.pid!), null);
  t.equal(r.usage(child.pid!), null, "still null");
  t.equal(r.openFiles, 0, "the dead root's descriptors are released");
  t.equal(r.usage(2 ** 31 - 1), null);
  t.equal(r.usage(0), null);
  t.equal(r.usage(-1), null);
  t.equal(r.usage(1.5), null);
  const roots = (r as unknown as { roots: Map<number, unknown> }).roots;
  t.strictSame([...roots.keys()], [child.pid], "only the dead root is remembered (until forget)");
  r.forget(child.pid!);
  t.equal(roots.size, 0);
});

t.test("a reused pid is never read: the kept descriptor belongs to the first process", async (t) => {
  // Pid reuse cannot be forced, so a fake procRoot entry stands for the pid: first a link to a
  // process that then dies, then a link to a live one, as a reused pid would be.
  const proc = tempDir(t);
  const link = join(proc, "4242");
  const first = start(t, "sleep", ["60"]);
  const second = start(t, "sleep", ["60"]);
  symlinkSync(`/proc/${first.pid}`, link);
  const r = reader(t, { procRoot: proc, memTotalBytes: MEM_TOTAL });
  t.ok(r.usage(4242), "read while the first process lives");
  const exited = once(first, "exit");
  first.kill("SIGKILL");
  await exited;
  unlinkSync(link);
  symlinkSync(`/proc/${second.pid}`, link);
  t.equal(r.usage(4242), null);
  t.equal(r.usageNoChildren(4242), null);
  const fresh = reader(t, { procRoot: proc, memTotalBytes: MEM_TOTAL });
  t.ok(fresh.usage(4242), "a new reader would read the new process");
});

t.test("a zombie root gives null and is forgotten", async (t) => {
  // The shell stops itself: its child exits and stays a zombie until the teardown's SIGCONT.
  const parent = start(t, "sh", ["-c", "sleep 0.1 & kill -STOP $$; wait"]);
  const zombie = await until(5, () => {
    const kids = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, "utf8").trim();
    const pid = Number(kids.split(" ")[0]);
    return pid && readFileSync(`/proc/${pid}/stat`, "latin1").includes(") Z ") ? pid : undefined;
  });
  const r = reader(t);
  t.equal(r.usage(zombie), null);
  t.equal(r.openFiles, 0);
  const tree = r.usage(parent.pid!);
  t.ok(tree, "the zombie as a descendant does not break its parent's usage");
});

t.test("a comm with spaces and parentheses", async (t) => {
  const dir = tempDir(t);
  const name = "a b) (c";
  symlinkSync("/usr/bin/sleep", join(dir, name));
  const child = start(t, join(dir, name), ["60"]);
  await until(5, () => readFileSync(`/proc/${child.pid}/stat`, "latin1").includes(`(${name})`));
  const r = reader(t);
  // Right after exec the loader still maps pages (and the kernel's per-cpu RSS counters may read
  // 0 for a while): poll until both reads agree on a resident size.
  const [u, own] = await until(5, () => {
    const pair = [r.usage(child.pid!)!, ownStat(child.pid!)!] as const;
    return pair[1].rss > 0 && pair[0].proc_memory === ((pair[1].rss * pageBytes()) / MEM_TOTAL) * 100 ? pair : undefined;
  });
  t.equal(u.proc_work, own.ticks / clockTicks());
  t.ok(u.proc_memory > 0);
});

t.test("forget and close release every descriptor", async (t) => {
  const fds = () => readdirSync("/proc/self/fd").length;
  const base = fds();
  const a = start(t, "sh", ["-c", "sleep 60 & sleep 60 & wait"]);
  const b = start(t, "sleep", ["60"]);
  await until(5, () => ownTree(a.pid!).length === 3);
  const r = new ProcessTreeReader();
  t.ok(r.usage(a.pid!));
  t.ok(r.usage(b.pid!));
  t.ok(r.openFiles >= 4, `openFiles ${r.openFiles}`);
  t.equal(fds() - base, r.openFiles, "openFiles counts the real descriptors");
  r.forget(a.pid!);
  t.equal(r.openFiles, 2, "b's stat and children file");
  r.forget(b.pid!);
  t.equal(r.openFiles, 0);
  t.equal(fds(), base);
  t.ok(r.usage(a.pid!));
  t.ok(r.usageNoChildren(b.pid!));
  r.close();
  t.equal(r.openFiles, 0);
  t.equal(fds(), base);
});

/** root 100 (2 threads: the child 200 is thread 101's), 200 -> 300; 300 lists 100 (a cycle). */
function writeTree(proc: string, childrenFiles: boolean): void {
  fixtureFile(proc, "meminfo", "MemTotal:       1000 kB\nMemFree:         500 kB\n");
  fixtureFile(proc, "self/stat", "ignored");
  fixtureFile(proc, "100/stat", statLine({ pid: 100, comm: "root", ppid: 300, utime: 70, stime: 30, threads: 2, rss: 10 }));
  fixtureFile(proc, "200/stat", statLine({ pid: 200, comm: "a b) (c", ppid: 100, utime: 150, stime: 50, rss: 20 }));
  fixtureFile(proc, "300/stat", statLine({ pid: 300, comm: "leaf", state: "R", ppid: 200, utime: 1, stime: 2, rss: 30 }));
  fixtureFile(proc, "500/stat", statLine({ pid: 500, comm: "orphan", ppid: 1, utime: 999, stime: 999, rss: 999 }));
  fixtureFile(proc, "600/stat", statLine({ pid: 600, comm: "other", ppid: 1, utime: 999, stime: 999, rss: 999 }));
  for (const pid of [100, 200, 300, 500, 600]) mkdirSync(join(proc, `${pid}/task/${pid}`), { recursive: true });
  mkdirSync(join(proc, "100/task/101"), { recursive: true });
  if (childrenFiles) {
    fixtureFile(proc, "100/task/100/children", "");
    fixtureFile(proc, "100/task/101/children", "200 500 999 "); // 500 names another parent, 999 is gone
    fixtureFile(proc, "200/task/200/children", "300 ");
    fixtureFile(proc, "300/task/300/children", "100 ");
    for (const pid of [500, 600]) fixtureFile(proc, `${pid}/task/${pid}/children`, "");
  }
}

const fixtureTicks = 70 + 30 + 150 + 50 + 1 + 2;
const fixturePages = 10 + 20 + 30;

for (const childrenFiles of [true, false]) {
  t.test(`fixture tree, ${childrenFiles ? "children files" : "ppid scan"}: exact values`, async (t) => {
    const proc = tempDir(t);
    writeTree(proc, childrenFiles);
    const r = reader(t, { procRoot: proc });
    const expected = { proc_work: fixtureTicks / clockTicks(), proc_memory: ((fixturePages * pageBytes()) / 1024000) * 100 };
    t.strictSame(r.usage(100), expected);
    t.strictSame(r.usage(100), expected, "again, through the kept descriptors");
    t.equal((r as unknown as { mode: string }).mode, childrenFiles ? "children" : "scan");
    t.strictSame(r.usageNoChildren(100), { proc_work: 100 / clockTicks(), proc_memory: ((10 * pageBytes()) / 1024000) * 100 });
    // From 200, the cycle brings 100 in (its ppid is 300): every member once, and the walk ends.
    t.strictSame(r.usage(200), expected);
    // A descendant leaving the tree is no longer counted and its descriptors are closed.
    const open = r.openFiles;
    if (childrenFiles) writeFileSync(join(proc, "200/task/200/children"), "");
    else writeFileSync(join(proc, "300/stat"), statLine({ pid: 300, comm: "leaf", ppid: 1, utime: 1, stime: 2, rss: 30 }));
    t.strictSame(r.usage(100), { proc_work: (fixtureTicks - 3) / clockTicks(), proc_memory: (((fixturePages - 30) * pageBytes()) / 1024000) * 100 });
    if (childrenFiles) t.ok(r.openFiles < open, `${r.openFiles} < ${open}`);
    r.close();
    t.equal(r.openFiles, 0);
  });
}

t.test("fixture: a root beyond the cap is tied to its process by its start time", async (t) => {
  const proc = tempDir(t);
  fixtureFile(proc, "meminfo", "MemTotal: 1000 kB\n");
  fixtureFile(proc, "500/stat", statLine({ pid: 500, comm: "svc", ppid: 1, utime: 10, stime: 10, rss: 1, start: 777 }));
  fixtureFile(proc, "500/task/500/children", "");
  const r = reader(t, { procRoot: proc, maxKeptFiles: 0 });
  t.equal(r.usage(500)!.proc_work, 20 / clockTicks());
  t.equal(r.openFiles, 0, "nothing kept");
  fixtureFile(proc, "500/stat", statLine({ pid: 500, comm: "svc", ppid: 1, utime: 30, stime: 10, rss: 1, start: 777 }));
  t.equal(r.usage(500)!.proc_work, 40 / clockTicks(), "the same process, read again");
  // The process died and another one got its pid: not measured as the first.
  fixtureFile(proc, "500/stat", statLine({ pid: 500, comm: "other", ppid: 1, utime: 1, stime: 1, rss: 1, start: 999 }));
  t.equal(r.usage(500), null, "a reused pid is gone for this reader");
  r.forget(500);
  t.equal(r.usage(500)!.proc_work, 2 / clockTicks(), "once forgotten, the new process can be measured");
});

t.test("fixture: the cap on kept descriptors changes nothing but the count", async (t) => {
  for (const childrenFiles of [true, false]) {
    const proc = tempDir(t);
    writeTree(proc, childrenFiles);
    const r = reader(t, { procRoot: proc, maxKeptFiles: 2 });
    t.equal(r.usage(100)!.proc_work, fixtureTicks / clockTicks());
    t.equal(r.usage(100)!.proc_work, fixtureTicks / clockTicks());
    t.ok(r.openFiles <= 2, `openFiles ${r.openFiles}`);
    t.ok(r.usage(200));
    t.ok(r.openFiles <= 3, "roots' stat files are always kept");
  }
});

t.test("fixture: the scan's map is reused for scanMaxAgeMs", async (t) => {
  const proc = tempDir(t);
  writeTree(proc, false);
  const lazy = reader(t, { procRoot: proc, scanMaxAgeMs: 3_600_000 });
  const eager = reader(t, { procRoot: proc, scanMaxAgeMs: 0 });
  t.equal(lazy.usage(100)!.proc_work, fixtureTicks / clockTicks());
  t.equal(eager.usage(100)!.proc_work, fixtureTicks / clockTicks());
  fixtureFile(proc, "700/stat", statLine({ pid: 700, comm: "new", ppid: 300, utime: 1000, stime: 0, rss: 0 }));
  // Times are read again at each call even with the old map: 300 got busier.
  writeFileSync(join(proc, "300/stat"), statLine({ pid: 300, comm: "leaf", ppid: 200, utime: 11, stime: 2, rss: 30 }));
  t.equal(lazy.usage(100)!.proc_work, (fixtureTicks + 10) / clockTicks(), "the new child waits for the next scan");
  t.equal(eager.usage(100)!.proc_work, (fixtureTicks + 1010) / clockTicks());
});

t.test("fixture: a zombie root, a missing root, memTotalBytes from meminfo", async (t) => {
  const proc = tempDir(t);
  writeTree(proc, true);
  fixtureFile(proc, "800/stat", statLine({ pid: 800, comm: "z", state: "Z", ppid: 1, utime: 1, stime: 1, rss: 0 }));
  const r = reader(t, { procRoot: proc });
  t.equal(r.usage(800), null);
  t.equal(r.usage(900), null);
  t.equal(r.openFiles, 0);
  t.throws(() => new ProcessTreeReader({ procRoot: join(proc, "none") }));
  t.strictSame(new ProcessTreeReader({ procRoot: join(proc, "none"), memTotalBytes: 4096 }).usage(1), null);
});

t.test("the descriptor budget of the statistics: a quarter of the soft RLIMIT_NOFILE, at most 4096", async (t) => {
  const soft = openFilesSoftLimit();
  const m = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "latin1"));
  t.equal(soft, Number(m![1]));
  t.equal(statsDescriptorBudget(), Math.min(4096, Math.floor(soft! / 4)));
});
