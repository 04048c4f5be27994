import { createHmac } from 'node:crypto';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readBrowserId } from './browser-id.js';
import { randomId } from './random-pool.js';

/*
 * CSRF tokens (synchronizer tokens from @fastify/csrf, HMAC-bound to who is asking; see
 * docs/decisions.md "CSRF secret of a visitor").
 *
 * A token is made from a secret the browser cannot show to another site, and bound to the
 * session (logged in) or the browser id (before login). A member's secret is a random value
 * in the signed httpOnly `_csrf` cookie, as before. A visitor's secret is derived from their
 * browser id with a server key: the browser id is already a random value in a signed
 * httpOnly cookie, so a second cookie with a second random value added nothing but work
 * (two random draws, two HMAC signatures, two Set-Cookie headers on every cookie-less
 * visit: a crawler, the first page of every reader). Knowing a browser id (it is stored
 * with FAQ votes and self-service events) does not give the secret: that needs the key.
 * A visitor who still has a `_csrf` cookie from before keeps using it, so the forms they
 * have open keep working.
 */

export const CSRF_COOKIE = '_csrf';
/** Members' tokens kept (about 150 bytes each). */
const MEMBER_TOKENS = 20_000;

export interface CsrfOptions {
  cookieSecret: string;
  secure: boolean;
}

export interface Csrf {
  /** A new token for this response's page (sets the member's `_csrf` cookie if missing). */
  token(request: FastifyRequest, reply: FastifyReply): string;
  /** Whether the token the request carries fits its session or browser. */
  check(request: FastifyRequest): 'ok' | 'missing-secret' | 'invalid';
  /** The `_csrf` cookie's secret if it is there and genuine (part of the page cache's ETag). */
  cookieSecret(request: FastifyRequest): string | null;
}

/** The error codes the error pages map to "Your form expired" (plugins/errors.ts). */
export function csrfError(kind: 'missing-secret' | 'invalid'): Error {
  const error = new Error(kind === 'invalid' ? 'Invalid csrf token' : 'Missing csrf secret') as Error & { code: string; statusCode: number };
  error.code = kind === 'invalid' ? 'FST_CSRF_INVALID_TOKEN' : 'FST_CSRF_MISSING_SECRET';
  error.statusCode = 403;
  return error;
}

/**
 * What a CSRF token is bound to: the session when logged in, else the browser id. A token
 * and `_csrf` cookie an attacker obtained for themselves (and tossed into a victim's
 * browser) are bound to the attacker's session or browser, so they fail for the victim's.
 * The value is hashed into the token with an HMAC, never shown.
 */
function userInfo(request: FastifyRequest): string {
  if (request.session) return `s:${request.session.id}`;
  return `b:${readBrowserId(request) ?? ''}`;
}

/** The token sent with a form (or by a script in a header), as @fastify/csrf-protection read it. */
function sentToken(request: FastifyRequest): string | undefined {
  const body = request.body as { _csrf?: unknown } | undefined;
  const fromBody = body && typeof body === 'object' ? body._csrf : undefined;
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  const h = request.headers;
  const header = h['csrf-token'] ?? h['xsrf-token'] ?? h['x-csrf-token'] ?? h['x-xsrf-token'];
  return typeof header === 'string' ? header : undefined;
}

export function createCsrf(options: CsrfOptions): Csrf {
  const hmacKey = createHmac('sha256', options.cookieSecret).update('csrf-user-info').digest();
  const visitorKey = createHmac('sha256', options.cookieSecret).update('csrf-visitor-secret').digest();
  // Callable without new; its typings pick the overload without userInfo, hence the cast.
  const tokens = Tokens({ userInfo: true, hmacKey }) as unknown as Tokens.TokensUserinfo;
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: options.secure, signed: true };

  /*
   * A member's token, kept per (signed `_csrf` cookie, session): the page of a logged-in member
   * made a new token and checked the cookie's signature on every response (two HMACs, ~5 % of
   * the page). A token is valid for as long as its secret and session are (the library's tokens
   * carry no time), so handing out the same one again gives away nothing a page did not already
   * show; it still fails for any other session or secret, and a new session (login) gets a new
   * token. Keyed by the cookie exactly as sent: the token is only reused for the very cookie
   * whose signature was checked when it was made. Bounded, oldest dropped first.
   */
  const memberTokens = new Map<string, string>();
  const memoKey = (request: FastifyRequest): string | null => {
    const raw = request.session ? request.cookies[CSRF_COOKIE] : undefined;
    return raw ? `${request.session!.id}\0${raw}` : null;
  };
  const remember = (key: string, token: string) => {
    memberTokens.set(key, token);
    if (memberTokens.size > MEMBER_TOKENS) memberTokens.delete(memberTokens.keys().next().value as string);
  };

  function cookieSecret(request: FastifyRequest): string | null {
    const raw = request.cookies[CSRF_COOKIE];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : null;
  }

  /** The secret a request's token is checked against, or null when it has none. */
  function secretOf(request: FastifyRequest): string | null {
    const fromCookie = cookieSecret(request);
    if (fromCookie || request.session) return fromCookie;
    const browser = readBrowserId(request);
    return browser ? createHmac('sha256', visitorKey).update(browser).digest('base64url') : null;
  }

  return {
    cookieSecret,
    token(request, reply) {
      const known = memoKey(request);
      const kept = known === null ? undefined : memberTokens.get(known);
      if (kept !== undefined) return kept;
      let secret = secretOf(request);
      if (!secret) {
        // A member without the cookie (a visitor's browser never needs one): a new random secret.
        secret = randomId(18);
        reply.setCookie(CSRF_COOKIE, secret, cookieOpts);
        request.cookies[CSRF_COOKIE] = reply.signCookie(secret);
      }
      const token = tokens.create(secret, userInfo(request));
      // Only a secret that came from a genuine cookie (or was just set) is remembered.
      const key = memoKey(request);
      if (key !== null) remember(key, token);
      return token;
    },
    check(request) {
      // The very token made for this cookie and session: it was verified when it was made.
      const known = memoKey(request);
      const sent = known === null ? undefined : sentToken(request);
      if (sent !== undefined && memberTokens.get(known!) === sent) return 'ok';
      const secret = secretOf(request);
      if (!secret) return 'missing-secret';
      const token = sentToken(request);
      return token && tokens.verify(secret, token, userInfo(request)) ? 'ok' : 'invalid';
    },
  };
}
