/**
 * `sstatus --follow` and `sstate --follow` (beyond Supvisors): the table, then its changes as
 * the event interface announces them, until Ctrl-C. Each event only says "something changed":
 * the table is read again over XML-RPC and rendered by the command's own code, so a followed
 * table is exactly the table the command prints. On a terminal it is redrawn in place; piped,
 * each row that changed is printed again, one line per change, so a script can read a failover
 * as it happens.
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import type { Controller } from "../controller.js";
import { LsbInit } from "../exit-status.js";
import { resolveEndpoint, subscribe, type EventSubscription } from "./event-source.js";

/** One rendering of the table: its lines (title first) and a key per row (lines[i + 1]). */
export interface TableSnapshot {
  readonly lines: readonly string[];
  readonly keys: readonly string[];
}

export interface FollowSpec {
  /** The headers whose events may change the table. */
  readonly headers: readonly SupvisorsEventHeader[];
  /** Reads and renders the table; null when there is nothing to show. */
  readonly snapshot: () => Promise<TableSnapshot | null>;
}

/** The `--follow` word, wherever it is among the arguments: [present, the other words]. */
export function takeFollow(words: readonly string[]): [boolean, string[]] {
  const rest = words.filter((w) => w !== "--follow" && w !== "-f");
  return [rest.length !== words.length, rest];
}

export async function follow(ctl: Controller, spec: FollowSpec): Promise<void> {
  const where = resolveEndpoint(ctl.options.serverurl, ctl.options.supvisorsEvents ?? null, ctl.options.caFile);
  if (!where.ok) {
    ctl.output(`ERROR: ${where.message}`);
    ctl.exitstatus = LsbInit.INVALID_ARGS;
    return;
  }
  let sub: EventSubscription;
  try {
    sub = await subscribe(where.endpoint, spec.headers);
  } catch (e) {
    ctl.output(`ERROR: ${(e as Error).message}`);
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  const terminal = ctl.io.terminal === true;
  let shown: TableSnapshot | null = null;
  const render = (next: TableSnapshot | null) => {
    if (next === null) return;
    if (terminal) {
      // Back to the top of the table drawn last, clear to the end of the screen, draw it again.
      if (shown) ctl.io.write(`\x1b[${shown.lines.length}A\r\x1b[J`);
      for (const l of next.lines) ctl.output(l);
    } else if (shown === null) {
      for (const l of next.lines) ctl.output(l);
    } else {
      const before = new Map(shown.keys.map((k, i) => [k, shown!.lines[i + 1]]));
      next.keys.forEach((k, i) => {
        if (before.get(k) !== next.lines[i + 1]) ctl.output(next.lines[i + 1]!);
      });
    }
    shown = next;
  };
  try {
    await ctl.interruptibly(async (signal) => {
      const stop = new Promise<null>((resolve) => signal.addEventListener("abort", () => resolve(null), { once: true }));
      render(await spec.snapshot());
      ctl.closeConnections();
      for (;;) {
        const header = await Promise.race([sub.next(), stop]);
        if (header === null) break;
        sub.drain();
        render(await spec.snapshot());
        ctl.closeConnections();
      }
    });
  } finally {
    sub.close();
  }
}
