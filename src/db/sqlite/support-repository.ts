import type { SupportEventInput, SupportQueueQuery, SupportRepository } from '../ports.js';
import type { EscalationLevel, SupportEscalation, SupportEvent, UnnotifiedEscalation, SupportRating, SupportSettings, SupportTicket, TicketChanges } from '../../domain/support-types.js';
import { type Db, toRowId } from './connection.js';

type Row = Record<string, number | string | null>;

/** Ticket fields and their columns; ids are stored as integers, flags as 0/1. */
const TICKET_COLUMNS: Array<[keyof SupportTicket, string, 'id' | 'bool' | 'plain']> = [
  ['questionId', 'question_id', 'id'],
  ['communityId', 'community_id', 'id'],
  ['askerId', 'asker_id', 'id'],
  ['urgent', 'urgent', 'bool'],
  ['urgentReason', 'urgent_reason', 'plain'],
  ['status', 'status', 'plain'],
  ['assigneeId', 'assignee_id', 'id'],
  ['openedAt', 'opened_at', 'plain'],
  ['warnAt', 'warn_at', 'plain'],
  ['dueAt', 'due_at', 'plain'],
  ['pausedRemainingMs', 'paused_remaining_ms', 'plain'],
  ['respondedAt', 'responded_at', 'plain'],
  ['responseKind', 'response_kind', 'plain'],
  ['firstStaffResponseAt', 'first_staff_response_at', 'plain'],
  ['firstStaffResponderId', 'first_staff_responder_id', 'id'],
  ['resolvedAt', 'resolved_at', 'plain'],
  ['reopenCount', 'reopen_count', 'plain'],
  ['warnedAt', 'warned_at', 'plain'],
  ['breachedAt', 'breached_at', 'plain'],
  ['updatedAt', 'updated_at', 'plain'],
];

function toColumn(kind: 'id' | 'bool' | 'plain', value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (kind === 'id') return toRowId(String(value));
  if (kind === 'bool') return value ? 1 : 0;
  return value as number | string;
}

export function mapTicket(row: Row): SupportTicket {
  const t: Record<string, unknown> = {};
  for (const [field, column, kind] of TICKET_COLUMNS) {
    const v = row[column];
    t[field] = kind === 'id' ? (v === null ? null : String(v)) : kind === 'bool' ? v === 1 : v;
  }
  return t as unknown as SupportTicket;
}

function escalationOf(r: Row): SupportEscalation {
  return {
    id: String(r.id),
    questionId: String(r.question_id),
    communityId: String(r.community_id),
    level: r.level as EscalationLevel,
    dueAt: r.due_at as number,
    at: r.at as number,
    notifiedAt: r.notified_at as number | null,
  };
}

export class SqliteSupportRepository implements SupportRepository {
  constructor(private readonly db: Db) {}

  async getSettings(communityId: string): Promise<SupportSettings | null> {
    const c = toRowId(communityId);
    if (c === null) return null;
    const r = this.db.prepare<[number], Row>('SELECT * FROM support_settings WHERE community_id = ?').get(c);
    if (!r) return null;
    return {
      communityId,
      targetHours: r.target_hours as number,
      urgentHours: r.urgent_hours as number,
      timeZone: r.time_zone as string,
      days: String(r.days).split(',').filter(Boolean).map(Number),
      startMinute: r.start_minute as number,
      endMinute: r.end_minute as number,
      ackEn: r.ack_en as string,
      ackZh: r.ack_zh as string,
      updatedBy: r.updated_by === null ? null : String(r.updated_by),
      updatedAt: r.updated_at as number,
    };
  }

  async saveSettings(s: SupportSettings): Promise<void> {
    const c = toRowId(s.communityId);
    if (c === null) return;
    this.db
      .prepare(
        `INSERT INTO support_settings (community_id, target_hours, urgent_hours, time_zone, days, start_minute, end_minute, ack_en, ack_zh, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(community_id) DO UPDATE SET target_hours = excluded.target_hours, urgent_hours = excluded.urgent_hours,
           time_zone = excluded.time_zone, days = excluded.days, start_minute = excluded.start_minute, end_minute = excluded.end_minute,
           ack_en = excluded.ack_en, ack_zh = excluded.ack_zh, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(c, s.targetHours, s.urgentHours, s.timeZone, s.days.join(','), s.startMinute, s.endMinute, s.ackEn, s.ackZh, s.updatedBy === null ? null : toRowId(s.updatedBy), s.updatedAt);
  }

  private addEvent(questionId: number, e: SupportEventInput): void {
    this.db
      .prepare('INSERT INTO support_events (question_id, actor_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)')
      .run(questionId, e.actorId === null ? null : toRowId(e.actorId), e.kind, e.detail ?? '', e.at);
  }

  async openTicket(ticket: SupportTicket, event: SupportEventInput): Promise<void> {
    const q = toRowId(ticket.questionId);
    if (q === null) return;
    const columns = TICKET_COLUMNS.map(([, c]) => c);
    const values = TICKET_COLUMNS.map(([f, , k]) => toColumn(k, ticket[f]));
    this.db.transaction(() => {
      const info = this.db.prepare(`INSERT INTO support_tickets (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT(question_id) DO NOTHING`).run(...values);
      if (info.changes > 0) this.addEvent(q, event);
    })();
  }

  async findTicket(questionId: string): Promise<SupportTicket | null> {
    const q = toRowId(questionId);
    if (q === null) return null;
    const r = this.db.prepare<[number], Row>('SELECT * FROM support_tickets WHERE question_id = ?').get(q);
    return r ? mapTicket(r) : null;
  }

  async updateTicket(questionId: string, changes: TicketChanges, event: SupportEventInput): Promise<SupportTicket | null> {
    const q = toRowId(questionId);
    if (q === null) return null;
    const sets: string[] = [];
    const values: Array<number | string | null> = [];
    for (const [field, column, kind] of TICKET_COLUMNS) {
      if (!(field in changes)) continue;
      sets.push(`${column} = ?`);
      values.push(toColumn(kind, (changes as Record<string, unknown>)[field]));
    }
    return this.db.transaction(() => {
      if (sets.length > 0) {
        const info = this.db.prepare(`UPDATE support_tickets SET ${sets.join(', ')} WHERE question_id = ?`).run(...values, q);
        if (info.changes === 0) return null;
      }
      const r = this.db.prepare<[number], Row>('SELECT * FROM support_tickets WHERE question_id = ?').get(q);
      if (!r) return null;
      this.addEvent(q, event);
      return mapTicket(r);
    })();
  }

  async listEvents(questionId: string): Promise<SupportEvent[]> {
    const q = toRowId(questionId);
    if (q === null) return [];
    return this.db
      .prepare<[number], Row>('SELECT * FROM support_events WHERE question_id = ? ORDER BY id')
      .all(q)
      .map((r) => ({ id: String(r.id), questionId, actorId: r.actor_id === null ? null : String(r.actor_id), kind: r.kind as string, detail: r.detail as string, at: r.at as number }));
  }

  async listQueue(query: SupportQueueQuery): Promise<SupportTicket[]> {
    const c = toRowId(query.communityId);
    if (c === null) return [];
    const where = ['t.community_id = ?'];
    const params: Array<number | string> = [c];
    if (query.filter === 'waiting') where.push("t.status = 'waiting'");
    else where.push("t.status = 'open' AND t.responded_at IS NULL");
    if (query.filter === 'urgent') where.push('t.urgent = 1');
    if (query.filter === 'mine') {
      where.push('t.assignee_id = ?');
      params.push(toRowId(query.viewerId) ?? -1);
    }
    if (query.filter === 'unassigned') where.push('t.assignee_id IS NULL');
    if (query.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM question_tags qt JOIN tags g ON g.id = qt.tag_id WHERE qt.question_id = t.question_id AND g.name = ?)');
      params.push(query.tag);
    }
    params.push(Math.max(0, Math.floor(query.limit)) + 1, Math.max(0, Math.floor(query.offset)));
    return this.db
      .prepare<Array<number | string>, Row>(
        `SELECT t.* FROM support_tickets t JOIN posts p ON p.id = t.question_id AND p.deleted_at IS NULL
         WHERE ${where.join(' AND ')} ORDER BY t.due_at IS NULL, t.due_at, t.question_id LIMIT ? OFFSET ?`,
      )
      .all(...params)
      .map(mapTicket);
  }

  async countNeedsReply(communityId: string): Promise<number> {
    const c = toRowId(communityId);
    if (c === null) return 0;
    const r = this.db
      .prepare<[number], { n: number }>(
        `SELECT COUNT(*) AS n FROM support_tickets t JOIN posts p ON p.id = t.question_id AND p.deleted_at IS NULL
         WHERE t.community_id = ? AND t.status = 'open' AND t.responded_at IS NULL`,
      )
      .get(c);
    return r?.n ?? 0;
  }

  async countOverdue(communityId: string, now: number): Promise<number> {
    const c = toRowId(communityId);
    if (c === null) return 0;
    const r = this.db
      .prepare<[number, number], { n: number }>(
        `SELECT COUNT(*) AS n FROM support_tickets t JOIN posts p ON p.id = t.question_id AND p.deleted_at IS NULL
         WHERE t.community_id = ? AND t.status = 'open' AND t.responded_at IS NULL AND t.due_at <= ?`,
      )
      .get(c, now);
    return r?.n ?? 0;
  }

  async unnotifiedEscalations(recordedBefore: number, limit: number): Promise<UnnotifiedEscalation[]> {
    return this.db
      .prepare<[number, number], Row>(
        `SELECT e.*, t.assignee_id, t.status AS ticket_status, t.responded_at AS ticket_responded_at, t.due_at AS ticket_due_at FROM support_escalations e INDEXED BY support_escalations_unnotified
           JOIN support_tickets t ON t.question_id = e.question_id
         WHERE e.notified_at IS NULL AND e.at < ? ORDER BY e.at, e.id LIMIT ?`,
      )
      .all(recordedBefore, Math.max(0, Math.floor(limit)))
      .map((r) => ({
        ...escalationOf(r),
        assigneeId: r.assignee_id === null ? null : String(r.assignee_id),
        stillDue: r.ticket_status === 'open' && r.ticket_responded_at === null && r.ticket_due_at === r.due_at,
      }));
  }

  async markEscalationNotified(questionId: string, level: EscalationLevel, dueAt: number, at: number): Promise<void> {
    const q = toRowId(questionId);
    if (q === null) return;
    this.db.prepare('UPDATE support_escalations SET notified_at = ? WHERE question_id = ? AND level = ? AND due_at = ? AND notified_at IS NULL').run(at, q, level, dueAt);
  }

  async dueForEscalation(now: number, limit: number): Promise<SupportTicket[]> {
    return this.db
      .prepare<[number, number, number], Row>(
        `SELECT * FROM support_tickets WHERE status = 'open' AND responded_at IS NULL
           AND ((warned_at IS NULL AND warn_at <= ?) OR (breached_at IS NULL AND due_at <= ?))
         ORDER BY warn_at LIMIT ?`,
      )
      .all(now, now, Math.max(0, Math.floor(limit)))
      .map(mapTicket);
  }

  async recordEscalation(questionId: string, level: EscalationLevel, dueAt: number, now: number): Promise<boolean> {
    const q = toRowId(questionId);
    if (q === null) return false;
    return this.db.transaction(() => {
      const t = this.db.prepare<[number], Row>('SELECT community_id FROM support_tickets WHERE question_id = ?').get(q);
      if (!t) return false;
      const info = this.db
        .prepare('INSERT INTO support_escalations (question_id, community_id, level, due_at, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(q, t.community_id, level, dueAt, now);
      if (info.changes === 0) return false;
      this.db.prepare(`UPDATE support_tickets SET ${level === 'warning' ? 'warned_at' : 'breached_at'} = ? WHERE question_id = ?`).run(now, q);
      this.addEvent(q, { actorId: null, kind: `escalated-${level}`, at: now });
      return true;
    })();
  }

  async listEscalations(questionId: string): Promise<SupportEscalation[]> {
    const q = toRowId(questionId);
    if (q === null) return [];
    return this.db
      .prepare<[number], Row>('SELECT * FROM support_escalations WHERE question_id = ? ORDER BY id')
      .all(q)
      .map(escalationOf);
  }

  async saveRating(r: SupportRating): Promise<void> {
    const q = toRowId(r.questionId);
    const c = toRowId(r.communityId);
    const a = toRowId(r.askerId);
    if (q === null || c === null || a === null) return;
    this.db
      .prepare(
        `INSERT INTO support_ratings (question_id, community_id, asker_id, score, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(question_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at`,
      )
      .run(q, c, a, r.score, r.comment, r.createdAt, r.updatedAt);
  }

  async findRating(questionId: string): Promise<SupportRating | null> {
    const q = toRowId(questionId);
    if (q === null) return null;
    const r = this.db.prepare<[number], Row>('SELECT * FROM support_ratings WHERE question_id = ?').get(q);
    if (!r) return null;
    return { questionId, communityId: String(r.community_id), askerId: String(r.asker_id), score: r.score as number, comment: r.comment as string, createdAt: r.created_at as number, updatedAt: r.updated_at as number };
  }
}
