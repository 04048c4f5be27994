import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { NotFoundError } from '../../domain/errors.js';
import { timeView } from '../../presenters/time.js';

/** Suspending and unsuspending accounts: community moderators in their communities, site admins everywhere. */
const suspensionRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { moderation } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };
  const fields = ['username', 'community', 'days', 'reason', 'postId'] as const;

  async function renderForm(request: FastifyRequest, reply: FastifyReply, values: Record<(typeof fields)[number], string>, errors: Record<string, string>, status = 200) {
    const user = requireUser(request);
    const data = await moderation.suspendForm(user, values.username);
    const names = new Map(data.communities.map((c) => [c.id, c.name]));
    return reply.page(
      'moderation/suspend',
      {
        target: { username: data.target.username, url: `/u/${encodeURIComponent(data.target.username)}` },
        communities: data.communities.map((c) => ({ slug: c.slug, name: c.name })),
        siteWide: data.siteWide,
        active: data.active.map((s) => ({
          id: s.id,
          where: s.communityId === null ? null : (names.get(s.communityId) ?? `#${s.communityId}`),
          reason: s.reason,
          until: s.endsAt === null ? null : timeView(s.endsAt, request.locale),
          canLift: s.canLift,
        })),
        values: { ...values, community: values.community || (data.siteWide ? '' : (data.communities[0]?.slug ?? '')) },
        errors,
        periods: ['1', '3', '7', '30', '365', 'permanent'],
      },
      { title: request.t('mod.suspend.title', { name: data.target.username }), status },
    );
  }

  app.get('/mod/suspend', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const username = queryString(request.query, 'user') ?? '';
    if (!username) throw new NotFoundError('user.notFound');
    const community = queryString(request.query, 'community') ?? '';
    return renderForm(request, reply, { username, community, days: '7', reason: '', postId: queryString(request.query, 'post') ?? '' }, {});
  });

  app.post('/mod/suspend', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, fields);
    const result = await tryForm(request.t, () => moderation.suspend(user, form));
    if (!result.ok) return renderForm(request, reply, form, result.errors, 400);
    return reply.redirect(`/mod/suspend?user=${encodeURIComponent(result.value.target.username)}&done=1`, 303);
  });

  app.post<{ Params: { id: string } }>('/mod/suspensions/:id/lift', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['reason'] as const);
    if (!/^[1-9]\d{0,15}$/.test(request.params.id)) throw new NotFoundError('mod.suspension.notFound');
    const { target } = await moderation.unsuspend(user, request.params.id, form.reason);
    return reply.redirect(`/mod/suspend?user=${encodeURIComponent(target.username)}`, 303);
  });
};

export default suspensionRoutes;
