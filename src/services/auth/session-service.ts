import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { SessionRepository } from '../../db/ports.js';
import type { Session, User } from '../../domain/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** A session used in its last 15 days is pushed out to a full 30 again (sliding expiry). */
const RENEW_WITHIN_MS = 15 * DAY_MS;

export interface ValidatedSession {
  session: Session;
  user: User;
  /** True when the expiry moved, so the cookie must be re-sent with the new date. */
  renewed: boolean;
}

/**
 * Sessions as in Lucia's guide: the browser holds a random token, the database holds only
 * its SHA-256, so a leaked database cannot be replayed as cookies.
 */
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly now: () => number = Date.now,
  ) {}

  generateToken(): string {
    const bytes = new Uint8Array(20);
    crypto.getRandomValues(bytes);
    return encodeBase32LowerCaseNoPadding(bytes);
  }

  static idFromToken(token: string): string {
    return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
  }

  async create(token: string, userId: string): Promise<Session> {
    const now = this.now();
    const session: Session = { id: SessionService.idFromToken(token), userId, expiresAt: now + SESSION_LIFETIME_MS, createdAt: now };
    await this.sessions.create(session);
    return session;
  }

  async validate(token: string): Promise<ValidatedSession | null> {
    if (!/^[a-z2-7]{32}$/.test(token)) return null;
    const found = await this.sessions.findWithUser(SessionService.idFromToken(token));
    if (!found) return null;
    const now = this.now();
    if (now >= found.session.expiresAt) {
      await this.sessions.delete(found.session.id);
      return null;
    }
    let renewed = false;
    if (now >= found.session.expiresAt - RENEW_WITHIN_MS) {
      found.session.expiresAt = now + SESSION_LIFETIME_MS;
      await this.sessions.updateExpiry(found.session.id, found.session.expiresAt);
      renewed = true;
    }
    return { ...found, renewed };
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    await this.sessions.deleteAllForUser(userId);
  }
}
