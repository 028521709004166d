/**
 * Opening the listening sockets the way supervisord does (spec §7.2, §14 item 24).
 *
 * Unix: bind a temporary name `<file>.<pid>`, chmod it, then hard-link it to `<file>`, so the
 * socket never appears with the wrong mode. When `<file>` exists, probe it: something answering
 * means another daemon (address in use); silence means a stale socket, which is unlinked (with
 * `Unlinking stale socket <file>` on stderr) before retrying after 0.3 s. Then chown. The
 * temporary name is always removed.
 * Inet: host:port with SO_REUSEADDR (Node's default), backlog 1024; empty host = all IPv4
 * interfaces, like supervisord's AF_INET socket.
 */
import { chmod, chown, link, lstat, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Server } from "node:net";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { lookup } from "node:dns/promises";
import type { InetServerConfig, UnixServerConfig } from "../config/types.js";
import { bindErrorFrom, chownNotPermitted, HttpBindError, ADDRESS_IN_USE_MESSAGE } from "./bind-errors.js";

const BACKLOG = 1024;
const STALE_RETRY_MS = 300;
const PROBE_TIMEOUT_MS = 2000;
const MAX_STALE_ATTEMPTS = 20;

function listenOn(server: Server, target: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      server.off("listening", onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ ...target, backlog: BACKLOG });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** supervisord's checkused: connect, send a request, and see whether one byte comes back. */
export function socketAnswers(file: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(file);
    let settled = false;
    const done = (v: boolean): void => {
      if (settled) return;
      settled = true;
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on("connect", () => sock.write("GET / HTTP/1.0\r\n\r\n"));
    sock.on("data", () => done(true));
    sock.on("error", () => done(false));
    sock.on("close", () => done(false));
  });
}

/**
 * libuv reports a missing directory as EACCES when binding a unix socket (for Windows parity);
 * Python sees ENOENT, and so does supervisord's message.
 */
async function realBindError(e: unknown, path: string): Promise<unknown> {
  if ((e as NodeJS.ErrnoException).code !== "EACCES") return e;
  try {
    await stat(dirname(path));
    return e;
  } catch (statErr) {
    return (statErr as NodeJS.ErrnoException).code === "ENOENT" ? statErr : e;
  }
}

export interface UnixListenOptions {
  /** Where "Unlinking stale socket" goes (supervisord writes it to stderr). */
  readonly stderr?: (text: string) => void;
  readonly pid?: number;
}

/**
 * Binds `server` to the config's socket file. Returns the socket's inode so close can unlink
 * the file only while it is still ours.
 */
export async function listenUnix(server: Server, cfg: UnixServerConfig, opts: UnixListenOptions = {}): Promise<number> {
  const stderr = opts.stderr ?? ((t: string) => void process.stderr.write(t));
  const temp = `${cfg.file}.${opts.pid ?? process.pid}`;
  await unlink(temp).catch(() => {});
  for (let attempt = 1; ; attempt++) {
    try {
      await listenOn(server, { path: temp });
    } catch (e) {
      throw bindErrorFrom(await realBindError(e, temp), cfg.section);
    }
    try {
      await chmod(temp, cfg.chmod);
      try {
        await link(temp, cfg.file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw bindErrorFrom(e, cfg.section);
        // A file we cannot remove would make the reference loop forever; give up after a while.
        if (attempt >= MAX_STALE_ATTEMPTS || (await socketAnswers(cfg.file))) {
          throw new HttpBindError("ADDRESS_IN_USE", ADDRESS_IN_USE_MESSAGE, cfg.section);
        }
        stderr(`Unlinking stale socket ${cfg.file}\n`);
        await unlink(cfg.file).catch(() => {});
        await closeServer(server);
        await new Promise((r) => setTimeout(r, STALE_RETRY_MS));
        continue;
      }
      if (cfg.chown) {
        try {
          await chown(cfg.file, cfg.chown.uid, cfg.chown.gid);
        } catch (e) {
          await unlink(cfg.file).catch(() => {});
          if ((e as NodeJS.ErrnoException).code === "EPERM") {
            throw chownNotPermitted(cfg.file, cfg.chown.uid, cfg.chown.gid, userInfo().username, cfg.section);
          }
          throw bindErrorFrom(e, cfg.section);
        }
      }
      return (await lstat(cfg.file)).ino;
    } catch (e) {
      if (server.listening) await closeServer(server);
      throw e instanceof HttpBindError ? e : bindErrorFrom(e, cfg.section);
    } finally {
      await unlink(temp).catch(() => {});
    }
  }
}

/** Binds `server` to host:port (empty host = every IPv4 interface). */
export async function listenInet(server: Server, cfg: InetServerConfig): Promise<void> {
  let host = cfg.host === "" ? "0.0.0.0" : cfg.host;
  try {
    // supervisord's socket is AF_INET: resolve names to IPv4 like gethostbyname would.
    if (!/^[\d.]+$/.test(host) && !host.includes(":")) host = (await lookup(host, { family: 4 })).address;
  } catch (e) {
    throw bindErrorFrom(e, cfg.section);
  }
  try {
    await listenOn(server, { host, port: cfg.port });
  } catch (e) {
    throw bindErrorFrom(e, cfg.section);
  }
}

/** Removes the socket file if it is still the one we created. */
export async function unlinkOwnSocket(file: string, ino: number): Promise<void> {
  try {
    if ((await lstat(file)).ino === ino) await unlink(file);
  } catch {
    // already gone
  }
}
