/**
 * Starts the real supervisord 4.2.5 (the oracle) in a temp dir with a unix socket and,
 * optionally, an inet server with credentials; for differential tests of the RPC/HTTP layer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RealSupervisord {
  readonly dir: string;
  readonly socket: string;
  readonly port: number | null;
  readonly logfile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitFor(cond: () => boolean, timeoutMs = 15000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startRealSupervisord(
  opts: { inet?: { username?: string; password?: string }; extra?: string } = {},
): Promise<RealSupervisord> {
  const dir = mkdtempSync(join(tmpdir(), "real-sd-"));
  const socket = join(dir, "sd.sock");
  const logfile = join(dir, "sd.log");
  const port = opts.inet ? await freePort() : null;
  let conf = `[unix_http_server]\nfile=${socket}\n\n`;
  if (opts.inet) {
    conf += `[inet_http_server]\nport=127.0.0.1:${port}\n`;
    if (opts.inet.username) conf += `username=${opts.inet.username}\npassword=${opts.inet.password}\n`;
    conf += "\n";
  }
  conf +=
    `[supervisord]\nlogfile=${logfile}\npidfile=${join(dir, "sd.pid")}\nnodaemon=true\nloglevel=trace\n\n` +
    "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n" +
    (opts.extra ?? "");
  writeFileSync(join(dir, "sd.conf"), conf);
  const child: ChildProcess = spawn("/usr/bin/supervisord", ["-c", join(dir, "sd.conf")], {
    stdio: "ignore",
    cwd: dir,
  });
  await waitFor(() => existsSync(socket), 15000, "real supervisord socket");
  // The socket file appears once bound; give the loop a moment to start serving.
  await new Promise((r) => setTimeout(r, 200));
  return {
    dir,
    socket,
    port,
    logfile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
