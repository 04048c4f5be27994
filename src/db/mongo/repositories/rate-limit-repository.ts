import type { RateLimitRepository, RateLimitReservation } from '../../ports.js';
import { isDuplicateKeyError } from '../connection.js';
import type { RateLimitDoc } from '../models/index.js';
import { rateLimitHitQuery, rateLimitKeyQuery, rateLimitReleaseQuery, rateLimitReserveQuery } from '../queries/accounts.js';
import { deleteOne, findOne, findOneAndUpdate, updateOne, type MongoContext } from './context.js';

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

  /**
   * Each key is reserved by one conditional atomic update (rateLimitReserveQuery), so no two
   * requests can take the same last attempt of a key. The keys are reserved in order; when a
   * later key refuses, the ones already taken are given back, so a refused request counts
   * nothing. (Between the two steps another request may briefly see one attempt too many
   * taken and be refused: the safe side.)
   */
  async reserve(keys: ReadonlyArray<{ key: string; limit: number }>, windowMs: number, now: number): Promise<RateLimitReservation> {
    const taken: string[] = [];
    for (const { key, limit } of keys) {
      const doc = await reserveOne(this.ctx, key, limit, windowMs, now);
      if (doc.granted !== true) {
        for (const k of taken) await this.release(k, now);
        return { granted: false, resetAt: doc.resetAt };
      }
      taken.push(key);
    }
    return { granted: true };
  }

  async release(key: string, now: number): Promise<void> {
    await updateOne(this.ctx.models.rateLimits, rateLimitReleaseQuery(key, now));
  }
}

/** One conditional reservation of one key; a race between two first upserts retries. */
async function reserveOne(ctx: MongoContext, key: string, limit: number, windowMs: number, now: number): Promise<RateLimitDoc> {
  const spec = rateLimitReserveQuery(key, limit, windowMs, now);
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await findOneAndUpdate<RateLimitDoc>(ctx.models.rateLimits, spec);
      return doc!;
    } catch (err) {
      if (isDuplicateKeyError(err) && attempt < 5) continue;
      throw err;
    }
  }
}
