/**
 * Rules files: the spec's example read in full, matching (names, longest pattern, defaults), models
 * and aliases, formulas, and the message of every kind of bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { evaluateFormula, loadRules, parseFormula, RulesError } from "../../src/supvisors/rules/index.js";

const EXAMPLE = join(import.meta.dirname, "../fixtures/supvisors-rules/example.xml");

const dir = mkdtempSync(join(tmpdir(), "sv-rules-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(body: string): string {
  const f = join(dir, `r${n++}.xml`);
  writeFileSync(f, body);
  return f;
}
const wrap = (inner: string) => `<?xml version="1.0"?>\n<root>\n${inner}\n</root>\n`;

async function errorOf(body: string): Promise<string> {
  const f = file(body);
  try {
    await loadRules([f]);
  } catch (err) {
    if (err instanceof RulesError) return err.message.replace(f, "FILE");
    throw err;
  }
  throw new Error("no error");
}

t.test("the spec's example: applications, programs, models, aliases, patterns", async (t) => {
  const rules = await loadRules([EXAMPLE], { startingStrategy: "MOST_LOADED" });
  t.same(rules.applicationRulesPayload("backbone"), {
    managed: true,
    distribution: "ALL_INSTANCES",
    identifiers: ["*"],
    start_sequence: 1,
    stop_sequence: 9,
    starting_strategy: "MOST_LOADED",
    starting_failure_strategy: "STOP",
    running_failure_strategy: "CONTINUE",
    status_formula: "'broker' and any('worker_.*')",
  });
  t.same(rules.processRulesPayload("backbone", "broker"), {
    identifiers: ["srv01", "srv02", "srv03"],
    start_sequence: 2,
    stop_sequence: 2,
    required: true,
    wait_exit: false,
    expected_loading: 10,
    starting_failure_strategy: "STOP",
    running_failure_strategy: "RESTART_PROCESS",
  }, "two levels of models, the alias expanded, the application's defaults");
  t.same(rules.processRules("backbone", "init_db").identifiers, ["srv01"]);
  t.equal(rules.processRules("backbone", "init_db").waitExit, true);
  const worker = rules.processRules("backbone", "worker_07");
  t.equal(worker.hashSign, "#");
  t.same(worker.identifiers, ["srv01", "srv02", "srv03"]);
  t.same(rules.processRulesPayload("backbone", "worker_07").identifiers, [], "empty while # is unresolved");
  t.equal(worker.expectedLoading, 20);
  // pattern application, unanchored search
  const hmi = rules.applicationRules("old_hmi_02");
  t.equal(hmi.managed, true);
  t.equal(hmi.distribution, "SINGLE_INSTANCE");
  t.same(hmi.identifiers, ["#", "cons01", "cons02"]);
  t.equal(hmi.startingStrategy, "LESS_LOADED");
  t.equal(rules.processRules("hmi_01", "display").runningFailureStrategy, "STOP_APPLICATION");
  // defaults
  t.same(rules.applicationRulesPayload("other"), { managed: false });
  t.equal(rules.applicationRules("other").stopSequence, 0);
  t.same(rules.processRulesPayload("other", "x"), {
    identifiers: ["*"], start_sequence: 0, stop_sequence: 0, required: false, wait_exit: false, expected_loading: 0, starting_failure_strategy: "ABORT", running_failure_strategy: "CONTINUE",
  });
  t.same(rules.processRules("backbone", "unknown").startingFailureStrategy, "STOP", "an unmatched program of a managed application inherits its defaults");
});

t.test("no rules file: everything unmanaged, stopped last", async (t) => {
  const rules = await loadRules([]);
  t.equal(rules.applicationRules("x").managed, false);
  t.equal(rules.applicationRules("x").stopSequence, -1);
});

t.test("the longest pattern match wins, the first one on ties; names before patterns; first file wins for names", async (t) => {
  const a = file(wrap(`<application pattern="prg"><start_sequence>1</start_sequence></application>
<application pattern="prg_\\d"><start_sequence>2</start_sequence></application>
<application pattern="p.g"><start_sequence>3</start_sequence></application>
<application name="prg_1x"><start_sequence>4</start_sequence></application>`));
  const b = file(wrap(`<application name="prg_1x"><start_sequence>5</start_sequence></application>`));
  const rules = await loadRules([a, b]);
  t.equal(rules.applicationRules("dummy_prg_2").startSequence, 2);
  t.equal(rules.applicationRules("dummy_prg").startSequence, 1, "tie between 'prg' and 'p.g': the first");
  t.equal(rules.applicationRules("prg_1x").startSequence, 4, "exact name, from the first file");
});

t.test("# and @ only in pattern program rules; required needs a start sequence", async (t) => {
  const rules = await loadRules([file(wrap(`<application name="a"><programs>
<program name="x"><identifiers>#</identifiers><required>true</required></program>
<program pattern="y_"><identifiers>@,n1,n2</identifiers><start_sequence>1</start_sequence><required>yes</required></program>
</programs></application>`))]);
  const x = rules.processRules("a", "x");
  t.equal(x.hashSign, "none");
  t.same(x.identifiers, ["*"]);
  t.equal(x.required, false);
  const y = rules.processRules("a", "y_3");
  t.equal(y.hashSign, "@");
  t.same(y.identifiers, ["n1", "n2"]);
  t.equal(y.required, true);
});

t.test("formulas: exact names, anchored patterns, any/all, errors", async (t) => {
  const s = new Map([
    ["db", true],
    ["backup", false],
    ["worker_1", true],
    ["worker_2", false],
  ]);
  t.equal(evaluateFormula(parseFormula("'db' and not 'backup'"), s), true);
  t.equal(evaluateFormula(parseFormula("all('worker_.*')"), s), false);
  t.equal(evaluateFormula(parseFormula('any("worker_.*") and "db"'), s), true);
  t.equal(evaluateFormula(parseFormula("'worker_.*' and 'db'"), s), "error", "a list under and");
  t.equal(evaluateFormula(parseFormula("'orker'"), s), "error", "anchored: no match");
  t.equal(evaluateFormula(parseFormula("all('db')"), s), true, "one bool in any/all");
  t.equal(evaluateFormula(parseFormula("('db' or 'backup') and not ('backup')"), s), true);
  for (const bad of ["", "'db' and", "foo('x')", "'db' 'x'", "'unterminated", "db"]) t.throws(() => parseFormula(bad), { name: "FormulaSyntaxError" }, bad);
});

t.test("bad input stops the load with file, line, element and value", async (t) => {
  t.equal(await errorOf("<root><application name='a'></root>"), "FILE:1: malformed XML: Expected closing tag 'application' (opened in line 1, col 7) instead of closing tag 'root'.");
  t.equal(await errorOf(wrap(`<application name="a">\n  <start_sequence>-1</start_sequence>\n</application>`)), 'FILE:4: <application name="a">: invalid value for start_sequence: "-1" (integer in 0..127 expected)');
  t.equal(await errorOf(wrap(`<application name="a"><programs>\n<program name="p"><expected_loading>101</expected_loading></program></programs></application>`)), 'FILE:4: <program name="p">: invalid value for expected_loading: "101" (integer in 0..100 expected)');
  t.match(await errorOf(wrap(`<application name="a"><distribution>ALL</distribution></application>`)), /^FILE:3: <application name="a">: invalid value for distribution: "ALL" \(one of ALL_INSTANCES, SINGLE_INSTANCE, SINGLE_NODE expected\)$/);
  t.match(await errorOf(wrap(`<application name="a"><programs><program name="p"><required>maybe</required></program></programs></application>`)), /<program name="p">: invalid value for required: "maybe" \(boolean expected\)/);
  t.match(await errorOf(wrap(`<application name="a"><programs><program name="p"><reference>nope</reference></program></programs></application>`)), /<program name="p">: reference to an unknown model "nope"/);
  t.match(await errorOf(wrap(`<model name="m1"><reference>m2</reference></model><model name="m2"><reference>m1</reference></model>`)), /reference cycle through model/);
  t.match(await errorOf(wrap(`<application name="a"><operational_status>'x' and</operational_status></application>`)), /<application name="a">: invalid operational_status "'x' and": unexpected end of formula/);
  t.match(await errorOf(wrap(`<application pattern="(">x</application>`)), /<application pattern="\(">: invalid pattern "\("/);
  t.match(await errorOf(wrap(`<application><start_sequence>1</start_sequence></application>`)), /<application>: a name or pattern attribute is required/);
  t.match(await errorOf(wrap(`<application name="a"><colour>red</colour></application>`)), /<application name="a">: unknown element <colour>/);
  t.match(await errorOf(wrap(`<application name="a"><identifiers>@</identifiers></application>`)), /'@' is not supported for applications/);
  t.match(await errorOf(wrap(`<program name="x"/>`)), /unknown element <program> \(alias, model or application expected\)/);
  await t.rejects(loadRules([join(dir, "missing.xml")]), { code: "READ_FAILED", message: /missing\.xml: cannot read the rules file/ });
});
