/**
 * The statistics compiler over all instances (spec §9.1-9.3): one host integrator per (instance,
 * period), one process integrator per (instance, namespec, period). Every instance integrates the
 * samples of every instance, so this holds the series the UI and the event interface read. Pure:
 * the caller passes its local monotonic time, which only stamps the payloads.
 *
 * Memory stays bounded: every series holds at most `histo` values; a process's series go when it
 * stops (pid 0 sample) or restarts (new pid: fresh series), an instance's when it is removed.
 */
import { HostIntegrator, nbCoresOf } from "./host-integrator.js";
import { ProcessIntegrator } from "./process-integrator.js";
import type { HostHistory, HostSample, HostStatsPayload, ProcessHistory, ProcessRunningSample, ProcessSample, ProcessStatsPayload } from "./types.js";

interface ProcessSeries {
  readonly pid: number;
  readonly byPeriod: ReadonlyMap<number, ProcessIntegrator>;
}

export class StatsCompiler {
  /** The configured periods, duplicates removed, in the given order. */
  readonly periods: readonly number[];
  private readonly hosts = new Map<string, Map<number, HostIntegrator>>();
  private readonly procs = new Map<string, Map<string, ProcessSeries>>();
  /** Core counts from the host samples. */
  private readonly hostCores = new Map<string, number>();
  /** Core counts from the `supervisord` process samples (the fallback when no host sample came). */
  private readonly processCores = new Map<string, number>();

  /**
   * @param periods `stats_periods`: positive seconds
   * @param histo `stats_histo`: the maximum length of every series, a positive integer
   */
  constructor(
    periods: readonly number[],
    readonly histo: number,
  ) {
    for (const p of periods) if (!Number.isFinite(p) || p <= 0) throw new RangeError(`invalid statistics period: ${p}`);
    if (!Number.isSafeInteger(histo) || histo < 1) throw new RangeError(`invalid statistics history depth: ${histo}`);
    this.periods = [...new Set(periods)];
  }

  /** Integrates a host sample of an instance: one payload per period that integrated, in period order. */
  pushHost(identifier: string, sample: HostSample, nowMonotonic: number): HostStatsPayload[] {
    let byPeriod = this.hosts.get(identifier);
    if (byPeriod === undefined) {
      byPeriod = new Map(this.periods.map((p) => [p, new HostIntegrator(identifier, p, this.histo)]));
      this.hosts.set(identifier, byPeriod);
    }
    const payloads: HostStatsPayload[] = [];
    for (const integrator of byPeriod.values()) {
      const payload = integrator.push(sample, nowMonotonic);
      if (payload !== null) payloads.push(payload);
    }
    this.hostCores.set(identifier, nbCoresOf(sample.cpu));
    return payloads;
  }

  /**
   * Integrates a process sample of an instance. pid 0: the process's series on that instance are
   * dropped (all periods). A pid other than the series' one: the series restart from this sample
   * (no payload from it). A sample carrying `nb_cores` (the `supervisord` entry) also records the
   * instance's core count, as setNbCores does.
   */
  pushProcess(identifier: string, sample: ProcessSample, nowMonotonic: number): ProcessStatsPayload[] {
    if (sample.pid === 0) {
      const byName = this.procs.get(identifier);
      if (byName !== undefined) {
        byName.delete(sample.namespec);
        if (byName.size === 0) this.procs.delete(identifier);
      }
      return [];
    }
    // pid ≠ 0: a running sample (ProcessRunningSample's pid is a plain number, so no narrowing)
    const running = sample as ProcessRunningSample;
    if (running.nb_cores !== undefined) this.setNbCores(identifier, running.nb_cores);
    let byName = this.procs.get(identifier);
    if (byName === undefined) {
      byName = new Map();
      this.procs.set(identifier, byName);
    }
    let series = byName.get(running.namespec);
    if (series === undefined || series.pid !== running.pid) {
      const pid = running.pid;
      series = {
        pid,
        byPeriod: new Map(this.periods.map((p) => [p, new ProcessIntegrator(identifier, running.namespec, pid, p, this.histo)])),
      };
      byName.set(running.namespec, series);
    }
    const payloads: ProcessStatsPayload[] = [];
    for (const integrator of series.byPeriod.values()) {
      const payload = integrator.push(running, nowMonotonic);
      if (payload !== null) payloads.push(payload);
    }
    return payloads;
  }

  /** Core count of an instance: from its host samples, else from its `supervisord` sample, else 0. */
  nbCores(identifier: string): number {
    return this.hostCores.get(identifier) || this.processCores.get(identifier) || 0;
  }

  /** Records the core count the `supervisord` process sample of an instance carries. */
  setNbCores(identifier: string, n: number): void {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`invalid core count: ${n}`);
    this.processCores.set(identifier, n);
  }

  /** A copy of the host history of an instance for a configured period; null if unknown. */
  hostHistory(identifier: string, period: number): HostHistory | null {
    return this.hosts.get(identifier)?.get(period)?.history() ?? null;
  }

  /**
   * A copy of a process history for a configured period; null if unknown. cpuFactor 1 = IRIX;
   * Solaris: pass the instance's core count (a factor that is not a positive number counts as 1).
   */
  processHistory(identifier: string, namespec: string, period: number, cpuFactor = 1): ProcessHistory | null {
    return this.procs.get(identifier)?.get(namespec)?.byPeriod.get(period)?.history(cpuFactor) ?? null;
  }

  /** The namespecs with series on an instance, in order of first appearance. */
  processes(identifier: string): string[] {
    return [...(this.procs.get(identifier)?.keys() ?? [])];
  }

  /** Drops everything of an instance (series and core counts): the instance is lost. */
  removeInstance(identifier: string): void {
    this.hosts.delete(identifier);
    this.procs.delete(identifier);
    this.hostCores.delete(identifier);
    this.processCores.delete(identifier);
  }

  /**
   * Drops the host or process series of one instance, or of all: statistics were disabled, and
   * re-enabling them starts fresh series (the first sample after is a new reference). Core counts
   * are kept.
   */
  clear(kind: "host" | "process", identifier?: string): void {
    const map = kind === "host" ? this.hosts : this.procs;
    if (identifier === undefined) map.clear();
    else map.delete(identifier);
  }
}
