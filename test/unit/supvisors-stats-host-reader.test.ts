/**
 * HostReader on the real /proc and /sys (counters that move when the test makes them move: a busy
 * child, loopback traffic, an fsync'ed write), and on a hand-written /proc and /sys for exact
 * values: the cpu mean, psutil's rounding, interfaces down, escaped mount paths, old diskstats.
 */
import t, { type Test } from "tap";
import { spawn } from "node:child_process";
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statfsSync, writeFileSync, writeSync } from "node:fs";
import { once } from "node:events";
import { createServer, connect, type AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { HostReader, decodeMountField, pyRound1, realFilesystems, realMountpoints } from "../../src/supvisors/stats/host-reader.js";
import { clockTicks } from "../../src/supvisors/stats/sysconf.js";
import type { HostSample } from "../../src/supvisors/stats/types.js";

function tempDir(t: Test, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, "hreader-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function reader(t: Test, opts?: ConstructorParameters<typeof HostReader>[0]): HostReader {
  const r = new HostReader(opts);
  t.teardown(() => r.close());
  return r;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now() / 1000;

/** Polls `check` every 50 ms until it holds, or fails after `seconds`. */
async function until(t: Test, seconds: number, what: string, check: () => boolean): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!check()) {
    if (performance.now() > deadline) {
      t.fail(`${what}: not within ${seconds} s`);
      return;
    }
    await pause(50);
  }
  t.pass(what);
}

/** psutil's disk_usage(path).percent, computed here from statfs. */
function ownPercent(path: string): number {
  const fs = statfsSync(path);
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  return pyRound1((used / (used + fs.bavail * fs.bsize)) * 100);
}

function ownMem(): number {
  const text = readFileSync("/proc/meminfo", "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)![1]);
  return ((kb("MemTotal") - kb("MemAvailable")) / kb("MemTotal")) * 100;
}

const sumWork = (s: HostSample) => s.cpu.slice(1).reduce((acc, [work]) => acc + work, 0);

t.test("pyRound1 rounds as Python's round(x, 1)", async (t) => {
  // python3 -c 'print([round(x, 1) for x in (12.25, 12.75, 0.05, 0.35, 2.675, 0.25, 99.95, 100/3, 0, 100)])'
  const cases = [12.25, 12.75, 0.05, 0.35, 2.675, 0.25, 99.95, 100 / 3, 0, 100];
  t.strictSame(cases.map(pyRound1), [12.2, 12.8, 0.1, 0.3, 2.7, 0.2, 100, 33.3, 0, 100]);
});

t.test("mount fields and filesystem types", async (t) => {
  t.equal(decodeMountField("/mnt/a\\040b\\011c\\012d\\134e"), "/mnt/a b\tc\nd\\e");
  t.equal(decodeMountField("/mnt/plain"), "/mnt/plain");
  t.equal(decodeMountField("/mnt/\\04"), "/mnt/\\04", "not an escape");
  t.equal(decodeMountField(Buffer.from("/mnt/é\\040x").toString("latin1")), "/mnt/é x", "UTF-8 bytes decoded");
  const types = realFilesystems("nodev\tsysfs\nnodev\ttmpfs\n\text4\n\tfuseblk\nnodev\tzfs\n");
  t.strictSame([...types].sort(), ["ext4", "fuseblk", "zfs"]);
  const mounts = "/dev/a / ext4 rw 0 0\nfoo /f fuseblk rw 0 0\npool/x /z zfs rw 0 0\ntmpfs /t tmpfs rw 0 0\n/dev/a / ext4 rw 0 0\n";
  t.strictSame(realMountpoints(mounts, types), ["/", "/z"]);
});

t.test("real /proc: cpu entries, the mean, counters that grow", async (t) => {
  const r = reader(t);
  const first = r.sample(now());
  t.equal(first.cpu.length, 1 + cpus().length);
  const cores = first.cpu.length - 1;
  const meanWork = first.cpu.slice(1).reduce((a, c) => a + c[0], 0) / cores;
  const meanIdle = first.cpu.slice(1).reduce((a, c) => a + c[1], 0) / cores;
  t.strictSame(first.cpu[0], [meanWork, meanIdle], "entry 0 is the mean of the cores");
  await until(t, 10, "every core's work + idle grows", () => {
    const s = r.sample(now());
    return s.cpu.every((c, i) => c[0] + c[1] > first.cpu[i][0] + first.cpu[i][1]);
  });
  t.equal(first.now > 0, true);
  t.equal(r.sample(12.5).now, 12.5, "now is the caller's");
});

t.test("real /proc: a busy child makes the work grow by at least its own CPU time", async (t) => {
  const child = spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" });
  // Awaited: once this process is gone, reaping it would be left to pid 1.
  t.teardown(async () => {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  });
  const childTicks = () => {
    const f = readFileSync(`/proc/${child.pid}/stat`, "latin1").split(") ")[1].split(" ");
    return Number(f[11]) + Number(f[12]);
  };
  const r = reader(t);
  const deadline = performance.now() + 10_000;
  let hostTicks = 0;
  let busyTicks = 0;
  let seconds = 0;
  while (performance.now() < deadline) {
    const t0 = performance.now();
    const [s0, c0] = [r.sample(now()), childTicks()];
    while (performance.now() - t0 < 1000) await pause(100);
    const [c1, s1] = [childTicks(), r.sample(now())];
    seconds = (performance.now() - t0) / 1000;
    [hostTicks, busyTicks] = [sumWork(s1) - sumWork(s0), c1 - c0];
    if (busyTicks / clockTicks() / seconds >= 0.5) break; // else the machine starved the child: again
  }
  t.ok(busyTicks / clockTicks() / seconds >= 0.5, `the child ran ${busyTicks} ticks in ${seconds} s`);
  // Both are rounded to ticks, per core for the host: a few ticks of slack.
  t.ok(hostTicks >= busyTicks - 2 * cpus().length, `host work ${hostTicks} ticks >= the child's ${busyTicks}`);
  t.ok(hostTicks / clockTicks() / seconds <= cpus().length + 0.1, "at most every core");
});

t.test("real /proc: mem close to the test's own computation", async (t) => {
  const r = reader(t);
  const before = ownMem();
  const mem = r.sample(now()).mem;
  const after = ownMem();
  t.ok(mem >= 0 && mem <= 100, `mem ${mem}`);
  t.ok(mem >= Math.min(before, after) - 0.5 && mem <= Math.max(before, after) + 0.5, `${before} ~ ${mem} ~ ${after}`);
  t.equal(mem, pyRound1(mem), "one decimal");
});

t.test("real /proc: net_io has the interfaces that are up, lo counts loopback traffic", async (t) => {
  const r = reader(t);
  const first = r.sample(now());
  t.ok(first.net_io.lo, "lo is up");
  const dev = readFileSync("/proc/net/dev", "latin1");
  for (const nic of readdirSync("/sys/class/net")) {
    const up = (Number.parseInt(readFileSync(`/sys/class/net/${nic}/flags`, "utf8"), 16) & 1) === 1;
    if (dev.includes(` ${nic}:`)) t.equal(nic in first.net_io, up, `${nic} ${up ? "up" : "down"}`);
  }
  const size = 4 * 1024 * 1024;
  const server = createServer((socket) => socket.resume());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.teardown(() => server.close());
  let received = 0;
  const done = new Promise<void>((resolve) => {
    server.on("connection", (socket) =>
      socket.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received >= size) resolve();
      }),
    );
  });
  const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
  client.end(Buffer.alloc(size, 7));
  await done;
  client.destroy();
  const after = r.sample(now());
  t.ok(after.net_io.lo[0] - first.net_io.lo[0] >= size, `lo received ${after.net_io.lo[0] - first.net_io.lo[0]}`);
  t.ok(after.net_io.lo[1] - first.net_io.lo[1] >= size, "and sent as much");
});

/** A directory on a block device (diskstats counts its writes): tmpdir or the working dir. */
function deviceBackedDir(): string | null {
  const RAM = new Set([0x01021994 /* tmpfs */, 0x858458f6 /* ramfs */]);
  for (const dir of [tmpdir(), process.cwd()]) {
    try {
      if (!RAM.has(statfsSync(dir).type)) return dir;
    } catch {
      // not usable
    }
  }
  return null;
}

const diskDir = deviceBackedDir();
const noDisk = diskDir ? false : "tmpdir and the working dir are both in RAM: no block device counts their writes";

t.test("real /proc: disk_io counts an fsync'ed write", { skip: noDisk }, async (t) => {
  const dir = tempDir(t, diskDir!);
  const r = reader(t);
  const first = r.sample(now());
  t.ok(Object.keys(first.disk_io).length > 0, "diskstats lists devices");
  const size = 16 * 1024 * 1024;
  const fd = openSync(join(dir, "data"), "w");
  try {
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < size / chunk.length; i++) writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  await until(t, 10, "some device wrote the 16 MiB", () => {
    const s = r.sample(now());
    return Object.keys(s.disk_io).some((d) => first.disk_io[d] && s.disk_io[d][1] - first.disk_io[d][1] >= size);
  });
});

t.test("real /proc: disk_usage agrees with statfs", async (t) => {
  const r = reader(t);
  const s = r.sample(now());
  const mounts = Object.keys(s.disk_usage);
  t.ok(mounts.length > 0, `partitions: ${mounts}`);
  for (const mountpoint of mounts) {
    const own = ownPercent(mountpoint);
    t.ok(Math.abs(s.disk_usage[mountpoint] - own) <= 0.1, `${mountpoint}: ${s.disk_usage[mountpoint]} ~ ${own}`);
  }
});

t.test("real /proc: close releases every descriptor", async (t) => {
  const fds = () => readdirSync("/proc/self/fd").length;
  const base = fds();
  const r = new HostReader();
  r.sample(now());
  t.ok(r.openFiles >= 5, `openFiles ${r.openFiles}`);
  t.equal(fds() - base, r.openFiles, "openFiles counts the real descriptors");
  r.close();
  t.equal(r.openFiles, 0);
  t.equal(fds(), base);
});

/** A fake /proc and /sys with every case the reader handles. */
function writeFixture(proc: string, sys: string, mountDir: string): void {
  const file = (root: string, path: string, text: string) => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  // The aggregate line is wrong on purpose: entry 0 must be the mean of the cpuN lines.
  file(proc, "stat", [
    "cpu  1 1 1 1 1 1 1 1 1 1",
    "cpu0 10 1 5 100 7 2 3 4 50 60",
    "cpu1 20 2 6 200 8 0 1 0 0 0",
    "intr 1 2 3",
    "ctxt 5",
    "",
  ].join("\n"));
  // (10000 - 8775) / 10000 * 100 = 12.25 exactly: Python rounds it to 12.2, half-up would give 12.3
  file(proc, "meminfo", "MemTotal:       10000 kB\nMemFree:         5000 kB\nMemAvailable:    8775 kB\nBuffers:          10 kB\n");
  file(proc, "net/dev", [
    "Inter-|   Receive                                                |  Transmit",
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
    "    lo:    3193      29    0    0    0     0          0         0     3194      29    0    0    0     0       0          0",
    "  eth0:228600498 5437    0    0    0     0          0         0   533180    3833    0    0    0     0       0          0",
    "  eth1:     111       1    0    0    0     0          0         0      222       2    0    0    0     0       0          0",
    " wlan0:     333       1    0    0    0     0          0         0      444       2    0    0    0     0       0          0",
    "",
  ].join("\n"));
  file(sys, "class/net/lo/flags", "0x9\n");
  file(sys, "class/net/eth0/flags", "0x1003\n");
  file(sys, "class/net/eth1/flags", "0x1002\n"); // down; wlan0 has no flags file: down too
  file(proc, "diskstats", [
    " 254       0 vda 33948 8216 2037506 5628 20548 27434 2551568 6977 0 6320 13034 7682 26 261168 336 3141 91",
    "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0",
    "   8       1 sda1 10 20 30 40",
    "",
  ].join("\n"));
  file(proc, "filesystems", "nodev\tsysfs\nnodev\ttmpfs\n\text4\n\tfuseblk\nnodev\tzfs\n");
  const spaced = join(mountDir, "with space").replaceAll(" ", "\\040");
  file(proc, "self/mounts", [
    "sysfs /sys sysfs rw 0 0",
    `/dev/sda1 ${spaced} ext4 rw 0 0`,
    "tmpfs /tmp tmpfs rw 0 0",
    `pool/data ${join(mountDir, "zfs")} zfs rw 0 0`,
    `helper ${join(mountDir, "fuse")} fuseblk rw 0 0`,
    `/dev/sdc1 ${join(mountDir, "missing")} ext4 rw 0 0`,
    `/dev/sda1 ${spaced} ext4 rw 0 0`,
    "",
  ].join("\n"));
}

t.test("fixture: exact values", async (t) => {
  const proc = tempDir(t);
  const sys = tempDir(t);
  const mountDir = tempDir(t);
  for (const dir of ["with space", "zfs", "fuse"]) mkdirSync(join(mountDir, dir));
  writeFixture(proc, sys, mountDir);
  const r = reader(t, { procRoot: proc, sysRoot: sys });
  const before = { spaced: ownPercent(join(mountDir, "with space")) };
  const s = r.sample(3.5);
  t.equal(s.now, 3.5);
  t.strictSame(s.cpu, [
    [27, 157.5],
    [25, 107],
    [29, 208],
  ]);
  t.equal(s.mem, 12.2);
  t.strictSame(s.net_io, { lo: [3193, 3194], eth0: [228600498, 533180] });
  t.strictSame(s.disk_io, {
    vda: [2037506 * 512, 2551568 * 512],
    loop0: [0, 0],
    sda1: [20 * 512, 40 * 512],
  });
  t.strictSame(Object.keys(s.disk_usage), [join(mountDir, "with space"), join(mountDir, "zfs")]);
  const spaced = s.disk_usage[join(mountDir, "with space")];
  t.ok([before.spaced, ownPercent(join(mountDir, "with space"))].includes(spaced), `statfs of the decoded path: ${spaced}`);

  // The same descriptors see new contents; a vanished interface's flags file is closed.
  const open = r.openFiles;
  t.equal(open, 5 + 3, "5 /proc files and the flags of lo, eth0, eth1 (wlan0 has none)");
  writeFileSync(join(proc, "meminfo"), "MemTotal: 1000 kB\nMemAvailable: 0 kB\n");
  writeFileSync(
    join(proc, "net/dev"),
    "h1\nh2\n    lo:    4000      29    0    0    0     0          0         0     5000      29    0    0    0     0       0          0\n",
  );
  writeFileSync(join(sys, "class/net/lo/flags"), "0x8\n");
  const s2 = r.sample(4);
  t.equal(s2.mem, 100);
  t.strictSame(s2.net_io, {}, "lo went down");
  t.ok(r.openFiles < open, `flags files of the gone interfaces closed: ${r.openFiles} < ${open}`);
  r.close();
  t.equal(r.openFiles, 0);
});

t.test("fixture: missing files", async (t) => {
  const proc = tempDir(t);
  writeFileSync(join(proc, "stat"), "cpu0 1 2 3 4\n");
  writeFileSync(join(proc, "meminfo"), "MemTotal: 100 kB\nSwapCached: 50 kB\nMemFree: 10 kB\nBuffers: 5 kB\nCached: 5 kB\n");
  const r = reader(t, { procRoot: proc, sysRoot: proc });
  t.strictSame(r.sample(1), { now: 1, cpu: [[6, 4], [6, 4]], mem: 80, net_io: {}, disk_usage: {}, disk_io: {} }, "old kernel: fewer columns, no MemAvailable (and SwapCached is not Cached)");
  rmSync(join(proc, "stat"));
  const empty = reader(t, { procRoot: proc });
  t.throws(() => empty.sample(1), /stat/);
});
