/**
 * A tiny simulated network for ClusterCore tests: each node is a ClusterCore driven on a fake
 * clock; its Ready outputs are delivered to the other nodes (TICKs, StateModes), handshakes are
 * answered from the peer's own state, and links can be cut, nodes killed (connection refused),
 * stopped (SIGSTOP: silent, answers nothing) or stalled (its ticks come late, its inbox waits).
 * No sockets, no timers: time only moves when the test says so.
 */
import { ClusterCore, sameStrategies } from "../../src/supvisors/fsm/cluster-core.js";
import type { ClusterCoreOptions, CoreAction, FsmTransition, HandshakeResult, LogLine } from "../../src/supvisors/fsm/core-io.js";
import type { Identifier, InstanceIdentity } from "../../src/supvisors/types.js";

export const TICK_MS = 250;

export function identity(nick: string, host: string, port = 60000): InstanceIdentity {
  return { identifier: `${host}:${port}`, nick, hostId: host, httpPort: port, internalPort: port + 2, eventPort: port + 1, ipAddress: "10.0.0.1" };
}

/** List order differs from nick order and from identifier order on purpose. */
export const GAMMA = identity("gamma", "h1");
export const ALPHA = identity("alpha", "h3");
export const BETA = identity("beta", "h2");
export const THREE = [GAMMA, BETA, ALPHA];

export function options(over: Partial<ClusterCoreOptions> = {}): ClusterCoreOptions {
  return {
    synchroOptions: ["STRICT", "TIMEOUT"],
    synchroTimeout: 15,
    inactivityTicks: 2,
    tickPeriod: TICK_MS / 1000,
    coreIdentifiers: [],
    autoFence: false,
    supvisorsFailureStrategy: "CONTINUE",
    quorum: true,
    startingStrategy: "CONFIG",
    conciliationStrategy: "USER",
    ...over,
  };
}

type Delivery = () => void;

export interface SimNode {
  core: ClusterCore;
  boot: string;
  /** Next tick time (ms) of this node's timer. */
  nextTick: number;
  /** Catch-up ticks the host runs back to back after a stall, before reading its sockets. */
  catchUp: number;
  status: "up" | "killed" | "stopped";
  /** Messages waiting while the node is stalled. */
  inbox: Delivery[];
  stalled: boolean;
  transitions: FsmTransition[];
  actions: CoreAction[];
  logs: LogLine[];
  failedSeen: Identifier[];
  /** Host reaction to actions (default: none, so the Starter is idle at once). */
  onAction?: (a: CoreAction, node: SimNode) => void;
}

let bootSeq = 0;

export class SimNet {
  now = 0;
  readonly nodes = new Map<Identifier, SimNode>();
  private readonly cut = new Set<string>();
  private readonly queue: Delivery[] = [];
  /** Extra per-tick jitter for each node (deterministic function of node and tick). */
  jitter: (id: Identifier, n: number) => number = () => 0;
  private tickNo = 0;

  constructor(
    readonly instances: readonly InstanceIdentity[],
    readonly opts: (id: Identifier) => ClusterCoreOptions = () => options(),
  ) {}

  start(id: Identifier): SimNode {
    const core = new ClusterCore({ instances: this.instances, localIdentifier: id, options: this.opts(id), startMs: this.now, startWallMs: 1_700_000_000_000 + this.now });
    const node: SimNode = { core, boot: `boot-${++bootSeq}`, nextTick: this.now, catchUp: 0, status: "up", inbox: [], stalled: false, transitions: [], actions: [], logs: [], failedSeen: [] };
    this.nodes.set(id, node);
    return node;
  }

  startAll(): void {
    for (const i of this.instances) this.start(i.identifier);
  }

  node(id: Identifier): SimNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  core(id: Identifier): ClusterCore {
    return this.node(id).core;
  }

  kill(id: Identifier): void {
    this.node(id).status = "killed";
  }

  sigstop(id: Identifier): void {
    this.node(id).status = "stopped";
  }

  sigcont(id: Identifier): void {
    const n = this.node(id);
    n.status = "up";
    n.nextTick = this.now;
  }

  /** Cuts (or heals) every link between the two groups. */
  partition(a: readonly Identifier[], b: readonly Identifier[], cut = true): void {
    for (const x of a) for (const y of b) for (const k of [`${x}|${y}`, `${y}|${x}`]) (cut ? this.cut.add(k) : this.cut.delete(k));
  }

  heal(): void {
    this.cut.clear();
  }

  /**
   * The local event loop of `id` blocks for `ms`: its next tick comes that much late, its inbox
   * waits; with `catchUp`, its host then runs that many missed ticks back to back (a fixed-rate
   * timer) before reading the messages.
   */
  stall(id: Identifier, ms: number, catchUp = 0): void {
    const n = this.node(id);
    n.stalled = true;
    n.nextTick += ms;
    n.catchUp = catchUp;
  }

  private linked(a: Identifier, b: Identifier): boolean {
    return !this.cut.has(`${a}|${b}`);
  }

  /** Runs every timer up to time `t` (inclusive), in time order, delivering all messages. */
  advanceTo(t: number): void {
    for (;;) {
      let next: SimNode | null = null;
      let nextId = "";
      for (const [id, n] of this.nodes) {
        if (n.status !== "up") continue;
        if (n.nextTick <= t && (next === null || n.nextTick < next.nextTick)) {
          next = n;
          nextId = id;
        }
      }
      if (!next) break;
      this.now = Math.max(this.now, next.nextTick);
      next.nextTick = this.now + TICK_MS + this.jitter(nextId, this.tickNo++);
      next.core.tick(this.now);
      if (next.stalled) {
        // The tick runs first after a stall; the waiting messages are read afterwards.
        next.stalled = false;
        this.drain(nextId);
        for (; next.catchUp > 0; next.catchUp--) {
          next.core.tick(this.now);
          this.drain(nextId);
        }
        for (const d of next.inbox.splice(0)) this.queue.push(d);
      } else this.drain(nextId);
      this.pump();
    }
    this.now = Math.max(this.now, t);
  }

  advance(ms: number): void {
    this.advanceTo(this.now + ms);
  }

  /** Advances tick by tick until `pred` holds; returns the time it took, or -1 after `maxMs`. */
  until(pred: () => boolean, maxMs = 30_000): number {
    const t0 = this.now;
    while (this.now - t0 <= maxMs) {
      if (pred()) return this.now - t0;
      this.advance(TICK_MS / 5);
    }
    return pred() ? this.now - t0 : -1;
  }

  /** Runs one input on a node as its host would (then drains it). */
  call<T>(id: Identifier, f: (c: ClusterCore) => T): T {
    const r = f(this.core(id));
    this.drain(id);
    this.pump();
    return r;
  }

  private send(to: Identifier, from: Identifier, d: Delivery): void {
    const target = this.nodes.get(to);
    if (!target || !this.linked(from, to)) return; // a cut link drops silently (a real partition times out)
    if (target.status === "killed") {
      // connection refused, seen by the sender at once
      this.queue.push(() => {
        const s = this.nodes.get(from);
        if (s && s.status === "up") {
          s.core.transportFailure(to, this.now);
          this.drain(from);
        }
      });
      return;
    }
    if (target.status === "stopped") return; // buffered in a socket nobody reads
    const wrapped = () => {
      if (target.status !== "up") return;
      d();
      this.drain(to);
    };
    if (target.stalled) target.inbox.push(wrapped);
    else this.queue.push(wrapped);
  }

  private pump(): void {
    for (let guard = 0; this.queue.length > 0; guard++) {
      if (guard > 100_000) throw new Error("message storm");
      this.queue.shift()!();
    }
  }

  /** Takes a node's Ready and turns it into deliveries. */
  drain(id: Identifier): void {
    const n = this.node(id);
    const r = n.core.takeReady();
    n.transitions.push(...r.transitions);
    n.logs.push(...r.logs);
    n.failedSeen.push(...r.failed);
    const targets = n.core.publishTargets();
    if (r.tick) {
      const payload = { boot: n.boot, sequence_counter: r.tick.sequence_counter, when: this.now / 1000, when_monotonic: r.tick.when_monotonic };
      for (const to of targets.tick) this.send(to, id, () => this.node(to).core.receiveTick(id, payload, this.now));
    }
    if (r.stateModes) {
      const sm = r.stateModes;
      for (const to of targets.publications) this.send(to, id, () => this.node(to).core.receiveState(id, sm, this.now));
    }
    for (const h of r.handshakes) this.handshake(id, h.identifier, h.startedAtMs);
    for (const a of r.actions) {
      n.actions.push(a);
      n.onAction?.(a, n);
    }
  }

  private handshake(from: Identifier, to: Identifier, startedAtMs: number): void {
    const answer = (result: HandshakeResult): void => {
      this.queue.push(() => {
        const s = this.nodes.get(from);
        if (s && s.status === "up") {
          s.core.handshakeDone(to, startedAtMs, result, this.now);
          this.drain(from);
        }
      });
    };
    const target = this.nodes.get(to);
    if (!target || target.status === "killed" || !this.linked(from, to)) return answer({ kind: "transport_failure" });
    if (target.status === "stopped") return; // the call hangs
    const peer = target.core;
    const us = this.core(from);
    if (from !== to && peer.instanceState(from) === "ISOLATED") return answer({ kind: "not_authorized" });
    if (!sameStrategies(peer.strategies(), us.strategies())) return answer({ kind: "inconsistent" });
    answer({ kind: "authorized", stateModes: peer.localStateModes(), machineId: `machine-${to}`, stereotypes: [] });
  }
}
