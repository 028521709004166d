/**
 * The Java client's Supervisor half (org.supvisors.rpc.SupervisorXmlRpc / SystemXmlRpc and the
 * org.supvisors.common Supervisor* classes) against OUR supervisord and the REAL one (Debian's
 * 4.2.5), both run from the same configuration. SupervisorCheck (clients/java/test) calls every
 * method and prints, per call, the typed result rebuilt from its getters; this file makes the same
 * calls over XML-RPC itself and expects:
 *   (a) each Java line to equal the same call's raw answer from that daemon, projected on the
 *       fields the Java class exposes (time-varying fields normalised);
 *   (b) ours and real to give the same Java lines, once normalised;
 *   (c) faults by their code (BAD_NAME, NOT_RUNNING, ALREADY_STARTED, ...);
 *   (d) HTTP 401 for a call without, or with wrong, credentials on the protected inet server;
 *   (e) the unix socket transport to answer as the inet one does;
 *   (f) multicall to carry results and faults item by item;
 * and supervisor.restart / supervisor.shutdown to answer true and do what they say.
 * A fake server checks the value mapping of rpcCall (Apache XML-RPC 3.1.3's: i4 → Integer, i8 →
 * Long, struct → HashMap, array → Object[], ...), the request the client writes, chunked answers
 * over the unix socket, and the exception of a fault, a non-200 answer, a DTD and a non-XML body.
 */
import t from "tap";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileJava, javaMissing, runJava } from "../helpers/java.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { hasReal, OUR_SUPERVISORD, RpcError, TestDaemon, type DaemonKind } from "../helpers/daemon.js";
import { decodeMethodCall, type RpcValue } from "../../src/supervisord/rpc/codec.js";

const USER = "javauser";
const PASSWORD = "s3cret";
const MAIN = "org.supvisors.test.SupervisorCheck";

/** talker writes its two lines on its first start only, so that later restarts leave its logs alone. */
const programs = (port: number) => `[inet_http_server]
port = 127.0.0.1:${port}
username = ${USER}
password = ${PASSWORD}

[program:talker]
command = /bin/sh -c "[ -e {dir}/talked ] || { echo out-line; echo err-line 1>&2; touch {dir}/talked; }; exec /bin/sleep 1000"
startsecs = 0
stdout_logfile = {dir}/talker.out
stderr_logfile = {dir}/talker.err

[program:sleeper]
command = /bin/sleep 1000
startsecs = 0
stdout_logfile = {dir}/sleeper.out
stderr_logfile = {dir}/sleeper.err

[program:cat]
command = /bin/cat
startsecs = 0
stdout_logfile = {dir}/cat.out
stderr_logfile = {dir}/cat.err

[program:idle]
command = /bin/sleep 1000
autostart = false
startsecs = 0
stdout_logfile = {dir}/idle.out
stderr_logfile = {dir}/idle.err

[program:multi]
command = /bin/sleep 1000
numprocs = 2
process_name = %(program_name)s_%(process_num)d
startsecs = 0
stdout_logfile = {dir}/multi_%(process_num)d.out
stderr_logfile = {dir}/multi_%(process_num)d.err
`;

// ---- the TypeScript side of each Java call: the same XML-RPC call, projected as SupervisorCheck prints it

type Json = unknown;
type Project = (v: RpcValue) => Json;
/** label (as SupervisorCheck prints it), method (null: refused by the Java client itself), params, projection */
type Step = readonly [string, string | null, RpcValue[], Project];

const struct = (v: RpcValue) => v as Record<string, RpcValue>;
const pick =
  (...keys: string[]): Project =>
  (v) =>
    Object.fromEntries(keys.map((k) => [k, struct(v)[k] ?? null]));
const namespec = (s: Record<string, RpcValue>) => (s.group === s.name ? String(s.name) : `${s.group}:${s.name}`);
const keyed =
  (project: Project): Project =>
  (v) =>
    Object.fromEntries((v as RpcValue[]).map((item) => [namespec(struct(item)), project(item)]));
const raw: Project = (v) => v;
const stateOf = pick("statename");
const processInfo = pick("name", "group", "description", "start", "stop", "now", "statename", "spawnerr", "exitstatus", "logfile", "stdout_logfile", "stderr_logfile", "pid");
const configInfo = pick("name", "group", "inuse", "autostart", "process_prio", "group_prio");
const status = keyed(pick("name", "group", "description", "status"));

const READ: readonly Step[] = [
  ["getAPIVersion", "supervisor.getAPIVersion", [], raw],
  ["getVersion", "supervisor.getVersion", [], raw],
  ["getSupervisorVersion", "supervisor.getSupervisorVersion", [], raw],
  ["getIdentification", "supervisor.getIdentification", [], raw],
  ["getState", "supervisor.getState", [], stateOf],
  ["getPID", "supervisor.getPID", [], raw],
  ["readLog", "supervisor.readLog", [0, 4], raw],
  ["readMainLog", "supervisor.readMainLog", [0, 4], raw],
  ["getProcessInfo(talker)", "supervisor.getProcessInfo", ["talker"], processInfo],
  ["getProcessInfo(idle)", "supervisor.getProcessInfo", ["idle"], processInfo],
  ["getProcessInfo(multi:multi_1)", "supervisor.getProcessInfo", ["multi:multi_1"], processInfo],
  ["getProcessInfo(nosuch)", "supervisor.getProcessInfo", ["nosuch"], processInfo],
  ["getAllProcessInfo", "supervisor.getAllProcessInfo", [], keyed(processInfo)],
  ["getAllConfigInfo", "supervisor.getAllConfigInfo", [], keyed(configInfo)],
  ["readProcessStdoutLog", "supervisor.readProcessStdoutLog", ["talker", 0, 0], raw],
  ["readProcessLog", "supervisor.readProcessLog", ["talker", 0, 0], raw],
  ["readProcessStderrLog", "supervisor.readProcessStderrLog", ["talker", 0, 0], raw],
  ["readProcessStdoutLog(nosuch)", "supervisor.readProcessStdoutLog", ["nosuch", 0, 0], raw],
  ["tailProcessStdoutLog", "supervisor.tailProcessStdoutLog", ["talker", 0, 100], raw],
  ["tailProcessLog", "supervisor.tailProcessLog", ["talker", 0, 4], raw],
  ["tailProcessStderrLog", "supervisor.tailProcessStderrLog", ["talker", 0, 100], raw],
  ["listMethods", "system.listMethods", [], raw],
  ["methodHelp", "system.methodHelp", ["supervisor.getState"], raw],
  ["methodSignature", "system.methodSignature", ["supervisor.startProcess"], raw],
  ["methodSignature(nosuch)", "system.methodSignature", ["supervisor.nosuch"], raw],
  [
    "multicall",
    "system.multicall",
    [
      [
        { methodName: "supervisor.getAPIVersion" },
        { methodName: "supervisor.getProcessInfo", params: ["nosuch"] },
        { methodName: "system.methodSignature", params: ["supervisor.getPID"] },
        { methodName: "supervisor.readProcessStdoutLog", params: ["talker", 0, 0] },
      ],
    ],
    raw,
  ],
];

const ACT: readonly Step[] = [
  ["stopProcess(sleeper)", "supervisor.stopProcess", ["sleeper", true], raw],
  ["stopProcess(sleeper) again", "supervisor.stopProcess", ["sleeper", true], raw],
  ["startProcess(sleeper)", "supervisor.startProcess", ["sleeper", true], raw],
  ["startProcess(sleeper) again", "supervisor.startProcess", ["sleeper", true], raw],
  ["startProcess(nosuch)", "supervisor.startProcess", ["nosuch", true], raw],
  ["startProcess(multi:*)", null, [], raw],
  ["stopProcessGroup", "supervisor.stopProcessGroup", ["multi", true], status],
  ["startProcessGroup", "supervisor.startProcessGroup", ["multi", true], status],
  ["startProcessGroup(nosuch)", "supervisor.startProcessGroup", ["nosuch", true], status],
  ["signalProcess", "supervisor.signalProcess", ["sleeper", "CONT"], raw],
  ["signalProcess(bad signal)", "supervisor.signalProcess", ["sleeper", "NOSUCH"], raw],
  ["signalProcess(idle)", "supervisor.signalProcess", ["idle", "CONT"], raw],
  ["signalProcessGroup", "supervisor.signalProcessGroup", ["multi", "CONT"], status],
  ["signalAllProcesses", "supervisor.signalAllProcesses", ["CONT"], status],
  ["sendProcessStdin", "supervisor.sendProcessStdin", ["cat", "hello\n"], raw],
  ["sendProcessStdin(idle)", "supervisor.sendProcessStdin", ["idle", "hello\n"], raw],
  ["sendRemoteCommEvent", "supervisor.sendRemoteCommEvent", ["java", "data"], raw],
  ["removeProcessGroup(sleeper)", "supervisor.removeProcessGroup", ["sleeper"], raw],
  ["removeProcessGroup(idle)", "supervisor.removeProcessGroup", ["idle"], raw],
  ["reloadConfig", "supervisor.reloadConfig", [], raw],
  ["addProcessGroup(idle)", "supervisor.addProcessGroup", ["idle"], raw],
  ["addProcessGroup(idle) again", "supervisor.addProcessGroup", ["idle"], raw],
  ["addProcessGroup(nosuch)", "supervisor.addProcessGroup", ["nosuch"], raw],
  ["stopAllProcesses", "supervisor.stopAllProcesses", [true], status],
  ["startAllProcesses", "supervisor.startAllProcesses", [true], status],
  ["stopProcess(idle)", "supervisor.stopProcess", ["idle", true], raw],
  ["clearProcessLogs", "supervisor.clearProcessLogs", ["talker"], raw],
  ["clearProcessLog", "supervisor.clearProcessLog", ["talker"], raw],
  ["clearProcessLogs(nosuch)", "supervisor.clearProcessLogs", ["nosuch"], raw],
  ["clearAllProcessLogs", "supervisor.clearAllProcessLogs", [], status],
  ["clearLog", "supervisor.clearLog", [], raw],
];

/** Faults each daemon must answer, by the label of the call (c). */
const FAULTS: Record<string, number> = {
  "getProcessInfo(nosuch)": 10, // BAD_NAME
  "readProcessStdoutLog(nosuch)": 10,
  "methodSignature(nosuch)": 4, // SIGNATURE_UNSUPPORTED (what supervisord answers for an unknown method here)
  "stopProcess(sleeper) again": 70, // NOT_RUNNING
  "startProcess(sleeper) again": 60, // ALREADY_STARTED
  "startProcess(nosuch)": 10,
  "startProcessGroup(nosuch)": 10,
  "signalProcess(bad signal)": 11, // BAD_SIGNAL
  "signalProcess(idle)": 70,
  "sendProcessStdin(idle)": 70,
  "removeProcessGroup(sleeper)": 91, // STILL_RUNNING
  "addProcessGroup(idle) again": 90, // ALREADY_ADDED
  "addProcessGroup(nosuch)": 10,
  "clearProcessLogs(nosuch)": 10,
};

async function replay(d: TestDaemon, steps: readonly Step[]): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  for (const [label, method, params, project] of steps) {
    if (method === null) {
      out.set(label, { illegal: true });
      continue;
    }
    try {
      out.set(label, JSON.parse(JSON.stringify(project(await d.rpc(method, ...params)))));
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      out.set(label, { fault: e.faultCode });
    }
  }
  return out;
}

function parseLines(stdout: string): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const line of stdout.split("\n").filter((l) => l.length > 0)) {
    const tab = line.indexOf("\t");
    out.set(line.slice(0, tab), JSON.parse(line.slice(tab + 1)));
  }
  return out;
}

const TIME_KEYS = new Set(["now", "start", "stop", "pid"]);

/** Time- and run-dependent values replaced by placeholders, the daemon's dir by {dir}. */
function normalise(v: Json, dir: string, key = ""): Json {
  if (typeof v === "number") return TIME_KEYS.has(key) && v !== 0 ? "<n>" : v;
  if (typeof v === "string") {
    return v
      .split(dir)
      .join("{dir}")
      .replace(/^pid \d+, uptime \d+:\d\d:\d\d$/, "pid <pid>, uptime <uptime>")
      .replace(/^[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M$/, "<date>");
  }
  if (Array.isArray(v)) return v.map((x) => normalise(x, dir));
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x, dir, k)]));
  }
  return v;
}

const normaliseAll = (m: Map<string, Json>, dir: string) =>
  Object.fromEntries([...m].map(([label, v]) => [label, label === "getPID" && typeof v === "number" ? "<pid>" : normalise(v, dir)]));

async function pollUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // not answering yet (starting, restarting)
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every autostart process RUNNING and talker's two lines in its logs. */
async function settled(d: TestDaemon): Promise<boolean> {
  const all = (await d.rpc("supervisor.getAllProcessInfo")) as Record<string, RpcValue>[];
  const running = all.filter((p) => p.name !== "idle").every((p) => p.statename === "RUNNING");
  return running && all.length === 6;
}

interface Outcome {
  readonly kind: DaemonKind;
  readonly dir: string;
  readonly java: Record<string, Map<string, Json>>;
  readonly ts: Record<string, Map<string, Json>>;
  readonly stderr: string[];
}

// ---- the fake server of the codec subtest: canned answers by method name

const EX = `xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"`;
const member = (name: string, value: string) => `<member><name>${name}</name><value>${value}</value></member>`;
const response = (value: string) => `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value>${value}</value>\n</param>\n</params>\n</methodResponse>\n`;
const TYPES = response(
  "<struct>\n" +
    [
      member("i4", "<i4>-5</i4>"),
      member("int", "<int>2147483647</int>"),
      member("i8", "<i8>1099511627776</i8>"),
      member("exi8", `<ex:i8 ${EX}>-9</ex:i8>`),
      member("double", "<double>-0.25</double>"),
      member("true", "<boolean>1</boolean>"),
      member("false", "<boolean>0</boolean>"),
      member("string", "<string> a&amp;b &lt;c&gt; &#233;\u20ac</string>"),
      member("untyped", " raw text "),
      member("emptystring", "<string/>"),
      member("emptyvalue", ""),
      member("base64", "<base64>AAEC\n/w==</base64>"),
      member("date", "<dateTime.iso8601>19700102T03:04:05</dateTime.iso8601>"),
      member("nil", "<nil/>"),
      member("exnil", `<ex:nil ${EX}/>`),
      member("array", "<array><data>\n<value><int>1</int></value>\n<value>two</value>\n<value><array><data/></array></value>\n</data></array>"),
      member("struct", "<struct>" + member("k", "<boolean>1</boolean>") + "</struct>"),
      member("emptystruct", "<struct/>"),
    ].join("\n") +
    "\n</struct>",
);
const FAULT =
  "<?xml version='1.0'?>\n<methodResponse><fault><value><struct>" +
  member("faultCode", "<int>42</int>") +
  member("faultString", "<string>X: y</string>") +
  "</struct></value></fault></methodResponse>";
const DOCTYPE = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><methodResponse><params><param><value><string>&e;</string></value></param></params></methodResponse>`;

interface Recorded {
  readonly url: string | undefined;
  readonly method: string | undefined;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly bytes: Buffer;
}

/** Answers by method name; the echo method answers the array of the parameters it was sent. */
function fakeHandler(recorded: Recorded[], chunked: boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => {
      const bytes = Buffer.concat(parts);
      const body = bytes.toString("utf8");
      recorded.push({ url: req.url, method: req.method, headers: req.headers, body, bytes });
      const name = /<methodName>([^<]*)<\/methodName>/.exec(body)?.[1];
      if (name === "http500") {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("boom");
        return;
      }
      const params = /<params>([\s\S]*)<\/params>/.exec(body)?.[1] ?? "";
      const answer =
        name === "types" ? TYPES
        : name === "echo" ? response(`<array><data>${params.replaceAll("<param>", "").replaceAll("</param>", "")}</data></array>`)
        : name === "fault" ? FAULT
        : name === "doctype" ? DOCTYPE
        : "this is not XML";
      res.statusCode = 200;
      res.setHeader("Content-Type", "text/xml");
      if (chunked) {
        // no Content-Length: Node sends the two writes as chunks
        const cut = Math.floor(answer.length / 2);
        res.write(answer.slice(0, cut));
        res.end(answer.slice(cut));
      } else {
        res.end(answer);
      }
    });
  };
}

const listen = (server: Server, where: number | string) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (typeof where === "number") server.listen(where, "127.0.0.1", () => resolve());
    else server.listen(where, () => resolve());
  });

const cls = (c: string, value: Json) => ({ class: c, value });
const NULL = { class: null, value: null };
const EXPECTED_TYPES = cls("HashMap", {
  i4: cls("Integer", -5),
  int: cls("Integer", 2147483647),
  i8: cls("Long", 1099511627776),
  exi8: cls("Long", -9),
  double: cls("Double", -0.25),
  true: cls("Boolean", true),
  false: cls("Boolean", false),
  string: cls("String", " a&b <c> \u00e9\u20ac"),
  untyped: cls("String", " raw text "),
  emptystring: cls("String", ""),
  emptyvalue: cls("String", ""),
  base64: cls("byte[]", "AAEC/w=="),
  date: cls("Date", (24 * 3600 + 3 * 3600 + 4 * 60 + 5) * 1000),
  nil: NULL,
  exnil: NULL,
  array: cls("Object[]", [cls("Integer", 1), cls("String", "two"), cls("Object[]", [])]),
  struct: cls("HashMap", { k: cls("Boolean", true) }),
  emptystruct: cls("HashMap", {}),
});
const ECHO_TEXT = "a<b&c>]]>\r\n\t \u00e9\u20ac";
const EXPECTED_ECHO = cls("Object[]", [
  cls("Integer", 7),
  cls("Long", 2 ** 40),
  cls("Double", 1.5),
  cls("Double", 2.5),
  cls("Boolean", true),
  cls("Boolean", false),
  cls("String", ECHO_TEXT),
  cls("String", ""),
  cls("byte[]", "AAEC/w=="),
  cls("Date", 31536000000),
  cls("HashMap", { empty: cls("Object[]", []), list: cls("Object[]", [cls("Integer", 1), cls("String", "x")]) }),
  cls("Object[]", [NULL, cls("String", "y")]),
  NULL,
]);
const transportError = (message: RegExp) => ({ isFault: false, code: 0, http: 0, message });

const missing = javaMissing() ?? (hasReal ? null : "/usr/bin/supervisord missing") ?? (existsSync(OUR_SUPERVISORD) ? null : `${OUR_SUPERVISORD} missing (node scripts/build.mjs)`);
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  const compiled = compileJava();
  t.teardown(() => compiled.cleanup());
  if (compiled.failure) {
    t.fail("javac", { output: compiled.failure.slice(0, 4000) });
  } else {
    const daemons: TestDaemon[] = [];
    t.teardown(async () => {
      for (const d of daemons) {
        await d.stop();
        d.cleanup();
      }
    });

    const java = async (args: string[], out: string[]): Promise<Map<string, Json>> => {
      const r = await runJava(["-cp", compiled.classpath, MAIN, ...args], 60_000);
      if (r.status !== 0 || r.stderr.trim()) out.push(`${args.join(" ")}: status ${r.status}\n${r.stderr}`);
      return parseLines(r.stdout);
    };

    const exercise = async (kind: DaemonKind): Promise<Outcome> => {
      const port = await freePort();
      const d = new TestDaemon(kind, { programs: programs(port) });
      daemons.push(d);
      await d.start();
      await pollUntil(`${kind} processes running`, () => settled(d));
      await pollUntil(`${kind} talker output`, async () => {
        const [o, e] = await Promise.all([d.rpc("supervisor.readProcessStdoutLog", "talker", 0, 0), d.rpc("supervisor.readProcessStderrLog", "talker", 0, 0)]);
        return o === "out-line\n" && e === "err-line\n";
      });
      const tcp = (user: string, password: string, mode: string) => ["tcp", "127.0.0.1", String(port), user, password, mode];
      const stderr: string[] = [];
      const javaOut: Record<string, Map<string, Json>> = {};
      const tsOut: Record<string, Map<string, Json>> = {};
      javaOut.read = await java(tcp(USER, PASSWORD, "read"), stderr);
      tsOut.read = await replay(d, READ);
      javaOut.act = await java(tcp(USER, PASSWORD, "act"), stderr);
      await pollUntil(`${kind} settled after the Java calls`, () => settled(d));
      tsOut.act = await replay(d, ACT);
      await pollUntil(`${kind} settled after the TypeScript calls`, () => settled(d));
      javaOut.unix = await java(["unix", d.sock, "read"], stderr);
      tsOut.unix = await replay(d, READ);
      javaOut.noauth = await java(tcp("-", "-", "noauth"), stderr);
      javaOut.badauth = await java(tcp(USER, "wrong", "noauth"), stderr);
      const pidBefore = await d.rpc("supervisor.getPID");
      javaOut.restart = await java(tcp(USER, PASSWORD, "restart"), stderr);
      // back once it answers RUNNING with its processes started again
      await pollUntil(`${kind} back after restart`, async () => struct(await d.rpc("supervisor.getState")).statename === "RUNNING" && (await settled(d)));
      tsOut.restart = new Map([["getPID", (await d.rpc("supervisor.getPID")) === pidBefore]]);
      javaOut.shutdown = await java(tcp(USER, PASSWORD, "shutdown"), stderr);
      tsOut.shutdown = new Map([["exit", await d.waitExit(20_000)]]);
      return { kind, dir: d.dir, java: javaOut, ts: tsOut, stderr };
    };

    t.test("rpcCall: value mapping, request, transports and failures (fake server)", async (t) => {
      // the client writes and reads dateTime.iso8601 in local time, as Apache does: pin it for the JVM
      process.env.TZ = "UTC";
      const dir = mkdtempSync(join(tmpdir(), "sv-java-fake-"));
      const socket = join(dir, "fake.sock");
      const tcpSeen: Recorded[] = [];
      const unixSeen: Recorded[] = [];
      const tcp = createServer(fakeHandler(tcpSeen, false));
      const unix = createServer(fakeHandler(unixSeen, true));
      t.teardown(async () => {
        await Promise.all([tcp, unix].map((s) => new Promise((r) => s.close(r))));
        rmSync(dir, { recursive: true, force: true });
      });
      const port = await freePort();
      await Promise.all([listen(tcp, port), listen(unix, socket)]);
      const stderr: string[] = [];
      const overTcp = await java(["tcp", "127.0.0.1", String(port), USER, PASSWORD, "codec"], stderr);
      const overUnix = await java(["unix", socket, "codec", USER, PASSWORD], stderr);
      t.same(stderr, [], "SupervisorCheck codec exits 0 with nothing on stderr");
      for (const [transport, lines] of [["tcp", overTcp], ["unix (chunked answers)", overUnix]] as const) {
        t.same(lines.get("types"), EXPECTED_TYPES, `${transport}: every XML-RPC type read as Apache maps it`);
        t.same(lines.get("echo"), EXPECTED_ECHO, `${transport}: every parameter type written and read back`);
        t.same(lines.get("fault"), { isFault: true, code: 42, http: 0, message: "X: y" }, `${transport}: a fault gives its code and string`);
        t.match(lines.get("http500"), { isFault: false, code: 0, http: 500 }, `${transport}: non-200 → getHttpStatus()`);
        t.match(lines.get("doctype"), transportError(/^Failed to parse/), `${transport}: a DTD is refused (no entity expansion)`);
        t.match(lines.get("garbage"), transportError(/^Failed to parse/), `${transport}: a non-XML body is a parse error`);
        t.match(lines.get("mismatch"), transportError(/HashMap, not a String/), `${transport}: a result of another type than asked`);
        t.match(lines.get("unserializable"), transportError(/^Failed to serialize/), `${transport}: a parameter XML-RPC cannot carry`);
      }
      const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
      // the unserializable call never leaves the client: 7 requests per transport
      t.equal(tcpSeen.length, 7, "tcp: one request per call sent");
      t.equal(unixSeen.length, 7, "unix: one request per call sent");
      for (const r of [...tcpSeen, ...unixSeen]) {
        t.match(r, { url: "/RPC2", method: "POST", headers: { "content-type": "text/xml", authorization: basic } }, "POST /RPC2, text/xml, Basic credentials");
      }
      const echo = tcpSeen.find((r) => r.body.includes("<methodName>echo</methodName>"));
      // Our server's decoder reads a base64 as text (as supervisord's handlers take it), which bytes
      // 0,1,2,255 are not: the base64 is checked as written, and stands in as a string for the rest.
      t.match(echo?.body, /<value><base64>AAEC\/w==<\/base64><\/value>/, "byte[] as base64");
      const rest = Buffer.from((echo?.body ?? "").replace("<base64>AAEC/w==</base64>", "<string>B64</string>"), "utf8");
      t.same(
        echo && decodeMethodCall(rest).params,
        [7, 2 ** 40, 1.5, 2.5, true, false, ECHO_TEXT, "", "B64", new Date(31536000000), { list: [1, "x"], empty: [] }, [null, "y"], null],
        "the request decodes (with our server's decoder) to the parameters given",
      );
      t.match(echo?.body, /<i4>7<\/i4>.*<i8>1099511627776<\/i8>.*<nil\/>/s, "Integer as i4, Long as i8, null as nil");
    });

    t.test("SupervisorXmlRpc / SystemXmlRpc against ours and the real supervisord", async (t) => {
      const outcomes = await Promise.all([exercise("ours"), exercise("real")]);
      for (const o of outcomes) {
        t.same(o.stderr, [], `${o.kind}: every Java run exits 0 with nothing on stderr`);
        // (a) the Java lines are the same calls' answers, through the getters
        for (const phase of ["read", "act", "unix"]) {
          t.same([...o.java[phase].keys()], [...o.ts[phase].keys()], `${o.kind} ${phase}: one Java line per call, in order`);
          t.same(normaliseAll(o.java[phase], o.dir), normaliseAll(o.ts[phase], o.dir), `${o.kind} ${phase}: Java results = raw XML-RPC answers`);
        }
        // strict on what does not vary: the unix transport gives what the inet one gave
        t.same(o.java.unix.get("getAllConfigInfo"), o.java.read.get("getAllConfigInfo"), `${o.kind}: unix socket = inet (e)`);
        t.same(o.java.unix.get("getPID"), o.java.read.get("getPID"), `${o.kind}: same daemon over the unix socket (e)`);
        t.equal(o.java.read.get("getPID"), o.ts.read.get("getPID"), `${o.kind}: the Java getPID is the daemon's`);
        // (c) faults by code
        for (const [label, code] of Object.entries(FAULTS)) {
          const line = o.java.read.get(label) ?? o.java.act.get(label);
          t.same(line, { fault: code }, `${o.kind}: ${label} is fault ${code}`);
        }
        t.same(o.java.act.get("startProcess(multi:*)"), { illegal: true }, `${o.kind}: startProcess refuses a group namespec before calling`);
        // (d) refused without, or with wrong, credentials
        t.same(o.java.noauth.get("getState"), { http: 401 }, `${o.kind}: no credentials → getHttpStatus() 401`);
        t.same(o.java.badauth.get("getState"), { http: 401 }, `${o.kind}: wrong password → getHttpStatus() 401`);
        // (f) multicall: results and faults item by item
        t.same(
          o.java.read.get("multicall"),
          ["3.0", { faultCode: 10, faultString: "BAD_NAME: nosuch" }, ["int"], "out-line\n"],
          `${o.kind}: multicall`,
        );
        t.same(o.java.restart.get("restart"), true, `${o.kind}: restart answers true`);
        t.equal(o.ts.restart.get("getPID"), true, `${o.kind}: restarted in place (same pid)`);
        t.same(o.java.shutdown.get("shutdown"), true, `${o.kind}: shutdown answers true`);
        t.equal(o.ts.shutdown.get("exit"), 0, `${o.kind}: and the daemon exits 0`);
      }
      // (b) ours = real, through the Java client
      const [ours, real] = outcomes;
      for (const phase of Object.keys(real.java)) {
        t.same(normaliseAll(ours.java[phase], ours.dir), normaliseAll(real.java[phase], real.dir), `${phase}: ours = real through the Java client`);
      }
    });
  }
}
