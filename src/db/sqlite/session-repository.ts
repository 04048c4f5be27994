import type { SessionRepository } from '../ports.js';
import type { Session, User } from '../../domain/types.js';
import { type Db, toRowId } from './connection.js';
import { mapUser, type UserRow } from './user-repository.js';

interface SessionJoinRow extends UserRow {
  s_id: string;
  s_user_id: number;
  s_expires_at: number;
  s_created_at: number;
}

export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly select;
  private readonly touch;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO sessions (id, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)');
    this.select = db.prepare<[string], SessionJoinRow>(
      `SELECT s.id AS s_id, s.user_id AS s_user_id, s.expires_at AS s_expires_at, s.created_at AS s_created_at, u.*
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    );
    this.touch = db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM sessions WHERE id = ?');
  }

  async create(session: Session): Promise<void> {
    const userId = toRowId(session.userId);
    if (userId === null) throw new Error('Invalid user id for session');
    this.insert.run(session.id, userId, session.expiresAt, session.createdAt);
  }

  async findWithUser(sessionId: string): Promise<{ session: Session; user: User } | null> {
    const row = this.select.get(sessionId);
    if (!row) return null;
    return {
      session: { id: row.s_id, userId: String(row.s_user_id), expiresAt: row.s_expires_at, createdAt: row.s_created_at },
      user: mapUser(row),
    };
  }

  async updateExpiry(sessionId: string, expiresAt: number): Promise<void> {
    this.touch.run(expiresAt, sessionId);
  }

  async delete(sessionId: string): Promise<void> {
    this.remove.run(sessionId);
  }

  async deleteAllForUser(userId: string): Promise<void> {
    const rowId = toRowId(userId);
    if (rowId === null) return;
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(rowId);
  }

  async deleteExpired(now: number): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }
}
