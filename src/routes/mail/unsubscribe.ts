import type { FastifyPluginAsync } from 'fastify';

/*
 * One-click unsubscribe (RFC 8058). The link in a mail opens a confirmation page (GET must
 * never unsubscribe: mail scanners follow links); the page's button, or a mail client's
 * automatic "List-Unsubscribe=One-Click" POST, unsubscribes. The signed token is the
 * authentication, so there is no login and no CSRF token: a mail client has neither.
 */
const unsubscribeRoutes: FastifyPluginAsync = async (app) => {
  const { mail } = app.services;
  const kindLabel = (t: (k: string) => string, scope: string) => t(`notify.kind.${scope}`);

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', async (request, reply) => {
    const target = await mail.unsubscribeTarget(request.params.token);
    return reply.page(
      'mail/unsubscribe',
      { done: false, all: target.scope === '*', username: target.username, kind: kindLabel(request.t, target.scope), action: `/unsubscribe/${request.params.token}` },
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
        { done: true, all: target.scope === '*', username: target.username, kind: kindLabel(request.t, target.scope), action: '' },
        { title: request.t('unsubscribe.done.title') },
      );
    },
  );
};

export default unsubscribeRoutes;
