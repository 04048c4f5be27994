import { OUTBOX_ERROR_MAX } from '../models/search-outbox.js';
import type { BulkUpdateOne } from './qa.js';
import { count, text, type FindSpec, type UpdateSpec } from './spec.js';

/*
 * The search outbox (collection searchOutbox, see models/search-outbox.ts). Enqueue ops run
 * inside the content change's transaction; the worker's queries (claim, complete, retry)
 * run on their own, each a single conditional write that is safe to repeat.
 */

/**
 * One upsert per document id. Every change sets the entry pending from scratch (attempts 0,
 * no error) and bumps its version. The lease is deliberately left alone: a worker holding
 * the entry finishes, its complete() for the old version no longer matches and leaves the
 * entry pending, and releasing the lease makes it claimable at once.
 */
export function enqueueOps(docIds: Iterable<string>, now: number): BulkUpdateOne[] {
  return [...new Set(docIds)].map((docId) => ({
    updateOne: {
      filter: { _id: text(docId) },
      update: {
        $set: { status: 'pending', changedAt: now, nextAttemptAt: now, attempts: 0, lastError: null, doneAt: null },
        $inc: { version: 1 },
        $setOnInsert: { leaseOwner: null, leaseUntil: 0 },
      },
      upsert: true,
    },
  }));
}

/** What makes an entry claimable at `now`: pending, due, and not leased (or its lease expired). */
const claimable = (now: number) => ({ status: 'pending', nextAttemptAt: { $lte: now }, leaseUntil: { $lt: now } });

/** Step 1 of claim: candidate ids, oldest due first (served by search_outbox_claim). */
export const claimCandidatesQuery = (now: number, limit: number): FindSpec => ({
  filter: claimable(now),
  sort: { nextAttemptAt: 1, _id: 1 },
  limit: count(limit),
  projection: { _id: 1 },
});

/**
 * Step 2 of claim: lease the candidates that are still claimable to this claim's token. The
 * conditions are repeated so that of two workers racing for one entry only the first write
 * matches; the other's read-back (step 3) then does not see it.
 */
export const claimLeaseQuery = (ids: string[], token: string, now: number, leaseMs: number): UpdateSpec => ({
  filter: { _id: { $in: ids.map(text) }, ...claimable(now) },
  update: { $set: { leaseOwner: token, leaseUntil: now + leaseMs } },
});

/** Step 3 of claim: the entries this claim actually holds (by primary key, then token). */
export const claimedQuery = (ids: string[], token: string): FindSpec => ({
  filter: { _id: { $in: ids.map(text) }, leaseOwner: token },
  projection: { _id: 1, version: 1, attempts: 1, changedAt: 1, nextAttemptAt: 1 },
});

/** Characters a worker name may contain that mean something in a regular expression. */
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TOKEN_SUFFIX = /^[0-9a-f]{16}$/;

/**
 * A claim token: the owner, '#', and 16 hex digits fresh for each claim. The fixed-length
 * suffix is what lets ownedBy() tell "a" from "a#b" without storing the owner twice.
 */
export function leaseToken(owner: string, suffix: string): string {
  if (!TOKEN_SUFFIX.test(suffix)) throw new RangeError('a lease token suffix is 16 hex digits');
  return `${text(owner)}#${suffix}`;
}

/** Matches any claim token of `owner` (an anchored regex, so it uses no collection scan beyond the ids). */
export const ownedBy = (owner: string) => ({ $regex: `^${escapeRegex(text(owner))}#[0-9a-f]{16}$` });

const released = { leaseOwner: null, leaseUntil: 0 };

/**
 * complete, step 1: done only where the version is still the claimed one and this owner's
 * lease is on it. Another worker that claimed the entry after our lease expired holds its
 * own token, so our late complete() cannot mark its work done.
 */
export function completeOps(owner: string, entries: ReadonlyArray<{ docId: string; version: number }>, now: number): BulkUpdateOne[] {
  return entries.map((e) => ({
    updateOne: {
      filter: { _id: text(e.docId), version: e.version, status: 'pending', leaseOwner: ownedBy(owner) },
      update: { $set: { status: 'done', doneAt: now, ...released } },
    },
  }));
}

/** complete, step 2 (and retry's fallback): this owner lets go of whatever it still holds among these ids. */
export const releaseQuery = (owner: string, docIds: string[]): UpdateSpec => ({
  filter: { _id: { $in: docIds.map(text) }, leaseOwner: ownedBy(owner) },
  update: { $set: released },
});

/** A failed attempt on the claimed version; a newer change (other version) is left as it is. */
export function retryQuery(owner: string, entry: { docId: string; version: number }, error: string, retryAt: number, giveUp: boolean): UpdateSpec {
  return {
    filter: { _id: text(entry.docId), version: entry.version, leaseOwner: ownedBy(owner) },
    update: {
      $inc: { attempts: 1 },
      $set: { lastError: text(error).slice(0, OUTBOX_ERROR_MAX), nextAttemptAt: retryAt, status: giveUp ? 'failed' : 'pending', ...released },
    },
  };
}

export const pendingQuery = (): FindSpec => ({ filter: { status: 'pending' } });
export const failedQuery = (): FindSpec => ({ filter: { status: 'failed' } });

export const oldestPendingQuery = (): FindSpec => ({
  filter: { status: 'pending' },
  sort: { changedAt: 1 },
  limit: 1,
  projection: { changedAt: 1 },
});

export const listFailedQuery = (limit: number): FindSpec => ({
  filter: { status: 'failed' },
  sort: { changedAt: -1, _id: 1 },
  limit: count(limit),
  projection: { _id: 1, attempts: 1, lastError: 1, changedAt: 1 },
});

/**
 * Everything changed since `since`, whatever its status, is pending again from scratch. The
 * version is bumped as a change would be: a worker that claimed one of these before the
 * index swap may have written to the old index, and its complete() must not mark the entry
 * done.
 */
export const requeueQuery = (since: number, now: number): UpdateSpec => ({
  filter: { changedAt: { $gte: since } },
  update: { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, doneAt: null }, $inc: { version: 1 } },
});

export const pruneQuery = (before: number): FindSpec => ({ filter: { status: 'done', doneAt: { $lt: before } } });
