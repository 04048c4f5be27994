import { randomBytes } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { Locale } from '../../../domain/types.js';
import type { MailQueueCounts, MailQueueRepository, MailStorage, NewMail, NotificationDelivery, NotificationPrefsRepository, QueuedMail } from '../../ports.js';
import { parseId } from '../ids.js';
import type { MailQueueDoc, NotificationPrefDoc } from '../models/index.js';
import {
  enqueueMailQuery,
  mailByIdQuery,
  mailByKeyQuery,
  mailClaimCandidatesQuery,
  mailClaimedQuery,
  mailClaimLeaseQuery,
  mailFailedQuery,
  mailListQuery,
  mailSentQuery,
  mailStatusCountQuery,
  prefsForUserQuery,
  setPrefQuery,
} from '../queries/mail.js';
import { countDocuments, findMany, findOne, updateMany, updateOne, type MongoContext } from './context.js';

function toMail(d: MailQueueDoc): QueuedMail {
  return {
    id: String(d._id),
    idempotencyKey: d.idempotencyKey,
    to: d.to,
    userId: d.userId === null || d.userId === undefined ? null : String(d.userId),
    kind: d.kind,
    locale: d.locale as Locale,
    subject: d.subject,
    html: d.html,
    text: d.text,
    headers: JSON.parse(d.headers || '{}') as Record<string, string>,
    status: d.status,
    attempts: d.attempts ?? 0,
    nextAttemptAt: d.nextAttemptAt,
    lastError: d.lastError ?? null,
    createdAt: d.createdAt,
    sentAt: d.sentAt ?? null,
    messageId: d.messageId ?? null,
  };
}

/**
 * Queues a mail, inside the caller's transaction when a session is given (an event's
 * repository queues its mail with the event). The id is reserved first, outside any
 * transaction as every id is (ids.ts); a duplicate key leaves that id unused.
 */
export async function enqueueMongoMail(ctx: MongoContext, mail: NewMail, session?: ClientSession): Promise<{ id: string; created: boolean }> {
  const id = await ctx.reserveId('mail');
  const result = await updateOne(ctx.models.mailQueue, enqueueMailQuery(id, mail), session);
  if (result.upsertedCount === 1) return { id: String(id), created: true };
  const existing = await findOne<MailQueueDoc>(ctx.models.mailQueue, mailByKeyQuery(mail.idempotencyKey), session);
  return { id: String(existing!._id), created: false };
}

export class MongoMailQueueRepository implements MailQueueRepository {
  constructor(private readonly ctx: MongoContext) {}

  enqueue(mail: NewMail): Promise<{ id: string; created: boolean }> {
    return enqueueMongoMail(this.ctx, mail);
  }

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedMail[]> {
    if (!(limit >= 1)) return [];
    const model = this.ctx.models.mailQueue;
    const candidates = (await findMany<MailQueueDoc>(model, mailClaimCandidatesQuery(now, limit))).map((d) => d._id);
    if (candidates.length === 0) return [];
    const token = `${owner}#${randomBytes(8).toString('hex')}`;
    const leased = await updateMany(model, mailClaimLeaseQuery(candidates, token, now, leaseMs));
    if (leased.modifiedCount === 0) return [];
    const held = new Map((await findMany<MailQueueDoc>(model, mailClaimedQuery(candidates, token))).map((d) => [d._id, d]));
    return candidates.flatMap((id) => {
      const d = held.get(id);
      return d ? [toMail(d)] : [];
    });
  }

  async markSent(owner: string, id: string, messageId: string, now: number): Promise<void> {
    const n = parseId(id);
    if (n !== null) await updateOne(this.ctx.models.mailQueue, mailSentQuery(owner, n, messageId, now));
  }

  async markFailed(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    const n = parseId(id);
    if (n !== null) await updateOne(this.ctx.models.mailQueue, mailFailedQuery(owner, n, error, retryAt, giveUp));
  }

  async findById(id: string): Promise<QueuedMail | null> {
    const n = parseId(id);
    if (n === null) return null;
    const d = await findOne<MailQueueDoc>(this.ctx.models.mailQueue, mailByIdQuery(n));
    return d ? toMail(d) : null;
  }

  async list(offset: number, limit: number): Promise<QueuedMail[]> {
    return (await findMany<MailQueueDoc>(this.ctx.models.mailQueue, mailListQuery(offset, limit))).map(toMail);
  }

  async counts(): Promise<MailQueueCounts> {
    const model = this.ctx.models.mailQueue;
    const [queued, sent, failed] = await Promise.all(['queued', 'sent', 'failed'].map((s) => countDocuments(model, mailStatusCountQuery(s))));
    return { queued: queued!, sent: sent!, failed: failed! };
  }
}

export class MongoNotificationPrefsRepository implements NotificationPrefsRepository {
  constructor(private readonly ctx: MongoContext) {}

  async get(userId: string): Promise<Record<string, NotificationDelivery>> {
    const n = parseId(userId);
    if (n === null) return {};
    const docs = await findMany<NotificationPrefDoc>(this.ctx.models.notificationPrefs, prefsForUserQuery(n));
    return Object.fromEntries(docs.map((d) => [d.kind, d.delivery]));
  }

  async set(userId: string, kind: string, delivery: NotificationDelivery, now: number): Promise<void> {
    const n = parseId(userId);
    if (n !== null) await updateOne(this.ctx.models.notificationPrefs, setPrefQuery(n, kind, delivery, now));
  }
}

export function createMongoMailStorage(ctx: MongoContext): MailStorage {
  return { queue: new MongoMailQueueRepository(ctx), prefs: new MongoNotificationPrefsRepository(ctx) };
}
