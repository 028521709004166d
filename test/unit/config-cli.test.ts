import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyOverrides, parseSupervisordArgs, supervisordUsage } from "../../src/supervisord/config/cli.js";
import { readConfig } from "../../src/supervisord/config/read.js";
import { configSearchPaths, noConfigFoundMessage, searchConfigFile } from "../../src/supervisord/config/search.js";
import { formatConfigError, ConfigError } from "../../src/supervisord/config/errors.js";

const ARGV0 = "/usr/bin/supervisord";
const parse = (line: string) => parseSupervisordArgs(line === "" ? [] : line.split(" "), ARGV0, { cwd: "/" });

// Messages observed from the real supervisord 4.2.5 with the same arguments.
const ERRORS: [string, string][] = [
  ["-x", "option -x not recognized"],
  ["--nodaemon=1", "option --nodaemon must not have an argument"],
  ["-c", "option -c requires argument"],
  ["-n -n", "conflicting command line option '-n'"],
  ["-n --nodaemon", "conflicting command line option '--nodaemon'"],
  ["foo", "positional arguments are not supported: ['foo']"],
  ["-n foo -s", "positional arguments are not supported: ['foo', '-s']"],
  ["--user", "option --user requires argument"],
  ["-m 999", "invalid value for -m '999': 999 can not be converted to an octal type"],
  ["--logf=x", "option --logf not a unique prefix"],
  ["--no", "option --no not a unique prefix"],
  ["--bogus", "option --bogus not recognized"],
  ["-z abc", "invalid value for -z 'abc': invalid literal for int() with base 10: 'abc'"],
  ["-e loud", "invalid value for -e 'loud': bad logging level name 'loud'"],
  ["-q /nonexist", "invalid value for -q '/nonexist': /nonexist is not an existing directory"],
  ["-c a -c b", "conflicting command line option '-c'"],
  ["-y 1.5MB", "invalid value for -y '1.5MB': invalid literal for int() with base 10: '1.5'"],
  ["-a x", "invalid value for -a 'x': invalid literal for int() with base 10: 'x'"],
  ["--minprocs=x", "invalid value for --minprocs 'x': invalid literal for int() with base 10: 'x'"],
  ["--umask 8", "invalid value for --umask '8': 8 can not be converted to an octal type"],
];

t.test("command line errors use supervisord's (getopt's) wording", async (t) => {
  for (const [line, message] of ERRORS) t.same(parse(line), { kind: "error", message }, line);
});

t.test("valid command lines", async (t) => {
  t.same(parse(""), { kind: "run", overrides: {} });
  t.same(parse("-cfoo"), { kind: "run", configFile: "foo", overrides: {} });
  t.same(parse("-nc /etc/s.conf -s"), { kind: "run", configFile: "/etc/s.conf", overrides: { nodaemon: true, silent: true } });
  t.same(parse("--configuration=/x --nod --umask 002 -e DEBUG -y 1KB -z 3 -a 10 --minprocs 5 -i id -k -t -u root"), {
    kind: "run",
    configFile: "/x",
    overrides: {
      nodaemon: true, umask: 2, loglevel: "debug", logfile_maxbytes: 1024, logfile_backups: 3, minfds: 10, minprocs: 5,
      identifier: "id", nocleanup: true, strip_ansi: true, user: "root",
    },
  });
  t.same(parse("-l /tmp/x.log -j /tmp/x.pid -q /tmp -d /tmp --profile_options=cumulative"), {
    kind: "run",
    overrides: { logfile: "/tmp/x.log", pidfile: "/tmp/x.pid", childlogdir: "/tmp", directory: "/tmp" },
  });
  t.same(parse("-- -n"), { kind: "error", message: "positional arguments are not supported: ['-n']" });
  t.same(parse("-v"), { kind: "version" });
  t.same(parse("-?"), { kind: "help", text: supervisordUsage(ARGV0) });
  t.same(parse("-h -z abc"), { kind: "help", text: supervisordUsage(ARGV0) });
  t.same(parse("-z abc -h"), { kind: "error", message: "invalid value for -z 'abc': invalid literal for int() with base 10: 'abc'" });
  t.match(supervisordUsage(ARGV0), /^supervisord -- run a set of applications as daemons\.\n\nUsage: \/usr\/bin\/supervisord \[options\]\n/);
});

t.test("overrides win over the file and are normalised like realize()", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "cli-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "s.conf");
  writeFileSync(file, "[supervisord]\nloglevel=warn\nlogfile=/tmp/a.log\nidentifier=file\n");
  const config = readConfig(file, { cwd: dir, env: {} });
  const cl = parseSupervisordArgs(["-e", "debug", "-l", "rel.log", "-j", "x.pid", "-n"], ARGV0, { cwd: dir });
  if (cl.kind !== "run") throw new Error("expected run");
  const merged = applyOverrides(config, cl.overrides, { cwd: dir });
  t.equal(merged.supervisord.loglevel, "debug");
  t.equal(merged.supervisord.logfile, join(dir, "rel.log"));
  t.equal(merged.supervisord.pidfile, join(dir, "x.pid"));
  t.equal(merged.supervisord.nodaemon, true);
  t.equal(merged.supervisord.identifier, "file");
  t.throws(() => applyOverrides(config, { user: "no-such-user-xyz" }), { message: "Invalid user name no-such-user-xyz" });
  t.equal(applyOverrides(config, { logfile: "syslog" }).supervisord.logfile, "syslog");
});

t.test("config file search (section 2.1)", async (t) => {
  t.same(configSearchPaths("/opt/sv/bin/supervisord"), [
    "/opt/sv/etc/supervisord.conf",
    "/opt/sv/supervisord.conf",
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
  ]);
  t.same(configSearchPaths("supervisord").slice(0, 2), ["etc/supervisord.conf", "supervisord.conf"]);
  const dir = mkdtempSync(join(tmpdir(), "search-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "supervisord.conf"), "[supervisord]\n");
  t.equal(searchConfigFile(join(dir, "bin", "supervisord"), "/"), join(dir, "supervisord.conf"));
  t.match(noConfigFoundMessage("supervisord"), /^No config file found at default paths \(etc\/supervisord.conf, supervisord.conf, .*\); use the -c option/);
});

t.test("formatConfigError adds a location line between supervisord's two lines", async (t) => {
  const err = new ConfigError("not a valid boolean value: 'maybe' in section 'program:x' (file: '/etc/x.conf')", "VALUE", {
    file: "/etc/x.conf",
    line: 12,
    section: "program:x",
    option: "autostart",
  });
  t.equal(
    formatConfigError(err, "supervisord"),
    "Error: not a valid boolean value: 'maybe' in section 'program:x' (file: '/etc/x.conf')\n" +
      "(at /etc/x.conf:12, section [program:x], option 'autostart')\n" +
      "For help, use supervisord -h\n",
  );
  t.equal(formatConfigError(new Error("plain"), "sd"), "Error: plain\nFor help, use sd -h\n");
});
