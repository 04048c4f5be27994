import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, queryString, wantsJson } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { NotFoundError } from '../../domain/errors.js';
import { CLOSE_REASONS } from '../../domain/moderation-types.js';
import { questionUrl } from '../../services/qa/question-service.js';

type IdParams = { Params: { id: string } };

function postId(raw: string): string {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError('qa.postNotFound');
  return raw;
}

/** Close, reopen, lock, unlock, delete and undelete: moderator actions on posts (POST + CSRF). */
const moderationPostRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { moderation } = app.services;
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };

  async function renderClose(request: FastifyRequest, reply: FastifyReply, id: string, state: { values: Record<string, string>; errors: Record<string, string> }, status = 200) {
    const user = requireUser(request);
    const data = await moderation.closeForm(user, id, state.values.q ?? '');
    const c = data.community;
    return reply.page(
      'moderation/close',
      {
        question: { id: data.question.id, title: data.question.title, url: questionUrl(c.slug, data.question) },
        community: { name: c.name, url: `/c/${c.slug}` },
        moderator: data.access.moderator,
        closed: data.state?.closedAt != null,
        votes: { close: data.votes.close, needed: data.settings.closeVotesNeeded, voted: data.votes.mine.includes('close') },
        reasons: CLOSE_REASONS,
        candidates: data.candidates,
        values: { reason: '', duplicateOf: '', duplicatePick: '', note: '', q: data.question.title, ...state.values },
        errors: state.errors,
      },
      { title: request.t('mod.close.title', { title: data.question.title }), status, searchCommunity: c.slug },
    );
  }

  app.get<IdParams>('/q/:id/close', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const q = queryString(request.query, 'q') ?? '';
    const reason = queryString(request.query, 'reason') ?? (q ? 'duplicate' : '');
    return renderClose(request, reply, postId(request.params.id), { values: { q, reason }, errors: {} });
  });

  app.post<IdParams>('/q/:id/close', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const id = postId(request.params.id);
    const form = formFields(request.body, ['reason', 'duplicateOf', 'duplicatePick', 'note', 'q'] as const);
    // A question picked from the search results, or one typed (id or address), which wins.
    const duplicateOf = form.duplicateOf.trim() || form.duplicatePick;
    const result = await tryForm(request.t, () => moderation.close(user, id, { ...form, duplicateOf }));
    if (!result.ok) return renderClose(request, reply, id, { values: form, errors: result.errors }, 400);
    if (wantsJson(request.headers.accept)) return reply.send({ closed: result.value.closed, votes: result.value.votes });
    return reply.redirect(questionUrl(result.value.community.slug, result.value.question), 303);
  });

  app.post<IdParams>('/q/:id/reopen', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['reason'] as const);
    const result = await moderation.reopen(user, postId(request.params.id), form.reason);
    return reply.redirect(questionUrl(result.community.slug, result.question), 303);
  });

  /** Lock, unlock, delete, undelete share one shape: a reason, then back to the thread. */
  const actions = {
    lock: moderation.lock.bind(moderation),
    unlock: moderation.unlock.bind(moderation),
    delete: moderation.softDelete.bind(moderation),
    undelete: moderation.undelete.bind(moderation),
  } as const;
  for (const [name, action] of Object.entries(actions)) {
    app.post<IdParams>(`/posts/:id/${name}`, { config: postLimit }, async (request, reply) => {
      const user = requireUser(request);
      const form = formFields(request.body, ['reason'] as const);
      const { post, question, community } = await action(user, postId(request.params.id), form.reason);
      const url = questionUrl(community.slug, question);
      return reply.redirect(post.type === 'answer' ? `${url}#a${post.id}` : url, 303);
    });
  }

  /** Where an audit row or review item points: the post's thread (deleted threads show to those who may see them). */
  app.get<IdParams>('/posts/:id/goto', async (request, reply) => {
    const post = await moderation.requirePostAny(postId(request.params.id));
    const question = post.type === 'question' ? post : await moderation.requirePostAny(post.questionId);
    if (question.type !== 'question') throw new NotFoundError('qa.postNotFound');
    const community = await moderation.community(post.communityId);
    const url = questionUrl(community.slug, question);
    return reply.redirect(post.type === 'answer' ? `${url}#a${post.id}` : url, 302);
  });
};

export default moderationPostRoutes;
