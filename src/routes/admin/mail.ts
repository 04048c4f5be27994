import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { queryString } from '../../http/form.js';
import { adminPageAccess, redirectToLogin } from '../../http/guards.js';
import { failedEventView, mailDetailView, mailRowView } from '../../presenters/mail.js';

/*
 * /admin/mail: what the forum sent or would send (the embedded transport only writes files).
 * The HTML part is shown through /admin/mail/:id/preview in a sandboxed frame: that response
 * carries its own CSP with `sandbox` and no script source, so a mail's HTML can never run
 * script in the admin's session, even opened directly.
 */

const ID = /^[1-9]\d{0,15}$/;
const PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const adminMailRoutes: FastifyPluginAsync<{ mailDir: string; transport: 'file' | 'smtp' }> = async (app, opts) => {
  const { mail } = app.services;

  app.get('/admin/mail', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    const rawPage = queryString(request.query, 'page') ?? '1';
    if (!/^[1-9]\d{0,5}$/.test(rawPage)) throw new NotFoundError();
    const page = Number(rawPage);
    const data = await mail.adminPage(page);
    return reply.page(
      'admin/mail',
      {
        mails: data.mails.map((m) => mailRowView(m, request.locale)),
        counts: data.counts,
        events: data.events ? { counts: data.events.counts, failed: data.events.failed.map((e) => failedEventView(e, request.locale)) } : null,
        transport: opts.transport,
        mailDir: opts.mailDir,
        newer: page > 1 ? (page === 2 ? '/admin/mail' : `/admin/mail?page=${page - 1}`) : null,
        older: data.hasNext ? `/admin/mail?page=${page + 1}` : null,
      },
      { title: request.t('admin.mail.title') },
    );
  });

  app.get<{ Params: { id: string } }>('/admin/mail/:id', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    if (!ID.test(request.params.id)) throw new NotFoundError();
    const m = await mail.get(request.params.id);
    return reply.page('admin/mail-detail', { mail: mailDetailView(m, request.locale) }, { title: request.t('admin.mail.detail', { to: m.to }) });
  });

  app.get<{ Params: { id: string } }>('/admin/mail/:id/preview', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    if (!ID.test(request.params.id)) throw new NotFoundError();
    const m = await mail.get(request.params.id);
    return reply
      .header('content-security-policy', PREVIEW_CSP)
      .header('x-frame-options', 'SAMEORIGIN')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(m.html);
  });
};

export default adminMailRoutes;
