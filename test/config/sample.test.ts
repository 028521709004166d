/** The echo_supervisord_conf sample must be a config both our reader and the real supervisord accept. */
import t from "tap";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SAMPLE_CONFIG } from "../../src/supervisord/config/sample.js";
import { readConfig } from "../../src/supervisord/config/read.js";

const PYTHON = "/usr/bin/python3";
const HELPER = resolve(import.meta.dirname, "../helpers/python_config_dump.py");

const dir = mkdtempSync(join(tmpdir(), "sample-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "supervisord.conf");
writeFileSync(file, SAMPLE_CONFIG);

t.test("our reader accepts the sample", async (t) => {
  const c = readConfig(file, { cwd: dir, env: { HOME: "/root" } });
  t.equal(c.supervisord.logfile, "/tmp/supervisord.log");
  t.same(c.servers.map((s) => s.kind), ["unix"]);
  t.same(c.rpcinterfaces.map((r) => r.factory), ["supervisor.rpcinterface:make_main_rpcinterface"]);
  t.equal(c.supervisorctl?.serverurl, "unix:///tmp/supervisor.sock");
  t.same(c.groups, []);
});

t.test("the real supervisord accepts the sample", { skip: existsSync(PYTHON) ? false : "no python" }, async (t) => {
  const out = JSON.parse(execFileSync("/usr/bin/env", ["-i", "HOME=/root", "PATH=/usr/bin:/bin", PYTHON, HELPER, file], { cwd: dir, encoding: "utf8" }));
  t.ok(out.ok, out.error ?? "accepted");
});

t.test("every program option is documented in the sample", async (t) => {
  const options = [
    "command", "process_name", "numprocs", "numprocs_start", "directory", "umask", "priority", "autostart", "startsecs",
    "startretries", "autorestart", "exitcodes", "stopsignal", "stopwaitsecs", "stopasgroup", "killasgroup", "user",
    "redirect_stderr", "stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups", "stdout_capture_maxbytes",
    "stdout_events_enabled", "stdout_syslog", "stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups",
    "stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog", "environment", "serverurl", "events",
    "buffer_size", "result_handler", "socket", "socket_backlog", "socket_owner", "socket_mode", "programs", "files",
  ];
  for (const o of options) t.match(SAMPLE_CONFIG, new RegExp(`^;?${o}=`, "m"), o);
});
