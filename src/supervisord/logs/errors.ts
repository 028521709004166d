/**
 * Named errors of the logs/ module. They carry a code instead of a message to match on, and no
 * dependency on the RPC layer: the daemon maps LogReadError kinds to XML-RPC faults itself.
 */

export type LogFileErrorCode =
  /** The file could not be opened (at construction, reopen, clear or after a rotation). */
  | "OPEN_FAILED"
  /** A write failed (ENOSPC, EIO, ...); `lostBytes` says how much output was dropped. */
  | "WRITE_FAILED"
  /** Renaming backups during a rotation failed; writing continues in the base file. */
  | "ROTATE_FAILED"
  /** Deleting the base file during clear() failed. */
  | "REMOVE_FAILED"
  /** write() after close(). */
  | "CLOSED";

export class LogFileError extends Error {
  override readonly name = "LogFileError";
  constructor(
    readonly code: LogFileErrorCode,
    readonly path: string,
    /** The system error code (e.g. "ENOSPC", "EMFILE"), when there is one. */
    readonly errno: string | null,
    message: string,
    /** Bytes of output that could not be written because of this error. */
    readonly lostBytes = 0,
  ) {
    super(message);
  }

  static from(code: LogFileErrorCode, path: string, cause: unknown, lostBytes = 0): LogFileError {
    const sys = cause as NodeJS.ErrnoException | null;
    const errno = sys && typeof sys.code === "string" ? sys.code : null;
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new LogFileError(code, path, errno, `${code} ${path}: ${detail}`, lostBytes);
  }
}

/** Mirrors supervisord's readFile/readLog outcomes; the lead maps `kind` to the fault of that name. */
export type LogReadErrorKind = "BAD_ARGUMENTS" | "NO_FILE" | "FAILED";

export class LogReadError extends Error {
  override readonly name = "LogReadError";
  constructor(
    readonly kind: LogReadErrorKind,
    readonly path: string | null,
    message?: string,
  ) {
    super(message ?? kind);
  }
}
