import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { AppConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Skips the CSRF check for a route that authenticates another way (none yet). */
    skipCsrf?: boolean;
  }
}

export default fp(
  async (app, opts: { config: AppConfig }) => {
    const { config } = opts;
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'https:', 'data:'],
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
    await app.register(cookie, { secret: config.cookieSecret });
    await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
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
