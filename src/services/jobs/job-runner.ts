import type { LeaseRepository } from '../../db/ports.js';

/*
 * Periodic background jobs for a forum that may run as several stateless instances. Every
 * instance runs the same timers, but before each run it must take the job's lease from the
 * database: only the holder runs the job, the others skip that round. The holder renews the
 * lease each time it runs, and if it dies the lease expires and another instance takes over.
 */

export interface Job<R = unknown> {
  name: string;
  intervalMs: number;
  run(): Promise<R>;
  /**
   * Whether a run (given its result) may have changed what a page shows. After such a run the
   * content generation moves, so every page cached before it is rendered again
   * (services/index.ts); a run that found nothing to do must not cost that. Absent: always.
   */
  changedContent?(result: R): boolean;
}

export interface JobLog {
  debug?(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class JobRunner {
  private timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly leases: LeaseRepository,
    private readonly owner: string,
    private readonly jobs: Job[],
    private readonly now: () => number = Date.now,
    private readonly log: JobLog | null = null,
  ) {}

  get jobNames(): string[] {
    return this.jobs.map((j) => j.name);
  }

  /**
   * Runs the job now if this instance holds (or can take) its lease. The lease outlives one
   * interval a little, so the holder keeps it from one run to the next.
   */
  async runIfLeader(name: string): Promise<boolean> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const leader = await this.leases.acquire(`job:${job.name}`, this.owner, this.now(), Math.round(job.intervalMs * 1.5));
    if (!leader) return false;
    await job.run();
    return true;
  }

  private tick(job: Job): void {
    const run = this.runIfLeader(job.name)
      .then((ran) => {
        // Debug: at info, the minute jobs alone wrote several lines a minute on an idle forum.
        if (ran) this.log?.debug?.({ job: job.name }, 'background job ran');
      })
      .catch((err: unknown) => this.log?.error({ job: job.name, err: err instanceof Error ? err.message : String(err) }, 'background job failed'))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  start(): void {
    if (this.timers.length > 0) return;
    for (const job of this.jobs) {
      this.tick(job);
      const timer = setInterval(() => this.tick(job), job.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Stops the timers and waits for runs in progress, so shutdown never cuts a job in half. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled([...this.inFlight]);
  }
}
