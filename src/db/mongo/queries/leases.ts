import { text, type FindSpec, type UpdateSpec } from './spec.js';

/*
 * Job leases (collection jobLeases). Acquire is one findOneAndUpdate: it matches the lease
 * when it has expired or is ours (renewal) and then takes it; when another owner holds it,
 * nothing matches, the upsert tries to insert a second document with the same _id and the
 * primary key refuses it (a duplicate-key error, which the repository turns into false).
 */
export const acquireLeaseQuery = (name: string, owner: string, now: number, ttlMs: number): UpdateSpec => ({
  filter: { _id: text(name), $or: [{ until: { $lt: now } }, { owner: text(owner) }] },
  update: { $set: { owner: text(owner), until: now + ttlMs } },
  options: { upsert: true, returnDocument: 'after' },
});

/** Only the holder can release: a late release after someone else took over changes nothing. */
export const releaseLeaseQuery = (name: string, owner: string): FindSpec => ({ filter: { _id: text(name), owner: text(owner) } });
