/**
 * The Spawner is the only place that forks (DESIGN.md). It turns a resolved command into a running
 * child wired to the callbacks of its owner, and reports its death only after the child's pipes
 * were drained, as supervisord's reaper does (spec §3.3 "Reaping", step 1).
 *
 * Two spawners make the child: the native one (native-spawn.c: a vfork-style clone, ~4x cheaper than
 * libuv's fork in a daemon with a big heap, and reaping without libuv's per-child waitpid scan)
 * when it was built, else node:child_process. What the child sees is the same with both.
 *
 * Fork-time differences with Python's fork+exec and how we keep what users see the same:
 * - The child leads its own session (setsid; supervisord uses setpgrp), so stopasgroup/killasgroup
 *   can signal `-pid`.
 * - user= as root: libuv's setuid drops supplementary groups, supervisord calls initgroups; we run
 *   the command through `setpriv --init-groups`, which execs it in place (same pid).
 * - redirect_stderr: the native spawner dup2s the stdout pipe onto fd 2 like supervisord. Node's
 *   child_process cannot hand the same pipe to fds 1 and 2, so there the child is started through
 *   `sh -c 'exec "$@" 2>&1'`, which also execs in place; output order is then exactly the child's.
 * - A directory that cannot be entered: supervisord's forked child writes
 *   `supervisor: couldn't chdir to <dir>: <ERR>` to its stderr and exits 127; we start a tiny shell
 *   that does exactly that, so the log and the BACKOFF path are the same.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { statSync } from "node:fs";
import { Socket } from "node:net";
import type { Readable } from "node:stream";
import type { DirectFile } from "../logs/direct-sink.js";
import { NativeOutput, listenWithoutAccepting, nativeSpawn, nativeSpawnerAvailable } from "./native-spawn.js";
import { StdinPipe } from "./stdin-pipe.js";

export interface ExitInfo {
  readonly code: number | null;
  /** e.g. "SIGTERM" */
  readonly signal: string | null;
  /** Known with the native spawner only (libuv does not say). */
  readonly coreDumped?: boolean;
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
  /**
   * Log files that can take the pipe's bytes directly (native spawner only): those bytes then skip
   * onStdout/onStderr, unless the file sends them back.
   */
  readonly stdoutFile?: DirectFile | null;
  readonly stderrFile?: DirectFile | null;
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
  const native = nativeSpawnerAvailable();
  // With the native spawner, redirect_stderr is a dup2 of the stdout pipe onto fd 2 (as in
  // supervisord); node:child_process cannot do that, so the child goes through `sh -c`.
  const shellRedirect = req.redirectStderr && !native;

  const directoryOk = req.directory === null || isDirectory(req.directory);

  if (!directoryOk) {
    const err = statError(req.directory);
    file = "/bin/sh";
    argv0 = "sh";
    args = ["-c", 'printf "%s\\n" "$1" "$2" >&2; exit 127', "sh", `supervisor: couldn't chdir to ${req.directory}: ${err}`, "supervisor: child process was not spawned"];
    if (shellRedirect) args[1] = `exec 2>&1; ${args[1]}`;
  } else {
    if (shellRedirect) {
      args = ["-c", 'exec "$@" 2>&1', "sh", file, ...args];
      file = "/bin/sh";
      argv0 = "sh";
    }
    // The socket listens in the daemon when the addon can do it (as supervisord's does);
    // otherwise the child's exec chain listens on fd 0 first.
    if (req.fcgiSocket && !(native && listenWithoutAccepting(req.fcgiSocket.fd, req.fcgiSocket.backlog))) {
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
  const cwd = directoryOk ? req.directory : null;

  let launched: LaunchedChild;
  try {
    launched = native ? launchNative(req, file, [argv0, ...args], cwd) : launchWithLibuv(req, file, argv0, args, cwd);
  } catch (err) {
    return { ok: false, spawnerr: spawnErrorText(err, req.name) };
  }
  return { ok: true, child: wireChild(launched, cb) };
}

/** A started child, whichever spawner made it. */
interface LaunchedChild {
  readonly pid: number;
  readonly stdin: StdinPipe | null;
  readonly stdout: OutputSource | null;
  readonly stderr: OutputSource | null;
  /** Called once, when the child has been reaped. */
  onExit(listener: (exit: ExitInfo) => void): void;
}

function launchNative(req: SpawnRequest, file: string, argv: readonly string[], cwd: string | null): LaunchedChild {
  let exitListener: ((exit: ExitInfo) => void) | null = null;
  let early: ExitInfo | null = null;
  const child = nativeSpawn(
    { file, argv, env: req.env, cwd, umask: req.umask, stdinFd: req.fcgiSocket?.fd ?? null, mergeStderr: req.redirectStderr },
    (exit) => (exitListener ? exitListener(exit) : (early = exit)),
  );
  const reader = (fd: number) => (fd >= 0 ? new NativeOutput(fd) : null);
  return {
    pid: child.pid,
    stdin: child.stdinFd >= 0 ? new StdinPipe(child.stdinFd) : null,
    stdout: reader(child.stdoutFd),
    stderr: reader(child.stderrFd),
    onExit(listener) {
      exitListener = listener;
      if (early) listener(early);
    },
  };
}

function launchWithLibuv(req: SpawnRequest, file: string, argv0: string, args: readonly string[], cwd: string | null): LaunchedChild {
  const stdio: StdioOptions = [req.fcgiSocket?.fd ?? "pipe", "pipe", req.redirectStderr ? "ignore" : "pipe"];
  const oldUmask = req.umask !== null ? process.umask(req.umask) : null;
  let child: ChildProcess;
  try {
    child = spawn(file, args, { argv0, env: req.env, cwd: cwd ?? undefined, detached: true, stdio, windowsHide: true });
  } finally {
    if (oldUmask !== null) process.umask(oldUmask);
  }
  if (child.pid === undefined) {
    // spawn() reports exec-level failures (EAGAIN, ENOMEM...) through 'error' without a pid.
    child.on("error", () => {});
    throw new Error("no pid");
  }
  child.on("error", () => {});
  return {
    pid: child.pid,
    stdin: child.stdin instanceof Socket ? StdinPipe.fromSocket(child.stdin) : null,
    stdout: child.stdout && readableSource(child.stdout),
    stderr: child.stderr && readableSource(child.stderr),
    onExit(listener) {
      child.on("exit", (code, signal) => listener({ code, signal }));
    },
  };
}

/** A child's stdout or stderr pipe, read by the native reader or by a node:net stream. */
export interface OutputSource {
  onData(listener: (chunk: Buffer) => void): void;
  /** EOF (or a read error, which ends it the same way). */
  onEnd(listener: () => void): void;
  pause(): void;
  resume(): void;
  /** Stops reading and closes the pipe. */
  destroy(): void;
  /** Ends it at once (onEnd) when the pipe is already at EOF with nothing left to read (NativeOutput only). */
  endIfHungUp?(): boolean;
  /** Lets the file take the bytes straight from the pipe (NativeOutput only); onProgress hears of each write. */
  sinkInto?(file: DirectFile, onProgress: () => void): boolean;
}

function readableSource(stream: Readable): OutputSource {
  stream.on("error", () => {});
  return {
    onData: (listener) => stream.on("data", listener),
    onEnd: (listener) => stream.on("end", listener),
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    destroy: () => stream.destroy(),
  };
}

function wireChild(child: LaunchedChild, cb: ChildCallbacks): ChildHandle {
  const pid = child.pid;
  const outputs = [child.stdout, child.stderr].filter((s): s is OutputSource => s !== null);
  let openOutputs = outputs.length;
  let exit: ExitInfo | null = null;
  let reported = false;
  let idleTimer: NodeJS.Timeout | null = null;
  let paused = false;

  const report = () => {
    if (reported || exit === null) return;
    reported = true;
    if (idleTimer) clearTimeout(idleTimer);
    for (const s of outputs) s.destroy();
    child.stdin?.close();
    cb.onExit(exit);
  };
  const armIdle = () => {
    if (exit === null || reported || paused) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(report, DRAIN_IDLE_MS);
  };

  child.stdout?.onData((chunk) => {
    cb.onStdout(chunk);
    armIdle();
  });
  child.stderr?.onData((chunk) => {
    cb.onStderr(chunk);
    armIdle();
  });
  if (cb.stdoutFile) child.stdout?.sinkInto?.(cb.stdoutFile, armIdle);
  if (cb.stderrFile) child.stderr?.sinkInto?.(cb.stderrFile, armIdle);
  for (const s of outputs) {
    s.onEnd(() => {
      openOutputs -= 1;
      if (openOutputs === 0) report();
    });
  }
  child.onExit((e) => {
    exit = e;
    // A dying child closes its pipes before it becomes a zombie, so they are usually at EOF by
    // now: end them here rather than on their own wake-ups, and a batch of exits (stop-all) is
    // reported in the reaper's one turn instead of one turn per pipe.
    for (const s of outputs) s.endIfHungUp?.();
    if (openOutputs === 0) report();
    else armIdle();
  });

  return {
    pid,
    get stdinOpen() {
      return child.stdin?.open ?? false;
    },
    writeStdin(data) {
      return child.stdin?.write(typeof data === "string" ? Buffer.from(data, "utf8") : data) ?? false;
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
  return code ? `unknown error during fork for '${name}': ${code}` : `unknown error during fork for '${name}'`;
}
