import type { Locale } from '../../../domain/types.js';
import type { HeldMessage, InboundRepository, NewHeldMessage, NewMail } from '../../ports.js';
import { toRowId, type Db } from '../connection.js';
import { enqueueMail } from './mail-queue-repository.js';

interface HeldRow {
  token_hash: string;
  community_id: number;
  email: string;
  sender_name: string;
  locale: string;
  title: string;
  body_md: string;
  tags: string;
  created_at: number;
  expires_at: number;
  claimed_at: number | null;
  claimed_by: number | null;
}

const toHeld = (r: HeldRow): HeldMessage => ({
  tokenHash: r.token_hash,
  communityId: String(r.community_id),
  email: r.email,
  senderName: r.sender_name,
  locale: r.locale as Locale,
  title: r.title,
  bodyMd: r.body_md,
  tags: JSON.parse(r.tags) as string[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  claimedAt: r.claimed_at,
  claimedBy: r.claimed_by === null ? null : String(r.claimed_by),
});

export class SqliteInboundRepository implements InboundRepository {
  constructor(private readonly db: Db) {}

  async hold(m: NewHeldMessage, mail: NewMail): Promise<void> {
    const communityId = toRowId(m.communityId);
    if (communityId === null) throw new Error('hold: bad community id');
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO inbound_held (token_hash, community_id, email, sender_name, locale, title, body_md, tags, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.tokenHash, communityId, m.email, m.senderName, m.locale, m.title, m.bodyMd, JSON.stringify(m.tags), m.now, m.expiresAt);
      enqueueMail(this.db, mail);
    })();
  }

  async findHeld(tokenHash: string): Promise<HeldMessage | null> {
    const r = this.db.prepare<[string], HeldRow>('SELECT * FROM inbound_held WHERE token_hash = ?').get(tokenHash);
    return r ? toHeld(r) : null;
  }

  async claim(tokenHash: string, userId: string, now: number): Promise<HeldMessage | null> {
    const uid = toRowId(userId);
    if (uid === null) return null;
    return this.db.transaction(() => {
      const user = this.db.prepare<[number], { email: string }>('SELECT email FROM users WHERE id = ?').get(uid);
      if (!user) return null;
      const row = this.db
        .prepare<[number, number, string, number, string], HeldRow>(
          `UPDATE inbound_held SET claimed_at = ?, claimed_by = ?
           WHERE token_hash = ? AND claimed_at IS NULL AND expires_at > ? AND lower(email) = lower(?) RETURNING *`,
        )
        .get(now, uid, tokenHash, now, user.email);
      if (!row) return null;
      this.db
        .prepare(
          `INSERT INTO mail_profiles (user_id, locale, verified_email, verified_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(user_id) DO UPDATE SET verified_email = excluded.verified_email, verified_at = excluded.verified_at`,
        )
        .run(uid, row.locale, user.email, now);
      return toHeld(row);
    })();
  }
}
