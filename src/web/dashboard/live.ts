/**
 * The live feed of the open dashboards: a websocket at `/dashboard/live` on the instance's own
 * HTTP server (its auth already checked by the server), telling each page which kinds of change
 * happened (`{"topics":["process",...]}`), so the page re-reads itself at once instead of waiting
 * for a 5 s refresh. Changes in one turn of the event loop go out as one message (a stop of 1000
 * processes is one refresh per page, not 1000); a client that does not read is not written to
 * beyond a small backlog: its next message after it drains says everything anyway.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { UpgradeRoute } from "../../supervisord/http/router.js";
import type { ChangeTopic } from "./port.js";

export const LIVE_PATH = "/dashboard/live";
/** Bytes queued on a socket above which its notices are skipped until it drains. */
const BACKLOG_BYTES = 16 * 1024;

export class LiveFeed {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly clients = new Set<WebSocket>();
  private pending = new Set<ChangeTopic>();
  private scheduled = false;
  private missed = new WeakSet<WebSocket>();

  /** Called for every change of the cluster's view. */
  notify(topic: ChangeTopic): void {
    if (this.clients.size === 0) return;
    this.pending.add(topic);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  get size(): number {
    return this.clients.size;
  }

  upgradeRoute(): UpgradeRoute {
    return {
      name: "dashboard-live",
      match: { exact: LIVE_PATH },
      handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.add(ws));
      },
    };
  }

  close(): void {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss.close();
  }

  private add(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on("close", () => this.clients.delete(ws));
    ws.on("error", () => ws.terminate());
    // Nothing is expected from the page; anything it sends is ignored.
    ws.send(JSON.stringify({ topics: [], hello: true }));
  }

  private flush(): void {
    this.scheduled = false;
    const topics = [...this.pending];
    this.pending = new Set();
    if (topics.length === 0) return;
    const text = JSON.stringify({ topics });
    const all = JSON.stringify({ topics: ["supvisors", "instance", "application", "process", "event", "hstats", "pstats", "tick"] });
    for (const ws of this.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > BACKLOG_BYTES) {
        this.missed.add(ws);
        continue;
      }
      // A client that missed notices is told everything changed.
      ws.send(this.missed.has(ws) ? all : text);
      this.missed.delete(ws);
    }
  }
}
