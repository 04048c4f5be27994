import type { AnswerCount, DailyAggregate, SelfServiceEvent, SelfServiceKind, SupportFactEvent, SupportMetricsRepository } from '../support-metrics-port.js';
import type { SupportRating, SupportTicket } from '../../domain/support-types.js';
import { type Db, toRowId } from './connection.js';
import { mapTicket } from './support-repository.js';

type Row = Record<string, number | string | null>;

export class SqliteSupportMetricsRepository implements SupportMetricsRepository {
  constructor(private readonly db: Db) {}

  async recordSelfService(e: SelfServiceEvent): Promise<void> {
    const c = e.communityId === null ? null : toRowId(e.communityId);
    this.db.prepare('INSERT INTO support_self_service (kind, browser_id, community_id, at) VALUES (?, ?, ?, ?)').run(e.kind, e.browserId, c, e.at);
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

  async replaceDay(day: string, rows: DailyAggregate[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO support_daily (community_id, day, metric, dim, value, detail) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM support_daily WHERE day = ?').run(day);
      for (const r of rows) insert.run(toRowId(r.communityId) ?? 0, day, r.metric, r.dim, r.value, r.detail.length > 0 ? r.detail.join(',') : '');
    })();
  }

  async readDaily(communityId: string | null, fromDay: string, toDay: string): Promise<DailyAggregate[]> {
    const rows =
      communityId === null
        ? this.db.prepare<[string, string], Row>('SELECT * FROM support_daily WHERE day >= ? AND day <= ? ORDER BY day, community_id, metric, dim').all(fromDay, toDay)
        : this.db
            .prepare<[number, string, string], Row>('SELECT * FROM support_daily WHERE community_id = ? AND day >= ? AND day <= ? ORDER BY day, metric, dim')
            .all(toRowId(communityId) ?? -1, fromDay, toDay);
    return rows.map((r) => ({
      communityId: String(r.community_id),
      day: r.day as string,
      metric: r.metric as string,
      dim: r.dim as string,
      value: r.value as number,
      detail: r.detail ? String(r.detail).split(',').map(Number) : [],
    }));
  }

  async latestDay(): Promise<string | null> {
    return this.db.prepare<[], { d: string | null }>('SELECT MAX(day) AS d FROM support_daily').get()?.d ?? null;
  }

  async earliestTicket(): Promise<number | null> {
    return this.db.prepare<[], { t: number | null }>('SELECT MIN(opened_at) AS t FROM support_tickets').get()?.t ?? null;
  }
}
