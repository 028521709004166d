/**
 * One child's stdout or stderr after the pipe (spec §6.1, §6.4; dispatchers.py POutputDispatcher).
 * Every chunk read is handled as raw bytes, no line buffering:
 *   capture-token scan (when `<channel>_capture_maxbytes > 0`), then for each piece:
 *   1. strip_ansi, 2. write to the current sink — the log file and/or syslog in normal mode, the
 *   capture buffer in capture mode, 3. DEBG main-log line `'<name>' <channel> output:\n<text>`
 *   when the main log is at debug, 4. onLog(piece) when `<channel>_events_enabled`.
 * Steps 3 and 4 happen for captured data too (the reference's observed quirk, §14 item 17). At the
 * END token the capture buffer becomes onCommunication(data), then DEBG `'<name>' <channel>
 * emitted a comm event`, and the buffer is emptied.
 *
 * A plain channel (a log file and none of the above: no capture, events, syslog, strip_ansi or debug
 * lines) offers its file as a DirectFile: the native reader then copies the pipe into it and
 * write() sees nothing (direct-sink.ts).
 *
 * The caller creates one channel per spawn (the file is opened here, synchronously, so an open
 * error becomes the spawn error) and closes it when the process is reaped; close() resolves once
 * every byte is in the file. write() returning false means "pause the pipe until onDrain".
 */
import type { Channel } from "../events/types.js";
import { decodeChunk } from "../text.js";
import { pythonStrRepr } from "../text.js";
import type { LogLevelName } from "./levels.js";
import { RotatingFile } from "./rotating-file.js";
import { CaptureBuffer, CaptureScanner, type CaptureStep } from "./capture.js";
import { stripAnsi } from "./strip-ansi.js";
import { sharedSyslogSender, type SyslogSender } from "./syslog.js";
import type { LogFileError } from "./errors.js";
import type { DirectFile } from "./direct-sink.js";

/** The part of MainLogger a channel uses. */
export interface DebugLogSink {
  isEnabledFor(level: LogLevelName): boolean;
  debug(message: string): void;
}

export interface OutputChannelOptions {
  /** The process name (config `name`), used in debug lines and the syslog prefix. */
  readonly processName: string;
  readonly channel: Channel;
  /** Resolved log file path (AUTO already created), or null for NONE. */
  readonly logfile: string | null;
  readonly maxbytes: number;
  readonly backups: number;
  /** `<channel>_syslog`: send each line to syslog prefixed with `<processName> `. */
  readonly syslog: boolean;
  /** `<channel>_capture_maxbytes`; 0 disables capture mode. */
  readonly captureMaxbytes: number;
  /** `<channel>_events_enabled`: call onLog for every piece. */
  readonly eventsEnabled: boolean;
  /** `[supervisord] strip_ansi`. */
  readonly stripAnsi: boolean;
  readonly mainLog: DebugLogSink;
  /** PROCESS_LOG_<CHANNEL> payload (the caller adds pid and process). */
  readonly onLog?: (data: Buffer) => void;
  /** PROCESS_COMMUNICATION_<CHANNEL> payload. */
  readonly onCommunication?: (data: Buffer) => void;
  /** The file can take more after write() returned false. */
  readonly onDrain?: () => void;
  /** I/O failures of the log file (the lead logs them). */
  readonly onError?: (err: LogFileError) => void;
  /** Default: the daemon-wide sender. */
  readonly syslogSender?: SyslogSender;
  /** Queued bytes above which write() returns false. */
  readonly highWaterMark?: number;
}

export class OutputChannel {
  readonly processName: string;
  readonly channel: Channel;
  private readonly opts: OutputChannelOptions;
  private readonly file: RotatingFile | null;
  private readonly syslog: SyslogSender | null;
  private readonly scanner: CaptureScanner | null;
  private readonly capture: CaptureBuffer | null;
  private readonly reprName: string;
  private capturing = false;
  private closed = false;
  /** Result of the file writes of the current chunk. */
  private accepted = true;
  private readonly onStep = (step: CaptureStep): void => {
    if (step.kind === "data") this.logPiece(step.data);
    else this.toggle(step.capturing);
  };

  /** Opens the log file now; throws LogFileError("OPEN_FAILED") (the spawn error) on failure. */
  constructor(opts: OutputChannelOptions) {
    this.opts = opts;
    this.processName = opts.processName;
    this.channel = opts.channel;
    this.reprName = pythonStrRepr(opts.processName);
    this.file = opts.logfile
      ? new RotatingFile({
          path: opts.logfile,
          maxbytes: opts.maxbytes,
          backups: opts.backups,
          mode: "async",
          ...(opts.highWaterMark !== undefined ? { highWaterMark: opts.highWaterMark } : {}),
          ...(opts.onDrain ? { onDrain: opts.onDrain } : {}),
          ...(opts.onError ? { onError: opts.onError } : {}),
        })
      : null;
    this.syslog = opts.syslog ? (opts.syslogSender ?? sharedSyslogSender()) : null;
    if (opts.captureMaxbytes > 0) {
      this.scanner = new CaptureScanner();
      this.capture = new CaptureBuffer(opts.captureMaxbytes);
    } else {
      this.scanner = null;
      this.capture = null;
    }
  }

  /** The log file written (null for NONE). */
  get logfile(): string | null {
    return this.file?.path ?? null;
  }

  /** True while between BEGIN and END tokens. */
  get capturemode(): boolean {
    return this.capturing;
  }

  /** Bytes accepted and not yet in the file. */
  get pendingBytes(): number {
    return this.file?.pendingBytes ?? 0;
  }

  /**
   * The file, when nothing but the file needs the bytes (see above). The main log level is read
   * now: a daemon switched to debug by a reload logs the output of the processes it starts after.
   */
  directFile(): DirectFile | null {
    const o = this.opts;
    const plain = !this.syslog && !this.scanner && !o.stripAnsi && !o.eventsEnabled && !o.mainLog.isEnabledFor("debug");
    return plain && !this.closed ? this.file : null;
  }

  /** Handles one chunk read from the pipe. Returns false when the producer should pause. */
  write(chunk: Buffer): boolean {
    if (this.closed || chunk.length === 0) return true;
    this.accepted = true;
    if (this.scanner) this.scanner.feed(chunk, this.onStep);
    else this.logPiece(chunk);
    return this.accepted;
  }

  /** SIGUSR2: reopen the file by path. */
  reopen(): void {
    this.file?.reopen();
  }

  /** clearProcessLogs: delete and recreate the file (backups kept) and empty the capture buffer. */
  clear(): void {
    this.file?.clear();
    this.capture?.clear();
  }

  /** EOF / reaped: releases held-back token bytes, writes everything out, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.scanner?.flush(this.onStep);
    this.closed = true;
    await this.file?.close();
  }

  /** Resolves when everything written so far is in the file. */
  flush(): Promise<void> {
    return this.file?.flush() ?? Promise.resolve();
  }

  // dispatchers.py _log()
  private logPiece(raw: Buffer): void {
    if (raw.length === 0) return;
    const data = this.opts.stripAnsi ? stripAnsi(raw) : raw;
    if (this.capturing) {
      this.capture!.write(data);
    } else {
      if (this.file && data.length > 0 && !this.file.write(data)) this.accepted = false;
      if (this.syslog && data.length > 0) {
        const prefix = this.processName;
        this.syslog.sendLines(data.toString("utf8"), (line) => `${prefix} ${line}`);
      }
    }
    if (this.opts.mainLog.isEnabledFor("debug")) {
      this.opts.mainLog.debug(`${this.reprName} ${this.channel} output:\n${decodeChunk(data)}`);
    }
    if (this.opts.eventsEnabled) this.opts.onLog?.(data);
  }

  // dispatchers.py toggle_capturemode()
  private toggle(capturing: boolean): void {
    this.capturing = capturing;
    if (capturing) return;
    const data = this.capture!.value;
    this.opts.onCommunication?.(data);
    this.opts.mainLog.debug(`${this.reprName} ${this.channel} emitted a comm event`);
    this.capture!.clear();
  }
}
