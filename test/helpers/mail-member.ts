import type { Storage } from '../../src/db/ports.js';
import type { User } from '../../src/domain/types.js';

let issued = 0;

/**
 * Gives a test member a mail language and, unless told otherwise, a verified address, the way
 * following the verification link would (a token issued and consumed through the storage
 * port): notification mail goes only to verified addresses.
 */
export async function prepareMailMember(storage: Storage, user: User, options: { verified?: boolean; locale?: 'en' | 'zh-CN'; now?: number } = {}): Promise<void> {
  await storage.mail.accounts.setLocale(user.id, options.locale ?? 'en');
  if (options.verified === false) return;
  const now = options.now ?? Date.now();
  const hash = (++issued).toString(16).padStart(64, 'a');
  await storage.mail.accounts.issueToken(
    { hash, userId: user.id, purpose: 'verify', email: user.email, now, expiresAt: now + 60_000 },
    { idempotencyKey: `test-verify:${hash}`, to: user.email, userId: user.id, kind: 'verify', locale: 'en', subject: 'test verify', html: '', text: 'x', headers: {}, now },
  );
  await storage.mail.accounts.consumeVerify(hash, now);
}
