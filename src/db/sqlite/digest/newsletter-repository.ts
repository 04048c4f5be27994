import type { Newsletter, NewsletterDraft, NewsletterRepository, NewsletterStatus } from '../../digest-port.js';
import type { NewMail } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';
import { enqueueMail } from '../mail/mail-queue-repository.js';

interface Row {
  id: number;
  community_id: number;
  author_id: number;
  subject: string;
  body_md: string;
  body_html: string;
  body_text: string;
  status: NewsletterStatus;
  scheduled_at: number | null;
  sent_at: number | null;
  recipient_count: number;
  created_at: number;
  updated_at: number;
}

const toNewsletter = (r: Row): Newsletter => ({
  id: String(r.id),
  communityId: String(r.community_id),
  authorId: String(r.author_id),
  subject: r.subject,
  bodyMd: r.body_md,
  bodyHtml: r.body_html,
  bodyText: r.body_text,
  status: r.status,
  scheduledAt: r.scheduled_at,
  sentAt: r.sent_at,
  recipientCount: r.recipient_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const whole = (n: number) => Math.max(0, Math.floor(n));

export class SqliteNewsletterRepository implements NewsletterRepository {
  constructor(private readonly db: Db) {}

  async create(d: NewsletterDraft): Promise<Newsletter> {
    const row = this.db
      .prepare<unknown[], Row>(
        `INSERT INTO newsletters (community_id, author_id, subject, body_md, body_html, body_text, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(toRowId(d.communityId), toRowId(d.authorId), d.subject, d.bodyMd, d.bodyHtml, d.bodyText, d.now, d.now)!;
    return toNewsletter(row);
  }

  async update(id: string, f: Pick<NewsletterDraft, 'subject' | 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>): Promise<Newsletter | null> {
    const row = this.db
      .prepare<unknown[], Row>(
        `UPDATE newsletters SET subject = ?, body_md = ?, body_html = ?, body_text = ?, status = 'draft', scheduled_at = NULL, updated_at = ?
         WHERE id = ? AND status != 'sent' RETURNING *`,
      )
      .get(f.subject, f.bodyMd, f.bodyHtml, f.bodyText, f.now, toRowId(id));
    return row ? toNewsletter(row) : null;
  }

  async findById(id: string): Promise<Newsletter | null> {
    const row = this.db.prepare<[number | null], Row>('SELECT * FROM newsletters WHERE id = ?').get(toRowId(id));
    return row ? toNewsletter(row) : null;
  }

  async listSent(communityId: string, offset: number, limit: number): Promise<Newsletter[]> {
    return this.db
      .prepare<[number | null, number, number], Row>("SELECT * FROM newsletters WHERE community_id = ? AND status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ? OFFSET ?")
      .all(toRowId(communityId), whole(limit), whole(offset))
      .map(toNewsletter);
  }

  async listUnsent(communityId: string, limit: number): Promise<Newsletter[]> {
    return this.db
      .prepare<[number | null, number], Row>("SELECT * FROM newsletters WHERE community_id = ? AND status != 'sent' ORDER BY updated_at DESC, id DESC LIMIT ?")
      .all(toRowId(communityId), whole(limit))
      .map(toNewsletter);
  }

  async schedule(id: string, at: number, now: number): Promise<boolean> {
    return this.db.prepare("UPDATE newsletters SET status = 'scheduled', scheduled_at = ?, updated_at = ? WHERE id = ? AND status != 'sent'").run(at, now, toRowId(id)).changes > 0;
  }

  async due(now: number, limit: number): Promise<Newsletter[]> {
    return this.db
      .prepare<[number, number], Row>("SELECT * FROM newsletters WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id LIMIT ?")
      .all(now, whole(limit))
      .map(toNewsletter);
  }

  async markSent(id: string, mails: NewMail[], now: number): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.db.prepare("UPDATE newsletters SET status = 'sent', sent_at = ?, recipient_count = ?, updated_at = ? WHERE id = ? AND status = 'scheduled'").run(now, mails.length, now, toRowId(id)).changes;
      if (changed === 0) return false;
      for (const m of mails) enqueueMail(this.db, m);
      return true;
    })();
  }

  async setOptIn(userId: string, communityId: string, on: boolean, now: number): Promise<void> {
    const u = toRowId(userId);
    const c = toRowId(communityId);
    if (u === null || c === null) return;
    if (on) this.db.prepare('INSERT INTO community_news (community_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(c, u, now);
    else this.db.prepare('DELETE FROM community_news WHERE community_id = ? AND user_id = ?').run(c, u);
  }

  async isOptedIn(userId: string, communityId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM community_news WHERE community_id = ? AND user_id = ?').get(toRowId(communityId), toRowId(userId)) !== undefined;
  }

  async optedInCommunities(userId: string): Promise<string[]> {
    return this.db
      .prepare<[number | null], { community_id: number }>('SELECT community_id FROM community_news WHERE user_id = ? ORDER BY community_id')
      .all(toRowId(userId))
      .map((r) => String(r.community_id));
  }

  async subscribers(communityId: string): Promise<string[]> {
    return this.db
      .prepare<[number | null], { user_id: number }>(
        'SELECT n.user_id FROM community_news n JOIN memberships m ON m.community_id = n.community_id AND m.user_id = n.user_id WHERE n.community_id = ? ORDER BY n.user_id',
      )
      .all(toRowId(communityId))
      .map((r) => String(r.user_id));
  }
}
