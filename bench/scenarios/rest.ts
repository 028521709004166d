/**
 * Scenario 15: `GET /api/supervisor/getAllProcessInfo` (REST, JSON) against the XML-RPC call
 * `supervisor.getAllProcessInfo` on the same daemon, N RUNNING processes.
 * - The same transport for both, a new connection per call (as supervisorctl), timed from sending
 *   the request to the last byte of the answer (the client's decoding is not counted), the two
 *   kinds alternating call by call: over the unix socket, then over [inet_http_server] on a free
 *   loopback port.
 * - Over TCP a third kind joins the rotation: `GET /supervisor/getAllProcessInfo` on our
 *   `supvisorsflask` bin in front of the same daemon (one more XML-RPC round trip per request, the
 *   way Supvisors' Flask-RESTX app works).
 * - On the real supervisord (same N): its XML-RPC call over both transports, and, when a python3
 *   with Flask is found, bench/oracle/flask-proxy.py (a Flask app proxying over xmlrpc.client as
 *   Supvisors' does) in front of it.
 * The first and last answers of each kind are decoded and checked: all N processes RUNNING, and
 * each JSON answer equal to an XML-RPC answer of the same round (`now` within 2 s, `description`
 * up to its uptime).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { encodeMethodCall } from "../../src/supervisord/rpc/codec.js";
import { freePort, timedRequest, type Endpoint, type TimedAnswer } from "../lib/http.js";
import { launchOptions, REPO, withDaemon, type Daemon, type Kind } from "../lib/daemon.js";
import { order, type Context, type Target } from "../lib/results.js";
import { decode } from "../lib/rpc.js";
import { median, nowMs, quantile, sleep, waitFor } from "../lib/stats.js";
import { startAll } from "./start-all.js";

const OUR_FLASK = join(REPO, "dist/bin/supvisorsflask.mjs");
const FLASK_ORACLE = join(REPO, "bench/oracle/flask-proxy.py");

const XML_CALL = encodeMethodCall("supervisor.getAllProcessInfo", []);

/** A way of asking getAllProcessInfo, and how to read its answer back as the XML-RPC result. */
interface Way {
  readonly label: string;
  readonly ask: () => Promise<TimedAnswer>;
  readonly read: (a: TimedAnswer) => unknown;
  readonly ms: number[];
  /** Answers kept for the checks: the first and the last. */
  first?: TimedAnswer;
  last?: TimedAnswer;
}

function xmlWay(label: string, to: Endpoint): Way {
  return { label, ask: () => timedRequest(to, "POST", "/RPC2", XML_CALL), read: (a) => decode(a.body), ms: [] };
}

function jsonWay(label: string, to: Endpoint, path: string): Way {
  return {
    label,
    ask: () => timedRequest(to, "GET", path, null),
    read: (a) => {
      if (!a.type.startsWith("application/json")) throw new Error(`${label}: Content-Type ${a.type}`);
      return JSON.parse(a.body.toString("utf8")) as unknown;
    },
    ms: [],
  };
}

/**
 * Rounds of one call per way, the order rotating from round to round, until `calls` rounds or
 * `budgetS` seconds (at least 10 rounds); 3 rounds of warm-up first, not counted.
 */
async function rounds(ways: Way[], calls: number, budgetS: number): Promise<void> {
  for (let i = 0; i < 3; i++) for (const w of ways) await w.ask();
  const end = nowMs() + budgetS * 1000;
  for (let i = 0; i < calls && (i < 10 || nowMs() < end); i++) {
    for (let j = 0; j < ways.length; j++) {
      const w = ways[(i + j) % ways.length]!;
      const a = await w.ask();
      w.ms.push(a.ms);
      if (!w.first) w.first = a;
      w.last = a;
    }
  }
}

type Info = Record<string, unknown>;

/** Checks the answer lists the N processes, all RUNNING; returns them by name. */
function checkList(kind: Kind, label: string, v: unknown, n: number): Map<string, Info> {
  if (!Array.isArray(v) || v.length !== n) throw new Error(`${kind} ${label}: listed ${Array.isArray(v) ? v.length : typeof v} of ${n} processes`);
  const byName = new Map<string, Info>();
  for (const p of v as Info[]) {
    if (p.statename !== "RUNNING") throw new Error(`${kind} ${label}: ${String(p.name)} is ${String(p.statename)}`);
    byName.set(String(p.name), p);
  }
  for (let i = 0; i < n; i++) {
    const name = `sleeper_${String(i).padStart(4, "0")}`;
    if (!byName.has(name)) throw new Error(`${kind} ${label}: ${name} missing`);
  }
  return byName;
}

const noUptime = (s: unknown) => String(s).replace(/uptime .*$/, "uptime");

/** Checks a JSON answer is the XML-RPC result: same fields and values (`now` within 2 s, `description` up to its uptime). */
function checkSame(kind: Kind, label: string, json: Map<string, Info>, xml: Map<string, Info>): void {
  for (const [name, x] of xml) {
    const j = json.get(name)!;
    const keys = Object.keys(x).sort();
    if (keys.join() !== Object.keys(j).sort().join()) throw new Error(`${kind} ${label}: ${name} has fields ${Object.keys(j).sort().join()}, XML-RPC ${keys.join()}`);
    for (const k of keys) {
      const a = j[k];
      const b = x[k];
      const same = k === "now" ? Math.abs(Number(a) - Number(b)) <= 2 : k === "description" ? noUptime(a) === noUptime(b) : a === b;
      if (!same) throw new Error(`${kind} ${label}: ${name}.${k} is ${JSON.stringify(a)}, XML-RPC ${JSON.stringify(b)}`);
    }
  }
}

/** Reads the first and last answers of each way; the JSON ones are compared with the XML-RPC way's. */
function check(kind: Kind, ways: Way[], xml: Way, n: number): void {
  for (const at of ["first", "last"] as const) {
    const ref = checkList(kind, `${xml.label} (${at})`, xml.read(xml[at]!), n);
    for (const w of ways) {
      if (w === xml) continue;
      checkSame(kind, `${w.label} (${at})`, checkList(kind, `${w.label} (${at})`, w.read(w[at]!), n), ref);
    }
  }
}

/** A python3 with Flask (the one on PATH first, then Debian's), as its real path; null when none. */
function flaskPython(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(py, ["-c", "import flask, sys; print(sys.executable)"], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/** A proxy process (ours or the Flask oracle) on 127.0.0.1:port, output to a file in the daemon's dir. */
class Proxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(d: Daemon, name: string, cmd: string, args: string[], port: number): Promise<Proxy> {
    const out = openSync(join(d.dir, `${name}.out`), "w");
    const child = spawn(cmd, args, { cwd: d.dir, stdio: ["ignore", out, out] });
    closeSync(out);
    const p = new Proxy(child, port);
    let exited = false;
    child.on("exit", () => (exited = true));
    try {
      await waitFor(
        async () => {
          if (exited) throw new Error(`${name} exited at start`);
          return timedRequest({ host: "127.0.0.1", port }, "GET", "/supervisor/getState", null).then(
            () => true,
            () => false,
          );
        },
        30_000,
        `${name} to answer`,
        50,
      );
    } catch (e) {
      await p.close();
      throw e;
    }
    return p;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((r) => this.child.once("exit", () => r()));
    this.child.kill("SIGTERM");
    const t = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await gone;
    clearTimeout(t);
  }
}

function config(n: number, port: number): string {
  return `[inet_http_server]
port = 127.0.0.1:${port}

[program:sleeper]
command = /bin/sleep 100000
process_name = %(program_name)s_%(process_num)04d
numprocs = ${n}
autostart = false
autorestart = false
startsecs = 0
redirect_stderr = true
`;
}

const lessOrEqualOne: Target = { text: "<= 1.0", check: (o) => o <= 1.0 };

export async function rest(ctx: Context): Promise<void> {
  const { results } = ctx;
  const n = ctx.quick ? 200 : 1000;
  const calls = ctx.quick ? 50 : 200;
  const budgetS = ctx.quick ? 5 : 15;
  const S = `15 REST N=${n}`;
  const python = flaskPython();
  if (!python) results.notes.push("15 REST: no python3 with Flask found: the real supervisord's Flask-proxy row is left empty");
  if (!existsSync(OUR_FLASK)) throw new Error(`${OUR_FLASK} missing: run node scripts/build.mjs`);
  // supervisord needs ~1 s per call with 1000 processes and 30-50 s to start them: one repetition
  // fewer at N=1000, as the fleets.
  const reps = n >= 1000 ? Math.max(1, ctx.reps - 1) : ctx.reps;
  const m = (name: string, target?: Target) => results.metric(S, name, target);
  for (const transport of ["unix socket", "TCP"]) {
    m(`XML-RPC getAllProcessInfo, ${transport}, median ms`);
    m(`XML-RPC getAllProcessInfo, ${transport}, p99 ms`);
    m(`REST GET /api/supervisor/getAllProcessInfo, ${transport}, median ms`);
    m(`REST GET /api/supervisor/getAllProcessInfo, ${transport}, p99 ms`);
    m(`REST/XML-RPC, ${transport}, median`, lessOrEqualOne);
    m(`REST/XML-RPC, ${transport}, p99`);
  }
  m("Flask-style proxy GET /supervisor/getAllProcessInfo, TCP, median ms");
  m("Flask-style proxy GET /supervisor/getAllProcessInfo, TCP, p99 ms");
  m("Flask-style proxy/XML-RPC, TCP, median");
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of order(ctx, rep)) {
      const port = await freePort();
      await withDaemon(kind, config(n, port), async (d) => {
        await startAll(d, n);
        // Let the daemon settle after the spawn burst (V8 returns memory for a while after it).
        await sleep(ctx.quick ? 2000 : 5000);
        const unix: Endpoint = { socketPath: d.sock };
        const tcp: Endpoint = { host: "127.0.0.1", port };
        const line: string[] = [];
        const put = (name: string, v: number) => m(name).add(kind, v);
        for (const [transport, to] of [["unix socket", unix], ["TCP", tcp]] as const) {
          const xml = xmlWay(`XML-RPC ${transport}`, to);
          const ways = [xml];
          const json = kind === "ours" ? jsonWay(`REST ${transport}`, to, "/api/supervisor/getAllProcessInfo") : null;
          if (json) ways.push(json);
          let proxy: Proxy | null = null;
          let flask: Way | null = null;
          try {
            if (transport === "TCP" && (kind === "ours" || python)) {
              const fport = await freePort();
              const url = `http://127.0.0.1:${port}`;
              proxy =
                kind === "ours"
                  ? await Proxy.start(d, "supvisorsflask", ...ourFlaskCommand(["-u", url, "-h", "127.0.0.1", "-p", String(fport)]), fport)
                  : await Proxy.start(d, "flask-proxy", python!, [FLASK_ORACLE, url, "127.0.0.1", String(fport)], fport);
              flask = jsonWay(`Flask-style proxy (${kind === "ours" ? "supvisorsflask" : "Flask + xmlrpc.client"})`, { host: "127.0.0.1", port: fport }, "/supervisor/getAllProcessInfo");
              ways.push(flask);
            }
            await rounds(ways, calls, budgetS);
          } finally {
            await proxy?.close();
          }
          check(kind, ways, xml, n);
          const xm = median(xml.ms);
          const xp = quantile(xml.ms, 0.99);
          put(`XML-RPC getAllProcessInfo, ${transport}, median ms`, xm);
          put(`XML-RPC getAllProcessInfo, ${transport}, p99 ms`, xp);
          line.push(`${transport}: XML-RPC x${xml.ms.length} median ${xm.toFixed(2)} ms p99 ${xp.toFixed(2)} ms (${xml.last!.body.length} B)`);
          if (json) {
            const jm = median(json.ms);
            const jp = quantile(json.ms, 0.99);
            put(`REST GET /api/supervisor/getAllProcessInfo, ${transport}, median ms`, jm);
            put(`REST GET /api/supervisor/getAllProcessInfo, ${transport}, p99 ms`, jp);
            put(`REST/XML-RPC, ${transport}, median`, jm / xm);
            put(`REST/XML-RPC, ${transport}, p99`, jp / xp);
            line.push(`REST median ${jm.toFixed(2)} ms p99 ${jp.toFixed(2)} ms (${json.last!.body.length} B), ratio ${(jm / xm).toFixed(2)}`);
          }
          if (flask) {
            const fm = median(flask.ms);
            put("Flask-style proxy GET /supervisor/getAllProcessInfo, TCP, median ms", fm);
            put("Flask-style proxy GET /supervisor/getAllProcessInfo, TCP, p99 ms", quantile(flask.ms, 0.99));
            put("Flask-style proxy/XML-RPC, TCP, median", fm / xm);
            line.push(`${flask.label} median ${fm.toFixed(2)} ms p99 ${quantile(flask.ms, 0.99).toFixed(2)} ms (${flask.last!.body.length} B)`);
          }
        }
        ctx.log(`${kind.padEnd(4)} N=${n}: ${line.join("; ")}`);
      });
    }
  }
}

/** Our supvisorsflask as users run it (its shebang), or through node with the profiling flags. */
function ourFlaskCommand(args: string[]): [string, string[]] {
  return launchOptions.nodeArgs.length ? [process.execPath, [...launchOptions.nodeArgs, OUR_FLASK, ...args]] : [OUR_FLASK, args];
}

