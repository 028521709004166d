import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { autoLogPattern, cleanupAutoLogs, createAutoLogFile } from "../../src/supervisord/logs/auto-logs.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-auto-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const warnings: string[] = [];
const sink = { warn: (m: string) => warnings.push(m) };

t.test("createAutoLogFile: name, mode 0600, empty, unique", async (t) => {
  const d = fs.mkdtempSync(path.join(dir, "create-"));
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const p = createAutoLogFile(d, "cat", "stdout", "supervisor");
    t.ok(path.isAbsolute(p));
    t.match(path.basename(p), /^cat-stdout---supervisor-[a-z0-9_]{8}\.log$/);
    seen.add(p);
    const st = fs.statSync(p);
    t.equal(st.mode & 0o777, 0o600);
    t.equal(st.size, 0);
  }
  t.equal(seen.size, 50);
  t.throws(() => createAutoLogFile(path.join(d, "missing"), "cat", "stderr", "supervisor"), { code: "ENOENT" });
});

t.test("cleanupAutoLogs removes this identifier's AUTO logs and their backups only", async (t) => {
  const d = fs.mkdtempSync(path.join(dir, "clean-"));
  const doomed = [
    createAutoLogFile(d, "web", "stdout", "supervisor"),
    createAutoLogFile(d, "web", "stderr", "supervisor"),
    path.join(d, "web-stdout---supervisor-abcdefgh.log.1"),
    path.join(d, "web-stdout---supervisor-abcdefgh.log.12"),
  ];
  const kept = [
    path.join(d, "web-stdout---other-abcdefgh.log"),
    path.join(d, "web.log"),
    path.join(d, "notes.txt"),
    path.join(d, "supervisorXlog"),
  ];
  for (const p of [...doomed, ...kept]) fs.writeFileSync(p, "x");
  warnings.length = 0;
  const removed = cleanupAutoLogs(d, "supervisor", sink);
  t.same(removed.sort(), doomed.sort());
  for (const p of kept) t.ok(fs.existsSync(p), `${path.basename(p)} kept`);
  t.same(warnings, []);
});

t.test("cleanup failures are WARN lines with the reference's texts", async (t) => {
  const d = fs.mkdtempSync(path.join(dir, "fail-"));
  warnings.length = 0;
  t.same(cleanupAutoLogs(path.join(d, "absent"), "supervisor", sink), []);
  t.same(warnings, ["Could not clear childlog dir"]);
  const stuck = path.join(d, "x-stdout---supervisor-abcdefgh.log");
  fs.mkdirSync(stuck); // a directory cannot be unlinked
  warnings.length = 0;
  cleanupAutoLogs(d, "supervisor", sink);
  t.same(warnings, [`Failed to clean up '${stuck}'`]);
});

t.test("identifiers are matched literally", async (t) => {
  t.ok(autoLogPattern("a.b").test("p-stdout---a.b-xxxxxxxx.log"));
  t.notOk(autoLogPattern("a.b").test("p-stdout---aXb-xxxxxxxx.log"));
});

const python = "/usr/bin/python3";
let haveReference = false;
try {
  execFileSync(python, ["-c", "import supervisor.options"], { stdio: "ignore" });
  haveReference = true;
} catch {
  haveReference = false;
}

t.test("the pattern matches the reference's on sample names", { skip: !haveReference && "reference not installed" }, async (t) => {
  const names = [
    "cat-stdout---supervisor-z4vr426k.log",
    "cat-stdout---supervisor-z4vr426k.log.1",
    "cat-stdout---supervisor-z4vr426k.log.12345",
    "cat-stdout---supervisor-z4vr426k.logx",
    "cat-stdout---supervisor-.log",
    "---supervisor-a.log",
    "x---supervisor-a.log",
    "x---supervisor-a b.log",
    "x---supervisor-ab.lo",
    "x---supervisors-ab.log",
    "x--supervisor-ab.log",
    "x---super-ab.log",
    "a---b---supervisor-c.log",
    "x---supervisor-a.log.",
  ];
  const script = `
import re, json, sys
fnre = re.compile(r'.+?---%s-\\S+\\.log\\.{0,1}\\d{0,4}' % 'supervisor')
print(json.dumps([bool(fnre.match(n)) for n in json.loads(sys.argv[1])]))
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script, JSON.stringify(names)], { encoding: "utf8" })) as boolean[];
  const re = autoLogPattern("supervisor");
  t.same(names.map((n) => re.test(n)), ref);
});
