import type { LeaseRepository } from '../../ports.js';
import { isDuplicateKeyError } from '../connection.js';
import type { JobLeaseDoc } from '../models/index.js';
import { acquireLeaseQuery, releaseLeaseQuery } from '../queries/leases.js';
import { deleteOne, findOneAndUpdate, type MongoContext } from './context.js';

/** Single-document writes: the jobLeases primary key decides between racing instances. */
export class MongoLeaseRepository implements LeaseRepository {
  constructor(private readonly ctx: MongoContext) {}

  async acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean> {
    try {
      const doc = await findOneAndUpdate<JobLeaseDoc>(this.ctx.models.jobLeases, acquireLeaseQuery(name, owner, now, ttlMs));
      return doc !== null && doc.owner === owner;
    } catch (err) {
      // Another owner holds an unexpired lease: our upsert collided with its document.
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    await deleteOne(this.ctx.models.jobLeases, releaseLeaseQuery(name, owner));
  }
}
