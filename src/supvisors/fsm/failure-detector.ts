/**
 * Failure detector: decides when a silent peer is lost, telling a dead peer from a slow local
 * node (the idea of hashicorp/memberlist's "local health awareness").
 *
 * The rule. Supvisors declares a peer FAILED when the local TICK counter advanced by more than
 * `inactivity_ticks` since the last TICK heard from it. Counting our own ticks is right when our
 * ticks are punctual, and wrong when they are not: after our event loop was blocked for 2 s (a
 * saturated machine, a burst of 1000 spawns, a long GC), the next tick() runs *before* the
 * messages that peers sent meanwhile are read from the sockets (a host with a fixed-rate timer
 * even runs the missed ticks back to back first), and every peer would look silent for 2 s. So
 * silence is measured on a **compensated clock**: each tick() advances it by the gap since the
 * previous tick() but by at most one tickPeriod. A local stall therefore counts as one period
 * whatever its length, catch-up ticks count as nothing, and a host calling tick() too often
 * cannot make a peer look silent early. A peer is silent when both hold:
 *
 *  1. more than `inactivityTicks` local ticks passed since we last heard from it (Supvisors' rule);
 *  2. more than `(inactivityTicks + 2) x tickPeriod` passed on the compensated clock (and so in
 *     wall time too, which is never shorter): the time "more than inactivityTicks ticks" takes on
 *     a punctual clock, plus one period of grace for a peer whose beat comes late.
 *
 * With the defaults (tick 0.25 s, inactivity_ticks 2) a peer that stops (SIGSTOP, power loss,
 * cut cable) is reported 1-1.25 s after its last message, so 0.75-1.25 s after it stopped. A
 * refused or reset connection does not wait for this at all (ClusterCore.transportFailure). A
 * peer whose beats come up to 1 s apart (its machine saturated, its loop blocked 0.75 s by a
 * burst of spawns) is never reported; a peer blocked longer is, by design: its host keeps the
 * tick timer served during bursts. When our own ticks come late all the time (a saturated
 * machine), detection slows down in proportion instead of reporting false losses.
 *
 * Pure: time comes in as numbers (ms, monotonic).
 */
import type { Identifier } from "../types.js";

/** A tick more than this many periods after the previous one is a local stall. */
export const LATE_FACTOR = 2;

interface Watch {
  /** Local ticks at the last message from the peer. */
  ticksAt: number;
  /** Compensated clock (ms) at the last message from the peer. */
  clockAt: number;
}

/** What one local tick was, as the detector saw it. */
export interface LocalTickVerdict {
  /** The tick came more than LATE_FACTOR periods after the previous one: a local stall. */
  readonly late: boolean;
  /** How much of the gap the compensated clock did not count (0 when punctual or first). */
  readonly stallMs: number;
}

export class FailureDetector {
  private readonly periodMs: number;
  private readonly limitTicks: number;
  private lastTickMs: number | null = null;
  private ticks = 0;
  /** The compensated clock at the last tick (ms). */
  private clock = 0;
  private readonly watches = new Map<Identifier, Watch>();

  constructor(tickPeriodMs: number, inactivityTicks: number) {
    this.periodMs = tickPeriodMs;
    this.limitTicks = inactivityTicks;
  }

  /** Records one local tick; call it before `silent()`. */
  onLocalTick(nowMs: number): LocalTickVerdict {
    const gap = this.lastTickMs === null ? 0 : Math.max(0, nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    this.ticks++;
    this.clock += Math.min(gap, this.periodMs);
    const late = gap > LATE_FACTOR * this.periodMs;
    return { late, stallMs: late ? gap - this.periodMs : 0 };
  }

  /** The compensated clock at `nowMs`, between two ticks. */
  private clockAt(nowMs: number): number {
    if (this.lastTickMs === null) return this.clock;
    return this.clock + Math.min(Math.max(0, nowMs - this.lastTickMs), this.periodMs);
  }

  /** Starts (or restarts) watching a peer as if it had just been heard. */
  watch(id: Identifier, nowMs: number): void {
    this.watches.set(id, { ticksAt: this.ticks, clockAt: this.clockAt(nowMs) });
  }

  /** A message from a watched peer arrived. Unwatched peers are ignored. */
  heard(id: Identifier, nowMs: number): void {
    const w = this.watches.get(id);
    if (w) {
      w.ticksAt = this.ticks;
      w.clockAt = Math.max(w.clockAt, this.clockAt(nowMs));
    }
  }

  forget(id: Identifier): void {
    this.watches.delete(id);
  }

  isWatched(id: Identifier): boolean {
    return this.watches.has(id);
  }

  /** Watched peers whose silence passed both limits, in watch order (call right after onLocalTick). */
  silent(): Identifier[] {
    const out: Identifier[] = [];
    for (const [id, w] of this.watches) {
      if (this.ticks - w.ticksAt > this.limitTicks && this.clock - w.clockAt > (this.limitTicks + 2) * this.periodMs) out.push(id);
    }
    return out;
  }
}
