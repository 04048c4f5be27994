import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { SessionRepository } from '../../db/ports.js';
import type { Session, User } from '../../domain/types.js';
import type { GenerationCache } from '../generation-cache.js';

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
/** How long a validated session is remembered at most (the bound for writes by other instances or processes). */
export const SESSION_CACHE_TTL_MS = 5_000;

export class SessionService {
  /*
   * Every request of a member validated its session against the database (hash the token, read
   * session + user). `cache`, when given, remembers the result by token for a few seconds and
   * only while the content generation stays put, i.e. until the next successful write request
   * of this instance (log out, suspension, password change, role change, a vote moving
   * reputation... all move it before their response goes out). Logging out and ending a user's
   * sessions also empty it here directly. Writes this instance does not see (another instance,
   * the create-admin script) show within SESSION_CACHE_TTL_MS. Expiry is checked on every hit,
   * and a session due for renewal goes to the database as before.
   */
  constructor(
    private readonly sessions: SessionRepository,
    private readonly now: () => number = Date.now,
    private readonly cache: GenerationCache<{ session: Session; user: User }> | null = null,
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
    const kept = this.cache?.get(token);
    if (kept) {
      const now = this.now();
      // Fresh copies: a request may change its own (the expiry on renewal; memos keyed by the user object).
      if (now < kept.session.expiresAt - RENEW_WITHIN_MS) return { session: { ...kept.session }, user: { ...kept.user }, renewed: false };
    }
    const generation = this.cache?.currentGeneration ?? 0;
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
    this.cache?.set(token, { session: { ...found.session }, user: { ...found.user } }, generation);
    return { ...found, renewed };
  }

  async invalidate(sessionId: string): Promise<void> {
    this.cache?.clear();
    await this.sessions.delete(sessionId);
    this.cache?.clear();
  }

  async invalidateAllForUser(userId: string): Promise<void> {
    this.cache?.clear();
    await this.sessions.deleteAllForUser(userId);
    this.cache?.clear();
  }
}
