import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { LoginThrottle } from '../../src/services/auth/login-throttle.js';
import { TooManyRequestsError } from '../../src/domain/errors.js';

const T0 = Date.UTC(2030, 0, 1);
const WINDOW_S = 900;

describe('LoginThrottle', () => {
  let storage: SqliteStorage;
  let now: number;
  let throttle: LoginThrottle;

  beforeEach(() => {
    storage = createSqliteStorage(':memory:');
    now = T0;
    throttle = new LoginThrottle(storage.rateLimits, { maxPerIp: 5, maxPerAccount: 3, windowSeconds: WINDOW_S }, () => now);
  });

  afterEach(async () => {
    await storage.close();
  });

  async function blocked(ip: string, account: string): Promise<TooManyRequestsError | null> {
    try {
      await throttle.assertAllowed(ip, account);
      return null;
    } catch (err) {
      if (err instanceof TooManyRequestsError) return err;
      throw err;
    }
  }

  it('allows attempts below the per-account limit', async () => {
    await throttle.recordFailure('1.1.1.1', 'alice');
    await throttle.recordFailure('1.1.1.1', 'alice');
    expect(await blocked('1.1.1.1', 'alice')).toBeNull();
  });

  it('blocks an account after the limit, from any IP, with the seconds left in the window', async () => {
    await throttle.recordFailure('1.1.1.1', 'alice');
    now += 60_000;
    await throttle.recordFailure('2.2.2.2', 'alice');
    await throttle.recordFailure('3.3.3.3', 'alice');
    const err = await blocked('4.4.4.4', 'alice');
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect(err!.status).toBe(429);
    expect(err!.messageKey).toBe('auth.tooManyAttempts');
    // the window started at T0, so 900 - 60 seconds remain
    expect(err!.retryAfterSeconds).toBe(WINDOW_S - 60);
    expect(err!.params.seconds).toBe(WINDOW_S - 60);
    // other accounts are not affected
    expect(await blocked('4.4.4.4', 'bob')).toBeNull();
  });

  it('treats the account name case-insensitively and ignores surrounding spaces', async () => {
    await throttle.recordFailure('1.1.1.1', 'Alice');
    await throttle.recordFailure('1.1.1.1', 'ALICE ');
    await throttle.recordFailure('1.1.1.1', ' alice');
    expect(await blocked('9.9.9.9', 'aLiCe')).toBeInstanceOf(TooManyRequestsError);
  });

  it('blocks an IP after its limit, whatever account it tries next', async () => {
    for (let i = 0; i < 5; i++) await throttle.recordFailure('6.6.6.6', `user${i}`);
    expect(await blocked('6.6.6.6', 'fresh-account')).toBeInstanceOf(TooManyRequestsError);
    expect(await blocked('7.7.7.7', 'fresh-account')).toBeNull();
  });

  it('lets the account in again once the window has passed', async () => {
    for (let i = 0; i < 3; i++) await throttle.recordFailure('1.1.1.1', 'alice');
    now = T0 + WINDOW_S * 1000 - 1;
    expect(await blocked('1.1.1.1', 'alice')).toBeInstanceOf(TooManyRequestsError);
    expect((await blocked('1.1.1.1', 'alice'))!.retryAfterSeconds).toBe(1);
    now = T0 + WINDOW_S * 1000;
    expect(await blocked('1.1.1.1', 'alice')).toBeNull();
    // a new window counts from zero again
    await throttle.recordFailure('1.1.1.1', 'alice');
    await throttle.recordFailure('1.1.1.1', 'alice');
    expect(await blocked('1.1.1.1', 'alice')).toBeNull();
    await throttle.recordFailure('1.1.1.1', 'alice');
    expect(await blocked('1.1.1.1', 'alice')).toBeInstanceOf(TooManyRequestsError);
  });

  it('clears the account counter on success, but not the IP counter', async () => {
    await throttle.recordFailure('1.1.1.1', 'alice');
    await throttle.recordFailure('1.1.1.1', 'alice');
    await throttle.recordSuccess('alice');
    await throttle.recordFailure('1.1.1.1', 'alice');
    await throttle.recordFailure('1.1.1.1', 'alice');
    expect(await blocked('2.2.2.2', 'alice')).toBeNull();
    // the IP has 4 failures recorded in total; one more reaches its limit of 5
    await throttle.recordFailure('1.1.1.1', 'someone-else');
    expect(await blocked('1.1.1.1', 'bob')).toBeInstanceOf(TooManyRequestsError);
  });
});
