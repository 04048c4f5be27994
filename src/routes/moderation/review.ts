import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BadInputError, formFields, queryString, wantsJson } from '../../http/form.js';
import { adminPageAccess, redirectToLogin, requireUser } from '../../http/guards.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { CLOSE_REASONS, FLAG_REASONS, type ReviewSort } from '../../domain/moderation-types.js';
import { reviewItemsView } from '../../presenters/moderation.js';
import { questionUrl } from '../../services/qa/question-service.js';

type IdParams = { Params: { id: string } };

function postId(raw: string): string {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError('qa.postNotFound');
  return raw;
}

/** Flags on posts, and the review queue where moderators resolve them. */
const reviewRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { moderation } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };

  app.post<IdParams>('/posts/:id/flag', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['reason', 'text'] as const);
    try {
      const { post, question, community, hidden } = await moderation.flag(user, postId(request.params.id), form);
      if (wantsJson(request.headers.accept)) return reply.send({ flagged: true, hidden });
      const url = questionUrl(community.slug, question);
      // A post the flag just hid is gone for the flagger too: back to the thread (or its community).
      if (hidden && post.type === 'question') return reply.redirect(`/c/${community.slug}?flagged=1`, 303);
      return reply.redirect(post.type === 'answer' && !hidden ? `${url}#a${post.id}` : url, 303);
    } catch (err) {
      // The flag form is a handful of radio buttons under a post: a bad choice is a plain 400.
      if (err instanceof ValidationError) throw new BadInputError();
      throw err;
    }
  });

  async function renderQueue(request: FastifyRequest, reply: FastifyReply, slug: string | null, error = '', sortOverride?: ReviewSort) {
    const sort: ReviewSort = sortOverride ?? (queryString(request.query, 'sort') === 'most' ? 'most' : 'newest');
    const queue = await moderation.reviewQueue(request.user!, slug, sort);
    const c = queue.community;
    const base = c ? `/c/${c.slug}/review` : '/admin/review';
    return reply.page(
      'moderation/review',
      {
        site: c === null,
        nav: 'review',
        community: c ? { name: c.name, url: `/c/${c.slug}`, slug: c.slug } : null,
        canAct: queue.canAct,
        sort,
        sortUrls: { newest: base, most: `${base}?sort=most` },
        items: reviewItemsView(queue.items, request.locale),
        closeReasons: CLOSE_REASONS.filter((r) => r !== 'duplicate'),
        flagReasons: FLAG_REASONS,
        done: queryString(request.query, 'done') ?? '',
        back: base + (sort === 'most' ? '?sort=most' : ''),
        error,
      },
      { title: c ? request.t('mod.review.communityTitle', { community: c.name }) : request.t('mod.review.title'), status: error ? 400 : 200 },
    );
  }

  app.get<{ Params: { community: string } }>('/c/:community/review', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderQueue(request, reply, request.params.community);
  });

  app.get('/admin/review', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return renderQueue(request, reply, null);
  });

  app.post<IdParams>('/review/:id', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['action', 'reason', 'closeReason', 'back'] as const);
    // Only the two queue addresses are accepted as the way back.
    const m = /^\/(?:c\/([^/?#]+)\/review|admin\/review)(\?sort=most)?$/.exec(form.back);
    const back = { url: m ? form.back : '/', slug: m?.[1] ? decodeURIComponent(m[1]) : null, most: Boolean(m?.[2]) };
    try {
      const { outcome } = await moderation.review(user, postId(request.params.id), form);
      return reply.redirect(`${back.url}${back.url.includes('?') ? '&' : '?'}done=${outcome}`, 303);
    } catch (err) {
      // The queue comes back with the message at the top (the form is one of many on the page).
      if (err instanceof ValidationError) {
        const first = Object.values(err.fields)[0]!;
        return renderQueue(request, reply, back.slug, request.t(first.key, first.params), back.most ? 'most' : 'newest');
      }
      throw err;
    }
  });
};

export default reviewRoutes;
