import { randomBytes } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { EventOutboxCounts, EventOutboxRepository, EventRequest, QaEventKind, QaEventPayload, QueuedEvent } from '../../event-port.js';
import type { qaEvent } from '../../event-port.js';
import { parseId, SEQUENCES } from '../ids.js';
import type { EventOutboxDoc } from '../models/index.js';
import {
  eventClaimCandidatesQuery,
  eventClaimedQuery,
  eventClaimLeaseQuery,
  eventDoneQuery,
  eventRetryQuery,
  eventStatusCountQuery,
  failedEventsQuery,
  pruneEventsQuery,
  recordEventQuery,
} from '../queries/events.js';
import { countDocuments, deleteMany, findMany, updateMany, updateOne, type MongoContext } from './context.js';

const toEvent = (d: EventOutboxDoc): QueuedEvent => ({
  id: String(d._id),
  kind: d.kind,
  key: d.key,
  payload: JSON.parse(d.payload) as QaEventPayload,
  status: d.status,
  attempts: d.attempts ?? 0,
  lastError: d.lastError ?? null,
  createdAt: d.createdAt,
});

/**
 * Records a Q&A event in the caller's transaction (the post or comment repository passes its
 * session), so it commits or aborts with the write. The id is reserved outside the
 * transaction, as every id is (ids.ts); a key recorded before leaves that id unused.
 */
export async function recordMongoEvent(ctx: MongoContext, kind: QaEventKind, request: EventRequest, ids: Parameters<typeof qaEvent>[2], now: number, session: ClientSession): Promise<void> {
  const id = await ctx.reserveId(SEQUENCES.events);
  await updateOne(ctx.models.eventOutbox, recordEventQuery(id, kind, request, ids, now), session);
}

/*
 * The worker's side. Nothing here is a transaction: every step is one conditional write on
 * one event, safe to repeat; a worker that dies only leaves a lease that expires.
 */
export class MongoEventOutboxRepository implements EventOutboxRepository {
  constructor(private readonly ctx: MongoContext) {}

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedEvent[]> {
    if (!(limit >= 1)) return [];
    const model = this.ctx.models.eventOutbox;
    const candidates = (await findMany<EventOutboxDoc>(model, eventClaimCandidatesQuery(now, limit))).map((d) => d._id);
    if (candidates.length === 0) return [];
    const token = `${owner}#${randomBytes(8).toString('hex')}`;
    const leased = await updateMany(model, eventClaimLeaseQuery(candidates, token, now, leaseMs));
    if (leased.modifiedCount === 0) return [];
    const held = (await findMany<EventOutboxDoc>(model, eventClaimedQuery(candidates, token))).map(toEvent);
    return held.sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
  }

  async complete(owner: string, id: string, now: number): Promise<void> {
    const n = parseId(id);
    if (n !== null) await updateOne(this.ctx.models.eventOutbox, eventDoneQuery(owner, n, now));
  }

  async retry(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    const n = parseId(id);
    if (n !== null) await updateOne(this.ctx.models.eventOutbox, eventRetryQuery(owner, n, error, retryAt, giveUp));
  }

  async counts(): Promise<EventOutboxCounts> {
    const model = this.ctx.models.eventOutbox;
    const [pending, done, failed] = await Promise.all(['pending', 'done', 'failed'].map((s) => countDocuments(model, eventStatusCountQuery(s))));
    return { pending: pending!, done: done!, failed: failed! };
  }

  async listFailed(limit: number): Promise<QueuedEvent[]> {
    return (await findMany<EventOutboxDoc>(this.ctx.models.eventOutbox, failedEventsQuery(limit))).map(toEvent);
  }

  async prune(before: number): Promise<number> {
    return (await deleteMany(this.ctx.models.eventOutbox, pruneEventsQuery(before))).deletedCount;
  }
}
