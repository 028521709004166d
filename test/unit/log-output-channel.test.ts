import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { OutputChannel, type OutputChannelOptions, type DebugLogSink } from "../../src/supervisord/logs/output-channel.js";
import { SyslogSender } from "../../src/supervisord/logs/syslog.js";
import type { LogLevelName } from "../../src/supervisord/logs/levels.js";
import { LEVEL_NUMBERS } from "../../src/supervisord/logs/levels.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-channel-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = () => path.join(dir, `ch-${seq++}.log`);
const BEGIN = "<!--XSUPERVISOR:BEGIN-->";
const END = "<!--XSUPERVISOR:END-->";

class FakeMainLog implements DebugLogSink {
  lines: string[] = [];
  constructor(private level: LogLevelName) {}
  isEnabledFor(level: LogLevelName): boolean {
    return LEVEL_NUMBERS[level] >= LEVEL_NUMBERS[this.level];
  }
  debug(message: string): void {
    if (this.isEnabledFor("debug")) this.lines.push(message);
  }
}

function make(over: Partial<OutputChannelOptions> = {}) {
  const mainLog = new FakeMainLog("debug");
  const logs: string[] = [];
  const comms: string[] = [];
  const opts: OutputChannelOptions = {
    processName: "cat",
    channel: "stdout",
    logfile: fresh(),
    maxbytes: 0,
    backups: 0,
    syslog: false,
    captureMaxbytes: 0,
    eventsEnabled: true,
    stripAnsi: false,
    mainLog,
    onLog: (d) => logs.push(d.toString("latin1")),
    onCommunication: (d) => comms.push(d.toString("latin1")),
    ...over,
  };
  return { ch: new OutputChannel(opts), mainLog, logs, comms, file: opts.logfile };
}

t.test("chunks go verbatim to the file, the debug log and PROCESS_LOG", async (t) => {
  const { ch, mainLog, logs, file } = make();
  ch.write(Buffer.from("hello\n"));
  ch.write(Buffer.from("caf\xc3\xa9 \xff\n", "latin1"));
  await ch.close();
  t.equal(fs.readFileSync(file!, "latin1"), "hello\ncaf\xc3\xa9 \xff\n");
  t.same(mainLog.lines, ["'cat' stdout output:\nhello\n", "'cat' stdout output:\nUndecodable: b'caf\\xc3\\xa9 \\xff\\n'"]);
  t.same(logs, ["hello\n", "caf\xc3\xa9 \xff\n"]);
});

t.test("no debug lines above debug level, no events when disabled, no file for NONE", async (t) => {
  const mainLog = new FakeMainLog("info");
  const { ch, logs } = make({ mainLog, eventsEnabled: false, logfile: null, channel: "stderr" });
  t.equal(ch.logfile, null);
  t.equal(ch.write(Buffer.from("x")), true);
  await ch.close();
  t.same(mainLog.lines, []);
  t.same(logs, []);
});

t.test("capture mode: spec §6.4 example and the observed quirks", async (t) => {
  const { ch, mainLog, logs, comms, file } = make({ captureMaxbytes: 1024 });
  ch.write(Buffer.from(`before${BEGIN}captured data${END}after\n`));
  await ch.close();
  t.equal(fs.readFileSync(file!, "utf8"), "beforeafter\n", "captured text kept out of the file");
  t.same(comms, ["captured data"]);
  t.same(logs, ["before", "captured data", "after\n"], "PROCESS_LOG still carries the captured text");
  t.same(mainLog.lines, [
    "'cat' stdout output:\nbefore",
    "'cat' stdout output:\ncaptured data",
    "'cat' stdout emitted a comm event",
    "'cat' stdout output:\nafter\n",
  ]);
});

t.test("capture mode: tokens split across reads, overflow, capturemode flag", async (t) => {
  const { ch, comms, file } = make({ captureMaxbytes: 8, eventsEnabled: false });
  ch.write(Buffer.from("a<!--XSUPERVI"));
  ch.write(Buffer.from("SOR:BEGIN-->0123"));
  t.equal(ch.capturemode, true);
  ch.write(Buffer.from("456789"));
  ch.write(Buffer.from("ab<!--XSUPERVISOR:E"));
  ch.write(Buffer.from("ND-->z"));
  t.equal(ch.capturemode, false);
  ch.write(Buffer.from("<!--"));
  await ch.close();
  // 0123 + 456789 > 8: the oldest 6 bytes go (all of 0123); then ab fits exactly.
  t.same(comms, ["456789ab"], "oldest len(chunk) bytes dropped on overflow");
  t.equal(fs.readFileSync(file!, "utf8"), "az<!--", "held-back bytes are written at close");
});

t.test("without capture, tokens are ordinary output", async (t) => {
  const { ch, comms, file } = make();
  ch.write(Buffer.from(`x${BEGIN}y${END}`));
  await ch.close();
  t.equal(fs.readFileSync(file!, "utf8"), `x${BEGIN}y${END}`);
  t.same(comms, []);
});

t.test("strip_ansi applies to the file, events and debug lines", async (t) => {
  const { ch, mainLog, logs, file } = make({ stripAnsi: true });
  ch.write(Buffer.from("\x1b[31mred\x1b[0m\n"));
  await ch.close();
  t.equal(fs.readFileSync(file!, "utf8"), "red\n");
  t.same(logs, ["red\n"]);
  t.same(mainLog.lines, ["'cat' stdout output:\nred\n"]);
});

t.test("clear(): base file recreated empty, backups kept, capture buffer emptied", async (t) => {
  const { ch, comms, file } = make({ maxbytes: 10, backups: 2, captureMaxbytes: 100, eventsEnabled: false });
  ch.write(Buffer.from("0123456789AB")); // rotates into .1
  ch.write(Buffer.from("more"));
  ch.write(Buffer.from(`${BEGIN}lost`));
  ch.clear();
  ch.write(Buffer.from(`kept${END}after`));
  await ch.close();
  t.equal(fs.readFileSync(file!, "utf8"), "after");
  t.equal(fs.readFileSync(`${file}.1`, "utf8"), "0123456789AB");
  t.same(comms, ["kept"]);
});

t.test("reopen() follows the path", async (t) => {
  const { ch, file } = make();
  ch.write(Buffer.from("one\n"));
  await ch.flush();
  fs.renameSync(file!, `${file}.old`);
  ch.reopen();
  ch.write(Buffer.from("two\n"));
  await ch.close();
  t.equal(fs.readFileSync(`${file}.old`, "utf8"), "one\n");
  t.equal(fs.readFileSync(file!, "utf8"), "two\n");
});

t.test("open failure throws at construction", async (t) => {
  t.throws(() => make({ logfile: path.join(dir, "missing", "x.log") }), { code: "OPEN_FAILED", errno: "ENOENT" });
});

t.test("<channel>_syslog sends each line prefixed with the process name", async (t) => {
  const sinkFile = path.join(dir, "syslog-child.txt");
  const syslogSender = new SyslogSender({ command: ["sh", "-c", `cat >> ${sinkFile}`] });
  const { ch } = make({ syslog: true, syslogSender, logfile: null });
  ch.write(Buffer.from("line one\nline two\n"));
  ch.write(Buffer.from("partial"));
  await ch.close();
  await syslogSender.close();
  t.equal(fs.readFileSync(sinkFile, "utf8"), "cat line one\ncat line two\ncat partial\n");
});

t.test("300 MB from a real child through the channel: every byte, in order, across rotations", { timeout: 300000 }, async (t) => {
  const TOTAL = 300 * 1024 * 1024;
  const PATTERN = "0123456789abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ!\n"; // 65 bytes
  const file = fresh();
  const maxbytes = 40 * 1024 * 1024;
  let pauses = 0;
  let drains = 0;
  const child = spawn("sh", ["-c", `yes '${PATTERN.slice(0, -1)}' | head -c ${TOTAL}`], { stdio: ["ignore", "pipe", "inherit"] });
  const ch = new OutputChannel({
    processName: "spew",
    channel: "stdout",
    logfile: file,
    maxbytes,
    backups: 10,
    syslog: false,
    captureMaxbytes: 0,
    eventsEnabled: false,
    stripAnsi: false,
    mainLog: new FakeMainLog("info"),
    highWaterMark: 1024 * 1024,
    onDrain: () => {
      drains++;
      child.stdout.resume();
    },
  });
  let received = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (!ch.write(chunk)) {
      pauses++;
      child.stdout.pause();
    }
  });
  await new Promise<void>((resolve) => child.stdout.once("end", () => resolve()));
  await ch.close();
  t.equal(received, TOTAL);
  const files: string[] = [];
  for (let i = 10; i >= 1; i--) if (fs.existsSync(`${file}.${i}`)) files.push(`${file}.${i}`);
  files.push(file);
  t.equal(files.length, Math.ceil(TOTAL / maxbytes), "rotated as expected, no backup lost");
  const sizes = files.map((f) => fs.statSync(f).size);
  t.equal(sizes.reduce((a, b) => a + b, 0), TOTAL, "sum of base and backups equals what was written");
  // Same content as what `yes | head` produced: compare hashes streaming over the files.
  const expected = createHash("sha256");
  const block = Buffer.from(PATTERN.repeat(16384));
  let left = TOTAL;
  while (left > 0) {
    const n = Math.min(left, block.length);
    expected.update(n === block.length ? block : block.subarray(0, n));
    left -= n;
  }
  const actual = createHash("sha256");
  for (const f of files) actual.update(fs.readFileSync(f));
  t.equal(actual.digest("hex"), expected.digest("hex"), "identical bytes in order");
  t.equal(pauses, drains, `every pause (${pauses}) was followed by a drain`);
  for (const f of files) fs.rmSync(f);
});
