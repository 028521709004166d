/**
 * The websocket event interface (spec §7.1): `ws://host:event_port/<path>`, the path's segments
 * naming the headers wanted (`all` = every one, unknown ones ignored), each event one text frame
 * `["<header>", <body>]`.
 *
 * Unlike Supvisors, a subscriber that connects late first gets the current state of everything
 * (every instance, application and process, and the global state) instead of nothing until the
 * next change. A subscriber that does not read is dropped once its unsent data pass a bound, so it
 * never makes the daemon's memory grow or delays the others; what subscribers send is ignored
 * (beyond a small frame size, the connection is closed). Bind failures are retried every second,
 * as Supvisors does.
 */
import { createServer, type Server, type RequestListener } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { WebSocketServer, WebSocket } from "ws";
import { SupvisorsEventHeaders, type SupvisorsEventHeader } from "../../protocol/supvisors.js";
import type { EventTransport, SnapshotSource } from "./transport.js";

export interface WsTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly snapshot: SnapshotSource;
  readonly log: (level: "error" | "warn" | "info" | "debug", text: string) => void;
  /** A subscriber whose unsent data exceed this is dropped (bytes). */
  readonly maxBuffered?: number;
  readonly maxClients?: number;
  /** Ours: the inet server's certificate and key, when it has them: the interface is then wss:// only. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
}

/** The headers a path subscribes to (spec §7.1). */
export function headersOfPath(path: string): Set<SupvisorsEventHeader> {
  const segments = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  if (segments.includes("all")) return new Set(SupvisorsEventHeaders);
  return new Set(SupvisorsEventHeaders.filter((h) => segments.includes(h)));
}

const RETRY_MS = 1000;

export class WsTransport implements EventTransport {
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly clients = new Map<WebSocket, Set<SupvisorsEventHeader>>();
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly maxBuffered: number;
  private readonly maxClients: number;
  /** Subscribers dropped for not reading. */
  droppedClients = 0;

  constructor(private readonly opts: WsTransportOptions) {
    this.maxBuffered = opts.maxBuffered ?? 8 * 1024 * 1024;
    this.maxClients = opts.maxClients ?? 1024;
  }

  async start(): Promise<void> {
    try {
      await this.listen();
    } catch (err) {
      this.opts.log("error", `WsTransport: cannot bind ${this.scheme}://${this.opts.host}:${this.opts.port} (${(err as Error).message}): retrying every second`);
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().then(
        () => this.opts.log("info", `WsTransport: listening on ${this.scheme}://${this.opts.host}:${this.opts.port}`),
        () => this.scheduleRetry(),
      );
    }, RETRY_MS);
  }

  private get scheme(): "ws" | "wss" {
    return this.opts.tls ? "wss" : "ws";
  }

  private listen(): Promise<void> {
    const scheme = this.scheme;
    const answer: RequestListener = (_req, res) => {
      res.writeHead(426, { "Content-Type": "text/plain" });
      res.end(`a websocket upgrade is expected: ${scheme}://host:port/all\n`);
    };
    const tls = this.opts.tls;
    const http: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, answer) : createServer(answer);
    // A client that fails the handshake (plain ws://, a refused certificate) only loses its connection.
    if (tls) http.on("tlsClientError", (_err: Error, socket: { destroy(): void }) => socket.destroy());
    const wss = new WebSocketServer({ server: http, maxPayload: 4096, perMessageDeflate: false, clientTracking: false });
    wss.on("connection", (ws, req) => this.accept(ws, req.url ?? "/"));
    wss.on("error", () => undefined);
    return new Promise((resolve, reject) => {
      http.once("error", (err) => {
        wss.close();
        reject(err);
      });
      http.listen(this.opts.port, this.opts.host, () => {
        http.removeAllListeners("error");
        http.on("error", (err) => this.opts.log("error", `WsTransport: ${err.message}`));
        if (this.closed) {
          http.close();
          return resolve();
        }
        this.http = http;
        this.wss = wss;
        resolve();
      });
    });
  }

  private accept(ws: WebSocket, path: string): void {
    if (this.closed || this.clients.size >= this.maxClients) {
      ws.close(1013, "too many subscribers");
      return;
    }
    const headers = headersOfPath(path);
    this.clients.set(ws, headers);
    ws.on("message", () => undefined); // subscribers have nothing to say: ignored
    ws.on("error", () => this.clients.delete(ws));
    ws.on("close", () => this.clients.delete(ws));
    // The late joiner's snapshot: the current state of what it subscribed to.
    for (const [header, body] of this.opts.snapshot()) if (headers.has(header)) this.send(ws, header, body);
  }

  wants(header: SupvisorsEventHeader): boolean {
    for (const headers of this.clients.values()) if (headers.has(header)) return true;
    return false;
  }

  publish(header: SupvisorsEventHeader, body: string): void {
    if (this.clients.size === 0) return;
    for (const [ws, headers] of this.clients) if (headers.has(header)) this.send(ws, header, body);
  }

  private send(ws: WebSocket, header: SupvisorsEventHeader, body: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > this.maxBuffered) {
      // It does not read: dropped rather than buffered without end.
      this.clients.delete(ws);
      this.droppedClients++;
      this.opts.log("warn", `WsTransport: a subscriber with ${ws.bufferedAmount} bytes unread was dropped`);
      ws.terminate();
      return;
    }
    ws.send(`[${JSON.stringify(header)}, ${body}]`);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    for (const ws of this.clients.keys()) ws.terminate();
    this.clients.clear();
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) await new Promise<void>((resolve) => http.close(() => resolve()));
  }
}
