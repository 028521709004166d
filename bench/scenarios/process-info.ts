/**
 * Scenario 3: supervisor.getAllProcessInfo latency, one new connection per call like supervisorctl.
 * Timed from sending the request to the last byte of the answer (the client's decoding is not
 * counted; the first and last answers are decoded to check they list all the processes).
 * Stops after `calls` calls or `budgetS` seconds, whichever comes first (supervisord 4.2.5 needs
 * about a second per call with 1000 processes), but makes at least 10 calls.
 */
import type { Daemon } from "../lib/daemon.js";
import { decode, rpcRaw } from "../lib/rpc.js";
import { median, nowMs, quantile } from "../lib/stats.js";

export async function processInfoLatency(d: Daemon, n: number, calls: number, budgetS: number): Promise<{ median: number; p99: number; calls: number }> {
  const ms: number[] = [];
  const end = nowMs() + budgetS * 1000;
  for (let i = 0; i < calls && (i < 10 || nowMs() < end); i++) {
    const r = await rpcRaw(d.sock, "supervisor.getAllProcessInfo");
    ms.push(r.ms);
    if (i === 0 || i === calls - 1 || nowMs() >= end) {
      const v = decode(r.body);
      if (!Array.isArray(v) || v.length !== n) throw new Error(`${d.kind}: getAllProcessInfo listed ${Array.isArray(v) ? v.length : "?"} of ${n}`);
    }
  }
  return { median: median(ms), p99: quantile(ms, 0.99), calls: ms.length };
}
