/**
 * Reading the [supervisorctl] section and finding the config file (spec §1.2, §2.1).
 *
 * Interim: the shared config reader will export readCtlConfig/searchConfigFile; until then this
 * small reader uses the shared ConfigParser-faithful IniDocument and expand(), so the values
 * are the same. Only what supervisorctl reads is here: [include] is not processed (the
 * reference does not either).
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, normalize, resolve } from "node:path";
import { IniDocument } from "../supervisord/config/ini.js";
import { expand } from "../supervisord/config/expand.js";
import type { SupervisorctlConfig } from "../supervisord/config/types.js";

/** A config problem supervisorctl reports as `Error: <message>` + usage hint, exit 2. */
export class CtlConfigError extends Error {
  readonly code = "CTL_CONFIG";
}

/** Python's os.path.normpath(abspath(expanduser(p))). */
export function normalizePath(p: string, cwd = process.cwd()): string {
  let x = p;
  if (x === "~" || x.startsWith("~/")) x = join(process.env["HOME"] || homedir(), x.slice(1));
  return normalize(resolve(cwd, x));
}

/** The search list of Options.__init__: relative to dirname(dirname(argv0)), then CWD, then /etc. */
export function ctlSearchPaths(argv0: string): string[] {
  const here = dirname(dirname(argv0));
  const h = (p: string) => join(here, p);
  return [
    h("etc/supervisord.conf"),
    h("supervisord.conf"),
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
  ];
}

/** The first existing path of the search list, or null (supervisorctl then uses defaults). */
export function searchCtlConfig(argv0: string, cwd = process.cwd()): string | null {
  for (const p of ctlSearchPaths(argv0)) if (existsSync(resolve(cwd, p))) return p;
  return null;
}

export const CTL_DEFAULTS: SupervisorctlConfig = {
  serverurl: "http://localhost:9001",
  username: null,
  password: null,
  prompt: "supervisor",
  history_file: null,
};

/** ClientOptions.read_config: the [supervisorctl] values, expanded, with supervisorctl's normalisation. */
export function readCtlConfigFile(file: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SupervisorctlConfig {
  const here = dirname(normalizePath(file, cwd));
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) throw new CtlConfigError(`could not find config file ${file}`);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch {
    throw new CtlConfigError(`could not read config file ${file}`);
  }
  const doc = new IniDocument();
  try {
    doc.read(text, file);
  } catch (e) {
    throw new CtlConfigError(e instanceof Error ? e.message : String(e));
  }
  if (!doc.hasSection("supervisorctl")) throw new CtlConfigError(".ini file does not include supervisorctl section");

  const envExpansions = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) envExpansions.set(`ENV_${k}`, v);
  const get = (option: string, withHere: boolean): string | null => {
    const entry = doc.get("supervisorctl", option);
    if (!entry) return null;
    const expansions = new Map(envExpansions);
    if (withHere) expansions.set("here", here);
    try {
      return expand(entry.value, expansions, `supervisorctl.${option}`);
    } catch (e) {
      throw new CtlConfigError(e instanceof Error ? e.message : String(e));
    }
  };

  let serverurl = get("serverurl", true) ?? CTL_DEFAULTS.serverurl;
  if (serverurl.startsWith("unix://")) serverurl = "unix://" + normalizePath(serverurl.slice(7), cwd);
  const history = get("history_file", true);
  return {
    serverurl,
    prompt: get("prompt", false) ?? CTL_DEFAULTS.prompt,
    username: get("username", false),
    password: get("password", false),
    history_file: history ? normalizePath(history, cwd) : null,
  };
}
