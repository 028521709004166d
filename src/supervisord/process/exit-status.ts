/**
 * supervisord's decode_wait_status (spec §3.3 "Reaping" step 2), from what Node reports about a
 * dead child: an exit code, or the name of the signal that killed it.
 */
import { constants } from "node:os";
import { signame } from "../signals.js";

/** How a child ended, as the reaper saw it. Structurally compatible with the Spawner's ExitInfo. */
export interface ProcessExit {
  readonly code: number | null;
  /** Node's signal name, e.g. "SIGTERM". */
  readonly signal: string | null;
  readonly coreDumped?: boolean;
}

export interface DecodedExit {
  /** The exit status; -1 for a signal death (so it is never in exitcodes). */
  readonly es: number;
  /** `exit status 3`, `terminated by SIGTERM`, `terminated by SIGSEGV (core dumped)`. */
  readonly text: string;
}

export function decodeExit(exit: ProcessExit): DecodedExit {
  if (exit.code !== null) {
    const es = exit.code & 0xffff;
    return { es, text: `exit status ${es}` };
  }
  if (exit.signal !== null) {
    // Node names 29 SIGIO where supervisord's signame() says SIGPOLL: go through the number.
    const num = (constants.signals as Record<string, number | undefined>)[exit.signal];
    const name = num === undefined ? exit.signal : signame(num);
    return { es: -1, text: `terminated by ${name}${exit.coreDumped ? " (core dumped)" : ""}` };
  }
  // Node reports neither only for a stopped/continued child, which the reaper never passes here.
  return { es: -1, text: "unknown termination cause" };
}
