import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../http/guards.js';
import { wantsJson } from '../../http/form.js';

const communityRoutes: FastifyPluginAsync = async (app) => {
  const { communities } = app.services;

  app.get<{ Params: { community: string } }>('/c/:community', async (request, reply) => {
    const ctx = await communities.context(request.params.community, request.user);
    const staff = await communities.staff(ctx.community.id);
    const c = ctx.community;
    return reply.page(
      'communities/show',
      {
        community: {
          slug: c.slug,
          name: c.name,
          kind: c.kind,
          url: `/c/${c.slug}`,
          descriptionHtml: c.descriptionHtml,
          memberCount: c.memberCount,
          questionCount: c.questionCount,
        },
        membership: ctx.membership ? { role: ctx.membership.role } : null,
        canModerate: ctx.canModerate,
        staff: staff.map(({ membership, user }) => ({ username: user.username, url: `/u/${encodeURIComponent(user.username)}`, role: membership.role })),
      },
      { title: c.name, description: c.descriptionHtml.replace(/<[^>]+>/g, '').slice(0, 160), searchCommunity: c.slug, canonicalUrl: `/c/${c.slug}` },
    );
  });

  app.post<{ Params: { community: string } }>('/c/:community/join', async (request, reply) => {
    const user = requireUser(request);
    const community = await communities.join(request.params.community, user);
    if (wantsJson(request.headers.accept)) return reply.send({ joined: true, community: community.slug });
    return reply.redirect(`/c/${community.slug}`, 303);
  });

  app.post<{ Params: { community: string } }>('/c/:community/leave', async (request, reply) => {
    const user = requireUser(request);
    const community = await communities.leave(request.params.community, user);
    if (wantsJson(request.headers.accept)) return reply.send({ joined: false, community: community.slug });
    return reply.redirect(`/c/${community.slug}`, 303);
  });
};

export default communityRoutes;
