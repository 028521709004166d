/**
 * supervisord's option datatypes (supervisor/datatypes.py), with their exact error texts. Each
 * throws a ValueProblem; the section readers attach file/section/option to it.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ValueProblem } from "./errors.js";
import { parsePythonInt, pythonIntErrorMessage } from "./pyint.js";
import { pythonStrRepr } from "../text.js";
import { pyStrip } from "./pystr.js";
import type { UserDatabase } from "./users.js";
import type { AutoRestart, LogFileSpec, LogLevelName } from "./types.js";

/** What the datatypes need from the outside world; relative paths are resolved against cwd. */
export interface PathContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly users: UserDatabase;
}

const TRUTHY = ["yes", "true", "on", "1"];
const FALSY = ["no", "false", "off", "0"];

export function boolean(s: string): boolean {
  const ss = s.toLowerCase();
  if (TRUTHY.includes(ss)) return true;
  if (FALSY.includes(ss)) return false;
  throw new ValueProblem(`not a valid boolean value: ${pythonStrRepr(s)}`);
}

/** Python int(). */
export function integer(s: string): number {
  const n = parsePythonInt(s);
  if (n === null) throw new ValueProblem(pythonIntErrorMessage(s));
  return n;
}

const BYTE_SUFFIXES: [string, number][] = [
  ["kb", 1024],
  ["mb", 1024 * 1024],
  ["gb", 1024 * 1024 * 1024],
];

/** `<int>[KB|MB|GB]`, 1024-based, case-insensitive. */
export function byteSize(v: string): number {
  const lower = v.toLowerCase();
  for (const [suffix, mult] of BYTE_SUFFIXES) {
    if (lower.slice(-2) === suffix) return integer(lower.slice(0, -2)) * mult;
  }
  return integer(lower);
}

const OCTAL_RE = /^[+-]?(?:0[oO])?_?[0-7]+(?:_[0-7]+)*$/;

/** Python int(arg, 8). */
export function octal(arg: string): number {
  const t = pyStrip(arg);
  // `_` may follow the 0o prefix but may not lead a plain number.
  if (!OCTAL_RE.test(t) || /^[+-]?_/.test(t)) throw new ValueProblem(`${arg} can not be converted to an octal type`);
  const neg = t.startsWith("-");
  const digits = t.replace(/^[+-]/, "").replace(/^0[oO]/, "").replace(/_/g, "");
  const n = parseInt(digits, 8);
  return neg ? -n : n;
}

/** os.path.expanduser. */
export function expandUser(path: string, ctx: PathContext): string {
  if (!path.startsWith("~")) return path;
  const slash = path.indexOf("/", 1);
  const end = slash < 0 ? path.length : slash;
  let home: string | undefined;
  if (end === 1) {
    home = ctx.env.HOME ?? ctx.users.userById(process.getuid?.() ?? 0)?.home;
  } else {
    home = ctx.users.userByName(path.slice(1, end))?.home;
  }
  if (home === undefined) return path;
  home = home.replace(/\/+$/, "");
  return (home || "/") + path.slice(end);
}

/** os.path.dirname. */
export function pyDirname(p: string): string {
  const i = p.lastIndexOf("/") + 1;
  let head = p.slice(0, i);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, "");
  return head;
}

/** os.path.normpath(os.path.abspath(os.path.expanduser(v))) against ctx.cwd. */
export function normalizePath(v: string, ctx: PathContext): string {
  const expanded = expandUser(v, ctx);
  return resolve(ctx.cwd, expanded);
}

function isDir(path: string, ctx: PathContext): boolean {
  try {
    return statSync(isAbsolute(path) ? path : resolve(ctx.cwd, path)).isDirectory();
  } catch {
    return false;
  }
}

export function existingDirectory(v: string, ctx: PathContext): string {
  const nv = expandUser(v, ctx);
  if (isDir(nv, ctx)) return nv;
  throw new ValueProblem(`${v} is not an existing directory`);
}

export function existingDirpath(v: string, ctx: PathContext): string {
  const nv = expandUser(v, ctx);
  const dir = pyDirname(nv);
  if (!dir) return nv;
  if (isDir(dir, ctx)) return nv;
  throw new ValueProblem(`The directory named as part of the path ${v} does not exist`);
}

const LEVELS: readonly LogLevelName[] = ["critical", "error", "warn", "info", "debug", "trace", "blather"];

export function loggingLevel(value: string): LogLevelName {
  const s = value.toLowerCase();
  const found = LEVELS.find((l) => l === s);
  if (!found) throw new ValueProblem(`bad logging level name ${pythonStrRepr(value)}`);
  return found;
}

export function listOfStrings(arg: string | null): string[] {
  if (!arg) return [];
  return arg.split(",").map(pyStrip);
}

export function listOfExitcodes(arg: string): number[] {
  if (!arg) return [];
  const out: number[] = [];
  for (const piece of arg.split(",")) {
    const n = parsePythonInt(piece);
    if (n === null || n > 255 || n < 0) throw new ValueProblem(`not a valid list of exit codes: ${pythonStrRepr(arg)}`);
    out.push(n);
  }
  return out;
}

export function autoRestart(value: string): AutoRestart {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return true;
  if (FALSY.includes(v)) return false;
  if (v === "unexpected") return "unexpected";
  throw new ValueProblem(`invalid 'autorestart' value ${pythonStrRepr(v)}`);
}

/** Process and group names: stripped; no space, colon or slash (they break URLs and the listener protocol). */
export function processOrGroupName(name: string): string {
  const s = pyStrip(name);
  for (const ch of [" ", ":", "/"]) {
    if (s.includes(ch)) throw new ValueProblem(`Invalid name: ${pythonStrRepr(name)} because of character: ${pythonStrRepr(ch)}`);
  }
  return s;
}

function portNumber(s: string): number {
  const v = integer(s);
  if (v < 1) throw new ValueProblem(`${v} is below lower bound (1)`);
  if (v > 0xffff) throw new ValueProblem(`${v} is above upper bound (65535)`);
  return v;
}

/** `host:port`, `:port`, `*:port` or `port`; "" host = all interfaces. */
export function inetAddress(s: string): { host: string; port: number } {
  let host = "";
  let port: number;
  const colon = s.lastIndexOf(":");
  if (colon >= 0) {
    host = s.slice(0, colon);
    const rest = s.slice(colon + 1);
    if (!rest) throw new ValueProblem(`no port number specified in ${pythonStrRepr(rest)}`);
    port = portNumber(rest);
    host = host.toLowerCase();
  } else {
    try {
      port = portNumber(s);
    } catch {
      throw new ValueProblem(`not a valid port number: ${pythonStrRepr(s)} `);
    }
  }
  if (!host || host === "*") host = "";
  return { host, port };
}

/** A user name or numeric uid that exists in passwd. */
export function nameToUid(name: string, users: UserDatabase): number {
  const asInt = parsePythonInt(name);
  if (asInt === null) {
    const rec = users.userByName(name);
    if (!rec) throw new ValueProblem(`Invalid user name ${name}`);
    return rec.uid;
  }
  if (!users.userById(asInt)) throw new ValueProblem(`Invalid user id ${name}`);
  return asInt;
}

export function nameToGid(name: string, users: UserDatabase): number {
  const asInt = parsePythonInt(name);
  if (asInt === null) {
    const rec = users.groupByName(name);
    if (!rec) throw new ValueProblem(`Invalid group name ${name}`);
    return rec.gid;
  }
  if (!users.groupById(asInt)) throw new ValueProblem(`Invalid group id ${name}`);
  return asInt;
}

/** uid, primary gid and passwd name of a `user=` value. */
export function resolveUser(name: string, users: UserDatabase): { name: string; uid: number; gid: number } {
  const uid = nameToUid(name, users);
  const rec = users.userById(uid)!;
  return { name: rec.name, uid, gid: rec.gid };
}

/** `user` or `user:group`; gid -1 when no group is given (chown leaves it unchanged). */
export function colonSeparatedUserGroup(arg: string, users: UserDatabase): { uid: number; gid: number } {
  try {
    const colon = arg.indexOf(":");
    if (colon < 0) return { uid: nameToUid(arg, users), gid: -1 };
    return { uid: nameToUid(arg.slice(0, colon), users), gid: nameToGid(arg.slice(colon + 1), users) };
  } catch {
    throw new ValueProblem(`Invalid user:group definition ${arg}`);
  }
}

/** A child log file name: NONE/OFF, AUTO (or absent), the deprecated `syslog`, or a path whose directory exists. */
export function logfileName(val: string | null, ctx: PathContext): LogFileSpec | "syslog" {
  if (val === null) return { kind: "auto" };
  const coerced = val.toLowerCase();
  if (coerced === "none" || coerced === "off") return { kind: "none" };
  if (coerced === "auto") return { kind: "auto" };
  if (coerced === "syslog") return "syslog";
  return { kind: "path", path: existingDirpath(val, ctx) };
}
