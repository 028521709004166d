/**
 * supervisord's main (activity) log (spec §5.1, loggers.py + options.make_logger):
 * `YYYY-MM-DD HH:MM:SS,mmm LVL message\n`, local time, milliseconds truncated, written when
 * `record level >= configured level`, message verbatim (multi-line messages are not re-prefixed).
 *
 * Handlers, in the reference's order: stdout echo (nodaemon && !silent), then the file with size
 * rotation, or syslog when `logfile = "syslog"` (one message per line, each line formatted).
 * The file is written synchronously (RotatingFile "sync" mode): readLog / tests read the file
 * right after the action that logged. Measured here: ~4 µs per line with a synchronous append,
 * against ~30 µs per line when each goes through the thread pool.
 *
 * With `batch` (the daemon's logger), the lines logged during one turn of the event loop are
 * echoed and written together when the current JS returns (process.nextTick), before any other
 * I/O callback runs: whoever acts on what the daemon did (an RPC reply, a signal) finds the lines in the file,
 * and a burst costs one write(2) instead of one per line. Stopping 1000 processes logs 2000 lines
 * in one turn; one write per line was ~80 ms of the 0.6 s (docs/benchmarks.md, stop-all). Rotation
 * still happens after the line that reaches maxbytes, as line-by-line. Lines still pending when the
 * process exits are written by an 'exit' hook.
 */
import * as fs from "node:fs";
import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import { LEVEL_CODES, LEVEL_NUMBERS, type LogLevelName } from "./levels.js";
import { RotatingFile } from "./rotating-file.js";
import { SyslogSender } from "./syslog.js";
import { LogFileError } from "./errors.js";

export interface MainLoggerOptions {
  /** Absolute path, "syslog", or null for no file (tests, early errors). */
  readonly file: string | null;
  readonly maxbytes: number;
  readonly backups: number;
  readonly level: LogLevelName;
  /** Echo every line to stdout (nodaemon && !silent). */
  readonly echo: boolean;
  readonly clock?: Clock;
  /** Where echoed lines go; default process.stdout. */
  readonly echoStream?: { write(text: string): unknown };
  /** Used when file is "syslog"; default a SyslogSender for ident "supervisord". */
  readonly syslog?: SyslogSender;
  /** Where handler failures are reported (the reference prints a traceback to stderr). */
  readonly onError?: (err: LogFileError) => void;
  /** Write the file's lines once per turn of the event loop (see above). Default false. */
  readonly batch?: boolean;
}

/** Loggers with lines not yet in their file, written at process exit if still pending. */
const pendingLoggers = new Set<MainLogger>();
let exitHookInstalled = false;

/** `2026-11-25 14:06:29,942` in local time, milliseconds truncated. */
export function formatAsctime(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const millis = ((Math.floor(ms) % 1000) + 1000) % 1000;
  return (
    `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ` +
    `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())},${String(millis).padStart(3, "0")}`
  );
}

/** One formatted main-log line, newline included. */
export function formatMainLogLine(ms: number, level: LogLevelName, message: string): string {
  return `${formatAsctime(ms)} ${LEVEL_CODES[level]} ${message}\n`;
}

export class MainLogger {
  private level: LogLevelName;
  private levelNum: number;
  private readonly clock: Clock;
  private echoStream: { write(text: string): unknown } | null;
  private readonly file: RotatingFile | null;
  private readonly syslog: SyslogSender | null;
  private readonly batch: boolean;
  /** Batch mode: the lines of this turn, for the echo and the file. */
  private pending: string[] = [];
  private closed = false;

  /** Opens the file now; throws LogFileError("OPEN_FAILED") when it cannot be opened. */
  constructor(opts: MainLoggerOptions) {
    this.level = opts.level;
    this.levelNum = LEVEL_NUMBERS[opts.level];
    this.clock = opts.clock ?? realClock;
    this.batch = opts.batch ?? false;
    this.echoStream = opts.echo ? (opts.echoStream ?? process.stdout) : null;
    // A pipe whose reader died reports EPIPE asynchronously as an 'error' event; unhandled, it would
    // kill the daemon (and orphan its children). Stop echoing instead, as the file log goes on.
    const es = this.echoStream as { on?: (ev: string, fn: (err: Error) => void) => unknown } | null;
    es?.on?.("error", () => {
      this.echoStream = null;
    });
    const onError = opts.onError ?? reportToStderr;
    if (opts.file === "syslog") {
      this.file = null;
      this.syslog = opts.syslog ?? new SyslogSender();
    } else {
      this.syslog = null;
      this.file =
        opts.file === null
          ? null
          : new RotatingFile({ path: opts.file, maxbytes: opts.maxbytes, backups: opts.backups, mode: "sync", onError });
    }
  }

  /** The file written, or null (no file, or syslog). */
  get path(): string | null {
    return this.file?.path ?? null;
  }

  get currentLevel(): LogLevelName {
    return this.level;
  }

  /** Number of output handlers; the reference logs "reopening log file" once per handler on clearLog. */
  get handlerCount(): number {
    return (this.echoStream ? 1 : 0) + (this.file || this.syslog ? 1 : 0);
  }

  setLevel(level: LogLevelName): void {
    this.level = level;
    this.levelNum = LEVEL_NUMBERS[level];
  }

  isEnabledFor(level: LogLevelName): boolean {
    return LEVEL_NUMBERS[level] >= this.levelNum;
  }

  log(level: LogLevelName, message: string): void {
    if (this.closed || LEVEL_NUMBERS[level] < this.levelNum) return;
    const now = this.clock.now();
    const line = formatMainLogLine(now, level, message);
    if (this.batch && (this.echoStream || this.file)) {
      this.queue(line);
    } else {
      this.echo(line);
      this.file?.write(Buffer.from(line, "utf8"));
    }
    if (this.syslog) {
      const asctime = formatAsctime(now);
      this.syslog.sendLines(message, (l) => `${asctime} ${LEVEL_CODES[level]} ${l}`);
    }
  }

  critical(message: string): void {
    this.log("critical", message);
  }
  error(message: string): void {
    this.log("error", message);
  }
  warn(message: string): void {
    this.log("warn", message);
  }
  info(message: string): void {
    this.log("info", message);
  }
  debug(message: string): void {
    this.log("debug", message);
  }
  trace(message: string): void {
    this.log("trace", message);
  }
  blather(message: string): void {
    this.log("blather", message);
  }

  /** Batch mode: writes the lines logged so far now. */
  flush(): void {
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    pendingLoggers.delete(this);
    this.echo(lines.join(""));
    this.file?.writeMany(lines.map((l) => Buffer.from(l, "utf8")));
  }

  private echo(text: string): void {
    if (!this.echoStream) return;
    try {
      this.echoStream.write(text);
    } catch {
      // stdout gone (EPIPE when piped to a dead reader): the reference ignores it too.
    }
  }

  private queue(line: string): void {
    if (this.pending.length === 0) {
      pendingLoggers.add(this);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => {
          for (const logger of [...pendingLoggers]) logger.flush();
        });
      }
      process.nextTick(() => this.flush());
    }
    this.pending.push(line);
  }

  /** Reopens the file by path (SIGUSR2; an external logrotate moved it). */
  reopen(): void {
    this.flush();
    this.file?.reopen();
  }

  /**
   * `supervisor.clearLog` after its NO_FILE check: deletes the file (LogFileError
   * "REMOVE_FAILED" -> fault FAILED), then, per handler, logs INFO `reopening log file` and
   * reopens. As in the reference, those lines go to stdout and to the deleted file, so the new
   * file starts empty.
   */
  clear(): void {
    const file = this.file;
    if (!file) return;
    this.flush();
    try {
      fs.unlinkSync(file.path);
    } catch (err) {
      throw LogFileError.from("REMOVE_FAILED", file.path, err);
    }
    for (let i = 0; i < this.handlerCount; i++) {
      this.info("reopening log file");
      if (i === this.handlerCount - 1) this.reopen();
    }
  }

  /** Closes the file (and the syslog helper). Later log() calls are ignored. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.file?.close();
    await this.syslog?.close();
  }
}

function reportToStderr(err: LogFileError): void {
  try {
    process.stderr.write(`${err.message}\n`);
  } catch {
    // Nothing left to report to.
  }
}
