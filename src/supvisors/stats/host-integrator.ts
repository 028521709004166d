/**
 * Integration of the raw host samples of one instance for one period (spec §9.2): pure, samples
 * in, `hstats` payloads and a bounded history out. The caller passes its local monotonic time,
 * which only stamps the payload (`now_monotonic`); every computation uses the samples' `now`.
 *
 * The first sample becomes the reference and sets the start time. A later sample at least
 * `period` seconds after the reference is integrated against it and becomes the new reference;
 * a sample less than `period` after the reference (or before it) is ignored.
 *
 * Samples are kept by reference (the reference sample) and never mutated: the caller must not
 * mutate a sample after pushing it.
 */
import type { CpuJiffies, HostHistory, HostSample, HostStatsPayload, IoCounters, TimedSeries } from "./types.js";

/** cpu[i] = 100 × Δwork / (Δwork + Δidle), 0 when the denominator is 0; zipped over the shorter list. */
export function cpuPercents(latest: readonly CpuJiffies[], ref: readonly CpuJiffies[]): number[] {
  const n = Math.min(latest.length, ref.length);
  const cpu: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const work = latest[i][0] - ref[i][0];
    const total = work + (latest[i][1] - ref[i][1]);
    cpu[i] = total ? (100 * work) / total : 0;
  }
  return cpu;
}

/**
 * Kilobits per second (Δbytes / Δt / 128) of the items present in both samples whose two counters
 * did not wrap (new ≥ old); the others are left out. Δt ≤ 0 (only with a zero period) gives 0.
 */
export function ioRates(
  latest: Readonly<Record<string, IoCounters>>,
  ref: Readonly<Record<string, IoCounters>>,
  duration: number,
): Record<string, [number, number]> {
  const entries: [string, [number, number]][] = [];
  for (const name of Object.keys(latest)) {
    if (!Object.hasOwn(ref, name)) continue;
    const [lastIn, lastOut] = latest[name];
    const [refIn, refOut] = ref[name];
    if (lastIn < refIn || lastOut < refOut) continue;
    entries.push([name, duration > 0 ? [(lastIn - refIn) / duration / 128, (lastOut - refOut) / duration / 128] : [0, 0]]);
  }
  // fromEntries defines own properties: a "__proto__" interface name stays a plain key
  return Object.fromEntries(entries);
}

/** Number of cores from the length of a cpu list: len − 1 (element 0 is the mean), 1 for a single entry. */
export function nbCoresOf(cpu: readonly unknown[]): number {
  return cpu.length <= 1 ? cpu.length : cpu.length - 1;
}

/** Appends and drops the oldest values beyond `depth`. */
export function pushBounded(list: number[], value: number, depth: number): void {
  list.push(value);
  while (list.length > depth) list.shift();
}

interface MutableTimedSeries {
  times: number[];
  values: number[][];
}

function copySeries(map: Map<string, MutableTimedSeries>): Record<string, TimedSeries> {
  return Object.fromEntries([...map].map(([name, s]) => [name, { times: [...s.times], values: s.values.map((v) => [...v]) }]));
}

export class HostIntegrator {
  private ref: HostSample | null = null;
  private start = 0;
  private readonly times: number[] = [];
  private cpu: number[][] = [];
  private readonly mem: number[] = [];
  private readonly netIo = new Map<string, MutableTimedSeries>();
  private readonly diskIo = new Map<string, MutableTimedSeries>();
  private readonly diskUsage = new Map<string, MutableTimedSeries>();

  /**
   * @param identifier the instance measured (copied into the payloads)
   * @param period the integration period P, seconds
   * @param histo the maximum length of every series (`stats_histo`), a positive integer
   */
  constructor(
    readonly identifier: string,
    readonly period: number,
    readonly histo: number,
  ) {
    if (!Number.isSafeInteger(histo) || histo < 1) throw new RangeError(`invalid statistics history depth: ${histo}`);
  }

  /** Integrates a sample: the `hstats` payload, or null when the sample only became (or was not) the reference. */
  push(sample: HostSample, nowMonotonic: number): HostStatsPayload | null {
    const ref = this.ref;
    if (ref === null) {
      this.ref = sample;
      this.start = sample.now;
      return null;
    }
    if (!(sample.now - ref.now >= this.period)) return null;
    if (sample.cpu.length !== ref.cpu.length) {
      // the core count changed (cpu hot-plug): the cpu series cannot go on; restart from this sample
      this.reset(sample);
      return null;
    }
    const duration = sample.now - ref.now;
    const uptime = sample.now - this.start;
    const cpu = cpuPercents(sample.cpu, ref.cpu);
    const netIo = ioRates(sample.net_io, ref.net_io, duration);
    const diskIo = ioRates(sample.disk_io, ref.disk_io, duration);
    const diskUsage = Object.fromEntries(Object.keys(sample.disk_usage).map((k): [string, number] => [k, sample.disk_usage[k]]));
    const payload: HostStatsPayload = {
      identifier: this.identifier,
      now_monotonic: nowMonotonic,
      target_period: this.period,
      period: [ref.now - this.start, uptime],
      cpu,
      mem: sample.mem,
      net_io: netIo,
      disk_io: diskIo,
      disk_usage: diskUsage,
    };
    // history (the payload's arrays are never shared with it)
    pushBounded(this.times, uptime, this.histo);
    if (this.cpu.length !== cpu.length) this.cpu = cpu.map(() => []);
    cpu.forEach((value, i) => pushBounded(this.cpu[i], value, this.histo));
    pushBounded(this.mem, sample.mem, this.histo);
    this.pushTimed(this.netIo, netIo, uptime);
    this.pushTimed(this.diskIo, diskIo, uptime);
    this.pushTimed(
      this.diskUsage,
      Object.fromEntries(Object.entries(diskUsage).map(([k, v]) => [k, [v]])),
      uptime,
    );
    this.ref = sample;
    return payload;
  }

  /** A copy of the history: the caller may keep or mutate it. */
  history(): HostHistory {
    return {
      times: [...this.times],
      cpu: this.cpu.map((s) => [...s]),
      mem: [...this.mem],
      net_io: copySeries(this.netIo),
      disk_io: copySeries(this.diskIo),
      disk_usage: copySeries(this.diskUsage),
    };
  }

  private reset(sample: HostSample): void {
    this.ref = sample;
    this.start = sample.now;
    this.times.length = 0;
    this.cpu = [];
    this.mem.length = 0;
    this.netIo.clear();
    this.diskIo.clear();
    this.diskUsage.clear();
  }

  /**
   * Items both in the history and in the integration get the new uptime and values; items of the
   * history absent from the integration are dropped; new items start a series at this uptime.
   */
  private pushTimed(history: Map<string, MutableTimedSeries>, values: Record<string, number[]>, uptime: number): void {
    for (const [name, series] of history) {
      if (!Object.hasOwn(values, name)) {
        history.delete(name);
        continue;
      }
      pushBounded(series.times, uptime, this.histo);
      values[name].forEach((v, i) => pushBounded(series.values[i], v, this.histo));
    }
    for (const name of Object.keys(values)) {
      if (!history.has(name)) history.set(name, { times: [uptime], values: values[name].map((v) => [v]) });
    }
  }
}
