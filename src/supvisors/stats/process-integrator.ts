/**
 * Integration of the raw samples of one process (one pid) on one instance for one period
 * (spec §9.3): pure, samples in, `pstats` payloads and a bounded history out. Same reference rule
 * as the host integrator: the first sample is the reference and sets the start time; a sample at
 * least `period` after the reference is integrated and becomes the reference; others are ignored.
 *
 * Routing is the caller's job (StatsCompiler): a stopped sample (pid 0) or a sample of another pid
 * must not reach this integrator; the caller drops it or builds a new one instead.
 */
import { pushBounded } from "./host-integrator.js";
import type { ProcessHistory, ProcessRunningSample, ProcessStatsPayload } from "./types.js";

export class ProcessIntegrator {
  private ref: ProcessRunningSample | null = null;
  private start = 0;
  private readonly times: number[] = [];
  private readonly cpu: number[] = [];
  private readonly mem: number[] = [];

  /**
   * @param identifier the instance the process runs on
   * @param namespec the process
   * @param pid the pid the series are built for (copied into the payloads)
   * @param period the integration period P, seconds
   * @param histo the maximum length of every series (`stats_histo`), a positive integer
   */
  constructor(
    readonly identifier: string,
    readonly namespec: string,
    readonly pid: number,
    readonly period: number,
    readonly histo: number,
  ) {
    if (!Number.isSafeInteger(histo) || histo < 1) throw new RangeError(`invalid statistics history depth: ${histo}`);
  }

  /** Integrates a sample: the `pstats` payload, or null when the sample only became (or was not) the reference. */
  push(sample: ProcessRunningSample, nowMonotonic: number): ProcessStatsPayload | null {
    const ref = this.ref;
    if (ref === null) {
      this.ref = sample;
      this.start = sample.now;
      return null;
    }
    const duration = sample.now - ref.now;
    if (!(duration >= this.period)) return null;
    // IRIX: 100 = one full core, more with several busy cores
    const cpu = duration > 0 ? (100 * (sample.proc_work - ref.proc_work)) / duration : 0;
    const uptime = sample.now - this.start;
    const payload: ProcessStatsPayload = {
      namespec: this.namespec,
      identifier: this.identifier,
      pid: this.pid,
      now_monotonic: nowMonotonic,
      target_period: this.period,
      period: [ref.now - this.start, uptime],
      cpu,
      mem: sample.proc_memory,
    };
    pushBounded(this.times, uptime, this.histo);
    pushBounded(this.cpu, cpu, this.histo);
    pushBounded(this.mem, sample.proc_memory, this.histo);
    this.ref = sample;
    return payload;
  }

  /**
   * A copy of the history. `cpuFactor` divides the cpu values: 1 = IRIX, the instance's core count
   * = Solaris (a total that never exceeds 100). A factor that is not a positive finite number is 1.
   */
  history(cpuFactor = 1): ProcessHistory {
    const factor = Number.isFinite(cpuFactor) && cpuFactor > 0 ? cpuFactor : 1;
    return {
      pid: this.pid,
      times: [...this.times],
      cpu: factor === 1 ? [...this.cpu] : this.cpu.map((v) => v / factor),
      mem: [...this.mem],
    };
  }
}
