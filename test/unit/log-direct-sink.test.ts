// Direct output (direct-sink.ts): a plain log file written by the native reader without passing
// the bytes through JS. First the file's side with a recording port (what RotatingFile asks of the
// port and when), then the real thing: children writing through the native reader into files.
import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RotatingFile } from "../../src/supervisord/logs/rotating-file.js";
import type { DirectFile, DirectWriteFailure, SinkPort } from "../../src/supervisord/logs/direct-sink.js";
import { LogFileError } from "../../src/supervisord/logs/errors.js";
import { OutputChannel, type DebugLogSink } from "../../src/supervisord/logs/output-channel.js";
import { spawnChild, type ExitInfo, type SpawnRequest } from "../../src/supervisord/process/spawner.js";
import { nativeSpawnerAvailable } from "../../src/supervisord/process/native-spawn.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-direct-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = (name = "f.log") => path.join(fs.mkdtempSync(path.join(dir, `${seq++}-`)), name);

type PortCall = { op: "target"; fd: number; limit: number } | { op: "hold" } | { op: "detach" };

/** The port keeps its own fd, like the native reader's dup(): fs has no dup, /proc reopens the same file. */
const dupFd = (fd: number) => fs.openSync(`/proc/self/fd/${fd}`, "a");

/** Records what the file asks; `write` plays the native side (bytes into the current target). */
class RecordingPort implements SinkPort {
  calls: PortCall[] = [];
  fd: number | null = null;
  limit = 0;
  target(fd: number, limit: number): void {
    this.calls.push({ op: "target", fd, limit });
    this.drop();
    this.fd = dupFd(fd);
    this.limit = limit;
  }
  hold(): void {
    this.calls.push({ op: "hold" });
    this.drop();
  }
  detach(): void {
    this.calls.push({ op: "detach" });
    this.drop();
  }
  private drop(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
  /** Writes like the reader: into the target, then reports; false when held. */
  write(file: DirectFile, data: string): boolean {
    if (this.fd === null) return false;
    fs.writeSync(this.fd, data);
    if (this.limit > 0) {
      this.limit -= data.length;
      if (this.limit <= 0) this.drop(); // the reader holds after its limit
    }
    file.written(data.length);
    return true;
  }
  ops(): string[] {
    return this.calls.map((c) => (c.op === "target" ? `target(${c.limit})` : c.op));
  }
}


t.test("a plain async file attaches: the port gets the fd and what is left before maxbytes", async (t) => {
  const p = fresh();
  fs.writeFileSync(p, "x".repeat(30));
  const f = new RotatingFile({ path: p, maxbytes: 100, backups: 1 });
  const port = new RecordingPort();
  t.ok(f.attach(port));
  t.same(port.ops(), ["target(70)"]);
  const g = new RotatingFile({ path: fresh(), maxbytes: 0, backups: 0 });
  const port2 = new RecordingPort();
  t.ok(g.attach(port2));
  t.same(port2.ops(), ["target(0)"], "maxbytes 0: no limit");
  await Promise.all([f.close(), g.close()]);
});

t.test("files that cannot be written directly refuse the port", async (t) => {
  const sync = new RotatingFile({ path: fresh(), maxbytes: 0, backups: 0, mode: "sync" });
  t.notOk(sync.attach(new RecordingPort()), "sync mode (the main log)");
  const special = new RotatingFile({ path: "/dev/null", maxbytes: 0, backups: 0 });
  t.notOk(special.attach(new RecordingPort()), "a character device");
  const closed = new RotatingFile({ path: fresh(), maxbytes: 0, backups: 0 });
  await closed.close();
  t.notOk(closed.attach(new RecordingPort()), "a closed file");
  await Promise.all([sync.close(), special.close()]);
});

t.test("an existing file already past maxbytes: the limit is one write, then it rotates", async (t) => {
  const p = fresh();
  fs.writeFileSync(p, "x".repeat(500));
  const f = new RotatingFile({ path: p, maxbytes: 100, backups: 1 });
  const port = new RecordingPort();
  f.attach(port);
  t.same(port.ops(), ["target(1)"]);
  t.ok(port.write(f, "yy"));
  await f.flush();
  t.equal(fs.readFileSync(`${p}.1`, "utf8"), "x".repeat(500) + "yy", "the write that crossed stays whole");
  t.equal(fs.statSync(p).size, 0);
  t.same(port.ops(), ["target(1)", "hold", "target(100)"]);
  await f.close();
});

t.test("rotation: the port holds at the limit, the file rotates, the port gets the new file", async (t) => {
  const p = fresh();
  const f = new RotatingFile({ path: p, maxbytes: 100, backups: 2 });
  const port = new RecordingPort();
  f.attach(port);
  t.ok(port.write(f, "a".repeat(60)));
  t.ok(port.write(f, "b".repeat(60)), "the write that reaches the limit is whole");
  t.notOk(port.write(f, "c"), "held until the rotation is done");
  await f.flush();
  t.same(port.ops(), ["target(100)", "hold", "target(100)"]);
  t.ok(port.write(f, "c".repeat(10)));
  await f.close();
  t.equal(fs.readFileSync(`${p}.1`, "utf8"), "a".repeat(60) + "b".repeat(60));
  t.equal(fs.readFileSync(p, "utf8"), "c".repeat(10));
  t.equal(f.size, 10, "the position counts the direct writes");
});

t.test("reopen and clear hold the port, then hand it the new file", async (t) => {
  const p = fresh();
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
  const port = new RecordingPort();
  f.attach(port);
  port.write(f, "before\n");
  fs.renameSync(p, `${p}.moved`);
  f.reopen();
  await f.flush();
  port.write(f, "after\n");
  t.equal(fs.readFileSync(`${p}.moved`, "utf8"), "before\n");
  t.equal(fs.readFileSync(p, "utf8"), "after\n");
  f.clear();
  t.notOk(port.write(f, "lost?"), "nothing is written while the file is replaced");
  await f.flush();
  port.write(f, "fresh\n");
  t.equal(fs.readFileSync(p, "utf8"), "fresh\n");
  await f.close();
  t.same(port.ops(), ["target(0)", "hold", "target(0)", "hold", "target(0)", "hold"], "close holds and gives nothing back");
});

t.test("a write error reported by the port: WRITE_FAILED with the bytes lost, then write() takes over", async (t) => {
  const p = fresh();
  const errors: LogFileError[] = [];
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0, onError: (e) => errors.push(e) });
  const port = new RecordingPort();
  f.attach(port);
  const failure: DirectWriteFailure = { errno: "ENOSPC", message: "no space left on device", lostBytes: 4096 };
  f.detached(failure);
  t.equal(errors.length, 1);
  t.match(errors[0], { code: "WRITE_FAILED", errno: "ENOSPC", lostBytes: 4096 });
  t.match(errors[0]!.message, /ENOSPC: no space left on device/);
  f.write(Buffer.from("through JS\n"));
  f.reopen();
  await f.close();
  t.equal(fs.readFileSync(p, "utf8"), "through JS\n");
  t.same(port.ops(), ["target(0)"], "a detached port is not steered any more");
});

t.test("a file whose reopen fails sends the port back to write(), which reports", async (t) => {
  const d = fs.mkdtempSync(path.join(dir, "gone-"));
  const p = path.join(d, "f.log");
  const errors: LogFileError[] = [];
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0, onError: (e) => errors.push(e) });
  const port = new RecordingPort();
  f.attach(port);
  fs.rmSync(d, { recursive: true });
  f.reopen();
  await f.flush();
  t.same(port.ops(), ["target(0)", "hold", "detach"]);
  t.equal(errors[0]?.code, "OPEN_FAILED");
  await f.close();
});

t.test("OutputChannel offers its file only when nothing else needs the bytes", async (t) => {
  const quiet: DebugLogSink = { isEnabledFor: (l) => l !== "debug" && l !== "trace" && l !== "blather", debug() {} };
  const loud: DebugLogSink = { isEnabledFor: () => true, debug() {} };
  const base = {
    processName: "p",
    channel: "stdout" as const,
    maxbytes: 0,
    backups: 0,
    syslog: false,
    captureMaxbytes: 0,
    eventsEnabled: false,
    stripAnsi: false,
    mainLog: quiet,
  };
  const cases: [string, Partial<typeof base> & { logfile?: string | null }, boolean][] = [
    ["plain", {}, true],
    ["no log file", { logfile: null }, false],
    ["capture mode", { captureMaxbytes: 100 }, false],
    ["events", { eventsEnabled: true }, false],
    ["syslog", { syslog: true }, false],
    ["strip_ansi", { stripAnsi: true }, false],
    ["main log at debug", { mainLog: loud }, false],
  ];
  for (const [name, over, direct] of cases) {
    const ch = new OutputChannel({ ...base, logfile: fresh(), ...over });
    t.equal(ch.directFile() !== null, direct, name);
    await ch.close();
    t.equal(ch.directFile(), null, `${name}: not once closed`);
  }
});

// ---- the native reader ----

const native = nativeSpawnerAvailable();

function request(script: string, extra: Partial<SpawnRequest> = {}): SpawnRequest {
  return { name: "t", filename: "/bin/sh", argv: ["sh", "-c", script], env: { PATH: "/usr/bin:/bin" }, directory: null, umask: null, user: null, redirectStderr: false, ...extra };
}

interface Direct {
  exit: ExitInfo;
  /** Bytes that came through onStdout/onStderr (the JS path). */
  viaJs: string;
  /** The base file's content when the exit was reported. */
  atExit: string;
}

function runInto(req: SpawnRequest, files: { stdout?: DirectFile; stderr?: DirectFile }, base: string, during?: () => void): Promise<Direct> {
  return new Promise((resolve, reject) => {
    let viaJs = "";
    const outcome = spawnChild(req, {
      onStdout: (b) => (viaJs += b.toString()),
      onStderr: (b) => (viaJs += b.toString()),
      onExit: (exit) => resolve({ exit, viaJs, atExit: fs.existsSync(base) ? fs.readFileSync(base, "utf8") : "" }),
      stdoutFile: files.stdout ?? null,
      stderrFile: files.stderr ?? null,
    });
    if (!outcome.ok) reject(new Error(outcome.spawnerr));
    during?.();
  });
}

/** Lines numbered from..to-1 of `width` bytes each: "000123 xxxx...\n". */
const LINES = (from: number, to: number, width: number) =>
  `i=${from}; pad=$(head -c ${width - 8} /dev/zero | tr '\\0' x); while [ $i -lt ${to} ]; do printf '%06d %s\\n' $i "$pad"; i=$((i+1)); done`;
function expectedLines(from: number, count: number, width: number): string {
  let s = "";
  for (let i = from; i < from + count; i++) s += `${String(i).padStart(6, "0")} ${"x".repeat(width - 8)}\n`;
  return s;
}
function readRotated(base: string, backups: number): { text: string; sizes: number[] } {
  const parts: string[] = [];
  const sizes: number[] = [];
  for (let i = backups; i >= 1; i--) {
    if (!fs.existsSync(`${base}.${i}`)) continue;
    parts.push(fs.readFileSync(`${base}.${i}`, "utf8"));
    sizes.push(fs.statSync(`${base}.${i}`).size);
  }
  parts.push(fs.readFileSync(base, "utf8"));
  return { text: parts.join(""), sizes };
}

t.test("native: 3 MB through rotation reach the files whole, in order, none through JS", { skip: !native && "native spawner not built" }, async (t) => {
  const p = fresh("out.log");
  const maxbytes = 256 * 1024;
  const f = new RotatingFile({ path: p, maxbytes, backups: 30 });
  const count = 3 * 1024 * 8; // 8 lines of 128 bytes per KiB
  const r = await runInto(request(`head -c 1000000 /dev/zero | tr '\\0' y; ${LINES(0, count, 128)}`), { stdout: f }, p);
  await f.close();
  t.has(r.exit, { code: 0 });
  t.equal(r.viaJs, "", "no byte went through JS");
  const { text, sizes } = readRotated(p, 30);
  t.equal(text, "y".repeat(1000000) + expectedLines(0, count, 128), "every byte, in order");
  t.ok(sizes.length >= 10, `rotated ${sizes.length} times`);
  for (const s of sizes) t.ok(s >= maxbytes && s < maxbytes + 128 * 1024, `a rotated file holds maxbytes plus less than one read (${s})`);
});

t.test("native: the exit is reported once every byte is in the file", { skip: !native && "native spawner not built" }, async (t) => {
  for (let i = 0; i < 5; i++) {
    const p = fresh("quick.log");
    const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
    const r = await runInto(request("head -c 700000 /dev/zero | tr '\\0' q; echo end"), { stdout: f }, p);
    t.equal(r.atExit.length, 700004, `run ${i}: the file is complete when the exit is reported`);
    await f.close();
  }
});

t.test("native: stdout and stderr into their own files", { skip: !native && "native spawner not built" }, async (t) => {
  const out = fresh("out.log");
  const err = fresh("err.log");
  const fo = new RotatingFile({ path: out, maxbytes: 0, backups: 0 });
  const fe = new RotatingFile({ path: err, maxbytes: 0, backups: 0 });
  const r = await runInto(request("for i in 1 2 3; do echo out$i; echo err$i >&2; done"), { stdout: fo, stderr: fe }, out);
  await Promise.all([fo.close(), fe.close()]);
  t.equal(r.viaJs, "");
  t.equal(fs.readFileSync(out, "utf8"), "out1\nout2\nout3\n");
  t.equal(fs.readFileSync(err, "utf8"), "err1\nerr2\nerr3\n");
});

/** A child that writes `count` lines, waits for `gate` to exist, then writes `count` more. */
const GATED = (count: number, width: number, gate: string) =>
  `${LINES(0, count, width)}; while [ ! -e ${gate} ]; do sleep 0.01; done; ${LINES(count, 2 * count, width)}`;

async function waitForSize(file: string, size: number): Promise<void> {
  while ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) < size) await new Promise((r) => setTimeout(r, 5));
}

t.test("native: logrotate's move + reopen while the child writes loses nothing", { skip: !native && "native spawner not built" }, async (t) => {
  const p = fresh("moving.log");
  const gate = `${p}.gate`;
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
  const count = 10000;
  const moved: string[] = [];
  const move = () => {
    if (!fs.existsSync(p)) return;
    const to = `${p}.${moved.length}`;
    fs.renameSync(p, to);
    moved.push(to);
    f.reopen();
  };
  let timer: NodeJS.Timeout | undefined;
  const r = await runInto(request(GATED(count, 64, gate)), { stdout: f }, p, () => {
    void (async () => {
      await waitForSize(p, count * 64);
      move(); // between the halves: the first half is in the moved file
      fs.writeFileSync(gate, "");
      timer = setInterval(move, 5); // and then while the second half streams
    })();
  });
  clearInterval(timer);
  await f.close();
  t.has(r.exit, { code: 0 });
  t.equal(fs.readFileSync(moved[0]!, "utf8"), expectedLines(0, count, 64), "the first move took exactly the first half");
  const text = moved.map((m) => fs.readFileSync(m, "utf8")).join("") + (fs.existsSync(p) ? fs.readFileSync(p, "utf8") : "");
  t.equal(text, expectedLines(0, 2 * count, 64), `old files (${moved.length}) + the new one hold every line once, in order`);
});

t.test("native: clear() between two bursts keeps exactly the second", { skip: !native && "native spawner not built" }, async (t) => {
  const p = fresh("cleared.log");
  const gate = `${p}.gate`;
  const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
  const count = 10000;
  const r = await runInto(request(GATED(count, 64, gate)), { stdout: f }, p, () => {
    void (async () => {
      await waitForSize(p, count * 64);
      f.clear();
      await f.flush();
      fs.writeFileSync(gate, "");
    })();
  });
  t.has(r.exit, { code: 0 });
  t.equal(r.atExit, expectedLines(count, count, 64));
  await f.close();
});

t.test("native: a write error goes to the file once, with the bytes lost; the rest comes through JS", { skip: !native && "native spawner not built" }, async (t) => {
  const full = fs.openSync("/dev/full", "w");
  t.teardown(() => fs.closeSync(full));
  const failures: DirectWriteFailure[] = [];
  let written = 0;
  const file: DirectFile = {
    attach(port) {
      port.target(full, 0);
      return true;
    },
    written: (n) => (written += n),
    detached: (f) => failures.push(f),
  };
  const total = 2 * 1024 * 1024;
  const r = await runInto(request(`head -c ${total} /dev/zero`), { stdout: file }, "/nonexistent");
  t.equal(written, 0);
  t.equal(failures.length, 1, "reported once, then read mode");
  t.match(failures[0], { errno: "ENOSPC" });
  t.ok(failures[0]!.lostBytes > 0);
  t.equal(failures[0]!.lostBytes + r.viaJs.length, total, "lost + read through JS = everything the child wrote");
});
