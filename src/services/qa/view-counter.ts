/** Anything that can add a batch of view counts (posts, FAQ entries). */
export interface ViewSink {
  addViews(counts: Map<string, number>): Promise<void>;
}

/**
 * Views (of questions, of FAQ entries) are counted in memory and written in one batch every few seconds, so a
 * busy question page does not turn every read into a database write.
 */
export class ViewCounter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sink: ViewSink,
    private readonly flushEveryMs = 5000,
  ) {}

  count(id: string): void {
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
    if (!this.timer && this.flushEveryMs > 0) {
      this.timer = setTimeout(() => void this.flush(), this.flushEveryMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    await this.sink.addViews(batch);
  }
}
