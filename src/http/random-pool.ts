import { randomFillSync } from 'node:crypto';

/*
 * Random ids from a pool filled a few kilobytes at a time. Every cookie-less visitor (a
 * crawler, a first visit) gets a new browser id; crypto.randomBytes for each one cost more
 * than serving the cached page itself (one call into OpenSSL per id). The pool holds the
 * same cryptographic randomness, each byte is handed out once, and nothing else reads it.
 */

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `bytes` fresh random bytes as base64url (never handed out before). */
export function randomId(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomId: at most ${POOL_BYTES} bytes`);
  if (used + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    used = 0;
  }
  const id = pool.toString('base64url', used, used + bytes);
  // Overwritten once handed out, so the pool never holds an id already in use.
  pool.fill(0, used, used + bytes);
  used += bytes;
  return id;
}
