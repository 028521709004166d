/**
 * supervisord's command line: Python getopt (clustered short options, `--long=value`, unique
 * long prefixes, stop at the first non-option), each option at most once, values checked with
 * the config datatypes at parse time, exactly as supervisord's Options.realize does.
 * Applying the result on top of the file's [supervisord] values is `applyOverrides`.
 */
import { ConfigError, ValueProblem } from "./errors.js";
import {
  byteSize,
  existingDirectory,
  existingDirpath,
  integer,
  loggingLevel,
  normalizePath,
  octal,
  resolveUser,
  type PathContext,
} from "./datatypes.js";
import { pythonStrRepr } from "../text.js";
import { fileUserDatabase } from "./users.js";
import type { LogLevelName, SupervisorConfig, SupervisordOptions } from "./types.js";


/** Command-line values that override [supervisord] (already validated; paths not yet absolute). */
export interface SupervisordOverrides {
  nodaemon?: boolean;
  silent?: boolean;
  user?: string;
  umask?: number;
  directory?: string;
  logfile?: string;
  logfile_maxbytes?: number;
  logfile_backups?: number;
  loglevel?: LogLevelName;
  pidfile?: string;
  identifier?: string;
  childlogdir?: string;
  nocleanup?: boolean;
  minfds?: number;
  minprocs?: number;
  strip_ansi?: boolean;
}

export type SupervisordCommandLine =
  | { readonly kind: "run"; readonly configFile?: string; readonly overrides: SupervisordOverrides }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "version" }
  | { readonly kind: "error"; readonly message: string };

type Handler = (arg: string, ctx: PathContext) => unknown;
interface OptionDef {
  readonly short?: string;
  readonly long: string;
  readonly takesArg: boolean;
  /** Field set by the option; "help"/"version" act immediately; "configFile" is -c; null is ignored (profile_options). */
  readonly target: keyof SupervisordOverrides | "configFile" | "help" | "version" | null;
  readonly handler?: Handler;
}

const str: Handler = (a) => a;
const OPTIONS: readonly OptionDef[] = [
  { short: "h", long: "help", takesArg: false, target: "help" },
  { short: "?", long: "", takesArg: false, target: "help" },
  { short: "c", long: "configuration", takesArg: true, target: "configFile", handler: str },
  { short: "v", long: "version", takesArg: false, target: "version" },
  { short: "n", long: "nodaemon", takesArg: false, target: "nodaemon" },
  { short: "u", long: "user", takesArg: true, target: "user", handler: str },
  { short: "m", long: "umask", takesArg: true, target: "umask", handler: (a) => octal(a) },
  { short: "d", long: "directory", takesArg: true, target: "directory", handler: (a, c) => existingDirectory(a, c) },
  { short: "l", long: "logfile", takesArg: true, target: "logfile", handler: (a, c) => existingDirpath(a, c) },
  { short: "y", long: "logfile_maxbytes", takesArg: true, target: "logfile_maxbytes", handler: (a) => byteSize(a) },
  { short: "z", long: "logfile_backups", takesArg: true, target: "logfile_backups", handler: (a) => integer(a) },
  { short: "e", long: "loglevel", takesArg: true, target: "loglevel", handler: (a) => loggingLevel(a) },
  { short: "j", long: "pidfile", takesArg: true, target: "pidfile", handler: (a, c) => existingDirpath(a, c) },
  { short: "i", long: "identifier", takesArg: true, target: "identifier", handler: str },
  { short: "q", long: "childlogdir", takesArg: true, target: "childlogdir", handler: (a, c) => existingDirectory(a, c) },
  { short: "a", long: "minfds", takesArg: true, target: "minfds", handler: (a) => integer(a) },
  { long: "minprocs", takesArg: true, target: "minprocs", handler: (a) => integer(a) },
  { short: "k", long: "nocleanup", takesArg: false, target: "nocleanup" },
  { short: "t", long: "strip_ansi", takesArg: false, target: "strip_ansi" },
  { long: "profile_options", takesArg: true, target: null, handler: str },
  { short: "s", long: "silent", takesArg: false, target: "silent" },
];

/** supervisord's module docstring, printed by -h with `%s` replaced by argv0. */
const USAGE = `supervisord -- run a set of applications as daemons.

Usage: %s [options]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-n/--nodaemon -- run in the foreground (same as 'nodaemon=true' in config file)
-s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
-h/--help -- print this usage message and exit
-v/--version -- print supervisord version number and exit
-u/--user USER -- run supervisord as this user (or numeric uid)
-m/--umask UMASK -- use this umask for daemon subprocess (default is 022)
-d/--directory DIRECTORY -- directory to chdir to when daemonized
-l/--logfile FILENAME -- use FILENAME as logfile path
-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
-z/--logfile_backups NUM -- number of backups to keep when max bytes reached
-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
-j/--pidfile FILENAME -- write a pid file for the daemon process to FILENAME
-i/--identifier STR -- identifier used for this instance of supervisord
-q/--childlogdir DIRECTORY -- the log directory for child process logs
-k/--nocleanup --  prevent the process from performing cleanup (removal of
                   old automatic child log files) at startup.
-a/--minfds NUM -- the minimum number of file descriptors for start success
-t/--strip_ansi -- strip ansi escape codes from process output
--minprocs NUM  -- the minimum number of processes available for start success
--profile_options OPTIONS -- run supervisord under profiler and output
                             results based on OPTIONS, which  is a comma-sep'd
                             list of 'cumulative', 'calls', and/or 'callers',
                             e.g. 'cumulative,callers')
`;

/** The -h text (supervisord prints it followed by one more newline). */
export function supervisordUsage(argv0: string): string {
  return USAGE.split("%s").join(argv0) + "\n";
}

class GetoptError extends Error {}

/** Python getopt.getopt: returns the (option, value) pairs and the remaining positional args. */
function getopt(args: readonly string[]): { opts: [OptionDef, string, string][]; rest: string[] } {
  const opts: [OptionDef, string, string][] = [];
  let rest = [...args];
  while (rest.length > 0 && rest[0]!.startsWith("-") && rest[0] !== "-") {
    if (rest[0] === "--") {
      rest = rest.slice(1);
      break;
    }
    const current = rest.shift()!;
    if (current.startsWith("--")) {
      let name = current.slice(2);
      let value: string | null = null;
      const eq = name.indexOf("=");
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      const candidates = OPTIONS.filter((o) => o.long && o.long.startsWith(name));
      if (candidates.length === 0) throw new GetoptError(`option --${name} not recognized`);
      let def = candidates.find((o) => o.long === name);
      if (!def) {
        if (candidates.length > 1) throw new GetoptError(`option --${name} not a unique prefix`);
        def = candidates[0]!;
      }
      if (def.takesArg) {
        if (value === null) {
          if (rest.length === 0) throw new GetoptError(`option --${def.long} requires argument`);
          value = rest.shift()!;
        }
      } else if (value !== null) {
        throw new GetoptError(`option --${def.long} must not have an argument`);
      }
      opts.push([def, `--${def.long}`, value ?? ""]);
    } else {
      let cluster = current.slice(1);
      while (cluster !== "") {
        const ch = cluster[0]!;
        cluster = cluster.slice(1);
        const def = OPTIONS.find((o) => o.short === ch);
        if (!def) throw new GetoptError(`option -${ch} not recognized`);
        let value = "";
        if (def.takesArg) {
          if (cluster === "") {
            if (rest.length === 0) throw new GetoptError(`option -${ch} requires argument`);
            cluster = rest.shift()!;
          }
          value = cluster;
          cluster = "";
        }
        opts.push([def, `-${ch}`, value]);
      }
    }
  }
  return { opts, rest };
}

/** Python's str() of a list of strings, e.g. ['foo', 'bar']. */
function pyList(items: readonly string[]): string {
  return `[${items.map(pythonStrRepr).join(", ")}]`;
}

/** Parse supervisord's arguments (without argv0). `ctx` is used for the path checks of -d/-l/-j/-q. */
export function parseSupervisordArgs(
  args: readonly string[],
  argv0: string,
  ctx: Partial<PathContext> = {},
): SupervisordCommandLine {
  const pathCtx: PathContext = { cwd: ctx.cwd ?? process.cwd(), env: ctx.env ?? process.env, users: ctx.users ?? fileUserDatabase() };
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(args);
  } catch (e) {
    if (e instanceof GetoptError) return { kind: "error", message: e.message };
    throw e;
  }
  if (parsed.rest.length > 0) {
    return { kind: "error", message: `positional arguments are not supported: ${pyList(parsed.rest)}` };
  }
  const overrides: Record<string, unknown> = {};
  let configFile: string | undefined;
  for (const [def, shown, value] of parsed.opts) {
    if (def.target === "help") return { kind: "help", text: supervisordUsage(argv0) };
    if (def.target === "version") return { kind: "version" };
    let converted: unknown = true;
    if (def.handler) {
      try {
        converted = def.handler(value, pathCtx);
      } catch (e) {
        if (e instanceof ValueProblem) {
          return { kind: "error", message: `invalid value for ${shown} ${pythonStrRepr(value)}: ${e.message}` };
        }
        throw e;
      }
    }
    if (def.target === null) continue;
    if (def.target === "configFile") {
      if (configFile !== undefined) return { kind: "error", message: `conflicting command line option '${shown}'` };
      configFile = converted as string;
      continue;
    }
    if (def.target in overrides) return { kind: "error", message: `conflicting command line option '${shown}'` };
    overrides[def.target] = converted;
  }
  return configFile === undefined
    ? { kind: "run", overrides: overrides as SupervisordOverrides }
    : { kind: "run", configFile, overrides: overrides as SupervisordOverrides };
}

/**
 * The config with command-line values on top of [supervisord] (the command line wins), as
 * supervisord's realize(): the user is resolved (`Invalid user name x`), logfile (unless
 * `syslog`) and pidfile made absolute against cwd. Throws ConfigError.
 */
export function applyOverrides(config: SupervisorConfig, o: SupervisordOverrides, ctx: Partial<PathContext> = {}): SupervisorConfig {
  const pathCtx: PathContext = { cwd: ctx.cwd ?? process.cwd(), env: ctx.env ?? process.env, users: ctx.users ?? fileUserDatabase() };
  const s = config.supervisord;
  let user = s.user;
  if (o.user !== undefined) {
    try {
      user = resolveUser(o.user, pathCtx.users);
    } catch (e) {
      if (e instanceof ValueProblem) throw new ConfigError(e.message, "VALUE", { option: "user" });
      throw e;
    }
  }
  const merged: SupervisordOptions = {
    ...s,
    nodaemon: o.nodaemon ?? s.nodaemon,
    silent: o.silent ?? s.silent,
    user,
    umask: o.umask ?? s.umask,
    directory: o.directory ?? s.directory,
    logfile: o.logfile === undefined ? s.logfile : o.logfile === "syslog" ? "syslog" : normalizePath(o.logfile, pathCtx),
    logfile_maxbytes: o.logfile_maxbytes ?? s.logfile_maxbytes,
    logfile_backups: o.logfile_backups ?? s.logfile_backups,
    loglevel: o.loglevel ?? s.loglevel,
    pidfile: o.pidfile === undefined ? s.pidfile : normalizePath(o.pidfile, pathCtx),
    identifier: o.identifier ?? s.identifier,
    childlogdir: o.childlogdir ?? s.childlogdir,
    nocleanup: o.nocleanup ?? s.nocleanup,
    minfds: o.minfds ?? s.minfds,
    minprocs: o.minprocs ?? s.minprocs,
    strip_ansi: o.strip_ansi ?? s.strip_ansi,
  };
  return { ...config, supervisord: merged };
}
