import { randomBytes } from 'node:crypto';
import { EVENT_ERROR_MAX, qaEvent, type EventOutboxCounts, type EventOutboxRepository, type EventRequest, type EventStatus, type QaEventKind, type QaEventPayload, type QueuedEvent } from '../event-port.js';
import { toRowId, type Db } from './connection.js';

interface EventRow {
  id: number;
  kind: QaEventKind;
  idempotency_key: string;
  payload: string;
  status: EventStatus;
  attempts: number;
  last_error: string | null;
  created_at: number;
}

const toEvent = (r: EventRow): QueuedEvent => ({
  id: String(r.id),
  kind: r.kind,
  key: r.idempotency_key,
  payload: JSON.parse(r.payload) as QaEventPayload,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
});

/**
 * Records a Q&A event on the given connection. Called by the post and comment repositories
 * inside their own transactions, so the event commits or rolls back with the write. A key
 * recorded before records nothing.
 */
export function recordEvent(db: Db, kind: QaEventKind, request: EventRequest, ids: Parameters<typeof qaEvent>[2], now: number): void {
  const { key, payload } = qaEvent(kind, request.actorId, ids);
  db.prepare(
    `INSERT INTO event_outbox (kind, idempotency_key, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(idempotency_key) DO NOTHING`,
  ).run(kind, key, JSON.stringify(payload), now, now);
}

/* A claim writes "<owner> <random>" into lease_owner, so a worker whose lease expired and was taken over cannot mark the new holder's event. */
const HELD = `substr(lease_owner, 1, length(?) + 1) = ? || ' '`;

export class SqliteEventOutboxRepository implements EventOutboxRepository {
  constructor(private readonly db: Db) {}

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedEvent[]> {
    const token = `${owner} ${randomBytes(6).toString('hex')}`;
    // One statement is one write transaction: SQLite serialises writers, so two processes never take the same row.
    const rows = this.db
      .prepare<[string, number, number, number, number], EventRow>(
        `UPDATE event_outbox SET lease_owner = ?, lease_until = ?
         WHERE id IN (SELECT id FROM event_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until < ?
                      ORDER BY next_attempt_at, id LIMIT ?)
         RETURNING id, kind, idempotency_key, payload, status, attempts, last_error, created_at`,
      )
      .all(token, now + leaseMs, now, now, Math.max(0, Math.floor(limit)));
    // RETURNING gives no order: the worker handles events oldest first.
    return rows.sort((a, b) => a.created_at - b.created_at || a.id - b.id).map(toEvent);
  }

  async complete(owner: string, id: string, now: number): Promise<void> {
    this.db
      .prepare(`UPDATE event_outbox SET status = 'done', done_at = ?, last_error = NULL, lease_owner = NULL, lease_until = 0 WHERE id = ? AND status = 'pending' AND ${HELD}`)
      .run(now, toRowId(id), owner, owner);
  }

  async retry(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    this.db
      .prepare(
        `UPDATE event_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ?, lease_owner = NULL, lease_until = 0
         WHERE id = ? AND status = 'pending' AND ${HELD}`,
      )
      .run(error.slice(0, EVENT_ERROR_MAX), retryAt, giveUp ? 'failed' : 'pending', toRowId(id), owner, owner);
  }

  async counts(): Promise<EventOutboxCounts> {
    const counts: EventOutboxCounts = { pending: 0, done: 0, failed: 0 };
    for (const r of this.db.prepare<[], { status: EventStatus; n: number }>('SELECT status, count(*) AS n FROM event_outbox GROUP BY status').all()) counts[r.status] = r.n;
    return counts;
  }

  async listFailed(limit: number): Promise<QueuedEvent[]> {
    return this.db
      .prepare<[number], EventRow>("SELECT * FROM event_outbox WHERE status = 'failed' ORDER BY created_at DESC, id DESC LIMIT ?")
      .all(Math.max(0, Math.floor(limit)))
      .map(toEvent);
  }

  async prune(before: number): Promise<number> {
    return this.db.prepare("DELETE FROM event_outbox WHERE status = 'done' AND done_at < ?").run(before).changes;
  }
}
