import type { NewMail } from '../../ports.js';
import { parseId } from '../ids.js';
import { MAIL_ERROR_MAX } from '../models/mail-queue.js';
import { count, text, type FindSpec, type UpdateSpec } from './spec.js';

/*
 * The mail queue (collection mailQueue, models/mail-queue.ts) and notification preferences.
 * Enqueue is an upsert on the idempotency key, usable inside an event's transaction; the
 * worker's claim, sent and failed are single conditional writes, safe to repeat.
 */

/** Inserts the mail under `id` unless its key exists; nothing changes when it does. */
export function enqueueMailQuery(id: number, mail: NewMail): UpdateSpec {
  return {
    filter: { idempotencyKey: text(mail.idempotencyKey) },
    update: {
      $setOnInsert: {
        _id: id,
        to: text(mail.to),
        userId: mail.userId === null ? null : parseId(mail.userId),
        kind: text(mail.kind),
        locale: mail.locale,
        subject: text(mail.subject),
        html: text(mail.html),
        text: text(mail.text),
        headers: JSON.stringify(mail.headers),
        status: 'queued',
        attempts: 0,
        nextAttemptAt: mail.now,
        leaseOwner: null,
        leaseUntil: 0,
        lastError: null,
        createdAt: mail.now,
        sentAt: null,
        messageId: null,
      },
    },
    options: { upsert: true },
  };
}

export const mailByKeyQuery = (key: string): FindSpec => ({ filter: { idempotencyKey: text(key) }, projection: { _id: 1 } });

const claimable = (now: number) => ({ status: 'queued', nextAttemptAt: { $lte: now }, leaseUntil: { $lt: now } });

export const mailClaimCandidatesQuery = (now: number, limit: number): FindSpec => ({
  filter: claimable(now),
  sort: { nextAttemptAt: 1, _id: 1 },
  limit: count(limit),
  projection: { _id: 1 },
});

/** The claimable conditions are repeated, so of two racing workers only the first lease write matches. */
export const mailClaimLeaseQuery = (ids: number[], token: string, now: number, leaseMs: number): UpdateSpec => ({
  filter: { _id: { $in: ids }, ...claimable(now) },
  update: { $set: { leaseOwner: token, leaseUntil: now + leaseMs } },
});

export const mailClaimedQuery = (ids: number[], token: string): FindSpec => ({ filter: { _id: { $in: ids }, leaseOwner: token } });

/** Tokens are "<owner>#<hex>": a prefix match names every claim of this owner and no other. */
const heldBy = (owner: string) => ({ leaseOwner: { $regex: `^${text(owner).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#[0-9a-f]+$` } });

export const mailSentQuery = (owner: string, id: number, messageId: string, now: number): UpdateSpec => ({
  filter: { _id: id, status: 'queued', ...heldBy(owner) },
  update: { $set: { status: 'sent', sentAt: now, messageId: text(messageId).slice(0, 300), lastError: null, leaseOwner: null, leaseUntil: 0 }, $inc: { attempts: 1 } },
});

export const mailFailedQuery = (owner: string, id: number, error: string, retryAt: number, giveUp: boolean): UpdateSpec => ({
  filter: { _id: id, status: 'queued', ...heldBy(owner) },
  update: {
    $set: { status: giveUp ? 'failed' : 'queued', lastError: text(error).slice(0, MAIL_ERROR_MAX), nextAttemptAt: retryAt, leaseOwner: null, leaseUntil: 0 },
    $inc: { attempts: 1 },
  },
});

export const mailByIdQuery = (id: number): FindSpec => ({ filter: { _id: id } });

export const mailListQuery = (offset: number, limit: number): FindSpec => ({
  filter: {},
  sort: { createdAt: -1, _id: -1 },
  skip: count(offset),
  limit: count(limit),
});

export const mailStatusCountQuery = (status: string): FindSpec => ({ filter: { status } });

export const prefsForUserQuery = (userId: number): FindSpec => ({ filter: { userId }, projection: { kind: 1, delivery: 1 } });

export const setPrefQuery = (userId: number, kind: string, delivery: string, now: number): UpdateSpec => ({
  filter: { _id: `${userId}:${text(kind)}` },
  update: { $set: { userId, kind: text(kind), delivery, updatedAt: now } },
  options: { upsert: true },
});

/* ---------- account mail: profiles and single-use tokens ---------- */

export const profileQuery = (userId: number): FindSpec => ({ filter: { _id: userId } });
export const profilesQuery = (userIds: number[]): FindSpec => ({ filter: { _id: { $in: userIds } } });

export const setLocaleQuery = (userId: number, locale: string): UpdateSpec => ({
  filter: { _id: userId },
  update: { $set: { locale }, $setOnInsert: { verifiedEmail: null, verifiedAt: null } },
  options: { upsert: true },
});

export const markVerifiedQuery = (userId: number, email: string, now: number): UpdateSpec => ({
  filter: { _id: userId },
  update: { $set: { verifiedEmail: text(email), verifiedAt: now }, $setOnInsert: { locale: 'en' } },
  options: { upsert: true },
});

export const tokenQuery = (hash: string): FindSpec => ({ filter: { _id: text(hash) } });

/** Marks the token used when it has this purpose, is unused and unexpired (one conditional write). */
export const useTokenQuery = (hash: string, purpose: string, now: number): UpdateSpec => ({
  filter: { _id: text(hash), purpose, usedAt: null, expiresAt: { $gt: now } },
  update: { $set: { usedAt: now } },
  options: { returnDocument: 'after' },
});

export const useOtherResetTokensQuery = (userId: number, now: number): UpdateSpec => ({
  filter: { userId, purpose: 'reset', usedAt: null },
  update: { $set: { usedAt: now } },
});
