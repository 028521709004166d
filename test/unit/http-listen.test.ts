import t from "tap";
import { mkdtempSync, rmSync, existsSync, statSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHttpServer, type HttpServerDeps } from "../../src/supervisord/http/server.js";
import { Router } from "../../src/supervisord/http/router.js";
import { HttpBindError, ADDRESS_IN_USE_MESSAGE } from "../../src/supervisord/http/bind-errors.js";
import { createRegistry } from "../../src/supervisord/rpc/system-namespace.js";
import type { UnixServerConfig } from "../../src/supervisord/config/types.js";

function deps(stderr: string[]): HttpServerDeps {
  return {
    registry: createRegistry(),
    router: new Router(),
    log: () => {},
    resolveLogPath: () => null,
    mainLogPath: () => null,
    stderr: (text) => stderr.push(text),
  };
}

t.test("unix socket: in use, stale, chmod, bad directory", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "listen-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "sd.sock");
  const cfg: UnixServerConfig = { kind: "unix", section: "unix_http_server", file, chmod: 0o660, chown: null, auth: null };
  const stderr: string[] = [];
  const first = await startHttpServer(cfg, deps(stderr));
  t.equal(statSync(file).mode & 0o777, 0o660);
  await t.rejects(startHttpServer(cfg, deps(stderr)), { code: "ADDRESS_IN_USE", message: ADDRESS_IN_USE_MESSAGE });
  t.ok(existsSync(file), "the live socket is left alone");
  t.same(stderr, []);

  // A socket file nobody serves: a listener that never answers was closed, leaving the file.
  await first.close();
  t.notOk(existsSync(file));
  const silent = createNetServer();
  await new Promise<void>((r) => silent.listen(file, r));
  silent.on("connection", (c) => c.destroy());
  // Keep the file but stop answering: a hard link survives the listener's own unlink on close.
  const { linkSync, unlinkSync } = await import("node:fs");
  linkSync(file, file + ".keep");
  await new Promise<void>((r) => silent.close(() => r()));
  if (!existsSync(file)) linkSync(file + ".keep", file);
  unlinkSync(file + ".keep");
  const second = await startHttpServer(cfg, deps(stderr));
  t.same(stderr, [`Unlinking stale socket ${file}\n`]);
  await second.close();

  const bad: UnixServerConfig = { ...cfg, file: join(dir, "no", "such", "dir.sock") };
  await t.rejects(startHttpServer(bad, deps(stderr)), {
    code: "SOCKET_ERROR",
    message: "Cannot open an HTTP server: socket.error reported errno.ENOENT (2)",
  });
});

t.test("inet: address in use", async (t) => {
  const blocker = createNetServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  t.teardown(() => new Promise<void>((r) => blocker.close(() => r())));
  const port = (blocker.address() as { port: number }).port;
  const err = await startHttpServer({ kind: "inet", section: "inet_http_server", host: "127.0.0.1", port, auth: null }, deps([])).catch((e: unknown) => e);
  t.type(err, HttpBindError);
  t.equal((err as HttpBindError).message, ADDRESS_IN_USE_MESSAGE);
  const h = await startHttpServer({ kind: "inet", section: "inet_http_server", host: "localhost", port: 0, auth: null }, deps([]));
  t.ok(h.port! > 0, "names resolve to an IPv4 address");
  await h.close();
});
