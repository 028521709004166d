/**
 * The event listener protocol as seen from supervisord (spec §9.4): a pure state machine fed
 * with the bytes a listener writes on its stdout. It never writes anything and knows no pool:
 * it reports outcomes, and the pool turns them into log lines, re-queues and dispatches.
 * Mirrors supervisor.dispatchers.PEventListenerDispatcher.handle_listener_state_change.
 */
import type { EventListenerStateName } from "../process/states.js";
import { decodeChunk } from "../text.js";

const READY_TOKEN = Buffer.from("READY\n");
/** The reference skips this many bytes of the result line without checking they say `RESULT `. */
const RESULT_TOKEN_START_LEN = "RESULT ".length;

/** What a result handler decides about a result body. */
export type ResultVerdict = "processed" | "rejected";

/**
 * Decides on a listener's result body. Returning "rejected" re-queues the event (the
 * reference's RejectEvent); throwing counts as "the event caused an error" (listener → UNKNOWN).
 */
export type ResultHandler = (body: Buffer) => ResultVerdict;

/** supervisor.dispatchers:default_handler: `OK` is processed, anything else is rejected. */
const OK = Buffer.from("OK");
export const defaultResultHandler: ResultHandler = (body) => (body.equals(OK) ? "processed" : "rejected");

/**
 * Result handlers by their `result_handler=` name. The reference imports any Python callable;
 * a reimplementation can only offer the default, so the config reader should reject other names.
 */
export const BUILTIN_RESULT_HANDLERS: Readonly<Record<string, ResultHandler>> = {
  "supervisor.dispatchers:default_handler": defaultResultHandler,
};

/** Whether `result_handler=<name>` can be honoured. */
export function isSupportedResultHandler(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILTIN_RESULT_HANDLERS, name);
}

export type ProtocolOutcome =
  /** A listener state change outside a result (ACKNOWLEDGED→READY, →UNKNOWN on a protocol violation). */
  | { readonly kind: "transition"; readonly from: EventListenerStateName; readonly to: EventListenerStateName }
  /**
   * The end of a BUSY period. `processed` → ACKNOWLEDGED; `rejected` → ACKNOWLEDGED and the event
   * must be re-queued; `error` (handler threw) and `bad-result-line` → UNKNOWN and re-queue.
   */
  | {
      readonly kind: "result";
      readonly verdict: "processed" | "rejected" | "error" | "bad-result-line";
      /** bad-result-line only: the line as text (UTF-8, or `Undecodable: b'...'`). */
      readonly line?: string;
      readonly from: "BUSY";
      readonly to: "ACKNOWLEDGED" | "UNKNOWN";
    };

export class ListenerProtocolError extends Error {
  readonly code = "LISTENER_NOT_READY";
  constructor(state: EventListenerStateName) {
    super(`cannot send an event to a listener in state ${state}`);
    this.name = "ListenerProtocolError";
  }
}

/** Python's int() on bytes, base 10: ASCII whitespace around, optional sign, single underscores. */
function parseResultLength(raw: Buffer): number | null {
  const text = raw.toString("latin1");
  const m = /^[ \t\n\v\f\r]*([+-]?\d+(?:_\d+)*)[ \t\n\v\f\r]*$/.exec(text);
  if (!m) return null;
  return Number(m[1]!.replace(/_/g, ""));
}

export class ListenerProtocol {
  private st: EventListenerStateName = "ACKNOWLEDGED";
  private pending: Buffer = Buffer.alloc(0);
  private resultLen: number | null = null;
  private resultParts: Buffer[] = [];
  private resultGot = 0;

  constructor(private readonly resultHandler: ResultHandler = defaultResultHandler) {}

  get state(): EventListenerStateName {
    return this.st;
  }

  /** A new process instance: back to ACKNOWLEDGED with empty buffers (no log line, as the reference). */
  spawned(): void {
    this.st = "ACKNOWLEDGED";
    this.pending = Buffer.alloc(0);
    this.clearResult();
  }

  /** An event was written to the listener: READY → BUSY (silent in the reference). */
  eventSent(): void {
    if (this.st !== "READY") throw new ListenerProtocolError(this.st);
    this.st = "BUSY";
    this.clearResult();
  }

  /** Bytes read from the listener's stdout; returns what happened, in order. */
  feed(chunk: Buffer): ProtocolOutcome[] {
    const out: ProtocolOutcome[] = [];
    if (chunk.length === 0) return out;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    // Each step either consumes bytes, changes state, or returns because it needs more input.
    for (;;) {
      if (this.pending.length === 0 && !(this.st === "BUSY" && this.resultLen !== null && this.resultGot >= this.resultLen)) return out;
      switch (this.st) {
        case "UNKNOWN":
          // Terminal until respawn: everything is ignored.
          this.pending = Buffer.alloc(0);
          return out;
        case "ACKNOWLEDGED":
          if (this.pending.length < READY_TOKEN.length) return out;
          if (this.pending.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
            this.pending = this.pending.subarray(READY_TOKEN.length);
            out.push(this.move("READY"));
          } else {
            this.pending = Buffer.alloc(0);
            out.push(this.move("UNKNOWN"));
          }
          break;
        case "READY":
          // Unsolicited output: the reference is strict about it.
          this.pending = Buffer.alloc(0);
          out.push(this.move("UNKNOWN"));
          break;
        case "BUSY":
          if (!this.stepBusy(out)) return out;
          break;
      }
    }
  }

  /** One step in BUSY; false when more input is needed. */
  private stepBusy(out: ProtocolOutcome[]): boolean {
    if (this.resultLen === null) {
      const nl = this.pending.indexOf(0x0a);
      if (nl < 0) return false;
      const line = this.pending.subarray(0, nl);
      this.pending = this.pending.subarray(nl + 1);
      const n = parseResultLength(line.subarray(RESULT_TOKEN_START_LEN));
      // A negative length is accepted by the reference and then wedges the listener in BUSY
      // forever (the event is never acknowledged nor re-queued); we treat it as a bad line.
      if (n === null || n < 0) {
        this.pending = Buffer.alloc(0);
        this.st = "UNKNOWN";
        this.clearResult();
        out.push({ kind: "result", verdict: "bad-result-line", line: decodeChunk(line), from: "BUSY", to: "UNKNOWN" });
        return true;
      }
      this.resultLen = n;
      return true;
    }
    const needed = this.resultLen - this.resultGot;
    if (needed > 0) {
      const take = this.pending.subarray(0, needed);
      this.pending = this.pending.subarray(take.length);
      this.resultParts.push(take);
      this.resultGot += take.length;
      if (this.resultGot < this.resultLen) return false;
    }
    const body = Buffer.concat(this.resultParts);
    this.clearResult();
    let verdict: "processed" | "rejected" | "error";
    try {
      verdict = this.resultHandler(body);
    } catch {
      verdict = "error";
    }
    const to = verdict === "error" ? "UNKNOWN" : "ACKNOWLEDGED";
    this.st = to;
    out.push({ kind: "result", verdict, from: "BUSY", to });
    return true;
  }

  private move(to: EventListenerStateName): ProtocolOutcome {
    const from = this.st;
    this.st = to;
    return { kind: "transition", from, to };
  }

  private clearResult(): void {
    this.resultLen = null;
    this.resultParts = [];
    this.resultGot = 0;
  }
}
