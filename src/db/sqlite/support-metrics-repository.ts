import type { AcceptedAnswer, ActiveMember, AnswerCount, Asker, DailyAggregate, Detail, HelpfulCount, SelfServiceEvent, SelfServiceKind, SupportFactEvent, SupportMetricsRepository } from '../support-metrics-port.js';
import type { SupportRating, SupportTicket } from '../../domain/support-types.js';
import { type Db, toRowId } from './connection.js';
import { mapTicket } from './support-repository.js';

type Row = Record<string, number | string | null>;

/*
 * A detail list (durations, packed member ids) is stored as a BLOB of float64 values and read
 * back as a Float64Array over those bytes: a year's dashboard reads a few million of them, and
 * parsing text or building arrays of that size was most of its time. Rows written before
 * migration 024 hold comma-separated text; both are read.
 */
function packDetail(detail: Detail): Buffer | string {
  return detail.length === 0 ? '' : Buffer.from(Float64Array.from(detail).buffer);
}

function unpackDetail(stored: string | Buffer | null): Detail {
  if (!stored) return [];
  if (typeof stored === 'string') return JSON.parse(`[${stored}]`) as number[];
  // A view over the bytes, no copy; it needs an 8-byte aligned offset, which a pooled Buffer may not have.
  if (stored.byteOffset % 8 === 0) return new Float64Array(stored.buffer, stored.byteOffset, stored.byteLength / 8);
  const values = new Float64Array(stored.byteLength / 8);
  new Uint8Array(values.buffer).set(stored);
  return values;
}

export class SqliteSupportMetricsRepository implements SupportMetricsRepository {
  constructor(private readonly db: Db) {}

  async recordSelfService(e: SelfServiceEvent): Promise<void> {
    await this.recordSelfServiceMany([e]);
  }

  async recordSelfServiceMany(events: readonly SelfServiceEvent[]): Promise<void> {
    if (events.length === 0) return;
    const insert = this.db.prepare('INSERT INTO support_self_service (kind, browser_id, community_id, at) VALUES (?, ?, ?, ?)');
    // One transaction: one WAL commit for the whole batch.
    this.db.transaction(() => {
      for (const e of events) insert.run(e.kind, e.browserId, e.communityId === null ? null : toRowId(e.communityId), e.at);
    })();
  }

  async selfServiceBetween(from: number, to: number): Promise<SelfServiceEvent[]> {
    return this.db
      .prepare<[number, number], Row>('SELECT kind, browser_id, community_id, at FROM support_self_service WHERE at >= ? AND at < ? ORDER BY at, id')
      .all(from, to)
      .map((r) => ({ kind: r.kind as SelfServiceKind, browserId: r.browser_id as string, communityId: r.community_id === null ? null : String(r.community_id), at: r.at as number }));
  }

  async ticketsTouchedBetween(from: number, to: number): Promise<SupportTicket[]> {
    return this.db
      .prepare<number[], Row>(
        `SELECT t.* FROM support_tickets t WHERE t.question_id IN (
           SELECT question_id FROM support_tickets WHERE opened_at >= ? AND opened_at < ?
           UNION SELECT question_id FROM support_tickets WHERE first_staff_response_at >= ? AND first_staff_response_at < ?
           UNION SELECT question_id FROM support_tickets WHERE resolved_at >= ? AND resolved_at < ?)
         AND EXISTS (SELECT 1 FROM posts p WHERE p.id = t.question_id AND p.deleted_at IS NULL)
         ORDER BY t.question_id`,
      )
      .all(from, to, from, to, from, to)
      .map(mapTicket);
  }

  async eventsBetween(kinds: string[], from: number, to: number): Promise<SupportFactEvent[]> {
    if (kinds.length === 0) return [];
    return this.db
      .prepare<Array<string | number>, Row>(
        `SELECT e.question_id, t.community_id, e.kind, e.at FROM support_events e JOIN support_tickets t ON t.question_id = e.question_id
         WHERE e.kind IN (${kinds.map(() => '?').join(', ')}) AND e.at >= ? AND e.at < ? ORDER BY e.id`,
      )
      .all(...kinds, from, to)
      .map((r) => ({ questionId: String(r.question_id), communityId: String(r.community_id), kind: r.kind as string, at: r.at as number }));
  }

  async ratingsBetween(from: number, to: number): Promise<SupportRating[]> {
    return this.db
      .prepare<[number, number], Row>('SELECT * FROM support_ratings WHERE created_at >= ? AND created_at < ? ORDER BY question_id')
      .all(from, to)
      .map((r) => ({ questionId: String(r.question_id), communityId: String(r.community_id), askerId: String(r.asker_id), score: r.score as number, comment: r.comment as string, createdAt: r.created_at as number, updatedAt: r.updated_at as number }));
  }

  async answersBetween(from: number, to: number): Promise<AnswerCount[]> {
    return this.db
      .prepare<[number, number], Row>(
        `SELECT community_id, author_id, COUNT(*) AS n FROM posts WHERE type = 'answer' AND created_at >= ? AND created_at < ? AND deleted_at IS NULL
         GROUP BY community_id, author_id ORDER BY community_id, author_id`,
      )
      .all(from, to)
      .map((r) => ({ communityId: String(r.community_id), authorId: String(r.author_id), count: r.n as number }));
  }

  async faqHelpfulBetween(from: number, to: number): Promise<HelpfulCount[]> {
    return this.db
      .prepare<[number, number], Row>(
        `SELECT e.community_id, v.helpful, COUNT(*) AS n FROM faq_helpful_votes v JOIN faq_entries e ON e.id = v.entry_id
         WHERE v.created_at >= ? AND v.created_at < ? GROUP BY e.community_id, v.helpful ORDER BY e.community_id, v.helpful`,
      )
      .all(from, to)
      .map((r) => ({ communityId: String(r.community_id), helpful: r.helpful === 1, count: r.n as number }));
  }

  async acceptedBetween(from: number, to: number): Promise<AcceptedAnswer[]> {
    return this.db
      .prepare<[number, number], Row>(
        `SELECT t.question_id, t.community_id,
           EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = t.community_id AND m.user_id = a.author_id AND m.role = 'staff') AS by_staff
         FROM support_tickets t JOIN posts q ON q.id = t.question_id AND q.deleted_at IS NULL
         JOIN posts a ON a.id = q.accepted_answer_id AND a.deleted_at IS NULL
         WHERE t.resolved_at >= ? AND t.resolved_at < ? ORDER BY t.question_id`,
      )
      .all(from, to)
      .map((r) => ({ communityId: String(r.community_id), questionId: String(r.question_id), byStaff: r.by_staff === 1 }));
  }

  async activeMembersBetween(from: number, to: number): Promise<ActiveMember[]> {
    return this.db
      .prepare<number[], Row>(
        `SELECT community_id, author_id FROM posts WHERE created_at >= ? AND created_at < ? AND deleted_at IS NULL
         UNION SELECT p.community_id, c.author_id FROM comments c JOIN posts p ON p.id = c.post_id
           WHERE c.created_at >= ? AND c.created_at < ? AND c.deleted_at IS NULL AND p.deleted_at IS NULL
         ORDER BY 1, 2`,
      )
      .all(from, to, from, to)
      .map((r) => ({ communityId: String(r.community_id), userId: String(r.author_id) }));
  }

  async askersBetween(from: number, to: number): Promise<Asker[]> {
    // "Before" is before `from`: nothing of theirs lies between `from` and their first question in the range.
    return this.db
      .prepare<[number, number, number], Row>(
        `SELECT q.community_id, q.author_id, COUNT(*) AS n,
           EXISTS (SELECT 1 FROM posts e WHERE e.author_id = q.author_id AND e.community_id = q.community_id AND e.type = 'question'
             AND e.deleted_at IS NULL AND e.created_at < ?) AS before
         FROM posts q WHERE q.type = 'question' AND q.created_at >= ? AND q.created_at < ? AND q.deleted_at IS NULL
         GROUP BY q.community_id, q.author_id ORDER BY q.community_id, q.author_id`,
      )
      .all(from, from, to)
      .map((r) => ({ communityId: String(r.community_id), userId: String(r.author_id), count: r.n as number, askedBefore: r.before === 1 }));
  }

  async replaceDay(day: string, rows: DailyAggregate[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO support_daily (community_id, day, metric, dim, value, detail) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM support_daily WHERE day = ?').run(day);
      for (const r of rows) insert.run(toRowId(r.communityId) ?? 0, day, r.metric, r.dim, r.value, packDetail(r.detail));
    })();
  }

  async readDaily(communityId: string | null, fromDay: string, toDay: string, metrics?: readonly string[]): Promise<DailyAggregate[]> {
    const where = ['day >= ?', 'day <= ?'];
    const params: Array<string | number> = [fromDay, toDay];
    if (communityId !== null) {
      where.push('community_id = ?');
      params.push(toRowId(communityId) ?? -1);
    }
    if (metrics) {
      if (metrics.length === 0) return [];
      where.push(`metric IN (${metrics.map(() => '?').join(', ')})`);
      params.push(...metrics);
    }
    // Rows as arrays (raw): a year with its previous period is some 25k rows, and building an
    // object per row was a large share of the dashboard's time.
    const rows = this.db
      .prepare<Array<string | number>, [number, string, string, string, number, string | Buffer]>(
        `SELECT community_id, day, metric, dim, value, detail FROM support_daily WHERE ${where.join(' AND ')} ORDER BY day, community_id, metric, dim`,
      )
      .raw(true)
      .all(...params);
    const out: DailyAggregate[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      out[i] = { communityId: String(r[0]), day: r[1], metric: r[2], dim: r[3], value: r[4], detail: unpackDetail(r[5]) };
    }
    return out;
  }

  async latestDay(): Promise<string | null> {
    return this.db.prepare<[], { d: string | null }>('SELECT MAX(day) AS d FROM support_daily').get()?.d ?? null;
  }

  async earliestTicket(): Promise<number | null> {
    return this.db.prepare<[], { t: number | null }>('SELECT MIN(opened_at) AS t FROM support_tickets').get()?.t ?? null;
  }
}
