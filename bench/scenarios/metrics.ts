/**
 * Scenario 17: a Prometheus scrape, `GET /metrics`, of our daemon with N RUNNING processes, beside
 * the XML-RPC call `supervisor.getAllProcessInfo` on the same daemon (ours only: supervisord has
 * no /metrics). A new connection per request (as a Prometheus scrape after an idle interval and as
 * supervisorctl), timed from sending to the last byte of the answer, the two kinds alternating
 * request by request, over the unix socket then over [inet_http_server] on a free loopback port.
 * The daemon's CPU time (schedstat, all threads) is read around every request, so each kind's
 * CPU cost per request is its own. The first and last scrapes are checked: N process state
 * series, all RUNNING, and the text format's line grammar.
 */
import { encodeMethodCall } from "../../src/supervisord/rpc/codec.js";
import { checkExposition } from "../../test/helpers/prometheus.js";
import { freePort, timedRequest, type Endpoint } from "../lib/http.js";
import { withDaemon } from "../lib/daemon.js";
import { cpuNs } from "../lib/proc.js";
import type { Context, Target } from "../lib/results.js";
import { decode } from "../lib/rpc.js";
import { median, nowMs, quantile, sleep } from "../lib/stats.js";
import { startAll } from "./start-all.js";

interface Answer {
  readonly body: Buffer;
  readonly ms: number;
  readonly cpuMs: number;
}

/** One request on a new connection: the body, the time to its last byte, the daemon's CPU meanwhile. */
async function timed(pid: number, to: Endpoint, method: string, path: string, payload: string | null): Promise<Answer> {
  const cpu0 = cpuNs(pid);
  const { body, ms } = await timedRequest(to, method, path, payload);
  return { body, ms, cpuMs: (cpuNs(pid) - cpu0) / 1e6 };
}

const XML_CALL = encodeMethodCall("supervisor.getAllProcessInfo", []);

interface Way {
  readonly label: string;
  readonly ask: () => Promise<Answer>;
  readonly ms: number[];
  readonly cpu: number[];
  first?: Answer;
  last?: Answer;
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

function checkScrape(label: string, a: Answer, n: number): void {
  const text = a.body.toString("utf8");
  checkExposition(text);
  const states = text.split("\n").filter((l) => l.startsWith("supervisord_process_state{"));
  if (states.length !== n) throw new Error(`${label}: ${states.length} process state series, expected ${n}`);
  const notRunning = states.filter((l) => !l.includes('state="RUNNING"'));
  if (notRunning.length) throw new Error(`${label}: not RUNNING: ${notRunning[0]}`);
}

function checkXml(label: string, a: Answer, n: number): void {
  const v = decode(a.body);
  if (!Array.isArray(v) || v.length !== n) throw new Error(`${label}: ${Array.isArray(v) ? v.length : typeof v} processes, expected ${n}`);
}

const atMostOne: Target = { text: "<= 1.0", check: (o) => o <= 1.0 };

export async function metricsScrape(ctx: Context): Promise<void> {
  const { results } = ctx;
  const n = 1000;
  const calls = ctx.quick ? 40 : 200;
  const budgetS = ctx.quick ? 8 : 20;
  const S = `17 /metrics N=${n}`;
  const m = (name: string, target?: Target) => results.metric(S, name, target);
  for (const transport of ["unix socket", "TCP"]) {
    m(`GET /metrics, ${transport}, median ms`);
    m(`GET /metrics, ${transport}, p99 ms`);
    m(`XML-RPC getAllProcessInfo, ${transport}, median ms`);
    m(`XML-RPC getAllProcessInfo, ${transport}, p99 ms`);
    m(`/metrics / getAllProcessInfo, ${transport}, median time`, atMostOne);
    m(`daemon CPU ms per scrape, ${transport}`);
    m(`daemon CPU ms per getAllProcessInfo, ${transport}`);
    m(`/metrics / getAllProcessInfo, ${transport}, daemon CPU`, atMostOne);
  }
  m("scrape size, KiB");
  for (let rep = 0; rep < ctx.reps; rep++) {
    const port = await freePort();
    await withDaemon("ours", config(n, port), async (d) => {
      await startAll(d, n);
      // Let the daemon settle after the spawn burst (V8 returns memory for a while after it).
      await sleep(ctx.quick ? 2000 : 5000);
      const line: string[] = [];
      for (const [transport, to] of [["unix socket", { socketPath: d.sock }], ["TCP", { host: "127.0.0.1", port }]] as const) {
        const scrape: Way = { label: `/metrics ${transport}`, ask: () => timed(d.pid, to, "GET", "/metrics", null), ms: [], cpu: [] };
        const xml: Way = { label: `XML-RPC ${transport}`, ask: () => timed(d.pid, to, "POST", "/RPC2", XML_CALL), ms: [], cpu: [] };
        const ways = [scrape, xml];
        for (let i = 0; i < 3; i++) for (const w of ways) await w.ask();
        const end = nowMs() + budgetS * 1000;
        for (let i = 0; i < calls && (i < 10 || nowMs() < end); i++) {
          for (let j = 0; j < ways.length; j++) {
            const w = ways[(i + j) % ways.length]!;
            const a = await w.ask();
            w.ms.push(a.ms);
            w.cpu.push(a.cpuMs);
            w.first ??= a;
            w.last = a;
          }
        }
        for (const at of ["first", "last"] as const) {
          checkScrape(`${scrape.label} (${at})`, scrape[at]!, n);
          checkXml(`${xml.label} (${at})`, xml[at]!, n);
        }
        const sm = median(scrape.ms);
        const xm = median(xml.ms);
        const sc = median(scrape.cpu);
        const xc = median(xml.cpu);
        const put = (name: string, v: number) => m(name).add("ours", v);
        put(`GET /metrics, ${transport}, median ms`, sm);
        put(`GET /metrics, ${transport}, p99 ms`, quantile(scrape.ms, 0.99));
        put(`XML-RPC getAllProcessInfo, ${transport}, median ms`, xm);
        put(`XML-RPC getAllProcessInfo, ${transport}, p99 ms`, quantile(xml.ms, 0.99));
        put(`/metrics / getAllProcessInfo, ${transport}, median time`, sm / xm);
        put(`daemon CPU ms per scrape, ${transport}`, sc);
        put(`daemon CPU ms per getAllProcessInfo, ${transport}`, xc);
        put(`/metrics / getAllProcessInfo, ${transport}, daemon CPU`, sc / xc);
        if (transport === "unix socket") put("scrape size, KiB", scrape.last!.body.length / 1024);
        line.push(
          `${transport}: /metrics x${scrape.ms.length} median ${sm.toFixed(2)} ms p99 ${quantile(scrape.ms, 0.99).toFixed(2)} ms CPU ${sc.toFixed(2)} ms (${scrape.last!.body.length} B); ` +
            `getAllProcessInfo median ${xm.toFixed(2)} ms p99 ${quantile(xml.ms, 0.99).toFixed(2)} ms CPU ${xc.toFixed(2)} ms (${xml.last!.body.length} B)`,
        );
      }
      ctx.log(`ours N=${n}: ${line.join("; ")}`);
    });
  }
}
