import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Small signed tokens for links in mail that must work without logging in (one-click
 * unsubscribe). HMAC-SHA256 over a purpose and the payload with the site's secret, so a token
 * made for one purpose is worthless for another and nobody can forge one for another member.
 */

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

function mac(secret: string, purpose: string, payload: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest('base64url');
}

export function signToken(secret: string, purpose: string, payload: string): string {
  const body = b64(payload);
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload, or null when the token is malformed or its signature does not match. */
export function verifyToken(secret: string, purpose: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 400) return null;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secret, purpose, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return Buffer.from(m[1]!, 'base64url').toString('utf8');
}
