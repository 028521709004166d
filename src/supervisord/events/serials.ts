/**
 * The global event serial (spec §9.3): one counter per daemon process, shared by every pool and
 * kept across reloads (create one instance in the composition root and hand it to each pool).
 * An event gets its serial the first time any pool accepts it, so events no pool subscribes to
 * consume no number. The first serial is 0.
 */
import type { SupervisorEvent } from "./types.js";

/**
 * The reference wraps at Python's sys.maxsize (2**63-1); a JS number stays exact only up to
 * 2**53-1, which no daemon reaches either, so we wrap there instead.
 */
const WRAP_AT = Number.MAX_SAFE_INTEGER;

export class EventSerials {
  private last = -1;
  private readonly assigned = new WeakMap<SupervisorEvent, number>();

  /** The event's serial, assigning the next one on first use. */
  serialOf(event: SupervisorEvent): number {
    const known = this.assigned.get(event);
    if (known !== undefined) return known;
    this.last = this.last >= WRAP_AT ? 0 : this.last + 1;
    this.assigned.set(event, this.last);
    return this.last;
  }

  /** The serial already assigned to the event, if any. */
  peek(event: SupervisorEvent): number | undefined {
    return this.assigned.get(event);
  }

  /** The most recently assigned serial (-1 before the first). */
  get lastSerial(): number {
    return this.last;
  }
}
