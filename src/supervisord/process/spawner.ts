/**
 * The Spawner is the only place that forks (DESIGN.md). It turns a resolved command into a running
 * child wired to the callbacks of its owner, and reports its death only after the child's pipes
 * were drained, as supervisord's reaper does (spec §3.3 "Reaping", step 1).
 *
 * Fork-time differences with Python's fork+exec and how we keep what users see the same:
 * - `detached: true` makes the child a process-group leader (setsid, supervisord uses setpgrp),
 *   so stopasgroup/killasgroup can signal `-pid`.
 * - user= as root: libuv's setuid drops supplementary groups, supervisord calls initgroups; we run
 *   the command through `setpriv --init-groups`, which execs it in place (same pid).
 * - redirect_stderr: Node cannot hand the same pipe to fds 1 and 2, so the child is started through
 *   `sh -c 'exec "$@" 2>&1'`, which also execs in place; output order is then exactly the child's.
 * - A directory that cannot be entered: supervisord's forked child writes
 *   `supervisor: couldn't chdir to <dir>: <ERR>` to its stderr and exits 127; we start a tiny shell
 *   that does exactly that, so the log and the BACKOFF path are the same.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { statSync, writeSync } from "node:fs";
import type { Readable } from "node:stream";

export interface ExitInfo {
  readonly code: number | null;
  /** e.g. "SIGTERM" */
  readonly signal: string | null;
}

export interface SpawnRequest {
  /** Process name, for spawn error texts. */
  readonly name: string;
  readonly filename: string;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly directory: string | null;
  readonly umask: number | null;
  readonly user: { readonly uid: number; readonly gid: number; readonly name: string } | null;
  readonly redirectStderr: boolean;
  /**
   * fcgi-program: a bound socket passed as the child's fd 0; the child's exec chain makes it listen
   * with this backlog first (see fcgi-socket.ts).
   */
  readonly fcgiSocket?: { readonly fd: number; readonly backlog: number };
}

export interface ChildCallbacks {
  /** A chunk of stdout (or of merged stdout+stderr with redirect_stderr). */
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  /** The child was reaped and its pipes drained. */
  onExit(exit: ExitInfo): void;
}

export interface ChildHandle {
  readonly pid: number;
  /** Queue bytes for the child's stdin; false when stdin is closed (EPIPE or none). */
  writeStdin(data: Buffer | string): boolean;
  readonly stdinOpen: boolean;
  /** Back-pressure from a slow log sink: stop/restart reading the child's pipes. */
  pauseOutput(): void;
  resumeOutput(): void;
}

export type SpawnOutcome = { readonly ok: true; readonly child: ChildHandle } | { readonly ok: false; readonly spawnerr: string };

/** listen(2) on fd 0 (the fcgi socket), then exec the program in place: `perl -e … BACKLOG FILE ARGV0 ARGS…`. */
const LISTEN_ON_FD0 =
  'my $b = shift; my $f = shift; open(my $s, "+<&=", 0) or die "supervisor: fcgi socket: $!\n"; ' +
  'listen($s, $b) or die "supervisor: couldn\'t listen on the fcgi socket: $!\n"; ' +
  'exec { $f } @ARGV; die "supervisor: couldn\'t exec $f: $!\n";';

/** How long to wait for the pipes to reach EOF after the child died while no data flows. A grandchild may hold them open. */
const DRAIN_IDLE_MS = 100;

export function spawnChild(req: SpawnRequest, cb: ChildCallbacks): SpawnOutcome {
  let file = req.filename;
  let args = req.argv.slice(1);
  let argv0 = req.argv[0];

  if (req.directory !== null && !isDirectory(req.directory)) {
    const err = statError(req.directory);
    file = "/bin/sh";
    argv0 = "sh";
    args = ["-c", 'printf "%s\\n" "$1" "$2" >&2; exit 127', "sh", `supervisor: couldn't chdir to ${req.directory}: ${err}`, "supervisor: child process was not spawned"];
  } else {
    if (req.redirectStderr) {
      args = ["-c", 'exec "$@" 2>&1', "sh", file, ...args];
      file = "/bin/sh";
      argv0 = "sh";
    }
    if (req.fcgiSocket) {
      args = ["-e", LISTEN_ON_FD0, String(req.fcgiSocket.backlog), file, argv0, ...args];
      file = "/usr/bin/perl";
      argv0 = "perl";
    }
    if (req.user && process.getuid?.() === 0) {
      args = [`--reuid=${req.user.uid}`, `--regid=${req.user.gid}`, "--init-groups", "--", file, ...args];
      file = "/usr/bin/setpriv";
      argv0 = "setpriv";
    }
  }

  const stdio: StdioOptions = [req.fcgiSocket?.fd ?? "pipe", "pipe", req.redirectStderr ? "ignore" : "pipe"];
  const oldUmask = req.umask !== null ? process.umask(req.umask) : null;
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      argv0,
      env: req.env,
      cwd: req.directory ?? undefined,
      detached: true,
      stdio,
      windowsHide: true,
    });
  } catch (err) {
    return { ok: false, spawnerr: spawnErrorText(err, req.name) };
  } finally {
    if (oldUmask !== null) process.umask(oldUmask);
  }
  if (child.pid === undefined) {
    // spawn() reports exec-level failures (EAGAIN, ENOMEM...) through 'error' without a pid.
    child.on("error", () => {});
    return { ok: false, spawnerr: `unknown error during fork for '${req.name}'` };
  }
  return { ok: true, child: wireChild(child, cb) };
}

function wireChild(child: ChildProcess, cb: ChildCallbacks): ChildHandle {
  const pid = child.pid as number;
  const outputs = [child.stdout, child.stderr].filter((s): s is Readable => s !== null);
  let openOutputs = outputs.length;
  let exit: ExitInfo | null = null;
  let reported = false;
  let idleTimer: NodeJS.Timeout | null = null;
  let paused = false;
  let stdinOpen = child.stdin !== null;

  const report = () => {
    if (reported || exit === null) return;
    reported = true;
    if (idleTimer) clearTimeout(idleTimer);
    for (const s of outputs) s.destroy();
    cb.onExit(exit);
  };
  const armIdle = () => {
    if (exit === null || reported || paused) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(report, DRAIN_IDLE_MS);
  };

  child.stdout?.on("data", (chunk: Buffer) => {
    cb.onStdout(chunk);
    armIdle();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    cb.onStderr(chunk);
    armIdle();
  });
  for (const s of outputs) {
    s.on("error", () => {});
    s.on("end", () => {
      openOutputs -= 1;
      if (openOutputs === 0) report();
    });
  }
  child.stdin?.on("error", () => {
    stdinOpen = false;
  });
  child.on("error", () => {});
  child.on("exit", (code, signal) => {
    exit = { code, signal };
    if (openOutputs === 0) report();
    else armIdle();
  });

  return {
    pid,
    get stdinOpen() {
      return stdinOpen && child.stdin !== null && !child.stdin.destroyed;
    },
    writeStdin(data) {
      const stdin = child.stdin;
      if (!stdinOpen || !stdin || stdin.destroyed) return false;
      const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      // Like supervisord, try the pipe at once when nothing is queued: a reader that is gone shows
      // up now as EPIPE (the caller answers NO_FILE) instead of later, unseen. A full pipe (EAGAIN)
      // or a partial write falls back to the stream, which keeps the order.
      const fd = (stdin as unknown as { _handle?: { fd?: number } })._handle?.fd;
      if (stdin.writableLength === 0 && typeof fd === "number" && fd >= 0) {
        try {
          const n = writeSync(fd, buf);
          if (n < buf.length) stdin.write(buf.subarray(n));
          return true;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "EPIPE") {
            stdinOpen = false;
            stdin.destroy();
            return false;
          }
        }
      }
      stdin.write(buf);
      return true;
    },
    pauseOutput() {
      paused = true;
      if (idleTimer) clearTimeout(idleTimer);
      for (const s of outputs) s.pause();
    },
    resumeOutput() {
      paused = false;
      for (const s of outputs) s.resume();
      armIdle();
    },
  };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function statError(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return "ENOENT";
  return st.isDirectory() ? "EACCES" : "ENOTDIR";
}

function spawnErrorText(err: unknown, name: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EMFILE" || code === "ENFILE") return `too many open files to spawn '${name}'`;
  if (code === "EAGAIN") return `Too many processes in process table to spawn '${name}'`;
  return `unknown error during fork for '${name}': ${code ?? String(err)}`;
}
