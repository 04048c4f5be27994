import type { RateLimitRepository, RateLimitReservation } from '../ports.js';
import type { Db } from './connection.js';

export class SqliteRateLimitRepository implements RateLimitRepository {
  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    return hitNow(this.db, key, windowMs, now);
  }

  async peek(key: string, now: number): Promise<{ count: number; resetAt: number } | null> {
    const row = this.db.prepare<[string], { count: number; reset_at: number }>('SELECT count, reset_at FROM rate_limits WHERE key = ?').get(key);
    if (!row || row.reset_at <= now) return null;
    return { count: row.count, resetAt: row.reset_at };
  }

  async reset(key: string): Promise<void> {
    this.db.prepare('DELETE FROM rate_limits WHERE key = ?').run(key);
  }

  async reserve(keys: ReadonlyArray<{ key: string; limit: number }>, windowMs: number, now: number): Promise<RateLimitReservation> {
    // One immediate transaction: the check and the counting cannot interleave with another
    // request, in this process or another one on the same file.
    const run = this.db.transaction((): RateLimitReservation => {
      let blockedUntil = 0;
      for (const { key, limit } of keys) {
        const row = this.db.prepare<[string], { count: number; reset_at: number }>('SELECT count, reset_at FROM rate_limits WHERE key = ?').get(key);
        if (row && row.reset_at > now && row.count >= limit) blockedUntil = Math.max(blockedUntil, row.reset_at);
      }
      if (blockedUntil > 0) return { granted: false, resetAt: blockedUntil };
      for (const { key } of keys) hitNow(this.db, key, windowMs, now);
      return { granted: true };
    });
    return run.immediate();
  }

  async release(key: string, now: number): Promise<void> {
    this.db.prepare('UPDATE rate_limits SET count = count - 1 WHERE key = ? AND reset_at > ? AND count > 0').run(key, now);
  }
}

/** One hit, synchronously (also inside reserve's transaction). */
function hitNow(db: Db, key: string, windowMs: number, now: number): { count: number; resetAt: number } {
  // One statement so two concurrent requests cannot both read a stale count.
  const row = db
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
