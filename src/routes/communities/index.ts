import type { FastifyPluginAsync } from 'fastify';
import { requireUser } from '../../http/guards.js';
import { formFields, safeRedirectPath, wantsJson } from '../../http/form.js';

const communityRoutes: FastifyPluginAsync = async (app) => {
  const { communities, newsletters } = app.services;

  // GET /c/:community (the question list) lives in routes/questions.
  app.post<{ Params: { community: string } }>('/c/:community/join', async (request, reply) => {
    const user = requireUser(request);
    const { next, news } = formFields(request.body, ['next', 'news'] as const);
    const community = await communities.join(request.params.community, user);
    // The join form of a business community asks about its news (off unless ticked).
    if (news === '1' && community.kind === 'business') await newsletters.setOptIn(user, community, true);
    if (wantsJson(request.headers.accept)) return reply.send({ joined: true, community: community.slug });
    // Back where the Join button was (a thread: its answer form), else the community page,
    // which says so (?joined=1).
    return reply.redirect(safeRedirectPath(next, `/c/${community.slug}?joined=1`), 303);
  });

  app.post<{ Params: { community: string } }>('/c/:community/leave', async (request, reply) => {
    const user = requireUser(request);
    const community = await communities.leave(request.params.community, user);
    if (wantsJson(request.headers.accept)) return reply.send({ joined: false, community: community.slug });
    return reply.redirect(`/c/${community.slug}`, 303);
  });
};

export default communityRoutes;
