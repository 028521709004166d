import t from "tap";
import { expand } from "../../src/supervisord/config/expand.js";

type Expected = { ok: string } | { error: string };

// Expected results of supervisor.options.expand(s, {'a': "A'b", 'n': 7, 'b': 'é', 'here': '/h'}, 'sec.opt').
const CASES: [string, Expected][] = [
  ["plain", {"ok": "plain"}],
  ["%%", {"ok": "%"}],
  ["50%%s", {"ok": "50%s"}],
  ["%(a)s", {"ok": "A'b"}],
  ["%(n)02d", {"ok": "07"}],
  ["%(n)x", {"ok": "7"}],
  ["%(n)5.2f", {"ok": " 7.00"}],
  ["%(n)-4d|", {"ok": "7   |"}],
  ["%(n)+d", {"ok": "+7"}],
  ["%(a).1s", {"ok": "A"}],
  ["%(a)r", {"ok": "\"A'b\""}],
  ["%(n)#x", {"ok": "0x7"}],
  ["%(n)#o", {"ok": "0o7"}],
  ["%(n)e", {"ok": "7.000000e+00"}],
  ["%(n)g", {"ok": "7"}],
  ["%(n)3s|", {"ok": "  7|"}],
  ["%(b)s", {"ok": "é"}],
  ["%(n)c", {"ok": "\u0007"}],
  ["%", {"error": "Format string '%' for 'sec.opt' is badly formatted: incomplete format"}],
  ["%(a", {"error": "Format string '%(a' for 'sec.opt' is badly formatted: incomplete format key"}],
  ["%(a)", {"error": "Format string '%(a)' for 'sec.opt' is badly formatted: incomplete format"}],
  ["%(a)y", {"error": "Format string '%(a)y' for 'sec.opt' is badly formatted: unsupported format character 'y' (0x79) at index 4"}],
  ["%(a)d", {"error": "Format string '%(a)d' for 'sec.opt' is badly formatted: %d format: a real number is required, not str"}],
  ["%(a)f", {"error": "Format string '%(a)f' for 'sec.opt' is badly formatted: must be real number, not str"}],
  ["%(a)c", {"error": "Format string '%(a)c' for 'sec.opt' is badly formatted: %c requires int or char"}],
  ["%s %s", {"error": "Format string '%s %s' for 'sec.opt' is badly formatted: not enough arguments for format string"}],
  ["%(a)5", {"error": "Format string '%(a)5' for 'sec.opt' is badly formatted: incomplete format"}],
  ["%(n)%", {"error": "Format string '%(n)%' for 'sec.opt' is badly formatted: unsupported format character '%' (0x25) at index 4"}],
  ["%(x)s", {"error": "Format string '%(x)s' for 'sec.opt' contains names ('x') which cannot be expanded. Available names: a, b, here, n"}],
  ["%.3(a)s", {"error": "Format string '%.3(a)s' for 'sec.opt' is badly formatted: unsupported format character '(' (0x28) at index 3"}],
  ["%5%", {"error": "Format string '%5%' for 'sec.opt' is badly formatted: unsupported format character '%' (0x25) at index 2"}],
  ["%d", {"error": "Format string '%d' for 'sec.opt' is badly formatted: %d format: a real number is required, not dict"}],
  ["%(n)i", {"ok": "7"}],
  ["%(n)u", {"ok": "7"}],
  ["%(n)X", {"ok": "7"}],
  ["%(n)E", {"ok": "7.000000E+00"}],
  ["%(n)G", {"ok": "7"}],
  ["%(n)F", {"ok": "7.000000"}],
  ["%(n)010.3f", {"ok": "000007.000"}],
  ["%(n) d", {"ok": " 7"}],
  ["%(a)-6s|", {"ok": "A'b   |"}],
  ["%(n).3d", {"ok": "007"}],
];

const EXPANSIONS = new Map<string, string | number>([
  ["a", "A'b"],
  ["n", 7],
  ["b", "é"],
  ["here", "/h"],
]);

t.test("expand matches supervisord (Python %-format with a dict)", async (t) => {
  for (const [fmt, expected] of CASES) {
    if ("ok" in expected) t.equal(expand(fmt, EXPANSIONS, "sec.opt"), expected.ok, JSON.stringify(fmt));
    else t.throws(() => expand(fmt, EXPANSIONS, "sec.opt"), { message: expected.error, code: "EXPAND" }, JSON.stringify(fmt));
  }
});

t.test("a bare %s formats the whole mapping, like Python", async (t) => {
  t.equal(expand("[%s]", new Map<string, string | number>([["k", "v"], ["n", 1]]), "x"), "[{'k': 'v', 'n': 1}]");
});
