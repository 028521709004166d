/**
 * Output that goes from a child's pipe into its log file without passing through JS: the native
 * reader copies the pipe into the file on the thread pool (native-output.c) and only tells how
 * many bytes went in.
 * Used for plain channels, the common case (a log file and nothing else: no capture mode, events,
 * syslog, strip_ansi or debug lines, which all need the bytes).
 *
 * The native side was measured against `head | cat > file` (docs/benchmarks.md, log capture): a
 * pool thread reading and writing with a big buffer keeps up with cat; the JS path, one Buffer per
 * chunk and a write from the event loop, reached 0.5-0.8 of it.
 *
 * Two sides: the pipe's SinkPort (implemented by the native reader) and the file's DirectFile
 * (RotatingFile), which steers the port: where to write, how much before a rotation is due, and
 * when to stop while the file is replaced (rotation, reopen, clear, close).
 */

/** The pipe side. */
export interface SinkPort {
  /**
   * Write into `fd` from now on (the port keeps its own duplicate, so the caller may close fd).
   * After `limit` bytes (0: no limit) the port holds until the next target(). Bytes of a write that
   * was running when the target changed are not reported.
   */
  target(fd: number, limit: number): void;
  /** Start no more writes until target(). */
  hold(): void;
  /** Stop writing directly: the bytes come through the normal path (OutputChannel.write) again. */
  detach(): void;
}

/** The file side. */
export interface DirectFile {
  /** Takes control of the port (calls target or hold now); false when the file cannot be written directly. */
  attach(port: SinkPort): boolean;
  /** Bytes the port wrote into the current target. */
  written(bytes: number): void;
  /** The port went back to the normal path by itself after a write error, which lost `lostBytes`. */
  detached(failure: DirectWriteFailure): void;
}

export interface DirectWriteFailure {
  /** e.g. "ENOSPC" */
  readonly errno: string;
  /** e.g. "no space left on device" */
  readonly message: string;
  readonly lostBytes: number;
}
