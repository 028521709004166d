/**
 * The outer level of the Starter's and Stopper's plans (spec §6.4): application jobs by
 * application rank. The jobs of one rank run together; the next rank (lowest first for starts,
 * greatest first for stops) begins when all of them finished. A job planned at the rank in
 * progress joins it at once.
 */
export interface RankedJob {
  readonly application: { readonly name: string };
  readonly rank: number;
}

export class RankedPlan<J extends RankedJob> {
  /** Application rank -> application -> job, for the ranks not begun yet. */
  private readonly planned = new Map<number, Map<string, J>>();
  /** The jobs of the rank in progress. */
  private readonly current = new Map<string, J>();
  private currentRank: number | null = null;
  private holding = false;

  constructor(
    private readonly order: "lowest-first" | "greatest-first",
    /** Called when a job begins (its rank's turn came, or it joined the rank in progress). */
    private readonly begin: (job: J) => void,
  ) {}

  busy(): boolean {
    return this.current.size > 0 || this.planned.size > 0;
  }

  handles(application: string): boolean {
    return this.find(application) !== undefined;
  }

  /** The application's job, current or planned. */
  find(application: string): J | undefined {
    const cur = this.current.get(application);
    if (cur) return cur;
    for (const m of this.planned.values()) {
      const j = m.get(application);
      if (j) return j;
    }
    return undefined;
  }

  isCurrent(job: J): boolean {
    return this.current.get(job.application.name) === job;
  }

  currentJobs(): J[] {
    return [...this.current.values()];
  }

  allJobs(): J[] {
    return [...this.current.values(), ...[...this.planned.values()].flatMap((m) => [...m.values()])];
  }

  /** Plans a job (a planned one of the same application is replaced; a current one must be removed first). */
  store(job: J): void {
    const name = job.application.name;
    for (const [rank, m] of [...this.planned]) {
      m.delete(name);
      if (m.size === 0) this.planned.delete(rank);
    }
    if (this.currentRank !== null && job.rank === this.currentRank) {
      this.current.set(name, job);
      this.begin(job);
      return;
    }
    let m = this.planned.get(job.rank);
    if (!m) this.planned.set(job.rank, (m = new Map()));
    m.set(name, job);
    if (this.current.size === 0 && !this.holding) this.next();
  }

  /**
   * Plans several jobs before any begins (the global start / stop, conciliation): the ranks then
   * run in their order, whatever order the jobs were planned in.
   */
  batch(plan: () => void): void {
    this.holding = true;
    try {
      plan();
    } finally {
      this.holding = false;
    }
    if (this.current.size === 0) this.next();
  }

  /**
   * A job ended or was dropped: `ended` runs once it is out of the plan, then the next rank
   * begins if its rank has no job left.
   */
  remove(job: J, ended: () => void = () => undefined): void {
    const name = job.application.name;
    if (this.current.get(name) === job) {
      this.current.delete(name);
      ended();
      if (this.current.size === 0 && !this.holding) this.next();
      return;
    }
    for (const [rank, m] of [...this.planned]) {
      if (m.get(name) === job) m.delete(name);
      if (m.size === 0) this.planned.delete(rank);
    }
  }

  clear(): void {
    this.planned.clear();
    this.current.clear();
    this.currentRank = null;
  }

  private next(): void {
    while (this.current.size === 0) {
      this.currentRank = null;
      if (this.planned.size === 0) return;
      const ranks = [...this.planned.keys()];
      const rank = this.order === "lowest-first" ? Math.min(...ranks) : Math.max(...ranks);
      const jobs = this.planned.get(rank)!;
      this.planned.delete(rank);
      this.currentRank = rank;
      for (const [name, job] of jobs) this.current.set(name, job);
      // A job may end as it begins (nothing to do): the loop then moves to the next rank.
      for (const job of jobs.values()) if (this.isCurrent(job)) this.begin(job);
    }
  }
}
