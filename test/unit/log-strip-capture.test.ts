import t from "tap";
import { execFileSync } from "node:child_process";
import { stripAnsi } from "../../src/supervisord/logs/strip-ansi.js";
import { BEGIN_TOKEN, END_TOKEN, CaptureBuffer, CaptureScanner, prefixAtEnd, type CaptureStep } from "../../src/supervisord/logs/capture.js";

const b = (s: string) => Buffer.from(s, "latin1");
const s = (x: Buffer) => x.toString("latin1");

t.test("stripAnsi", async (t) => {
  t.equal(s(stripAnsi(b("plain text\n"))), "plain text\n");
  const plain = b("no escapes");
  t.equal(stripAnsi(plain), plain, "same buffer when nothing to strip");
  t.equal(s(stripAnsi(b("\x1b[31mred\x1b[0m normal\n"))), "red normal\n");
  t.equal(s(stripAnsi(b("\x1b[2J\x1b[1;1Hhome"))), "home");
  t.equal(s(stripAnsi(b("a\x1b[31"))), "a", "unterminated sequence drops the rest of the chunk");
  t.equal(s(stripAnsi(b("1mtail"))), "1mtail", "no state across chunks (reference behaviour)");
  t.equal(s(stripAnsi(b("a\x1b"))), "a\x1b", "a lone ESC at the end stays");
  t.equal(s(stripAnsi(b("x\x1bYz"))), "x\x1bYz", "ESC not followed by [ stays");
  t.equal(s(stripAnsi(b("\x1b[[m!"))), "!");
  t.equal(s(stripAnsi(b("\x1b[?25lhidden cursor\x1b[?25h"))), "hidden cursor");
});

const python = "/usr/bin/python3";
let haveReference = false;
try {
  execFileSync(python, ["-c", "import supervisor.dispatchers"], { stdio: "ignore" });
  haveReference = true;
} catch {
  haveReference = false;
}

t.test("stripAnsi and prefixAtEnd match the reference on random input", { skip: !haveReference && "reference not installed" }, async (t) => {
  const alphabet = ["\x1b", "[", "m", "H", "1", ";", "a", " ", "\n", "K", "<", "!", "-", "X", "S", ":", "B", "E", "N", "D", ">", "G", "I", "U", "P", "R", "O", "V"];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const inputs: string[] = [];
  for (let i = 0; i < 400; i++) {
    let x = "";
    const len = rnd(40);
    for (let j = 0; j < len; j++) x += rnd(4) === 0 ? "\x1b[" : alphabet[rnd(alphabet.length)];
    // Sometimes end with a piece of a token.
    if (rnd(3) === 0) x += s(BEGIN_TOKEN).slice(0, rnd(BEGIN_TOKEN.length));
    if (rnd(3) === 0) x += s(END_TOKEN).slice(0, rnd(END_TOKEN.length));
    inputs.push(x);
  }
  const script = `
import json, sys
from supervisor.dispatchers import stripEscapes
from supervisor.medusa.asynchat_25 import find_prefix_at_end
ins = json.loads(sys.stdin.read())
out = []
for x in ins:
    d = x.encode("latin-1")
    out.append([stripEscapes(d).decode("latin-1"),
                find_prefix_at_end(d, b"<!--XSUPERVISOR:BEGIN-->"),
                find_prefix_at_end(d, b"<!--XSUPERVISOR:END-->")])
print(json.dumps(out))
`;
  const ref = JSON.parse(execFileSync(python, ["-c", script], { input: JSON.stringify(inputs), encoding: "utf8" })) as [string, number, number][];
  let mismatches = 0;
  inputs.forEach((x, i) => {
    const [stripped, pb, pe] = ref[i]!;
    if (s(stripAnsi(b(x))) !== stripped || prefixAtEnd(b(x), BEGIN_TOKEN) !== pb || prefixAtEnd(b(x), END_TOKEN) !== pe) {
      mismatches++;
      t.fail(`differs on ${JSON.stringify(x)}`);
    }
  });
  t.equal(mismatches, 0, `${inputs.length} random inputs identical`);
});

/** Runs chunks through a scanner and renders the steps: data as text, toggles as [ / ]. */
function scan(chunks: string[], flush = true): string {
  const sc = new CaptureScanner();
  let out = "";
  const emit = (st: CaptureStep) => (out += st.kind === "data" ? `(${s(st.data)})` : st.capturing ? "[" : "]");
  for (const c of chunks) sc.feed(b(c), emit);
  if (flush) sc.flush(emit);
  return out;
}

t.test("capture scanner", async (t) => {
  const B = s(BEGIN_TOKEN);
  const E = s(END_TOKEN);
  t.equal(scan([`before${B}captured data${E}after\n`]), "(before)[(captured data)](after\n)", "spec example");
  t.equal(scan(["plain"]), "(plain)", "short output is not held when it cannot start a token");
  t.equal(scan(["abc<!--XSUP", "ERVISOR:BEGIN-->x"]), "(abc)[(x)", "token split across reads is held back");
  t.equal(scan(["abc<!--XSUP", "ERMAN"]), "(abc)(<!--XSUPERMAN)", "a false prefix is released with the next chunk");
  t.equal(scan(["abc<!--"]), "(abc)(<!--)", "held bytes released at flush");
  t.equal(scan(["abc<!--"], false), "(abc)", "held until decidable");
  t.equal(scan([B, E]), "[]", "empty capture");
  t.equal(scan([`${B}a${E}${B}b${E}tail`]), "[(a)][(b)](tail)", "several in one chunk");
  const chars = `x${B}yy${E}z`.split("");
  t.equal(scan(chars).replace(/\)\(/g, ""), "(x)[(yy)](z)", "one byte per read");
  t.equal(scan([`${E}`]), `(${E})`, "END outside capture mode is ordinary output");
});

t.test("capture buffer drops the oldest len(chunk) bytes on overflow (BoundIO)", async (t) => {
  const c = new CaptureBuffer(10);
  c.write(b("123456"));
  c.write(b("abcd"));
  t.equal(s(c.value), "123456abcd", "exactly maxbytes fits");
  c.write(b("XY"));
  t.equal(s(c.value), "3456abcdXY");
  c.write(b("LMNOP"));
  t.equal(s(c.value), "bcdXYLMNOP");
  const d = new CaptureBuffer(10);
  d.write(b("123456789"));
  d.write(b("abc"));
  t.equal(s(d.value), "456789abc", "shorter than maxbytes after the drop");
  d.write(b("0123456789ABCD"));
  t.equal(s(d.value), "0123456789ABCD", "a chunk larger than maxbytes is kept whole");
  d.clear();
  t.equal(d.value.length, 0);
});
