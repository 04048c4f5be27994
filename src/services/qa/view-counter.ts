import type { PostRepository } from '../../db/ports.js';

/**
 * Question views are counted in memory and written in one batch every few seconds, so a
 * busy question page does not turn every read into a database write.
 */
export class ViewCounter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly posts: PostRepository,
    private readonly flushEveryMs = 5000,
  ) {}

  count(questionId: string): void {
    this.pending.set(questionId, (this.pending.get(questionId) ?? 0) + 1);
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
    await this.posts.addViews(batch);
  }
}
