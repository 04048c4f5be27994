import type { FastifyPluginAsync } from 'fastify';
import { spliceMarker } from '../../http/html-splice.js';
import { communityCard } from '../../presenters/community.js';
import { timeView } from '../../presenters/time.js';

const BODY_MARKER = spliceMarker('home-body');

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { pageCache: {} } }, async (request, reply) => {
    const home = await app.services.home.overview(request.user);
    const view = () => ({
      interest: home.communities.filter((c) => c.kind === 'interest').map((c) => communityCard(c, home.joined.has(c.id))),
      business: home.communities.filter((c) => c.kind === 'business').map((c) => communityCard(c, home.joined.has(c.id))),
      recent: home.recent.map((a) => ({ ...a, at: timeView(a.at, request.locale) })),
    });
    const options = { title: request.t('home.title'), description: request.t('home.tagline') };
    // Visitors are served from the anonymous page cache. A member's page differs from another's
    // only in the header and in which communities say "joined": the content is rendered once
    // per language and set of joined communities and sent as kept bytes.
    if (!request.user) return reply.page('home/index', view(), options);
    const key = `${request.locale}:${[...home.joined].sort().join(',')}`;
    const body = await app.services.home.rendered(key, () => reply.fragment('partials/home-body', view()));
    return reply.page('home/index', { bodyMarker: BODY_MARKER }, { ...options, splices: [{ marker: BODY_MARKER, parts: body }] });
  });
};

export default homeRoutes;
