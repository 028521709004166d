/**
 * Signal names and numbers as supervisord sees them on Linux (x86/arm; the numbers Python's
 * `signal` module exposes there). Kept as a table rather than `os.constants.signals` because
 * supervisord's accepted set is Python's: it includes aliases (IOT, CLD, POLL), RTMIN/RTMAX and,
 * quirkily, the non-signal constants SIG_DFL/SIG_IGN/SIG_BLOCK/... (so `0` is a valid number).
 */
import { pythonStrRepr } from "./text.js";
import { parsePythonInt } from "./config/pyint.js";

/** Every `SIG*` attribute of Python's signal module on Linux, name -> number. */
const PY_SIGNAL_ATTRS: Readonly<Record<string, number>> = {
  SIGABRT: 6, SIGALRM: 14, SIGBUS: 7, SIGCHLD: 17, SIGCLD: 17, SIGCONT: 18, SIGFPE: 8,
  SIGHUP: 1, SIGILL: 4, SIGINT: 2, SIGIO: 29, SIGIOT: 6, SIGKILL: 9, SIGPIPE: 13, SIGPOLL: 29,
  SIGPROF: 27, SIGPWR: 30, SIGQUIT: 3, SIGRTMAX: 64, SIGRTMIN: 34, SIGSEGV: 11, SIGSTKFLT: 16,
  SIGSTOP: 19, SIGSYS: 31, SIGTERM: 15, SIGTRAP: 5, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGUSR1: 10, SIGUSR2: 12, SIGVTALRM: 26, SIGWINCH: 28, SIGXCPU: 24, SIGXFSZ: 25,
  SIG_BLOCK: 0, SIG_DFL: 0, SIG_IGN: 1, SIG_SETMASK: 2, SIG_UNBLOCK: 1,
};

const VALID_NUMBERS = new Set(Object.values(PY_SIGNAL_ATTRS));

/** Python's `signal.Signals(n).name` (canonical names; 6 is SIGABRT, 29 is SIGIO). */
const CANONICAL_NAMES: ReadonlyMap<number, string> = new Map([
  [1, "SIGHUP"], [2, "SIGINT"], [3, "SIGQUIT"], [4, "SIGILL"], [5, "SIGTRAP"], [6, "SIGABRT"],
  [7, "SIGBUS"], [8, "SIGFPE"], [9, "SIGKILL"], [10, "SIGUSR1"], [11, "SIGSEGV"], [12, "SIGUSR2"],
  [13, "SIGPIPE"], [14, "SIGALRM"], [15, "SIGTERM"], [16, "SIGSTKFLT"], [17, "SIGCHLD"],
  [18, "SIGCONT"], [19, "SIGSTOP"], [20, "SIGTSTP"], [21, "SIGTTIN"], [22, "SIGTTOU"],
  [23, "SIGURG"], [24, "SIGXCPU"], [25, "SIGXFSZ"], [26, "SIGVTALRM"], [27, "SIGPROF"],
  [28, "SIGWINCH"], [29, "SIGIO"], [30, "SIGPWR"], [31, "SIGSYS"], [34, "SIGRTMIN"], [64, "SIGRTMAX"],
]);

/** Error of the `signal` datatype, with supervisord's wording. */
export class SignalValueError extends Error {
  override readonly name = "SignalValueError";
  readonly code = "BAD_SIGNAL";
}

/**
 * supervisord's `signal_number` datatype: an integer (Python int() syntax) that is one of the
 * platform's SIG* values, or a name with or without the SIG prefix, any case, spaces trimmed.
 * Throws SignalValueError: `value 'FOO' is not a valid signal name` / `value '99' is not a valid signal number`.
 */
export function signalNumber(value: string | number): number {
  let num: number;
  if (typeof value === "number") {
    num = value;
  } else {
    const asInt = parsePythonInt(value);
    if (asInt !== null) {
      num = asInt;
    } else {
      let name = value.trim().toUpperCase();
      if (!name.startsWith("SIG")) name = "SIG" + name;
      const found = Object.prototype.hasOwnProperty.call(PY_SIGNAL_ATTRS, name) ? PY_SIGNAL_ATTRS[name] : undefined;
      if (found === undefined) throw new SignalValueError(`value ${pythonStrRepr(value)} is not a valid signal name`);
      num = found;
    }
  }
  if (!VALID_NUMBERS.has(num)) {
    const shown = typeof value === "number" ? String(value) : pythonStrRepr(value);
    throw new SignalValueError(`value ${shown} is not a valid signal number`);
  }
  return num;
}

/** Python's `signal.Signals(n).name`, e.g. 15 -> "SIGTERM"; `signal <n>` when n is not a signal. */
export function signalName(n: number): string {
  return CANONICAL_NAMES.get(n) ?? `signal ${n}`;
}

/**
 * supervisord's own `signame()` used in log lines ("terminated by SIGTERM"): like signalName but
 * the last alias in Python's module dict wins, so 29 is "SIGPOLL"; unknown -> `signal <n>`.
 */
export function signame(n: number): string {
  if (n === 29) return "SIGPOLL";
  return CANONICAL_NAMES.get(n) ?? `signal ${n}`;
}

/** The name without the SIG prefix (ProcessConfig.stopsignal_name), e.g. 15 -> "TERM". */
export function signalShortName(n: number): string {
  const full = signalName(n);
  return full.startsWith("SIG") ? full.slice(3) : full;
}
