import type { FastifyPluginAsync } from 'fastify';

/*
 * One-click unsubscribe (RFC 8058). The link in a mail opens a confirmation page (GET must
 * never unsubscribe: mail scanners follow links); the page's button, or a mail client's
 * automatic "List-Unsubscribe=One-Click" POST, unsubscribes. The signed token is the
 * authentication, so there is no login and no CSRF token: a mail client has neither.
 */
const unsubscribeRoutes: FastifyPluginAsync = async (app) => {
  const { mail } = app.services;
  const kindLabel = (t: (k: string, p?: Record<string, string>) => string, target: { scope: string; communityName?: string }) =>
    target.scope === 'digest' ? t('digest.kind') : target.scope.startsWith('news:') ? t('news.kind', { community: target.communityName ?? '' }) : t(`notify.kind.${target.scope}`);
  // Community news is not a notification: the usual "you will still see them on the site" does not apply.
  const text = (t: (k: string, p?: Record<string, string>) => string, target: { scope: string; username: string; communityName?: string }, done: boolean) =>
    target.scope.startsWith('news:') ? t(done ? 'unsubscribe.done.news' : 'unsubscribe.confirm.news', { username: target.username, community: target.communityName ?? '' }) : null;

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const target = await mail.unsubscribeTarget(request.params.token);
    return reply.page(
      'mail/unsubscribe',
      { done: false, all: target.scope === '*', username: target.username, kind: kindLabel(request.t, target), text: text(request.t, target, false), action: `/unsubscribe/${request.params.token}` },
      { title: request.t('unsubscribe.title') },
    );
  });

  app.post<{ Params: { token: string } }>(
    '/unsubscribe/:token',
    {
      onRequest: (request, _reply, done) => {
        request.skipCsrf = true;
        done();
      },
    },
    async (request, reply) => {
      const target = await mail.unsubscribe(request.params.token);
      return reply.page(
        'mail/unsubscribe',
        { done: true, all: target.scope === '*', username: target.username, kind: kindLabel(request.t, target), text: text(request.t, target, true), action: '' },
        { title: request.t('unsubscribe.done.title') },
      );
    },
  );
};

export default unsubscribeRoutes;
