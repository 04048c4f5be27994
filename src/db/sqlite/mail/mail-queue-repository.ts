import { randomBytes } from 'node:crypto';
import type { Locale } from '../../../domain/types.js';
import type { MailQueueCounts, MailQueueRepository, MailStatus, NewMail, QueuedMail } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';

interface MailRow {
  id: number;
  idempotency_key: string;
  to_address: string;
  user_id: number | null;
  kind: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  headers: string;
  status: MailStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  message_id: string | null;
}

const ERROR_MAX = 1000;

function toMail(r: MailRow): QueuedMail {
  return {
    id: String(r.id),
    idempotencyKey: r.idempotency_key,
    to: r.to_address,
    userId: r.user_id === null ? null : String(r.user_id),
    kind: r.kind,
    locale: r.locale as Locale,
    subject: r.subject,
    html: r.html,
    text: r.text,
    headers: JSON.parse(r.headers) as Record<string, string>,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    messageId: r.message_id,
  };
}

/**
 * Queues a mail on the given connection. Exported so that a repository writing an event
 * (a notification, an account token) can queue its mail inside its own transaction: the mail
 * then exists exactly when the event does.
 */
export function enqueueMail(db: Db, mail: NewMail): { id: string; created: boolean } {
  const inserted = db
    .prepare<unknown[], { id: number }>(
      `INSERT INTO mail_queue (idempotency_key, to_address, user_id, kind, locale, subject, html, text, headers, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(idempotency_key) DO NOTHING RETURNING id`,
    )
    .get(
      mail.idempotencyKey,
      mail.to,
      mail.userId === null ? null : toRowId(mail.userId),
      mail.kind,
      mail.locale,
      mail.subject,
      mail.html,
      mail.text,
      JSON.stringify(mail.headers),
      mail.now,
      mail.now,
    );
  if (inserted) return { id: String(inserted.id), created: true };
  const existing = db.prepare<[string], { id: number }>('SELECT id FROM mail_queue WHERE idempotency_key = ?').get(mail.idempotencyKey)!;
  return { id: String(existing.id), created: false };
}

/*
 * A claim writes "<owner> <random>" into lease_owner, as the search outbox does, so a worker
 * whose lease expired and was taken over cannot mark the new holder's mail.
 */
const HELD = `substr(lease_owner, 1, length(?) + 1) = ? || ' '`;

export class SqliteMailQueueRepository implements MailQueueRepository {
  constructor(private readonly db: Db) {}

  async enqueue(mail: NewMail): Promise<{ id: string; created: boolean }> {
    return enqueueMail(this.db, mail);
  }

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedMail[]> {
    const token = `${owner} ${randomBytes(6).toString('hex')}`;
    const rows = this.db
      .prepare<[string, number, number, number, number], MailRow>(
        `UPDATE mail_queue SET lease_owner = ?, lease_until = ?
         WHERE id IN (SELECT id FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= ? AND lease_until < ?
                      ORDER BY next_attempt_at, id LIMIT ?)
         RETURNING *`,
      )
      .all(token, now + leaseMs, now, now, Math.max(0, Math.floor(limit)));
    return rows.map(toMail).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || Number(a.id) - Number(b.id));
  }

  async markSent(owner: string, id: string, messageId: string, now: number): Promise<void> {
    this.db
      .prepare(
        `UPDATE mail_queue SET status = 'sent', sent_at = ?, message_id = ?, last_error = NULL, attempts = attempts + 1, lease_owner = NULL, lease_until = 0
         WHERE id = ? AND status = 'queued' AND ${HELD}`,
      )
      .run(now, messageId, toRowId(id), owner, owner);
  }

  async markFailed(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    this.db
      .prepare(
        `UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ?, lease_owner = NULL, lease_until = 0
         WHERE id = ? AND status = 'queued' AND ${HELD}`,
      )
      .run(error.slice(0, ERROR_MAX), retryAt, giveUp ? 'failed' : 'queued', toRowId(id), owner, owner);
  }

  async findById(id: string): Promise<QueuedMail | null> {
    const row = this.db.prepare<[number | null], MailRow>('SELECT * FROM mail_queue WHERE id = ?').get(toRowId(id));
    return row ? toMail(row) : null;
  }

  async list(offset: number, limit: number): Promise<QueuedMail[]> {
    return this.db
      .prepare<[number, number], MailRow>('SELECT * FROM mail_queue ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?')
      .all(Math.max(0, Math.floor(limit)), Math.max(0, Math.floor(offset)))
      .map(toMail);
  }

  async counts(): Promise<MailQueueCounts> {
    const counts: MailQueueCounts = { queued: 0, sent: 0, failed: 0 };
    for (const r of this.db.prepare<[], { status: MailStatus; n: number }>('SELECT status, count(*) AS n FROM mail_queue GROUP BY status').all()) counts[r.status] = r.n;
    return counts;
  }
}
