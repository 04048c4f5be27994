import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { InboundRefusal } from '../../services/inbound/inbound-refusal.js';

/*
 * The confirmation link of a held inbound message. GET only shows it (mail scanners follow
 * links); the POST publishes: as the account that has the sender's address, or as a new
 * account created here with that address (the link proves the mailbox, so it is verified).
 */
const inboundConfirmRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { inbound, auth } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };

  async function show(request: FastifyRequest, reply: FastifyReply, token: string, extra: { errors?: Record<string, string>; username?: string; failed?: string; status?: number } = {}) {
    const held = await inbound.confirmation(token);
    if (!held) return reply.page('inbound/confirm', { gone: true }, { title: request.t('inbound.page.goneTitle'), status: 404 });
    return reply.page(
      'inbound/confirm',
      {
        gone: false,
        action: `/inbound/confirm/${token}`,
        community: held.community.name,
        title: held.title,
        message: held.bodyMd,
        email: held.email,
        account: held.account ? held.account.username : null,
        username: extra.username ?? '',
        errors: extra.errors ?? {},
        failed: extra.failed ?? null,
      },
      { title: request.t('inbound.page.title'), status: extra.status ?? 200 },
    );
  }

  app.get<{ Params: { token: string } }>('/inbound/confirm/:token', async (request, reply) => show(request, reply, request.params.token));

  app.post<{ Params: { token: string } }>('/inbound/confirm/:token', { config: postLimit }, async (request, reply) => {
    const token = request.params.token;
    const held = await inbound.confirmation(token);
    if (!held) return show(request, reply, token);
    let user = held.account;
    if (!user) {
      const form = formFields(request.body, ['username', 'password'] as const);
      const created = await tryForm(request.t, () => auth.register({ username: form.username, email: held.email, password: form.password }));
      if (!created.ok) return show(request, reply, token, { errors: created.errors, username: form.username, status: 400 });
      user = created.value;
      const login = await auth.startSession(user);
      reply.setSessionCookie(login.token, login.expiresAt);
    }
    try {
      const published = await inbound.confirm(token, user);
      if (!published) return show(request, reply, token);
      return reply.redirect(published.url, 303);
    } catch (err) {
      if (err instanceof InboundRefusal) return reply.page('inbound/confirm', { gone: true, failed: request.t('inbound.page.failed', { reason: err.message }) }, { title: request.t('inbound.page.title'), status: 422 });
      throw err;
    }
  });
};

export default inboundConfirmRoutes;
