/**
 * The ZeroMQ event interface (spec §7.1): a PUB socket, each event a two-frame message (header,
 * JSON body), so subscribers filter by header prefix. Plain PUB/SUB: a subscriber that is slow or
 * late loses messages, never the daemon (ZeroMQ drops at the high-water mark; our own queue in
 * front of zeromq 6's one-send-at-a-time is bounded too, oldest dropped first).
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import { bindSoon, closeFreeing } from "../zmq-port.js";
import type { EventTransport } from "./transport.js";

type Publisher = InstanceType<(typeof import("zeromq"))["Publisher"]>;

export class ZmqTransport implements EventTransport {
  private pub: Publisher | null = null;
  private queue: [string, string][] = [];
  private sending = false;
  private closed = false;
  /** Events dropped because our queue was full. */
  dropped = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxQueue = 10_000,
  ) {}

  async start(): Promise<void> {
    const zmq = await import("zeromq");
    const pub = new zmq.Publisher({ linger: 0, sendHighWaterMark: 10_000 });
    await bindSoon(pub, this.address());
    this.pub = pub;
    this.pump();
  }

  /** A PUB socket does not tell who subscribed to what: the filter is at the subscribers. */
  wants(_header: SupvisorsEventHeader): boolean {
    return !this.closed;
  }

  publish(header: SupvisorsEventHeader, body: string): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push([header, body]);
    this.pump();
  }

  private pump(): void {
    if (this.sending || !this.pub || this.closed) return;
    const frames = this.queue.shift();
    if (!frames) return;
    this.sending = true;
    const next = () => {
      this.sending = false;
      if (!this.closed) this.pump();
    };
    this.pub.send(frames).then(next, next);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue = [];
    const pub = this.pub;
    this.pub = null;
    if (pub) await closeFreeing(pub, this.address());
  }

  private address(): string {
    return `tcp://${this.host}:${this.port}`;
  }
}
