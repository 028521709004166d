/**
 * Scenario 12: the cost of statistics. One instance of ours with 1000 running processes, sampled
 * at the default periods (stats_collecting_period 5 s, stats_periods 10 s), against the same daemon
 * with stats_enabled = OFF: the daemon's CPU (all its threads, schedstat) over the same window, and
 * the latency of a trivial XML-RPC call meanwhile (the daemon stays responsive while it reads
 * /proc). Supvisors' collector process: up to one full core with many processes (issue 19).
 *
 * Scenario 13: publication throughput. The same instance publishing while 1000 processes start,
 * to 10 websocket subscribers (event_link = WS) or 10 ZeroMQ subscribers (event_link = ZMQ; one
 * link per instance, as in Supvisors): the events each subscriber receives per second, and
 * whether every subscriber got every event.
 */
import { WebSocket } from "ws";
import { poll, TestCluster, type ClusterInstance } from "../../test/helpers/cluster.js";
import { cpuNs } from "../lib/proc.js";
import type { Context } from "../lib/results.js";
import { nowMs, quantile, sleep } from "../lib/stats.js";

const N = 1000;
const programs = (autostart: boolean) =>
  `[program:p]\ncommand = /bin/sleep 100000\nprocess_name = p_%(process_num)d\nnumprocs = ${N}\nautostart = ${autostart}\nstartsecs = 0\nstopsignal = KILL\n`;

async function allRunning(i: ClusterInstance, timeoutMs: number): Promise<void> {
  await poll(async () => {
    const all = (await i.slowRpc(30_000, "supervisor.getAllProcessInfo")) as { statename: string }[];
    return all.length === N && all.every((p) => p.statename === "RUNNING") ? true : undefined;
  }, timeoutMs, `${N} processes RUNNING`, 500);
}

export async function statisticsCost(ctx: Context): Promise<void> {
  const S = "12 statistics";
  const window = ctx.quick ? 12_000 : 30_000;
  const cpuOff = ctx.results.metric(S, `daemon CPU % of a core, ${N} processes, stats OFF`);
  const cpuOn = ctx.results.metric(S, `daemon CPU % of a core, ${N} processes, stats ALL (5 s / 10 s)`);
  const cost = ctx.results.metric(S, "statistics cost, % of a core (Supvisors' collector: up to 100)", { text: "< 1", check: (o) => o < 1 });
  const rpcOff = ctx.results.metric(S, "getState p99 ms meanwhile, stats OFF");
  const rpcOn = ctx.results.metric(S, "getState p99 ms meanwhile, stats ALL");
  for (let rep = 0; rep < ctx.reps; rep++) {
    const modes = rep % 2 === 0 ? (["OFF", "ALL"] as const) : (["ALL", "OFF"] as const);
    const pct: Record<string, number> = {};
    for (const mode of modes) {
      const c = await TestCluster.create({ size: 1, supvisors: `stats_enabled = ${mode}`, programs: programs(true) });
      try {
        const [a0] = c.instances as [ClusterInstance];
        await allRunning(a0, 120_000);
        // Past the start burst and the first samples (the references) of every process.
        await sleep(6000);
        const pid = a0.child!.pid!;
        const latencies: number[] = [];
        const ns0 = cpuNs(pid);
        const t0 = nowMs();
        while (nowMs() - t0 < window) {
          const s = nowMs();
          await a0.rpc("supervisor.getState");
          latencies.push(nowMs() - s);
          await sleep(100);
        }
        const p = ((cpuNs(pid) - ns0) / 1e6 / (nowMs() - t0)) * 100;
        pct[mode] = p;
        (mode === "OFF" ? cpuOff : cpuOn).add("ours", p);
        (mode === "OFF" ? rpcOff : rpcOn).add("ours", quantile(latencies, 0.99));
        ctx.log(`stats ${mode}: daemon ${p.toFixed(2)} % of a core over ${(window / 1000).toFixed(0)} s, getState p99 ${quantile(latencies, 0.99).toFixed(2)} ms`);
      } finally {
        await c.teardown();
      }
    }
    cost.add("ours", pct.ALL! - pct.OFF!);
  }
}

/** A subscriber that counts what it receives after `arm()`, until it has seen every RUNNING. */
interface Counter {
  received: number;
  running: number;
  lastAt: number;
  armed: boolean;
  close(): void;
}

function count(c: Counter, header: string, body: string): void {
  if (!c.armed) return;
  c.received++;
  c.lastAt = nowMs();
  if (header === "process" && body.includes('"statename": "RUNNING"')) c.running++;
}

async function wsCounter(port: number): Promise<Counter> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/all`);
  const c: Counter = { received: 0, running: 0, lastAt: 0, armed: false, close: () => ws.terminate() };
  ws.on("message", (data) => {
    const text = data.toString();
    const comma = text.indexOf(",");
    count(c, text.slice(2, comma - 1), text);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return c;
}

async function zmqCounter(port: number): Promise<Counter> {
  const zmq = await import("zeromq");
  const sub = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 });
  sub.connect(`tcp://127.0.0.1:${port}`);
  sub.subscribe();
  const c: Counter = { received: 0, running: 0, lastAt: 0, armed: false, close: () => sub.close() };
  void (async () => {
    try {
      for await (const [h, b] of sub) count(c, h!.toString(), b!.toString());
    } catch {
      // closed
    }
  })();
  return c;
}

export async function publicationThroughput(ctx: Context): Promise<void> {
  const S = "13 publication";
  for (const link of ["WS", "ZMQ"] as const) {
    const rate = ctx.results.metric(S, `events/s to each of 10 ${link} subscribers while ${N} processes start`);
    const lost = ctx.results.metric(S, `events lost by the slowest of 10 ${link} subscribers`, { text: "0", check: (o) => o === 0 });
    for (let rep = 0; rep < ctx.reps; rep++) {
      const c = await TestCluster.create({ size: 1, supvisors: `event_link = ${link}`, programs: programs(false) });
      const subs: Counter[] = [];
      try {
        const [a0] = c.instances as [ClusterInstance];
        const port = a0.spec.port + 1;
        for (let i = 0; i < 10; i++) subs.push(link === "WS" ? await wsCounter(port) : await zmqCounter(port));
        // The websocket snapshot and the ZeroMQ subscriptions settle on the heartbeat's events.
        await sleep(2000);
        for (const s of subs) s.armed = true;
        const t0 = nowMs();
        await a0.slowRpc(120_000, "supervisor.startAllProcesses", false);
        await poll(() => (subs.every((s) => s.running >= N) ? true : undefined), 120_000, `every subscriber saw ${N} RUNNING`, 50).catch(() => undefined);
        // What the instance published: the most any subscriber got (the others should have the same).
        await sleep(500);
        const most = Math.max(...subs.map((s) => s.received));
        const least = Math.min(...subs.map((s) => s.received));
        const perSub = subs.map((s) => s.received / ((s.lastAt - t0) / 1000));
        rate.add("ours", Math.min(...perSub));
        lost.add("ours", most - least);
        ctx.log(`${link}: ${most} events to each of 10 subscribers, slowest ${Math.min(...perSub).toFixed(0)} events/s, ${most - least} lost by the slowest`);
      } finally {
        for (const s of subs) s.close();
        await c.teardown();
      }
    }
  }
}
