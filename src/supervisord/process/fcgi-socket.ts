/**
 * The listening socket of an [fcgi-program:x] (spec §2.5), handed to every child as fd 0.
 *
 * supervisord binds it synchronously right before the first fork and closes it when the group's
 * last process is gone. Node binds a TCP listener asynchronously (its address lookup is async), so
 * we open the socket when the group is created, start the group's processes once it listens
 * (`ready`), and keep it until the group is removed: while no process runs, connections wait in
 * the backlog instead of being refused.
 */
import { createServer, type Server } from "node:net";
import { chmodSync, chownSync, unlinkSync } from "node:fs";
import type { FcgiSocketConfig, LogLevelName } from "../config/types.js";

export class FcgiSocket {
  private readonly server: Server;
  private listening = false;
  /** Resolves once the socket listens (or failed: then fd() stays undefined). */
  readonly ready: Promise<void>;

  constructor(
    private readonly config: FcgiSocketConfig,
    private readonly log: (level: LogLevelName, message: string) => void,
  ) {
    this.log("info", `Creating socket ${config.url}`);
    const server = createServer();
    this.server = server;
    const backlog = config.backlog ?? 511;
    this.ready = new Promise<void>((resolve) => {
      server.once("listening", () => {
        this.listening = true;
        if (config.kind === "unix") {
          const path = config.path as string;
          if (config.owner) chownSync(path, config.owner.uid, config.owner.gid === -1 ? -1 : config.owner.gid);
          chmodSync(path, config.mode ?? 0o700);
        }
        resolve();
      });
      server.once("error", (err) => {
        this.log("critical", `Could not create FastCGI socket ${config.url}: ${err.message}`);
        resolve();
      });
    });
    if (config.kind === "unix") {
      try {
        unlinkSync(config.path as string);
      } catch {
        /* not there */
      }
      server.listen({ path: config.path, backlog });
    } else {
      server.listen({ host: config.host, port: config.port, backlog });
    }
  }

  /** The listening descriptor for a child's fd 0, or undefined when the socket is not usable. */
  fd(): number | undefined {
    if (!this.listening) return undefined;
    const handle = (this.server as unknown as { _handle?: { fd?: number } })._handle;
    return handle?.fd !== undefined && handle.fd >= 0 ? handle.fd : undefined;
  }

  close(): void {
    if (!this.listening) return;
    this.listening = false;
    this.log("info", `Closing socket ${this.config.url}`);
    this.server.close();
  }
}
