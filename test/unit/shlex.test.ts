import t, { type Test } from "tap";
import { Shlex, ShlexError, shlexSplit } from "../../src/supervisord/config/shlex.js";

type Expected = string[] | { error: string };

// Expected values were produced by CPython 3.11's shlex (shlex.split, and shlex.shlex with
// supervisord's extra word characters "/.+-():" as used for environment=).
const SPLIT_CASES: [string, Expected][] = [
  ["/bin/cat", ["/bin/cat"]],
  ["a b  c", ["a", "b", "c"]],
  ["'a b' c", ["a b", "c"]],
  ["\"a b\" c", ["a b", "c"]],
  ["a\"b c\"d", ["ab cd"]],
  ["a\\ b", ["a b"]],
  ["\"esc\\\"q\"", ["esc\"q"]],
  ["'esc\\'q", ["esc\\q"]],
  ["a 'b", {"error": "No closing quotation"}],
  ["a \"b", {"error": "No closing quotation"}],
  ["a\\", {"error": "No escaped character"}],
  ["a#b c", ["a#b", "c"]],
  ["# not comment", ["#", "not", "comment"]],
  ["x\nmore", ["x", "more"]],
  ["bash -c 'foo ; bar'", ["bash", "-c", "foo ; bar"]],
  ["", []],
  ["   ", []],
  ["''", [""]],
  ["\"\"", [""]],
  ["a '' b", ["a", "", "b"]],
  ["\"a\\\\b\"", ["a\\b"]],
  ["\"a\\nb\"", ["a\\nb"]],
  ["'a\\nb'", ["a\\nb"]],
  ["echo $HOME", ["echo", "$HOME"]],
  ["café x", ["café", "x"]],
  ["a\tb\rc", ["a", "b", "c"]],
  ["\"'\"", ["'"]],
  ["'\"'", ["\""]],
  ["a=b,c=d", ["a=b,c=d"]],
];

const ENV_LEX_CASES: [string, Expected][] = [
  ["A=x,B=y", ["A", "=", "x", ",", "B", "=", "y"]],
  ["A=\"x,y\",B=plain", ["A", "=", "\"x,y\"", ",", "B", "=", "plain"]],
  ["A='sq v',B=\"dq v\"", ["A", "=", "'sq v'", ",", "B", "=", "\"dq v\""]],
  ["A=\"\"", ["A", "=", "\"\""]],
  ["A=x, B=y", ["A", "=", "x", ",", "B", "=", "y"]],
  ["A=a b", ["A", "=", "a", "b"]],
  ["A=$HOME", ["A", "=", "$", "HOME"]],
  ["A=50%", ["A", "=", "50", "%"]],
  ["A=a=b", ["A", "=", "a", "=", "b"]],
  ["A=x,,B=y", ["A", "=", "x", ",", ",", "B", "=", "y"]],
  ["A=\"a b\" B=c", ["A", "=", "\"a b\"", "B", "=", "c"]],
  ["A=\"esc\\\"q\"", ["A", "=", "\"esc\\\"", "q\""]],
  ["K.x=1", ["K.x", "=", "1"]],
  ["A=/usr/bin:/bin", ["A", "=", "/usr/bin:/bin"]],
  ["A=1,B", ["A", "=", "1", ",", "B"]],
  ["A=#x", ["A", "="]],
  ["A=x#y,B=1", ["A", "=", "x"]],
  ["A=\"unclosed", {"error": "No closing quotation"}],
  ["A=(x),B=-1+2", ["A", "=", "(x)", ",", "B", "=", "-1+2"]],
  ["PATH=/a/b:/c,HOME=/root", ["PATH", "=", "/a/b:/c", ",", "HOME", "=", "/root"]],
  ["A=é", ["A", "=", "é"]],
  ["A=x\nB=y", ["A", "=", "x", "B", "=", "y"]],
  ["A=it's", ["A", "=", "it's"]],
];

function check(t: Test, input: string, expected: Expected, run: () => string[]): void {
  if (Array.isArray(expected)) {
    t.same(run(), expected, JSON.stringify(input));
  } else {
    t.throws(run, new ShlexError(expected.error), JSON.stringify(input));
  }
}

t.test("shlexSplit matches Python shlex.split", async (t) => {
  for (const [input, expected] of SPLIT_CASES) check(t, input, expected, () => shlexSplit(input));
});

t.test("non-POSIX lexer with supervisord word chars matches Python", async (t) => {
  for (const [input, expected] of ENV_LEX_CASES) {
    check(t, input, expected, () => new Shlex(input, { extraWordchars: "/.+-():" }).tokens());
  }
});

t.test("ShlexError is a named error", async (t) => {
  try {
    shlexSplit("a 'b");
    t.fail("should throw");
  } catch (e) {
    t.ok(e instanceof ShlexError);
    t.equal((e as ShlexError).name, "ShlexError");
    t.equal((e as ShlexError).message, "No closing quotation");
  }
});
