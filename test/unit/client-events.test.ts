/**
 * The client's event stream: frame parsing, the reconnect delays, and the stream against a fake
 * websocket event interface (the daemon's protocol: the path names the headers, one
 * `["header", body]` text frame per event): delivery, waitFor, async iteration, reconnection
 * after the server goes away and comes back, a silent server noticed by the pings, close().
 */
import { createServer, type Server } from "node:http";
import t, { type Test } from "tap";
import { WebSocketServer, type WebSocket } from "ws";
import { backoffDelay, backoffOptions } from "../../src/client/backoff.js";
import { EventFrameError, parseEventFrame } from "../../src/client/event-frame.js";
import type { SupvisorsEvent } from "../../src/client/event-types.js";
import { EventStreamClosedError, SupvisorsEventStream } from "../../src/client/events.js";
import { poll } from "../helpers/cluster.js";

t.test("parseEventFrame: [header, body] to a typed event; unknown headers skipped; anything else an EventFrameError", async (t) => {
  const e = parseEventFrame('["process", {"application_name": "web", "process_name": "db", "statecode": 20, "statename": "RUNNING", "now_monotonic": 12.0}]');
  t.same(e, { header: "process", body: { application_name: "web", process_name: "db", statecode: 20, statename: "RUNNING", now_monotonic: 12 } });
  if (e?.header === "process") t.equal(e.body.statename, "RUNNING", "narrowed by header");
  t.equal(parseEventFrame('["newheader", {"x": 1}]'), null, "a header of a newer daemon");
  for (const bad of ["not json", '{"header": "process"}', '["process"]', '["process", 1]', '["process", [1]]', '[1, {}]', '["process", {}, 3]']) {
    t.throws(() => parseEventFrame(bad), EventFrameError, bad);
  }
});

t.test("backoff: exponential from the initial delay, capped, jitter taken off the top", async (t) => {
  const o = backoffOptions({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 });
  t.same([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o, () => 0)), [100, 200, 400, 800, 1000, 1000]);
  t.same([0, 3].map((a) => backoffDelay(a, o, () => 1)), [50, 400], "full jitter halves it");
  t.same(backoffOptions(), { initialDelayMs: 250, maxDelayMs: 10_000, factor: 2, jitter: 0.2 });
  t.throws(() => backoffOptions({ factor: 0.5 }), RangeError);
  t.throws(() => backoffOptions({ initialDelayMs: 100, maxDelayMs: 10 }), RangeError);
  t.throws(() => backoffOptions({ jitter: 2 }), RangeError);
});

/** A fake event interface: records each subscriber's path, sends frames on demand. */
class FakeEventServer {
  readonly paths: string[] = [];
  readonly clients = new Set<WebSocket>();
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on("connection", (ws, req) => {
      this.paths.push(req.url ?? "");
      this.clients.add(ws);
      ws.on("close", () => this.clients.delete(ws));
      // As the daemon does for a late joiner: the current state first.
      ws.send(JSON.stringify(["supvisors", { fsm_statename: "OPERATION" }]));
    });
    await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
    this.port = (http.address() as { port: number }).port;
    this.http = http;
    this.wss = wss;
  }

  send(header: string, body: object): void {
    for (const ws of this.clients) ws.send(JSON.stringify([header, body]));
  }

  sendRaw(text: string): void {
    for (const ws of this.clients) ws.send(text);
  }

  async stop(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    this.clients.clear();
    this.wss?.close();
    const http = this.http;
    this.http = null;
    if (http) await new Promise<void>((resolve) => (http.closeAllConnections(), http.close(() => resolve())));
  }
}

async function fake(t: Test): Promise<FakeEventServer> {
  const server = new FakeEventServer();
  await server.start();
  t.teardown(() => server.stop());
  return server;
}

function stream(t: Test, url: string, opts: ConstructorParameters<typeof SupvisorsEventStream>[1] = {}): SupvisorsEventStream {
  const s = new SupvisorsEventStream(url, { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, ...opts });
  t.teardown(() => s.close());
  return s;
}

t.test("subscribes by path, delivers typed events to listeners, waiters and iterators", async (t) => {
  const server = await fake(t);
  const s = stream(t, `ws://127.0.0.1:${server.port}/`, { headers: ["process", "application"] });
  const seen: SupvisorsEvent[] = [];
  s.on("message", (e) => seen.push(e));
  await s.opened(5000);
  t.equal(s.state, "open");
  t.same(server.paths, ["/process/application"], "the headers are the path");
  t.equal(s.url, `ws://127.0.0.1:${server.port}/process/application`);

  const running = s.waitFor((e): e is Extract<SupvisorsEvent, { header: "process" }> => e.header === "process" && e.body.statename === "RUNNING", { timeoutMs: 5000 });
  const iterator = s[Symbol.asyncIterator]();
  server.send("process", { process_name: "db", statename: "STARTING" });
  server.send("process", { process_name: "db", statename: "RUNNING" });
  const e = await running;
  t.equal(e.body.process_name, "db", "waitFor: the first matching event, typed by the guard");
  const first = await iterator.next();
  t.same(first.value, { header: "process", body: { process_name: "db", statename: "STARTING" } }, "the iterator sees events from its creation on");
  await poll(() => (seen.length >= 3 ? true : undefined), 5000, "three messages");
  t.same(seen.map((x) => x.header), ["supvisors", "process", "process"], "the listener sees the snapshot too");

  const errors: Error[] = [];
  s.on("error", (err) => errors.push(err));
  server.sendRaw("garbage");
  server.send("application", { application_name: "web" });
  await poll(() => (seen.length >= 4 ? true : undefined), 5000, "the event after the garbage");
  t.equal(errors.length, 1);
  t.ok(errors[0] instanceof EventFrameError, "an unreadable frame is an error event; the stream goes on");
  await iterator.return!();
});

t.test("reconnects with backoff when the server goes away, and gets the state again", async (t) => {
  const server = await fake(t);
  const port = server.port;
  const s = stream(t, `ws://127.0.0.1:${port}`, { headers: ["process"], random: () => 0 });
  const log: string[] = [];
  s.on("open", (i) => log.push(`open ${i.reconnected}`));
  s.on("close", (i) => log.push(`close ${i.willReconnect}`));
  const delays: number[] = [];
  let attempts = 0;
  s.on("reconnecting", (i) => {
    attempts = i.attempt;
    delays.push(i.delayMs);
  });
  await s.opened(5000);
  await server.stop();
  // Refused a few times while nobody listens, then the server is back on the same port.
  await poll(() => (attempts >= 4 ? true : undefined), 10_000, "four reconnection attempts");
  t.equal(s.state, "reconnecting");
  await server.start(port);
  await s.opened(10_000);
  t.same(delays.slice(0, 4), [20, 40, 80, 100], "doubling from 20 ms, capped at 100 ms");
  t.equal(log[0], "open false");
  t.equal(log.at(-1), "open true", "reopened");
  t.ok(log.filter((x) => x === "close true").length >= 3, "each failed attempt is a close that will reconnect");
  const next = s.waitFor((e) => e.header === "process", { timeoutMs: 5000 });
  server.send("process", { process_name: "api" });
  t.same((await next).body, { process_name: "api" }, "events flow again");
});

t.test("a silent server (it stops reading: no pongs) is dropped by the pings and reconnected", async (t) => {
  const server = await fake(t);
  const s = stream(t, `ws://127.0.0.1:${server.port}`, { pingIntervalMs: 50 });
  await s.opened(5000);
  const dropped = new Promise<void>((resolve) => s.once("close", () => resolve()));
  for (const ws of server.clients) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  await dropped;
  await s.opened(5000);
  t.equal(server.paths.length, 2, "a second connection");
});

t.test("reconnect: false ends the stream at the first loss; waiters reject, iterators end", async (t) => {
  const server = await fake(t);
  const s = stream(t, `ws://127.0.0.1:${server.port}`, { reconnect: false });
  await s.opened(5000);
  const waiting = s.waitFor(() => false);
  const iterator = s[Symbol.asyncIterator]();
  const ended = iterator.next();
  const closes: boolean[] = [];
  s.on("close", (i) => closes.push(i.willReconnect));
  await server.stop();
  await t.rejects(waiting, EventStreamClosedError);
  t.same(await ended, { done: true, value: undefined });
  t.same(closes, [false]);
  t.equal(s.state, "closed");
  await t.rejects(s.opened(), EventStreamClosedError);
});

t.test("close(): no reconnection, resolves once the socket is gone; also while still connecting", async (t) => {
  const server = await fake(t);
  const s = new SupvisorsEventStream(`ws://127.0.0.1:${server.port}`);
  await s.opened(5000);
  const waiting = s.waitFor(() => false);
  await s.close();
  await t.rejects(waiting, EventStreamClosedError);
  t.equal(s.state, "closed");
  await poll(() => (server.clients.size === 0 ? true : undefined), 5000, "the server sees it go");

  // Nobody listens there: the stream is retrying when it is closed.
  await server.stop();
  const retrying = new SupvisorsEventStream(`ws://127.0.0.1:${server.port}`, { reconnect: { initialDelayMs: 10, maxDelayMs: 10 } });
  await poll(() => (retrying.state === "reconnecting" ? true : undefined), 5000, "retrying");
  await retrying.close();
  t.equal(retrying.state, "closed");
  t.throws(() => new SupvisorsEventStream("http://127.0.0.1:1"), TypeError, "a websocket URL is expected");
});
