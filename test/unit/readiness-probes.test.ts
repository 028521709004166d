/** The real probes against local servers (ports from the kernel) and real commands. */
import t from "tap";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { httpProbe, tcpProbe, commandProbe, realProber } from "../../src/supervisord/readiness/probes.js";
import type { CheckResult } from "../../src/supervisord/readiness/machine.js";

function listen(s: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));
}
function close(s: { close(cb: () => void): void }): Promise<void> {
  return new Promise((r) => s.close(() => r()));
}
function run(start: (done: (r: CheckResult) => void) => () => void): Promise<CheckResult> {
  return new Promise((resolve) => start(resolve));
}
/** A port nothing listens on: bound, then closed. */
async function deadPort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await close(s);
  return port;
}

t.test("http: 2xx and 3xx pass, others fail with the status, refused connections name the error", async (t) => {
  const hung: import("node:http").ServerResponse[] = [];
  const server = createServer((req, res) => {
    if (req.url === "/hang") return void hung.push(res);
    const code = Number(req.url!.slice(1));
    res.writeHead(code, code === 301 ? { location: "/elsewhere" } : {});
    res.end("body");
  });
  const port = await listen(server);
  t.teardown(() => {
    for (const r of hung) r.destroy();
    server.closeAllConnections();
    return close(server);
  });
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;
  t.same(await run((d) => httpProbe(url("/200"), d)), { ok: true, detail: "HTTP 200" });
  t.same(await run((d) => httpProbe(url("/204"), d)), { ok: true, detail: "HTTP 204" });
  t.same(await run((d) => httpProbe(url("/301"), d)), { ok: true, detail: "HTTP 301" }, "a redirect is not followed: it passes");
  t.same(await run((d) => httpProbe(url("/503"), d)), { ok: false, reason: "HTTP 503" });
  t.same(await run((d) => httpProbe(url("/404"), d)), { ok: false, reason: "HTTP 404" });
  const dead = await deadPort();
  t.same(await run((d) => httpProbe(`http://127.0.0.1:${dead}/`, d)), { ok: false, reason: "connect ECONNREFUSED" });

  // An aborted attempt never calls back and leaves no connection open.
  let called = false;
  const abort = httpProbe(url("/hang"), () => (called = true));
  await new Promise<void>((r) => {
    const check = () => (hung.length > 0 ? r() : setTimeout(check, 5));
    check();
  });
  abort();
  await new Promise<void>((r) => hung[0]!.socket!.once("close", () => r()));
  t.notOk(called, "no callback after abort");
  await new Promise<void>((r) => server.getConnections((_e, n) => (t.equal(n, 0, "connection closed"), r())));
});

t.test("tcp: connect passes, refused fails", async (t) => {
  const server = createTcpServer((s) => s.destroy());
  const port = await listen(server);
  t.teardown(() => close(server));
  t.same(await run((d) => tcpProbe("127.0.0.1", port, d)), { ok: true, detail: "connected" });
  const dead = await deadPort();
  t.same(await run((d) => tcpProbe("127.0.0.1", dead, d)), { ok: false, reason: "connect ECONNREFUSED" });
});

t.test("command: exit 0 passes, others fail; runs with the process's env and directory, no shell", async (t) => {
  const ctx = { env: () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", WANT: "yes" }), directory: "/tmp", user: null };
  t.same(await run((d) => commandProbe("true", ctx, d)), { ok: true, detail: "exit status 0" });
  t.same(await run((d) => commandProbe("false", ctx, d)), { ok: false, reason: "exit status 1" });
  t.same(await run((d) => commandProbe(`/bin/sh -c 'test "$WANT" = yes && test "$PWD" = /tmp'`, ctx, d)), { ok: true, detail: "exit status 0" });
  t.same(await run((d) => commandProbe("/bin/sh -c 'seq 1 200000; exit 3'", ctx, d)), { ok: false, reason: "exit status 3" }, "output is drained, not a broken pipe");
  t.same(await run((d) => commandProbe("echo $HOME > /dev/null", ctx, d)).then((r) => r.ok), true, "no shell: $HOME is a literal argument");
  t.same(await run((d) => commandProbe("/nonexistent/cmd", ctx, d)), { ok: false, reason: "can't find command '/nonexistent/cmd'" });
});

t.test("command: abort kills the running check", async (t) => {
  const ctx = { env: () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin" }), directory: null, user: null };
  let called = false;
  const abort = realProber({ kind: "command", command: "sleep 29.9731" }, ctx, () => (called = true));
  // The child is killed with SIGKILL: its pid disappears.
  const { execSync } = await import("node:child_process");
  const before = execSync("pgrep -fx 'sleep 29.9731' || true").toString().trim().split("\n").filter(Boolean);
  t.ok(before.length >= 1, "the check runs");
  abort();
  const end = Date.now() + 5000;
  let after = before;
  while (Date.now() < end) {
    after = execSync("pgrep -fx 'sleep 29.9731' || true").toString().trim().split("\n").filter(Boolean).filter((p) => before.includes(p));
    if (after.length === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  t.same(after, [], "killed");
  t.notOk(called, "no callback after abort");
});
