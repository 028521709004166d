/**
 * At most one handshake in flight per peer, and none forgotten. The core asks for a handshake each
 * time a peer enters CHECKING and ignores an answer to a handshake started before that entry
 * (obsolete). A peer can leave CHECKING (a transport failure, FAILED, STOPPED) and enter it again
 * while the first handshake still runs: the newer request must then be run when the first ends,
 * or the peer stays CHECKING with no handshake left to end it. That happened with 30 instances
 * starting together on one machine: the cluster never left ELECTION.
 */
import type { HandshakeRequest } from "../fsm/core-io.js";
import type { Identifier } from "../types.js";

/** Runs one handshake; settles when its answer was fed to the core. */
export type LaunchHandshake = (req: HandshakeRequest) => Promise<void>;

export class HandshakeRunner {
  /** Peers with a handshake in flight, with the newest request that came meanwhile (null: none). */
  private readonly inFlight = new Map<Identifier, HandshakeRequest | null>();
  private closed = false;

  constructor(private readonly launch: LaunchHandshake) {}

  request(req: HandshakeRequest): void {
    if (this.closed) return;
    if (this.inFlight.has(req.identifier)) {
      this.inFlight.set(req.identifier, req);
      return;
    }
    this.inFlight.set(req.identifier, null);
    void this.launch(req)
      .catch(() => {
        /* the launcher logs its own failures */
      })
      .finally(() => {
        const next = this.inFlight.get(req.identifier) ?? null;
        this.inFlight.delete(req.identifier);
        if (next !== null) this.request(next);
      });
  }

  /** Whether a handshake with the peer is running (tests, diagnostics). */
  running(id: Identifier): boolean {
    return this.inFlight.has(id);
  }

  close(): void {
    this.closed = true;
  }
}
