/**
 * Differential test: every config of test/fixtures/configs is loaded by the REAL Supervisor
 * parser (test/helpers/python_config_dump.py, /usr/bin/python3) and by readConfig; the typed
 * results (projected to the same JSON shape) or the error messages must be identical.
 */
import t from "tap";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readConfig } from "../../src/supervisord/config/read.js";
import { ConfigError } from "../../src/supervisord/config/errors.js";
import type { GroupConfig, LogFileSpec, ProcessConfig, SupervisorConfig } from "../../src/supervisord/config/types.js";

const PYTHON = "/usr/bin/python3";
const FIXTURES = resolve(import.meta.dirname, "../fixtures/configs");
const HELPER = resolve(import.meta.dirname, "../helpers/python_config_dump.py");
const HOSTNAME = "testhost";

// Where each bad config's error must point (section/option); file is checked for all.
const BAD_LOCATIONS: Record<string, { section?: string; option?: string; line?: number }> = {
  "bad_boolean.conf": { section: "program:x", option: "autostart", line: 5 },
  "bad_no_command.conf": { section: "program:x", line: 3 },
  "bad_stopasgroup.conf": { section: "program:x", option: "killasgroup" },
  "bad_group_unknown.conf": { section: "group:g", option: "programs", line: 7 },
  "bad_listener_unknown_event.conf": { section: "eventlistener:l", option: "events" },
  "bad_env_pairs.conf": { section: "program:x", option: "environment", line: 5 },
  "bad_exitcodes.conf": { section: "program:x", option: "exitcodes" },
  "bad_signal.conf": { section: "program:x", option: "stopsignal" },
  "bad_user.conf": { section: "program:x", option: "user" },
  "bad_autorestart.conf": { section: "program:x", option: "autorestart" },
  "bad_logdir.conf": { section: "program:x", option: "stdout_logfile" },
  "bad_parse.conf": { line: 5 },
  "bad_format_key.conf": { section: "program:x", option: "command", line: 4 },
  "bad_in_include.conf": { section: "program:inc", option: "startsecs", line: 3 },
  "bad_fcgi_socket.conf": { section: "fcgi-program:f", option: "socket" },
  "bad_inet_port.conf": { section: "inet_http_server", option: "port" },
  "bad_integer.conf": { section: "program:x", option: "startsecs" },
  "bad_loglevel.conf": { section: "supervisord", option: "loglevel", line: 2 },
  "bad_octal.conf": { section: "program:x", option: "umask" },
};

interface PyDump {
  groups: { processes: { priority: number; name: string }[] }[];
}

const LEVEL_NUMBERS = { critical: 50, error: 40, warn: 30, info: 20, debug: 10, trace: 5, blather: 3 } as const;

function logfile(spec: LogFileSpec): unknown {
  return spec.kind === "path" ? { kind: "path", path: spec.path } : { kind: spec.kind };
}

function projectProcess(p: ProcessConfig, supervisordEnv: Record<string, string> | null): unknown {
  return {
    name: p.name,
    command: p.command,
    // Python keeps the merged dict; ours keeps the program's own pairs (the spawner merges).
    environment: { ...(supervisordEnv ?? {}), ...(p.environment ?? {}) },
    directory: p.directory,
    umask: p.umask,
    priority: p.priority,
    autostart: p.autostart,
    autorestart: p.autorestart,
    startsecs: p.startsecs,
    startretries: p.startretries,
    uid: p.user ? p.user.uid : null,
    stdout_logfile: logfile(p.stdout_logfile),
    stdout_logfile_maxbytes: p.stdout_logfile_maxbytes,
    stdout_logfile_backups: p.stdout_logfile_backups,
    stdout_capture_maxbytes: p.stdout_capture_maxbytes,
    stdout_events_enabled: p.stdout_events_enabled,
    stdout_syslog: p.stdout_syslog,
    stderr_logfile: logfile(p.stderr_logfile),
    stderr_logfile_maxbytes: p.stderr_logfile_maxbytes,
    stderr_logfile_backups: p.stderr_logfile_backups,
    stderr_capture_maxbytes: p.stderr_capture_maxbytes,
    stderr_events_enabled: p.stderr_events_enabled,
    stderr_syslog: p.stderr_syslog,
    stopsignal: p.stopsignal,
    stopwaitsecs: p.stopwaitsecs,
    stopasgroup: p.stopasgroup,
    killasgroup: p.killasgroup,
    exitcodes: [...p.exitcodes],
    redirect_stderr: p.redirect_stderr,
    serverurl: p.serverurl,
  };
}

function projectGroup(g: GroupConfig, env: Record<string, string> | null): unknown {
  const base = {
    name: g.name,
    priority: g.priority,
    kind: g.kind === "eventlistener" || g.kind === "fcgi" ? g.kind : "process",
    processes: g.processes.map((p) => projectProcess(p, env)),
  };
  if (g.kind === "eventlistener") {
    return { ...base, events: [...g.events].sort(), buffer_size: g.buffer_size, result_handler: g.result_handler };
  }
  if (g.kind === "fcgi") {
    const s = g.socket;
    return { ...base, socket: { url: s.url, backlog: s.backlog, owner: s.owner ? [s.owner.uid, s.owner.gid] : null, mode: s.mode } };
  }
  return base;
}

function project(c: SupervisorConfig): unknown {
  const s = c.supervisord;
  const env = s.environment ? { ...s.environment } : null;
  return {
    supervisord: {
      logfile: s.logfile,
      logfile_maxbytes: s.logfile_maxbytes,
      logfile_backups: s.logfile_backups,
      loglevel: LEVEL_NUMBERS[s.loglevel],
      pidfile: s.pidfile,
      umask: s.umask,
      nodaemon: s.nodaemon,
      silent: s.silent,
      minfds: s.minfds,
      minprocs: s.minprocs,
      nocleanup: s.nocleanup,
      childlogdir: s.childlogdir,
      uid: s.user ? s.user.uid : null,
      directory: s.directory,
      strip_ansi: s.strip_ansi,
      environment: env ?? {},
      identifier: s.identifier,
    },
    groups: c.groups.map((g) => projectGroup(g, env)),
    servers: c.servers.map((sv) =>
      sv.kind === "unix"
        ? { section: sv.section, username: sv.auth?.username ?? null, password: sv.auth?.password ?? null, kind: "unix", file: sv.file, chmod: sv.chmod, chown: sv.chown ? [sv.chown.uid, sv.chown.gid] : [-1, -1] }
        : { section: sv.section, username: sv.auth?.username ?? null, password: sv.auth?.password ?? null, kind: "inet", host: sv.host, port: sv.port },
    ),
    rpcinterfaces: c.rpcinterfaces.map((r) => ({ name: r.name, options: r.options })),
    warnings: c.messages.filter((m) => m.level === "warn").map((m) => m.text),
    infos: c.messages.filter((m) => m.level === "info").map((m) => m.text),
  };
}

/** Round-trip through JSON so key order and undefined/null match Python's json.dumps(sort_keys). */
function normalise(v: unknown): unknown {
  const sortKeys = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sortKeys);
    if (x && typeof x === "object") {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]));
    }
    return x;
  };
  return sortKeys(JSON.parse(JSON.stringify(v)));
}

const havePython = existsSync(PYTHON);
const work = mkdtempSync(join(tmpdir(), "cfgdiff-"));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  HOME: "/root",
  TMPDIR: work,
  LC_ALL: "C.UTF-8",
  FOO: "foo value",
  DUMP_HOSTNAME: HOSTNAME,
};

const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".conf")).sort();

t.test("corpus is large enough", async (t) => {
  t.ok(files.filter((f) => f.startsWith("ok_")).length >= 30, "good configs");
  t.ok(files.filter((f) => f.startsWith("bad_")).length >= 10, "bad configs");
});

for (const file of files) {
  t.test(file, { skip: havePython ? false : "no /usr/bin/python3 with supervisor" }, async (t) => {
    const path = join(FIXTURES, file);
    // `env -i`: the test runner injects variables into child environments; Python must see exactly `env`.
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const py = JSON.parse(
      execFileSync("/usr/bin/env", ["-i", ...envArgs, PYTHON, HELPER, path], { cwd: work, encoding: "utf8" }),
    ) as { ok?: PyDump; error?: string };
    if (py.ok) {
    }
    let ours: { ok?: unknown; error?: string; err?: ConfigError };
    try {
      ours = { ok: project(readConfig(path, { env, cwd: work, hostname: HOSTNAME })) };
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      ours = { error: e.message, err: e };
    }
    if (py.error !== undefined) {
      t.equal(ours.error, py.error, "same error message");
      if (file.startsWith("ok_")) t.fail(`ok_ fixture fails in Python: ${py.error}`);
      if (ours.err) {
        t.ok(ours.err.file, "error names a file");
        const want = BAD_LOCATIONS[file];
        if (want) {
          if (want.section !== undefined) t.equal(ours.err.section, want.section, "section");
          if (want.option !== undefined) t.equal(ours.err.option, want.option, "option");
          if (want.line !== undefined) t.equal(ours.err.line, want.line, "line");
        }
      }
    } else {
      if (file.startsWith("bad_")) t.fail("bad_ fixture accepted by Python");
      t.same(normalise(ours.ok ?? ours.error), normalise(py.ok), "same typed config");
    }
  });
}
