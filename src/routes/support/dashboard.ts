import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { queryString } from '../../http/form.js';
import { redirectToLogin } from '../../http/guards.js';
import { dashboardTables, dashboardView, tableCsv } from '../../presenters/support-dashboard.js';
import type { Dashboard } from '../../services/support/dashboard-service.js';

type CommunityParams = { Params: { community: string } };

/** The customer-service dashboards (issue 12): per business community and site-wide. */
const supportDashboardRoutes: FastifyPluginAsync = async (app) => {
  const dashboards = app.services.support.dashboard;

  const range = (request: FastifyRequest) => {
    const from = queryString(request.query, 'from');
    const to = queryString(request.query, 'to');
    return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  };

  async function respond(request: FastifyRequest, reply: FastifyReply, d: Dashboard, baseUrl: string, title: string) {
    if (queryString(request.query, 'format') === 'csv') {
      const id = queryString(request.query, 'table');
      const table = dashboardTables(d, request.t, baseUrl).find((x) => x.id === id);
      if (!table) throw new NotFoundError();
      const scope = d.community?.slug ?? 'site';
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="support-${scope}-${table.id}-${d.range.from}-${d.range.to}.csv"`)
        .send(tableCsv(table));
    }
    const view = await dashboardView(d, request.t, baseUrl, title);
    return reply.page('support/dashboard', { ...view, community: d.community ? { name: d.community.name, url: `/c/${d.community.slug}`, queueUrl: `/c/${d.community.slug}/support` } : null }, { title });
  }

  app.get<CommunityParams>('/c/:community/support/dashboard', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const d = await dashboards.forCommunity(request.user, request.params.community, range(request));
    return respond(request, reply, d, `/c/${d.community!.slug}/support/dashboard`, request.t('support.dash.title', { community: d.community!.name }));
  });

  app.get('/admin/support', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const d = await dashboards.siteWide(request.user, range(request));
    return respond(request, reply, d, '/admin/support', request.t('support.dash.siteTitle'));
  });
};

export default supportDashboardRoutes;
