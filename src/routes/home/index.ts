import type { FastifyPluginAsync } from 'fastify';
import { communityCard } from '../../presenters/community.js';
import { timeView } from '../../presenters/time.js';

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { pageCache: {} } }, async (request, reply) => {
    const home = await app.services.home.overview(request.user);
    return reply.page(
      'home/index',
      {
        interest: home.communities.filter((c) => c.kind === 'interest').map((c) => communityCard(c, home.joined.has(c.id))),
        business: home.communities.filter((c) => c.kind === 'business').map((c) => communityCard(c, home.joined.has(c.id))),
        recent: home.recent.map((a) => ({ ...a, at: timeView(a.at, request.locale) })),
      },
      { title: request.t('home.title'), description: request.t('home.tagline') },
    );
  });
};

export default homeRoutes;
