/**
 * The listening socket of an [fcgi-program:x] (spec §2.5): created and bound before the first
 * child forks, handed to every child as fd 0, closed when the group's last process is gone.
 */
import { createServer, type Server } from "node:net";
import { chmodSync, chownSync, unlinkSync } from "node:fs";
import type { FcgiSocketConfig, LogLevelName } from "../config/types.js";

export class FcgiSocket {
  private server: Server | null = null;

  constructor(
    private readonly config: FcgiSocketConfig,
    private readonly log: (level: LogLevelName, message: string) => void,
  ) {}

  /** The listening fd for the next child, creating the socket if needed. */
  acquire(): number | undefined {
    if (!this.server) this.server = this.open();
    const handle = (this.server as unknown as { _handle?: { fd?: number } })._handle;
    return handle?.fd !== undefined && handle.fd >= 0 ? handle.fd : undefined;
  }

  releaseIfIdle(): void {
    this.close();
  }

  close(): void {
    if (!this.server) return;
    this.log("info", `Closing socket ${this.config.url}`);
    this.server.close();
    this.server = null;
  }

  private open(): Server {
    this.log("info", `Creating socket ${this.config.url}`);
    const server = createServer();
    server.on("error", (err) => this.log("error", `Could not create FastCGI socket ${this.config.url}: ${err.message}`));
    const backlog = this.config.backlog ?? 511;
    if (this.config.kind === "unix") {
      const path = this.config.path as string;
      try {
        unlinkSync(path);
      } catch {
        /* not there */
      }
      server.listen({ path, backlog });
      if (this.config.owner) chownSync(path, this.config.owner.uid, this.config.owner.gid);
      chmodSync(path, this.config.mode ?? 0o700);
    } else {
      server.listen({ host: this.config.host, port: this.config.port, backlog });
    }
    return server;
  }
}
