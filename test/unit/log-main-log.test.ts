import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FakeClock } from "../../src/supervisord/clock.js";
import { MainLogger, formatAsctime, formatMainLogLine } from "../../src/supervisord/logs/main-log.js";
import { SyslogSender } from "../../src/supervisord/logs/syslog.js";

process.env.TZ = "UTC";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-main-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = () => path.join(dir, `main-${seq++}.log`);
const T0 = Date.UTC(2026, 10, 25, 14, 6, 29, 942); // 2026-11-25 14:06:29,942 UTC

t.test("asctime: local time, zero-padded, milliseconds truncated", async (t) => {
  t.equal(formatAsctime(T0), "2026-11-25 14:06:29,942");
  t.equal(formatAsctime(T0 + 0.99), "2026-11-25 14:06:29,942", "fraction of a ms truncated");
  t.equal(formatAsctime(Date.UTC(2026, 0, 2, 3, 4, 5, 7)), "2026-01-02 03:04:05,007");
  process.env.TZ = "Asia/Kolkata";
  try {
    t.equal(formatAsctime(T0), "2026-11-25 19:36:29,942", "follows the local zone (+05:30)");
  } finally {
    process.env.TZ = "UTC";
  }
});

t.test("line format and level codes", async (t) => {
  t.equal(formatMainLogLine(T0, "critical", "x"), "2026-11-25 14:06:29,942 CRIT x\n");
  const clock = new FakeClock(T0);
  const p = fresh();
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "blather", echo: false, clock });
  log.critical("c");
  log.error("e");
  log.warn("w");
  log.info("i");
  clock.advance(1001);
  log.debug("d");
  log.trace("t");
  log.blather("b");
  log.info("multi\nline\n  message");
  t.equal(
    fs.readFileSync(p, "utf8"),
    [
      "2026-11-25 14:06:29,942 CRIT c",
      "2026-11-25 14:06:29,942 ERRO e",
      "2026-11-25 14:06:29,942 WARN w",
      "2026-11-25 14:06:29,942 INFO i",
      "2026-11-25 14:06:30,943 DEBG d",
      "2026-11-25 14:06:30,943 TRAC t",
      "2026-11-25 14:06:30,943 BLAT b",
      "2026-11-25 14:06:30,943 INFO multi",
      "line",
      "  message",
      "",
    ].join("\n"),
    "lines reach the file at once, in order; multi-line messages verbatim",
  );
  await log.close();
});

t.test("level filtering: record level >= configured level", async (t) => {
  const p = fresh();
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "warn", echo: false, clock: new FakeClock(T0) });
  t.ok(log.isEnabledFor("critical"));
  t.ok(log.isEnabledFor("warn"));
  t.notOk(log.isEnabledFor("info"));
  log.info("dropped");
  log.debug("dropped");
  log.warn("kept");
  log.log("error", "kept too");
  log.setLevel("debug");
  t.equal(log.currentLevel, "debug");
  log.debug("now kept");
  log.trace("still dropped");
  t.same(
    fs.readFileSync(p, "utf8").trim().split("\n").map((l) => l.slice(24)),
    ["WARN kept", "ERRO kept too", "DEBG now kept"],
  );
  await log.close();
});

t.test("echo goes to the stream in the same format; no file when file is null", async (t) => {
  const out: string[] = [];
  const log = new MainLogger({ file: null, maxbytes: 0, backups: 0, level: "info", echo: true, clock: new FakeClock(T0), echoStream: { write: (s: string) => out.push(s) } });
  t.equal(log.path, null);
  log.info("hello");
  log.debug("hidden");
  t.same(out, ["2026-11-25 14:06:29,942 INFO hello\n"]);
  t.equal(log.handlerCount, 1);
  await log.close();
  log.info("after close");
  t.equal(out.length, 1, "ignored after close");
});

t.test("rotation with logfile_maxbytes / logfile_backups", async (t) => {
  const p = fresh();
  const log = new MainLogger({ file: p, maxbytes: 100, backups: 2, level: "info", echo: false, clock: new FakeClock(T0) });
  for (let i = 0; i < 10; i++) log.info(`message number ${i}`); // 46 bytes each
  await log.close();
  // 46, 92, 138 >= 100 -> rotate every 3 lines: .2 = lines 3-5, .1 = lines 6-8, base = line 9
  t.equal(fs.statSync(`${p}.1`).size, 138);
  t.equal(fs.statSync(`${p}.2`).size, 138);
  t.notOk(fs.existsSync(`${p}.3`));
  t.match(fs.readFileSync(p, "utf8"), /^\S+ \S+ INFO message number 9\n$/);
  t.match(fs.readFileSync(`${p}.2`, "utf8"), /number 3\n.*number 4\n.*number 5\n$/s);
});

t.test("clear(): like supervisor.clearLog, the new file starts empty", async (t) => {
  const p = fresh();
  const out: string[] = [];
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "info", echo: true, clock: new FakeClock(T0), echoStream: { write: (s: string) => out.push(s) } });
  log.info("before");
  log.clear();
  t.equal(fs.readFileSync(p, "utf8"), "", "recreated empty");
  t.same(out.slice(1), ["2026-11-25 14:06:29,942 INFO reopening log file\n", "2026-11-25 14:06:29,942 INFO reopening log file\n"], "once per handler");
  log.info("after");
  t.equal(fs.readFileSync(p, "utf8"), "2026-11-25 14:06:29,942 INFO after\n");
  fs.unlinkSync(p);
  t.throws(() => log.clear(), { code: "REMOVE_FAILED", errno: "ENOENT" });
  await log.close();
});

t.test("reopen(): follows the path after an external move", async (t) => {
  const p = fresh();
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "info", echo: false, clock: new FakeClock(T0) });
  log.info("one");
  fs.renameSync(p, `${p}.old`);
  log.info("two");
  log.reopen();
  log.info("three");
  await log.close();
  t.match(fs.readFileSync(`${p}.old`, "utf8"), /INFO one\n.*INFO two\n$/s);
  t.match(fs.readFileSync(p, "utf8"), /^\S+ \S+ INFO three\n$/);
});

t.test("open failure surfaces at construction", async (t) => {
  t.throws(() => new MainLogger({ file: path.join(dir, "nope", "x.log"), maxbytes: 0, backups: 0, level: "info", echo: false }), { code: "OPEN_FAILED" });
});

t.test("logfile=syslog: one message per line, each formatted", async (t) => {
  const sink = path.join(dir, "syslog.txt");
  const syslog = new SyslogSender({ command: ["sh", "-c", `cat >> ${sink}`] });
  const log = new MainLogger({ file: "syslog", maxbytes: 0, backups: 0, level: "info", echo: false, clock: new FakeClock(T0), syslog });
  t.equal(log.path, null);
  log.warn("first\nsecond\n");
  log.info("third");
  await log.close();
  t.equal(
    fs.readFileSync(sink, "utf8"),
    "2026-11-25 14:06:29,942 WARN first\n2026-11-25 14:06:29,942 WARN second\n2026-11-25 14:06:29,942 INFO third\n",
  );
});

t.test("syslog sender drops messages quietly when the helper cannot start", async (t) => {
  const s = new SyslogSender({ command: [path.join(dir, "no-such-logger")] });
  for (let i = 0; i < 5; i++) {
    s.send(`m${i}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await s.close();
  t.pass("no throw");
});

// ---- batch mode (the daemon's logger): one write per turn of the event loop ----

const nextTurn = () => new Promise((r) => setImmediate(r));

t.test("batch: the lines of one turn reach the file and the echo together, before the next I/O", async (t) => {
  const p = fresh();
  const out: string[] = [];
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "info", echo: true, batch: true, clock: new FakeClock(T0), echoStream: { write: (s: string) => out.push(s) } });
  log.info("one");
  log.warn("two");
  t.equal(fs.readFileSync(p, "utf8"), "", "not yet while the turn runs");
  await nextTurn();
  const lines = "2026-11-25 14:06:29,942 INFO one\n2026-11-25 14:06:29,942 WARN two\n";
  t.equal(fs.readFileSync(p, "utf8"), lines);
  t.same(out, [lines], "one echo write for the turn");
  log.info("three");
  await nextTurn();
  t.match(fs.readFileSync(p, "utf8"), /WARN two\n.*INFO three\n$/s, "the next turn appends");
  await log.close();
});

t.test("batch: rotation falls after the same lines as line by line", async (t) => {
  const sizes = async (batch: boolean) => {
    const p = fresh();
    const log = new MainLogger({ file: p, maxbytes: 100, backups: 5, level: "info", echo: false, batch, clock: new FakeClock(T0) });
    for (let i = 0; i < 10; i++) log.info(`message number ${i}${"x".repeat(i)}`);
    await nextTurn();
    const r = [p, `${p}.1`, `${p}.2`, `${p}.3`, `${p}.4`].map((f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : null));
    await log.close();
    return r;
  };
  const [lineByLine, batched] = [await sizes(false), await sizes(true)];
  t.same(batched, lineByLine);
  t.ok(lineByLine[3] !== null, "it did rotate several times");
});

t.test("batch: clear, reopen and close write the pending lines first", async (t) => {
  const p = fresh();
  const log = new MainLogger({ file: p, maxbytes: 0, backups: 0, level: "info", echo: false, batch: true, clock: new FakeClock(T0) });
  log.info("before the move");
  fs.renameSync(p, `${p}.old`);
  log.reopen();
  t.match(fs.readFileSync(`${p}.old`, "utf8"), /INFO before the move\n$/, "pending lines went to the old file");
  log.info("before the clear");
  log.clear();
  await nextTurn();
  t.equal(fs.readFileSync(p, "utf8"), "", "cleared: the new file starts empty, as line by line");
  log.info("last");
  await log.close();
  t.match(fs.readFileSync(p, "utf8"), /^\S+ \S+ INFO last\n$/, "close wrote it");
});

t.test("batch: lines logged right before process.exit() are in the file", async (t) => {
  const p = fresh();
  const mod = path.resolve(import.meta.dirname, "../../src/supervisord/logs/main-log.ts");
  const code = `import { MainLogger } from ${JSON.stringify(mod)};
    const log = new MainLogger({ file: ${JSON.stringify(p)}, maxbytes: 0, backups: 0, level: "info", echo: false, batch: true });
    log.critical("about to exit");
    process.exit(3);`;
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8" });
  t.equal(r.status, 3, r.stderr);
  t.match(fs.readFileSync(p, "utf8"), /CRIT about to exit\n$/);
});
