/**
 * supervisorctl's command line (spec §1.2), parsed like Python's getopt.getopt: options stop at
 * the first non-option word (so `-c f tail -f web stderr` gives the action `tail -f web
 * stderr`), long options may be abbreviated to a unique prefix, and each problem is the
 * reference's `Error: ...` / `For help, use <prog> -h` with exit status 2.
 */
import type { CtlConfig, CtlPluginSection, SupervisorctlConfig } from "../supervisord/config/types.js";
import { pythonStrRepr } from "../supervisord/text.js";
import { readCtlConfig } from "../supervisord/config/read.js";
import { searchConfigFile } from "../supervisord/config/search.js";
import { ConfigError } from "../supervisord/config/errors.js";

/** supervisorctl's values when no config file is found. */
const CTL_DEFAULTS: CtlConfig = {
  serverurl: "http://localhost:9001",
  username: null,
  password: null,
  prompt: "supervisor",
  history_file: null,
  ctlplugins: [],
  supvisorsEvents: null,
};

export const USAGE_DOC = `supervisorctl -- control applications run by supervisord from the cmd line.

Usage: %s [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server
-r/--history-file -- keep a readline history (if readline is available)

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.
`;

export interface CtlSettings extends SupervisorctlConfig {
  readonly interactive: boolean;
  /** The action words, joined by the caller with spaces into one command line. */
  readonly args: readonly string[];
  readonly configfile: string | null;
  /** The config's `[ctlplugin:x]` sections (each factory one of `knownFactories`). */
  readonly ctlplugins: readonly CtlPluginSection[];
  readonly supvisorsEvents: CtlConfig["supvisorsEvents"];
}

export type ParseOutcome =
  | { readonly kind: "run"; readonly settings: CtlSettings }
  | { readonly kind: "help"; readonly text: string }
  | { readonly kind: "usage-error"; readonly message: string };

type OptName = "configfile" | "interactive" | "serverurl" | "username" | "password" | "history_file" | "help";
interface OptSpec {
  readonly name: OptName;
  readonly takesArg: boolean;
}
const SHORT: Readonly<Record<string, OptSpec>> = {
  h: { name: "help", takesArg: false },
  "?": { name: "help", takesArg: false },
  c: { name: "configfile", takesArg: true },
  i: { name: "interactive", takesArg: false },
  s: { name: "serverurl", takesArg: true },
  u: { name: "username", takesArg: true },
  p: { name: "password", takesArg: true },
  r: { name: "history_file", takesArg: true },
};
const LONG: readonly (readonly [string, OptSpec])[] = [
  ["help", SHORT["h"]!],
  ["configuration", SHORT["c"]!],
  ["interactive", SHORT["i"]!],
  ["serverurl", SHORT["s"]!],
  ["username", SHORT["u"]!],
  ["password", SHORT["p"]!],
  ["history_file", SHORT["r"]!],
];

class GetoptError extends Error {}

/** getopt.getopt(args, "h?c:is:u:p:r:", [...]): the (option, value) pairs and the rest. */
function getopt(args: readonly string[]): { opts: [string, OptSpec, string][]; rest: string[] } {
  const opts: [string, OptSpec, string][] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("--")) {
      const body = a.slice(2);
      const eq = body.indexOf("=");
      const key = eq < 0 ? body : body.slice(0, eq);
      let value: string | null = eq < 0 ? null : body.slice(eq + 1);
      const exact = LONG.find(([n]) => n === key);
      const candidates = exact ? [exact] : LONG.filter(([n]) => n.startsWith(key));
      if (candidates.length === 0) throw new GetoptError(`option --${key} not recognized`);
      if (candidates.length > 1) throw new GetoptError(`option --${key} not a unique prefix`);
      const [full, spec] = candidates[0]!;
      if (spec.takesArg) {
        if (value === null) {
          if (i + 1 >= args.length) throw new GetoptError(`option --${full} requires argument`);
          value = args[++i]!;
        }
      } else if (value !== null) {
        throw new GetoptError(`option --${full} must not have an argument`);
      }
      opts.push([`--${full}`, spec, value ?? ""]);
      i++;
      continue;
    }
    let j = 1;
    while (j < a.length) {
      const ch = a[j]!;
      const spec = SHORT[ch];
      if (!spec) throw new GetoptError(`option -${ch} not recognized`);
      if (spec.takesArg) {
        let value = a.slice(j + 1);
        if (value === "") {
          if (i + 1 >= args.length) throw new GetoptError(`option -${ch} requires argument`);
          value = args[++i]!;
        }
        opts.push([`-${ch}`, spec, value]);
        break;
      }
      opts.push([`-${ch}`, spec, ""]);
      j++;
    }
    i++;
  }
  return { opts, rest: args.slice(i) };
}

/** datatypes.url: urlparse must find a scheme and a netloc or path. */
function isUrl(value: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(value);
  if (!m) return false;
  let rest = m[2]!;
  rest = rest.replace(/[?#].*$/s, "");
  return rest.length > 0;
}

/** SUPERVISOR_CA_FILE, else [supervisorctl] ca_file; nothing (not even the key) when neither. */
function caFileOf(env: NodeJS.ProcessEnv, fromFile: CtlConfig): { ca_file?: string } {
  const fromEnv = env.SUPERVISOR_CA_FILE;
  if (fromEnv) return { ca_file: fromEnv };
  return fromFile.ca_file ? { ca_file: fromFile.ca_file } : {};
}

/**
 * Options.realize + ClientOptions.realize. `argv0` is the program path (for the help text and
 * the config search); `args` excludes it.
 */
export function parseCtlArgs(
  args: readonly string[],
  argv0: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  knownFactories: readonly string[] = [],
): ParseOutcome {
  const usage = (message: string): ParseOutcome => ({ kind: "usage-error", message });
  let parsed;
  try {
    parsed = getopt(args);
  } catch (e) {
    return usage((e as Error).message);
  }
  const cli: Partial<Record<Exclude<OptName, "help">, string | true>> = {};
  for (const [opt, spec, value] of parsed.opts) {
    if (spec.name === "help") return { kind: "help", text: USAGE_DOC.replace("%s", argv0) + "\n" };
    if (spec.name === "serverurl" && !isUrl(value)) {
      return usage(`invalid value for ${opt} ${pythonStrRepr(value)}: value ${pythonStrRepr(value)} is not a URL`);
    }
    if (cli[spec.name] !== undefined) return usage(`conflicting command line option ${pythonStrRepr(opt)}`);
    cli[spec.name] = spec.name === "interactive" ? true : value;
  }

  const configfile = typeof cli.configfile === "string" ? cli.configfile : searchConfigFile(argv0, cwd);
  let fromFile: CtlConfig = CTL_DEFAULTS;
  if (configfile) {
    try {
      fromFile = readCtlConfig(configfile, { env, cwd }, knownFactories);
    } catch (e) {
      if (e instanceof ConfigError) return usage(e.message);
      throw e;
    }
  }
  const str = (k: "serverurl" | "username" | "password" | "history_file") =>
    typeof cli[k] === "string" ? (cli[k] as string) : undefined;
  return {
    kind: "run",
    settings: {
      configfile,
      args: parsed.rest,
      // No action word means the shell, whatever -i says; an action with -i still runs once.
      interactive: cli.interactive === true || parsed.rest.length === 0,
      serverurl: str("serverurl") ?? fromFile.serverurl,
      username: str("username") ?? fromFile.username,
      password: str("password") ?? fromFile.password,
      prompt: fromFile.prompt,
      history_file: str("history_file") ?? fromFile.history_file,
      ctlplugins: fromFile.ctlplugins,
      supvisorsEvents: fromFile.supvisorsEvents,
      // Ours (the reference has no https): the environment before the file, as -s before serverurl.
      ...caFileOf(env, fromFile),
    },
  };
}
