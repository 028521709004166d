import t from "tap";
import { IniDocument } from "../../src/supervisord/config/ini.js";
import { ConfigError } from "../../src/supervisord/config/errors.js";

type Expected = { ok: Record<string, Record<string, string>> } | { error: string };

// Expected results produced by supervisor.options.UnhosedConfigParser (CPython 3.11) reading
// the same text with source 'f.conf'.
const CASES: [string, Expected][] = [
  ["[s]\na=b ;c\nd=e;f\ng=h #i\nj=k#l\n", {"ok": {"s": {"a": "b", "d": "e;f", "g": "h", "j": "k#l"}}}],
  ["[s]\na=b;c ;d #e\n", {"ok": {"s": {"a": "b;c ;d"}}}],
  ["[s]\ncommand=/bin/echo a #x\n  more\n\n  ; comment\n\n  last\n\nnext=1\n", {"ok": {"s": {"command": "/bin/echo a\nmore\n\n\nlast", "next": "1"}}}],
  ["[s]\nkey: value\nk2 : v2 = x\nK3=Upper\n[S]\nx=1\n", {"ok": {"s": {"key": "value", "k2": "v2 = x", "k3": "Upper"}, "S": {"x": "1"}}}],
  ["[a]\nx=1\ny=2\n[b]\nz=3\n[a]\nx=9\n", {"ok": {"a": {"x": "9", "y": "2"}, "b": {"z": "3"}}}],
  ["[s] ; comment\n\tindented=1\n   more\n", {"ok": {"s": {"indented": "1\nmore"}}}],
  ["[s]\na=\nb =  \nc= spaced value  \n", {"ok": {"s": {"a": "", "b": "", "c": "spaced value"}}}],
  ["[s]\nnodelim\nother bad\n", {"error": "Source contains parsing errors: 'f.conf'\n\t[line  2]: 'nodelim\\n'\n\t[line  3]: 'other bad\\n'"}],
  ["a=1\n[s]\n", {"error": "File contains no section headers.\nfile: 'f.conf', line: 1\n'a=1\\n'"}],
  ["; only comments\n# here\n", {"ok": {}}],
  ["[s]\n=novalue\n", {"error": "Source contains parsing errors: 'f.conf'\n\t[line  2]: '=novalue\\n'"}],
  ["[s]\r\na=1\r\nb=2\r\n", {"ok": {"s": {"a": "1", "b": "2"}}}],
  ["[DEFAULT]\nd=1\n[s]\na=2\n", {"ok": {"s": {"a": "2", "d": "1"}}}],
  ["[s]\na=1\n  [notasection]\n", {"ok": {"s": {"a": "1\n[notasection]"}}}],
  ["[a]b]\nx=1\n[ spaced ]\ny=2\n", {"ok": {"a]b": {"x": "1"}, " spaced ": {"y": "2"}}}],
  ["[s]\na=x\n    \n    \n", {"ok": {"s": {"a": "x"}}}],
  ["[s]\nurl=http://h:1/x\nk:v=w\n", {"ok": {"s": {"url": "http://h:1/x", "k": "v=w"}}}],
  ["[s]\n# full\n  ;indented comment\na=1\n", {"ok": {"s": {"a": "1"}}}],
  ["[s]\na=1\n\n\n b\n", {"ok": {"s": {"a": "1\n\n\nb"}}}],
  ["[s]\na=1\n\t#c\n\tb\n", {"ok": {"s": {"a": "1\nb"}}}],
];

function dump(doc: IniDocument): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const s of doc.sections()) {
    out[s] = {};
    for (const k of doc.options(s)) out[s]![k] = doc.get(s, k)!.value;
  }
  return out;
}

t.test("INI dialect matches Python's RawConfigParser as supervisord configures it", async (t) => {
  for (const [text, expected] of CASES) {
    const doc = new IniDocument();
    if ("ok" in expected) {
      doc.read(text, "f.conf");
      t.same(dump(doc), expected.ok, JSON.stringify(text));
    } else {
      t.throws(() => doc.read(text, "f.conf"), { message: expected.error }, JSON.stringify(text));
    }
  }
});

t.test("every option remembers its file and line; sections their header", async (t) => {
  const doc = new IniDocument();
  doc.read("[a]\nx=1\n  cont\n\n[b]\ny=2\n", "main.conf");
  doc.read("[a]\nz=3\n[c]\nw=4\n", "inc.conf");
  t.match(doc.get("a", "x"), { value: "1\ncont", file: "main.conf", line: 2 });
  t.match(doc.get("a", "Z"), { value: "3", file: "inc.conf", line: 2 });
  t.match(doc.section("a"), { file: "main.conf", line: 1 });
  t.match(doc.section("c"), { file: "inc.conf", line: 3 });
  t.same(doc.sections(), ["a", "b", "c"]);
});

t.test("parse errors are ConfigErrors with the first bad line", async (t) => {
  const doc = new IniDocument();
  try {
    doc.read("[s]\nok=1\nbad line\n", "/etc/x.conf");
    t.fail("should throw");
  } catch (e) {
    t.ok(e instanceof ConfigError);
    t.equal((e as ConfigError).line, 3);
    t.equal((e as ConfigError).file, "/etc/x.conf");
    t.equal((e as ConfigError).code, "PARSE");
  }
});

t.test("expandHere replaces the literal %(here)s text only", async (t) => {
  const doc = new IniDocument();
  doc.read("[s]\na=%(here)s/x %(here)s\nb=%%(here)s\n", "f");
  doc.expandHere("/d");
  t.equal(doc.get("s", "a")!.value, "/d/x /d");
  // Python replaces the substring even after a %: "%%(here)s" becomes "%/d".
  t.equal(doc.get("s", "b")!.value, "%/d");
});
