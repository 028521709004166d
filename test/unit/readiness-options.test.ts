/** Readiness options (ours): parsing, defaults, %(...)s expansion and every bad value with file:line. */
import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../src/supervisord/config/read.js";
import { ConfigError, describeConfigLocation } from "../../src/supervisord/config/errors.js";
import type { ProcessConfig } from "../../src/supervisord/config/types.js";

const dir = mkdtempSync(join(tmpdir(), "readiness-options-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Writes a config whose [program:x] (line 5 onwards) has `lines`, and reads it. */
function read(lines: string, section = "program:x"): ProcessConfig[] {
  const file = join(dir, `c${n++}.conf`);
  writeFileSync(file, ["[supervisord]", `logfile=${dir}/l.log`, "", `[${section}]`, "command=/bin/cat", lines].join("\n"));
  const cfg = readConfig(file, { cwd: dir, env: {} });
  return cfg.groups.flatMap((g) => g.processes);
}

function readError(lines: string): ConfigError {
  try {
    read(lines);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("no error");
}

t.test("absent readiness_check: readiness null, other readiness_* options not read", async (t) => {
  t.equal(read("")[0]!.readiness, null);
  t.equal(read("readiness_interval=bogus")[0]!.readiness, null);
});

t.test("defaults", async (t) => {
  t.same(read("readiness_check=tcp://127.0.0.1:80")[0]!.readiness, {
    check: { kind: "tcp", host: "127.0.0.1", port: 80 },
    interval: 1,
    timeout: 1,
    failures: 3,
    startsecs: 60,
    onFailure: "report",
  });
});

t.test("every option, decimals and expansions", async (t) => {
  const [p0, p1] = read(
    [
      "numprocs=2",
      "process_name=%(program_name)s_%(process_num)s",
      "readiness_check=http://localhost:80%(process_num)02d/health?x=1",
      "readiness_interval=0.5",
      "readiness_timeout=.25",
      "readiness_failures=5",
      "readiness_startsecs=0",
      "readiness_on_failure=FAIL",
    ].join("\n"),
  );
  t.same(p0!.readiness, {
    check: { kind: "http", url: "http://localhost:8000/health?x=1" },
    interval: 0.5,
    timeout: 0.25,
    failures: 5,
    startsecs: 0,
    onFailure: "fail",
  });
  t.same(p1!.readiness?.check, { kind: "http", url: "http://localhost:8001/health?x=1" });
});

t.test("check forms", async (t) => {
  const check = (v: string) => read(`readiness_check=${v}`)[0]!.readiness?.check;
  t.same(check("https://example.com/"), { kind: "http", url: "https://example.com/" });
  t.same(check("tcp://[::1]:8080"), { kind: "tcp", host: "::1", port: 8080 });
  t.same(check("tcp://db.local:5432/"), { kind: "tcp", host: "db.local", port: 5432 });
  t.same(check("command: /bin/sh -c 'exit 0'"), { kind: "command", command: "/bin/sh -c 'exit 0'" });
});

t.test("fcgi-program gets it, eventlistener never", async (t) => {
  const fcgi = read("socket=tcp://127.0.0.1:9999\nreadiness_check=tcp://127.0.0.1:9999", "fcgi-program:f");
  t.same(fcgi[0]!.readiness?.check, { kind: "tcp", host: "127.0.0.1", port: 9999 });
  const ev = read("events=TICK_5\nreadiness_check=tcp://127.0.0.1:9999", "eventlistener:e");
  t.equal(ev[0]!.readiness, null);
});

// Every bad value: the message names the value, the location names file:line of the option.
const BAD: [string, string, RegExp][] = [
  ["readiness_check", "foo", /invalid readiness_check value 'foo': expected http:\/\/host\[:port\]\/path, https:\/\/host\[:port\]\/path, tcp:\/\/host:port or command:<command line>/],
  ["readiness_check", "ftp://x/", /invalid readiness_check value 'ftp:\/\/x\/': expected/],
  ["readiness_check", "http://", /invalid readiness_check value 'http:\/\/': not a valid URL/],
  ["readiness_check", "tcp://host", /invalid readiness_check value 'tcp:\/\/host': expected tcp:\/\/host:port/],
  ["readiness_check", "tcp://host:0", /invalid readiness_check value 'tcp:\/\/host:0': port '0' is not an integer from 1 to 65535/],
  ["readiness_check", "tcp://host:70000", /port '70000' is not an integer from 1 to 65535/],
  ["readiness_check", "tcp://host:http", /port 'http' is not an integer from 1 to 65535/],
  ["readiness_check", "command:", /invalid readiness_check value 'command:': the command is empty/],
  ["readiness_check", "command:'unclosed", /invalid readiness_check value "command:'unclosed": cannot split the command/],
  ["readiness_interval", "0", /invalid readiness_interval value '0': expected a number of seconds > 0/],
  ["readiness_interval", "-1", /invalid readiness_interval value '-1'/],
  ["readiness_interval", "1s", /invalid readiness_interval value '1s'/],
  ["readiness_timeout", "0.0", /invalid readiness_timeout value '0.0': expected a number of seconds > 0/],
  ["readiness_timeout", "abc", /invalid readiness_timeout value 'abc'/],
  ["readiness_failures", "0", /invalid readiness_failures value '0': expected an integer >= 1/],
  ["readiness_failures", "1.5", /invalid readiness_failures value '1.5'/],
  ["readiness_startsecs", "-0.5", /invalid readiness_startsecs value '-0.5': expected a number of seconds >= 0/],
  ["readiness_on_failure", "restart", /invalid readiness_on_failure value 'restart': expected report or fail/],
];

t.test("bad values: message with the value and file:line of the option", async (t) => {
  for (const [option, value, re] of BAD) {
    const lines = option === "readiness_check" ? `${option}=${value}` : `readiness_check=tcp://127.0.0.1:1\n${option}=${value}`;
    const err = readError(lines);
    t.match(err.message, re, `${option}=${value}`);
    t.match(err.message, /in section 'program:x' \(file: '.*\.conf'\)$/, `${option}: section suffix`);
    const line = option === "readiness_check" ? 6 : 7;
    t.equal(err.line, line, `${option}=${value}: line`);
    t.equal(err.option, option);
    t.match(describeConfigLocation(err), new RegExp(`\\.conf:${line}, section \\[program:x\\], option '${option}'\\)$`));
  }
});
