import type { RateLimitRepository } from '../../db/ports.js';
import { TooManyRequestsError } from '../../domain/errors.js';

export interface LoginThrottleLimits {
  maxPerIp: number;
  maxPerAccount: number;
  windowSeconds: number;
}

/**
 * Counts failed logins per client IP and per account in the database, so that the limit
 * holds across app instances and restarts. A success clears the account's counter.
 */
export class LoginThrottle {
  constructor(
    private readonly store: RateLimitRepository,
    private readonly limits: LoginThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  private static ipKey(ip: string): string {
    return `login:ip:${ip}`;
  }

  private static accountKey(identifier: string): string {
    return `login:account:${identifier.trim().toLowerCase()}`;
  }

  async assertAllowed(ip: string, identifier: string): Promise<void> {
    const now = this.now();
    const [byIp, byAccount] = await Promise.all([
      this.store.peek(LoginThrottle.ipKey(ip), now),
      this.store.peek(LoginThrottle.accountKey(identifier), now),
    ]);
    const blocked = [
      byIp && byIp.count >= this.limits.maxPerIp ? byIp.resetAt : 0,
      byAccount && byAccount.count >= this.limits.maxPerAccount ? byAccount.resetAt : 0,
    ];
    const until = Math.max(...blocked);
    if (until > now) {
      throw new TooManyRequestsError('auth.tooManyAttempts', Math.max(1, Math.ceil((until - now) / 1000)));
    }
  }

  async recordFailure(ip: string, identifier: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    const now = this.now();
    await this.store.hit(LoginThrottle.ipKey(ip), windowMs, now);
    await this.store.hit(LoginThrottle.accountKey(identifier), windowMs, now);
  }

  async recordSuccess(identifier: string): Promise<void> {
    await this.store.reset(LoginThrottle.accountKey(identifier));
  }
}
