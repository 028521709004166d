/**
 * The supvisors commands that change a program rather than its processes (spec §10):
 * update_numprocs, lazy_update_numprocs, enable and disable. The numprocs value is read as
 * Python's int() reads it (pyInt), and one beyond 32 bits fails as Python's xmlrpc.client does.
 */
import { INT32_MAX, INT32_MIN, type RpcValue } from "../../supervisord/rpc/codec.js";
import { CtlError } from "../errors.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { argumentError, callOrReport, helpText, pyStr, supvisors, supvisorsUpcheck } from "./common.js";

/** Python 3.11 refuses to convert a decimal string longer than this (sys.int_info). */
const PY_INT_MAX_DIGITS = 4300;

/**
 * Python's int() of one word, base 10: an optional sign, decimal digits of any script, single
 * underscores between digits. Undefined where Python raises ValueError.
 */
export function pyInt(word: string): number | undefined {
  const m = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(word);
  if (!m) return undefined;
  const digits = [...m[2]!.replace(/_/g, "")];
  if (digits.length > PY_INT_MAX_DIGITS) return undefined;
  const value = digits.reduce((acc, d) => acc * 10 + digitValue(d), 0);
  return m[1] === "-" ? -value : value;
}

/**
 * The value of a Unicode decimal digit. Unicode encodes every set of decimal digits as a run
 * of ten consecutive code points from 0 to 9, so a digit's value is its distance to the start
 * of the run of digits it sits in, modulo ten.
 */
function digitValue(d: string): number {
  const cp = d.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * Python's xmlrpc.client refuses to send an int outside 32 bits (our encoder would send an
 * `<i8>`); supervisorctl then prints its usual one-line report of the exception.
 */
class XmlRpcIntOverflowError extends CtlError {
  readonly code = "XMLRPC_INT_OVERFLOW";
  readonly pythonClass = "OverflowError";
  readonly pythonOrigin = { file: "/usr/lib/python3.11/xmlrpc/client.py", line: 552 };
  constructor() {
    super("int exceeds XML-RPC limits");
  }
  pythonStr(): string {
    return this.message;
  }
}

function numprocsCommand(name: "update_numprocs" | "lazy_update_numprocs", help: string, lazy: boolean): CtlCommand {
  return {
    name,
    help,
    completes: "groups",
    run: async (ctl, arg) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const words = pySplit(arg);
      if (words.length < 2) return argumentError(ctl, `${name} requires a program name and a numprocs values`, help);
      const value = pyInt(words[1]!);
      if (value === undefined || !(value > 0)) return argumentError(ctl, "numprocs must be a strictly positive integer", help);
      if (value < INT32_MIN || value > INT32_MAX) throw new XmlRpcIntOverflowError();
      const program = words[0]!;
      // The lazy form also passes wait=True explicitly; the plain form lets both default.
      const params: RpcValue[] = lazy ? [program, value, true, true] : [program, value];
      const result = await callOrReport(ctl, () => supvisors(ctl).call("update_numprocs", ...params));
      if (result !== undefined) ctl.output(`${program} numprocs updated: ${pyStr(result)}`);
    },
  };
}

export const updateNumprocs = numprocsCommand(
  "update_numprocs",
  helpText("update_numprocs program_name numprocs\t\tUpdate the program numprocs."),
  false,
);

export const lazyUpdateNumprocs = numprocsCommand(
  "lazy_update_numprocs",
  helpText("lazy_update_numprocs program_name numprocs\t\tUpdate the program numprocs (lazy mode)."),
  true,
);

function programSwitch(name: "enable" | "disable", help: string): CtlCommand {
  return {
    name,
    help,
    completes: "groups",
    run: async (ctl, arg) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const words = pySplit(arg);
      if (words.length < 1) return argumentError(ctl, `${name} requires a program name`, help);
      // Only the first word counts; a fault is not reported against the program.
      const program = words[0]!;
      const result = await callOrReport(ctl, () => supvisors(ctl).call(name, program));
      if (result !== undefined) ctl.output(`${program} ${name}d: ${pyStr(result)}`);
    },
  };
}

export const enable = programSwitch("enable", helpText("enable program_name\t\t\tEnable the program."));
export const disable = programSwitch("disable", helpText("disable program_name\t\t\tDisable the program."));
