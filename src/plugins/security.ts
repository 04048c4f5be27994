import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config.js';
import { ensureBrowserId } from '../http/browser-id.js';
import { createCsrf, csrfError, type Csrf } from '../http/csrf.js';
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
  interface FastifyInstance {
    csrf: Csrf;
  }
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
    // Tokens bound to the session or browser (http/csrf.ts); a visitor's secret comes from the browser id.
    const csrf = createCsrf({ cookieSecret: config.cookieSecret, secure: config.secureCookies });
    app.decorate('csrf', csrf);
    app.decorateReply('csrfToken', function (this: FastifyReply) {
      // A visitor gets a browser id with their first page, so the token has something to bind to.
      if (!this.request.session) ensureBrowserId(this.request, this, config.secureCookies);
      return csrf.token(this.request, this);
    });
    await app.register(rateLimit, { global: false });

    // The form body is parsed only after onRequest, so the token check runs in preHandler.
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.method !== 'POST' || request.skipCsrf) return done();
      const verdict = csrf.check(request);
      if (verdict === 'ok') return done();
      request.log.warn(verdict === 'invalid' ? 'Invalid csrf token' : 'Missing csrf secret');
      done(csrfError(verdict));
    });
  },
  { name: 'security' },
);
