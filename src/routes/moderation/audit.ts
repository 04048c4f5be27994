import type { FastifyPluginAsync } from 'fastify';
import { queryString } from '../../http/form.js';
import { adminPageAccess, redirectToLogin } from '../../http/guards.js';
import { AUDIT_ACTIONS } from '../../domain/moderation-types.js';
import { auditRowsView } from '../../presenters/moderation.js';

/** The audit log: site-wide for admins (filtered), one community's for its moderators. */
const auditRoutes: FastifyPluginAsync = async (app) => {
  const { moderation } = app.services;

  app.get('/admin/moderation/log', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    const q = (name: string) => (queryString(request.query, name) ?? '').trim().slice(0, 100);
    const page = await moderation.siteAudit(request.user!, { community: q('community'), action: q('action'), actor: q('actor'), before: q('before') });
    const params = new URLSearchParams(Object.entries(page.filter).filter(([, v]) => v !== ''));
    if (page.nextBeforeId) params.set('before', page.nextBeforeId);
    return reply.page(
      'moderation/audit',
      {
        nav: 'audit',
        site: true,
        rows: auditRowsView(page, request.locale),
        filter: page.filter,
        actions: AUDIT_ACTIONS,
        olderUrl: page.nextBeforeId ? `/admin/moderation/log?${params.toString()}` : null,
      },
      { title: request.t('mod.audit.title') },
    );
  });

  app.get<{ Params: { community: string } }>('/mod/c/:community/log', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const action = (queryString(request.query, 'action') ?? '').slice(0, 50);
    const page = await moderation.communityAudit(request.user, request.params.community, { action, before: queryString(request.query, 'before') });
    const params = new URLSearchParams(page.action ? { action: page.action } : {});
    if (page.nextBeforeId) params.set('before', page.nextBeforeId);
    return reply.page(
      'moderation/audit',
      {
        site: false,
        community: { name: page.community.name, url: `/c/${page.community.slug}`, slug: page.community.slug },
        rows: auditRowsView(page, request.locale),
        filter: { action: page.action },
        actions: AUDIT_ACTIONS,
        olderUrl: page.nextBeforeId ? `/mod/c/${page.community.slug}/log?${params.toString()}` : null,
      },
      { title: request.t('mod.audit.communityTitle', { community: page.community.name }) },
    );
  });
};

export default auditRoutes;
