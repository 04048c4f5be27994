import type { FastifyPluginAsync } from 'fastify';
import { queryString } from '../../http/form.js';
import { answerPermalink, questionUrl } from '../../services/qa/question-service.js';
import { dateView, timeView } from '../../presenters/time.js';
import { AVATAR_MAX_NAME, avatarSvg, avatarUrl } from '../../presenters/avatar.js';

const userRoutes: FastifyPluginAsync = async (app) => {
  // The identicon of a name. It needs no account lookup (any name has a picture), so it is
  // cacheable forever and cheap; names longer than any username are refused.
  app.get<{ Params: { file: string } }>('/avatars/:file', async (request, reply) => {
    const m = /^(.+)\.svg$/.exec(request.params.file);
    const name = m ? m[1]! : '';
    if (!name || [...name].length > AVATAR_MAX_NAME) return reply.callNotFound();
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .type('image/svg+xml; charset=utf-8')
      .send(avatarSvg(name));
  });

  app.get<{ Params: { username: string } }>('/u/:username', { config: { pageCache: {} } }, async (request, reply) => {
    const profile = await app.services.users.profile(request.params.username);
    const posts = await app.services.questions.byAuthor(profile.user.id, 20);
    const { user } = profile;
    const welcome = queryString(request.query, 'welcome') === '1' && request.user?.id === user.id;
    // Right after sign-up: the communities to join, since joining is what lets one ask and answer.
    const joined = new Set(profile.communities.map((m) => m.community.id));
    const toJoin = welcome ? (await app.services.communities.list()).filter((c) => !joined.has(c.id)) : [];
    const badges = [
      ...(user.isAdmin ? [{ role: 'admin', labelKey: 'role.admin', community: null as string | null }] : []),
      ...profile.communities
        .filter((m) => m.membership.role !== 'member')
        .map((m) => ({ role: m.membership.role, labelKey: `role.${m.membership.role}`, community: m.community.name })),
    ];
    // Posts in a business community where this person is staff carry the staff badge, as in the thread.
    const staffIn = new Map(profile.communities.filter((m) => m.membership.role === 'staff' && m.community.kind === 'business').map((m) => [m.community.id, { community: m.community.name }]));
    return reply.page(
      'users/profile',
      {
        profile: {
          username: user.username,
          displayName: user.displayName,
          reputation: user.reputation,
          joined: dateView(user.createdAt, request.locale),
          avatarUrl: avatarUrl(user.username),
          isSelf: request.user?.id === user.id,
        },
        badges,
        communities: profile.communities.map((m) => ({ name: m.community.name, url: `/c/${m.community.slug}`, role: m.membership.role, kind: m.community.kind })),
        activity: posts.flatMap(({ post, question, community }) =>
          question && community
            ? [{ kind: post.type, title: question.title, url: post.type === 'answer' ? answerPermalink(community.slug, question, post.id) : questionUrl(community.slug, question), score: post.score, at: timeView(post.createdAt, request.locale), staff: staffIn.get(community.id) ?? null }]
            : [],
        ),
        welcome,
        toJoin: toJoin.map((c) => ({ name: c.name, url: `/c/${c.slug}`, joinUrl: `/c/${c.slug}/join`, kind: c.kind })),
      },
      { title: user.username, canonicalUrl: `/u/${encodeURIComponent(user.username)}` },
    );
  });
};

export default userRoutes;
