/**
 * One `[eventlistener:x]` pool (spec §9.4, §9.5): buffers the bus events it subscribes to and
 * hands them, oldest first, to its listener processes over their stdin, following the
 * listener protocol (listener-protocol.ts) on their stdout.
 *
 * It never spawns anything. The process layer owns the listener processes and tells the pool
 * what happened to them through four hooks (listenerSpawned, listenerStdout, listenerExited,
 * listenerBecameRunning); the pool only needs the small ListenerProcess view below.
 *
 * Dispatch happens whenever something changed (an event arrived, a listener became READY or
 * RUNNING, an event was re-queued), never on a poll. Because the bus is synchronous and events
 * are emitted from inside process transitions, the dispatch itself is deferred (a microtask by
 * default) so the pool never writes to a listener while the core is mid-transition.
 *
 * Differences from supervisord 4.2.5, on purpose (see spec §14 item 16):
 * - A rejected event (FAIL, bad result line, handler error, listener death while BUSY) is
 *   re-queued only in the pool that owns the failing listener. The reference broadcasts the
 *   rejection and every pool holding *any* process with the same priority re-queues it too,
 *   so unrelated pools received duplicates.
 * - A pool subscribed to both a type and its parent (events=PROCESS_STATE,PROCESS_STATE_RUNNING)
 *   buffers each event once; the reference's per-type callbacks buffered it twice.
 * - A negative `RESULT -n` length is a bad result line (the reference wedged the listener BUSY).
 * - When every READY listener's stdin is closed (EPIPE), the reference retried once a second;
 *   we retry at the next change (new event, listener state change), which is when it can succeed.
 */
import type { EventListenerPoolConfig, LogLevelName } from "../config/types.js";
import type { EventListenerStateName } from "../process/states.js";
import { pythonBytesRepr, pythonStrRepr } from "../text.js";
import type { EventBus } from "./bus.js";
import { matchesSubscription } from "./hierarchy.js";
import { BUILTIN_RESULT_HANDLERS, ListenerProtocol, isSupportedResultHandler, type ProtocolOutcome, type ResultHandler } from "./listener-protocol.js";
import { eventEnvelope } from "./payloads.js";
import type { EventSerials } from "./serials.js";
import { eventTypeName, type SupervisorEvent } from "./types.js";

/** What the pool needs from one listener process (implemented by the process layer). */
export interface ListenerProcess {
  /** The process name (`process_name` expanded), e.g. `listener_00`. */
  readonly name: string;
  /** True when the process state is RUNNING (past startsecs): only then does it get events. */
  isRunning(): boolean;
  /**
   * Queue bytes to the process's stdin. Return false only when stdin is closed (the
   * reference's EPIPE): the pool then leaves the listener's state unchanged and tries the next.
   */
  writeStdin(data: Buffer): boolean;
}

export type PoolLog = (level: LogLevelName, message: string) => void;

export interface EventListenerPoolOptions {
  readonly config: EventListenerPoolConfig;
  readonly bus: EventBus;
  /** The daemon-wide serial counter, shared by every pool and kept across reloads. */
  readonly serials: EventSerials;
  /** `[supervisord] identifier`, sent as `server:` in every envelope. */
  readonly identifier: string;
  readonly log: PoolLog;
  /** Listener processes known at creation; more can be added with addListener. */
  readonly listeners?: readonly ListenerProcess[];
  /** Defaults to the handler named by config.result_handler (only the reference's default exists). */
  readonly resultHandler?: ResultHandler;
  /** How dispatch is moved out of the emitter's call stack. Default: queueMicrotask. */
  readonly defer?: (fn: () => void) => void;
}

/** One event waiting in (or taken from) the pool buffer, with the numbers it keeps for life. */
export interface BufferedEvent {
  readonly event: SupervisorEvent;
  readonly typeName: string;
  readonly serial: number;
  readonly poolSerial: number;
}

export interface ListenerStatus {
  readonly name: string;
  readonly state: EventListenerStateName;
  /** Serial of the event the listener is working on (BUSY), or null. */
  readonly busyWith: number | null;
}

export class UnsupportedResultHandlerError extends Error {
  readonly code = "UNSUPPORTED_RESULT_HANDLER";
  constructor(readonly handler: string, readonly pool: string) {
    super(`result_handler ${handler} of [eventlistener:${pool}] is not supported (only supervisor.dispatchers:default_handler)`);
    this.name = "UnsupportedResultHandlerError";
  }
}

export class UnknownListenerError extends Error {
  readonly code = "UNKNOWN_LISTENER";
  constructor(readonly listener: string, readonly pool: string) {
    super(`pool ${pool} has no listener named ${listener}`);
    this.name = "UnknownListenerError";
  }
}


interface Slot {
  readonly proc: ListenerProcess;
  readonly protocol: ListenerProtocol;
  /** The event sent and not yet acknowledged (the reference's process.event). */
  busy: BufferedEvent | null;
}

const MAX_POOL_SERIAL = Number.MAX_SAFE_INTEGER;

export class EventListenerPool {
  readonly name: string;
  private readonly config: EventListenerPoolConfig;
  private readonly serials: EventSerials;
  private readonly identifier: string;
  private readonly log: PoolLog;
  private readonly resultHandler: ResultHandler;
  private readonly defer: (fn: () => void) => void;
  private readonly unsubscribe: () => void;
  private readonly buffer: BufferedEvent[] = [];
  private slots: Slot[] = [];
  private poolSerial = -1;
  private dispatchScheduled = false;
  private closed = false;

  constructor(opts: EventListenerPoolOptions) {
    this.config = opts.config;
    this.name = opts.config.name;
    this.serials = opts.serials;
    this.identifier = opts.identifier;
    this.log = opts.log;
    this.defer = opts.defer ?? queueMicrotask;
    const handler =
      opts.resultHandler ??
      (isSupportedResultHandler(opts.config.result_handler) ? BUILTIN_RESULT_HANDLERS[opts.config.result_handler] : undefined);
    if (!handler) throw new UnsupportedResultHandlerError(opts.config.result_handler, opts.config.name);
    this.resultHandler = handler;
    for (const p of opts.listeners ?? []) this.addListener(p);
    this.unsubscribe = opts.bus.subscribe((e) => this.accept(e));
  }

  // ---- listener membership -------------------------------------------------------------

  /** Adds a listener process; listeners are kept in config order (dispatch tries them in it). */
  addListener(proc: ListenerProcess): void {
    if (this.slots.some((s) => s.proc.name === proc.name)) return;
    this.slots.push({ proc, protocol: new ListenerProtocol(this.resultHandler), busy: null });
    const order = new Map(this.config.processes.map((p, i) => [p.name, i]));
    const rank = (s: Slot) => order.get(s.proc.name) ?? Number.MAX_SAFE_INTEGER;
    // Array.prototype.sort is stable: unknown names keep their insertion order at the end.
    this.slots.sort((a, b) => rank(a) - rank(b));
    this.scheduleDispatch();
  }

  /** Removes a listener process (numprocs reduced, group change); its pending event is re-queued. */
  removeListener(name: string): void {
    const slot = this.slot(name);
    this.slots = this.slots.filter((s) => s !== slot);
    this.releaseBusy(slot);
  }

  // ---- hooks called by the process layer ---------------------------------------------------

  /** A new instance of the listener was spawned: protocol state ACKNOWLEDGED, buffers reset. */
  listenerSpawned(name: string): void {
    const slot = this.slot(name);
    // A missed listenerExited must not lose the event the old instance held.
    this.releaseBusy(slot);
    slot.protocol.spawned();
  }

  /**
   * Bytes read from the listener's stdout. Call it for every chunk, including the ones drained
   * after death, *before* listenerExited. Logs the reference's DEBG output line itself
   * (`'<name>' stdout output:\nb'READY\n'`, with a Python bytes repr, unlike normal programs),
   * so the process layer must not log listener stdout chunks at debug level again.
   */
  listenerStdout(name: string, chunk: Buffer): void {
    const slot = this.slot(name);
    if (chunk.length === 0) return;
    this.log("debug", `${pythonStrRepr(name)} stdout output:\n${pythonBytesRepr(chunk)}`);
    for (const outcome of slot.protocol.feed(chunk)) this.applyOutcome(slot, outcome);
  }

  /** The listener process died (after its remaining output was drained): re-queue its event. */
  listenerExited(name: string): void {
    this.releaseBusy(this.slot(name));
  }

  /** The listener's process state became RUNNING: it may now receive events. */
  listenerBecameRunning(name: string): void {
    this.slot(name);
    this.scheduleDispatch();
  }

  // ---- status ------------------------------------------------------------------------------

  get bufferLength(): number {
    return this.buffer.length;
  }

  /** The buffered events, oldest first (a copy). */
  bufferedEvents(): readonly BufferedEvent[] {
    return [...this.buffer];
  }

  listenerState(name: string): EventListenerStateName | undefined {
    return this.slots.find((s) => s.proc.name === name)?.protocol.state;
  }

  listenerStatuses(): ListenerStatus[] {
    return this.slots.map((s) => ({ name: s.proc.name, state: s.protocol.state, busyWith: s.busy?.serial ?? null }));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops receiving events (group removed, reload). Buffered events are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.buffer.length = 0;
  }

  // ---- internals -------------------------------------------------------------------------

  private slot(name: string): Slot {
    const s = this.slots.find((x) => x.proc.name === name);
    if (!s) throw new UnknownListenerError(name, this.name);
    return s;
  }

  /** Bus handler: buffer a subscribed event (reference: EventListenerPool._acceptEvent). */
  private accept(event: SupervisorEvent): void {
    // Our readiness changes are internal, not Supervisor events: never sent, no serial taken.
    if (this.closed || event.kind === "READINESS") return;
    const typeName = eventTypeName(event);
    if (!matchesSubscription(typeName, this.config.events)) return;
    const serial = this.serials.serialOf(event);
    this.poolSerial = this.poolSerial >= MAX_POOL_SERIAL ? 0 : this.poolSerial + 1;
    this.insert({ event, typeName, serial, poolSerial: this.poolSerial }, false);
    this.scheduleDispatch();
  }

  /** Puts a previously taken event back at the head; it keeps its serial and poolserial. */
  private rebuffer(ev: BufferedEvent): void {
    if (this.closed) return;
    this.log(
      "debug",
      `rebuffering event ${ev.serial} for pool ${this.name} (buf size=${this.buffer.length}, max=${this.config.buffer_size})`,
    );
    this.insert(ev, true);
  }

  private insert(ev: BufferedEvent, head: boolean): void {
    if (this.buffer.length >= this.config.buffer_size && this.buffer.length > 0) {
      // Overflow always drops the oldest event, even when the newcomer goes to the head.
      const dropped = this.buffer.shift()!;
      this.log("error", `pool ${this.name} event buffer overflowed, discarding event ${dropped.serial}`);
    }
    if (head) this.buffer.unshift(ev);
    else this.buffer.push(ev);
  }

  private releaseBusy(slot: Slot): void {
    const ev = slot.busy;
    slot.busy = null;
    if (ev) {
      this.rebuffer(ev);
      this.scheduleDispatch();
    }
  }

  private applyOutcome(slot: Slot, o: ProtocolOutcome): void {
    const name = slot.proc.name;
    if (o.kind === "transition") {
      this.logTransition(name, o.from, o.to);
      // Leaving ACKNOWLEDGED/READY never holds an event; READY means work can be handed out.
      if (o.to === "READY") this.scheduleDispatch();
      return;
    }
    switch (o.verdict) {
      case "processed":
        this.log("debug", `${name}: event was processed`);
        break;
      case "rejected":
        this.log("warn", `${name}: event was rejected`);
        break;
      case "error":
        this.log("warn", `${name}: event caused an error`);
        break;
      case "bad-result-line":
        this.log("warn", `${name}: bad result line: '${o.line ?? ""}'`);
        break;
    }
    this.logTransition(name, o.from, o.to);
    if (o.verdict === "processed") slot.busy = null;
    else this.releaseBusy(slot);
  }

  private logTransition(name: string, from: EventListenerStateName, to: EventListenerStateName): void {
    this.log("debug", `${name}: ${from} -> ${to}`);
    if (to === "UNKNOWN") {
      this.log(
        "warn",
        `${name}: has entered the UNKNOWN state and will no longer receive events, ` +
          "this usually indicates the process violated the eventlistener protocol",
      );
    }
  }

  private scheduleDispatch(): void {
    if (this.dispatchScheduled || this.closed) return;
    this.dispatchScheduled = true;
    this.defer(() => {
      this.dispatchScheduled = false;
      this.dispatch();
    });
  }

  /** Reference: EventListenerPool.transition + dispatch. */
  private dispatch(): void {
    if (this.closed) return;
    if (!this.slots.some((s) => s.protocol.state === "READY" && s.proc.isRunning())) return;
    while (this.buffer.length > 0) {
      const ev = this.buffer.shift()!;
      if (!this.dispatchOne(ev)) {
        this.rebuffer(ev);
        break;
      }
    }
  }

  /** Sends the event to the first RUNNING + READY listener in config order. */
  private dispatchOne(ev: BufferedEvent): boolean {
    for (const slot of this.slots) {
      if (!slot.proc.isRunning() || slot.protocol.state !== "READY") continue;
      const bytes = eventEnvelope(ev.event, {
        identifier: this.identifier,
        serial: ev.serial,
        pool: this.name,
        poolSerial: ev.poolSerial,
      });
      if (!slot.proc.writeStdin(bytes)) {
        this.log("debug", `epipe occurred while sending event ${ev.serial} to listener ${slot.proc.name}, listener state unchanged`);
        continue;
      }
      slot.protocol.eventSent();
      slot.busy = ev;
      this.log("debug", `event ${ev.serial} sent to listener ${slot.proc.name}`);
      return true;
    }
    return false;
  }
}
