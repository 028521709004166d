/**
 * The client's endpoints: the server URL forms supervisorctl takes, the event interface's
 * default URL beside it, and the websocket path of a subscription.
 */
import t from "tap";
import { defaultEventUrl, parseServerUrl } from "../../src/client/endpoint.js";
import { subscriptionPath } from "../../src/client/event-frame.js";

t.test("http URLs: host, port (80 by default), Host header as http.client sends it", async (t) => {
  t.same(parseServerUrl("http://127.0.0.1:9001"), { kind: "tcp", url: "http://127.0.0.1:9001", host: "127.0.0.1", port: 9001, hostHeader: "127.0.0.1:9001" });
  t.same(parseServerUrl("http://example.org"), { kind: "tcp", url: "http://example.org", host: "example.org", port: 80, hostHeader: "example.org" });
  t.same(parseServerUrl("http://localhost:9001/RPC2"), { kind: "tcp", url: "http://localhost:9001/RPC2", host: "localhost", port: 9001, hostHeader: "localhost:9001" }, "a path is ignored");
  const v6 = parseServerUrl("http://[::1]:9001");
  t.same(v6, { kind: "tcp", url: "http://[::1]:9001", host: "::1", port: 9001, hostHeader: "[::1]:9001" }, "IPv6: bare address to connect, brackets in Host");
});

t.test("https URLs (ours): 443 by default, marked secure; their event interface is wss", async (t) => {
  t.same(parseServerUrl("https://127.0.0.1:9001"), { kind: "tcp", url: "https://127.0.0.1:9001", host: "127.0.0.1", port: 9001, hostHeader: "127.0.0.1:9001", secure: true });
  t.same(parseServerUrl("https://example.org"), { kind: "tcp", url: "https://example.org", host: "example.org", port: 443, hostHeader: "example.org", secure: true });
  t.equal(defaultEventUrl(parseServerUrl("https://10.0.0.2:60000")), "wss://10.0.0.2:60001");
});

t.test("unix URLs: the rest of the URL is the socket path", async (t) => {
  t.same(parseServerUrl("unix:///tmp/supervisor.sock"), { kind: "unix", url: "unix:///tmp/supervisor.sock", socketPath: "/tmp/supervisor.sock" });
  t.same(parseServerUrl("unix://run/s.sock"), { kind: "unix", url: "unix://run/s.sock", socketPath: "run/s.sock" }, "relative, as supervisorctl takes it");
});

t.test("anything else is a TypeError naming the URL", async (t) => {
  for (const bad of ["httpx://host:9001", "ftp://x", "localhost:9001", "unix://", "http://", "http://host:99999"]) {
    t.throws(() => parseServerUrl(bad), TypeError, bad);
  }
});

t.test("the event interface defaults to the HTTP port + 1 on the same host", async (t) => {
  t.equal(defaultEventUrl(parseServerUrl("http://10.0.0.2:60000")), "ws://10.0.0.2:60001");
  t.equal(defaultEventUrl(parseServerUrl("http://10.0.0.2:60000"), 7000), "ws://10.0.0.2:7000");
  t.equal(defaultEventUrl(parseServerUrl("http://[::1]:9001")), "ws://[::1]:9002");
  t.equal(defaultEventUrl(parseServerUrl("unix:///tmp/s.sock"), 9002), "ws://127.0.0.1:9002", "a unix socket: this machine, at the port given");
  t.throws(() => defaultEventUrl(parseServerUrl("unix:///tmp/s.sock")), TypeError, "a unix socket without a port cannot be guessed");
});

t.test("subscription paths: header segments, /all for every header", async (t) => {
  t.equal(subscriptionPath(undefined), "/all");
  t.equal(subscriptionPath(["process"]), "/process");
  t.equal(subscriptionPath(["process", "application", "process"]), "/process/application", "duplicates once");
  t.equal(subscriptionPath(["supvisors", "instance", "application", "event", "process", "hstats", "pstats"]), "/all");
  t.throws(() => subscriptionPath([]), TypeError, "subscribing to nothing is a mistake");
  t.throws(() => subscriptionPath(["processes" as "process"]), TypeError, "an unknown header");
});
