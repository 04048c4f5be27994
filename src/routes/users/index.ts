import type { FastifyPluginAsync } from 'fastify';
import { queryString } from '../../http/form.js';

const userRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { username: string } }>('/u/:username', async (request, reply) => {
    const profile = await app.services.users.profile(request.params.username);
    const { user } = profile;
    const badges = [
      ...(user.isAdmin ? [{ role: 'admin', labelKey: 'role.admin', community: null as string | null }] : []),
      ...profile.communities
        .filter((m) => m.membership.role !== 'member')
        .map((m) => ({ role: m.membership.role, labelKey: `role.${m.membership.role}`, community: m.community.name })),
    ];
    return reply.page(
      'users/profile',
      {
        profile: {
          username: user.username,
          displayName: user.displayName,
          reputation: user.reputation,
          joinedAt: new Date(user.createdAt).toISOString(),
          isSelf: request.user?.id === user.id,
        },
        badges,
        communities: profile.communities.map((m) => ({ name: m.community.name, url: `/c/${m.community.slug}`, role: m.membership.role, kind: m.community.kind })),
        welcome: queryString(request.query, 'welcome') === '1' && request.user?.id === user.id,
      },
      { title: user.username, canonicalUrl: `/u/${encodeURIComponent(user.username)}` },
    );
  });
};

export default userRoutes;
