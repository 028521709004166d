// What a child sees and what the daemon gets back from the Spawner, whichever spawner made the
// child. Run by spawner-native.test.ts and spawner-child-process.test.ts (one process each: the
// choice is made once per process).
import type { Test } from "tap";
import { spawn as libuvSpawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnChild, type ExitInfo, type SpawnRequest, type ChildHandle } from "../../src/supervisord/process/spawner.js";
import { zombiesOf } from "../helpers/proc.js";

interface Ran {
  child: ChildHandle;
  stdout: string;
  stderr: string;
  exit: ExitInfo;
}

function request(script: string, extra: Partial<SpawnRequest> = {}): SpawnRequest {
  return {
    name: "t",
    filename: "/bin/sh",
    argv: ["sh", "-c", script],
    env: { PATH: "/usr/bin:/bin" },
    directory: null,
    umask: null,
    user: null,
    redirectStderr: false,
    ...extra,
  };
}

/** Starts a child; `started` sees it before it ends (for stdin and signals). */
function run(req: SpawnRequest, started?: (child: ChildHandle) => void): Promise<Ran> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let child: ChildHandle;
    const outcome = spawnChild(req, {
      onStdout: (b) => (stdout += b.toString()),
      onStderr: (b) => (stderr += b.toString()),
      onExit: (exit) => resolve({ child, stdout, stderr, exit }),
    });
    if (!outcome.ok) return reject(new Error(outcome.spawnerr));
    child = outcome.child;
    started?.(child);
  });
}

/** How many of this process's fds are open on /dev/null (the native spawner's slots are four). */
export function devNullFds(): number {
  return fs.readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`) === "/dev/null";
    } catch {
      return false; // the fd readdir itself held
    }
  }).length;
}

export interface SpawnerTraits {
  /** Closes fds above 2 that the daemon inherited without O_CLOEXEC (supervisord does). */
  readonly closesInheritedFds: boolean;
}

/** Lines added by tap (to node:child_process children) and by sh itself (PWD). */
const tapEnv = (line: string) => line.startsWith("_TAPJS_") || line.startsWith("NODE_OPTIONS=") || line.startsWith("PWD=");

export function spawnerCases(t: Test, traits: SpawnerTraits): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spawner-"));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  t.test("stdout and stderr arrive apart, then the exit status", async (t) => {
    const r = await run(request("echo out; echo err >&2; exit 3"));
    t.equal(r.stdout, "out\n");
    t.equal(r.stderr, "err\n");
    t.has(r.exit, { code: 3, signal: null });
  });

  t.test("the last bytes before a quick exit are not lost", async (t) => {
    const r = await run(request("head -c 300000 /dev/zero | tr '\\0' x; exit 0"));
    t.equal(r.stdout.length, 300000);
  });

  t.test("redirect_stderr: one stream, in the child's order", async (t) => {
    const r = await run(request("echo a; echo b >&2; echo c; echo d >&2", { redirectStderr: true }));
    t.equal(r.stdout, "a\nb\nc\nd\n");
    t.equal(r.stderr, "");
  });

  t.test("pauseOutput holds a fast writer back; resumeOutput lets it finish with nothing lost", async (t) => {
    const total = 4 * 1024 * 1024;
    let got = 0;
    let whilePaused = 0;
    let paused = false;
    let child!: ChildHandle;
    const exited = new Promise<ExitInfo>((resolve) => {
      const outcome = spawnChild(request(`head -c ${total} /dev/zero`), {
        onStdout: (b) => {
          got += b.length;
          if (paused) whilePaused += b.length;
        },
        onStderr() {},
        onExit: resolve,
      });
      if (!outcome.ok) throw new Error(outcome.spawnerr);
      child = outcome.child;
    });
    child.pauseOutput();
    paused = true;
    await new Promise((r) => setTimeout(r, 300));
    t.equal(whilePaused, 0, "no data while paused");
    t.ok(got < total, `the child is held back (${got} of ${total} bytes read)`);
    paused = false;
    child.resumeOutput();
    t.has(await exited, { code: 0 });
    t.equal(got, total, "every byte arrived");
  });

  t.test("a signal death is reported by name", async (t) => {
    const r = await run(request("echo ready; exec sleep 30"), (child) => {
      setTimeout(() => process.kill(child.pid, "SIGTERM"), 100);
    });
    t.has(r.exit, { code: null, signal: "SIGTERM" });
  });

  t.test("the child leads its own session and process group", async (t) => {
    const r = await run(request("cat /proc/self/stat"));
    const fields = r.stdout.slice(r.stdout.lastIndexOf(")") + 2).split(" ");
    const [pgrp, session] = [Number(fields[2]), Number(fields[3])];
    t.equal(pgrp, r.child.pid, "pgid = pid");
    t.equal(session, r.child.pid, "sid = pid");
  });

  t.test("umask and directory are the child's; the daemon's umask is unchanged", async (t) => {
    const before = process.umask();
    const r = await run(request("umask; pwd", { umask: 0o027, directory: dir }));
    t.equal(r.stdout, `0027\n${fs.realpathSync(dir)}\n`);
    t.equal(process.umask(), before);
  });

  t.test("a directory that cannot be entered: supervisord's message on stderr, exit 127", async (t) => {
    const r = await run(request("echo never", { directory: path.join(dir, "missing") }));
    t.equal(r.stdout, "");
    t.equal(r.stderr, `supervisor: couldn't chdir to ${path.join(dir, "missing")}: ENOENT\nsupervisor: child process was not spawned\n`);
    t.has(r.exit, { code: 127, signal: null });
  });

  t.test("... and with redirect_stderr the message goes to stdout", async (t) => {
    const r = await run(request("echo never", { directory: path.join(dir, "missing"), redirectStderr: true }));
    t.match(r.stdout, /^supervisor: couldn't chdir to .*missing: ENOENT\n/);
    t.equal(r.stderr, "");
  });

  t.test("the environment is exactly the one given", async (t) => {
    const r = await run(request("env -0", { env: { PATH: "/usr/bin:/bin", ONLY_THIS: "x y", EMPTY: "" } }));
    t.same(r.stdout.split("\0").filter((l) => l && !tapEnv(l)).sort(), ["EMPTY=", "ONLY_THIS=x y", "PATH=/usr/bin:/bin"]);
  });

  t.test("no signal is ignored or blocked in the child (Node ignores SIGPIPE)", async (t) => {
    const r = await run(request("grep -E '^Sig(Ign|Blk)' /proc/self/status"));
    t.match(r.stdout, /SigBlk:\s+0+\n/);
    t.match(r.stdout, /SigIgn:\s+0+\n/);
  });

  t.test("the child holds only fds 0, 1 and 2", async (t) => {
    const r = await run(request("ls /proc/self/fd"));
    const fds = r.stdout.trim().split("\n").map(Number);
    t.same(fds.slice(0, 3), [0, 1, 2]);
    // ls itself holds one more (the directory it reads). node:child_process passes on fds that this
    // process inherited without O_CLOEXEC (tap's runner gives it some); supervisord closes them.
    if (traits.closesInheritedFds) t.equal(fds.length, 4, `fds: ${fds.join(" ")}`);
  });

  t.test("stdin reaches the child; after its death stdin is closed", async (t) => {
    const r = await run(request("read line; echo got:$line"), (child) => {
      t.equal(child.stdinOpen, true);
      t.equal(child.writeStdin("hello\n"), true);
    });
    t.equal(r.stdout, "got:hello\n");
    t.equal(r.child.stdinOpen, false);
    t.equal(r.child.writeStdin("late\n"), false);
  });

  t.test("stdin writes beyond what the pipe holds are queued and arrive whole, in order", async (t) => {
    // The child reads nothing until the file `go` exists, which the test makes only after the
    // writes returned: a write that blocked on the full pipe (64 KiB) would never return.
    const go = path.join(dir, "stdin-go");
    const big = Buffer.alloc(300_000, "a");
    let wrote: boolean[] = [];
    const r = await run(request(`while [ ! -e '${go}' ]; do sleep 0.02; done; head -c 300004 | tail -c 4; head -c 3`), (child) => {
      wrote = [child.writeStdin(big), child.writeStdin("END\n"), child.writeStdin("xyz")];
      fs.writeFileSync(go, "");
    });
    t.same(wrote, [true, true, true]);
    t.equal(r.stdout, "END\nxyz");
  });

  t.test("a child that closed its stdin: the write reports it (EPIPE)", async (t) => {
    let second: boolean | undefined;
    await run(request("exec 0<&-; echo closed; sleep 0.3"), (child) => {
      setTimeout(() => (second = child.writeStdin("x\n")), 150);
    });
    t.equal(second, false);
  });

  t.test("a missing executable is a spawn error, not a crash", async (t) => {
    const outcome = spawnChild({ ...request(""), name: "ghost", filename: path.join(dir, "no-such-program"), argv: ["ghost"] }, {
      onStdout() {},
      onStderr() {},
      onExit() {},
    });
    t.equal(outcome.ok, false);
    if (!outcome.ok) t.match(outcome.spawnerr, /^unknown error during fork for 'ghost'/);
  });

  t.test("200 children ending together are each reported with their own status, no zombie left", async (t) => {
    const runs = Array.from({ length: 200 }, (_, i) => run(request(`exit ${i % 50}`)));
    // A child of node:child_process ends in the middle of it: both reapers must get theirs.
    const other = libuvSpawn("/bin/sh", ["-c", "exit 7"]);
    const otherExit = new Promise<number | null>((resolve) => other.on("exit", (code) => resolve(code)));
    const results = await Promise.all(runs);
    t.same(
      results.map((r) => r.exit.code),
      Array.from({ length: 200 }, (_, i) => i % 50),
    );
    t.equal(await otherExit, 7, "the child_process child is reaped by libuv");
    t.same(zombiesOf(process.pid), []);
  });
}
