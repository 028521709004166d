/**
 * Scenario 3: supervisor.getAllProcessInfo latency, one new connection per call like supervisorctl.
 * Timed from sending the request to the last byte of the answer (the client's decoding is not
 * counted; every answer is decoded afterwards to check it lists all the processes).
 */
import type { Daemon } from "../lib/daemon.js";
import { decode, rpcRaw } from "../lib/rpc.js";
import { median, quantile } from "../lib/stats.js";

export async function processInfoLatency(d: Daemon, n: number, calls: number): Promise<{ median: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const r = await rpcRaw(d.sock, "supervisor.getAllProcessInfo");
    ms.push(r.ms);
    if (i === 0 || i === calls - 1) {
      const v = decode(r.body);
      if (!Array.isArray(v) || v.length !== n) throw new Error(`${d.kind}: getAllProcessInfo listed ${Array.isArray(v) ? v.length : "?"} of ${n}`);
    }
  }
  return { median: median(ms), p99: quantile(ms, 0.99) };
}
