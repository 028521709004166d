/**
 * pidproxy PIDFILE COMMAND [ARGS...]: Supervisor's helper for programs that fork away from the
 * process supervisord started (a launcher that daemonizes the real server and writes its pid file).
 * It runs COMMAND (by its absolute path, no PATH search, as os.spawnv does), and each TERM, HUP,
 * INT, USR1, USR2 or QUIT it receives is sent to the pid read from PIDFILE; after passing on TERM,
 * INT or QUIT it exits 0. It exits 0 when COMMAND ends (its direct child, as the original: not the
 * process in the pid file). Behaviour and output are those of supervisor 4.2.5's pidproxy, except
 * that the child's end is noticed at once instead of at the next 5 s poll.
 *
 * Exit codes: 1 for a usage error, or when a signal cannot be delivered (the original dies of the
 * OSError); 0 otherwise. A pid file that is missing or holds no number is reported on stdout
 * (`Can't read child pidfile PIDFILE!`) and the signal is dropped, the proxy keeps running.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const USAGE = `pidproxy -- run command and proxy signals to it via its pidfile.

This executable runs a command and then monitors a pidfile.  When this
executable receives a signal, it sends the same signal to the pid
in the pidfile.

Usage: %s <pidfile name> <command> [<cmdarg1> ...]
`;

/** The signals passed on, and those after which the proxy exits. */
const PASSED: readonly NodeJS.Signals[] = ["SIGTERM", "SIGHUP", "SIGINT", "SIGUSR1", "SIGUSR2", "SIGQUIT"];
const FINAL: ReadonlySet<NodeJS.Signals> = new Set(["SIGTERM", "SIGINT", "SIGQUIT"]);

/** Python's int(text.strip()): optional sign, digits, underscores between digits; null otherwise. */
function pythonInt(text: string): number | null {
  const s = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(s)) return null;
  const n = Number(s.replaceAll("_", ""));
  return Number.isSafeInteger(n) ? n : null;
}

function main(argv: readonly string[]): void {
  const [pidfile, ...cmdargs] = argv.slice(2);
  if (pidfile === undefined || cmdargs.length === 0) {
    process.stdout.write(USAGE.replace("%s", process.argv[1] ?? "pidproxy") + "\n");
    process.exit(1);
  }
  const abscmd = resolve(cmdargs[0]!);

  // Handlers first, as the original (a signal right after the spawn is passed on, not fatal).
  for (const sig of PASSED) process.on(sig, () => passToChild(pidfile, sig));

  const child = spawn(abscmd, cmdargs.slice(1), { argv0: cmdargs[0], stdio: "inherit" });
  // os.spawnv's child exits 127 when exec fails and the proxy then exits 0, silently.
  child.on("error", () => process.exit(0));
  child.on("exit", () => process.exit(0));
}

function passToChild(pidfile: string, sig: NodeJS.Signals): void {
  let pid: number | null;
  try {
    pid = pythonInt(readFileSync(pidfile, "utf8"));
  } catch {
    pid = null;
  }
  if (pid === null) {
    process.stdout.write(`Can't read child pidfile ${pidfile}!\n`);
    return;
  }
  try {
    process.kill(pid, sig);
  } catch (err) {
    process.stderr.write(`pidproxy: cannot send ${sig} to pid ${pid} (from ${pidfile}): ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (FINAL.has(sig)) process.exit(0);
}

main(process.argv);
