/**
 * Scenario 11: the event interface of a Supvisors cluster of 3 instances of ours. Latency from a
 * process transition on one instance (the producer's wall time in the `event` payload) to the
 * `process` event of it on another instance's ZeroMQ interface, received by a subscriber on this
 * machine (same clock). Supvisors 0.19 measured here: median 10-14 ms, p90 44-61 ms.
 */
import { poll, stateOf, TestCluster, type ClusterInstance } from "../../test/helpers/cluster.js";
import type { Context } from "../lib/results.js";
import { quantile } from "../lib/stats.js";

export const SUPVISORS_FIGURES = { latency: "median 10-14 ms, p90 44-61 ms" };

export async function events(ctx: Context): Promise<void> {
  const r = ctx.results;
  const S = "11 events";
  const median = r.metric(S, `transition on a2 -> its process event on a0's ZMQ interface, median ms (Supvisors: ${SUPVISORS_FIGURES.latency})`, { text: "< 3 ms", check: (o) => o < 3 });
  const p90 = r.metric(S, "the same, p90 ms");
  const programs = "[program:w]\ncommand = /bin/sleep 600\nautostart = false\nstartsecs = 0\nstopsignal = KILL\n";
  const c = await TestCluster.create({ size: 3, supvisors: "event_link = ZMQ", programs });
  const zmq = await import("zeromq");
  const sub = new zmq.Subscriber({ linger: 0 });
  try {
    const [a0, , a2] = c.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    await c.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", 60_000);
    sub.connect(`tcp://127.0.0.1:${a0.spec.port + 1}`);
    sub.subscribe("event", "process");
    const latencies: number[] = [];
    let lastEventNow = 0;
    let seen = 0;
    const reader = (async () => {
      for await (const [h, b] of sub) {
        const at = Date.now();
        const body = JSON.parse(b!.toString()) as Record<string, unknown>;
        if (body.name !== "w" && body.process_name !== "w") continue;
        // The producer's time of the transition comes in its `event`; its `process` follows.
        if (h!.toString() === "event") lastEventNow = Number(body.now) * 1000;
        else if (lastEventNow > 0) {
          latencies.push(at - lastEventNow);
          seen++;
        }
      }
    })();
    const n = ctx.quick ? 20 : 100;
    // A subscription takes a moment to reach the publisher: warm up until events flow.
    await poll(async () => {
      await a2.rpc("supervisor.startProcess", "w", true);
      await a2.rpc("supervisor.stopProcess", "w", true);
      return seen > 0 ? true : undefined;
    }, 20_000, "events flowing", 100);
    latencies.length = 0;
    for (let i = 0; i < n; i++) {
      await a2.rpc("supervisor.startProcess", "w", true);
      await a2.rpc("supervisor.stopProcess", "w", true);
    }
    await poll(() => (latencies.length >= 2 * n ? true : undefined), 20_000, "all events received").catch(() => undefined);
    sub.close();
    await reader.catch(() => undefined);
    median.add("ours", quantile(latencies, 0.5));
    p90.add("ours", quantile(latencies, 0.9));
    ctx.log(`event latency over ${latencies.length} transitions: median ${quantile(latencies, 0.5).toFixed(2)} ms, p90 ${quantile(latencies, 0.9).toFixed(2)} ms`);
  } finally {
    sub.close();
    await c.teardown();
  }
}
