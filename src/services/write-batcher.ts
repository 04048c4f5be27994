export interface WriteBatcherLog {
  error(obj: object, msg: string): void;
}

export interface WriteBatcherOptions {
  /** A batch is written when this many items wait. */
  maxItems: number;
  /** ...or this long after the first of them (0: only by size, flush() and close; for tests). */
  flushMs: number;
  /** Items held while storage is failing, at most: an outage must not exhaust memory. */
  maxBuffered: number;
  log: WriteBatcherLog | null;
  /** Names the items in the log line of a dropped batch ("searches", "events"). */
  noun: string;
}

/**
 * Statistics rows (search log, self-service events) written in batches off the request path:
 * items wait in memory until maxItems wait or flushMs has passed, then one write stores them
 * all, batches one after another in the order items came. A write per item made every page
 * served a database write (a WAL commit, and every few hundred a checkpoint stall).
 *
 * A process that dies loses at most the last flushMs of items (statistics, not user data); a
 * failed batch is logged and dropped, never thrown at a request or a timer.
 */
export class WriteBatcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly options: WriteBatcherOptions,
  ) {}

  /** Items waiting to be written (for tests and health reports). */
  get pending(): number {
    return this.buffer.length;
  }

  add(item: T): void {
    if (this.buffer.length >= this.options.maxBuffered) return;
    this.buffer.push(item);
    if (this.buffer.length >= this.options.maxItems) void this.flush();
    else this.schedule();
  }

  /** Writes every waiting item (and waits for a batch already being written). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.write(batch);
      } catch (err) {
        this.options.log?.error({ err, [this.options.noun]: batch.length }, `${this.options.noun} could not be written; batch dropped`);
      }
    });
    return this.writing;
  }

  private schedule(): void {
    if (this.timer || this.options.flushMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // flush() never rejects; the catch keeps a timer from ever ending the process.
      this.flush().catch(() => undefined);
    }, this.options.flushMs);
    this.timer.unref();
  }
}
