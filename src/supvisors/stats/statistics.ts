/**
 * The statistics of the whole cluster on this instance (spec §9.1): the local collector's batches
 * are integrated here and sent to the other instances; their batches are integrated here too, so
 * every instance shows and publishes every instance's figures. The host routes the peers'
 * messages here and tells of lost instances; the service asks for the status and the controls.
 */
import type { InternalMessage } from "../types.js";
import { SUPERVISORD_ENTRY, type SampleBatch, type StatsCollector } from "./collector.js";
import { StatsCompiler } from "./compiler.js";
import type { HostSample, HostStatsPayload, ProcessSample, ProcessStatsPayload } from "./types.js";

export interface StatsEventsPort {
  hostStats(p: HostStatsPayload): void;
  processStats(p: ProcessStatsPayload): void;
}

export interface StatisticsInit {
  readonly localIdentifier: string;
  readonly periods: readonly number[];
  readonly histo: number;
  /** Null where this machine cannot measure (no /proc): NOT_INSTALLED, as Supvisors without psutil. */
  readonly collector: StatsCollector | null;
  /** The collecting period reported when there is no collector (the option's value). */
  readonly configuredPeriod: number;
  /** To the other instances (the internal bus). */
  readonly publish: (msg: InternalMessage) => void;
  readonly events: StatsEventsPort;
  /** Local monotonic seconds (the payloads' now_monotonic). */
  readonly nowMonotonic: () => number;
  /**
   * Whether the cluster model knows this process on that instance: samples of unknown processes
   * are dropped, so a peer cannot make this instance keep series of names that do not exist.
   */
  readonly knownProcess: (identifier: string, namespec: string) => boolean;
}

export interface StatisticsStatus {
  readonly host: boolean;
  readonly process: boolean;
  readonly collectingPeriod: number;
}

export class Statistics {
  readonly compiler: StatsCompiler;
  private readonly init: StatisticsInit;
  /** The latest sample time of each instance: one going back in time is a restarted peer. */
  private readonly latest = new Map<string, number>();
  /** The last payload of each series, for a subscriber that joins late (key: id, [namespec,] period). */
  private readonly lastHost = new Map<string, HostStatsPayload>();
  private readonly lastProcess = new Map<string, ProcessStatsPayload>();

  constructor(init: StatisticsInit) {
    this.init = init;
    this.compiler = new StatsCompiler(init.periods, init.histo);
  }

  /** Whether this instance can collect at all (enable_* and update_collecting_period need it). */
  get installed(): boolean {
    return this.init.collector !== null;
  }

  status(): StatisticsStatus {
    const c = this.init.collector?.status();
    return c ? { host: c.host, process: c.process, collectingPeriod: c.periodS } : { host: false, process: false, collectingPeriod: this.init.configuredPeriod };
  }

  enableHost(on: boolean): void {
    this.init.collector?.enableHost(on);
  }

  enableProcess(on: boolean): void {
    this.init.collector?.enableProcess(on);
  }

  setCollectingPeriod(seconds: number): void {
    this.init.collector?.setPeriod(seconds);
  }

  /** What the local collector read: integrated here, then sent to the others. */
  onLocalBatch(b: SampleBatch): void {
    this.integrate(this.init.localIdentifier, b.host, b.processes, b.hostReset);
    this.init.publish({ kind: "stats", host: b.host, processes: b.processes, host_reset: b.hostReset });
  }

  /** A batch of another (checked, RUNNING) instance. */
  onRemote(from: string, msg: Extract<InternalMessage, { kind: "stats" }>): void {
    if (from === this.init.localIdentifier) return;
    this.integrate(from, msg.host, msg.processes, msg.host_reset);
  }

  /** An instance lost, or back with a new boot: its series end. */
  instanceLost(id: string): void {
    if (id === this.init.localIdentifier) return;
    this.compiler.removeInstance(id);
    this.latest.delete(id);
    this.forgetLast(id, null);
    this.forgetLast(id, undefined);
  }

  /** The last hstats and pstats of every live series: what a late subscriber is sent at once. */
  lastPayloads(): { host: HostStatsPayload[]; process: ProcessStatsPayload[] } {
    return { host: [...this.lastHost.values()], process: [...this.lastProcess.values()] };
  }

  /** namespec null: the host series of `id`; undefined: all its process series; else that process's. */
  private forgetLast(id: string, namespec: string | null | undefined): void {
    const map: Map<string, { identifier: string; namespec?: string }> = namespec === null ? this.lastHost : this.lastProcess;
    for (const [k, p] of map) if (p.identifier === id && (namespec == null || p.namespec === namespec)) map.delete(k);
  }

  private integrate(id: string, host: HostSample | null, processes: readonly ProcessSample[], hostReset: boolean): void {
    const local = id === this.init.localIdentifier;
    const first = host?.now ?? processes[0]?.now;
    // A restarted peer's monotonic clock starts again: its old references would swallow its samples.
    if (first !== undefined) {
      const before = this.latest.get(id);
      if (before !== undefined && first < before) this.compiler.removeInstance(id);
      let last = host?.now ?? first;
      for (const p of processes) if (p.now > last) last = p.now;
      this.latest.set(id, last);
    }
    const now = this.init.nowMonotonic();
    if (hostReset) {
      this.compiler.clear("host", id);
      this.forgetLast(id, null);
    }
    if (host) {
      for (const p of this.compiler.pushHost(id, host, now)) {
        this.lastHost.set(`${id}|${p.target_period}`, p);
        this.init.events.hostStats(p);
      }
    }
    for (const s of processes) {
      if (!local && s.namespec !== SUPERVISORD_ENTRY && !this.init.knownProcess(id, s.namespec)) continue;
      if (s.pid === 0) this.forgetLast(id, s.namespec);
      for (const p of this.compiler.pushProcess(id, s, now)) {
        this.lastProcess.set(`${id}|${p.namespec}|${p.target_period}`, p);
        this.init.events.processStats(p);
      }
    }
  }

  close(): void {
    this.init.collector?.close();
  }
}
