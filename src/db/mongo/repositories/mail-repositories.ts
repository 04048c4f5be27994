import { randomBytes } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { Locale } from '../../../domain/types.js';
import type { AccountMailRepository, AccountToken, MailProfile, MailQueueCounts, MailQueueRepository, MailStorage, NewAccountToken, NewMail, NotificationDelivery, NotificationPrefsRepository, QueuedMail } from '../../ports.js';
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
  markVerifiedQuery,
  prefsForUserQuery,
  profileQuery,
  profilesQuery,
  setLocaleQuery,
  setPrefQuery,
  tokenQuery,
  useOtherResetTokensQuery,
  useTokenQuery,
} from '../queries/mail.js';
import { setPasswordQuery, sessionsOfUserQuery } from '../queries/accounts.js';
import { foldKey, type UserDoc } from '../models/user.js';
import type { AccountTokenDoc, MailProfileDoc } from '../models/index.js';
import { isDuplicateKeyError } from '../connection.js';
import { ConflictError } from '../../../domain/errors.js';
import { countDocuments, deleteMany, findMany, findOne, findOneAndUpdate, insert, updateMany, updateOne, type MongoContext } from './context.js';

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

const toProfile = (d: MailProfileDoc): MailProfile => ({ userId: String(d._id), locale: d.locale as Locale, verifiedEmail: d.verifiedEmail ?? null, verifiedAt: d.verifiedAt ?? null });

/** Every consume is one transaction: the token is marked used together with its change, or not at all. */
export class MongoAccountMailRepository implements AccountMailRepository {
  constructor(private readonly ctx: MongoContext) {}

  async profile(userId: string): Promise<MailProfile | null> {
    const n = parseId(userId);
    if (n === null) return null;
    const d = await findOne<MailProfileDoc>(this.ctx.models.mailProfiles, profileQuery(n));
    return d ? toProfile(d) : null;
  }

  async profiles(userIds: string[]): Promise<Map<string, MailProfile>> {
    const ids = userIds.map(parseId).filter((n): n is number => n !== null);
    if (ids.length === 0) return new Map();
    const docs = await findMany<MailProfileDoc>(this.ctx.models.mailProfiles, profilesQuery(ids));
    return new Map(docs.map((d) => [String(d._id), toProfile(d)]));
  }

  async setLocale(userId: string, locale: Locale): Promise<void> {
    const n = parseId(userId);
    if (n !== null) await updateOne(this.ctx.models.mailProfiles, setLocaleQuery(n, locale));
  }

  async issueToken(token: NewAccountToken, mail: NewMail): Promise<void> {
    const n = parseId(token.userId);
    if (n === null) return;
    await this.ctx.tx(async (session) => {
      await insert(this.ctx.models.accountTokens, [{ _id: token.hash, userId: n, purpose: token.purpose, email: token.email, createdAt: token.now, expiresAt: token.expiresAt, usedAt: null }], session);
      await enqueueMongoMail(this.ctx, mail, session);
    });
  }

  async findToken(hash: string): Promise<AccountToken | null> {
    const d = await findOne<AccountTokenDoc>(this.ctx.models.accountTokens, tokenQuery(hash));
    return d ? { userId: String(d.userId), purpose: d.purpose, email: d.email, createdAt: d.createdAt, expiresAt: d.expiresAt, usedAt: d.usedAt ?? null } : null;
  }

  async consumeVerify(hash: string, now: number): Promise<{ userId: string; email: string } | null> {
    return this.ctx.tx(async (session) => {
      const t = await findOneAndUpdate<AccountTokenDoc>(this.ctx.models.accountTokens, useTokenQuery(hash, 'verify', now), session);
      if (!t) return null;
      const user = await findOne<UserDoc>(this.ctx.models.users, { filter: { _id: t.userId } }, session);
      if (!user || foldKey(user.email) !== foldKey(t.email)) return null;
      await updateOne(this.ctx.models.mailProfiles, markVerifiedQuery(t.userId, user.email, now), session);
      return { userId: String(t.userId), email: user.email };
    });
  }

  async consumeReset(hash: string, passwordHash: string, now: number): Promise<{ userId: string } | null> {
    return this.ctx.tx(async (session) => {
      const t = await findOneAndUpdate<AccountTokenDoc>(this.ctx.models.accountTokens, useTokenQuery(hash, 'reset', now), session);
      if (!t) return null;
      await updateOne(this.ctx.models.users, setPasswordQuery(t.userId, passwordHash), session);
      await deleteMany(this.ctx.models.sessions, sessionsOfUserQuery(t.userId), session);
      await updateMany(this.ctx.models.accountTokens, useOtherResetTokensQuery(t.userId, now), session);
      return { userId: String(t.userId) };
    });
  }

  /*
   * The address is checked and written before the token is marked, so a taken address fails
   * before anything is written; a token used meanwhile by a concurrent click aborts the
   * transaction (and with it the address change).
   */
  async consumeChangeEmail(hash: string, now: number): Promise<{ userId: string; email: string } | null> {
    const lost = new Error('token used meanwhile');
    try {
      return await this.ctx.tx(async (session) => {
        const t = await findOne<AccountTokenDoc>(this.ctx.models.accountTokens, tokenQuery(hash), session);
        if (!t || t.purpose !== 'change-email' || t.usedAt !== null || t.expiresAt <= now) return null;
        await updateOne(this.ctx.models.users, { filter: { _id: t.userId }, update: { $set: { email: t.email, emailKey: foldKey(t.email) } } }, session);
        if (!(await findOneAndUpdate<AccountTokenDoc>(this.ctx.models.accountTokens, useTokenQuery(hash, 'change-email', now), session))) throw lost;
        await updateOne(this.ctx.models.mailProfiles, markVerifiedQuery(t.userId, t.email, now), session);
        return { userId: String(t.userId), email: t.email };
      });
    } catch (err) {
      if (err === lost) return null;
      if (isDuplicateKeyError(err)) throw new ConflictError('validation.emailTaken');
      throw err;
    }
  }
}

export function createMongoMailStorage(ctx: MongoContext, extra: Pick<MailStorage, 'notifications' | 'watches' | 'inbound'>): MailStorage {
  return { queue: new MongoMailQueueRepository(ctx), prefs: new MongoNotificationPrefsRepository(ctx), accounts: new MongoAccountMailRepository(ctx), ...extra };
}
