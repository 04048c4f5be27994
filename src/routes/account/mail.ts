import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { ConflictError } from '../../domain/errors.js';

/*
 * Account e-mail: the settings page (address, verification, change of address), the links
 * sent by mail (verify, confirm a new address, reset a password) and the forgotten-password
 * form. A link in a mail only shows a page with a button: mail scanners open links, and
 * only the member's own click (a POST) may use up a single-use link.
 */

type TokenParams = { Params: { token: string } };

const accountMailRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { accountMail } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };
  const SENT = ['verify', 'email'] as const;

  async function settingsPage(request: FastifyRequest, reply: FastifyReply, form: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status = 200) {
    const user = requireUser(request);
    const sentRaw = queryString(request.query, 'sent');
    return reply.page(
      'account/settings',
      {
        status: await accountMail.status(user),
        sent: status === 200 && (SENT as readonly string[]).includes(sentRaw ?? '') ? sentRaw : null,
        sentTo: status === 200 ? (queryString(request.query, 'to') ?? '').slice(0, 254) : '',
        values: form.values ?? { email: '' },
        errors: form.errors ?? {},
      },
      { title: request.t('account.settings.title'), status },
    );
  }

  app.get('/settings/account', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return settingsPage(request, reply);
  });

  app.post('/settings/account/verify', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    await accountMail.resendVerification(user, request.locale);
    return reply.redirect('/settings/account?sent=verify', 303);
  });

  app.post('/settings/account/email', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['email', 'currentPassword'] as const);
    const result = await tryForm(request.t, () => accountMail.requestEmailChange(user, form.email, form.currentPassword, request.locale));
    if (!result.ok) return settingsPage(request, reply, { values: { email: form.email }, errors: result.errors }, 400);
    return reply.redirect(`/settings/account?sent=email&to=${encodeURIComponent(result.value)}`, 303);
  });

  /* Links from mail: a confirm page, then the member's POST. */
  for (const kind of ['verify-email', 'confirm-email'] as const) {
    app.get<TokenParams>(`/${kind}/:token`, async (request, reply) =>
      reply.page('account/confirm-link', { kind, action: `/${kind}/${request.params.token}` }, { title: request.t(`account.link.${kind}.title`) }),
    );
  }

  app.post<TokenParams>('/verify-email/:token', { config: postLimit }, async (request, reply) => {
    const ok = await accountMail.verify(request.params.token);
    return reply.page('account/message', { ok, message: ok ? 'account.link.verify-email.done' : 'account.link.invalid' }, { title: request.t('account.link.verify-email.title'), status: ok ? 200 : 410 });
  });

  app.post<TokenParams>('/confirm-email/:token', { config: postLimit }, async (request, reply) => {
    try {
      const email = await accountMail.confirmEmailChange(request.params.token);
      return reply.page(
        'account/message',
        { ok: email !== null, message: email ? 'account.link.confirm-email.done' : 'account.link.invalid', params: { email: email ?? '' } },
        { title: request.t('account.link.confirm-email.title'), status: email ? 200 : 410 },
      );
    } catch (err) {
      if (err instanceof ConflictError) return reply.page('account/message', { ok: false, message: err.messageKey }, { title: request.t('account.link.confirm-email.title'), status: 409 });
      throw err;
    }
  });

  /* Forgotten password. */
  app.get('/forgot-password', async (request, reply) =>
    reply.page('account/forgot', { values: { email: '' }, errors: {}, sent: false }, { title: request.t('account.forgot.title') }),
  );

  app.post('/forgot-password', { config: postLimit }, async (request, reply) => {
    const form = formFields(request.body, ['email'] as const);
    const result = await tryForm(request.t, () => accountMail.requestReset(form.email, request.ip, request.locale));
    if (!result.ok) return reply.page('account/forgot', { values: form, errors: result.errors, sent: false }, { title: request.t('account.forgot.title'), status: 400 });
    // The same page whether or not an account has that address.
    return reply.page('account/forgot', { values: { email: '' }, errors: {}, sent: true }, { title: request.t('account.forgot.title') });
  });

  app.get<TokenParams>('/reset-password/:token', async (request, reply) => {
    if (!(await accountMail.resetUsable(request.params.token))) {
      return reply.page('account/message', { ok: false, message: 'account.link.invalid', forgot: true }, { title: request.t('account.reset.title'), status: 410 });
    }
    return reply.page('account/reset', { action: `/reset-password/${request.params.token}`, errors: {} }, { title: request.t('account.reset.title') });
  });

  app.post<TokenParams>('/reset-password/:token', { config: postLimit }, async (request, reply) => {
    const form = formFields(request.body, ['newPassword'] as const);
    const result = await tryForm(request.t, () => accountMail.reset(request.params.token, form.newPassword));
    if (!result.ok) return reply.page('account/reset', { action: `/reset-password/${request.params.token}`, errors: result.errors }, { title: request.t('account.reset.title'), status: 400 });
    if (!result.value) return reply.page('account/message', { ok: false, message: 'account.link.invalid', forgot: true }, { title: request.t('account.reset.title'), status: 410 });
    // Every session of the account has ended, this browser's included.
    reply.clearSessionCookie();
    return reply.page('account/message', { ok: true, message: 'account.reset.done', login: true }, { title: request.t('account.reset.title') });
  });
};

export default accountMailRoutes;
