import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/*
 * A random id for this browser, in a signed httpOnly cookie, for what a visitor does before
 * logging in: FAQ "helpful" votes count once per browser, and the CSRF token of a visitor
 * is bound to it (see plugins/security.ts).
 */

export const BROWSER_COOKIE = 'fid';
const BROWSER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;
const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The id set on this response, so one request never hands out two different ids. */
    newBrowserId?: string;
  }
}

/** The browser id from the signed cookie, or null when there is none (or it is forged). */
export function readBrowserId(request: FastifyRequest): string | null {
  if (request.newBrowserId) return request.newBrowserId;
  const raw = request.cookies[BROWSER_COOKIE];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value && ID_PATTERN.test(unsigned.value) ? unsigned.value : null;
}

/** The browser id, set up in a new cookie when the browser has none yet. */
export function ensureBrowserId(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = readBrowserId(request);
  if (existing) return existing;
  const id = randomBytes(16).toString('base64url');
  request.newBrowserId = id;
  reply.setCookie(BROWSER_COOKIE, id, { signed: true, httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: BROWSER_COOKIE_MAX_AGE });
  return id;
}
