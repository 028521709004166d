import t from "tap";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { readLogSlice, tailLog } from "../../src/supervisord/logs/log-reader.js";
import { LogReadError } from "../../src/supervisord/logs/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-reader-"));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const file18 = path.join(dir, "eighteen.log");
fs.writeFileSync(file18, "0123456789abcdefgh"); // 18 bytes

function kindOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof LogReadError ? err.kind : "other";
  }
}

t.test("readLogSlice offset/length table (§8.6)", async (t) => {
  t.equal(readLogSlice(file18, -5, 0), "defgh", "negative offset, zero length: last bytes");
  t.equal(readLogSlice(file18, -100, 0), "0123456789abcdefgh", "whole file when shorter");
  t.equal(kindOf(() => readLogSlice(file18, -5, 3)), "BAD_ARGUMENTS");
  t.equal(kindOf(() => readLogSlice(file18, 0, -1)), "BAD_ARGUMENTS");
  t.equal(readLogSlice(file18, 10, 0), "abcdefgh", "offset to EOF");
  t.equal(readLogSlice(file18, 18, 0), "");
  t.equal(readLogSlice(file18, 100, 0), "");
  t.equal(readLogSlice(file18, 2, 3), "234");
  t.equal(readLogSlice(file18, 16, 100), "gh");
  t.equal(readLogSlice(file18, 0, 0), "0123456789abcdefgh");
});

t.test("readLogSlice errors", async (t) => {
  t.equal(kindOf(() => readLogSlice(path.join(dir, "missing.log"), 0, 0)), "NO_FILE");
  t.equal(kindOf(() => readLogSlice(dir, 0, 0)), "FAILED", "a directory cannot be read");
  // NO_FILE wins over BAD_ARGUMENTS, as the RPC layer checks existence first.
  t.equal(kindOf(() => readLogSlice(path.join(dir, "missing.log"), -1, 1)), "NO_FILE");
});

t.test("invalid UTF-8 is decoded with replacement instead of failing", async (t) => {
  const f = path.join(dir, "latin.log");
  fs.writeFileSync(f, Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0x0a]));
  t.equal(readLogSlice(f, 0, 0), "café \uFFFD\n");
  t.equal(readLogSlice(f, 0, 4), "caf\uFFFD", "a cut multi-byte character becomes U+FFFD");
});

t.test("tailLog examples (§8.6)", async (t) => {
  t.same(tailLog(file18, 0, 5), ["defgh", 18, true]);
  t.same(tailLog(file18, 0, 100), ["0123456789abcdefgh", 18, false]);
  t.same(tailLog(file18, 100, 100), ["", 18, false]);
  t.same(tailLog(file18, 18, 1024), ["", 18, false], "caught up");
  // Reference quirk: when offset + length passes EOF it returns the last `length` bytes, not the bytes from offset.
  t.same(tailLog(file18, 10, 1024), ["0123456789abcdefgh", 18, false], "last length bytes, not from offset");
  t.same(tailLog(file18, 10, 4), ["efgh", 18, true], "overflow moves to the end");
  t.same(tailLog(path.join(dir, "missing.log"), 7, 10), ["", 0, false]);
});

// Differential check against the reference implementation when it is installed.
const python = "/usr/bin/python3";
let haveReference = false;
try {
  execFileSync(python, ["-c", "import supervisor.options"], { stdio: "ignore" });
  haveReference = true;
} catch {
  haveReference = false;
}

t.test("same results as supervisor.options.readFile/tailFile", { skip: !haveReference && "reference not installed" }, async (t) => {
  const values = [-100, -18, -17, -5, -1, 0, 1, 5, 17, 18, 19, 100];
  const cases: [number, number][] = [];
  for (const o of values) for (const l of values) cases.push([o, l]);
  const script = `
import json, sys
from supervisor.options import readFile, tailFile
path, cases = sys.argv[1], json.loads(sys.argv[2])
out = []
for o, l in cases:
    try:
        r = ["ok", readFile(path, o, l).decode("latin-1")]
    except ValueError as e:
        r = ["err", e.args[0]]
    out.append([r, tailFile(path, o, l)])
print(json.dumps(out))
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script, file18, JSON.stringify(cases)], { encoding: "utf8" })) as [
    [string, string],
    [string, number, boolean],
  ][];
  cases.forEach(([o, l], i) => {
    const [expectRead, expectTail] = ref[i]!;
    let got: [string, string];
    try {
      got = ["ok", readLogSlice(file18, o, l)];
    } catch (err) {
      got = ["err", (err as LogReadError).kind];
    }
    t.same(got, expectRead, `readFile(${o}, ${l})`);
    t.same(tailLog(file18, o, l), expectTail, `tailFile(${o}, ${l})`);
  });
});
