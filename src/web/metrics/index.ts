/**
 * The daemon's Prometheus metrics: made once by the composition root (they live as long as the
 * daemon process, across in-process restarts), they observe the RPC dispatch and the EventBus
 * from the start, and their route is added to the HTTP servers at each start with the services
 * of that start. Without a scrape, the only cost is the observer's few adds per RPC call and one
 * switch per bus event.
 */
import type { EventBus } from "../../supervisord/events/bus.js";
import type { Router } from "../../supervisord/http/router.js";
import type { RpcRegistry } from "../../supervisord/rpc/registry.js";
import { ExpositionWriter } from "./exposition.js";
import { writeDaemonProcessMetrics, writeProcessMetrics, type ProcessMetricsService } from "./process-collector.js";
import { ProcessCounters } from "./process-counters.js";
import { metricsRoute } from "./route.js";
import { RpcMetrics } from "./rpc-metrics.js";
import { localProcessUsage, writeSupvisorsMetrics, type SupvisorsMetricsSource } from "./supvisors-collector.js";

export { METRICS_PATH } from "./route.js";
export type { SupvisorsMetricsSource } from "./supvisors-collector.js";

export interface MetricsSources {
  readonly supervisor: ProcessMetricsService;
  /** The Supvisors layer's reads, null without [rpcinterface:supvisors]. */
  readonly supvisors: SupvisorsMetricsSource | null;
}

export class DaemonMetrics {
  readonly rpc: RpcMetrics;
  readonly counters: ProcessCounters;
  private readonly startTimeSeconds = Date.now() / 1000;

  constructor(bus: EventBus, private readonly registry: RpcRegistry) {
    this.rpc = new RpcMetrics((method) => registry.lookup(method) !== null);
    registry.observer = this.rpc;
    this.counters = new ProcessCounters(bus);
  }

  /** The exposition text with the given services. */
  render(s: MetricsSources): string {
    const w = new ExpositionWriter();
    const supvisors = s.supvisors;
    const stats = supvisors?.lastStatistics() ?? null;
    writeProcessMetrics(w, { service: s.supervisor, counters: this.counters, usage: supvisors && stats ? () => localProcessUsage(supvisors, stats) : null });
    this.rpc.write(w);
    if (supvisors && stats) writeSupvisorsMetrics(w, supvisors, stats);
    writeDaemonProcessMetrics(w, this.startTimeSeconds);
    return w.text();
  }

  addRoute(router: Router, s: MetricsSources): void {
    router.addRoute(metricsRoute(() => this.render(s)));
  }

  close(): void {
    this.counters.close();
    if (this.registry.observer === this.rpc) this.registry.observer = null;
  }
}
