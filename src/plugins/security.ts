import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.js';
import { ensureBrowserId, readBrowserId } from '../http/browser-id.js';
import { helmetHeaders } from '../http/helmet-headers.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Skips the CSRF check for a route that authenticates another way (none yet). */
    skipCsrf?: boolean;
  }
  interface FastifyReply {
    /** The CSRF token for this page, bound to the session (or, before login, to this browser). */
    csrfToken(): string;
  }
}

/**
 * What a CSRF token is bound to: the session when logged in, else the browser id. A token
 * and `_csrf` cookie an attacker obtained for themselves (and tossed into a victim's
 * browser) are bound to the attacker's session or browser, so they fail for the victim's.
 * The value is hashed into the token with an HMAC, never shown.
 */
function csrfUserInfo(request: FastifyRequest): string {
  if (request.session) return `s:${request.session.id}`;
  return `b:${readBrowserId(request) ?? ''}`;
}

export default fp(
  async (app, opts: { config: AppConfig }) => {
    const { config } = opts;
    const securityHeaders = helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // Images from the site only: a post's images are shown as links (src/markdown/render.ts),
          // so no page makes a reader's browser contact another host.
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // The site must work over plain http on localhost; HSTS only when served over https.
      strictTransportSecurity: config.secureCookies ? { maxAge: 15552000 } : false,
      crossOriginEmbedderPolicy: false,
    });
    // The same headers on every response, so they are worked out once (helmet-headers.ts).
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders);
      done();
    });
    await app.register(cookie, { secret: config.cookieSecret });
    await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
      getUserInfo: csrfUserInfo,
      // A key of its own, derived from the cookie secret, for the token's HMAC over the binding.
      csrfOpts: { hmacKey: createHmac('sha256', config.cookieSecret).update('csrf-user-info').digest() },
    });
    app.decorateReply('csrfToken', function (this: FastifyReply) {
      // A visitor gets a browser id with their first page, so the token has something to bind to.
      if (!this.request.session) ensureBrowserId(this.request, this, config.secureCookies);
      return this.generateCsrf({ userInfo: csrfUserInfo(this.request) });
    });
    await app.register(rateLimit, { global: false });

    // The form body is parsed only after onRequest, so the token check runs in preHandler.
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method !== 'POST' || request.skipCsrf) return done();
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'security' },
);
