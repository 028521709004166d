/**
 * The socket of an [fcgi-program:x] (spec §2.5), handed to every process of the group as fd 0.
 *
 * supervisord binds and listens in the parent and never accepts on it. A Node `net.Server` cannot
 * listen without also accepting (libuv polls every listening socket), so the daemon would race its
 * own children for connections. Instead the daemon only BINDS the socket (libuv does not poll a
 * bound, non-listening handle); the native spawner's addon then calls listen(2) on it before the
 * first child starts (spawner.ts). Without the addon, every child's exec chain starts with a tiny
 * `perl` step that calls listen(2) on fd 0 and execs the program in place (same pid); perl is
 * Debian's essential `perl-base`. The socket lives as long as its group; supervisord closes it when the group's last
 * process stops and re-creates it, which only differs in that connections then wait in the backlog.
 */
import { lookup } from "node:dns/promises";
import { chmodSync, chownSync, unlinkSync } from "node:fs";
import { isIP } from "node:net";
import type { FcgiSocketConfig, LogLevelName } from "../config/types.js";

/** A libuv stream handle from Node's internal tcp_wrap / pipe_wrap bindings. */
interface BoundHandle {
  readonly fd: number;
  bind(host: string, port: number): number;
  bind6(host: string, port: number, flags: number): number;
  close(): void;
}
type Binding = { TCP?: new (type: number) => BoundHandle; Pipe?: new (type: number) => BoundHandle; constants: { SERVER: number } };
const binding = (name: string): Binding => (process as unknown as { binding(n: string): Binding }).binding(name);

/** Default listen(2) backlog (socket.SOMAXCONN on Linux). */
const SOMAXCONN = 4096;

export class FcgiSocket {
  private handle: BoundHandle | null = null;
  /** Resolves once the socket is bound (or binding failed: then fd() stays undefined). */
  readonly ready: Promise<void>;

  constructor(
    private readonly config: FcgiSocketConfig,
    private readonly log: (level: LogLevelName, message: string) => void,
  ) {
    this.log("info", `Creating socket ${config.url}`);
    this.ready = this.bind().catch((err: Error) => {
      this.log("critical", `Could not create FastCGI socket ${config.url}: ${err.message}`);
    });
  }

  /** listen(2) backlog the child's exec chain applies. */
  get backlog(): number {
    return this.config.backlog ?? SOMAXCONN;
  }

  /** The bound descriptor for a child's fd 0, or undefined when the socket is not usable. */
  fd(): number | undefined {
    return this.handle && this.handle.fd >= 0 ? this.handle.fd : undefined;
  }

  close(): void {
    if (!this.handle) return;
    this.log("info", `Closing socket ${this.config.url}`);
    this.handle.close();
    this.handle = null;
    if (this.config.kind === "unix") unlinkQuietly(this.config.path as string);
  }

  private async bind(): Promise<void> {
    const c = this.config;
    if (c.kind === "unix") {
      const path = c.path as string;
      unlinkQuietly(path);
      const { Pipe, constants } = binding("pipe_wrap");
      const h = new Pipe!(constants.SERVER);
      check(h.bind(path, 0), h);
      if (c.owner) chownSync(path, c.owner.uid, c.owner.gid);
      chmodSync(path, c.mode ?? 0o700);
      this.handle = h;
      return;
    }
    const host = c.host as string;
    const address = isIP(host) ? host : (await lookup(host)).address;
    const { TCP, constants } = binding("tcp_wrap");
    const h = new TCP!(constants.SERVER);
    check(isIP(address) === 6 ? h.bind6(address, c.port as number, 0) : h.bind(address, c.port as number), h);
    this.handle = h;
  }
}

function check(status: number, h: BoundHandle): void {
  if (status === 0) return;
  h.close();
  const err = new Error(`bind failed (${status === -98 ? "EADDRINUSE" : `errno ${-status}`})`);
  throw err;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* not there */
  }
}
