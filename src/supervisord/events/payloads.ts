/**
 * The text a listener receives for each event (spec §9.2) and the envelope header around it
 * (spec §9.3), byte-for-byte as supervisord 4.2.5 writes them.
 */
import { decodeChunk } from "../text.js";
import { eventTypeName, type ProcessStateEvent, type SupervisorEvent } from "./types.js";

/** Extra `key:value` tokens after from_state, per target state (reference: get_extra_values). */
function processStateExtras(e: ProcessStateEvent): string[] {
  switch (e.to) {
    case "STARTING":
    case "BACKOFF":
      return [`tries:${e.tries}`];
    case "EXITED":
      return [`expected:${e.expected ? 1 : 0}`, `pid:${e.pid}`];
    case "RUNNING":
    case "STOPPING":
    case "STOPPED":
      return [`pid:${e.pid}`];
    case "FATAL":
    case "UNKNOWN":
      return [];
  }
}

/** The payload text of an event (no envelope). */
export function eventPayload(e: SupervisorEvent): string {
  switch (e.kind) {
    case "PROCESS_STATE":
      return [`processname:${e.process.name}`, `groupname:${e.process.group}`, `from_state:${e.from}`, ...processStateExtras(e)].join(" ");
    case "PROCESS_LOG":
      return `processname:${e.process.name} groupname:${e.process.group} pid:${e.pid} channel:${e.channel}\n${decodeChunk(e.data)}`;
    case "PROCESS_COMMUNICATION":
      return `processname:${e.process.name} groupname:${e.process.group} pid:${e.pid}\n${decodeChunk(e.data)}`;
    case "REMOTE_COMMUNICATION":
      return `type:${e.type}\n${e.data}`;
    case "SUPERVISOR_STATE_CHANGE":
      return "";
    case "TICK":
      return `when:${e.when}`;
    case "PROCESS_GROUP":
      // The trailing newline is part of the reference payload (spec §14 item 14).
      return `groupname:${e.group}\n`;
    case "PROCESS":
      // Supvisors' ProcessEvent.payload: a trailing space, no newline.
      return `processname:${e.process.name} groupname:${e.process.group} `;
    case "READINESS":
      // Not a Supervisor event: no listener ever receives it (pool.ts drops it).
      return "";
  }
}

/**
 * Length of a string in Unicode code points, which is what the reference's `len(payload)`
 * counts (Python str). JavaScript's .length counts UTF-16 units, which differs for astral
 * characters such as emoji.
 */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export interface EnvelopeFields {
  /** `[supervisord] identifier` (default `supervisor`). */
  readonly identifier: string;
  readonly serial: number;
  readonly pool: string;
  readonly poolSerial: number;
  /** Concrete event type name, e.g. PROCESS_STATE_RUNNING. */
  readonly eventName: string;
  readonly payload: string;
}

/**
 * Header line + payload as text. `len` is in code points, not bytes (spec §9.3): Python
 * listeners reading stdin in text mode (childutils) depend on it.
 */
export function envelopeText(f: EnvelopeFields): string {
  return (
    `ver:3.0 server:${f.identifier} serial:${f.serial} pool:${f.pool} poolserial:${f.poolSerial} ` +
    `eventname:${f.eventName} len:${codePointLength(f.payload)}\n${f.payload}`
  );
}

/** The bytes written to a listener's stdin for one event (UTF-8, as the reference sends). */
export function envelopeBytes(f: EnvelopeFields): Buffer {
  return Buffer.from(envelopeText(f), "utf8");
}

/** Convenience: the envelope for a bus event, given the serials assigned by the pool. */
export function eventEnvelope(
  e: SupervisorEvent,
  ids: { readonly identifier: string; readonly serial: number; readonly pool: string; readonly poolSerial: number },
): Buffer {
  return envelopeBytes({ ...ids, eventName: eventTypeName(e), payload: eventPayload(e) });
}
