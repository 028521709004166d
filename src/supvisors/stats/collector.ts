/**
 * When to read what (spec §9.1): the host every collecting period, each running process (its
 * whole tree) every collecting period, the daemon itself as the `supervisord` entry. Samples come
 * out in batches for the caller to integrate and send to the other instances.
 *
 * Supvisors does this in a separate Python process because psutil is slow; our readers are
 * preads on kept descriptors (tens of microseconds a process), so it runs in the daemon, with two
 * rules that keep the daemon responsive:
 * - wake-ups are coalesced: an entry is read when it is due (never early: an integration period
 *   then spans whole collecting periods) but up to `slack` late, so entries due close together
 *   share one wake-up, and entries read together stay together. A thousand processes started
 *   over a minute cost a couple of wake-ups a second, not two hundred.
 * - a wake-up reads for at most `sliceBudgetMs`, then yields to the event loop (setImmediate) and
 *   goes on: a large batch never holds RPC answers or heartbeats for more than a few ms.
 */
import type { HostSample, ProcessSample, ProcessUsage } from "./types.js";

export interface HostReaderPort {
  sample(now: number): HostSample;
  close(): void;
}

export interface TreeReaderPort {
  /** The process and all its descendants; null when the process is gone. */
  usage(pid: number): ProcessUsage | null;
  /** The process alone (the daemon's own entry: its children are the programs). */
  usageNoChildren(pid: number): ProcessUsage | null;
  forget(pid: number): void;
  close(): void;
  /**
   * For readers that can only measure asynchronously (pidusage, where there is no /proc): called
   * with the pids of a round before their usage() is read.
   */
  prepare?(pids: readonly number[]): Promise<void>;
}

export interface SampleBatch {
  readonly host: HostSample | null;
  readonly processes: ProcessSample[];
  /** Host statistics were just disabled: the series of this instance are to be dropped. */
  readonly hostReset: boolean;
}

export interface CollectorOptions {
  readonly host: boolean;
  readonly process: boolean;
  /** stats_collecting_period, seconds. */
  readonly periodS: number;
  /** The daemon's pid: the `supervisord` entry. */
  readonly selfPid: number;
  /** Logical cores, sent with the `supervisord` entry (Solaris mode on the other instances). */
  readonly nbCores: number;
  /** Monotonic seconds. */
  readonly nowS: () => number;
  readonly sliceBudgetMs?: number;
  /** Errors other than "gone" (EMFILE...): logged once per kind, never thrown into the loop. */
  readonly onError?: (what: string, err: unknown) => void;
}

/** The name Supvisors gives the daemon's own entry. */
export const SUPERVISORD_ENTRY = "supervisord";

interface Entry {
  pid: number;
  /** Monotonic seconds of the last reading; -Infinity: due at once. */
  lastAt: number;
}

export class StatsCollector {
  private readonly entries = new Map<string, Entry>();
  private hostLastAt = -Infinity;
  private hostOn: boolean;
  private processOn: boolean;
  private period: number;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private timerAt = Infinity;
  private running = false;
  private closed = false;
  /** pid-0 samples of processes that stopped, sent with the next batch. */
  private stopped: ProcessSample[] = [];
  private hostReset = false;
  private readonly budgetMs: number;
  private readonly erroredOnce = new Set<string>();

  constructor(
    private readonly host: HostReaderPort,
    private readonly tree: TreeReaderPort,
    private readonly opts: CollectorOptions,
    private readonly onBatch: (b: SampleBatch) => void,
  ) {
    this.hostOn = opts.host;
    this.processOn = opts.process;
    this.period = opts.periodS;
    this.budgetMs = opts.sliceBudgetMs ?? 4;
    this.entries.set(SUPERVISORD_ENTRY, { pid: opts.selfPid, lastAt: -Infinity });
  }

  status(): { readonly host: boolean; readonly process: boolean; readonly periodS: number } {
    return { host: this.hostOn, process: this.processOn, periodS: this.period };
  }

  start(): void {
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.host.close();
    this.tree.close();
  }

  /** A local process's pid changed (0: it stopped). */
  setPid(namespec: string, pid: number): void {
    if (this.closed || namespec === SUPERVISORD_ENTRY) return;
    const e = this.entries.get(namespec);
    if (e && e.pid === pid) return;
    if (e) {
      this.tree.forget(e.pid);
      if (this.processOn) this.stopped.push({ namespec, pid: 0, now: this.opts.nowS() });
    }
    if (pid > 0) this.entries.set(namespec, { pid, lastAt: -Infinity });
    else this.entries.delete(namespec);
    this.schedule();
  }

  enableHost(on: boolean): void {
    if (on === this.hostOn) return;
    this.hostOn = on;
    // Re-enabled: a fresh reference, not one from before the gap.
    this.hostLastAt = -Infinity;
    if (!on) this.hostReset = true;
    this.schedule();
  }

  enableProcess(on: boolean): void {
    if (on === this.processOn) return;
    this.processOn = on;
    for (const [namespec, e] of this.entries) {
      e.lastAt = -Infinity;
      // Disabled: every instance drops the series (a pid-0 sample), so re-enabling starts fresh.
      if (!on) this.stopped.push({ namespec, pid: 0, now: this.opts.nowS() });
    }
    this.schedule();
  }

  /** Unlike Supvisors 0.19 (whose collector keeps its first period), the new period applies at once. */
  setPeriod(periodS: number): void {
    this.period = periodS;
    this.timerAt = Infinity;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.schedule();
  }

  /** How late an entry may be read so that its wake-up is shared. */
  private get slack(): number {
    return Math.min(0.5, this.period / 10);
  }

  /** Monotonic seconds of the next due entry (Infinity: nothing to read). */
  private nextDue(): number {
    let next = this.hostOn ? this.hostLastAt + this.period : Infinity;
    if (this.processOn) for (const e of this.entries.values()) if (e.lastAt + this.period < next) next = e.lastAt + this.period;
    return next;
  }

  private schedule(): void {
    if (this.closed || this.running) return;
    if (this.stopped.length || this.hostReset) {
      this.runSoon();
      return;
    }
    const due = this.nextDue();
    if (due === Infinity) return;
    const at = due + this.slack;
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.run();
    }, Math.max(0, (at - this.opts.nowS()) * 1000));
  }

  private runSoon(): void {
    if (this.immediate || this.running) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.run();
    });
  }

  /** One wake-up: reads what is due, in slices of at most budgetMs. */
  private run(): void {
    if (this.closed) return;
    this.running = true;
    const now = this.opts.nowS();
    const due: [string, Entry][] = [];
    if (this.processOn) for (const kv of this.entries) if (kv[1].lastAt + this.period <= now) due.push(kv);
    const host = this.hostOn && this.hostLastAt + this.period <= now;
    if (!this.tree.prepare || due.length === 0) {
      this.slice(due, 0, host);
      return;
    }
    this.tree.prepare(due.map(([, e]) => e.pid)).then(
      () => this.slice(due, 0, host),
      (err) => {
        this.guard("processes", () => {
          throw err;
        });
        this.slice(due, 0, host);
      },
    );
  }

  private slice(due: [string, Entry][], from: number, withHost: boolean): void {
    if (this.closed) return;
    const start = performance.now();
    let host: HostSample | null = null;
    if (withHost) {
      this.hostLastAt = this.opts.nowS();
      host = this.guard("host", () => this.host.sample(this.hostLastAt)) ?? null;
    }
    const processes = this.stopped.splice(0);
    let i = from;
    for (; i < due.length; i++) {
      if (i > from && performance.now() - start > this.budgetMs) break;
      const [namespec, e] = due[i]!;
      // Stopped or replaced since the wake-up began.
      if (this.entries.get(namespec) !== e) continue;
      const sample = this.read(namespec, e);
      if (sample) processes.push(sample);
    }
    const hostReset = this.hostReset;
    this.hostReset = false;
    if (host || processes.length || hostReset) this.onBatch({ host, processes, hostReset });
    if (i < due.length) {
      this.immediate = setImmediate(() => {
        this.immediate = null;
        this.slice(due, i, false);
      });
      return;
    }
    this.running = false;
    this.schedule();
  }

  private read(namespec: string, e: Entry): ProcessSample | null {
    const now = this.opts.nowS();
    e.lastAt = now;
    const self = namespec === SUPERVISORD_ENTRY;
    const usage = this.guard(namespec, () => (self ? this.tree.usageNoChildren(e.pid) : this.tree.usage(e.pid)));
    if (usage === undefined) return null;
    if (usage === null) {
      // Gone before its state change arrived: its series end now; setPid will bring it back.
      if (!self) this.entries.delete(namespec);
      this.tree.forget(e.pid);
      return self ? null : { namespec, pid: 0, now };
    }
    return self ? { namespec, pid: e.pid, now, ...usage, nb_cores: this.opts.nbCores } : { namespec, pid: e.pid, now, ...usage };
  }

  /** The reader's answer, or undefined after an unexpected error (reported once per what). */
  private guard<T>(what: string, f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      const key = `${what}|${(err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message}`;
      if (!this.erroredOnce.has(key)) {
        this.erroredOnce.add(key);
        this.opts.onError?.(what, err);
      }
      return undefined;
    }
  }
}
