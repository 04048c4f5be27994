import type { ClientSession } from 'mongoose';
import type {
  DigestFaqEntry, DigestFrequency, DigestQuestion, DigestRepository, DigestSubscription, Newsletter, NewsletterDraft, NewsletterRepository, WatchedTargets,
} from '../../digest-port.js';
import type { NewMail, NotificationRecord } from '../../ports.js';
import { parseId } from '../ids.js';
import type { CommunityNewsDoc, DigestSubscriptionDoc, FaqEntryDoc, MembershipDoc, NewsletterDoc, NotificationDoc, PostDoc, WatchDoc } from '../models/index.js';
import { text } from '../queries/spec.js';
import { enqueueMongoMail } from './mail-repositories.js';
import { deleteOne, findMany, findOne, findOneAndUpdate, insert, updateOne, type MongoContext } from './context.js';

const whole = (n: number) => Math.max(0, Math.floor(n));
const idList = (ids: string[]) => ids.map(parseId).filter((n): n is number => n !== null);
const toSub = (d: DigestSubscriptionDoc): DigestSubscription => ({ userId: String(d._id), frequency: d.frequency, lastDigestAt: d.lastDigestAt ?? null });

export class MongoDigestRepository implements DigestRepository {
  constructor(private readonly ctx: MongoContext) {}

  async get(userId: string): Promise<DigestSubscription | null> {
    const id = parseId(userId);
    if (id === null) return null;
    const doc = await findOne<DigestSubscriptionDoc>(this.ctx.models.digestSubscriptions, { filter: { _id: id } });
    return doc ? toSub(doc) : null;
  }

  async setFrequency(userId: string, frequency: DigestFrequency, now: number): Promise<void> {
    const id = parseId(userId);
    if (id === null) return;
    // The window starts at the first choice; later changes keep it.
    await updateOne(this.ctx.models.digestSubscriptions, { filter: { _id: id }, update: { $set: { frequency, updatedAt: now }, $setOnInsert: { lastDigestAt: now } }, options: { upsert: true } });
  }

  async due(frequency: Exclude<DigestFrequency, 'off'>, periodStart: number, limit: number): Promise<DigestSubscription[]> {
    const docs = await findMany<DigestSubscriptionDoc>(this.ctx.models.digestSubscriptions, {
      filter: { frequency, $or: [{ lastDigestAt: null }, { lastDigestAt: { $lt: periodStart } }] },
      sort: { _id: 1 },
      limit: whole(limit),
    });
    return docs.map(toSub);
  }

  async notificationsSince(userId: string, kinds: string[], since: number, limit: number): Promise<NotificationRecord[]> {
    const id = parseId(userId);
    if (id === null || kinds.length === 0) return [];
    const docs = await findMany<NotificationDoc>(this.ctx.models.notifications, {
      filter: { userId: id, kind: { $in: kinds.map(text) }, createdAt: { $gte: since } },
      sort: { createdAt: 1, _id: 1 },
      limit: whole(limit),
    });
    return docs.map((d) => ({
      id: String(d._id), userId: String(d.userId), kind: d.kind, actorId: d.actorId == null ? null : String(d.actorId), threadId: d.threadId == null ? null : String(d.threadId),
      title: d.title, link: d.link, createdAt: d.createdAt, readAt: d.readAt ?? null,
    }));
  }

  async watchedTargets(userId: string): Promise<WatchedTargets> {
    const id = parseId(userId);
    const out: WatchedTargets = { communityIds: [], tags: [] };
    if (id === null) return out;
    const docs = await findMany<WatchDoc>(this.ctx.models.watches, { filter: { userId: id, targetType: { $in: ['community', 'tag'] } }, sort: { targetType: 1, targetId: 1 } });
    for (const d of docs) {
      if (d.targetType === 'community') out.communityIds.push(d.targetId);
      else {
        const m = /^(\d+):(.+)$/.exec(d.targetId);
        if (m) out.tags.push({ communityId: m[1]!, tag: m[2]! });
      }
    }
    return out;
  }

  async newQuestions(targets: WatchedTargets, since: number, until: number, limit: number): Promise<DigestQuestion[]> {
    const or: Array<Record<string, unknown>> = [];
    const communities = idList(targets.communityIds);
    if (communities.length > 0) or.push({ communityId: { $in: communities } });
    for (const t of targets.tags) {
      const c = parseId(t.communityId);
      if (c !== null) or.push({ communityId: c, tags: text(t.tag) });
    }
    if (or.length === 0) return [];
    const docs = await findMany<PostDoc>(this.ctx.models.posts, {
      filter: { type: 'question', deletedAt: null, createdAt: { $gte: since, $lt: until }, $or: or },
      sort: { score: -1, answerCount: -1, createdAt: -1, _id: -1 },
      limit: whole(limit),
    });
    return docs.map((d) => ({
      id: String(d._id), communityId: String(d.communityId), authorId: String(d.authorId), title: d.title ?? '', slug: d.slug ?? '', score: d.score, answerCount: d.answerCount ?? 0, createdAt: d.createdAt,
    }));
  }

  async newFaqEntries(communityIds: string[], since: number, until: number, limit: number): Promise<DigestFaqEntry[]> {
    const list = idList(communityIds);
    if (list.length === 0) return [];
    const docs = await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, {
      filter: { communityId: { $in: list }, status: 'published', createdAt: { $gte: since, $lt: until } },
      sort: { createdAt: -1, _id: -1 },
      limit: whole(limit),
    });
    return docs.map((d) => ({ id: String(d._id), communityId: String(d.communityId), title: d.title, slug: d.slug, createdAt: d.createdAt }));
  }

  async complete(userId: string, periodStart: number, coveredUntil: number, mail: NewMail | null): Promise<boolean> {
    const id = parseId(userId);
    if (id === null) return false;
    return this.ctx.tx(async (session: ClientSession) => {
      const result = await updateOne(
        this.ctx.models.digestSubscriptions,
        { filter: { _id: id, $or: [{ lastDigestAt: null }, { lastDigestAt: { $lt: periodStart } }] }, update: { $set: { lastDigestAt: coveredUntil } } },
        session,
      );
      if (result.modifiedCount !== 1) return false;
      if (mail) await enqueueMongoMail(this.ctx, mail, session);
      return true;
    });
  }
}

const toNewsletter = (d: NewsletterDoc): Newsletter => ({
  id: String(d._id),
  communityId: String(d.communityId),
  authorId: String(d.authorId),
  subject: d.subject,
  bodyMd: d.bodyMd,
  bodyHtml: d.bodyHtml,
  bodyText: d.bodyText,
  status: d.status,
  scheduledAt: d.scheduledAt ?? null,
  sentAt: d.sentAt ?? null,
  recipientCount: d.recipientCount ?? 0,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export class MongoNewsletterRepository implements NewsletterRepository {
  constructor(private readonly ctx: MongoContext) {}

  async create(d: NewsletterDraft): Promise<Newsletter> {
    const communityId = parseId(d.communityId);
    const authorId = parseId(d.authorId);
    if (communityId === null || authorId === null) throw new Error('newsletter needs a community and an author');
    const doc: NewsletterDoc = {
      _id: await this.ctx.reserveId('newsletters'), communityId, authorId, subject: text(d.subject), bodyMd: text(d.bodyMd), bodyHtml: text(d.bodyHtml), bodyText: text(d.bodyText),
      status: 'draft', scheduledAt: null, sentAt: null, recipientCount: 0, createdAt: d.now, updatedAt: d.now,
    };
    await insert(this.ctx.models.newsletters, [doc]);
    return toNewsletter(doc);
  }

  async update(id: string, f: Pick<NewsletterDraft, 'subject' | 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>): Promise<Newsletter | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOneAndUpdate<NewsletterDoc>(this.ctx.models.newsletters, {
      filter: { _id: n, status: { $ne: 'sent' } },
      update: { $set: { subject: text(f.subject), bodyMd: text(f.bodyMd), bodyHtml: text(f.bodyHtml), bodyText: text(f.bodyText), status: 'draft', scheduledAt: null, updatedAt: f.now } },
      options: { returnDocument: 'after' },
    });
    return doc ? toNewsletter(doc) : null;
  }

  async findById(id: string): Promise<Newsletter | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<NewsletterDoc>(this.ctx.models.newsletters, { filter: { _id: n } });
    return doc ? toNewsletter(doc) : null;
  }

  async listSent(communityId: string, offset: number, limit: number): Promise<Newsletter[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    const docs = await findMany<NewsletterDoc>(this.ctx.models.newsletters, { filter: { communityId: c, status: 'sent' }, sort: { sentAt: -1, _id: -1 }, skip: whole(offset), limit: whole(limit) });
    return docs.map(toNewsletter);
  }

  async listUnsent(communityId: string, limit: number): Promise<Newsletter[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    const docs = await findMany<NewsletterDoc>(this.ctx.models.newsletters, { filter: { communityId: c, status: { $ne: 'sent' } }, sort: { updatedAt: -1, _id: -1 }, limit: whole(limit) });
    return docs.map(toNewsletter);
  }

  async schedule(id: string, at: number, now: number): Promise<boolean> {
    const n = parseId(id);
    if (n === null) return false;
    const result = await updateOne(this.ctx.models.newsletters, { filter: { _id: n, status: { $ne: 'sent' } }, update: { $set: { status: 'scheduled', scheduledAt: at, updatedAt: now } } });
    return result.matchedCount === 1;
  }

  async due(now: number, limit: number): Promise<Newsletter[]> {
    const docs = await findMany<NewsletterDoc>(this.ctx.models.newsletters, { filter: { status: 'scheduled', scheduledAt: { $lte: now } }, sort: { scheduledAt: 1, _id: 1 }, limit: whole(limit) });
    return docs.map(toNewsletter);
  }

  async markSent(id: string, mails: NewMail[], now: number): Promise<boolean> {
    const n = parseId(id);
    if (n === null) return false;
    return this.ctx.tx(async (session) => {
      const result = await updateOne(
        this.ctx.models.newsletters,
        { filter: { _id: n, status: 'scheduled' }, update: { $set: { status: 'sent', sentAt: now, recipientCount: mails.length, updatedAt: now } } },
        session,
      );
      if (result.modifiedCount !== 1) return false;
      for (const m of mails) await enqueueMongoMail(this.ctx, m, session);
      return true;
    });
  }

  async setOptIn(userId: string, communityId: string, on: boolean, now: number): Promise<void> {
    const u = parseId(userId);
    const c = parseId(communityId);
    if (u === null || c === null) return;
    const _id = `${c}:${u}`;
    if (on) await updateOne(this.ctx.models.communityNews, { filter: { _id }, update: { $setOnInsert: { communityId: c, userId: u, createdAt: now } }, options: { upsert: true } });
    else await deleteOne(this.ctx.models.communityNews, { filter: { _id } });
  }

  async isOptedIn(userId: string, communityId: string): Promise<boolean> {
    const u = parseId(userId);
    const c = parseId(communityId);
    if (u === null || c === null) return false;
    return (await findOne<CommunityNewsDoc>(this.ctx.models.communityNews, { filter: { _id: `${c}:${u}` }, projection: { _id: 1 } })) !== null;
  }

  async optedInCommunities(userId: string): Promise<string[]> {
    const u = parseId(userId);
    if (u === null) return [];
    const docs = await findMany<CommunityNewsDoc>(this.ctx.models.communityNews, { filter: { userId: u }, sort: { communityId: 1 } });
    return docs.map((d) => String(d.communityId));
  }

  async subscribers(communityId: string): Promise<string[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    const opted = await findMany<CommunityNewsDoc>(this.ctx.models.communityNews, { filter: { communityId: c }, sort: { userId: 1 } });
    if (opted.length === 0) return [];
    // Leaving a community stops its news: only current members count.
    const members = await findMany<MembershipDoc>(this.ctx.models.memberships, { filter: { communityId: c, userId: { $in: opted.map((d) => d.userId) } }, projection: { userId: 1 } });
    const current = new Set(members.map((m) => m.userId));
    return opted.filter((d) => current.has(d.userId)).map((d) => String(d.userId));
  }
}
