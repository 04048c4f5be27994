import { randomBytes } from 'node:crypto';
import type { OutboxBacklog, OutboxEntry, OutboxFailure, OutboxRepository } from '../../ports.js';
import type { SearchOutboxDoc } from '../models/index.js';
import {
  claimCandidatesQuery,
  claimedQuery,
  claimLeaseQuery,
  completeOps,
  failedQuery,
  leaseToken,
  listFailedQuery,
  oldestPendingQuery,
  pendingQuery,
  pruneQuery,
  releaseQuery,
  requeueQuery,
  retryQuery,
} from '../queries/outbox.js';
import { bulk, countDocuments, deleteMany, findMany, findOne, updateMany, updateOne, type MongoContext } from './context.js';

/*
 * The worker's side of the outbox. Entries are written by the content repositories (through
 * MongoContext.enqueueSearch, inside their transactions); nothing here is a transaction:
 * every step is one conditional write on entries keyed by document id, safe to repeat, and
 * a worker that dies mid-way only leaves a lease that expires.
 */
export class MongoOutboxRepository implements OutboxRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Read candidates, lease them to a token fresh for this claim, read back what the token
   * holds. Two instances claiming at once may read the same candidates, but the lease write
   * repeats the claimable conditions, so each entry goes to exactly one token.
   */
  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<OutboxEntry[]> {
    if (!(limit >= 1)) return [];
    const model = this.ctx.models.searchOutbox;
    const candidates = (await findMany<SearchOutboxDoc>(model, claimCandidatesQuery(now, limit))).map((d) => d._id);
    if (candidates.length === 0) return [];
    const token = leaseToken(owner, randomBytes(8).toString('hex'));
    const leased = await updateMany(model, claimLeaseQuery(candidates, token, now, leaseMs));
    if (leased.modifiedCount === 0) return [];
    const held = new Map((await findMany<SearchOutboxDoc>(model, claimedQuery(candidates, token))).map((d) => [d._id, d]));
    return candidates.flatMap((id) => {
      const d = held.get(id);
      return d ? [{ docId: d._id, version: d.version, attempts: d.attempts ?? 0, changedAt: d.changedAt }] : [];
    });
  }

  /** Done where the claimed version is still current; then the lease goes on the rest too. */
  async complete(owner: string, entries: Array<Pick<OutboxEntry, 'docId' | 'version'>>, now: number): Promise<void> {
    if (entries.length === 0) return;
    await bulk(this.ctx.models.searchOutbox, completeOps(owner, entries, now));
    await updateMany(this.ctx.models.searchOutbox, releaseQuery(owner, entries.map((e) => e.docId)));
  }

  /**
   * When the document changed since the claim, the new change starts afresh (attempts 0),
   * so this failure is not counted against it: only the lease is released.
   */
  async retry(owner: string, entry: Pick<OutboxEntry, 'docId' | 'version'>, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    const result = await updateOne(this.ctx.models.searchOutbox, retryQuery(owner, entry, error, retryAt, giveUp));
    if (result.matchedCount === 0) await updateMany(this.ctx.models.searchOutbox, releaseQuery(owner, [entry.docId]));
  }

  async backlog(): Promise<OutboxBacklog> {
    const model = this.ctx.models.searchOutbox;
    const [pending, failed, oldest] = await Promise.all([
      countDocuments(model, pendingQuery()),
      countDocuments(model, failedQuery()),
      findOne<SearchOutboxDoc>(model, oldestPendingQuery()),
    ]);
    return { pending, failed, oldestPendingAt: oldest ? oldest.changedAt : null };
  }

  async listFailed(limit: number): Promise<OutboxFailure[]> {
    const docs = await findMany<SearchOutboxDoc>(this.ctx.models.searchOutbox, listFailedQuery(limit));
    return docs.map((d) => ({ docId: d._id, attempts: d.attempts ?? 0, lastError: d.lastError ?? '', changedAt: d.changedAt }));
  }

  async requeueChangedSince(since: number, now: number): Promise<number> {
    return (await updateMany(this.ctx.models.searchOutbox, requeueQuery(since, now))).modifiedCount;
  }

  async prune(before: number): Promise<number> {
    return (await deleteMany(this.ctx.models.searchOutbox, pruneQuery(before))).deletedCount;
  }
}
