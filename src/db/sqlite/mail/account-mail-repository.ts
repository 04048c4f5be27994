import { ConflictError } from '../../../domain/errors.js';
import type { Locale } from '../../../domain/types.js';
import type { AccountMailRepository, AccountToken, AccountTokenPurpose, MailProfile, NewAccountToken, NewMail } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';
import { enqueueMail } from './mail-queue-repository.js';

interface ProfileRow {
  user_id: number;
  locale: string;
  verified_email: string | null;
  verified_at: number | null;
}

interface TokenRow {
  user_id: number;
  purpose: AccountTokenPurpose;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

const toProfile = (r: ProfileRow): MailProfile => ({ userId: String(r.user_id), locale: r.locale as Locale, verifiedEmail: r.verified_email, verifiedAt: r.verified_at });

export class SqliteAccountMailRepository implements AccountMailRepository {
  constructor(private readonly db: Db) {}

  async profile(userId: string): Promise<MailProfile | null> {
    const row = this.db.prepare<[number | null], ProfileRow>('SELECT * FROM mail_profiles WHERE user_id = ?').get(toRowId(userId));
    return row ? toProfile(row) : null;
  }

  async profiles(userIds: string[]): Promise<Map<string, MailProfile>> {
    const ids = userIds.map(toRowId).filter((n): n is number => n !== null);
    if (ids.length === 0) return new Map();
    const rows = this.db.prepare<number[], ProfileRow>(`SELECT * FROM mail_profiles WHERE user_id IN (${ids.map(() => '?').join(',')})`).all(...ids);
    return new Map(rows.map((r) => [String(r.user_id), toProfile(r)]));
  }

  async setLocale(userId: string, locale: Locale): Promise<void> {
    const id = toRowId(userId);
    if (id === null) return;
    this.db.prepare('INSERT INTO mail_profiles (user_id, locale) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET locale = excluded.locale').run(id, locale);
  }

  async issueToken(token: NewAccountToken, mail: NewMail): Promise<void> {
    const id = toRowId(token.userId);
    if (id === null) return;
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(token.hash, id, token.purpose, token.email, token.now, token.expiresAt);
      enqueueMail(this.db, mail);
    })();
  }

  async findToken(hash: string): Promise<AccountToken | null> {
    const r = this.db.prepare<[string], TokenRow>('SELECT * FROM account_tokens WHERE token_hash = ?').get(hash);
    return r ? { userId: String(r.user_id), purpose: r.purpose, email: r.email, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at } : null;
  }

  /** Marks the token used when it has this purpose and is unused and unexpired; its row, or undefined. */
  private use(hash: string, purpose: AccountTokenPurpose, now: number): TokenRow | undefined {
    return this.db
      .prepare<[number, string, string, number], TokenRow>(
        `UPDATE account_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ? RETURNING *`,
      )
      .get(now, hash, purpose, now);
  }

  private markVerified(userId: number, email: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO mail_profiles (user_id, verified_email, verified_at) VALUES (?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET verified_email = excluded.verified_email, verified_at = excluded.verified_at`,
      )
      .run(userId, email, now);
  }

  async consumeVerify(hash: string, now: number): Promise<{ userId: string; email: string } | null> {
    return this.db.transaction(() => {
      const t = this.use(hash, 'verify', now);
      if (!t) return null;
      // A link sent to an address the account no longer has verifies nothing.
      const current = this.db.prepare<[number], { email: string }>('SELECT email FROM users WHERE id = ?').get(t.user_id);
      if (!current || current.email.toLowerCase() !== t.email.toLowerCase()) return null;
      this.markVerified(t.user_id, current.email, now);
      return { userId: String(t.user_id), email: current.email };
    })();
  }

  async consumeReset(hash: string, passwordHash: string, now: number): Promise<{ userId: string } | null> {
    return this.db.transaction(() => {
      const t = this.use(hash, 'reset', now);
      if (!t) return null;
      this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, t.user_id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(t.user_id);
      // Every other reset link of the account dies with this one.
      this.db.prepare(`UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND purpose = 'reset' AND used_at IS NULL`).run(now, t.user_id);
      return { userId: String(t.user_id) };
    })();
  }

  async consumeChangeEmail(hash: string, now: number): Promise<{ userId: string; email: string } | null> {
    return this.db.transaction(() => {
      const t = this.use(hash, 'change-email', now);
      if (!t) return null;
      try {
        this.db.prepare('UPDATE users SET email = ? WHERE id = ?').run(t.email, t.user_id);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('validation.emailTaken');
        throw err;
      }
      // Clicking the link proves the new address works: it is verified at once.
      this.markVerified(t.user_id, t.email, now);
      return { userId: String(t.user_id), email: t.email };
    })();
  }
}
