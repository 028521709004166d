/**
 * State-name colouring for `status` (and the supvisors tables) on a terminal. Off when stdout is not a TTY or NO_COLOR is
 * set, so piped output stays byte-identical to the reference.
 */
const CODES: Readonly<Record<string, string>> = {
  RUNNING: "\x1b[32m",
  STARTING: "\x1b[33m",
  BACKOFF: "\x1b[33m",
  STOPPING: "\x1b[33m",
  EXITED: "\x1b[31m",
  FATAL: "\x1b[1;31m",
  UNKNOWN: "\x1b[1;31m",
  // Supvisors: the global state, an instance's state, an application's state.
  OPERATION: "\x1b[32m",
  SYNCHRONIZATION: "\x1b[33m",
  ELECTION: "\x1b[33m",
  DISTRIBUTION: "\x1b[33m",
  CONCILIATION: "\x1b[1;33m",
  RESTARTING: "\x1b[33m",
  SHUTTING_DOWN: "\x1b[33m",
  CHECKING: "\x1b[33m",
  CHECKED: "\x1b[33m",
  FAILED: "\x1b[31m",
  ISOLATED: "\x1b[1;31m",
};
const RESET = "\x1b[0m";

export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env["NO_COLOR"] ?? "") === "" && env["TERM"] !== "dumb";
}

/** `text` is the already padded state column; only the name itself is coloured. */
export function colourState(statename: string, padded: string): string {
  const code = CODES[statename];
  if (!code) return padded;
  return code + statename + RESET + padded.slice(statename.length);
}
