/**
 * Failure detector: decides when a silent peer is lost, telling a dead peer from a slow local
 * node (the idea of hashicorp/memberlist's "local health awareness").
 *
 * The rule. Supvisors declares a peer FAILED when the local TICK counter advanced by more than
 * `inactivity_ticks` since the last TICK heard from it. Counting our own ticks is right when our
 * ticks are punctual, and wrong when they are not: after our event loop was blocked for 2 s (a
 * saturated machine, a burst of 1000 spawns, a long GC), the first tick() runs *before* the
 * messages that peers sent meanwhile are read from the sockets, and every peer would look
 * silent for 2 s. So:
 *
 *  1. a local tick is *counted* only when it comes at most LATE_FACTOR x tickPeriod after the
 *     previous one; a late tick means the time was lost by us, not by the peers, so it does not
 *     count against anybody (the next punctual tick comes after the queued messages were read);
 *  2. a peer is silent when more than `inactivityTicks` *counted* ticks passed since we last heard
 *     from it (Supvisors' rule), **and** the silence lasted more than `(inactivityTicks + 2) x
 *     tickPeriod` of time: the time "more than inactivityTicks ticks" takes on a punctual clock,
 *     plus one period of grace for a peer whose beat comes late (its machine busy). The time rule
 *     also keeps a host that calls tick() too often from declaring a peer lost early.
 *
 * With the defaults (tick 0.25 s, inactivity_ticks 2) a peer that stops (SIGSTOP, power loss,
 * cut cable) is reported 1-1.25 s after its last message, so 0.75-1.25 s after it stopped. A
 * refused or reset connection does not wait for this at all (ClusterCore.transportFailure). A
 * peer whose beats come up to 1 s apart (its machine saturated, its loop blocked 0.75 s by a
 * burst of spawns) is never reported; a peer blocked longer is, by design: its host keeps the
 * tick timer served during bursts.
 *
 * Pure: time comes in as numbers (ms, monotonic).
 */
import type { Identifier } from "../types.js";

/** A tick more than this many periods after the previous one is a local stall. */
export const LATE_FACTOR = 2;

interface Watch {
  /** Counted local ticks at the last message from the peer. */
  countedAt: number;
  /** Local monotonic time of the last message from the peer. */
  heardAtMs: number;
}

/** What one local tick was, as the detector saw it. */
export interface LocalTickVerdict {
  /** False when the tick came late (a local stall): it counts against no peer. */
  readonly counted: boolean;
  /** How late the tick came beyond one period (0 when punctual or first). */
  readonly stallMs: number;
}

export class FailureDetector {
  private readonly periodMs: number;
  private readonly limitTicks: number;
  private lastTickMs: number | null = null;
  private counted = 0;
  private readonly watches = new Map<Identifier, Watch>();

  constructor(tickPeriodMs: number, inactivityTicks: number) {
    this.periodMs = tickPeriodMs;
    this.limitTicks = inactivityTicks;
  }

  /** Records one local tick; call it before `silent()`. */
  onLocalTick(nowMs: number): LocalTickVerdict {
    const gap = this.lastTickMs === null ? 0 : nowMs - this.lastTickMs;
    this.lastTickMs = nowMs;
    const late = gap > LATE_FACTOR * this.periodMs;
    if (!late) this.counted++;
    return { counted: !late, stallMs: late ? gap - this.periodMs : 0 };
  }

  /** Starts (or restarts) watching a peer as if it had just been heard. */
  watch(id: Identifier, nowMs: number): void {
    this.watches.set(id, { countedAt: this.counted, heardAtMs: nowMs });
  }

  /** A message from a watched peer arrived. Unwatched peers are ignored. */
  heard(id: Identifier, nowMs: number): void {
    const w = this.watches.get(id);
    if (w) {
      w.countedAt = this.counted;
      w.heardAtMs = Math.max(w.heardAtMs, nowMs);
    }
  }

  forget(id: Identifier): void {
    this.watches.delete(id);
  }

  isWatched(id: Identifier): boolean {
    return this.watches.has(id);
  }

  /** Watched peers whose silence passed both limits (rule 2), in watch order. */
  silent(nowMs: number): Identifier[] {
    const out: Identifier[] = [];
    for (const [id, w] of this.watches) {
      if (this.counted - w.countedAt > this.limitTicks && nowMs - w.heardAtMs > (this.limitTicks + 2) * this.periodMs) out.push(id);
    }
    return out;
  }
}
