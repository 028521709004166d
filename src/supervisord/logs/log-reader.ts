/**
 * Reading log files back for readLog / readProcess*Log / tailProcess*Log (spec §8.6), with the
 * reference's exact offset rules (supervisor/options.py readFile and tailFile). Offsets are byte
 * offsets into the current file only; rotated backups are never read.
 *
 * Deliberate difference: the reference decodes the bytes as UTF-8 strictly and answers HTTP 500
 * when a slice holds invalid UTF-8 or cuts a multi-byte character; we decode with replacement
 * (U+FFFD), so a client always gets an answer.
 */
import * as fs from "node:fs";
import { LogReadError } from "./errors.js";

export { LogReadError };

/**
 * `readFile(path, offset, length)`:
 * - offset < 0, length 0: the last |offset| bytes (the whole file if shorter);
 * - offset < 0, length != 0: BAD_ARGUMENTS;  offset >= 0, length < 0: BAD_ARGUMENTS;
 * - offset >= 0, length 0: from offset to EOF; offset >= 0, length > 0: up to length bytes.
 * A missing file is NO_FILE (checked first, as the RPC layer does); any other I/O error FAILED.
 */
export function readLogSlice(path: string, offset: number, length: number): string {
  if (!fs.existsSync(path)) throw new LogReadError("NO_FILE", path);
  if (offset < 0 && length !== 0) throw new LogReadError("BAD_ARGUMENTS", path);
  if (offset >= 0 && length < 0) throw new LogReadError("BAD_ARGUMENTS", path);
  return withFile(path, (fd, size) => {
    if (offset < 0) {
      const start = Math.max(0, size - -offset);
      return readAt(fd, start, Math.min(-offset, size - start));
    }
    if (offset >= size) return "";
    const available = size - offset;
    return readAt(fd, offset, length === 0 ? available : Math.min(length, available));
  });
}

/**
 * `tailFile(path, offset, length)` -> [data, new offset (= file size), overflow], the reference's
 * algorithm verbatim. A missing file gives ["", 0, false] (the RPC layer's check); any other I/O
 * error gives ["", offset, false] as the reference's `except` does.
 */
export function tailLog(path: string, offset: number, length: number): [string, number, boolean] {
  if (!fs.existsSync(path)) return ["", 0, false];
  try {
    return withFile(path, (fd, sz) => {
      let overflow = false;
      if (sz > offset + length) {
        overflow = true;
        offset = sz - 1;
      }
      if (offset + length > sz) {
        if (offset > sz - 1) length = 0;
        offset = sz - length;
      }
      if (offset < 0) offset = 0;
      if (length < 0) length = 0;
      const data = length === 0 ? "" : readAt(fd, offset, length);
      return [data, sz, overflow];
    });
  } catch {
    return ["", offset, false];
  }
}

function withFile<T>(path: string, fn: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (err) {
    throw new LogReadError("FAILED", path, describe(err));
  }
  try {
    let size: number;
    try {
      const st = fs.fstatSync(fd);
      // Python's open() refuses a directory (EISDIR); Node's does not.
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: is a directory: ${path}`), { code: "EISDIR" });
      size = st.size;
    } catch (err) {
      throw new LogReadError("FAILED", path, describe(err));
    }
    return fn(fd, size);
  } finally {
    fs.closeSync(fd);
  }
}

/** Up to `length` bytes at `position` (fewer if the file shrank meanwhile), decoded leniently. */
function readAt(fd: number, position: number, length: number): string {
  if (length <= 0) return "";
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  try {
    while (got < length) {
      const n = fs.readSync(fd, buf, got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
  } catch (err) {
    throw new LogReadError("FAILED", null, describe(err));
  }
  return buf.toString("utf8", 0, got);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
