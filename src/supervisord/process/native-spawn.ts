/**
 * Loads the native spawner (native-spawn.c, built into dist/native/spawner.node) and reaps the
 * children it makes. spawner.ts uses it when it is there and falls back to node:child_process
 * otherwise; `SUPERVISORD_SPAWNER=child_process` forces the fallback.
 *
 * Reaping: libuv only reaps the children it spawned, so ours are reaped here, on SIGCHLD. The
 * addon's reap() returns every child of ours that ended since the last call (it learns which from
 * their pidfds); libuv's own children (none in normal operation) are left to libuv.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { getSystemErrorMap } from "node:util";
import type { DirectFile, SinkPort } from "../logs/direct-sink.js";

interface SpawnerAddon {
  /** [pid, stdinWriteFd | -1, stdoutReadFd, stderrReadFd | -1]; throws an Error with `code` (e.g. "ENOENT"). */
  spawn(
    file: string,
    argv: readonly string[],
    envp: readonly string[],
    cwd: string | null,
    umask: number,
    stdinFd: number,
    mergeStderr: boolean,
  ): [number, number, number, number];
  /** Flat [pid, exitCode | -1, signal | 0, flags, ...] of the children that ended (flags: EXIT_*). */
  reap(): number[];
  /** Also reap children we did not spawn (orphans re-parented to us as PID 1 or as a child subreaper), as supervisord does; without either, no such child can exist and reap() skips looking. */
  setReapUnknown(on: boolean): void;
  /** [live children, how many of them have no pidfd (reaped by the waitid walk)]. */
  reapInfo(): [number, number];
  /** A child of node:child_process: leave it to libuv. */
  exempt(pid: number, on: boolean): void;
  /** Reads fd from the event loop; callback(null, 0) at EOF. The reader owns fd. */
  readerOpen(fd: number, callback: (chunk: Buffer | null, length: number) => void): ReaderHandle;
  readerPause(handle: ReaderHandle, paused: boolean): void;
  /**
   * fd >= 0: write the pipe into fd (duplicated) from the thread pool until `limit` bytes (0: no limit), then hold; -1: hold;
   * null: back to read mode. callback(written, errno, lost): bytes written into the current
   * target; errno > 0: a write error lost `lost` bytes and the reader went back to read mode.
   */
  readerSink(handle: ReaderHandle, fd: number | null, limit: number, callback: (written: number, errno: number, lost: number) => void): void;
  readerClose(handle: ReaderHandle): void;
  /** True (and the reader marked ended, without a callback) when the pipe has no writer and nothing left to read. */
  readerHungUp(handle: ReaderHandle): boolean;
  /** listen(2); 0 or -errno. */
  listen(fd: number, backlog: number): number;
}

declare const readerHandle: unique symbol;
type ReaderHandle = { readonly [readerHandle]: true };

const EXIT_CORE_DUMPED = 1;
const EXIT_UNKNOWN_CHILD = 2;

export interface NativeExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly coreDumped: boolean;
}

export interface NativeChild {
  readonly pid: number;
  /** -1 when fd 0 was given (fcgi socket). */
  readonly stdinFd: number;
  readonly stdoutFd: number;
  /** -1 when stderr is merged into stdout. */
  readonly stderrFd: number;
}

export interface NativeSpawnRequest {
  readonly file: string;
  /** argv[0] first. */
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string | null;
  readonly umask: number | null;
  /** An fd to give the child as fd 0 instead of a pipe. */
  readonly stdinFd: number | null;
  readonly mergeStderr: boolean;
}

/** Where the addon is, from the bundle (dist/bin/*.mjs) or from the sources run by tsx. */
const CANDIDATES = ["../native/spawner.node", "../../../dist/native/spawner.node"];

function load(): SpawnerAddon | null {
  if (process.env.SUPERVISORD_SPAWNER === "child_process") return null;
  const require = createRequire(import.meta.url);
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(path)) continue;
    try {
      return require(path) as SpawnerAddon;
    } catch {
      return null;
    }
  }
  return null;
}

let addon: SpawnerAddon | null | undefined;
const exitListeners = new Map<number, (exit: NativeExit) => void>();
/**
 * Node's signal handles do not keep the loop alive, libuv's process handles did: while a child of
 * ours lives, this timer does (it never fires in practice, so it costs no wake-up).
 */
let keepAlive: NodeJS.Timeout | null = null;
const signalNames = new Map<number, string>(Object.entries(constants.signals).map(([name, num]) => [num, name]));

function getAddon(): SpawnerAddon | null {
  if (addon === undefined) {
    addon = load();
    // Installed before the first spawn so that no exit can be missed.
    if (addon) process.on("SIGCHLD", scheduleReap);
  }
  return addon;
}

export function nativeSpawnerAvailable(): boolean {
  return getAddon() !== null;
}

/**
 * listen(2) on a bound socket without libuv polling it (fcgi-program sockets). False when the
 * native spawner is not there: the child's exec chain must then listen itself.
 */
export function listenWithoutAccepting(fd: number, backlog: number): boolean {
  const a = getAddon();
  return a !== null && a.listen(fd, backlog) === 0;
}

/** Spawns through the addon; throws like child_process (an Error with `code`). */
export function nativeSpawn(req: NativeSpawnRequest, onExit: (exit: NativeExit) => void): NativeChild {
  const a = getAddon();
  if (!a) throw new Error("native spawner not available");
  const envp = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const [pid, stdinFd, stdoutFd, stderrFd] = a.spawn(req.file, req.argv, envp, req.cwd, req.umask ?? -1, req.stdinFd ?? -1, req.mergeStderr);
  exitListeners.set(pid, onExit);
  keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
  return { pid, stdinFd, stdoutFd, stderrFd };
}

let unknownListener: ((pid: number, exit: NativeExit) => void) | null = null;

/**
 * supervisord reaps every child with waitpid(-1) and logs the ones it did not spawn ("reaped
 * unknown pid"): as PID 1 in a container those are orphaned grandchildren. With the native spawner
 * we do the same; children of node:child_process must then be announced with exemptFromReaping.
 * Returns false when the native spawner is not there (nothing reaps orphans then).
 */
export function reapUnknownChildren(listener: (pid: number, exit: NativeExit) => void): boolean {
  const a = getAddon();
  if (!a) return false;
  unknownListener = listener;
  a.setReapUnknown(true);
  return true;
}

/** What the native reaper tracks: live children, and how many of them it must find by walking (no pidfd). */
export function nativeReapInfo(): { live: number; untracked: number } | null {
  const a = getAddon();
  if (!a) return null;
  const [live, untracked] = a.reapInfo();
  return { live, untracked };
}

/** A child started with node:child_process: libuv reaps it, the native reaper must leave it. */
export function exemptFromReaping(pid: number, exempt: boolean): void {
  getAddon()?.exempt(pid, exempt);
}

let reapScheduled = false;

/**
 * One reap per turn of the event loop, however many SIGCHLDs libuv delivers in it: a reap() that
 * has to walk (children without a pidfd, or orphans as PID 1) costs a waitid over all live
 * children, ~25 us with 1000 of them, and stop-all N=1000 gets ~1000 signals.
 */
function scheduleReap(): void {
  if (reapScheduled) return;
  reapScheduled = true;
  setImmediate(reapEnded);
}

function reapEnded(): void {
  reapScheduled = false;
  const ended = (addon as SpawnerAddon).reap();
  for (let i = 0; i < ended.length; i += 4) {
    const pid = ended[i];
    const code = ended[i + 1];
    const signal = ended[i + 2];
    const flags = ended[i + 3];
    const exit: NativeExit = {
      code: code >= 0 ? code : null,
      signal: signal ? (signalNames.get(signal) ?? `SIG${signal}`) : null,
      coreDumped: (flags & EXIT_CORE_DUMPED) !== 0,
    };
    let listener: ((exit: NativeExit) => void) | undefined;
    if (flags & EXIT_UNKNOWN_CHILD) {
      listener = unknownListener ? (e) => unknownListener?.(pid, e) : undefined;
    } else {
      listener = exitListeners.get(pid);
      exitListeners.delete(pid);
    }
    try {
      listener?.(exit);
    } catch (err) {
      // One failing listener must not lose the other exits: rethrow it on its own turn (the daemon
      // logs uncaught exceptions and goes on).
      process.nextTick(() => {
        throw err;
      });
    }
  }
  if (exitListeners.size === 0 && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
}

/**
 * A child's output pipe read by the addon (uv_poll + read(2) of what the pipe holds, one JS call
 * per wake-up) instead of a net.Socket: no stream machinery per chunk. Same contract as
 * spawner.ts's OutputSource, plus sinkInto: the addon writes the pipe straight into a log file
 * (docs/benchmarks.md, log capture).
 */
export class NativeOutput {
  private readonly handle: ReaderHandle;
  private dataListener: ((chunk: Buffer) => void) | null = null;
  private endListener: (() => void) | null = null;
  private closed = false;

  constructor(fd: number) {
    this.handle = (getAddon() as SpawnerAddon).readerOpen(fd, (chunk, length) => this.onChunk(chunk, length));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListener = listener;
  }

  onEnd(listener: () => void): void {
    this.endListener = listener;
  }

  pause(): void {
    if (!this.closed) (addon as SpawnerAddon).readerPause(this.handle, true);
  }

  resume(): void {
    if (!this.closed) (addon as SpawnerAddon).readerPause(this.handle, false);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    (addon as SpawnerAddon).readerClose(this.handle);
  }

  /** Ends the reader now (onEnd, then closed) when the pipe is at EOF already; false otherwise. */
  endIfHungUp(): boolean {
    if (this.closed || !(addon as SpawnerAddon).readerHungUp(this.handle)) return false;
    this.destroy();
    this.endListener?.();
    return true;
  }

  /**
   * Hands the pipe to a log file: from now on the file steers where the bytes go (DirectFile) and
   * onData is only called again if the file or an error sends the port back to read mode.
   * `onProgress` hears of every write (the spawner's drain timer).
   */
  sinkInto(file: DirectFile, onProgress: () => void): boolean {
    if (this.closed) return false;
    const a = addon as SpawnerAddon;
    const onWritten = (written: number, errno: number, lost: number): void => {
      if (written > 0) {
        file.written(written);
        onProgress();
      }
      if (errno > 0) {
        const [name, message] = getSystemErrorMap().get(-errno) ?? [`E${errno}`, `error ${errno}`];
        file.detached({ errno: name, message, lostBytes: lost });
      }
    };
    const port: SinkPort = {
      target: (fd, limit) => {
        if (!this.closed) a.readerSink(this.handle, fd, limit, onWritten);
      },
      hold: () => {
        if (!this.closed) a.readerSink(this.handle, -1, 0, onWritten);
      },
      detach: () => {
        if (!this.closed) a.readerSink(this.handle, null, 0, onWritten);
      },
    };
    return file.attach(port);
  }

  private onChunk(chunk: Buffer | null, length: number): void {
    if (this.closed) return;
    if (chunk === null) {
      this.destroy();
      this.endListener?.();
      return;
    }
    this.dataListener?.(length === chunk.length ? chunk : chunk.subarray(0, length));
  }
}
