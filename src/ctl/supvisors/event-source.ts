/**
 * The ctl's subscription to a Supvisors event interface (spec §7), for `--follow`: a websocket
 * (`ws://host:port/<headers>`, one `["header", body]` text frame per event) or a ZeroMQ SUB
 * socket (two frames, prefix subscriptions). Which one, and where, comes from the
 * `[rpcinterface:supvisors]` section of the ctl's config (event_link, event_port) when it has one,
 * else a websocket at the server URL's port + 1 (0.19's default event_port).
 */
import type { SupvisorsEventHeader } from "../../protocol/supvisors.js";
import { parseServerUrl } from "../server-url.js";
import { caBundle } from "../tls.js";

export interface EventEndpoint {
  readonly link: "WS" | "ZMQ";
  readonly host: string;
  readonly port: number;
  /** Ours: wss:// (the server URL is https://, so the event interface has the same certificate). */
  readonly secure?: true;
  readonly caFile?: string | null;
}

/** What the ctl's config says of the event interface (raw option values, or null). */
export interface EventSettings {
  readonly link: string | null;
  readonly port: string | null;
}

export type EndpointResult = { readonly ok: true; readonly endpoint: EventEndpoint } | { readonly ok: false; readonly message: string };

/** Where to subscribe for the server at `serverurl`. */
export function resolveEndpoint(serverurl: string, settings: EventSettings | null, caFile?: string | null): EndpointResult {
  const link = (settings?.link ?? "WS").trim().toUpperCase();
  if (link === "NONE") return { ok: false, message: "--follow needs the event interface: event_link is NONE in the configuration file" };
  if (link !== "WS" && link !== "ZMQ") return { ok: false, message: `--follow: unknown event_link ${settings?.link}` };
  // A unix socket server: the event interface is on this machine, at its configured port.
  const server = serverurl.startsWith("http://") || serverurl.startsWith("https://") ? parseServerUrl(serverurl) : null;
  const host = server?.kind === "tcp" ? server.host : "127.0.0.1";
  const httpPort = server?.kind === "tcp" ? server.port : null;
  const configured = settings?.port ? Number(settings.port.trim()) : null;
  const port = configured ?? (httpPort === null ? null : httpPort + 1);
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, message: "--follow needs event_port in the [rpcinterface:supvisors] section of the configuration file" };
  }
  if (link === "WS" && server?.kind === "tcp" && server.secure) return { ok: true, endpoint: { link, host, port, secure: true, caFile: caFile ?? null } };
  return { ok: true, endpoint: { link, host, port } };
}

/** A live subscription: `next()` gives the next event's header, or null once closed. */
export interface EventSubscription {
  next(): Promise<SupvisorsEventHeader | null>;
  /** Forgets the events already queued (the table read after them shows them all). */
  drain(): void;
  close(): void;
}

/** Resolves once subscribed; rejects with a readable message when the interface cannot be reached. */
export async function subscribe(endpoint: EventEndpoint, headers: readonly SupvisorsEventHeader[]): Promise<EventSubscription> {
  return endpoint.link === "WS" ? subscribeWs(endpoint, headers) : subscribeZmq(endpoint, headers);
}

/** A queue between a push source and an awaiting reader. */
class Queue {
  private readonly items: (SupvisorsEventHeader | null)[] = [];
  private waiter: ((h: SupvisorsEventHeader | null) => void) | null = null;
  private ended = false;
  push(h: SupvisorsEventHeader | null): void {
    if (this.ended) return;
    if (h === null) this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(h);
    } else this.items.push(h);
  }
  drain(): void {
    const ended = this.items.includes(null);
    this.items.length = 0;
    if (ended) this.items.push(null);
  }
  next(): Promise<SupvisorsEventHeader | null> {
    if (this.items.length) return Promise.resolve(this.items.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

async function subscribeWs(e: EventEndpoint, headers: readonly SupvisorsEventHeader[]): Promise<EventSubscription> {
  const { WebSocket } = await import("ws");
  const host = e.host.includes(":") ? `[${e.host}]` : e.host;
  const scheme = e.secure ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${host}:${e.port}/${headers.join("/")}`, e.secure ? { ca: caBundle(e.caFile), rejectUnauthorized: true } : {});
  const queue = new Queue();
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", (err) => reject(new Error(`cannot subscribe to ${scheme}://${host}:${e.port}: ${(err as Error).message}`)));
  });
  ws.on("message", (data) => {
    // Only the header matters: the table is read again from the server.
    const m = /^\["([a-z]+)"/.exec(data.toString().slice(0, 32));
    if (m && (headers as readonly string[]).includes(m[1]!)) queue.push(m[1] as SupvisorsEventHeader);
  });
  ws.on("error", () => undefined);
  ws.on("close", () => queue.push(null));
  return { next: () => queue.next(), drain: () => queue.drain(), close: () => ws.terminate() };
}

async function subscribeZmq(e: EventEndpoint, headers: readonly SupvisorsEventHeader[]): Promise<EventSubscription> {
  const zmq = await import("zeromq");
  const sub = new zmq.Subscriber({ linger: 0 });
  const host = e.host.includes(":") ? `[${e.host}]` : e.host;
  sub.connect(`tcp://${host}:${e.port}`);
  for (const h of headers) sub.subscribe(h);
  const queue = new Queue();
  void (async () => {
    try {
      for await (const [header] of sub) {
        const h = header?.toString();
        if (h && (headers as readonly string[]).includes(h)) queue.push(h as SupvisorsEventHeader);
      }
    } catch {
      // closed
    }
    queue.push(null);
  })();
  return { next: () => queue.next(), drain: () => queue.drain(), close: () => sub.close() };
}
