import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../domain/types.js';
import { qaPageJsonLd, questionPageView } from '../../presenters/questions.js';
import { questionModerationView } from '../../presenters/moderation.js';
import { promiseView, staffPanelView } from '../../presenters/support.js';
import { watchView } from '../../presenters/watch.js';
import type { QuestionModeration } from '../../services/moderation/moderation-service.js';
import { questionPageUrl, type QuestionPage, type ViewerOfPage } from '../../services/qa/question-service.js';
import { utf8Parts, type Located, type SharedThread } from '../../services/qa/thread-reader.js';
import { spliceMarker } from '../../http/html-splice.js';

// Where the page's big parts go; they are sent as kept bytes (http/html-splice.ts).
const THREAD_MARKER = spliceMarker('thread');
const JSON_LD_MARKER = spliceMarker('json-ld');

export interface ThreadExtras {
  answerForm?: { body: string; errors: Record<string, unknown> };
  commentError?: unknown;
  status?: number;
}

/**
 * Everything about the reader that the thread's HTML shows, and nothing else. Two readers
 * with the same key see the same thread byte for byte (their own CSRF token aside), so the
 * thread is rendered once for all of them: logged in or not; which of the page's posts are
 * theirs (vote buttons off, edit links, no flag form); their votes; whether they may take
 * part, moderate, accept; their close votes, flags and own deleted answers; the watch button.
 * What the thread shows of the content itself is named by the cache's generation.
 */
export function readerKey(shared: SharedThread, viewer: User | null, mine: ViewerOfPage, moderation: QuestionModeration, watching: boolean | null): string {
  const { question, answers } = shared.page;
  const posts = [question, ...answers];
  return JSON.stringify([
    viewer ? 1 : 0,
    viewer ? posts.filter((p) => p.authorId === viewer.id).map((p) => p.id) : [],
    posts.map((p) => mine.myVotes.get(p.id) ?? 0),
    mine.canParticipate,
    mine.canModerate,
    mine.canAccept,
    mine.membership !== null,
    moderation.access.moderator,
    moderation.canVoteClose,
    moderation.votes,
    moderation.deletedAnswers.map((d) => d.answer.id),
    [...moderation.flagged].sort(),
    moderation.canFlag,
    watching,
  ]);
}

/**
 * Renders a question page: the shared reads come from the thread reader, the reader's own
 * state from a few small reads, and the thread's HTML from the rendered-thread cache when
 * another reader with the same key saw it since the last write. Forms coming back with
 * messages and the support panels (the asker's and staff's own ticket details) are always
 * rendered for the one request.
 */
export async function renderThread(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  located: Located,
  pageNumber: number,
  baseUrl: string,
  extra: ThreadExtras = {},
): Promise<FastifyReply> {
  const { threads, questions, moderation, support, notifications } = app.services;
  const shared = await threads.page(located, pageNumber);
  const { community, question, answers } = shared.page;
  const viewer = request.user;
  const canonical = questionPageUrl(community.slug, question, shared.page.page);
  const mine = await questions.viewerOfPage(shared.page, viewer);
  const [modState, supportState, watching] = await Promise.all([
    moderation.viewerModeration(viewer, community, question, answers, shared.moderation, { membership: mine.membership }),
    support.service.questionState(community, question, viewer),
    viewer ? notifications.isWatching(viewer, 'question', question.id) : Promise.resolve(null),
  ]);
  const render = () => {
    const page: QuestionPage = { ...shared.page, ...mine };
    return reply.fragment('partials/question-thread', {
      ...questionPageView(page, viewer, request.locale, shared.badges),
      attributions: shared.attributions,
      answerForm: extra.answerForm ?? { body: '', errors: {} },
      supportPromise: supportState ? promiseView(supportState, request.locale) : null,
      supportPanel: supportState ? staffPanelView(supportState, question.id, request.locale) : null,
      ...(extra.commentError ? { commentError: extra.commentError } : {}),
      moderation: questionModerationView(modState, question.id, request.locale),
      watch: watching === null ? null : watchView('question', question.id, watching, question.title, canonical),
    });
  };
  const shareable = !extra.answerForm && !extra.commentError && !extra.status && supportState === null;
  const threadParts = shareable
    ? await threads.rendered(`${question.id}:${shared.page.page}:${request.locale}:${readerKey(shared, viewer, mine, modState, watching)}`, render)
    : utf8Parts(await render());
  let jsonLd = shared.memo.get('jsonLd') as Buffer | undefined;
  if (jsonLd === undefined) {
    jsonLd = Buffer.from(qaPageJsonLd(shared.page, baseUrl), 'utf8');
    shared.memo.set('jsonLd', jsonLd);
  }
  const title = shared.page.page > 1 ? request.t('qa.titleWithPage', { title: question.title, page: shared.page.page }) : question.title;
  // Cut by code points once per kept thread: Array.from walked the whole body on every response.
  let description = shared.memo.get('description') as string | undefined;
  if (description === undefined) {
    description = Array.from(question.bodyText).slice(0, 200).join('');
    shared.memo.set('description', description);
  }
  return reply.page(
    'questions/show',
    {
      thread: THREAD_MARKER,
      jsonLd: JSON_LD_MARKER,
      og: extra.status ? null : { title: question.title, description, url: baseUrl + canonical },
    },
    {
      title,
      canonicalUrl: canonical,
      description: Array.from(description).slice(0, 160).join(''),
      searchCommunity: community.slug,
      ...(extra.status ? { status: extra.status } : {}),
      // The thread is the reader's part of the page; around it the layout is the same for every
      // member (their header aside), kept between responses (plugins/views.ts).
      reuseLayout: shareable,
      splices: [
        { marker: THREAD_MARKER, parts: threadParts },
        { marker: JSON_LD_MARKER, parts: [jsonLd] },
      ],
    },
  );
}
