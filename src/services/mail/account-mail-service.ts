import { createHash, randomBytes } from 'node:crypto';
import type { AccountMailRepository, AccountTokenPurpose, RateLimitRepository, UserRepository } from '../../db/ports.js';
import { checkEmail, checkPassword, normaliseEmail } from '../../domain/account-rules.js';
import { ConflictError, TooManyRequestsError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import type { Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { MailComposer } from './compose.js';

const HOUR = 3_600_000;
/** How long each kind of link works. A reset link is short-lived: it is as good as the password. */
export const TOKEN_TTL: Record<AccountTokenPurpose, number> = { verify: 7 * 24 * HOUR, reset: HOUR, 'change-email': 24 * HOUR };
/** Mails per hour: per account for verify and change, per address and per client for resets. */
export const ACCOUNT_MAIL_LIMITS = { perAccount: 3, perAddress: 3, perIp: 10, windowMs: HOUR };

export interface AccountMailLog {
  error(obj: object, msg: string): void;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/*
 * E-mail verification, password reset and change of address. Each link is a random token,
 * single use, kept only as its hash; issuing it queues its mail in the same atomic step
 * (AccountMailRepository.issueToken). Requests are throttled in the database, so the limits
 * hold across instances. A reset request answers the same whether or not the address is
 * known, and a throttled address is skipped silently for the same reason.
 */
export class AccountMailService {
  constructor(
    private readonly users: UserRepository,
    private readonly accounts: AccountMailRepository,
    private readonly rateLimits: RateLimitRepository,
    private readonly composer: MailComposer,
    private readonly hasher: PasswordHasher,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly log: AccountMailLog | null = null,
  ) {}

  async isVerified(user: User): Promise<boolean> {
    const p = await this.accounts.profile(user.id);
    return p !== null && p.verifiedEmail !== null && p.verifiedEmail.toLowerCase() === user.email.toLowerCase();
  }

  async status(user: User): Promise<{ email: string; verified: boolean }> {
    return { email: user.email, verified: await this.isVerified(user) };
  }

  /**
   * After a sign-up: remember the language, send the verification link. Never throws: the
   * account exists either way and the member can ask for the link again from their settings.
   */
  async afterRegister(user: User, locale: Locale): Promise<void> {
    try {
      await this.accounts.setLocale(user.id, locale);
      await this.issue(user, 'verify', user.email, locale);
    } catch (err) {
      this.log?.error({ userId: user.id, err: err instanceof Error ? err.message : String(err) }, 'verification mail not queued');
    }
  }

  async resendVerification(user: User, locale: Locale): Promise<void> {
    if (await this.isVerified(user)) return;
    await this.throttle(`mail:account:${user.id}`, ACCOUNT_MAIL_LIMITS.perAccount, true);
    await this.accounts.setLocale(user.id, locale);
    await this.issue(user, 'verify', user.email, locale);
  }

  /** True when the link verified the address; false for a used, expired, unknown or stale link. */
  async verify(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    return (await this.accounts.consumeVerify(hashToken(token), this.now())) !== null;
  }

  async requestReset(rawEmail: string, ip: string, locale: Locale): Promise<void> {
    const email = normaliseEmail(rawEmail);
    const errors: FieldErrors = {};
    checkEmail(email, errors);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await this.throttle(`mail:reset:ip:${ip}`, ACCOUNT_MAIL_LIMITS.perIp, true);
    const user = await this.users.findByEmail(email);
    if (!user) return;
    if (!(await this.throttle(`mail:reset:user:${user.id}`, ACCOUNT_MAIL_LIMITS.perAddress, false))) return;
    const profile = await this.accounts.profile(user.id);
    await this.issue(user, 'reset', user.email, profile?.locale ?? locale);
  }

  /** Whether a reset link can still be used (the form is shown only then). */
  async resetUsable(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    const t = await this.accounts.findToken(hashToken(token));
    return t !== null && t.purpose === 'reset' && t.usedAt === null && t.expiresAt > this.now();
  }

  /** Sets the new password and ends every session; false when the link cannot be used. */
  async reset(token: string, newPassword: string): Promise<boolean> {
    const errors: FieldErrors = {};
    checkPassword(newPassword, errors, 'newPassword');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    if (!TOKEN_PATTERN.test(token)) return false;
    return (await this.accounts.consumeReset(hashToken(token), await this.hasher.hash(newPassword), this.now())) !== null;
  }

  /** Sends a confirmation link to the new address; the account keeps its address until it is clicked. */
  async requestEmailChange(user: User, rawEmail: string, currentPassword: string, locale: Locale): Promise<string> {
    const email = normaliseEmail(rawEmail);
    const errors: FieldErrors = {};
    checkEmail(email, errors);
    if (!errors.email && email.toLowerCase() === user.email.toLowerCase()) errors.email = { key: 'account.email.same' };
    if (currentPassword === '') errors.currentPassword = { key: 'validation.required' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const fresh = await this.users.findById(user.id);
    if (!fresh || !(await this.hasher.verify(fresh.passwordHash, currentPassword))) throw new ValidationError({ currentPassword: { key: 'auth.currentPasswordWrong' } });
    if (await this.users.findByEmail(email)) throw new ValidationError({ email: { key: 'validation.emailTaken' } });
    await this.throttle(`mail:account:${user.id}`, ACCOUNT_MAIL_LIMITS.perAccount, true);
    await this.accounts.setLocale(user.id, locale);
    await this.issue(fresh, 'change-email', email, locale);
    return email;
  }

  /** The new address, or null when the link cannot be used; ConflictError when the address was taken meanwhile. */
  async confirmEmailChange(token: string): Promise<string | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    try {
      return (await this.accounts.consumeChangeEmail(hashToken(token), this.now()))?.email ?? null;
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError('account.email.takenMeanwhile');
      throw err;
    }
  }

  /** Counts one request; over the limit it throws a 429 (`loud`) or returns false (silent). */
  private async throttle(key: string, max: number, loud: boolean): Promise<boolean> {
    const { count, resetAt } = await this.rateLimits.hit(key, ACCOUNT_MAIL_LIMITS.windowMs, this.now());
    if (count <= max) return true;
    if (loud) throw new TooManyRequestsError('error.tooManyRequests', Math.max(1, Math.ceil((resetAt - this.now()) / 1000)));
    return false;
  }

  private async issue(user: User, purpose: AccountTokenPurpose, email: string, locale: Locale): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const hash = hashToken(token);
    const now = this.now();
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const path = purpose === 'verify' ? `/verify-email/${token}` : purpose === 'reset' ? `/reset-password/${token}` : `/confirm-email/${token}`;
    const mail = this.composer.compose(
      {
        to: email,
        userId: user.id,
        locale,
        kind: purpose,
        idempotencyKey: `${purpose}:${hash}`,
        subject: t(`account.mail.${purpose}.subject`),
        heading: t(`account.mail.${purpose}.heading`, { username: user.username }),
        paragraphs: [t(`account.mail.${purpose}.body`, { email }), t('account.mail.notYou')],
        action: { url: path, label: t(`account.mail.${purpose}.action`) },
      },
      now,
    );
    await this.accounts.issueToken({ hash, userId: user.id, purpose, email, now, expiresAt: now + TOKEN_TTL[purpose] }, mail);
    this.wake();
  }
}
