/**
 * Our `rolling_restart [-b N] <target>` command (not in Supvisors' plugin): calls
 * supvisors.rolling_restart(target, N, True) on the connected instance and waits for its end,
 * worded like the application commands (`<target> rolling restarted: True`, `<target>: ERROR
 * (<faultString>)`), so a script reads it the same way.
 */
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { argumentError, callOrReport, helpText, pyStr, supvisors, supvisorsUpcheck } from "./common.js";
import { pyInt } from "./program-commands.js";

const ROLLING_RESTART_HELP = helpText(
  "rolling_restart <appli>\t\t\tRestart the running processes of appli, one instance at a time.",
  "rolling_restart <appli>:<program>\t\tRestart the running processes of program, one instance at a time.",
  "rolling_restart -b <n> <target>\t\tRestart n instances at a time (each batch ready before the next).",
);

/** The words: an optional `-b N` (or `-bN`, `--batch-size N`, `--batch-size=N`) and one target. */
function parse(arg: string): { batchSize: number; target: string } | { error: string } {
  const words = pySplit(arg);
  let batchSize = 1;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let value: string | undefined;
    if (w === "-b" || w === "--batch-size") {
      value = words[++i];
      if (value === undefined) return { error: `${w} requires a number` };
    } else if (w.startsWith("--batch-size=")) value = w.slice("--batch-size=".length);
    else if (/^-b./.test(w)) value = w.slice(2);
    else {
      rest.push(w);
      continue;
    }
    const n = pyInt(value);
    if (n === undefined || n < 1) return { error: "batch size must be a strictly positive integer" };
    batchSize = n;
  }
  if (rest.length !== 1) return { error: "rolling_restart requires one target (appli or appli:program)" };
  return { batchSize, target: rest[0]! };
}

export const rollingRestart: CtlCommand = {
  name: "rolling_restart",
  help: ROLLING_RESTART_HELP,
  completes: "namespecs",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = parse(arg);
    if ("error" in args) return argumentError(ctl, args.error, ROLLING_RESTART_HELP);
    const result = await callOrReport(ctl, () => supvisors(ctl).call("rolling_restart", args.target, args.batchSize, true), args.target);
    if (result !== undefined) ctl.output(`${args.target} rolling restarted: ${pyStr(result)}`);
  },
};
