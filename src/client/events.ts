/**
 * A subscription to a Supvisors instance's websocket event interface (`event_link = WS`, spec
 * supvisors.md §7.1): `ws://host:event_port/<header>/<header>...`, one `["header", body]` text
 * frame per event. Each instance publishes its view of the whole cluster, so one is enough.
 *
 * The connection is kept up: when it drops (daemon restart, network loss seen by the pings) it is
 * opened again after a growing delay, and the daemon first sends a late joiner the current state
 * of everything it subscribed to, so a reconnected stream is up to date again without any call.
 * Events published while it was away are not replayed.
 */
import { WebSocket } from "ws";
import type { SupvisorsEventHeader } from "../protocol/supvisors.js";
import { backoffDelay, backoffOptions, type BackoffOptions } from "./backoff.js";
import { EventFrameError, parseEventFrame, subscriptionPath } from "./event-frame.js";
import type { SupvisorsEvent } from "./event-types.js";
import { TypedEmitter } from "./typed-emitter.js";
import type { TlsClientOptions } from "./transport.js";

export interface EventStreamOptions {
  /** The headers to receive (default: all of them). */
  readonly headers?: readonly SupvisorsEventHeader[];
  /** Reconnect after a loss (default true), with these delays. `false`: a loss ends the stream. */
  readonly reconnect?: boolean | Partial<BackoffOptions>;
  /**
   * A ping every this many ms; a connection that did not answer the previous one is dropped (and
   * reconnected). A silent peer (a host gone from the network) is otherwise only noticed by TCP,
   * minutes later. Default 10000; 0 = no pings.
   */
  readonly pingIntervalMs?: number;
  /** Longest opening handshake, ms (default 10000). */
  readonly connectTimeoutMs?: number;
  /** Events kept for an async iterator that does not keep up, the oldest dropped beyond (default 10000). */
  readonly maxQueued?: number;
  /** Random source of the reconnect jitter (tests). */
  readonly random?: () => number;
  /** For a wss:// URL (ours: the event interface of an instance with certfile/keyfile); verification on by default. */
  readonly tls?: TlsClientOptions;
}

export interface StreamEventMap {
  message: [event: SupvisorsEvent];
  /** Connected; `reconnected` after a loss (the daemon's current-state snapshot follows). */
  open: [info: { readonly reconnected: boolean }];
  /** The connection ended; `willReconnect` false once the stream is over. */
  close: [info: { readonly code: number; readonly reason: string; readonly willReconnect: boolean }];
  /** A reconnection is scheduled (`attempt` counts from 1 since the last successful open). */
  reconnecting: [info: { readonly attempt: number; readonly delayMs: number }];
  /** A connection failure or an unreadable frame; the stream carries on (or reconnects). */
  error: [error: Error];
}

export type StreamState = "connecting" | "open" | "reconnecting" | "closed";

export class EventStreamClosedError extends Error {
  override readonly name = "EventStreamClosedError";
}

interface Waiter {
  readonly test: (e: SupvisorsEvent) => boolean;
  readonly resolve: (e: SupvisorsEvent) => void;
  readonly reject: (err: Error) => void;
}

interface Consumer {
  readonly queue: SupvisorsEvent[];
  wake: (() => void) | null;
}

export class SupvisorsEventStream extends TypedEmitter<StreamEventMap> {
  /** The websocket URL, path included. */
  readonly url: string;
  private readonly backoff: BackoffOptions | null;
  private readonly pingIntervalMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxQueued: number;
  private readonly random: () => number;
  private readonly tls: TlsClientOptions | undefined;
  private ws: WebSocket | null = null;
  private streamState: StreamState = "connecting";
  private attempt = 0;
  private everOpened = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private readonly waiters = new Set<Waiter>();
  private readonly openWaiters = new Set<{ resolve: () => void; reject: (err: Error) => void }>();
  private readonly consumers = new Set<Consumer>();
  private closedPromise: Promise<void> | null = null;
  private resolveClosed: (() => void) | null = null;
  private dropped = 0;

  /** `url`: the event interface, `ws://host:port` (its path is made from the headers). Connects at once. */
  constructor(url: string, options: EventStreamOptions = {}) {
    super();
    if (!/^wss?:\/\//.test(url)) throw new TypeError(`a websocket URL is expected, not ${JSON.stringify(url)}`);
    this.url = url.replace(/\/+$/, "") + subscriptionPath(options.headers);
    const r = options.reconnect ?? true;
    this.backoff = r === false ? null : backoffOptions(r === true ? {} : r);
    this.pingIntervalMs = options.pingIntervalMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.random = options.random ?? Math.random;
    this.tls = options.tls;
    this.connect();
  }

  get state(): StreamState {
    return this.streamState;
  }

  /** Events an async iterator had to drop because it did not keep up. */
  get droppedEvents(): number {
    return this.dropped;
  }

  /** Resolves once connected (at once if it is); rejects if the stream ends first or after `timeoutMs`. */
  opened(timeoutMs = 0): Promise<void> {
    if (this.streamState === "open") return Promise.resolve();
    if (this.streamState === "closed") return Promise.reject(new EventStreamClosedError(`${this.url}: the event stream is closed`));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const entry = {
        resolve: () => {
          if (timer) clearTimeout(timer);
          resolve();
        },
        reject: (err: Error) => {
          if (timer) clearTimeout(timer);
          reject(err);
        },
      };
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          this.openWaiters.delete(entry);
          reject(new Error(`${this.url}: not connected within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.openWaiters.add(entry);
    });
  }

  /**
   * The next event that passes `test` (only events received after this call). Register it before
   * the call whose effect it waits for, or the event may come first.
   */
  waitFor<E extends SupvisorsEvent>(test: (e: SupvisorsEvent) => e is E, options?: { readonly timeoutMs?: number }): Promise<E>;
  waitFor(test: (e: SupvisorsEvent) => boolean, options?: { readonly timeoutMs?: number }): Promise<SupvisorsEvent>;
  waitFor(test: (e: SupvisorsEvent) => boolean, options: { readonly timeoutMs?: number } = {}): Promise<SupvisorsEvent> {
    if (this.streamState === "closed") return Promise.reject(new EventStreamClosedError(`${this.url}: the event stream is closed`));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        test,
        resolve: (e) => {
          done();
          resolve(e);
        },
        reject: (err) => {
          done();
          reject(err);
        },
      };
      const timeoutMs = options.timeoutMs ?? 0;
      if (timeoutMs > 0) timer = setTimeout(() => waiter.reject(new Error(`${this.url}: no matching event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** `for await (const e of stream)`: every event from now on, until the stream is closed. */
  [Symbol.asyncIterator](): AsyncIterator<SupvisorsEvent, undefined> {
    const consumer: Consumer = { queue: [], wake: null };
    this.consumers.add(consumer);
    const finish = (): IteratorReturnResult<undefined> => {
      this.consumers.delete(consumer);
      return { done: true, value: undefined };
    };
    return {
      next: async () => {
        for (;;) {
          const e = consumer.queue.shift();
          if (e !== undefined) return { done: false, value: e };
          if (this.streamState === "closed" || !this.consumers.has(consumer)) return finish();
          await new Promise<void>((wake) => (consumer.wake = wake));
        }
      },
      return: async () => finish(),
    };
  }

  /** Ends the stream: no more reconnection; waiters reject, iterators end. Resolves once the socket is gone. */
  close(): Promise<void> {
    if (this.streamState !== "closed") {
      this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      const ws = this.ws;
      this.streamState = "closed";
      if (ws) ws.terminate();
      else this.finish(1000, "closed by the client");
    }
    return this.closedPromise ?? Promise.resolve();
  }

  // ---- the connection ------------------------------------------------------------------------

  private connect(): void {
    this.retryTimer = null;
    this.streamState = this.everOpened ? "reconnecting" : "connecting";
    const tls = this.tls;
    const ws = new WebSocket(this.url, {
      handshakeTimeout: this.connectTimeoutMs,
      perMessageDeflate: false,
      ...(tls?.ca !== undefined ? { ca: tls.ca as string | Buffer | (string | Buffer)[] } : {}),
      ...(tls?.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    });
    this.ws = ws;
    let alive = true;
    ws.on("open", () => {
      if (this.streamState === "closed") return;
      this.streamState = "open";
      this.attempt = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      if (this.pingIntervalMs > 0) {
        this.pingTimer = setInterval(() => {
          if (!alive) return ws.terminate();
          alive = false;
          ws.ping();
        }, this.pingIntervalMs);
        // The socket keeps the process alive; the ping timer need not.
        this.pingTimer.unref();
      }
      for (const w of [...this.openWaiters]) w.resolve();
      this.openWaiters.clear();
      this.emit("open", { reconnected });
    });
    ws.on("pong", () => (alive = true));
    ws.on("message", (data, isBinary) => {
      alive = true;
      if (this.streamState === "closed") return;
      const text = isBinary ? null : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
      if (text === null) return this.emit("error", new EventFrameError("a binary frame on the event interface", ""));
      let event: SupvisorsEvent | null;
      try {
        event = parseEventFrame(text);
      } catch (err) {
        return this.emit("error", err as Error);
      }
      if (event) this.deliver(event);
    });
    ws.on("error", (err) => {
      if (this.streamState !== "closed") this.emit("error", err);
    });
    ws.on("close", (code, reason) => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      this.ws = null;
      const text = reason.toString();
      if (this.streamState === "closed" || this.backoff === null) return this.finish(code, text);
      const delayMs = backoffDelay(this.attempt++, this.backoff, this.random);
      this.streamState = "reconnecting";
      this.emit("close", { code, reason: text, willReconnect: true });
      this.emit("reconnecting", { attempt: this.attempt, delayMs });
      this.retryTimer = setTimeout(() => this.connect(), delayMs);
    });
  }

  private deliver(event: SupvisorsEvent): void {
    for (const w of [...this.waiters]) if (w.test(event)) w.resolve(event);
    for (const c of this.consumers) {
      c.queue.push(event);
      if (c.queue.length > this.maxQueued) {
        c.queue.shift();
        this.dropped++;
      }
      c.wake?.();
      c.wake = null;
    }
    this.emit("message", event);
  }

  /** The stream is over: everyone waiting is told. */
  private finish(code: number, reason: string): void {
    this.streamState = "closed";
    const err = new EventStreamClosedError(`${this.url}: the event stream is closed`);
    for (const w of [...this.waiters]) w.reject(err);
    for (const w of [...this.openWaiters]) w.reject(err);
    this.openWaiters.clear();
    for (const c of this.consumers) {
      c.wake?.();
      c.wake = null;
    }
    this.emit("close", { code, reason, willReconnect: false });
    this.resolveClosed?.();
    this.resolveClosed = null;
  }
}
