import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, pageNumber, queryString, wantsJson, BadInputError } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { parseVoteValue } from '../../domain/qa-rules.js';
import { QUESTION_SORTS, type QuestionSort } from '../../domain/qa-types.js';
import { NotFoundError } from '../../domain/errors.js';
import { excerpt, renderMarkdown, textOfSafeHtml } from '../../markdown/render.js';
import { questionListView } from '../../presenters/questions.js';
import { answerPageCount, answerPermalink, questionPageUrl, questionUrl } from '../../services/qa/question-service.js';
import { diffText } from '../../services/qa/revision-diff.js';
import type { Located } from '../../services/qa/thread-reader.js';
import { renderThread, type ThreadExtras } from './thread-view.js';
import { timeView } from '../../presenters/time.js';
import { authorView } from '../../presenters/questions.js';
import { similarTitleLongEnough } from '../../services/search/search-service.js';
import { similarView } from '../search/view.js';
import { renderDeletedQuestion } from '../moderation/deleted-question.js';
import { tagWatchTarget, watchView, type WatchView } from '../../presenters/watch.js';
import type { WatchTarget } from '../../db/ports.js';
import { readBrowserId } from '../../http/browser-id.js';

type CommunityParams = { Params: { community: string } };
type IdParams = { Params: { id: string } };

function sortFrom(raw: string | undefined): QuestionSort {
  return (QUESTION_SORTS as readonly string[]).includes(raw ?? '') ? (raw as QuestionSort) : 'active';
}

/** Post ids are positive integers in the embedded backend; anything else is a 404 straight away. */
function postId(raw: string): string {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError('qa.postNotFound');
  return raw;
}

function hasParam(query: unknown, name: string): boolean {
  return Boolean(query) && typeof query === 'object' && Object.prototype.hasOwnProperty.call(query, name);
}

/**
 * ?page=N of a question page: undefined when there is none. Anything but a plain positive
 * number (0, -1, abc, 2.5, a repeated parameter, more digits than any thread has pages) is
 * no page at all: 404, never a quiet fallback to page 1 that would give one page many URLs.
 */
function answerPageParam(query: unknown): number | undefined {
  if (!hasParam(query, 'page')) return undefined;
  const raw = queryString(query, 'page');
  if (raw === undefined || !/^[1-9]\d{0,5}$/.test(raw)) throw new NotFoundError('qa.pageNotFound');
  return Number(raw);
}

/** The query string of a request without some of its parameters ('' when nothing is left). */
function queryWithout(url: string, names: string[]): string {
  const at = url.indexOf('?');
  if (at < 0) return '';
  const params = new URLSearchParams(url.slice(at + 1));
  for (const name of names) params.delete(name);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

const questionRoutes: FastifyPluginAsync<{ baseUrl: string; postRateLimitPerMinute: number }> = async (app, opts) => {
  const { questions, communities } = app.services;
  const support = app.services.support.service;

  /*
   * The customer-service hooks (issue 12) run after the post is saved: a failure there is
   * logged and must not turn a saved answer into an error page.
   */
  async function supportHook(request: FastifyRequest, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      request.log.error({ err }, 'support hook failed');
    }
  }
  /** The watch button's state for the signed-in member; null (no button) for visitors. */
  async function watchFor(request: FastifyRequest, type: WatchTarget, target: string, name: string, back: string): Promise<WatchView | null> {
    if (!request.user) return null;
    return watchView(type, target, await app.services.notifications.isWatching(request.user, type, target), name, back);
  }
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };
  // A list's page and order are part of the page; ?joined=1 (a one-time message) is not cached.
  const listCache = { query: ['sort', 'page'] };

  async function renderList(request: FastifyRequest, reply: FastifyReply, slug: string, tag?: string) {
    const sort = sortFrom(queryString(request.query, 'sort'));
    const list = await questions.listQuestions(slug, request.user, { sort, tag, page: pageNumber(queryString(request.query, 'page')) });
    const staff = await communities.staff(list.community.id);
    const c = list.community;
    return reply.page(
      'communities/show',
      {
        community: { slug: c.slug, name: c.name, kind: c.kind, url: `/c/${c.slug}`, descriptionHtml: c.descriptionHtml, memberCount: c.memberCount, questionCount: c.questionCount },
        membership: list.membership ? { role: list.membership.role } : null,
        canModerate: list.canModerate,
        staff: staff.map(({ membership, user }) => ({ username: user.username, url: `/u/${encodeURIComponent(user.username)}`, role: membership.role })),
        list: questionListView(list, request.locale),
        feedUrl: `/c/${c.slug}/feed.atom`,
        justJoined: Boolean(list.membership) && queryString(request.query, 'joined') === '1',
        supportCount: await app.services.support.queue.countFor(request.user, c),
        communityWatch: await watchFor(request, 'community', c.id, c.name, list.tag ? `/c/${c.slug}/tags/${encodeURIComponent(list.tag.name)}` : `/c/${c.slug}`),
        tagWatch: list.tag ? await watchFor(request, 'tag', tagWatchTarget(c.id, list.tag.name), list.tag.name, `/c/${c.slug}/tags/${encodeURIComponent(list.tag.name)}`) : null,
        canWriteNews: await app.services.newsletters.canWrite(request.user, c),
      },
      {
        title: list.tag ? `${list.tag.name} · ${c.name}` : c.name,
        // Plain text (the template escapes it once); cut by characters, never inside an entity.
        description: excerpt(textOfSafeHtml(c.descriptionHtml), 160),
        searchCommunity: c.slug,
        canonicalUrl: list.tag ? `/c/${c.slug}/tags/${encodeURIComponent(list.tag.name)}` : `/c/${c.slug}`,
      },
    );
  }

  app.get<CommunityParams>('/c/:community', { config: { pageCache: listCache } }, async (request, reply) => renderList(request, reply, request.params.community));

  app.get<{ Params: { community: string; tag: string } }>('/c/:community/tags/:tag', { config: { pageCache: listCache } }, async (request, reply) =>
    renderList(request, reply, request.params.community, request.params.tag),
  );

  /* ----- asking ----- */

  async function renderAsk(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    state: { values: Record<string, string>; errors: Record<string, string>; previewHtml?: string | null; similar?: unknown[] | null; similarTooShort?: boolean; joined?: string },
    status = 200,
  ) {
    const ctx = await communities.context(slug, request.user);
    const c = ctx.community;
    const promise = c.kind === 'business' ? await support.settingsFor(c.id) : null;
    return reply.page(
      'questions/ask',
      {
        community: { slug: c.slug, name: c.name, url: `/c/${c.slug}`, kind: c.kind },
        supportPromise: promise ? { targetHours: promise.targetHours, urgentHours: promise.urgentHours } : null,
        tagSuggestions: await questions.tagSuggestions(c.id),
        pageScripts: ['/static/js/tags.js'],
        isMember: Boolean(ctx.membership) || Boolean(request.user?.isAdmin),
        values: state.values,
        errors: state.errors,
        previewHtml: state.previewHtml ?? null,
        similar: state.similar ?? null,
        similarTooShort: state.similarTooShort ?? false,
        joined: state.joined ?? null,
      },
      { title: request.t('qa.ask.title'), status, searchCommunity: c.slug },
    );
  }

  app.get<CommunityParams>('/c/:community/ask', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const title = Array.from(queryString(request.query, 'title') ?? '').slice(0, 150).join('');
    return renderAsk(request, reply, request.params.community, { values: { title, body: '', tags: '' }, errors: {} });
  });

  app.post<CommunityParams>('/c/:community/ask', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['title', 'body', 'tags', 'action', 'urgent', 'urgentReason', 'news'] as const);
    const slug = request.params.community;
    // "Join" on the ask form submits the draft with it: join, then give the form back as it was.
    if (form.action === 'join') {
      const community = await communities.join(slug, user);
      // A business community asks about its news beside the Join button (off unless ticked).
      if (form.news === '1' && community.kind === 'business') await app.services.newsletters.setOptIn(user, community, true);
      return renderAsk(request, reply, slug, { values: form, errors: {}, joined: community.name });
    }
    // Checking for similar questions is a look-up, not a submission: only the title counts.
    if (form.action === 'check') {
      if (!similarTitleLongEnough(form.title)) return renderAsk(request, reply, slug, { values: form, errors: {}, similarTooShort: true });
      return renderAsk(request, reply, slug, { values: form, errors: {}, similar: await similarFor(slug, form.title) });
    }
    if (form.action === 'preview') {
      const checked = await tryForm(request.t, async () => questions.checkDraft(form));
      const previewHtml = renderMarkdown(form.body).html;
      return renderAsk(request, reply, slug, { values: form, errors: checked.ok ? {} : checked.errors, previewHtml }, checked.ok ? 200 : 400);
    }
    const result = await tryForm(request.t, async () => {
      const urgent = support.checkUrgent(form, () => questions.checkDraft(form));
      const asked = await questions.ask(user, slug, form);
      await supportHook(request, () => support.opened(asked.community, asked.question, urgent));
      return asked;
    });
    if (!result.ok) return renderAsk(request, reply, slug, { values: form, errors: result.errors }, 400);
    app.services.support.selfService.record('question_posted', readBrowserId(request), result.value.community.id, request.log);
    return reply.redirect(questionUrl(result.value.community.slug, result.value.question), 303);
  });

  /** Likely duplicates for the no-JS "check similar questions" step. */
  async function similarFor(slug: string, title: string): Promise<unknown[]> {
    const community = await communities.getBySlug(slug);
    const found = await app.services.search.similarQuestions(community.id, title, 5);
    // A question with a staff answer carries the company's badge here as in search results (issue 12).
    return similarView(found, await app.services.support.staff.questionsAnsweredByStaff(community, found.flatMap((s) => (s.kind === 'question' && s.questionId ? [s.questionId] : []))));
  }

  /** Markdown preview for the live preview script (same renderer as saving). */
  app.post('/preview', { config: postLimit }, async (request, reply) => {
    requireUser(request);
    const form = formFields(request.body, ['body'] as const);
    if (form.body.length > 30_000) throw new BadInputError();
    return reply.send({ html: renderMarkdown(form.body).html });
  });

  /* ----- reading ----- */

  /** A question page, or its form coming back with messages (400). */
  function renderQuestion(request: FastifyRequest, reply: FastifyReply, located: Located, pageNumber: number, extra: ThreadExtras = {}) {
    return renderThread(app, request, reply, located, pageNumber, opts.baseUrl, extra);
  }

  app.get<{ Params: { community: string; id: string; slug?: string } }>('/c/:community/q/:id/:slug?', { config: { pageCache: { query: ['page'] } } }, async (request, reply) => {
    const located = await app.services.threads.locate(postId(request.params.id)).catch(async (err: unknown) => {
      // A deleted question is still there for its author and the moderators (issue 13).
      const deleted = err instanceof NotFoundError ? await app.services.moderation.deletedQuestionFor(request.user, request.params.id) : null;
      if (!deleted) throw err;
      return deleted;
    });
    if ('state' in located) return renderDeletedQuestion(request, reply, located);
    const { community, question } = located;
    // ?a=<answer id>: a link to an answer (search results, FAQ sources) goes to the page that
    // holds it now. Not permanent (302): votes move answers between pages.
    if (hasParam(request.query, 'a')) {
      const answerId = postId(queryString(request.query, 'a') ?? '');
      const page = await questions.answerPage(question.id, answerId);
      // A visit that starts on a later page is counted here, as page 1 counts its own.
      if (page !== null && page > 1) questions.countView(question.id);
      return reply.redirect(page === null ? questionUrl(community.slug, question) : `${questionPageUrl(community.slug, question, page)}#a${answerId}`, 302);
    }
    const requestedPage = answerPageParam(request.query);
    const pageNumber = requestedPage ?? 1;
    // Past the last page is a 404 before any redirect, so that no redirect leads to a 404.
    if (pageNumber > answerPageCount(question.answerCount)) throw new NotFoundError('qa.pageNotFound');
    const canonical = questionUrl(community.slug, question);
    const requested = `/c/${request.params.community}/q/${request.params.id}/${encodeURIComponent(request.params.slug ?? '')}`;
    // Page 1 has one URL, the question's own: ?page=1 and outdated slugs redirect to it (and
    // a later page keeps its ?page=N, with any other parameters).
    if (requested !== canonical || requestedPage === 1) {
      return reply.redirect(canonical + queryWithout(request.url, requestedPage === 1 ? ['page'] : []), 301);
    }
    // One visit, one view: paging through a long thread is not a new visit for each page.
    // Counted for pages served from the anonymous page cache too.
    if (pageNumber === 1) reply.onEveryServe(() => questions.countView(question.id));
    // Opened from the similar-questions box of the ask page (self-service metric, issue 12).
    if (queryString(request.query, 'from') === 'similar') app.services.support.selfService.record('similar_click', readBrowserId(request), community.id, request.log);
    return renderQuestion(request, reply, located, pageNumber);
  });

  /* ----- writing ----- */

  app.post<IdParams>('/q/:id/answers', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['body'] as const);
    const id = postId(request.params.id);
    const result = await tryForm(request.t, () => questions.answer(user, id, form.body));
    if (!result.ok) {
      // The form is on every page; the first page shows it with its messages.
      return renderQuestion(request, reply, await questions.locate(id), 1, { answerForm: { body: form.body, errors: result.errors }, status: 400 });
    }
    const { community, question, answer } = result.value;
    await supportHook(request, () => support.afterReply(user, question, 'answer'));
    return reply.redirect(await questions.answerUrl(community.slug, question, answer.id), 303);
  });

  app.post<IdParams>('/posts/:id/vote', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['value'] as const);
    const value = parseVoteValue(form.value);
    if (value === null) throw new BadInputError();
    const result = await questions.vote(user, postId(request.params.id), value);
    if (wantsJson(request.headers.accept)) return reply.send({ postId: result.post.id, score: result.score, value: result.value });
    const back = result.post.type === 'answer' ? await questions.answerUrl(result.community.slug, result.question, result.post.id) : questionUrl(result.community.slug, result.question);
    return reply.redirect(back, 303);
  });

  app.post<IdParams>('/q/:id/accept', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['answerId'] as const);
    const result = await questions.accept(user, postId(request.params.id), postId(form.answerId));
    await supportHook(request, () => support.afterAccept(user, result.question, result.accepted));
    if (wantsJson(request.headers.accept)) return reply.send({ accepted: result.accepted, answerId: form.answerId });
    // Accepting moves the answer to the top of page 1; withdrawing sends it back to its place.
    return reply.redirect(await questions.answerUrl(result.community.slug, result.question, form.answerId), 303);
  });

  app.post<IdParams>('/posts/:id/comments', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['comment'] as const);
    const id = postId(request.params.id);
    const result = await tryForm(request.t, () => questions.comment(user, id, form.comment));
    if (!result.ok) {
      const post = await questions.requirePost(id);
      const question = post.type === 'question' ? post : await questions.requireQuestion(post.questionId);
      // The message shows under the post it is about, so on the page that holds that answer.
      const pageNumber = post.type === 'answer' ? ((await questions.answerPage(question.id, post.id)) ?? 1) : 1;
      return renderQuestion(request, reply, await questions.locate(question.id), pageNumber, { commentError: { postId: id, message: result.errors.comment, value: form.comment }, status: 400 });
    }
    const { community, question, post, comment } = result.value;
    await supportHook(request, () => support.afterReply(user, question, 'comment'));
    const back = post.type === 'answer' ? await questions.answerUrl(community.slug, question, post.id) : `${questionUrl(community.slug, question)}#comment-${comment.id}`;
    return reply.redirect(back, 303);
  });

  /* ----- editing and history ----- */

  async function renderEdit(request: FastifyRequest, reply: FastifyReply, id: string, state: { values?: Record<string, string>; errors?: Record<string, string>; previewHtml?: string | null }, status = 200) {
    const user = requireUser(request);
    const { post, question, community } = await questions.editable(user, id);
    const values = state.values ?? { title: question.title, body: post.bodyMd, tags: question.tags.join(' '), reason: '' };
    return reply.page(
      'questions/edit',
      {
        post: { id: post.id, type: post.type, url: `/posts/${post.id}/edit` },
        question: { title: question.title, url: post.type === 'answer' ? answerPermalink(community.slug, question, post.id) : questionUrl(community.slug, question) },
        community: { name: community.name, url: `/c/${community.slug}` },
        values,
        errors: state.errors ?? {},
        previewHtml: state.previewHtml ?? null,
      },
      { title: request.t('qa.edit.title'), status },
    );
  }

  app.get<IdParams>('/posts/:id/edit', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderEdit(request, reply, postId(request.params.id), {});
  });

  app.post<IdParams>('/posts/:id/edit', { config: postLimit }, async (request, reply) => {
    const user = requireUser(request);
    const id = postId(request.params.id);
    const form = formFields(request.body, ['title', 'body', 'tags', 'reason', 'action'] as const);
    if (form.action === 'preview') return renderEdit(request, reply, id, { values: form, previewHtml: renderMarkdown(form.body).html });
    const result = await tryForm(request.t, () => questions.edit(user, id, form));
    if (!result.ok) return renderEdit(request, reply, id, { values: form, errors: result.errors }, 400);
    const { post, question, community } = result.value;
    return reply.redirect(post.type === 'answer' ? await questions.answerUrl(community.slug, question, post.id) : questionUrl(community.slug, question), 303);
  });

  app.get<IdParams>('/posts/:id/revisions', async (request, reply) => {
    const { post, question, community, revisions, authors } = await questions.revisions(postId(request.params.id));
    const views = revisions.map((rev, i) => {
      const prev = i > 0 ? revisions[i - 1]! : null;
      return {
        revision: rev.revision,
        author: authorView(authors.get(rev.authorId)),
        at: timeView(rev.createdAt, request.locale),
        reason: rev.reason,
        titleDiff: rev.title !== null && prev && prev.title !== rev.title ? diffText(prev.title ?? '', rev.title) : null,
        tagsDiff: prev && prev.tags.join(' ') !== rev.tags.join(' ') ? diffText(prev.tags.join(' '), rev.tags.join(' ')) : null,
        bodyDiff: prev ? diffText(prev.bodyMd, rev.bodyMd) : [{ kind: 'same' as const, text: rev.bodyMd }],
        title: rev.title,
      };
    });
    return reply.page(
      'questions/revisions',
      {
        post: { id: post.id, type: post.type },
        question: { title: question.title, url: post.type === 'answer' ? answerPermalink(community.slug, question, post.id) : questionUrl(community.slug, question) },
        revisions: views.reverse(),
      },
      { title: request.t('qa.revisions.title', { title: question.title }) },
    );
  });
};

export default questionRoutes;
