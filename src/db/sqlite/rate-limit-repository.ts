import type { RateLimitRepository } from '../ports.js';
import type { Db } from './connection.js';

export class SqliteRateLimitRepository implements RateLimitRepository {
  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    // One statement so two concurrent requests cannot both read a stale count.
    const row = this.db
      .prepare<[string, number, number, number, number], { count: number; reset_at: number }>(
        `INSERT INTO rate_limits (key, count, reset_at) VALUES (?, 1, ?)
         ON CONFLICT(key) DO UPDATE SET
           count = CASE WHEN rate_limits.reset_at <= ? THEN 1 ELSE rate_limits.count + 1 END,
           reset_at = CASE WHEN rate_limits.reset_at <= ? THEN ? ELSE rate_limits.reset_at END
         RETURNING count, reset_at`,
      )
      .get(key, now + windowMs, now, now, now + windowMs)!;
    return { count: row.count, resetAt: row.reset_at };
  }

  async peek(key: string, now: number): Promise<{ count: number; resetAt: number } | null> {
    const row = this.db.prepare<[string], { count: number; reset_at: number }>('SELECT count, reset_at FROM rate_limits WHERE key = ?').get(key);
    if (!row || row.reset_at <= now) return null;
    return { count: row.count, resetAt: row.reset_at };
  }

  async reset(key: string): Promise<void> {
    this.db.prepare('DELETE FROM rate_limits WHERE key = ?').run(key);
  }
}
