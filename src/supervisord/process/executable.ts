/**
 * Resolving a program's command to an executable, exactly as supervisord does before it forks
 * (spec §3.7). The same check runs in startProcess before spawning, so an RPC caller gets
 * NO_FILE / NOT_EXECUTABLE instead of a spawn that fails later.
 */
import { statSync, accessSync, constants } from "node:fs";
import { join } from "node:path";
import { shlexSplit } from "../config/shlex.js";

export type ExecutableResolution =
  | { readonly ok: true; readonly filename: string; readonly argv: readonly string[] }
  | { readonly ok: false; readonly fault: "NO_FILE" | "NOT_EXECUTABLE"; readonly reason: string };

const DEFAULT_PATH = "/bin:/usr/bin:/usr/local/bin";

/**
 * The command line a process is spawned with: the configured command, then the extra arguments of
 * Supvisors' start_args after one space, as Supvisors appends them. The whole line goes through
 * the same shlex split, so extra arguments may be quoted like the command. "" = the command itself.
 */
export function commandLine(command: string, extraArgs: string): string {
  return extraArgs ? `${command} ${extraArgs}` : command;
}

export function resolveExecutable(
  command: string,
  programEnv: Readonly<Record<string, string>> | null,
  daemonEnv: NodeJS.ProcessEnv,
): ExecutableResolution {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    return { ok: false, fault: "NOT_EXECUTABLE", reason: `can't parse command '${command}': ${(err as Error).message}` };
  }
  if (argv.length === 0) return { ok: false, fault: "NOT_EXECUTABLE", reason: "command is empty" };
  const program = argv[0];
  let filename = program;
  let st: ReturnType<typeof statSync> | undefined;
  if (program.includes("/")) {
    st = statSync(program, { throwIfNoEntry: false });
  } else {
    const path = programEnv?.PATH ?? daemonEnv.PATH ?? DEFAULT_PATH;
    for (const dir of path.split(":")) {
      const candidate = join(dir, program);
      st = statSync(candidate, { throwIfNoEntry: false });
      if (st) {
        filename = candidate;
        break;
      }
    }
  }
  if (!st) return { ok: false, fault: "NO_FILE", reason: `can't find command '${program}'` };
  if (st.isDirectory()) return { ok: false, fault: "NOT_EXECUTABLE", reason: `command at '${filename}' is a directory` };
  if ((Number(st.mode) & 0o111) === 0) return { ok: false, fault: "NOT_EXECUTABLE", reason: `command at '${filename}' is not executable` };
  try {
    accessSync(filename, constants.X_OK);
  } catch {
    return { ok: false, fault: "NOT_EXECUTABLE", reason: `no permission to run command '${filename}'` };
  }
  return { ok: true, filename, argv };
}
