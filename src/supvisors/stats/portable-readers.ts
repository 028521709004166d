/**
 * The readers used where there is no /proc (macOS, the BSDs): less than on Linux, but statistics
 * rather than NOT_INSTALLED.
 * - Host: per-core and mean CPU from os.cpus() (work = user + nice + sys + irq, idle = idle; the
 *   platform has no iowait or steal), used memory from os.totalmem/freemem, and the usage of the
 *   root partition (statfs works everywhere). No network or disk I/O counters: Node offers none.
 * - Processes: `pidusage` (ps underneath), asynchronous, so the collector calls prepare() with the
 *   pids it is about to read and then reads them from its answer. Only the process itself is
 *   measured: without /proc there is no cheap way to its descendants.
 */
import { statfsSync } from "node:fs";
import { cpus, freemem, totalmem } from "node:os";
import pidusage from "pidusage";
import type { HostReaderPort, TreeReaderPort } from "./collector.js";
import type { CpuJiffies, HostSample, ProcessUsage } from "./types.js";

const round1 = (x: number) => Math.round(x * 10) / 10;

export class PortableHostReader implements HostReaderPort {
  sample(now: number): HostSample {
    const cores: CpuJiffies[] = cpus().map(({ times: t }) => [t.user + t.nice + t.sys + t.irq, t.idle]);
    const n = cores.length || 1;
    const mean: CpuJiffies = [cores.reduce((s, c) => s + c[0], 0) / n, cores.reduce((s, c) => s + c[1], 0) / n];
    const total = totalmem();
    const disk_usage: Record<string, number> = {};
    try {
      const f = statfsSync("/");
      const used = (f.blocks - f.bfree) * f.bsize;
      const avail = f.bavail * f.bsize;
      if (used + avail > 0) disk_usage["/"] = round1((used / (used + avail)) * 100);
    } catch {
      // no usage figure rather than no sample
    }
    return { now, cpu: [mean, ...cores], mem: total > 0 ? round1(((total - freemem()) / total) * 100) : 0, net_io: {}, disk_usage, disk_io: {} };
  }

  close(): void {}
}

type Usage = pidusage.Status;
type Measure = (pids: number[]) => Promise<Record<string, Usage>>;

export class PidusageTreeReader implements TreeReaderPort {
  private answers = new Map<number, ProcessUsage>();
  private readonly memTotal = totalmem();

  /** `measure`: pidusage by default (tests pass their own). */
  constructor(private readonly measure: Measure = (pids) => pidusage(pids)) {}

  /** Measures the pids about to be read; a pid that is gone is absent from the answer. */
  async prepare(pids: readonly number[]): Promise<void> {
    this.answers.clear();
    const wanted = [...new Set(pids.filter((p) => Number.isSafeInteger(p) && p > 0))];
    if (wanted.length === 0) return;
    let stats: Record<string, Usage>;
    try {
      stats = await this.measure(wanted);
    } catch {
      // pidusage fails the whole batch when one pid is gone: measure them one by one instead.
      stats = {};
      for (const pid of wanted) {
        try {
          Object.assign(stats, await this.measure([pid]));
        } catch {
          // gone
        }
      }
    }
    for (const [pid, s] of Object.entries(stats)) {
      if (s) this.answers.set(Number(pid), { proc_work: s.ctime / 1000, proc_memory: this.memTotal > 0 ? (s.memory / this.memTotal) * 100 : 0 });
    }
  }

  usage(pid: number): ProcessUsage | null {
    return this.answers.get(pid) ?? null;
  }

  usageNoChildren(pid: number): ProcessUsage | null {
    return this.usage(pid);
  }

  forget(pid: number): void {
    this.answers.delete(pid);
  }

  close(): void {
    this.answers.clear();
    void pidusage.clear?.();
  }
}
