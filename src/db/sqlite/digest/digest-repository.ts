import type { DigestFaqEntry, DigestFrequency, DigestQuestion, DigestRepository, DigestSubscription, WatchedTargets } from '../../digest-port.js';
import type { NewMail, NotificationRecord } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';
import { enqueueMail } from '../mail/mail-queue-repository.js';

interface SubRow {
  user_id: number;
  frequency: DigestFrequency;
  last_digest_at: number | null;
}

const toSub = (r: SubRow): DigestSubscription => ({ userId: String(r.user_id), frequency: r.frequency, lastDigestAt: r.last_digest_at });

interface QuestionRow {
  id: number;
  community_id: number;
  author_id: number;
  title: string;
  slug: string;
  score: number;
  answer_count: number;
  created_at: number;
}

const ids = (list: string[]) => list.map(toRowId).filter((n): n is number => n !== null);

export class SqliteDigestRepository implements DigestRepository {
  constructor(private readonly db: Db) {}

  async get(userId: string): Promise<DigestSubscription | null> {
    const row = this.db.prepare<[number | null], SubRow>('SELECT user_id, frequency, last_digest_at FROM digest_subscriptions WHERE user_id = ?').get(toRowId(userId));
    return row ? toSub(row) : null;
  }

  async setFrequency(userId: string, frequency: DigestFrequency, now: number): Promise<void> {
    const id = toRowId(userId);
    if (id === null) return;
    this.db
      .prepare(
        `INSERT INTO digest_subscriptions (user_id, frequency, last_digest_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET frequency = excluded.frequency, updated_at = excluded.updated_at,
           last_digest_at = coalesce(digest_subscriptions.last_digest_at, excluded.last_digest_at)`,
      )
      .run(id, frequency, now, now);
  }

  async due(frequency: Exclude<DigestFrequency, 'off'>, periodStart: number, limit: number): Promise<DigestSubscription[]> {
    return this.db
      .prepare<[string, number, number], SubRow>(
        `SELECT user_id, frequency, last_digest_at FROM digest_subscriptions
         WHERE frequency = ? AND (last_digest_at IS NULL OR last_digest_at < ?) ORDER BY user_id LIMIT ?`,
      )
      .all(frequency, periodStart, Math.max(0, Math.floor(limit)))
      .map(toSub);
  }

  async notificationsSince(userId: string, kinds: string[], since: number, limit: number): Promise<NotificationRecord[]> {
    if (kinds.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], { id: number; user_id: number; kind: string; actor_id: number | null; thread_id: number | null; title: string; link: string; created_at: number; read_at: number | null }>(
        `SELECT * FROM notifications WHERE user_id = ? AND created_at >= ? AND kind IN (${kinds.map(() => '?').join(', ')})
         ORDER BY created_at, id LIMIT ?`,
      )
      .all(toRowId(userId), since, ...kinds, Math.max(0, Math.floor(limit)));
    return rows.map((r) => ({
      id: String(r.id), userId: String(r.user_id), kind: r.kind, actorId: r.actor_id === null ? null : String(r.actor_id), threadId: r.thread_id === null ? null : String(r.thread_id),
      title: r.title, link: r.link, createdAt: r.created_at, readAt: r.read_at,
    }));
  }

  async watchedTargets(userId: string): Promise<WatchedTargets> {
    const rows = this.db
      .prepare<[number | null], { target_type: string; target_id: string }>("SELECT target_type, target_id FROM watches WHERE user_id = ? AND target_type IN ('community', 'tag') ORDER BY target_type, target_id")
      .all(toRowId(userId));
    const out: WatchedTargets = { communityIds: [], tags: [] };
    for (const r of rows) {
      if (r.target_type === 'community') out.communityIds.push(r.target_id);
      else {
        const m = /^(\d+):(.+)$/.exec(r.target_id);
        if (m) out.tags.push({ communityId: m[1]!, tag: m[2]! });
      }
    }
    return out;
  }

  async newQuestions(targets: WatchedTargets, since: number, until: number, limit: number): Promise<DigestQuestion[]> {
    const communityIds = ids(targets.communityIds);
    const byTag = targets.tags.flatMap((t) => {
      const c = toRowId(t.communityId);
      return c === null ? [] : [[c, t.tag] as const];
    });
    if (communityIds.length === 0 && byTag.length === 0) return [];
    const where: string[] = [];
    const params: unknown[] = [since, until];
    if (communityIds.length > 0) {
      where.push(`p.community_id IN (${communityIds.map(() => '?').join(', ')})`);
      params.push(...communityIds);
    }
    for (const [c, tag] of byTag) {
      where.push('p.id IN (SELECT qt.question_id FROM question_tags qt JOIN tags t ON t.id = qt.tag_id WHERE t.community_id = ? AND t.name = ?)');
      params.push(c, tag);
    }
    params.push(Math.max(0, Math.floor(limit)));
    return this.db
      .prepare<unknown[], QuestionRow>(
        `SELECT p.id, p.community_id, p.author_id, p.title, p.slug, p.score, p.answer_count, p.created_at FROM posts p
         WHERE p.type = 'question' AND p.deleted_at IS NULL AND p.created_at >= ? AND p.created_at < ? AND (${where.join(' OR ')})
         ORDER BY p.score DESC, p.answer_count DESC, p.created_at DESC, p.id DESC LIMIT ?`,
      )
      .all(...params)
      .map((r) => ({ id: String(r.id), communityId: String(r.community_id), authorId: String(r.author_id), title: r.title, slug: r.slug, score: r.score, answerCount: r.answer_count, createdAt: r.created_at }));
  }

  async newFaqEntries(communityIds: string[], since: number, until: number, limit: number): Promise<DigestFaqEntry[]> {
    const list = ids(communityIds);
    if (list.length === 0) return [];
    return this.db
      .prepare<unknown[], { id: number; community_id: number; title: string; slug: string; created_at: number }>(
        `SELECT id, community_id, title, slug, created_at FROM faq_entries
         WHERE status = 'published' AND created_at >= ? AND created_at < ? AND community_id IN (${list.map(() => '?').join(', ')})
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(since, until, ...list, Math.max(0, Math.floor(limit)))
      .map((r) => ({ id: String(r.id), communityId: String(r.community_id), title: r.title, slug: r.slug, createdAt: r.created_at }));
  }

  async complete(userId: string, periodStart: number, coveredUntil: number, mail: NewMail | null): Promise<boolean> {
    const id = toRowId(userId);
    if (id === null) return false;
    return this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE digest_subscriptions SET last_digest_at = ? WHERE user_id = ? AND (last_digest_at IS NULL OR last_digest_at < ?)')
        .run(coveredUntil, id, periodStart).changes;
      if (changed === 0) return false;
      if (mail) enqueueMail(this.db, mail);
      return true;
    })();
  }
}
