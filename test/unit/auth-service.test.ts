import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { TooManyRequestsError, UnauthorizedError, ValidationError } from '../../src/domain/errors.js';
import { AuthService } from '../../src/services/auth/auth-service.js';
import { LoginThrottle } from '../../src/services/auth/login-throttle.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { SessionService } from '../../src/services/auth/session-service.js';

/* AuthService with its real collaborators on an in-memory database and a cheap argon2id. */
describe('AuthService', () => {
  let storage: SqliteStorage;
  let auth: AuthService;
  let sessions: SessionService;
  let now: number;

  beforeEach(() => {
    storage = createSqliteStorage(':memory:');
    now = Date.UTC(2030, 0, 1);
    sessions = new SessionService(storage.sessions, () => now);
    const throttle = new LoginThrottle(storage.rateLimits, { maxPerIp: 50, maxPerAccount: 3, windowSeconds: 900 }, () => now);
    auth = new AuthService(storage.users, sessions, new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), throttle);
  });
  afterEach(async () => {
    await storage.close();
  });

  const fieldsOf = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    return Object.fromEntries(Object.entries((err as ValidationError).fields).map(([k, v]) => [k, v.key]));
  };

  it('registers with an argon2id hash, never the password, and Chinese usernames work', async () => {
    const user = await auth.register({ username: '李雷', email: 'Li.Lei@Example.test', password: 'correct-horse-battery' });
    const stored = (await storage.users.findById(user.id))!;
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain('correct-horse');
    expect(stored.email).toBe('li.lei@example.test');
    expect((await auth.login('li.lei@example.test', 'correct-horse-battery', '1.1.1.1')).user.id).toBe(user.id);
  });

  it('names every invalid or taken field at once', async () => {
    await auth.register({ username: 'alice', email: 'alice@example.test', password: 'correct-horse-battery' });
    expect(await fieldsOf(auth.register({ username: 'ALICE', email: 'ALICE@example.test', password: 'correct-horse-battery' }))).toEqual({
      username: 'validation.usernameTaken',
      email: 'validation.emailTaken',
    });
    const bad = await fieldsOf(auth.register({ username: 'a', email: 'not-an-email', password: 'short' }));
    expect(Object.keys(bad).sort()).toEqual(['email', 'password', 'username']);
  });

  it('a wrong password is refused the same way as an unknown account, and too many failures per account are throttled', async () => {
    await auth.register({ username: 'bob', email: 'bob@example.test', password: 'correct-horse-battery' });
    await expect(auth.login('bob', 'wrong-password-here', '1.1.1.1')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(auth.login('nobody', 'wrong-password-here', '1.1.1.1')).rejects.toBeInstanceOf(UnauthorizedError);
    // Alternating spellings of the same account share one counter.
    await expect(auth.login('BOB@example.test', 'wrong-password-here', '2.2.2.2')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(auth.login('Bob', 'wrong-password-here', '3.3.3.3')).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(auth.login('bob', 'correct-horse-battery', '4.4.4.4')).rejects.toBeInstanceOf(TooManyRequestsError);
    now += 901_000;
    expect((await auth.login('bob', 'correct-horse-battery', '4.4.4.4')).user.username).toBe('bob');
  });

  it('changing the password ends every other session and opens a fresh one', async () => {
    const user = await auth.register({ username: 'carol', email: 'carol@example.test', password: 'correct-horse-battery' });
    const phone = await auth.login('carol', 'correct-horse-battery', '1.1.1.1');
    const laptop = await auth.login('carol', 'correct-horse-battery', '1.1.1.1');
    expect(await fieldsOf(auth.changePassword(user, 'not-the-password', 'another-long-password'))).toEqual({ currentPassword: 'auth.currentPasswordWrong' });
    const fresh = await auth.changePassword(user, 'correct-horse-battery', 'another-long-password');
    expect(await sessions.validate(phone.token)).toBeNull();
    expect(await sessions.validate(laptop.token)).toBeNull();
    expect((await sessions.validate(fresh.token))?.user.id).toBe(user.id);
    await expect(auth.login('carol', 'correct-horse-battery', '1.1.1.1')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
