/**
 * Counts and latencies of the RPC calls the HTTP servers dispatch (XML-RPC on /RPC2 and the REST
 * API, which goes through the same registry and dispatch): supervisord_rpc_requests_total and
 * the supervisord_rpc_duration_seconds histogram, per method. The cost per call is one Map
 * lookup, a short bucket scan and a few adds. A name the registry does not know is counted as
 * method="unknown", so a client cannot grow the series with made-up names.
 */
import type { RpcCallObserver } from "../../supervisord/rpc/registry.js";
import { escapeLabelValue, type ExpositionWriter } from "./exposition.js";

/** Seconds. From a cached getState to a waiting start of a slow program. */
export const RPC_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const UNKNOWN_METHOD = "unknown";

class MethodStats {
  ok = 0;
  fault = 0;
  error = 0;
  sum = 0;
  /** Per bucket, not cumulative; the last slot is above the last bound. */
  readonly counts = new Float64Array(RPC_BUCKETS.length + 1);
  /** `method="..."`, escaped once. */
  readonly label: string;
  constructor(method: string) {
    this.label = `method="${escapeLabelValue(method)}"`;
  }
}

export class RpcMetrics implements RpcCallObserver {
  private readonly byMethod = new Map<string, MethodStats>();

  /** @param known whether a method name exists (asked once per new name) */
  constructor(private readonly known: (method: string) => boolean) {}

  callDone(method: string, outcome: "ok" | "fault" | "error", seconds: number): void {
    let s = this.byMethod.get(method);
    if (s === undefined) {
      const name = this.known(method) ? method : UNKNOWN_METHOD;
      s = this.byMethod.get(name);
      if (s === undefined) {
        s = new MethodStats(name);
        this.byMethod.set(name, s);
      }
      // Only real names get their own key; unknown ones are looked up again next time.
      if (name === method) this.byMethod.set(method, s);
    }
    s[outcome]++;
    s.sum += seconds;
    let i = 0;
    while (i < RPC_BUCKETS.length && seconds > RPC_BUCKETS[i]!) i++;
    s.counts[i]!++;
  }

  write(w: ExpositionWriter): void {
    const all = [...new Set(this.byMethod.values())].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    w.family("supervisord_rpc_requests_total", "counter", "RPC calls dispatched (XML-RPC and REST), by method and result: ok, fault (an XML-RPC fault) or error (an internal error, HTTP 500).");
    for (const s of all) {
      for (const result of ["ok", "fault", "error"] as const) {
        if (s[result] > 0 || result !== "error") w.sample("supervisord_rpc_requests_total", `${s.label},result="${result}"`, s[result]);
      }
    }
    w.family("supervisord_rpc_duration_seconds", "histogram", "Time from dispatch to outcome of RPC calls (a waiting start or stop included), by method.");
    for (const s of all) w.histogram("supervisord_rpc_duration_seconds", s.label, RPC_BUCKETS, s.counts, s.sum);
  }
}
