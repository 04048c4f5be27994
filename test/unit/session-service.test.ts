import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SESSION_LIFETIME_MS, SessionService } from '../../src/services/auth/session-service.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2030, 0, 1);

describe('SessionService (sliding expiry, real SQLite repository)', () => {
  let storage: SqliteStorage;
  let now: number;
  let service: SessionService;
  let userId: string;

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:');
    now = T0;
    service = new SessionService(storage.sessions, () => now);
    const user = await storage.users.create({ username: 'alice', email: 'alice@example.test', displayName: 'alice', passwordHash: 'x' });
    userId = user.id;
  });

  afterEach(async () => {
    await storage.close();
  });

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const token = service.generateToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const session = await service.create(token, userId);
    expect(session.id).not.toBe(token);
    expect(session.id).toBe(SessionService.idFromToken(token));
    expect(session.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await storage.sessions.findWithUser(token)).toBeNull();
    expect(service.generateToken()).not.toBe(token);
  });

  it('creates a session lasting 30 days and validates it to its user', async () => {
    const token = service.generateToken();
    const session = await service.create(token, userId);
    expect(session.expiresAt).toBe(T0 + SESSION_LIFETIME_MS);
    expect(SESSION_LIFETIME_MS).toBe(30 * DAY);
    const result = await service.validate(token);
    expect(result?.user.username).toBe('alice');
    expect(result?.renewed).toBe(false);
  });

  it('does not renew a session that is far from expiry', async () => {
    const token = service.generateToken();
    await service.create(token, userId);
    now = T0 + 14 * DAY;
    const result = await service.validate(token);
    expect(result?.renewed).toBe(false);
    expect(result?.session.expiresAt).toBe(T0 + 30 * DAY);
    expect((await storage.sessions.findWithUser(SessionService.idFromToken(token)))?.session.expiresAt).toBe(T0 + 30 * DAY);
  });

  it('renews a session used near its expiry to a full lifetime from now, in storage too', async () => {
    const token = service.generateToken();
    await service.create(token, userId);
    now = T0 + 20 * DAY;
    const result = await service.validate(token);
    expect(result?.renewed).toBe(true);
    expect(result?.session.expiresAt).toBe(now + 30 * DAY);
    expect((await storage.sessions.findWithUser(SessionService.idFromToken(token)))?.session.expiresAt).toBe(now + 30 * DAY);

    // kept alive by use: 45 days after login it is still valid (it would have died at day 30)
    now = T0 + 45 * DAY;
    expect((await service.validate(token))?.user.username).toBe('alice');
  });

  it('rejects and deletes an expired session', async () => {
    const token = service.generateToken();
    await service.create(token, userId);
    now = T0 + 30 * DAY;
    expect(await service.validate(token)).toBeNull();
    expect(await storage.sessions.findWithUser(SessionService.idFromToken(token))).toBeNull();
    // going back in time does not bring it back
    now = T0;
    expect(await service.validate(token)).toBeNull();
  });

  it.each(['', 'short', 'A'.repeat(32), `${'a'.repeat(31)}1`, `${'a'.repeat(32)}'--`, 'a'.repeat(33)])('rejects the malformed token %j without a lookup error', async (token) => {
    expect(await service.validate(token)).toBeNull();
  });

  it('rejects an unknown well-formed token', async () => {
    expect(await service.validate(service.generateToken())).toBeNull();
  });

  it('invalidates one session or all sessions of a user', async () => {
    const a = service.generateToken();
    const b = service.generateToken();
    const sa = await service.create(a, userId);
    await service.create(b, userId);
    await service.invalidate(sa.id);
    expect(await service.validate(a)).toBeNull();
    expect(await service.validate(b)).not.toBeNull();
    await service.invalidateAllForUser(userId);
    expect(await service.validate(b)).toBeNull();
  });
});
