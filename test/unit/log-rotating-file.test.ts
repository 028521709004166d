import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { RotatingFile, type WriteMode } from "../../src/supervisord/logs/rotating-file.js";
import { LogFileError } from "../../src/supervisord/logs/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-rotating-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = (name = "f.log") => path.join(fs.mkdtempSync(path.join(dir, `${seq++}-`)), name);

/** A chunk of n bytes: n-1 times one letter then "\n" (what the reference child below writes). */
function line(i: number, n: number): Buffer {
  return Buffer.from(String.fromCharCode(97 + (i % 26)).repeat(n - 1) + "\n");
}
function sizes(base: string, backups: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (const p of [base, ...Array.from({ length: backups + 1 }, (_, i) => `${base}.${i + 1}`)]) {
    out.push(fs.existsSync(p) ? fs.statSync(p).size : null);
  }
  return out;
}

// Chunk sizes and the resulting file sizes observed with supervisord 4.2.5 (maxbytes=1KB, backups=3).
const CHUNKS = [300, 500, 400, 1000, 2000, 10, 1026, 1026, 1026, 1, 1, 1023, 5000, 7];
const OBSERVED = [7, 5000, 1025, 1026, null];

for (const mode of ["sync", "async"] as WriteMode[]) {
  t.test(`${mode}: rotation sizes identical to supervisord`, async (t) => {
    const p = fresh("spew.log");
    const f = new RotatingFile({ path: p, maxbytes: 1024, backups: 3, mode });
    CHUNKS.forEach((n, i) => f.write(line(i, n)));
    await f.close();
    t.same(sizes(p, 3), OBSERVED);
    t.equal(fs.readFileSync(`${p}.2`).toString(), line(9, 1).toString() + line(10, 1).toString() + line(11, 1023).toString());
  });

  t.test(`${mode}: backups=0 truncates in place`, async (t) => {
    const p = fresh();
    const f = new RotatingFile({ path: p, maxbytes: 100, backups: 0, mode });
    f.write(line(0, 60));
    f.write(line(1, 60)); // 120 >= 100: truncate
    f.write(line(2, 30));
    await f.close();
    t.equal(fs.readFileSync(p).toString(), line(2, 30).toString());
    t.notOk(fs.existsSync(`${p}.1`));
  });

  t.test(`${mode}: an existing file already past maxbytes rotates after the first write`, async (t) => {
    const p = fresh();
    fs.writeFileSync(p, "x".repeat(500));
    const f = new RotatingFile({ path: p, maxbytes: 100, backups: 1, mode });
    t.equal(f.size, 500, "append mode starts at the end");
    f.write(Buffer.from("y"));
    await f.close();
    t.same(sizes(p, 1), [0, 501, null]);
  });

  t.test(`${mode}: clear() deletes the base file, keeps backups, reopens empty`, async (t) => {
    const p = fresh();
    const f = new RotatingFile({ path: p, maxbytes: 10, backups: 2, mode });
    f.write(Buffer.from("0123456789")); // rotates into .1
    f.write(Buffer.from("abc"));
    f.clear();
    f.write(Buffer.from("after"));
    await f.close();
    t.equal(fs.readFileSync(p, "utf8"), "after");
    t.equal(fs.readFileSync(`${p}.1`, "utf8"), "0123456789");
  });

  t.test(`${mode}: reopen() follows the path (logrotate move + signal)`, async (t) => {
    const p = fresh();
    const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0, mode });
    f.write(Buffer.from("old\n"));
    await f.flush();
    fs.renameSync(p, `${p}.moved`);
    f.write(Buffer.from("still old fd\n"));
    f.reopen();
    f.write(Buffer.from("new\n"));
    await f.close();
    t.equal(fs.readFileSync(`${p}.moved`, "utf8"), "old\nstill old fd\n");
    t.equal(fs.readFileSync(p, "utf8"), "new\n");
  });

  t.test(`${mode}: special files never rotate`, async (t) => {
    const f = new RotatingFile({ path: "/dev/null", maxbytes: 1, backups: 3, mode });
    t.equal(f.rotates, false);
    f.write(Buffer.from("hello"));
    f.clear(); // must not delete /dev/null
    await f.close();
    t.ok(fs.statSync("/dev/null").isCharacterDevice());
  });

  t.test(`${mode}: write errors are reported with the bytes lost`, async (t) => {
    const errors: LogFileError[] = [];
    const f = new RotatingFile({ path: "/dev/full", maxbytes: 0, backups: 0, mode, onError: (e) => errors.push(e) });
    f.write(Buffer.from("0123456789"));
    await f.close();
    t.equal(errors.length, 1);
    t.equal(errors[0]!.code, "WRITE_FAILED");
    t.equal(errors[0]!.errno, "ENOSPC");
    t.equal(errors[0]!.lostBytes, 10);
  });
}

t.test("open failure throws synchronously with the errno", async (t) => {
  t.throws(() => new RotatingFile({ path: path.join(dir, "no", "such", "dir.log"), maxbytes: 0, backups: 0 }), {
    name: "LogFileError",
    code: "OPEN_FAILED",
    errno: "ENOENT",
  });
});

t.test("write after close throws CLOSED", async (t) => {
  const f = new RotatingFile({ path: fresh(), maxbytes: 0, backups: 0 });
  await f.close();
  t.throws(() => f.write(Buffer.from("x")), { code: "CLOSED" });
  await f.close(); // idempotent
});

t.test("a fifo opens without a reader and is written in order", async (t) => {
  const p = fresh("pipe");
  execFileSync("mkfifo", [p]);
  const f = new RotatingFile({ path: p, maxbytes: 10, backups: 2 });
  t.equal(f.rotates, false);
  const reader = fs.createReadStream(p);
  const got: Buffer[] = [];
  reader.on("data", (b) => got.push(b as Buffer));
  f.write(Buffer.from("first "));
  f.write(Buffer.from("second"));
  await f.flush();
  await new Promise<void>((resolve) => {
    const check = () => (Buffer.concat(got).length >= 12 ? resolve() : setTimeout(check, 10));
    check();
  });
  reader.destroy();
  await f.close();
  t.equal(Buffer.concat(got).toString(), "first second");
});

t.test("async: back-pressure reports false above the high-water mark and drains", async (t) => {
  const p = fresh();
  let drains = 0;
  // inline: false so every write is queued (the inline fast path never queues while the disk is fast).
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0, highWaterMark: 64 * 1024, inline: false, onDrain: () => drains++ });
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  const results: boolean[] = [];
  for (let i = 0; i < 16; i++) results.push(f.write(chunk));
  t.ok(results.includes(false), "write() asked the producer to pause");
  t.equal(results.indexOf(false), results.findIndex((_, i) => (i + 1) * chunk.length > 64 * 1024), "first false past the mark");
  await f.flush();
  t.equal(drains, 1, "one drain after the pause");
  t.equal(f.pendingBytes, 0);
  await f.close();
  t.equal(fs.statSync(p).size, 16 * chunk.length);
});

t.test("async: 64 MB with rotation keeps every byte, in order, chunk boundaries intact", async (t) => {
  const p = fresh();
  const maxbytes = 1024 * 1024;
  const f = new RotatingFile({ path: p, maxbytes, backups: 200 });
  // Chunks of varying sizes, each filled with its own index so order can be checked.
  let total = 0;
  let n = 0;
  const written = createHash("sha256");
  const lengths: number[] = [];
  while (total < 64 * 1024 * 1024) {
    const len = 1 + ((n * 7919) % (128 * 1024));
    const b = Buffer.alloc(len, n & 0xff);
    written.update(b);
    lengths.push(len);
    f.write(b);
    total += len;
    n++;
  }
  await f.close();
  const files: string[] = [];
  for (let i = 200; i >= 1; i--) if (fs.existsSync(`${p}.${i}`)) files.push(`${p}.${i}`);
  files.push(p);
  t.ok(files.length > 60, `rotated into ${files.length} files`);
  let sum = 0;
  for (const file of files) {
    const size = fs.statSync(file).size;
    sum += size;
    if (file !== p) {
      // A backup ends exactly after the chunk that reached maxbytes.
      t.ok(size >= maxbytes && size < maxbytes + 128 * 1024, `${path.basename(file)} size ${size}`);
    }
  }
  t.equal(sum, total, "sum of base and backups equals what was written");
  const read = createHash("sha256");
  for (const file of files) read.update(fs.readFileSync(file));
  t.equal(read.digest("hex"), written.digest("hex"), "backups oldest-first then base replay the output in order");
  // Replay the chunk lengths through the rotation rule and compare each file's size.
  const expected: number[] = [];
  let cur = 0;
  for (const len of lengths) {
    cur += len;
    if (cur >= maxbytes) {
      expected.push(cur);
      cur = 0;
    }
  }
  expected.push(cur);
  t.same(files.map((f) => fs.statSync(f).size), expected, "each file ends on a chunk boundary");
});

// Live differential check against supervisord 4.2.5 when it is installed.
const haveSupervisord = fs.existsSync("/usr/bin/supervisord") && fs.existsSync("/usr/bin/python3");
t.test("live: supervisord rotates the same chunks into the same sizes", { skip: !haveSupervisord && "supervisord not installed", timeout: 60000 }, async (t) => {
  const d = fs.mkdtempSync(path.join(dir, "live-"));
  fs.writeFileSync(
    path.join(d, "child.py"),
    [
      "import sys, time, os",
      "sizes = [int(x) for x in sys.argv[1].split(',')]",
      "for i, n in enumerate(sizes):",
      "    os.write(1, (chr(97 + i % 26) * (n - 1) + '\\n').encode())",
      "    time.sleep(0.05)",
      "time.sleep(60)",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(d, "sup.conf"),
    [
      "[supervisord]",
      `logfile=${d}/main.log`,
      `pidfile=${d}/sup.pid`,
      "nodaemon=true",
      `childlogdir=${d}`,
      "[program:spew]",
      `command=/usr/bin/python3 ${d}/child.py ${CHUNKS.join(",")}`,
      `stdout_logfile=${d}/spew.log`,
      "stdout_logfile_maxbytes=1KB",
      "stdout_logfile_backups=3",
      "startsecs=0",
      "",
    ].join("\n"),
  );
  const sup = spawn("/usr/bin/supervisord", ["-c", path.join(d, "sup.conf")], { stdio: "ignore" });
  const base = path.join(d, "spew.log");
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !(fs.existsSync(`${base}.1`) && fs.statSync(`${base}.1`).size === 5000 && fs.statSync(base).size === 7)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const reference = sizes(base, 3);
  sup.kill("SIGTERM");
  await new Promise((r) => sup.once("exit", r));
  t.same(reference, OBSERVED, "the reference still behaves as recorded");
  const ours = fresh("spew.log");
  const f = new RotatingFile({ path: ours, maxbytes: 1024, backups: 3 });
  CHUNKS.forEach((n, i) => f.write(line(i, n)));
  await f.close();
  t.same(sizes(ours, 3), reference);
  for (const suffix of ["", ".1", ".2", ".3"]) {
    t.ok(fs.readFileSync(ours + suffix).equals(fs.readFileSync(base + suffix)), `spew.log${suffix} identical`);
  }
});

t.test("async: with nothing queued a write reaches the file at once (inline fast path)", async (t) => {
  const p = fresh();
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
  t.equal(f.write(Buffer.from("hello\n")), true);
  t.equal(fs.statSync(p).size, 6, "in the file before any await");
  t.equal(f.pendingBytes, 0);
  await f.close();
});
