/**
 * How the client reports what went wrong: XML-RPC faults as RpcFaultError (code, name, detail),
 * everything else as RpcTransportError (kind, HTTP status, Node's error code), against a fake
 * XML-RPC server on TCP and on a unix socket; and what it sends (path, Host, auth, keep-alive).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t, { type Test } from "tap";
import { RpcFaultError, RpcTransportError, isFaultStruct } from "../../src/client/errors.js";
import { SupervisorClient } from "../../src/client/supervisor-client.js";
import { SupvisorsClient } from "../../src/client/supvisors-client.js";
import { decodeMethodCall, encodeFault, encodeResponse, type RpcValue } from "../../src/supervisord/rpc/codec.js";

t.test("RpcFaultError: the fault's name for its code, the detail, a message that prints as the fault string", async (t) => {
  const e = new RpcFaultError(10, "BAD_NAME: nosuch", "supervisor.getProcessInfo");
  t.ok(e instanceof Error);
  t.equal(e.name, "BAD_NAME");
  t.equal(e.code, 10);
  t.equal(e.detail, "nosuch");
  t.equal(e.faultString, "BAD_NAME: nosuch");
  t.equal(e.method, "supervisor.getProcessInfo");
  t.equal(String(e), "BAD_NAME: nosuch", "toString is the fault string");
  t.ok(e.is("BAD_NAME"));
  t.notOk(e.is("FAILED"));

  const bare = new RpcFaultError(1, "UNKNOWN_METHOD", "x.y");
  t.equal(bare.name, "UNKNOWN_METHOD");
  t.equal(bare.detail, "");
  t.equal(String(bare), "UNKNOWN_METHOD: UNKNOWN_METHOD");

  const supvisors = [
    [100, "SUPVISORS_CONF_ERROR"],
    [101, "BAD_SUPVISORS_STATE"],
    [102, "NOT_MANAGED"],
    [103, "DISABLED"],
    [104, "NOT_APPLICABLE"],
    [105, "NOT_INSTALLED"],
  ] as const;
  for (const [code, name] of supvisors) t.equal(new RpcFaultError(code, `${name}: x`, "m").name, name, `Supvisors' ${code}`);
  const supervisor = { 2: "INCORRECT_PARAMETERS", 3: "BAD_ARGUMENTS", 4: "SIGNATURE_UNSUPPORTED", 6: "SHUTDOWN_STATE", 11: "BAD_SIGNAL", 20: "NO_FILE", 21: "NOT_EXECUTABLE", 30: "FAILED", 40: "ABNORMAL_TERMINATION", 50: "SPAWN_ERROR", 60: "ALREADY_STARTED", 70: "NOT_RUNNING", 80: "SUCCESS", 90: "ALREADY_ADDED", 91: "STILL_RUNNING", 92: "CANT_REREAD" };
  for (const [code, name] of Object.entries(supervisor)) t.equal(new RpcFaultError(Number(code), name, "m").name, name, `supervisord's ${code}`);

  const odd = new RpcFaultError(999, "something else", "m");
  t.equal(odd.name, "UNKNOWN", "an unknown code");
  t.equal(odd.detail, "something else");
  t.equal(odd.message, "something else");

  const text = new RpcFaultError(101, "BAD_SUPVISORS_STATE: invalid Supvisors state=OFF - state expected in [OPERATION]", "supvisors.start_application");
  t.equal(text.detail, "invalid Supvisors state=OFF - state expected in [OPERATION]");
});

t.test("isFaultStruct: exactly {faultCode: int, faultString: string}", async (t) => {
  t.ok(isFaultStruct({ faultCode: 1, faultString: "UNKNOWN_METHOD" }));
  t.notOk(isFaultStruct({ faultCode: "1", faultString: "x" }));
  t.notOk(isFaultStruct({ faultCode: 1, faultString: "x", name: "p" }), "a struct result with more keys is a result");
  t.notOk(isFaultStruct([1, "x"]));
  t.notOk(isFaultStruct(null));
  t.notOk(isFaultStruct(true));
  const f = RpcFaultError.fromStruct({ faultCode: 70, faultString: "NOT_RUNNING: web" }, "supervisor.stopProcess");
  t.equal(f.name, "NOT_RUNNING");
});

// ---- a fake XML-RPC server -------------------------------------------------------------------

interface Seen {
  readonly method: string;
  readonly params: RpcValue[];
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly socket: unknown;
  readonly body: string;
}

type Handler = (call: Seen, res: ServerResponse) => void;

async function fakeServer(t: Test, listen: { port: 0 } | { path: string }, handler: Handler): Promise<{ server: Server; seen: Seen[]; url: string }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const call = decodeMethodCall(body);
      const s: Seen = { method: call.methodName, params: call.params, url: req.url ?? "", headers: req.headers, socket: req.socket, body: body.toString("utf8") };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((resolve) => ("path" in listen ? server.listen(listen.path, resolve) : server.listen(0, "127.0.0.1", resolve)));
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const address = server.address();
  const url = "path" in listen ? `unix://${listen.path}` : `http://127.0.0.1:${(address as { port: number }).port}`;
  return { server, seen, url };
}

function answer(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("the call succeeded");
}

t.test("what is sent: POST /RPC2, the XML-RPC call, Host, Basic auth when given", async (t) => {
  const { seen, url } = await fakeServer(t, { port: 0 }, (_c, res) => answer(res, encodeResponse(true)));
  const client = new SupervisorClient(url, { username: "user", password: "p:ss" });
  t.teardown(() => client.close());
  t.equal(await client.supervisor.startProcess("web:api", false), true);
  t.equal(seen[0]!.url, "/RPC2");
  t.equal(seen[0]!.method, "supervisor.startProcess");
  t.same(seen[0]!.params, ["web:api", false]);
  t.equal(seen[0]!.headers.host, url.slice("http://".length));
  t.equal(seen[0]!.headers.authorization, "Basic " + Buffer.from("user:p:ss").toString("base64"));
  t.equal(seen[0]!.headers["content-type"], "text/xml");
  await client.supervisor.startProcess("web:db");
  t.same(seen[1]!.params, ["web:db", true], "wait defaults to true, sent explicitly");
  t.equal(seen[1]!.socket, seen[0]!.socket, "the connection is kept alive between calls");

  const anonymous = new SupervisorClient(url);
  t.teardown(() => anonymous.close());
  await anonymous.supervisor.getPID();
  t.equal(seen[2]!.headers.authorization, undefined, "no credentials, no Authorization");
  t.throws(() => new SupervisorClient(url, { username: "u" }), TypeError, "a username without a password");
});

t.test("defaults and doubles of the supvisors.* methods", async (t) => {
  const { seen, url } = await fakeServer(t, { port: 0 }, (_c, res) => answer(res, encodeResponse(true)));
  const client = new SupvisorsClient(url);
  t.teardown(() => client.close());
  await client.supvisors.startProcess("LESS_LOADED", "web:*");
  await client.supvisors.startApplication(3, "web", false);
  await client.supvisors.updateNumprocs("pool", 3);
  await client.supvisors.endSync();
  await client.supvisors.updateCollectingPeriod(5);
  t.same(
    seen.map((s) => [s.method, s.params]),
    [
      ["supvisors.start_process", ["LESS_LOADED", "web:*", "", true]],
      ["supvisors.start_application", [3, "web", false]],
      ["supvisors.update_numprocs", ["pool", 3, true, false]],
      ["supvisors.end_sync", [""]],
      ["supvisors.update_collecting_period", [5]],
    ],
  );
  t.match(seen[4]!.body, "<double>5.0</double>", "a period is a float, as Python sends it");
});

t.test("a fault answer is an RpcFaultError; multicall gives fault structs in place", async (t) => {
  const { url } = await fakeServer(t, { port: 0 }, (c, res) => {
    if (c.method === "system.multicall") answer(res, encodeResponse([4242, { faultCode: 10, faultString: "BAD_NAME: x" }]));
    else answer(res, encodeFault(60, "ALREADY_STARTED: web"));
  });
  const client = new SupvisorsClient(url);
  t.teardown(() => client.close());
  const err = await rejection(client.supvisors.startApplication("CONFIG", "web"));
  t.ok(err instanceof RpcFaultError);
  t.match(err, { code: 60, name: "ALREADY_STARTED", detail: "web", method: "supvisors.start_application" });
  const [pid, fault] = await client.multicall([{ methodName: "supervisor.getPID" }, { methodName: "supervisor.getProcessInfo", params: ["x"] }]);
  t.equal(pid, 4242);
  t.ok(isFaultStruct(fault));
  t.notOk(isFaultStruct(pid));
});

t.test("HTTP errors: RpcTransportError kind http with the status", async (t) => {
  const { url } = await fakeServer(t, { port: 0 }, (c, res) => {
    if (c.method === "supervisor.getPID") {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="default"', Connection: "close" });
      res.end("<h1>Unauthorized</h1>");
    } else answer(res, "<html>oops</html>", 500);
  });
  const client = new SupervisorClient(url);
  t.teardown(() => client.close());
  const e401 = await rejection(client.supervisor.getPID());
  t.ok(e401 instanceof RpcTransportError);
  t.match(e401, { kind: "http", status: 401, code: null, method: "supervisor.getPID", url });
  t.notOk(e401 instanceof RpcFaultError, "not a fault");
  const e500 = await rejection(client.supervisor.getState());
  t.match(e500, { kind: "http", status: 500 });
});

t.test("a 200 that is not XML-RPC: kind protocol", async (t) => {
  const { url } = await fakeServer(t, { port: 0 }, (_c, res) => answer(res, "<html>hello</html>"));
  const client = new SupervisorClient(url);
  t.teardown(() => client.close());
  const err = await rejection(client.supervisor.getPID());
  t.ok(err instanceof RpcTransportError);
  t.match(err, { kind: "protocol", status: null });
});

t.test("nobody there: kind connect with Node's code (refused TCP port, missing unix socket)", async (t) => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const tcp = new SupervisorClient(`http://127.0.0.1:${port}`);
  t.teardown(() => tcp.close());
  t.match(await rejection(tcp.supervisor.getPID()), { kind: "connect", code: "ECONNREFUSED", status: null });
  const unix = new SupervisorClient("unix:///nonexistent/dir/supervisor.sock");
  t.teardown(() => unix.close());
  const e = await rejection(unix.supervisor.getPID());
  t.ok(e instanceof RpcTransportError);
  t.match(e, { kind: "connect", code: "ENOENT" });
});

t.test("over a unix socket: Host localhost, same calls", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "client-unix-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { seen, url } = await fakeServer(t, { path: join(dir, "s.sock") }, (_c, res) => answer(res, encodeResponse("3.0")));
  const client = new SupervisorClient(url);
  t.teardown(() => client.close());
  t.equal(await client.supervisor.getAPIVersion(), "3.0");
  t.equal(seen[0]!.headers.host, "localhost");
});

t.test("a held call does not block the next ones; timeoutMs; close() fails what is pending", async (t) => {
  const held: ServerResponse[] = [];
  const { url } = await fakeServer(t, { port: 0 }, (c, res) => {
    if (c.method === "supervisor.startProcess") held.push(res);
    else answer(res, encodeResponse(1));
  });
  const client = new SupervisorClient(url);
  const waiting = rejection(client.supervisor.startProcess("slow"));
  // The server holds startProcess like a wait=true start: other calls go on other connections.
  t.equal(await client.supervisor.getPID(), 1);
  t.equal(await client.supervisor.getPID(), 1);
  await client.close();
  t.match(await waiting, { kind: "closed" }, "close() fails the pending call");

  const impatient = new SupervisorClient(url, { timeoutMs: 100 });
  t.teardown(() => impatient.close());
  t.match(await rejection(impatient.supervisor.startProcess("slow")), { kind: "timeout" });
  for (const r of held) r.destroy();
});
