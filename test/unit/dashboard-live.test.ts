/**
 * The dashboard's live feed: a hello on connection, the changes of one event-loop turn in one
 * notice, nothing sent to nobody, and every socket closed on close().
 */
import t, { type Test } from "tap";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { LiveFeed, LIVE_PATH } from "../../src/web/dashboard/live.js";

async function rig(t: Test) {
  const feed = new LiveFeed();
  const route = feed.upgradeRoute();
  const server = createServer((_, res) => res.end());
  server.on("upgrade", (req, socket, head) => route.handle(req, socket, head, { path: LIVE_PATH, query: null }));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  t.teardown(async () => {
    feed.close();
    await new Promise((r) => server.close(r));
  });
  const connect = async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${LIVE_PATH}`);
    const messages: { topics: string[]; hello?: boolean }[] = [];
    const waiters: (() => void)[] = [];
    ws.on("message", (d) => {
      messages.push(JSON.parse(d.toString()));
      waiters.splice(0).forEach((w) => w());
    });
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= count ? resolve() : waiters.push(check));
        check();
      });
    await next(1);
    return { ws, messages, next };
  };
  return { feed, connect };
}

t.test("hello, then one notice per turn with every topic of it", async (t) => {
  const { feed, connect } = await rig(t);
  const a = await connect();
  const b = await connect();
  t.same(a.messages[0], { topics: [], hello: true });
  t.equal(feed.size, 2);
  feed.notify("process");
  feed.notify("process");
  feed.notify("application");
  feed.notify("event");
  await Promise.all([a.next(2), b.next(2)]);
  t.same(a.messages[1], { topics: ["process", "application", "event"] }, "coalesced, each topic once");
  t.same(b.messages[1], a.messages[1]);
  feed.notify("tick");
  await a.next(3);
  t.same(a.messages[2], { topics: ["tick"] });
  a.ws.close();
  await new Promise((r) => a.ws.once("close", r));
  await t.resolves(async () => {
    for (let i = 0; i < 50 && feed.size !== 1; i++) await new Promise((r) => setTimeout(r, 10));
  });
  t.equal(feed.size, 1, "a closed socket leaves the feed");
});

t.test("close() ends every socket", async (t) => {
  const { feed, connect } = await rig(t);
  const a = await connect();
  const closed = new Promise((r) => a.ws.once("close", r));
  feed.close();
  await closed;
  t.equal(feed.size, 0);
  feed.notify("process");
  t.pass("notify after close does nothing");
});
