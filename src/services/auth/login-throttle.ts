import type { RateLimitRepository } from '../../db/ports.js';
import { TooManyRequestsError } from '../../domain/errors.js';

export interface LoginThrottleLimits {
  maxPerIp: number;
  maxPerAccount: number;
  windowSeconds: number;
}

/**
 * Limits password checks per client IP and per account, counted in the database so the
 * limit holds across app instances and restarts.
 *
 * Every attempt is reserved (counted as a failure) BEFORE the password is checked, in one
 * atomic step per key: thirty concurrent guesses cannot all pass a "fewer than five so far?"
 * check before any of them is counted. A success then gives its reservation back: it clears
 * the account's counter and returns the IP's attempt.
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

  /** Takes one attempt for this IP and account, or throws 429 (counting nothing) when either is used up. */
  async reserve(ip: string, identifier: string): Promise<void> {
    const now = this.now();
    const outcome = await this.store.reserve(
      [
        { key: LoginThrottle.ipKey(ip), limit: this.limits.maxPerIp },
        { key: LoginThrottle.accountKey(identifier), limit: this.limits.maxPerAccount },
      ],
      this.limits.windowSeconds * 1000,
      now,
    );
    if (!outcome.granted) {
      throw new TooManyRequestsError('auth.tooManyAttempts', Math.max(1, Math.ceil((outcome.resetAt - now) / 1000)));
    }
  }

  /** The reserved attempt was a correct password: forget the account's failures, return the IP's attempt. */
  async succeeded(ip: string, identifier: string): Promise<void> {
    await this.store.reset(LoginThrottle.accountKey(identifier));
    await this.store.release(LoginThrottle.ipKey(ip), this.now());
  }
}
