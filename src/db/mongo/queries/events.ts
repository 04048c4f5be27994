import { EVENT_ERROR_MAX, qaEvent, type EventRequest, type QaEventKind } from '../../event-port.js';
import { count, text, type FindSpec, type UpdateSpec } from './spec.js';

/*
 * The event outbox (collection eventOutbox, models/event-outbox.ts). Recording is an upsert on
 * the key inside the write's transaction; the worker's claim, complete and retry are single
 * conditional writes, safe to repeat.
 */

/** Inserts the event under `id` unless its key exists; nothing changes when it does. */
export function recordEventQuery(id: number, kind: QaEventKind, request: EventRequest, ids: Parameters<typeof qaEvent>[2], now: number): UpdateSpec {
  const { key, payload } = qaEvent(kind, request.actorId, ids);
  return {
    filter: { key: text(key) },
    update: {
      $setOnInsert: {
        _id: id,
        kind,
        payload: JSON.stringify(payload),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        leaseOwner: null,
        leaseUntil: 0,
        lastError: null,
        createdAt: now,
        doneAt: null,
      },
    },
    options: { upsert: true },
  };
}

const claimable = (now: number) => ({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lt: now } });

export const eventClaimCandidatesQuery = (now: number, limit: number): FindSpec => ({
  filter: claimable(now),
  sort: { nextAttemptAt: 1, _id: 1 },
  limit: count(limit),
  projection: { _id: 1 },
});

/** The claimable conditions are repeated, so of two racing workers only the first lease write matches. */
export const eventClaimLeaseQuery = (ids: number[], token: string, now: number, leaseMs: number): UpdateSpec => ({
  filter: { _id: { $in: ids }, ...claimable(now) },
  update: { $set: { leaseOwner: token, leaseUntil: now + leaseMs } },
});

export const eventClaimedQuery = (ids: number[], token: string): FindSpec => ({ filter: { _id: { $in: ids }, leaseOwner: token } });

/** Tokens are "<owner>#<hex>": a prefix match names every claim of this owner and no other. */
const heldBy = (owner: string) => ({ leaseOwner: { $regex: `^${text(owner).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#[0-9a-f]+$` } });

export const eventDoneQuery = (owner: string, id: number, now: number): UpdateSpec => ({
  filter: { _id: id, status: 'pending', ...heldBy(owner) },
  update: { $set: { status: 'done', doneAt: now, lastError: null, leaseOwner: null, leaseUntil: 0 } },
});

export const eventRetryQuery = (owner: string, id: number, error: string, retryAt: number, giveUp: boolean): UpdateSpec => ({
  filter: { _id: id, status: 'pending', ...heldBy(owner) },
  update: {
    $set: { status: giveUp ? 'failed' : 'pending', lastError: text(error).slice(0, EVENT_ERROR_MAX), nextAttemptAt: retryAt, leaseOwner: null, leaseUntil: 0 },
    $inc: { attempts: 1 },
  },
});

export const eventStatusCountQuery = (status: string): FindSpec => ({ filter: { status } });

export const failedEventsQuery = (limit: number): FindSpec => ({ filter: { status: 'failed' }, sort: { createdAt: -1, _id: -1 }, limit: count(limit) });

export const pruneEventsQuery = (before: number): FindSpec => ({ filter: { status: 'done', doneAt: { $lt: before } } });
