import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config.js';
import type { Locale, Session, User } from '../domain/types.js';
import { isLocale, localeFromAcceptLanguage, translator, type Translate } from '../i18n/index.js';
import { SESSION_LIFETIME_MS } from '../services/auth/session-service.js';

export const SESSION_COOKIE = 'session';
export const LOCALE_COOKIE = 'lang';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    user: User | null;
    session: Session | null;
  }
  interface FastifyReply {
    setSessionCookie(token: string, expiresAt: number): void;
    clearSessionCookie(): void;
  }
}

/** Resolves who is asking (session cookie) and in which language, once per request. */
export default fp(
  async (app, opts: { config: AppConfig }) => {
    const secure = opts.config.secureCookies;
    app.decorateRequest('locale', 'en');
    app.decorateRequest('t', null as unknown as Translate);
    app.decorateRequest('user', null);
    app.decorateRequest('session', null);

    app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string, expiresAt: number) {
      this.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
    });
    app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      this.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    });

    app.addHook('onRequest', async (request, reply) => {
      const cookieLocale = request.cookies[LOCALE_COOKIE];
      request.locale = isLocale(cookieLocale) ? cookieLocale : localeFromAcceptLanguage(request.headers['accept-language']);
      request.t = translator(request.locale);

      if (request.url.startsWith('/static/')) return;
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const result = await app.services.sessions.validate(token);
      if (!result) {
        reply.clearSessionCookie();
        return;
      }
      request.user = result.user;
      request.session = result.session;
      if (result.renewed) reply.setSessionCookie(token, result.session.expiresAt);
    });
  },
  { name: 'request-context', dependencies: ['storage'] },
);

export { SESSION_LIFETIME_MS };
