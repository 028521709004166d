import t from "tap";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request, type IncomingMessage } from "node:http";
import { startTestServers } from "../helpers/rpc-test-server.js";
import { waitFor } from "../helpers/rpc-real-supervisord.js";
import { parseLogtailPath, TRUNCATED_MARK } from "../../src/supervisord/http/logtail.js";

function stream(socketPath: string, path: string): Promise<{ res: IncomingMessage; text: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { Host: "localhost" } }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (buf += c));
      resolve({ res, text: () => buf, close: () => req.destroy() });
    });
    req.on("error", reject);
    req.end();
  });
}

t.test("parseLogtailPath splits like supervisord", async (t) => {
  t.same(parseLogtailPath("/logtail/web"), { name: "web", channel: "stdout" });
  t.same(parseLogtailPath("/logtail/grp:web/stderr"), { name: "grp:web", channel: "stderr" });
  t.same(parseLogtailPath("//logtail/a/b/c"), { name: "a", channel: "b/c" });
  t.equal(parseLogtailPath("/logtail"), null);
});

t.test("/logtail streams the backlog, appends, truncation and rotation", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logtail-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const log = join(dir, "web.log");
  const main = join(dir, "main.log");
  writeFileSync(log, "A".repeat(3000) + "END\n");
  writeFileSync(main, "main line\n");
  const s = await startTestServers({ logFiles: { "web/stdout": log }, mainLog: main });
  t.teardown(() => s.stop());

  const tail = await stream(s.socket, "/logtail/web");
  t.equal(tail.res.statusCode, 200);
  t.equal(tail.res.headers["content-type"], "text/plain;charset=utf-8");
  t.equal(tail.res.headers["x-accel-buffering"], "no");
  t.equal(tail.res.headers["x-content-type-options"], "nosniff", "shown at once by a browser, not sniffed");
  t.equal(tail.res.headers["transfer-encoding"], "chunked");
  t.equal(tail.res.headers["server"], "Medusa/1.12");
  t.match(tail.res.headers["last-modified"], /GMT$/);
  await waitFor(() => tail.text().length >= 1024, 10000, "backlog");
  t.equal(tail.text(), "A".repeat(1020) + "END\n", "exactly the last 1024 bytes");
  appendFileSync(log, "more\n");
  await waitFor(() => tail.text().endsWith("more\n"), 10000, "appended data");
  truncateSync(log, 0);
  appendFileSync(log, "fresh\n");
  await waitFor(() => tail.text().endsWith(TRUNCATED_MARK + "fresh\n"), 10000, "truncation");
  renameSync(log, log + ".1");
  writeFileSync(log, "rotated\n");
  await waitFor(() => tail.text().endsWith("rotated\n"), 10000, "rotation");
  tail.close();

  const mainTail = await stream(s.socket, "/mainlogtail");
  t.equal(mainTail.res.statusCode, 200);
  t.equal(mainTail.res.headers["x-accel-buffering"], undefined, "no X-Accel-Buffering on mainlogtail");
  await waitFor(() => mainTail.text() === "main line\n", 10000, "main log");
  mainTail.close();

  const missing = await stream(s.socket, "/logtail/nosuch/stderr");
  t.equal(missing.res.statusCode, 404);
  missing.close();
});
