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

  /** One login attempt: the reservation, or the 429 that refused it. A failed password simply keeps its reservation. */
  async function attempt(ip: string, account: string): Promise<TooManyRequestsError | null> {
    try {
      await throttle.reserve(ip, account);
      return null;
    } catch (err) {
      if (err instanceof TooManyRequestsError) return err;
      throw err;
    }
  }

  it('allows attempts up to the per-account limit', async () => {
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
  });

  it('blocks an account after the limit, from any IP, with the seconds left in the window', async () => {
    await attempt('1.1.1.1', 'alice');
    now += 60_000;
    await attempt('2.2.2.2', 'alice');
    await attempt('3.3.3.3', 'alice');
    const err = await attempt('4.4.4.4', 'alice');
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect(err!.status).toBe(429);
    expect(err!.messageKey).toBe('auth.tooManyAttempts');
    // the window started at T0, so 900 - 60 seconds remain
    expect(err!.retryAfterSeconds).toBe(WINDOW_S - 60);
    expect(err!.params.seconds).toBe(WINDOW_S - 60);
    // other accounts are not affected
    expect(await attempt('4.4.4.4', 'bob')).toBeNull();
  });

  it('a refused attempt counts nothing against the IP', async () => {
    for (let i = 0; i < 3; i++) await attempt('1.1.1.1', 'alice');
    for (let i = 0; i < 10; i++) expect(await attempt('1.1.1.1', 'alice')).toBeInstanceOf(TooManyRequestsError);
    // 3 of the IP's 5 attempts are used: two more accounts can still be tried from it
    expect(await attempt('1.1.1.1', 'bob')).toBeNull();
    expect(await attempt('1.1.1.1', 'carol')).toBeNull();
    expect(await attempt('1.1.1.1', 'dave')).toBeInstanceOf(TooManyRequestsError);
  });

  it('treats the account name case-insensitively and ignores surrounding spaces', async () => {
    await attempt('1.1.1.1', 'Alice');
    await attempt('1.1.1.1', 'ALICE ');
    await attempt('1.1.1.1', ' alice');
    expect(await attempt('9.9.9.9', 'aLiCe')).toBeInstanceOf(TooManyRequestsError);
  });

  it('blocks an IP after its limit, whatever account it tries next', async () => {
    for (let i = 0; i < 5; i++) await attempt('6.6.6.6', `user${i}`);
    expect(await attempt('6.6.6.6', 'fresh-account')).toBeInstanceOf(TooManyRequestsError);
    expect(await attempt('7.7.7.7', 'fresh-account')).toBeNull();
  });

  it('lets the account in again once the window has passed', async () => {
    for (let i = 0; i < 3; i++) await attempt('1.1.1.1', 'alice');
    now = T0 + WINDOW_S * 1000 - 1;
    expect(await attempt('1.1.1.1', 'alice')).toBeInstanceOf(TooManyRequestsError);
    expect((await attempt('1.1.1.1', 'alice'))!.retryAfterSeconds).toBe(1);
    now = T0 + WINDOW_S * 1000;
    // a new window counts from zero again
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'alice')).toBeInstanceOf(TooManyRequestsError);
  });

  it('a success clears the account counter and gives the IP its attempt back', async () => {
    await attempt('1.1.1.1', 'alice');
    await attempt('1.1.1.1', 'alice');
    await attempt('1.1.1.1', 'alice');
    await throttle.succeeded('1.1.1.1', 'alice');
    // the account starts over; the IP holds 2 failures (the success was returned)
    expect(await attempt('2.2.2.2', 'alice')).toBeNull();
    expect(await attempt('1.1.1.1', 'bob')).toBeNull();
    expect(await attempt('1.1.1.1', 'bob')).toBeNull();
    expect(await attempt('1.1.1.1', 'carol')).toBeNull();
    expect(await attempt('1.1.1.1', 'dave')).toBeInstanceOf(TooManyRequestsError);
  });

  it('concurrent attempts never take more than the limit', async () => {
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt('5.5.5.5', 'alice')));
    expect(outcomes.filter((o) => o === null)).toHaveLength(3);
  });
});
