import t from "tap";
import {
  decodeMethodCall,
  decodeMethodResponse,
  encodeFault,
  encodeMethodCall,
  encodeResponse,
  encodeResponseBytes,
  pythonFloatRepr,
  RpcDouble,
  XmlRpcParseError,
  type RpcValue,
} from "../../src/supervisord/rpc/codec.js";
import { runPython, pythonDumps } from "../helpers/rpc-python.js";

t.test("encodeResponse matches xmlrpc.client.dumps byte for byte", async (t) => {
  const ours = encodeResponse({
    statecode: 1,
    statename: "RUNNING",
    neg: -2147483648,
    text: "a < b && c > d \"q\" 'x' é ☃",
    list: [true, false, 1.5, new RpcDouble(1e16), 1e-5, 0.1, -2.5e-10, new RpcDouble(3), [], {}],
    bin: Buffer.from("hi".repeat(60)),
    when: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)),
  });
  const py = pythonDumps(
    `{'statecode': 1, 'statename': 'RUNNING', 'neg': -2147483648, 'text': "a < b && c > d \\"q\\" 'x' é ☃",` +
      `'list': [True, False, 1.5, 1e16, 1e-5, 0.1, -2.5e-10, 3.0, [], {}], 'bin': x.Binary(b'hi'*60),` +
      `'when': datetime.datetime(2020,1,2,3,4,5)}`,
  );
  t.equal(ours, py);
});

t.test("a large reply with multi-byte text: the bytes sent are the UTF-8 of the document, Python agrees", async (t) => {
  // 2000 structs of mixed text grow the writer many times over; names cross every UTF-8 length.
  const rows = Array.from({ length: 2000 }, (_, i) => ({ name: `p${i} é ☃ 😀`, pid: i, up: i % 2 === 0 }));
  const bytes = encodeResponseBytes(rows);
  t.ok(bytes.equals(Buffer.from(encodeResponse(rows), "utf8")), "bytes and string forms agree");
  const py = pythonDumps(`[{'name': 'p%d é ☃ 😀' % i, 'pid': i, 'up': i % 2 == 0} for i in range(2000)]`);
  t.ok(bytes.equals(Buffer.from(py, "utf8")), "byte for byte what xmlrpc.client.dumps writes");
});

t.test("encodeFault and encodeMethodCall match Python", async (t) => {
  t.equal(
    encodeFault(10, "BAD_NAME: foo"),
    runPython("import sys, xmlrpc.client as x\nsys.stdout.write(x.dumps(x.Fault(10, 'BAD_NAME: foo')))"),
  );
  t.equal(encodeMethodCall("supervisor.startProcess", ["web:*", true]), pythonDumps("'web:*', True", "supervisor.startProcess"));
  t.equal(
    encodeMethodCall("system.listMethods", []),
    runPython("import sys, xmlrpc.client as x\nsys.stdout.write(x.dumps((), 'system.listMethods'))"),
  );
});

t.test("Python reads what we write, including i8, nil and invalid characters", async (t) => {
  const doc = encodeResponse([2 ** 40, -(2 ** 31) - 1, null, "nul\x00 esc\x1b bell\x07 tab\t lf\n lone\ud800 ok😀", { "k&<>": 1 }]);
  const out = runPython(
    "import sys, json, xmlrpc.client as x\nv, m = x.loads(sys.stdin.read())\nprint(json.dumps(v[0]))",
    doc,
  );
  t.same(JSON.parse(out), [
    2 ** 40,
    -(2 ** 31) - 1,
    null,
    "nul\ufffd esc\ufffd bell\ufffd tab\t lf\n lone\ufffd ok😀",
    { "k&<>": 1 },
  ]);
});

t.test("decodeMethodResponse reads Python's output", async (t) => {
  const py = runPython(
    "import sys, xmlrpc.client as x, datetime\n" +
      "sys.stdout.write(x.dumps(([1, 'a&b', True, 2.5, 3.0, None, x.Binary(b'\\x00\\xff'), datetime.datetime(2001,2,3,4,5,6), {'n': {'m': []}}],), methodresponse=True, allow_none=True))",
  );
  const r = decodeMethodResponse(py);
  t.equal(r.kind, "ok");
  if (r.kind !== "ok") return;
  const v = r.value as RpcValue[];
  t.same(v.slice(0, 6), [1, "a&b", true, 2.5, 3, null]);
  t.same(v[6], Buffer.from([0, 255]));
  t.equal((v[7] as Date).toISOString(), "2001-02-03T04:05:06.000Z");
  t.same(v[8], { n: { m: [] } });
  const fault = decodeMethodResponse(
    runPython("import sys, xmlrpc.client as x\nsys.stdout.write(x.dumps(x.Fault(70, 'NOT_RUNNING: web')))"),
  );
  t.same(fault, { kind: "fault", faultCode: 70, faultString: "NOT_RUNNING: web" });
  t.same(decodeMethodResponse("<methodResponse><params><param><value><i8>-9000000000</i8></value></param></params></methodResponse>"), {
    kind: "ok",
    value: -9000000000,
  });
  t.same(decodeMethodResponse("<methodResponse><params><param><value>bare</value></param></params></methodResponse>"), {
    kind: "ok",
    value: "bare",
  });
  t.throws(() => decodeMethodResponse("<methodResponse><params></params></methodResponse>"), XmlRpcParseError);
  t.throws(() => decodeMethodResponse("<methodCall/>"), XmlRpcParseError);
  t.throws(
    () => decodeMethodResponse("<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>"),
    XmlRpcParseError,
  );
  t.throws(() => decodeMethodResponse("<methodResponse><params><param><value>\x00</value></param></params></methodResponse>"), XmlRpcParseError);
});

t.test("decodeMethodCall agrees with supervisord's own lenient loads()", async (t) => {
  const docs = [
    "<methodCall><methodName>a.b</methodName></methodCall>",
    "<methodCall><methodName>a.b</methodName><params/></methodCall>",
    "<?xml version='1.0'?><methodCall><methodName>supervisor.startProcess</methodName><params><param><value><string>web</string></value></param><param><value><boolean>1</boolean></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value>bare text</value></param><param><value></value></param><param><value><string/></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><i8>123</i8></value></param><param><value><int> -7 </int></value></param><param><value><i4>+3</i4></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><boolean>true</boolean></value></param><param><value><boolean>0</boolean></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><double>2.5</double></value></param><param><value><double>1e3</double></value></param><param><value><double>-inf</double></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><base64>aMOpbGxv</base64></value></param><param><value><nil/></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><array><data><value><int>1</int></value><value>two</value><value><array><data/></array></value></data></array></value></param></params></methodCall>",
    "<methodCall><methodName>system.multicall</methodName><params><param><value><array><data><value><struct><member><name>methodName</name><value><string>a.b</string></value></member><member><name>params</name><value><array><data><value><int>1</int></value></data></array></value></member></struct></value></data></array></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><struct><member><name></name><value>v</value></member><member><name>d</name><value>1</value></member><member><name>d</name><value>2</value></member></struct></value></param></params></methodCall>",
    "<methodCall>\n  <methodName>x.y</methodName>\n  <params>\n    <param>\n      <value>\n        <string>ws</string>\n      </value>\n    </param>\n  </params>\n</methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><![CDATA[<raw>&]]></value></param><param><value>a &lt; &#65;&#x42;</value></param></params></methodCall>",
    "<weird><methodName>x.y</methodName><params><param><value><unknown>u</unknown></value></param></params></weird>",
    // failures
    "<methodCall><methodName></methodName></methodCall>",
    "<methodCall><params/></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><int>1.5</int></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><struct><member><name>a</name></member></struct></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName><params><param><value><dateTime.iso8601>bad</dateTime.iso8601></value></param></params></methodCall>",
    "<methodCall><methodName>x.y</methodName>",
    "not xml at all",
    "",
    "<methodCall><methodName>x.y</methodName><params><param><value><base64>/w==</base64></value></param></params></methodCall>",
  ];
  const script = `
import sys, json
from supervisor.xmlrpc import supervisor_xmlrpc_handler
h = supervisor_xmlrpc_handler.__new__(supervisor_xmlrpc_handler)
out = []
for doc in json.load(sys.stdin):
    try:
        params, method = h.loads(doc)
        out.append({'ok': True, 'method': method, 'params': list(params) if params is not None else None})
    except Exception as e:
        out.append({'ok': False})
print(json.dumps(out, default=str, allow_nan=True))
`;
  const expected = JSON.parse(runPython(script, JSON.stringify(docs)).replace(/-Infinity/g, '"-inf"')) as {
    ok: boolean;
    method?: string | null;
    params?: unknown[] | null;
  }[];
  docs.forEach((doc, i) => {
    const exp = expected[i]!;
    let ours: ReturnType<typeof decodeMethodCall> | XmlRpcParseError;
    try {
      ours = decodeMethodCall(doc);
    } catch (e) {
      t.type(e, XmlRpcParseError, doc);
      ours = e as XmlRpcParseError;
    }
    if (!exp.ok || !exp.method) {
      t.ok(ours instanceof XmlRpcParseError, `refused: ${doc}`);
      if (ours instanceof XmlRpcParseError) t.equal(ours.reason, exp.ok ? "no method name" : "unmarshallable", doc);
      return;
    }
    t.notOk(ours instanceof XmlRpcParseError, `accepted: ${doc}`);
    if (ours instanceof XmlRpcParseError) return;
    t.equal(ours.methodName, exp.method, doc);
    const normalised = JSON.parse(
      JSON.stringify(ours.params, (_k, v) => (v === -Infinity ? "-inf" : v)),
    ) as unknown;
    t.same(normalised, exp.params ?? [], doc);
  });
});

t.test("decodeMethodCall refuses hostile documents quickly", async (t) => {
  t.throws(() => decodeMethodCall("<methodCall>" + "<value>".repeat(100_000)), XmlRpcParseError);
  t.throws(
    () => decodeMethodCall(`<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><methodCall><methodName>&b;</methodName></methodCall>`),
    XmlRpcParseError,
  );
  t.throws(() => decodeMethodCall(Buffer.from([0x3c, 0xff, 0xfe])), XmlRpcParseError);
  t.throws(
    () => decodeMethodCall("<methodCall>" + "<x/>".repeat(50) + "</methodCall>", { maxDepth: 10, maxElements: 20 }),
    /too many elements/,
  );
});

t.test("pythonFloatRepr equals repr() for many floats", async (t) => {
  const values: number[] = [0, -0, 1, -1, 0.5, 1e15, 1e16, 123456789012345678, 1e-4, 1e-5, 5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity, 0.1 + 0.2];
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 300; i++) values.push((rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20));
  const py = runPython(
    "import sys, json\nfor v in json.load(sys.stdin): print(repr(float(v)))",
    JSON.stringify(values.map((v) => (Number.isFinite(v) ? (Object.is(v, -0) ? "-0.0" : v.toString()) : String(v).replace("Infinity", "inf")))),
  ).trim().split("\n");
  t.same(values.map(pythonFloatRepr), py);
});
