import type { NotificationRecord, NotificationRepository, NotificationWrite, WatchRepository, WatchTarget } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';
import { enqueueMail } from './mail-queue-repository.js';

interface Row {
  id: number;
  user_id: number;
  kind: string;
  actor_id: number | null;
  thread_id: number | null;
  title: string;
  link: string;
  created_at: number;
  read_at: number | null;
}

const toRecord = (r: Row): NotificationRecord => ({
  id: String(r.id),
  userId: String(r.user_id),
  kind: r.kind,
  actorId: r.actor_id === null ? null : String(r.actor_id),
  threadId: r.thread_id === null ? null : String(r.thread_id),
  title: r.title,
  link: r.link,
  createdAt: r.created_at,
  readAt: r.read_at,
});

/** The next string after every string starting with `prefix` (for an index range scan). */
const prefixEnd = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export class SqliteNotificationRepository implements NotificationRepository {
  constructor(private readonly db: Db) {}

  async record(writes: NotificationWrite[]): Promise<number> {
    const insert = this.db.prepare<unknown[], { id: number }>(
      `INSERT INTO notifications (user_id, event_key, kind, actor_id, thread_id, title, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id, event_key) DO NOTHING RETURNING id`,
    );
    const recent = this.db.prepare<[string, string, number], { id: number }>(
      'SELECT id FROM mail_queue WHERE idempotency_key >= ? AND idempotency_key < ? AND created_at >= ? LIMIT 1',
    );
    return this.db.transaction(() => {
      let created = 0;
      for (const w of writes) {
        const n = w.notification;
        const userId = toRowId(n.userId);
        if (userId === null) continue;
        const row = insert.get(userId, n.eventKey, n.kind, n.actorId === null ? null : toRowId(n.actorId), n.threadId === null ? null : toRowId(n.threadId), n.title, n.link, n.now);
        if (!row) continue;
        created++;
        if (!w.mail) continue;
        if (w.batch && recent.get(w.batch.prefix, prefixEnd(w.batch.prefix), w.batch.since)) continue;
        enqueueMail(this.db, w.mail);
      }
      return created;
    })();
  }

  async list(userId: string, offset: number, limit: number): Promise<NotificationRecord[]> {
    return this.db
      .prepare<[number | null, number, number], Row>('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?')
      .all(toRowId(userId), Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset)))
      .map(toRecord);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.db.prepare<[number | null], { n: number }>('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(toRowId(userId))!.n;
  }

  async unreadOnThread(userId: string, threadId: string): Promise<number> {
    return this.db
      .prepare<[number | null, number | null], { n: number }>('SELECT count(*) AS n FROM notifications WHERE user_id = ? AND thread_id = ? AND read_at IS NULL')
      .get(toRowId(userId), toRowId(threadId))!.n;
  }

  async markRead(userId: string, id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL').run(now, toRowId(id), toRowId(userId)).changes > 0;
  }

  async markAllRead(userId: string, now: number): Promise<number> {
    return this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(now, toRowId(userId)).changes;
  }
}

export class SqliteWatchRepository implements WatchRepository {
  constructor(private readonly db: Db) {}

  async watch(userId: string, type: WatchTarget, targetId: string, now: number): Promise<void> {
    const id = toRowId(userId);
    if (id === null) return;
    this.db.prepare('INSERT INTO watches (user_id, target_type, target_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(id, type, targetId, now);
  }

  async unwatch(userId: string, type: WatchTarget, targetId: string): Promise<void> {
    this.db.prepare('DELETE FROM watches WHERE user_id = ? AND target_type = ? AND target_id = ?').run(toRowId(userId), type, targetId);
  }

  async isWatching(userId: string, type: WatchTarget, targetId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM watches WHERE user_id = ? AND target_type = ? AND target_id = ?').get(toRowId(userId), type, targetId) !== undefined;
  }

  async watchers(type: WatchTarget, targetId: string): Promise<string[]> {
    return this.db
      .prepare<[string, string], { user_id: number }>('SELECT user_id FROM watches WHERE target_type = ? AND target_id = ? ORDER BY user_id')
      .all(type, targetId)
      .map((r) => String(r.user_id));
  }
}
