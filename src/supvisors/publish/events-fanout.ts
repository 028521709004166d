/**
 * The host's event triggers (spec §7.4) go to the event interface's publisher and to whoever
 * watches the cluster's view in-process (the dashboard's live feed), named by the same headers.
 * The watchers hear a change even when the event interface is off (event_link = NONE).
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import type { EventsPort } from "../host/ports.js";
import type { StatsEventsPort } from "../stats/statistics.js";
import type { HostStatsPayload, ProcessStatsPayload } from "../stats/types.js";
import type { Identifier } from "../types.js";

export type ChangeListener = (header: SupvisorsEventHeader | "tick") => void;

export class EventsFanout implements EventsPort, StatsEventsPort {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly publisher: (EventsPort & StatsEventsPort) | null) {}

  /** Calls `cb` on every trigger; returns the unsubscribe. */
  onChange(cb: ChangeListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private tell(header: SupvisorsEventHeader | "tick"): void {
    for (const cb of this.listeners) cb(header);
  }

  supvisors(): void {
    this.publisher?.supvisors();
    this.tell("supvisors");
  }

  /** Supvisors publishes both; the watchers hear a TICK as `tick` (only clocks moved). */
  instance(id: Identifier, tick = false): void {
    this.publisher?.instance(id);
    this.tell(tick ? "tick" : "instance");
  }

  processEvent(event: object): void {
    this.publisher?.processEvent(event);
    this.tell("event");
  }

  process(application: string, name: string): void {
    this.publisher?.process(application, name);
    this.tell("process");
  }

  application(application: string): void {
    this.publisher?.application(application);
    this.tell("application");
  }

  hostStats(p: HostStatsPayload): void {
    this.publisher?.hostStats(p);
    this.tell("hstats");
  }

  processStats(p: ProcessStatsPayload): void {
    this.publisher?.processStats(p);
    this.tell("pstats");
  }
}
