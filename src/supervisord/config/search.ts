/** Where supervisord and supervisorctl look for a config file when `-c` is not given (§2.1). */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pyDirname } from "./datatypes.js";

/** The searched paths, in order, as supervisord lists them in its "No config file found" error. */
export function configSearchPaths(argv0: string): string[] {
  const here = pyDirname(pyDirname(argv0));
  // os.path.join, which does not normalise.
  const j = (...p: string[]): string => [here, ...p].filter((x) => x !== "").reduce((a, b) => (a.endsWith("/") ? a + b : `${a}/${b}`));
  return [
    j("etc", "supervisord.conf"),
    j("supervisord.conf"),
    "supervisord.conf",
    "etc/supervisord.conf",
    "/etc/supervisord.conf",
    "/etc/supervisor/supervisord.conf",
  ];
}

/** The first existing search path (relative ones resolved against cwd), or null. */
export function searchConfigFile(argv0: string, cwd: string): string | null {
  for (const p of configSearchPaths(argv0)) {
    if (existsSync(resolve(cwd, p))) return p;
  }
  return null;
}

/** supervisord's error when nothing is found. */
export function noConfigFoundMessage(argv0: string): string {
  return `No config file found at default paths (${configSearchPaths(argv0).join(", ")}); use the -c option to specify a config file at a different path`;
}

/** The UserWarning supervisord prints on stderr when root searches default locations. */
export const ROOT_SEARCH_WARNING =
  'Supervisord is running as root and it is searching for its configuration file in default locations (including its current working directory); you probably want to specify a "-c" argument specifying an absolute path to a configuration file for improved security.';
