/**
 * `[supervisord]` (read_config's option block, in supervisord's order so the first error
 * reported is the same). The `user` is only resolved later (realize), like supervisord.
 */
import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import { at, getReq, saneget, type ReadContext } from "../context.js";
import {
  boolean,
  byteSize,
  existingDirectory,
  existingDirpath,
  integer,
  loggingLevel,
  octal,
} from "../datatypes.js";
import { dictOfKeyValuePairs } from "../env-pairs.js";
import { expand, layered } from "../expand.js";
import type { LogLevelName } from "../types.js";

const S = "supervisord";

/** The [supervisord] values as read from the file, before command-line overrides and path normalisation. */
export interface RawSupervisordOptions {
  minfds: number;
  minprocs: number;
  directory: string | null;
  user: string | null;
  umask: number;
  logfile: string;
  logfile_maxbytes: number;
  logfile_backups: number;
  loglevel: LogLevelName;
  pidfile: string;
  identifier: string;
  nodaemon: boolean;
  silent: boolean;
  childlogdir: string;
  nocleanup: boolean;
  strip_ansi: boolean;
  environment: Record<string, string>;
  /** Whether `environment=` was present at all. */
  hasEnvironment: boolean;
}

/** Python's tempfile.gettempdir(): the first of TMPDIR, TEMP, TMP that is a writable directory (made absolute), else /tmp. */
export function pythonTempdir(env: NodeJS.ProcessEnv, cwd: string): string {
  for (const name of ["TMPDIR", "TEMP", "TMP"]) {
    const v = env[name];
    if (!v) continue;
    const abs = resolve(cwd, v);
    try {
      if (statSync(abs).isDirectory()) {
        accessSync(abs, constants.W_OK);
        return abs;
      }
    } catch {
      continue;
    }
  }
  return "/tmp";
}

export function readSupervisordSection(ctx: ReadContext): RawSupervisordOptions {
  const here: [string, string][] = [["here", ctx.here]];
  const o = { expansions: here };
  const str = (v: string): string => v;
  const minfds = getReq(ctx, S, "minfds", "1024", integer, o);
  const minprocs = getReq(ctx, S, "minprocs", "200", integer, o);
  const dirRaw = saneget(ctx, S, "directory", o);
  const directory = dirRaw === null ? null : at(ctx, S, "directory", () => existingDirectory(dirRaw, ctx));
  const user = saneget(ctx, S, "user", o);
  const umask = getReq(ctx, S, "umask", "022", octal, o);
  const logfile = getReq(ctx, S, "logfile", "supervisord.log", (v) => existingDirpath(v, ctx), o);
  const logfile_maxbytes = getReq(ctx, S, "logfile_maxbytes", "50MB", byteSize, o);
  const logfile_backups = getReq(ctx, S, "logfile_backups", "10", integer, o);
  const loglevel = getReq(ctx, S, "loglevel", "info", loggingLevel, o);
  const pidfile = getReq(ctx, S, "pidfile", "supervisord.pid", (v) => existingDirpath(v, ctx), o);
  const identifier = getReq(ctx, S, "identifier", "supervisor", str, o);
  const nodaemon = getReq(ctx, S, "nodaemon", "false", boolean, o);
  const silent = getReq(ctx, S, "silent", "false", boolean, o);
  const childlogdir = getReq(ctx, S, "childlogdir", pythonTempdir(ctx.env, ctx.cwd), (v) => existingDirectory(v, ctx), o);
  const nocleanup = getReq(ctx, S, "nocleanup", "false", boolean, o);
  const strip_ansi = getReq(ctx, S, "strip_ansi", "false", boolean, o);
  // environment= is expanded twice: once by saneget, once more with host_node_name available.
  const envOnce = saneget(ctx, S, "environment", o) ?? "";
  const envExpansions = layered([["here", ctx.here], ["host_node_name", ctx.hostname]], ctx.environExpansions);
  const environment = at(ctx, S, "environment", () => dictOfKeyValuePairs(expand(envOnce, envExpansions, "environment")));
  // Later sections can use [supervisord] environment keys as ENV_ names.
  for (const [k, v] of Object.entries(environment)) ctx.environExpansions.set(`ENV_${k}`, v);
  return {
    minfds, minprocs, directory, user, umask, logfile, logfile_maxbytes, logfile_backups, loglevel,
    pidfile, identifier, nodaemon, silent, childlogdir, nocleanup, strip_ansi, environment,
    hasEnvironment: ctx.doc.get(S, "environment") !== undefined,
  };
}
