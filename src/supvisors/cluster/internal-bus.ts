/**
 * The internal pub/sub between instances (DESIGN.md "Cluster transport"): a ZeroMQ PUB bound to
 * the configured host's internal port, a SUB connected to every other instance. ZeroMQ reconnects
 * by itself; a connection it loses (a killed peer's reset) is reported at once as a disconnect.
 *
 * zeromq 6 allows one pending send per socket, so messages wait in a queue served by one sender;
 * a TICK goes to the front of that queue, so a burst of process events never delays a heartbeat.
 * zeromq is loaded lazily: a daemon without the Supvisors section never pays its 40-55 ms.
 * Ours: with `curve` keys (derived from the internal key, cluster/curve-keys.ts) the PUB is a CURVE
 * server and the SUBs its clients, so the bus is encrypted and closed to whoever lacks the key.
 */
import type { Identifier, InstanceIdentity, InternalMessage } from "../types.js";
import { decodeEnvelope, encodeEnvelope } from "./envelope.js";
import { bindSoon, closeFreeing } from "../zmq-port.js";
import type { BusCurveKeys } from "./curve-keys.js";

export class InternalBusError extends Error {
  override readonly name = "InternalBusError";
  constructor(
    readonly code: "BIND_FAILED" | "CLOSED",
    message: string,
  ) {
    super(message);
  }
}

export interface InternalBusInit {
  readonly local: InstanceIdentity;
  readonly instances: readonly InstanceIdentity[];
  /** null: the cluster has no credentials, messages go unsigned. */
  readonly key: string | null;
  /** Random per start; peers see a new one as a restart. */
  readonly boot: string;
  /** Messages queued beyond this are dropped (oldest non-tick first) and counted. */
  readonly maxQueue?: number;
  /** CURVE encryption of the bus; absent: plain ZMTP (as before). */
  readonly curve?: BusCurveKeys;
}

type ZmqModule = typeof import("zeromq");
type Publisher = InstanceType<ZmqModule["Publisher"]>;
type Subscriber = InstanceType<ZmqModule["Subscriber"]>;

const endpoint = (i: InstanceIdentity) => `tcp://${i.ipAddress}:${i.internalPort}`;

export class InternalBus {
  private readonly local: InstanceIdentity;
  private readonly key: string | null;
  private readonly boot: string;
  private readonly known: ReadonlySet<Identifier>;
  private readonly byEndpoint = new Map<string, Identifier>();
  private readonly peers: readonly InstanceIdentity[];
  private readonly maxQueue: number;
  private readonly curve: BusCurveKeys | undefined;
  private pub: Publisher | null = null;
  private sub: Subscriber | null = null;
  private queue: InternalMessage[] = [];
  private sending = false;
  private seq = 0;
  private closed = false;
  private readonly lastSeen = new Map<Identifier, { boot: string; seq: number }>();
  private messageCb: (from: Identifier, msg: InternalMessage) => void = () => {};
  private rejectedCb: (from: Identifier | undefined, reason: string) => void = () => {};
  private disconnectCb: (id: Identifier) => void = () => {};
  /** Messages dropped because the queue was full (a peer-less burst). */
  dropped = 0;

  constructor(init: InternalBusInit) {
    this.local = init.local;
    this.key = init.key;
    this.boot = init.boot;
    this.maxQueue = init.maxQueue ?? 100_000;
    this.curve = init.curve;
    this.known = new Set(init.instances.map((i) => i.identifier).filter((id) => id !== init.local.identifier));
    this.peers = init.instances.filter((i) => i.identifier !== init.local.identifier);
    for (const p of this.peers) this.byEndpoint.set(endpoint(p), p.identifier);
  }

  onMessage(cb: (from: Identifier, msg: InternalMessage) => void): void {
    this.messageCb = cb;
  }
  onRejected(cb: (from: Identifier | undefined, reason: string) => void): void {
    this.rejectedCb = cb;
  }
  onPeerDisconnected(cb: (id: Identifier) => void): void {
    this.disconnectCb = cb;
  }

  /** Binds the PUB (a clear error when the port is taken) and connects the SUB to every peer. */
  async start(): Promise<void> {
    const zmq: ZmqModule = await import("zeromq");
    const curve = this.curve;
    const pub = new zmq.Publisher({ linger: 0, sendHighWaterMark: 10_000, ...(curve ? { curveServer: true, curveSecretKey: curve.server.secretKey } : {}) });
    const address = endpoint(this.local);
    try {
      await bindSoon(pub, address);
    } catch (err) {
      pub.close();
      throw new InternalBusError("BIND_FAILED", `cannot bind the Supvisors internal port ${this.local.ipAddress}:${this.local.internalPort} (internal_port option, default http port + 3): ${(err as Error).message}`);
    }
    const sub = new zmq.Subscriber({
      linger: 0,
      receiveHighWaterMark: 100_000,
      reconnectInterval: 100,
      reconnectMaxInterval: 1000,
      ...(curve ? { curveServerKey: curve.server.publicKey, curvePublicKey: curve.client.publicKey, curveSecretKey: curve.client.secretKey } : {}),
    });
    sub.subscribe();
    for (const p of this.peers) sub.connect(endpoint(p));
    this.pub = pub;
    this.sub = sub;
    void this.receiveLoop(sub);
    void this.eventLoop(sub);
    this.pump();
  }

  publish(msg: InternalMessage): void {
    if (this.closed) return;
    if (msg.kind === "tick") {
      // A newer TICK supersedes one still waiting.
      this.queue = this.queue.filter((m) => m.kind !== "tick");
      this.queue.unshift(msg);
    } else {
      if (this.queue.length >= this.maxQueue) {
        // Statistics go first: a lost sample costs one point of a chart, a lost process event a wrong state.
        const s = this.queue.findIndex((m) => m.kind === "stats");
        const i = s >= 0 ? s : this.queue.findIndex((m) => m.kind !== "tick");
        if (i >= 0) this.queue.splice(i, 1);
        this.dropped++;
      }
      this.queue.push(msg);
    }
    this.pump();
  }

  private pump(): void {
    if (this.sending || !this.pub || this.closed) return;
    const msg = this.queue.shift();
    if (!msg) return;
    this.sending = true;
    const frames = encodeEnvelope({ from: this.local.identifier, boot: this.boot, seq: this.seq++, time: Date.now() / 1000, message: msg }, this.key);
    this.pub.send(frames).then(
      () => {
        this.sending = false;
        this.pump();
      },
      () => {
        this.sending = false;
        if (!this.closed) this.pump();
      },
    );
  }

  private async receiveLoop(sub: Subscriber): Promise<void> {
    try {
      for await (const frames of sub) {
        if (this.closed) return;
        const r = decodeEnvelope(frames, this.key, this.known);
        if (!r.ok) {
          this.rejectedCb(r.from, r.reason);
          continue;
        }
        const { from, boot, seq, message } = r.envelope;
        const last = this.lastSeen.get(from);
        if (last && last.boot === boot && seq <= last.seq) {
          this.rejectedCb(from, "duplicate or out-of-order message");
          continue;
        }
        this.lastSeen.set(from, { boot, seq });
        this.messageCb(from, message);
      }
    } catch (err) {
      if (!this.closed) this.rejectedCb(undefined, `receive loop ended: ${(err as Error).message}`);
    }
  }

  private async eventLoop(sub: Subscriber): Promise<void> {
    try {
      for await (const event of sub.events) {
        if (this.closed) return;
        if (event.type === "disconnect") {
          const id = this.byEndpoint.get(event.address);
          if (id) this.disconnectCb(id);
        }
      }
    } catch {
      /* the socket closed */
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    const pub = this.pub;
    this.sub?.close();
    this.sub = null;
    this.pub = null;
    if (pub) await closeFreeing(pub, endpoint(this.local));
  }
}

