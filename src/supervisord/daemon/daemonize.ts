/**
 * Daemon mode without fork(2): Node cannot fork itself, so the foreground process starts a
 * detached copy of itself (a new session, stdio on /dev/null) and waits until that copy reports
 * "ready" (its servers are bound, like supervisord whose parent exits once sockets exist) or a
 * startup error, which the parent prints as supervisord would before exiting 2.
 */
import { spawn } from "node:child_process";

const CHILD_MARK = "SUPERVISORD_TS_DAEMON_CHILD";

export type DaemonMessage = { readonly kind: "ready" } | { readonly kind: "error"; readonly message: string };

/** True in the detached copy. */
export function isDaemonChild(): boolean {
  return process.env[CHILD_MARK] === "1" && typeof process.send === "function";
}

/** In the detached copy: tell the waiting parent how start-up went, then cut the cord. */
export function reportToParent(msg: DaemonMessage): void {
  if (!isDaemonChild()) return;
  delete process.env[CHILD_MARK];
  process.send?.(msg, () => process.disconnect?.());
}

/** In the foreground process: start the detached copy and resolve with its report. */
export function startDetachedCopy(): Promise<DaemonMessage> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      detached: true,
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      env: { ...process.env, [CHILD_MARK]: "1" },
    });
    let done = false;
    child.on("message", (m: DaemonMessage) => {
      done = true;
      child.unref();
      child.disconnect?.();
      resolve(m);
    });
    child.on("exit", (code) => {
      if (!done) resolve({ kind: "error", message: `daemon exited during start-up (status ${code})` });
    });
  });
}
