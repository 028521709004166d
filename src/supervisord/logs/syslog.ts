/**
 * A minimal syslog sender for `logfile=syslog` and `<channel>_syslog=true`.
 *
 * Python's `syslog.syslog(msg)` sends one datagram to /dev/log with facility USER, priority INFO
 * and ident = basename(argv[0]) ("supervisord"), whatever the record's level. Node cannot open
 * unix datagram sockets (node:dgram is UDP only, node:net is stream only), so we keep one
 * long-lived `logger` (util-linux) reading lines on its stdin: it sends each line as one message
 * with the same ident and priority. It is started on the first message, in its own process group
 * (a terminal's Ctrl-C must not kill it before our shutdown lines), and ends when its stdin
 * closes (close() or our exit). When `logger` is missing or there is no syslog daemon, messages
 * are dropped, as glibc's syslog() drops them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";
import { exemptFromReaping } from "../process/native-spawn.js";

export interface SyslogSenderOptions {
  /** Tag of every message; default "supervisord" (what Python's syslog uses). */
  readonly ident?: string;
  /** The command reading one message per line on stdin. Default `logger -t <ident> -p user.info`. */
  readonly command?: readonly string[];
}

/** Give up (drop messages) after this many failed starts in a row. */
const MAX_FAILED_STARTS = 3;

export class SyslogSender {
  private readonly command: readonly string[];
  private child: ChildProcess | null = null;
  private failedStarts = 0;
  private closed = false;

  constructor(opts: SyslogSenderOptions = {}) {
    const ident = opts.ident ?? "supervisord";
    this.command = opts.command ?? ["logger", "-t", ident, "-p", "user.info"];
  }

  /** Sends one message. Newlines inside would make several messages: callers split lines first. */
  send(message: string): void {
    if (this.closed) return;
    const child = this.ensureChild();
    if (!child?.stdin || child.stdin.destroyed) return;
    child.stdin.write(message.replace(/\n/g, " ") + "\n");
  }

  /** Sends each line of a (possibly multi-line) message, as the reference's SyslogHandler does. */
  sendLines(message: string, format: (line: string) => string): void {
    for (const line of message.replace(/\n+$/, "").split("\n")) this.send(format(line));
  }

  /** Ends the helper once it has read everything sent. */
  close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    // Hold the event loop until the helper has read and sent everything.
    child.ref();
    (child.stdin as unknown as Socket | null)?.ref?.();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
      child.stdin?.end();
    });
  }

  private ensureChild(): ChildProcess | null {
    if (this.child) return this.child;
    if (this.failedStarts >= MAX_FAILED_STARTS) return null;
    const [file, ...args] = this.command;
    const child = spawn(file!, args, { stdio: ["pipe", "ignore", "ignore"], detached: true });
    this.child = child;
    // libuv reaps it; the native reaper (which reaps unknown children) must leave it alone.
    if (child.pid !== undefined) exemptFromReaping(child.pid, true);
    child.unref();
    (child.stdin as unknown as Socket | null)?.unref?.();
    child.stdin?.on("error", () => {
      // EPIPE when the helper died: the exit handler starts a new one on the next message.
    });
    child.once("error", () => {
      this.failedStarts++;
      if (this.child === child) this.child = null;
    });
    child.once("exit", (code) => {
      if (child.pid !== undefined) exemptFromReaping(child.pid, false);
      if (code === 0) this.failedStarts = 0;
      else this.failedStarts++;
      if (this.child === child) this.child = null;
    });
    return child;
  }
}

let shared: SyslogSender | null = null;

/** The daemon-wide sender for child `<channel>_syslog=true` output (one helper for all). */
export function sharedSyslogSender(): SyslogSender {
  shared ??= new SyslogSender();
  return shared;
}
