/**
 * Fuzz: hostile input against the codec and the live HTTP servers. Over 10,000 malformed or
 * hostile requests (broken XML, deep nesting, huge strings, wrong types, bad auth, garbage
 * request lines, slow and partial clients); every answer must be a well-formed HTTP response
 * with an expected status, every 200 a well-formed XML-RPC document, and afterwards the servers
 * still answer a good request. Deterministic (seeded), bounded in time.
 */
import t from "tap";
import { Agent, request } from "node:http";
import { connect, type Socket } from "node:net";
import {
  decodeMethodCall,
  decodeMethodResponse,
  encodeMethodCall,
  XmlRpcParseError,
  type RpcValue,
} from "../../src/supervisord/rpc/codec.js";
import { rawRequest, startTestServers } from "../helpers/rpc-test-server.js";

let seed = 0x5eed;
function rnd(): number {
  // xorshift32
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (n: number): number => Math.floor(rnd() * n);

const METHODS = ["fake.echo", "fake.add", "fake.fault", "fake.ctrl", "system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall", "nope.x", "a.b.c", "fake._x", ""];
const TAGS = ["value", "string", "int", "i4", "i8", "double", "boolean", "array", "data", "struct", "member", "name", "base64", "nil", "dateTime.iso8601", "params", "param", "methodName", "methodCall"];

function randomValue(depth: number): RpcValue {
  switch (int(depth > 3 ? 5 : 8)) {
    case 0:
      return int(2 ** 31) - 2 ** 30;
    case 1:
      return String.fromCharCode(...Array.from({ length: int(20) }, () => int(0x3000)));
    case 2:
      return rnd() < 0.5;
    case 3:
      return rnd() * 1e6;
    case 4:
      return Buffer.from([int(256), int(256)]);
    case 5:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    case 6:
      return Object.fromEntries(Array.from({ length: int(4) }, (_, i) => [`k${i}`, randomValue(depth + 1)]));
    default:
      return [{ methodName: pick(METHODS), params: [randomValue(depth + 1)] }];
  }
}

function mutate(doc: string): string {
  let s = doc;
  for (let n = 1 + int(3); n > 0; n--) {
    const i = int(s.length + 1);
    switch (int(8)) {
      case 0:
        s = s.slice(0, i) + s.slice(i + int(20));
        break;
      case 1:
        s = s.slice(0, i) + s.slice(Math.max(0, i - 30), i) + s.slice(i);
        break;
      case 2:
        s = s.slice(0, i) + `<${pick(TAGS)}>` + s.slice(i);
        break;
      case 3:
        s = s.slice(0, i) + `</${pick(TAGS)}>` + s.slice(i);
        break;
      case 4:
        s = s.slice(0, i) + String.fromCharCode(int(0x20)) + s.slice(i);
        break;
      case 5:
        s = s.slice(0, i) + pick(["&", "&amp", "&#0;", "&#xD800;", "]]>", "<![CDATA[", "<!DOCTYPE x>", "<?pi?>", "\uFFFF", "\uD800"]) + s.slice(i);
        break;
      case 6:
        s = s.replace(pick(TAGS), pick(TAGS));
        break;
      default:
        s = s.slice(0, i);
    }
  }
  return s;
}

function hostileDoc(): string {
  switch (int(10)) {
    case 0:
      return "<methodCall><methodName>fake.echo</methodName><params><param>" + "<value><array><data>".repeat(200 + int(2000)) + "</params></methodCall>";
    case 1:
      return encodeMethodCall("fake.echo", ["y".repeat(int(8) === 0 ? 1_000_000 : 10_000 + int(90_000))]);
    case 2:
      return encodeMethodCall("fake.add", [randomValue(0), randomValue(0)]);
    case 3:
      return encodeMethodCall(pick(METHODS), Array.from({ length: int(4) }, () => randomValue(0)));
    case 4:
      return encodeMethodCall("system.multicall", [Array.from({ length: int(50) }, () => ({ methodName: pick(METHODS), params: [randomValue(2)] }))]);
    case 5:
      return `<!DOCTYPE m [<!ENTITY a "${"a".repeat(100)}"><!ENTITY b "&a;&a;&a;&a;&a;">]><methodCall><methodName>&b;</methodName></methodCall>`;
    case 6:
      return "<methodCall>" + "<x/>".repeat(int(5000)) + "<methodName>fake.echo</methodName></methodCall>";
    default:
      return mutate(encodeMethodCall(pick(METHODS), Array.from({ length: int(3) }, () => randomValue(0))));
  }
}

t.test("codec: 20,000 mutated documents only ever give a value or XmlRpcParseError", async (t) => {
  let parsed = 0;
  let refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const doc = i % 50 === 0 ? hostileDoc() : mutate(encodeMethodCall(pick(METHODS), [randomValue(0)]));
    try {
      decodeMethodCall(doc);
      parsed++;
    } catch (e) {
      if (!(e instanceof XmlRpcParseError)) throw e;
      refused++;
    }
    try {
      decodeMethodResponse(doc.replace(/methodCall/g, "methodResponse"));
    } catch (e) {
      if (!(e instanceof XmlRpcParseError)) throw e;
    }
  }
  t.ok(parsed > 0 && refused > 0, `parsed ${parsed}, refused ${refused}`);
});

t.test("HTTP: 10,000+ hostile requests, then a good one", async (t) => {
  const auth = { username: "fuzz", password: "pw" };
  const s = await startTestServers({ auth, deps: { maxRpcBodyBytes: 2 * 1024 * 1024, headersTimeoutMs: 2000, requestTimeoutMs: 4000 } });
  t.teardown(() => s.stop());
  const good = "Basic " + Buffer.from("fuzz:pw").toString("base64");
  const badAuths = ["Basic " + Buffer.from("fuzz:nope").toString("base64"), "Basic a", "Basic ", "Digest x", "Basic " + Buffer.from("nocolon").toString("base64"), "Basic ////", "\u00ff"];

  // Slow and partial clients held open during the whole run: they must not block anyone.
  const stalled: Socket[] = [];
  for (let i = 0; i < 20; i++) {
    const sock = connect(s.port, "127.0.0.1");
    sock.on("error", () => {});
    sock.write(i % 2 ? "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n" : `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${good}\r\nContent-Length: 100000\r\n\r\n<methodCall>`);
    stalled.push(sock);
  }

  const agent = new Agent({ keepAlive: true, maxSockets: 12 });
  const statuses = new Map<number, number>();
  const count = (st: number) => statuses.set(st, (statuses.get(st) ?? 0) + 1);
  const send = (body: string | null, headers: Record<string, string>, method = "POST", path = "/RPC2"): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: s.port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          count(res.statusCode ?? 0);
          if (res.statusCode === 200 && path.startsWith("/RPC2")) {
            try {
              decodeMethodResponse(Buffer.concat(chunks));
            } catch (e) {
              reject(new Error(`200 with a malformed body for ${body?.slice(0, 200)}: ${String(e)}`));
              return;
            }
          }
          resolve();
        });
      });
      req.on("error", (e) => {
        count(-1);
        // The server may close a connection after 401/413/400; that is not a failure.
        if ((e as NodeJS.ErrnoException).code === "ECONNRESET" || (e as NodeJS.ErrnoException).code === "EPIPE") resolve();
        else reject(e);
      });
      if (body !== null) req.end(body);
      else req.end();
    });

  const N = 10_000;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < N) {
      const i = next++;
      const kind = int(10);
      if (kind === 0) {
        await send(hostileDoc(), { Authorization: pick(badAuths) });
      } else if (kind === 1) {
        await send(null, { Authorization: good }, pick(["GET", "PUT", "DELETE", "HEAD"]), pick(["/RPC2", "/logtail/x", "/mainlogtail", "/%zz", "/%00", "/ok.html", "/" + "a".repeat(int(3000))]));
      } else {
        const body = hostileDoc();
        const headers: Record<string, string> = { Authorization: good, "Content-Type": "text/xml" };
        if (i % 97 === 0) headers["Content-Length"] = String(body.length + 10_000_000);
        await send(body, headers).catch((e: unknown) => {
          if (headers["Content-Length"]) return; // a lying length gets 413 and a closed socket
          throw e;
        });
      }
    }
  };
  const rawGarbage = async (): Promise<void> => {
    const samples = ["GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "POST /RPC2 HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", "\x00\x01\x02\r\n\r\n", "GET /" + "%".repeat(5000) + " HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(5000) + "\r\n"];
    for (let i = 0; i < 300; i++) {
      const r = await rawRequest({ port: s.port }, pick(samples), 5000);
      count(r.status || -2);
    }
  };
  const t0 = Date.now();
  let rawDone = 0;
  await Promise.all([
    Promise.all(Array.from({ length: 12 }, worker)).then(() => t.comment(`http requests done after ${Date.now() - t0} ms`)),
    rawGarbage().then(() => (rawDone = Date.now() - t0)),
  ]);
  t.comment(`raw garbage done after ${rawDone} ms`);
  agent.destroy();
  s.release();

  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  t.ok(total >= 10_000, `sent ${total} requests: ${JSON.stringify([...statuses])}`);
  for (const st of statuses.keys()) t.ok([-1, -2, 200, 400, 401, 404, 408, 411, 413, 431].includes(st), `status ${st} is expected`);
  t.notOk(statuses.has(500), "no internal errors");

  const ok = await rawRequest(
    { port: s.port },
    `POST /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: ${good}\r\nContent-Length: ${Buffer.byteLength(encodeMethodCall("fake.add", [2, 3]))}\r\n\r\n${encodeMethodCall("fake.add", [2, 3])}`,
  );
  t.same(decodeMethodResponse(ok.body), { kind: "ok", value: 5 }, "still answers a good request");
  for (const sock of stalled) sock.destroy();
});
