/**
 * AUTO child log files (spec §6.2, §4.1 step 5; options.py get_autochildlog_name and
 * clear_autochildlogdir).
 *
 * Names are `<process_name>-<channel>---<identifier>-<8 random [a-z0-9_]>.log`, created empty
 * with mode 0600 and O_EXCL like Python's tempfile.mkstemp (which retries on a name clash). At
 * every daemon start/reload (unless nocleanup) the files of previous runs with the same
 * identifier are deleted: names matching `.+?---<identifier>-\S+\.log\.?\d{0,4}` from the start
 * (Python re.match: the end is not anchored, so `.log.12345` matches too).
 *
 * Deliberate difference: the reference puts the identifier into the pattern unescaped, so an
 * identifier with regex characters (`.`, `+`, ...) matches more (or fails to compile); we escape
 * it, so only files of that exact identifier are removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { pythonStrRepr } from "../text.js";
import type { Channel } from "../events/types.js";

/** Python tempfile's alphabet for random names. */
const NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_";
/** tempfile.TMP_MAX: attempts before giving up on name clashes. */
const MAX_ATTEMPTS = 10000;

/** The part of MainLogger cleanup reports to. */
export interface WarnSink {
  warn(message: string): void;
}

function randomName(length = 8): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    // Rejection sampling keeps the 37 characters equally likely.
    const v = bytes[i]!;
    if (v < 37 * 6) out += NAME_CHARS[v % 37];
  }
  return out.length === length ? out : out + randomName(length - out.length);
}

/**
 * Creates an empty AUTO log file (mode 0600, exclusive) and returns its absolute path.
 * Throws the fs error (e.g. ENOENT for a missing childlogdir, EMFILE) like mkstemp.
 */
export function createAutoLogFile(childlogdir: string, processName: string, channel: Channel, identifier: string): string {
  const prefix = `${processName}-${channel}---${identifier}-`;
  const dir = path.resolve(childlogdir);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const file = path.join(dir, `${prefix}${randomName()}.log`);
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw err;
    }
    fs.closeSync(fd);
    return file;
  }
  throw Object.assign(new Error(`No usable temporary file name found in ${dir}`), { code: "EEXIST" });
}

/** The cleanup pattern for one identifier (matched from the start of a file name). */
export function autoLogPattern(identifier: string): RegExp {
  const id = identifier.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");
  return new RegExp(`^.+?---${id}-\\S+\\.log\\.?\\d{0,4}`);
}

/**
 * Deletes the AUTO logs of previous runs with this identifier. Failures are logged as the
 * reference does: WARN `Could not clear childlog dir` when the directory cannot be listed,
 * WARN `Failed to clean up '<path>'` per file that cannot be removed. Returns the removed paths.
 */
export function cleanupAutoLogs(childlogdir: string, identifier: string, log: WarnSink): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(childlogdir);
  } catch {
    log.warn("Could not clear childlog dir");
    return [];
  }
  const pattern = autoLogPattern(identifier);
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const file = path.join(childlogdir, name);
    try {
      fs.unlinkSync(file);
      removed.push(file);
    } catch {
      log.warn(`Failed to clean up ${pythonStrRepr(file)}`);
    }
  }
  return removed;
}
