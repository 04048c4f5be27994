import type { FastifyPluginAsync } from 'fastify';
import { formFields, queryString, safeRedirectPath } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { UnauthorizedError } from '../../domain/errors.js';

const authRoutes: FastifyPluginAsync<{ loginRateLimitPerMinute: number; postRateLimitPerMinute: number }> = async (app, opts) => {
  const { auth } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };

  app.get('/register', async (request, reply) => {
    if (request.user) return reply.redirect('/', 303);
    return reply.page('auth/register', { values: { username: '', email: '' }, errors: {} }, { title: request.t('auth.register.title') });
  });

  app.post('/register', { config: postLimit }, async (request, reply) => {
    const form = formFields(request.body, ['username', 'email', 'password'] as const);
    const result = await tryForm(request.t, () => auth.register(form));
    if (!result.ok) {
      return reply.page('auth/register', { values: { username: form.username, email: form.email }, errors: result.errors }, {
        title: request.t('auth.register.title'),
        status: 400,
      });
    }
    const login = await auth.startSession(result.value);
    reply.setSessionCookie(login.token, login.expiresAt);
    // Queues the verification mail; never throws (the account exists either way).
    await app.services.accountMail.afterRegister(result.value, request.locale);
    return reply.redirect(`/u/${encodeURIComponent(result.value.username)}?welcome=1`, 303);
  });

  app.get('/login', async (request, reply) => {
    const next = safeRedirectPath(queryString(request.query, 'next'));
    if (request.user) return reply.redirect(next, 303);
    return reply.page('auth/login', { values: { identifier: '' }, errors: {}, next, formError: null }, { title: request.t('auth.login.title') });
  });

  // Signing in or out changes no page an anonymous visitor is served (it writes a session and
  // the login throttle's counters), so the page cache keeps its pages (keepsPages); the
  // session cache is emptied for the member directly by logout.
  app.post('/login', { config: { keepsPages: true, rateLimit: { max: opts.loginRateLimitPerMinute, timeWindow: '1 minute' } } }, async (request, reply) => {
    const form = formFields(request.body, ['identifier', 'password', 'next'] as const);
    const next = safeRedirectPath(form.next);
    const render = (status: number, errors: Record<string, string>, formError: string | null) =>
      reply.page('auth/login', { values: { identifier: form.identifier }, errors, next, formError }, { title: request.t('auth.login.title'), status });
    try {
      const result = await tryForm(request.t, () => auth.login(form.identifier, form.password, request.ip));
      if (!result.ok) return render(400, result.errors, null);
      reply.setSessionCookie(result.value.token, result.value.expiresAt);
      return reply.redirect(next, 303);
    } catch (err) {
      if (err instanceof UnauthorizedError) return render(401, {}, request.t(err.messageKey));
      throw err;
    }
  });

  app.post('/logout', { config: { keepsPages: true } }, async (request, reply) => {
    if (request.session) await auth.logout(request.session.id);
    reply.clearSessionCookie();
    return reply.redirect('/', 303);
  });

  app.get('/account/password', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return reply.page('auth/password', { errors: {}, done: queryString(request.query, 'done') === '1' }, { title: request.t('auth.password.title') });
  });

  app.post('/account/password', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['currentPassword', 'newPassword'] as const);
    const result = await tryForm(request.t, () => auth.changePassword(user, form.currentPassword, form.newPassword));
    if (!result.ok) return reply.page('auth/password', { errors: result.errors, done: false }, { title: request.t('auth.password.title'), status: 400 });
    reply.setSessionCookie(result.value.token, result.value.expiresAt);
    return reply.redirect('/account/password?done=1', 303);
  });
};

export default authRoutes;
