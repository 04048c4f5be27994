import type { NotificationRecord, NotificationRepository, NotificationWrite, WatchRepository, WatchTarget } from '../../ports.js';
import { parseId } from '../ids.js';
import type { NotificationDoc, WatchDoc } from '../models/index.js';
import { text } from '../queries/spec.js';
import { enqueueMongoMail } from './mail-repositories.js';
import { countDocuments, deleteOne, findMany, findOne, updateMany, updateOne, type MongoContext } from './context.js';

const toRecord = (d: NotificationDoc): NotificationRecord => ({
  id: String(d._id),
  userId: String(d.userId),
  kind: d.kind,
  actorId: d.actorId === null || d.actorId === undefined ? null : String(d.actorId),
  threadId: d.threadId === null || d.threadId === undefined ? null : String(d.threadId),
  title: d.title,
  link: d.link,
  createdAt: d.createdAt,
  readAt: d.readAt ?? null,
});

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Notifications and their mails in one transaction; a notification is an upsert on (userId, eventKey). */
export class MongoNotificationRepository implements NotificationRepository {
  constructor(private readonly ctx: MongoContext) {}

  async record(writes: NotificationWrite[]): Promise<number> {
    const valid = writes.filter((w) => parseId(w.notification.userId) !== null);
    if (valid.length === 0) return 0;
    const ids = await this.ctx.reserveIds('notifications', valid.length);
    return this.ctx.tx(async (session) => {
      let created = 0;
      for (const [i, w] of valid.entries()) {
        const n = w.notification;
        const userId = parseId(n.userId)!;
        const result = await updateOne(
          this.ctx.models.notifications,
          {
            filter: { userId, eventKey: text(n.eventKey) },
            update: {
              $setOnInsert: {
                _id: ids[i]!, kind: text(n.kind), actorId: n.actorId === null ? null : parseId(n.actorId), threadId: n.threadId === null ? null : parseId(n.threadId),
                title: text(n.title), link: text(n.link), createdAt: n.now, readAt: null,
              },
            },
            options: { upsert: true },
          },
          session,
        );
        if (result.upsertedCount !== 1) continue;
        created++;
        if (!w.mail) continue;
        if (w.batch) {
          const recent = await findOne(this.ctx.models.mailQueue, { filter: { idempotencyKey: { $regex: `^${escapeRegex(w.batch.prefix)}` }, createdAt: { $gte: w.batch.since } }, projection: { _id: 1 } }, session);
          if (recent) continue;
        }
        await enqueueMongoMail(this.ctx, w.mail, session);
      }
      return created;
    });
  }

  async list(userId: string, offset: number, limit: number): Promise<NotificationRecord[]> {
    const n = parseId(userId);
    if (n === null) return [];
    const docs = await findMany<NotificationDoc>(this.ctx.models.notifications, { filter: { userId: n }, sort: { createdAt: -1, _id: -1 }, skip: Math.max(0, Math.floor(offset)), limit: Math.max(0, Math.floor(limit)) });
    return docs.map(toRecord);
  }

  async unreadCount(userId: string): Promise<number> {
    const n = parseId(userId);
    return n === null ? 0 : countDocuments(this.ctx.models.notifications, { filter: { userId: n, readAt: null } });
  }

  async unreadOnThread(userId: string, threadId: string): Promise<number> {
    const n = parseId(userId);
    const t = parseId(threadId);
    return n === null || t === null ? 0 : countDocuments(this.ctx.models.notifications, { filter: { userId: n, threadId: t, readAt: null } });
  }

  async markRead(userId: string, id: string, now: number): Promise<boolean> {
    const n = parseId(userId);
    const i = parseId(id);
    if (n === null || i === null) return false;
    return (await updateOne(this.ctx.models.notifications, { filter: { _id: i, userId: n, readAt: null }, update: { $set: { readAt: now } } })).modifiedCount > 0;
  }

  async markAllRead(userId: string, now: number): Promise<number> {
    const n = parseId(userId);
    if (n === null) return 0;
    return (await updateMany(this.ctx.models.notifications, { filter: { userId: n, readAt: null }, update: { $set: { readAt: now } } })).modifiedCount;
  }
}

export class MongoWatchRepository implements WatchRepository {
  constructor(private readonly ctx: MongoContext) {}

  private key(userId: number, type: WatchTarget, targetId: string): string {
    return `${userId}:${type}:${text(targetId)}`;
  }

  async watch(userId: string, type: WatchTarget, targetId: string, now: number): Promise<void> {
    const n = parseId(userId);
    if (n === null) return;
    await updateOne(this.ctx.models.watches, {
      filter: { _id: this.key(n, type, targetId) },
      update: { $setOnInsert: { userId: n, targetType: type, targetId: text(targetId), createdAt: now } },
      options: { upsert: true },
    });
  }

  async unwatch(userId: string, type: WatchTarget, targetId: string): Promise<void> {
    const n = parseId(userId);
    if (n !== null) await deleteOne(this.ctx.models.watches, { filter: { _id: this.key(n, type, targetId) } });
  }

  async isWatching(userId: string, type: WatchTarget, targetId: string): Promise<boolean> {
    const n = parseId(userId);
    return n !== null && (await findOne<WatchDoc>(this.ctx.models.watches, { filter: { _id: this.key(n, type, targetId) } })) !== null;
  }

  async watchers(type: WatchTarget, targetId: string): Promise<string[]> {
    const docs = await findMany<WatchDoc>(this.ctx.models.watches, { filter: { targetType: type, targetId: text(targetId) }, sort: { userId: 1 } });
    return docs.map((d) => String(d.userId));
  }
}
