import t from "tap";
import { createHash } from "node:crypto";
import { statSync, existsSync } from "node:fs";
import { runPythonAsync as runPython } from "../helpers/rpc-python.js";
import { rawRequest, startTestServers } from "../helpers/rpc-test-server.js";
import { startRealSupervisord } from "../helpers/rpc-real-supervisord.js";
import { encodeMethodCall, decodeMethodResponse } from "../../src/supervisord/rpc/codec.js";
import { errorBody } from "../../src/supervisord/http/medusa.js";

const SHA = "{SHA}" + createHash("sha1").update("secret").digest("hex");
const basic = (u: string, p: string) => "Basic " + Buffer.from(`${u}:${p}`).toString("base64");

t.test("Python's xmlrpc client (supervisor transport) talks to our servers", async (t) => {
  const s = await startTestServers({ auth: { username: "user", password: SHA } });
  t.teardown(() => s.stop());
  t.equal(statSync(s.socket).mode & 0o777, 0o700, "socket chmod applied");
  t.notOk(existsSync(`${s.socket}.${process.pid}`), "temporary socket name removed");
  const script = (url: string, user: string, pass: string) => `
import json, xmlrpc.client as x
from supervisor.xmlrpc import SupervisorTransport
p = x.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(${user}, ${pass}, '${url}'))
out = {}
out['methods'] = p.system.listMethods()
out['echo'] = p.fake.echo('a < b & c > d é \\u2603')
out['ctrl'] = p.fake.ctrl()
out['add'] = p.fake.add(2, 40)
try: p.fake.fault()
except x.Fault as f: out['fault'] = [f.faultCode, f.faultString]
try: p.fake.add(1)
except x.Fault as f: out['arity'] = [f.faultCode, f.faultString]
try: p.fake.boom()
except x.ProtocolError as e: out['boom'] = e.errcode
out['after'] = p.fake.echo('still alive')
out['multi'] = p.system.multicall([{'methodName': 'fake.add', 'params': [1, 2]}, {'methodName': 'fake.fault'}])
out['big'] = len(p.fake.big(3000000))
print(json.dumps(out))
`;
  for (const [url, user, pass] of [
    [`unix://${s.socket}`, "None", "None"],
    [`http://127.0.0.1:${s.port}`, "'user'", "'secret'"],
  ] as const) {
    const out = JSON.parse(await runPython(script(url, user, pass))) as Record<string, unknown>;
    t.same(out["methods"], [
      "fake.add", "fake.big", "fake.boom", "fake.ctrl", "fake.echo", "fake.fault", "fake.wait",
      "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall",
    ]);
    t.equal(out["echo"], "a < b & c > d é \u2603", url);
    t.equal(out["ctrl"], "nul\ufffd esc\ufffd ok", "control characters replaced, reply stays well-formed");
    t.equal(out["add"], 42);
    t.same(out["fault"], [10, "BAD_NAME: nosuch"]);
    t.same(out["arity"], [2, "INCORRECT_PARAMETERS"]);
    t.equal(out["boom"], 500);
    t.equal(out["after"], "still alive");
    t.same(out["multi"], [3, { faultCode: 10, faultString: "BAD_NAME: nosuch" }]);
    t.equal(out["big"], 3000000);
  }
  t.ok(s.logLines.some((l) => l.startsWith(`CRIT Handling XML-RPC request with data "<?xml version='1.0'?>\\n<methodCall>\\n<methodName>fake.boom`)), "CRIT line for the 500");
  t.ok(s.logLines.includes("TRAC XML-RPC method called: fake.add()"));
  t.match(s.logLines.find((l) => l.includes(`"POST /RPC2 HTTP/1.1" 200`)) ?? "", /^TRAC (127\.0\.0\.1:\d+|localhost:0) - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "POST \/RPC2 HTTP\/1\.1" 200 \d+$/);
  const python401 = await runPython(`
import xmlrpc.client as x
from supervisor.xmlrpc import SupervisorTransport
p = x.ServerProxy('http://127.0.0.1', transport=SupervisorTransport('user', 'wrong', 'http://127.0.0.1:${s.port}'))
try: p.system.listMethods()
except x.ProtocolError as e: print(e.errcode, e.errmsg)
`);
  t.equal(python401.trim(), "401 Unauthorized");
});

t.test("HTTP answers match the real supervisord's", async (t) => {
  const real = await startRealSupervisord({ inet: { username: "user", password: SHA } });
  t.teardown(() => real.stop());
  const ours = await startTestServers({ auth: { username: "user", password: SHA } });
  t.teardown(() => ours.stop());
  const auth = `Authorization: ${basic("user", "secret")}\r\n`;
  const call = (xml: string) => `Content-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`;
  const cases: [string, string][] = [
    ["no credentials", "GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["wrong password", `GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${basic("user", "nope")}\r\n\r\n`],
    ["wrong user", `GET /ok.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${basic("root", "secret")}\r\n\r\n`],
    ["other scheme", "GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Digest abc\r\n\r\n"],
    ["malformed base64", "GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic a\r\n\r\n"],
    ["unauthenticated POST", `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${call(encodeMethodCall("system.listMethods", []))}`],
    ["GET /RPC2", `GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}\r\n`],
    ["POST without length", `POST /RPC2 HTTP/1.0\r\n${auth}\r\n`],
    ["bad XML", `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call("<methodCall><oops></methodCall>")}`],
    ["no methodName", `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call("<methodCall><params/></methodCall>")}`],
    ["unknown method on /RPC2foo", `POST /RPC2foo?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call(encodeMethodCall("a.b.c", []))}`],
    ["methodHelp fault", `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call(encodeMethodCall("system.methodHelp", ["nope.x"]))}`],
    ["multicall", `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call(encodeMethodCall("system.multicall", [[{ methodName: "system.methodSignature", params: ["system.methodHelp"] }, { methodName: "x._y" }, {}]]))}`],
    ["percent-encoded path", `POST /%52PC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}${call(encodeMethodCall("system.methodSignature", ["system.listMethods"]))}`],
    ["ok.html", `GET /ok.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}\r\n`],
    ["not found", `GET /no/such/thing.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}\r\n`],
    ["logtail unknown", `GET /logtail/nosuch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${auth}\r\n`],
    ["logtail POST", `POST /logtail/nosuch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n${auth}\r\n`],
  ];
  // Node adds "Connection: close" where Medusa omits it (the connection is closed either way),
  // and always answers "HTTP/1.1" where Medusa echoes the request's version.
  const shape = (r: Awaited<ReturnType<typeof rawRequest>>) => ({
    statusLine: r.statusLine.replace(/^HTTP\/1\.[01] /, ""),
    headers: r.headers.filter(([k]) => k !== "Date" && k !== "Connection"),
    body: r.body.toString("utf8"),
  });
  for (const [name, req] of cases) {
    const expected = shape(await rawRequest({ port: real.port! }, req));
    const got = shape(await rawRequest({ port: ours.port }, req));
    t.same(got, expected, name);
  }
  const r401 = await rawRequest({ port: ours.port }, cases[0]![1]);
  t.same(r401.headers.find(([k]) => k === "Connection"), ["Connection", "close"]);
  t.ok(r401.headers.some(([k, v]) => k === "Date" && /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/.test(v)));
});

t.test("auth edge cases and keep-alive", async (t) => {
  const s = await startTestServers({ auth: { username: "u", password: "p:w" } });
  t.teardown(() => s.stop());
  const get = (authz: string) =>
    rawRequest({ port: s.port }, `GET /ok.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${authz}\r\n\r\n`);
  t.equal((await get(basic("u", "p:w"))).status, 200, "password may contain ':'");
  t.equal((await get("Basic " + Buffer.from("nocolon").toString("base64"))).status, 401, "payload without ':' is 401, not 500");
  t.equal((await get("Basic " + Buffer.from([0xff, 0xfe, 0x3a]).toString("base64"))).status, 400, "non-UTF-8 payload");
  t.equal((await get("basic " + Buffer.from("u:p:w").toString("base64"))).status, 200, "scheme is case-insensitive");
  // Two requests on one HTTP/1.1 connection, then the 401 closes it.
  const xml = encodeMethodCall("fake.echo", ["one"]);
  const req = (a: string) => `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${a}\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`;
  const { rawExchange } = await import("../helpers/rpc-test-server.js");
  const raw = (await rawExchange({ port: s.port }, req(basic("u", "p:w")) + req(basic("u", "p:w")) + req("Basic eDp5") + req(basic("u", "p:w")))).toString();
  t.equal(raw.match(/HTTP\/1\.1 200 OK/g)?.length, 2, "keep-alive served both calls");
  t.equal(raw.match(/HTTP\/1\.1 401/g)?.length, 1, "then 401 and the connection closed");
  // HTTP/1.0 without keep-alive: one answer, then close.
  const r10 = await rawRequest({ port: s.port }, `GET /ok.html HTTP/1.0\r\nAuthorization: ${basic("u", "p:w")}\r\n\r\n`);
  t.equal(r10.status, 200);
});

t.test("deferred calls do not block other clients; garbage gets 400", async (t) => {
  const s = await startTestServers();
  t.teardown(() => s.stop());
  const post = (xml: string) =>
    rawRequest({ path: s.socket }, `POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`);
  const slow = post(encodeMethodCall("fake.wait", ["A"]));
  const fast = await post(encodeMethodCall("fake.echo", ["quick"]));
  t.same(decodeMethodResponse(fast.body), { kind: "ok", value: "quick" }, "answered while another call waits");
  s.release();
  t.same(decodeMethodResponse((await slow).body), { kind: "ok", value: "released A" });
  const garbage = await rawRequest({ path: s.socket }, "THIS IS NOT HTTP\r\n\r\n");
  t.equal(garbage.status, 400);
  t.equal(garbage.body.toString(), errorBody(400));
  const tooBig = await rawRequest(
    { path: s.socket },
    `POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n<methodCall>`,
  );
  t.equal(tooBig.status, 413, "oversized body refused before reading it");
  const methodOk = await post(encodeMethodCall("fake.echo", ["after"]));
  t.same(decodeMethodResponse(methodOk.body), { kind: "ok", value: "after" });
});

t.test("routes added later, upgrade, and closing", async (t) => {
  const s = await startTestServers();
  s.router.addRoute({
    name: "hello",
    match: { exact: "/hello world" },
    handle: ({ res, query }) => {
      const body = `hi ${query}`;
      res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": body.length });
      res.end(body);
    },
  });
  s.router.addUpgrade({
    name: "ws",
    match: { prefix: "/ws" },
    handle: (_req, socket) => socket.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\nupgraded"),
  });
  const r = await rawRequest({ port: s.port }, "GET /hello%20world?a=b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  t.equal(r.body.toString(), "hi a=b");
  const up = await rawRequest({ port: s.port }, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n");
  t.equal(up.status, 101);
  t.equal(up.body.toString(), "upgraded");
  const noUp = await rawRequest({ port: s.port }, "GET /other HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n");
  t.equal(noUp.status, 404);
  await s.stop();
  t.notOk(existsSync(s.socket), "socket file unlinked on close");
});
