/** Anything that can add a batch of view counts (posts, FAQ entries). */
export interface ViewSink {
  addViews(counts: Map<string, number>): Promise<void>;
}

export interface ViewCounterLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A batch that failed is merged back and tried again this many times before it is dropped (a minute at the
 * default 5 s interval: longer than a replica-set election). */
export const MAX_VIEW_FLUSH_ATTEMPTS = 12;
/** Upper bound on distinct ids held while storage is failing, so an outage cannot exhaust memory. */
export const MAX_PENDING_VIEW_IDS = 50_000;

/**
 * Views (of questions, of FAQ entries) are counted in memory and written in one batch every few seconds, so a
 * busy question page does not turn every read into a database write.
 *
 * The flush runs from a timer, where nobody awaits it: a storage failure (a MongoDB step-down, a full disk)
 * must never escape as an unhandled rejection, which would end the process. A failed batch is merged back
 * into the pending counts and retried with the next flush, at most MAX_VIEW_FLUSH_ATTEMPTS times; after that
 * (or when the outage outgrows MAX_PENDING_VIEW_IDS) the counts are dropped with a log line. View counts are
 * a popularity signal, not data a user wrote, so losing a batch after a long outage is acceptable.
 */
export class ViewCounter {
  private pending = new Map<string, number>();
  /** Failed flushes in a row for the counts now pending (0 when the last flush succeeded). */
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<boolean> | null = null;

  constructor(
    private readonly sink: ViewSink,
    private readonly flushEveryMs = 5000,
    private readonly log: ViewCounterLog | null = null,
  ) {}

  count(id: string): void {
    if (!this.pending.has(id) && this.pending.size >= MAX_PENDING_VIEW_IDS) return;
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
    this.schedule();
  }

  /** Counts not yet written (for health reports and tests). */
  get pendingIds(): number {
    return this.pending.size;
  }

  private schedule(): void {
    if (!this.timer && this.flushEveryMs > 0) {
      // flush() never rejects; the catch is a second guard so a timer can never end the process.
      this.timer = setTimeout(() => {
        this.flush().catch(() => undefined);
      }, this.flushEveryMs);
      this.timer.unref();
    }
  }

  /**
   * Writes the pending counts. Never rejects: resolves true when everything pending was written
   * (or nothing was pending), false when the write failed and the counts wait for the next flush
   * or were dropped.
   */
  async flush(): Promise<boolean> {
    // One write at a time: a shutdown flush during a timer flush waits for it, then writes the rest.
    while (this.flushing) await this.flushing;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return true;
    this.flushing = this.writeBatch();
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private async writeBatch(): Promise<boolean> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.sink.addViews(batch);
      this.failures = 0;
      return true;
    } catch (err) {
      this.failures++;
      const message = err instanceof Error ? err.message : String(err);
      if (this.failures >= MAX_VIEW_FLUSH_ATTEMPTS) {
        this.log?.error({ err: message, ids: batch.size, attempts: this.failures }, 'view counts dropped: storage kept failing');
        this.failures = 0;
        return false;
      }
      // Merge the batch back under the views counted meanwhile, within the memory bound.
      for (const [id, n] of batch) {
        if (!this.pending.has(id) && this.pending.size >= MAX_PENDING_VIEW_IDS) continue;
        this.pending.set(id, (this.pending.get(id) ?? 0) + n);
      }
      this.log?.warn({ err: message, ids: batch.size, attempt: this.failures }, 'view counts not written; retrying with the next flush');
      this.schedule();
      return false;
    }
  }
}
