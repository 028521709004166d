/**
 * A /proc or /sys file opened once and re-read from offset 0 with positional reads (pread).
 *
 * Why: opening a /proc file costs a path walk plus open and close; a kept descriptor costs one
 * pread, which regenerates the text (seq_file and kernfs files restart at offset 0). Measured in
 * shared/research/stack.md §6: 4-7 ms per round of 500 /proc/<pid>/stat instead of 49-87 ms.
 * A kept /proc/<pid>/... descriptor also stays bound to the process it was opened for: once that
 * process is reaped, reads fail with ESRCH, so a reused pid is never read by mistake.
 *
 * Every read is synchronous and returns a fresh string, so one scratch buffer serves every file.
 */
import { closeSync, openSync, readSync } from "node:fs";

let scratch = Buffer.allocUnsafe(16 * 1024);

/** Errors meaning "the file (or its process) is gone", as opposed to a failure to read it. */
export function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ESRCH" || code === "ENODEV" || code === "ENXIO";
}

/**
 * How a file's text comes out of the kernel.
 * - "whole": single_open files (/proc/stat, /proc/meminfo, /proc/<pid>/stat) and sysfs attributes
 *   produce their whole text in the first read when the buffer is big enough, so a short read is
 *   the end. A second pread at a non-zero offset would make the kernel regenerate the whole text
 *   just to skip it, doubling the cost of the read we do most (/proc/<pid>/stat).
 * - "records": seq_files of many records (/proc/self/mounts, /proc/net/dev, /proc/diskstats, a
 *   thread's children) stop a read when their page-sized internal buffer is full, so a short read
 *   proves nothing: read until 0. An empty children list costs one read.
 */
export type ReadShape = "whole" | "records";

/** Reads the whole file behind `fd` from offset 0 (latin1: /proc text is bytes, a comm may be anything). */
export function preadAll(fd: number, shape: ReadShape): string {
  let total = 0;
  for (;;) {
    if (total === scratch.length) {
      const bigger = Buffer.allocUnsafe(scratch.length * 2);
      scratch.copy(bigger, 0, 0, total);
      scratch = bigger;
    }
    const n = readSync(fd, scratch, total, scratch.length - total, total);
    if (n === 0) break;
    total += n;
    if (shape === "whole" && total < scratch.length) break;
  }
  return scratch.toString("latin1", 0, total);
}

/** Open, read, close: for files we do not keep (per-thread children lists, the fd cap reached). */
export function readOnce(path: string, shape: ReadShape): string {
  const fd = openSync(path, "r");
  try {
    return preadAll(fd, shape);
  } finally {
    closeSync(fd);
  }
}

export class KeptFile {
  private fd = -1;

  /**
   * `reopen`: host files (/proc/stat, /sys/class/net/x/flags) may be reopened after a failure
   * (an interface that comes back); per-process files must not be, or a reused pid would be read.
   */
  constructor(
    readonly path: string,
    private readonly shape: ReadShape,
    private readonly reopen: boolean,
  ) {}

  get isOpen(): boolean {
    return this.fd >= 0;
  }

  /** The text, or null when the file or its process is gone. Other errors (EMFILE...) throw. */
  read(): string | null {
    if (this.fd < 0) {
      if (this.fd === -2 && !this.reopen) return null;
      try {
        this.fd = openSync(this.path, "r");
      } catch (err) {
        if (isGone(err)) {
          if (!this.reopen) this.fd = -2;
          return null;
        }
        throw err;
      }
    }
    try {
      return preadAll(this.fd, this.shape);
    } catch (err) {
      if (!isGone(err)) throw err;
      this.close();
      if (!this.reopen) this.fd = -2;
      return null;
    }
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed: nothing to release
      }
    }
    this.fd = -1;
  }
}
