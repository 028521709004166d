/**
 * pidproxy (issue 16) against the real one of supervisor 4.2.5 (/usr/bin/pidproxy): usage errors,
 * signals passed on to the pid in the pid file (the process that forked away, not the launcher),
 * the exit after TERM/INT/QUIT, a missing or unreadable pid file, the exit when the command ends,
 * and a command that does not exist. The real one notices its child's end at a 5 s poll, so the
 * waits here allow 15 s.
 */
import t, { type Test } from "tap";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { waitFor } from "../helpers/daemon.js";

const REAL = "/usr/bin/pidproxy";
const OURS = resolve(import.meta.dirname, "../../dist/bin/pidproxy.mjs");
if (!existsSync(REAL)) t.plan(0, "the real pidproxy is not installed (apt-get install supervisor)");
t.jobs = 4;

type Kind = "ours" | "real";

interface Run {
  readonly child: ChildProcess;
  readonly dir: string;
  stdout: string;
  stderr: string;
  code: number | null;
  exited: boolean;
}

function run(t: Test, kind: Kind, args: (dir: string) => string[]): Run {
  const dir = mkdtempSync(join(tmpdir(), `pidproxy-${kind}-`));
  const [cmd, pre] = kind === "ours" ? [process.execPath, [OURS]] : [REAL, []];
  const child = spawn(cmd, [...pre, ...args(dir)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const r: Run = { child, dir, stdout: "", stderr: "", code: null, exited: false };
  child.stdout!.on("data", (d) => (r.stdout += d));
  child.stderr!.on("data", (d) => (r.stderr += d));
  child.on("exit", (code) => {
    r.code = code;
    r.exited = true;
  });
  t.teardown(() => {
    // The proxy, the launcher and the process that forked away share the process group.
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* all gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return r;
}

/**
 * The launcher writes the pid of a process it forked into the pid file and waits for it; the
 * forked process (Node: a shell's background job would have INT and QUIT ignored) notes each
 * signal it gets in `got` and ends at TERM/INT/QUIT.
 */
const FORKED = `
const { appendFileSync, writeFileSync } = require("node:fs");
const dir = process.argv[2];
for (const s of ["SIGHUP", "SIGUSR1", "SIGUSR2"]) process.on(s, () => appendFileSync(dir + "/got", s.slice(3) + "\\n"));
for (const s of ["SIGTERM", "SIGINT", "SIGQUIT"]) process.on(s, () => { appendFileSync(dir + "/got", s.slice(3) + "\\n"); process.exit(0); });
writeFileSync(dir + "/ready", "ready");
setInterval(() => {}, 1000);
`;
const LAUNCHER = (dir: string) => {
  writeFileSync(join(dir, "forked.cjs"), FORKED);
  return [join(dir, "pidfile"), "/bin/sh", "-c", `'${process.execPath}' ${dir}/forked.cjs ${dir} & echo $! > ${dir}/pidfile; wait`];
};

const got = (r: Run) => (existsSync(join(r.dir, "got")) ? readFileSync(join(r.dir, "got"), "utf8").split("\n").filter(Boolean) : []);
const ready = (r: Run) => existsSync(join(r.dir, "ready")) && existsSync(join(r.dir, "pidfile")) && readFileSync(join(r.dir, "pidfile"), "utf8").trim() !== "";

for (const kind of ["ours", "real"] as Kind[]) {
  t.test(`${kind}: usage errors print the usage on stdout and exit 1`, async (t) => {
    for (const args of [[], ["only-a-pidfile"]]) {
      const r = run(t, kind, () => args);
      await waitFor(() => r.exited, 15_000, "exit");
      t.equal(r.code, 1);
      const usage = r.stdout.replace(/^Usage: \S+ /m, "Usage: pidproxy ");
      t.equal(usage, "pidproxy -- run command and proxy signals to it via its pidfile.\n\nThis executable runs a command and then monitors a pidfile.  When this\nexecutable receives a signal, it sends the same signal to the pid\nin the pidfile.\n\nUsage: pidproxy <pidfile name> <command> [<cmdarg1> ...]\n\n");
    }
  });

  t.test(`${kind}: HUP, USR1, USR2 are passed on and the proxy stays; TERM is passed on and it exits 0`, async (t) => {
    const r = run(t, kind, LAUNCHER);
    await waitFor(() => ready(r), 15_000, "the forked process");
    for (const [i, sig] of (["SIGHUP", "SIGUSR1", "SIGUSR2"] as const).entries()) {
      r.child.kill(sig);
      await waitFor(() => got(r).length === i + 1, 15_000, `${sig} passed on`);
    }
    t.same(got(r), ["HUP", "USR1", "USR2"]);
    t.equal(r.exited, false, "still running");
    r.child.kill("SIGTERM");
    await waitFor(() => r.exited, 15_000, "exit after TERM");
    t.equal(r.code, 0);
    await waitFor(() => got(r).length === 4, 15_000, "TERM passed on");
    t.same(got(r), ["HUP", "USR1", "USR2", "TERM"], "the process in the pid file got TERM");
    t.equal(r.stdout, "");
  });

  for (const sig of ["SIGINT", "SIGQUIT"] as const) {
    t.test(`${kind}: ${sig} is passed on and the proxy exits 0`, async (t) => {
      const r = run(t, kind, LAUNCHER);
      await waitFor(() => ready(r), 15_000, "the forked process");
      r.child.kill(sig);
      await waitFor(() => r.exited, 15_000, "exit");
      t.equal(r.code, 0);
      await waitFor(() => got(r).length === 1, 15_000, "passed on");
      t.same(got(r), [sig.slice(3)]);
    });
  }

  t.test(`${kind}: a missing or unreadable pid file: reported on stdout, the signal dropped, the proxy stays`, async (t) => {
    const r = run(t, kind, (dir) => [join(dir, "nopidfile"), "/bin/sh", "-c", `echo ready > ${dir}/ready; exec sleep 1000`]);
    await waitFor(() => existsSync(join(r.dir, "ready")), 15_000, "the command");
    r.child.kill("SIGTERM");
    await waitFor(() => r.stdout.includes("\n"), 15_000, "the message");
    t.equal(r.stdout, `Can't read child pidfile ${join(r.dir, "nopidfile")}!\n`);
    writeFileSync(join(r.dir, "nopidfile"), "not a pid\n");
    r.child.kill("SIGHUP");
    await waitFor(() => r.stdout.split("\n").length === 3, 15_000, "the second message");
    t.equal(r.stdout.split("\n")[1], `Can't read child pidfile ${join(r.dir, "nopidfile")}!`);
    t.equal(r.exited, false, "TERM without a pid to pass it to does not end the proxy");
  });

  t.test(`${kind}: exits 0 when the command ends, whatever its status`, async (t) => {
    const r = run(t, kind, (dir) => [join(dir, "pidfile"), "/bin/sh", "-c", "exit 7"]);
    await waitFor(() => r.exited, 15_000, "exit");
    t.equal(r.code, 0);
  });

  t.test(`${kind}: a command that does not exist: exits 0, silently`, async (t) => {
    const r = run(t, kind, (dir) => [join(dir, "pidfile"), "no-such-command", "x"]);
    await waitFor(() => r.exited, 15_000, "exit");
    t.equal(r.code, 0);
    t.equal(r.stdout, "");
  });
}
