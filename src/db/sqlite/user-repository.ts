import type { NewUser, UserRepository } from '../ports.js';
import type { AuthorProfile, User } from '../../domain/types.js';
import { type Db, toRowId } from './connection.js';
import { ConflictError } from '../../domain/errors.js';
import { usernameSkeleton } from '../../domain/username-skeleton.js';

export interface UserRow {
  id: number;
  username: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  reputation: number;
  created_at: number;
}

export function mapUser(row: UserRow): User {
  return {
    id: String(row.id),
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    isAdmin: row.is_admin === 1,
    reputation: row.reputation,
    createdAt: row.created_at,
  };
}

export class SqliteUserRepository implements UserRepository {
  private readonly byId;
  private readonly byUsername;
  private readonly byEmail;
  private readonly bySkeleton;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
    this.byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
    this.byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
    this.bySkeleton = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_skeleton = ?');
    this.insert = db.prepare(
      `INSERT INTO users (username, username_skeleton, email, display_name, password_hash, is_admin, created_at)
       VALUES (@username, @skeleton, @email, @displayName, @passwordHash, @isAdmin, @createdAt)`,
    );
  }

  async create(input: NewUser): Promise<User> {
    let info;
    try {
      info = this.insert.run({
      username: input.username,
      skeleton: usernameSkeleton(input.username),
      email: input.email,
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      isAdmin: input.isAdmin ? 1 : 0,
      createdAt: input.createdAt ?? Date.now(),
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new ConflictError(String((err as Error).message).includes('email') ? 'validation.emailTaken' : 'validation.usernameTaken');
      }
      throw err;
    }
    return mapUser(this.byId.get(Number(info.lastInsertRowid))!);
  }

  async findById(id: string): Promise<User | null> {
    const rowId = toRowId(id);
    if (rowId === null) return null;
    const row = this.byId.get(rowId);
    return row ? mapUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = this.byUsername.get(username);
    return row ? mapUser(row) : null;
  }

  async findByUsernameSkeleton(username: string): Promise<User | null> {
    const row = this.bySkeleton.get(usernameSkeleton(username));
    return row ? mapUser(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = this.byEmail.get(email);
    return row ? mapUser(row) : null;
  }

  async authorsByIds(ids: string[]): Promise<AuthorProfile[]> {
    const rowIds = [...new Set(ids.map(toRowId).filter((x): x is number => x !== null))];
    if (rowIds.length === 0) return [];
    return this.db
      .prepare<[string], { id: number; username: string; display_name: string; reputation: number }>(
        'SELECT id, username, display_name, reputation FROM users WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(rowIds))
      .map((r) => ({ id: String(r.id), username: r.username, displayName: r.display_name, reputation: r.reputation }));
  }

  async findManyByIds(ids: string[]): Promise<User[]> {
    const rowIds = [...new Set(ids.map(toRowId).filter((x): x is number => x !== null))];
    if (rowIds.length === 0) return [];
    const rows = this.db
      .prepare<number[], UserRow>(`SELECT * FROM users WHERE id IN (${rowIds.map(() => '?').join(',')})`)
      .all(...rowIds);
    return rows.map(mapUser);
  }

  async updatePasswordAndRevokeSessions(userId: string, passwordHash: string): Promise<void> {
    const rowId = toRowId(userId);
    if (rowId === null) return;
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, rowId);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(rowId);
    })();
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    const rowId = toRowId(userId);
    if (rowId === null) return;
    this.db.prepare('UPDATE users SET is_admin = ? WHERE id = ?').run(isAdmin ? 1 : 0, rowId);
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }
}
