/**
 * The daemon's end of a child's stdin pipe (sendProcessStdin, and the event protocol for
 * listeners).
 *
 * Most programs never get a byte on stdin, so the pipe stays a bare, non-blocking fd: no
 * net.Socket, whose creation at spawn and destruction at exit cost as much as the rest of a stop
 * (docs/benchmarks.md, stop-all). Like supervisord, a write goes to the pipe at once when nothing is
 * queued: a reader that is gone shows up now as EPIPE (the caller answers NO_FILE) instead of later,
 * unseen. Only a full pipe (EAGAIN) or a partial write brings in a net.Socket, which queues the rest
 * and keeps the order; from then on the socket owns the fd.
 */
import { closeSync, writeSync } from "node:fs";
import { Socket } from "node:net";

export class StdinPipe {
  private stream: Socket | null;
  private closed = false;

  /** `fd` must be non-blocking; `stream`, when given, already wraps it (node:child_process's stdin). */
  constructor(
    private readonly fd: number,
    stream: Socket | null = null,
  ) {
    this.stream = stream;
    stream?.on("error", () => (this.closed = true));
  }

  /** node:child_process's stdin socket, with the same write-first behaviour. */
  static fromSocket(socket: Socket): StdinPipe {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    return new StdinPipe(fd, socket);
  }

  get open(): boolean {
    return !this.closed && !(this.stream?.destroyed ?? false);
  }

  /** Queues `data`; false when the pipe is closed or its reader has gone (EPIPE). */
  write(data: Buffer): boolean {
    if (!this.open) return false;
    let rest = data;
    if (this.fd >= 0 && (this.stream === null || this.stream.writableLength === 0)) {
      try {
        const n = writeSync(this.fd, rest);
        if (n === rest.length) return true;
        rest = rest.subarray(n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") {
          // EPIPE: the child closed its stdin or died. Anything else on a pipe means the same.
          this.close();
          return false;
        }
      }
    }
    this.socket().write(rest);
    return true;
  }

  /** Closes the pipe (the child sees EOF); idempotent. */
  close(): void {
    if (this.closed && (this.stream === null || this.stream.destroyed)) return;
    this.closed = true;
    if (this.stream) this.stream.destroy();
    else if (this.fd >= 0) closeSync(this.fd);
  }

  private socket(): Socket {
    if (this.stream === null) {
      this.stream = new Socket({ fd: this.fd, readable: false, writable: true });
      this.stream.on("error", () => (this.closed = true));
    }
    return this.stream;
  }
}
