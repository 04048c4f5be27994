import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomId } from './random-pool.js';

/*
 * A random id for this browser, in a signed httpOnly cookie, for what a visitor does before
 * logging in: FAQ "helpful" votes count once per browser, and the CSRF token of a visitor
 * is bound to it (see plugins/security.ts).
 */

export const BROWSER_COOKIE = 'fid';
const BROWSER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
const ATTRIBUTES = `; Max-Age=${BROWSER_COOKIE_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax`;
const SECURE_ATTRIBUTES = `; Max-Age=${BROWSER_COOKIE_MAX_AGE}; Path=/; HttpOnly; Secure; SameSite=Lax`;
const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The id set on this response, so one request never hands out two different ids. */
    newBrowserId?: string;
    /** The id from the request's cookie once checked (null: none or forged); undefined until then. */
    checkedBrowserId?: string | null;
  }
}

/**
 * The browser id from the signed cookie, or null when there is none (or it is forged). The
 * signature is checked once per request: a returning visitor's cached page asked for it up to
 * four times (the ETag, the browser id, the CSRF secret and the token's binding), an HMAC each.
 */
export function readBrowserId(request: FastifyRequest): string | null {
  if (request.newBrowserId) return request.newBrowserId;
  if (request.checkedBrowserId !== undefined) return request.checkedBrowserId;
  const raw = request.cookies[BROWSER_COOKIE];
  let id: string | null = null;
  if (raw) {
    const unsigned = request.unsignCookie(raw);
    if (unsigned.valid && unsigned.value && ID_PATTERN.test(unsigned.value)) id = unsigned.value;
  }
  request.checkedBrowserId = id;
  return id;
}

/** The browser id, set up in a new cookie when the browser has none yet. */
export function ensureBrowserId(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = readBrowserId(request);
  if (existing) return existing;
  const id = randomId(16);
  request.newBrowserId = id;
  // Written directly rather than through reply.setCookie: it goes out with every cookie-less
  // visit (crawlers, first pages), and its attributes never change. Fastify appends it to any
  // other Set-Cookie of the response; the format is the cookie library's (Max-Age, Path,
  // HttpOnly, Secure, SameSite, value URI-encoded), so @fastify/cookie reads it back.
  reply.header('set-cookie', `${BROWSER_COOKIE}=${encodeURIComponent(reply.signCookie(id))}${secure ? SECURE_ATTRIBUTES : ATTRIBUTES}`);
  return id;
}
