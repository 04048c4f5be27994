import type { RateLimitRepository } from '../../ports.js';
import { isDuplicateKeyError } from '../connection.js';
import type { RateLimitDoc } from '../models/index.js';
import { rateLimitHitQuery, rateLimitKeyQuery } from '../queries/accounts.js';
import { deleteOne, findOne, findOneAndUpdate, type MongoContext } from './context.js';

export class MongoRateLimitRepository implements RateLimitRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * One atomic findOneAndUpdate (see rateLimitHitQuery), no transaction. When two first hits
   * on a new key race, one upsert loses with a duplicate key; it retries and then finds the
   * document, so no hit is lost.
   */
  async hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
    const spec = rateLimitHitQuery(key, windowMs, now);
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await findOneAndUpdate<RateLimitDoc>(this.ctx.models.rateLimits, spec);
        return { count: doc!.count, resetAt: doc!.resetAt };
      } catch (err) {
        if (isDuplicateKeyError(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  async peek(key: string, now: number): Promise<{ count: number; resetAt: number } | null> {
    const doc = await findOne<RateLimitDoc>(this.ctx.models.rateLimits, rateLimitKeyQuery(key));
    if (!doc || doc.resetAt <= now) return null;
    return { count: doc.count, resetAt: doc.resetAt };
  }

  async reset(key: string): Promise<void> {
    await deleteOne(this.ctx.models.rateLimits, rateLimitKeyQuery(key));
  }
}
