import t from "tap";
import { execFileSync } from "node:child_process";
import { LEVEL_CODES, LEVEL_NAMES, LEVEL_NUMBERS, levelEnabled, parseLevelName } from "../../src/supervisord/logs/levels.js";

t.test("numbers and codes", async (t) => {
  t.same(
    LEVEL_NAMES.map((n) => [n, LEVEL_NUMBERS[n], LEVEL_CODES[n]]),
    [
      ["critical", 50, "CRIT"],
      ["error", 40, "ERRO"],
      ["warn", 30, "WARN"],
      ["info", 20, "INFO"],
      ["debug", 10, "DEBG"],
      ["trace", 5, "TRAC"],
      ["blather", 3, "BLAT"],
    ],
  );
  t.equal(parseLevelName("DEBUG"), "debug");
  t.equal(parseLevelName("warning"), null);
  t.ok(levelEnabled("warn", "warn"));
  t.ok(levelEnabled("critical", "info"));
  t.notOk(levelEnabled("debug", "info"));
  t.ok(levelEnabled("blather", "blather"));
});

let ref: Record<string, [number, string]> | null = null;
try {
  const script = `
import json
from supervisor.loggers import LevelsByDescription, LOG_LEVELS_BY_NUM
names = ["critical", "error", "warn", "info", "debug", "trace", "blather"]
print(json.dumps({n: [getattr(LevelsByDescription, n), LOG_LEVELS_BY_NUM[getattr(LevelsByDescription, n)]] for n in names}))
`;
  ref = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" }));
} catch {
  ref = null;
}
t.test("same as supervisor.loggers", { skip: !ref && "reference not installed" }, async (t) => {
  for (const n of LEVEL_NAMES) t.same([LEVEL_NUMBERS[n], LEVEL_CODES[n]], ref![n], n);
});
