/**
 * One transport of the event interface (spec §7.1): it takes each event as its header and its
 * JSON body and delivers it to the subscribers that asked for that header.
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";

export interface EventTransport {
  /** Binds and starts serving; rejects when the port cannot be bound. */
  start(): Promise<void>;
  /** Whether an event with this header would reach anyone: when not, its body is not even encoded. */
  wants(header: SupvisorsEventHeader): boolean;
  publish(header: SupvisorsEventHeader, body: string): void;
  close(): Promise<void>;
}

/** Every header's current state, for a subscriber that connects late (the websocket's snapshot). */
export type SnapshotSource = () => readonly (readonly [SupvisorsEventHeader, string])[];
