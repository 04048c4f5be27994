import type { FastifyPluginAsync } from 'fastify';
import { formFields, safeRedirectPath } from '../../http/form.js';
import { isLocale } from '../../i18n/index.js';
import { LOCALE_COOKIE } from '../../plugins/request-context.js';
import { BadInputError } from '../../http/form.js';

const ONE_YEAR_S = 365 * 24 * 60 * 60;

const prefsRoutes: FastifyPluginAsync<{ secureCookies: boolean }> = async (app, opts) => {
  // Only this browser's cookie changes: every page stays as it is (another language is another cache key).
  app.post('/prefs/language', { config: { keepsPages: true } }, async (request, reply) => {
    const form = formFields(request.body, ['locale', 'next'] as const);
    if (!isLocale(form.locale)) throw new BadInputError();
    reply.setCookie(LOCALE_COOKIE, form.locale, { path: '/', sameSite: 'lax', secure: opts.secureCookies, maxAge: ONE_YEAR_S, httpOnly: true });
    return reply.redirect(safeRedirectPath(form.next), 303);
  });
};

export default prefsRoutes;
