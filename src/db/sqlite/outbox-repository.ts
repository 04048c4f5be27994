import { randomBytes } from 'node:crypto';
import type { OutboxBacklog, OutboxEntry, OutboxFailure, OutboxRepository } from '../ports.js';
import type { Db } from './connection.js';

interface OutboxRow {
  doc_id: string;
  version: number;
  attempts: number;
  changed_at: number;
}

const ERROR_MAX = 1000;

/*
 * The embedded backend's outbox (filled by outbox-triggers.ts). A claim writes a token of
 * its own into lease_owner, "<owner> <random>", so that completing or retrying touches only
 * entries this very claim still holds: after a lease expired and another worker claimed the
 * entry, the first worker's late answer changes nothing.
 */
export class SqliteOutboxRepository implements OutboxRepository {
  constructor(private readonly db: Db) {}

  async claim(owner: string, limit: number, now: number, leaseMs: number): Promise<OutboxEntry[]> {
    const token = `${owner} ${randomBytes(6).toString('hex')}`;
    // One write transaction: SQLite serialises writers, so two processes never take the same row.
    const rows = this.db.transaction(() =>
      this.db
        .prepare<[string, number, number, number, number], OutboxRow>(
          `UPDATE search_outbox SET lease_owner = ?, lease_until = ?
           WHERE doc_id IN (SELECT doc_id FROM search_outbox WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until < ?
                            ORDER BY next_attempt_at LIMIT ?)
           RETURNING doc_id, version, attempts, changed_at`,
        )
        .all(token, now + leaseMs, now, now, Math.max(0, Math.floor(limit))),
    )();
    return rows
      .map((r) => ({ docId: r.doc_id, version: r.version, attempts: r.attempts, changedAt: r.changed_at }))
      .sort((a, b) => a.changedAt - b.changedAt);
  }

  async complete(owner: string, entries: Array<Pick<OutboxEntry, 'docId' | 'version'>>, now: number): Promise<void> {
    const done = this.db.prepare(
      `UPDATE search_outbox SET status = 'done', done_at = ?, lease_owner = NULL, lease_until = 0
       WHERE doc_id = ? AND version = ? AND status = 'pending' AND substr(lease_owner, 1, length(?) + 1) = ? || ' '`,
    );
    const release = this.db.prepare(
      `UPDATE search_outbox SET lease_owner = NULL, lease_until = 0 WHERE doc_id = ? AND substr(lease_owner, 1, length(?) + 1) = ? || ' '`,
    );
    this.db.transaction(() => {
      for (const e of entries) {
        if (done.run(now, e.docId, e.version, owner, owner).changes === 0) release.run(e.docId, owner, owner);
      }
    })();
  }

  async retry(owner: string, entry: Pick<OutboxEntry, 'docId' | 'version'>, error: string, retryAt: number, giveUp: boolean): Promise<void> {
    this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE search_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ?, lease_owner = NULL, lease_until = 0
           WHERE doc_id = ? AND version = ? AND substr(lease_owner, 1, length(?) + 1) = ? || ' '`,
        )
        .run(error.slice(0, ERROR_MAX), retryAt, giveUp ? 'failed' : 'pending', entry.docId, entry.version, owner, owner).changes;
      // Changed since the claim: the new change starts afresh; only give the lease back.
      if (changed === 0) {
        this.db.prepare(`UPDATE search_outbox SET lease_owner = NULL, lease_until = 0 WHERE doc_id = ? AND substr(lease_owner, 1, length(?) + 1) = ? || ' '`).run(entry.docId, owner, owner);
      }
    })();
  }

  async backlog(): Promise<OutboxBacklog> {
    const row = this.db
      .prepare<[], { pending: number; failed: number; oldest: number | null }>(
        `SELECT (SELECT count(*) FROM search_outbox WHERE status = 'pending') AS pending,
                (SELECT count(*) FROM search_outbox WHERE status = 'failed') AS failed,
                (SELECT min(changed_at) FROM search_outbox WHERE status = 'pending') AS oldest`,
      )
      .get()!;
    return { pending: row.pending, failed: row.failed, oldestPendingAt: row.oldest };
  }

  async listFailed(limit: number): Promise<OutboxFailure[]> {
    return this.db
      .prepare<[number], { doc_id: string; attempts: number; last_error: string | null; changed_at: number }>(
        `SELECT doc_id, attempts, last_error, changed_at FROM search_outbox WHERE status = 'failed' ORDER BY changed_at DESC LIMIT ?`,
      )
      .all(Math.max(0, Math.floor(limit)))
      .map((r) => ({ docId: r.doc_id, attempts: r.attempts, lastError: r.last_error ?? '', changedAt: r.changed_at }));
  }

  /*
   * The version moves too: a worker that claimed an entry before the swap may still be
   * writing it to the old index, and its completion must not mark the requeued entry done.
   */
  async requeueChangedSince(since: number, now: number): Promise<number> {
    return this.db
      .prepare(
        `UPDATE search_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, done_at = NULL, version = version + 1
         WHERE changed_at >= ?`,
      )
      .run(now, since).changes;
  }

  async prune(before: number): Promise<number> {
    return this.db.prepare(`DELETE FROM search_outbox WHERE status = 'done' AND done_at < ?`).run(before).changes;
  }
}
