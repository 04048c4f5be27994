import type { CommentRepository, MembershipRepository, PostRepository, TagRepository, UserRepository, VoteRepository, VoteResult } from '../../db/ports.js';
import type { ViewerMemberships } from '../communities/viewer-memberships.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import type { Answer, Comment, Post, Question, QuestionSort, Revision, Tag, VoteValue } from '../../domain/qa-types.js';
import type { AuthorProfile, Community, Membership, User } from '../../domain/types.js';
import { canPostIn, isModerator } from '../../domain/permissions.js';
import { checkBody, checkComment, checkReason, checkTags, checkTitle, normaliseTags } from '../../domain/qa-rules.js';
import { slugify } from '../../domain/slug.js';
import { renderMarkdown, renderPlainWithLinks } from '../../markdown/render.js';
import type { CommunityService } from '../communities/community-service.js';
import type { RecentActivityItem, RecentActivitySource } from '../home/home-service.js';
import type { ViewCounter } from './view-counter.js';
import type { QaChangeListener } from '../faq/faq-service.js';
import type { QaGate } from '../moderation/qa-gate.js';

export const QUESTIONS_PER_PAGE = 20;
const MAX_PAGE = 5000;
/** Answers on one page of a question (Stack Overflow shows 30 too). */
export const ANSWERS_PER_PAGE = 30;

/** Pages of answers a question has: at least one, which shows the question even without answers. */
export function answerPageCount(answerCount: number): number {
  return Math.max(1, Math.ceil(answerCount / ANSWERS_PER_PAGE));
}

/** The page that shows the answer with this rank (how many answers come before it). */
export function answerPageOfRank(rank: number): number {
  return Math.floor(rank / ANSWERS_PER_PAGE) + 1;
}

export interface QuestionDraft {
  title: string;
  body: string;
  tags: string;
}

export interface SharedQuestionPage {
  community: Community;
  question: Question;
  /** This page's answers only. */
  answers: Answer[];
  /** The accepted answer, also when it is not on this page (structured data names it on every page). */
  acceptedAnswer: Answer | null;
  page: number;
  pageCount: number;
  comments: Map<string, Comment[]>;
  authors: Map<string, AuthorProfile>;
}

export interface ViewerOfPage {
  myVotes: Map<string, VoteValue>;
  membership: Membership | null;
  canModerate: boolean;
  canAccept: boolean;
  canParticipate: boolean;
}

export type QuestionPage = SharedQuestionPage & ViewerOfPage;

export interface QuestionList {
  community: Community;
  questions: Question[];
  authors: Map<string, AuthorProfile>;
  hasMore: boolean;
  page: number;
  sort: QuestionSort;
  tag: Tag | null;
  popularTags: Tag[];
  membership: Membership | null;
  canModerate: boolean;
}

/**
 * Questions, answers, comments, votes, acceptance and edits: the Q&A core. Asking, answering,
 * commenting and accepting record their event in the same atomic step as the write
 * (src/db/event-port.ts); the notifications are made from it later by the event worker.
 */
export class QuestionService implements RecentActivitySource {
  constructor(
    private readonly posts: PostRepository,
    private readonly votes: VoteRepository,
    private readonly comments: CommentRepository,
    private readonly tags: TagRepository,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly communities: CommunityService,
    private readonly views: ViewCounter,
    private readonly now: () => number = Date.now,
    /** The FAQ listens for edits and votes on its source answers. */
    private readonly listener: QaChangeListener | null = null,
    /** Moderation's say before a write (closed, locked, suspended, trust limits). */
    private readonly gate: QaGate | null = null,
    /** The reader's memberships read once per request (shared with the header); else one read here. */
    private readonly viewerMemberships: ViewerMemberships | null = null,
  ) {}

  /** Validates a draft without saving; the ask form's preview and the ask action share it. */
  checkDraft(draft: QuestionDraft): { title: string; body: string; tags: string[] } {
    const title = draft.title.trim().replace(/\s+/g, ' ');
    const body = draft.body.replace(/\r\n/g, '\n');
    const tags = normaliseTags(draft.tags);
    const errors: FieldErrors = {};
    checkTitle(title, errors);
    checkBody(body, errors);
    checkTags(tags, errors);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return { title, body, tags };
  }

  private async requireParticipant(user: User, communityId: string): Promise<Membership | null> {
    const membership = await this.memberships.find(communityId, user.id);
    if (!canPostIn(user, membership)) throw new ForbiddenError('qa.joinToParticipate');
    return membership;
  }

  async ask(user: User, communitySlug: string, draft: QuestionDraft): Promise<{ community: Community; question: Question }> {
    const community = await this.communities.getBySlug(communitySlug);
    await this.requireParticipant(user, community.id);
    const { title, body, tags } = this.checkDraft(draft);
    await this.gate?.beforeAsk(user, community.id, body);
    const rendered = renderMarkdown(body);
    const question = await this.posts.createQuestion({
      communityId: community.id,
      authorId: user.id,
      title,
      slug: slugify(title),
      bodyMd: body,
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      tags,
      now: this.now(),
    }, { actorId: user.id });
    return { community, question };
  }

  async answer(user: User, questionId: string, body: string): Promise<{ question: Question; answer: Answer; community: Community }> {
    const question = await this.requireQuestion(questionId);
    await this.requireParticipant(user, question.communityId);
    const text = body.replace(/\r\n/g, '\n');
    const errors: FieldErrors = {};
    checkBody(text, errors);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await this.gate?.beforeAnswer(user, question, text);
    const rendered = renderMarkdown(text);
    const answer = await this.posts.createAnswer({ questionId: question.id, authorId: user.id, bodyMd: text, bodyHtml: rendered.html, bodyText: rendered.text, now: this.now() }, { actorId: user.id });
    const community = await this.requireCommunity(question.communityId);
    return { question, answer, community };
  }

  async comment(user: User, postId: string, body: string): Promise<{ post: Post; comment: Comment; question: Question; community: Community }> {
    const post = await this.requirePost(postId);
    await this.requireParticipant(user, post.communityId);
    const text = checkComment(body);
    const question = post.type === 'question' ? post : await this.requireQuestion(post.questionId);
    await this.gate?.beforeComment(user, post, question);
    const comment = await this.comments.add(post.id, user.id, text, renderPlainWithLinks(text), this.now(), { actorId: user.id });
    return { post, comment, question, community: await this.requireCommunity(post.communityId) };
  }

  async vote(user: User, postId: string, value: VoteValue): Promise<VoteResult & { post: Post; question: Question; community: Community }> {
    const post = await this.requirePost(postId);
    if (post.authorId === user.id) throw new ForbiddenError('qa.cannotVoteOwn');
    // Withdrawing needs no membership: someone who left must still be able to take a vote back.
    if (value !== 0) await this.requireParticipant(user, post.communityId);
    const question = post.type === 'question' ? post : await this.requireQuestion(post.questionId);
    await this.gate?.beforeVote(user, post, question, value);
    const result = await this.votes.castVote(post.id, user.id, value, this.now());
    await this.listener?.votesChanged({ ...post, score: result.score, upVotes: result.upVotes, downVotes: result.downVotes });
    return { ...result, post, question, community: await this.requireCommunity(post.communityId) };
  }

  /** The asker or a moderator accepts an answer; accepting the accepted one again withdraws it. */
  async accept(user: User, questionId: string, answerId: string): Promise<{ question: Question; community: Community; accepted: boolean }> {
    const question = await this.requireQuestion(questionId);
    const membership = await this.memberships.find(question.communityId, user.id);
    if (question.authorId !== user.id && !isModerator(user, membership)) throw new ForbiddenError('qa.onlyAskerAccepts');
    const answer = await this.posts.findPost(answerId);
    if (!answer || answer.type !== 'answer' || answer.questionId !== question.id) throw new NotFoundError('qa.answerNotFound');
    const withdraw = question.acceptedAnswerId === answer.id;
    await this.posts.setAcceptedAnswer(question.id, withdraw ? null : answer.id, this.now(), { actorId: user.id });
    return { question, community: await this.requireCommunity(question.communityId), accepted: !withdraw };
  }

  /** Authors edit their own posts; moderators edit any. Every edit is a revision. */
  async editable(user: User, postId: string): Promise<{ post: Post; question: Question; community: Community }> {
    const post = await this.requirePost(postId);
    const membership = await this.memberships.find(post.communityId, user.id);
    if (post.authorId !== user.id && !isModerator(user, membership)) throw new ForbiddenError('qa.cannotEdit');
    const question = post.type === 'question' ? post : await this.requireQuestion(post.questionId);
    return { post, question, community: await this.requireCommunity(post.communityId) };
  }

  async edit(user: User, postId: string, input: { title: string; body: string; tags: string; reason: string }): Promise<{ post: Post; question: Question; community: Community }> {
    const { post, question: thread, community } = await this.editable(user, postId);
    await this.gate?.beforeEdit(user, post, thread);
    const errors: FieldErrors = {};
    const body = input.body.replace(/\r\n/g, '\n');
    const reason = input.reason.trim();
    checkBody(body, errors);
    checkReason(reason, errors);
    let title: string | undefined;
    let tags: string[] | undefined;
    if (post.type === 'question') {
      title = input.title.trim().replace(/\s+/g, ' ');
      tags = normaliseTags(input.tags);
      checkTitle(title, errors);
      checkTags(tags, errors);
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const unchanged = body === post.bodyMd && (post.type === 'answer' || (title === post.title && tags!.join(' ') === post.tags.join(' ')));
    if (unchanged) throw new ValidationError({ body: { key: 'qa.validation.noChange' } });
    const rendered = renderMarkdown(body);
    const saved = await this.posts.editPost({
      postId: post.id,
      editorId: user.id,
      title,
      slug: title ? slugify(title) : undefined,
      tags,
      bodyMd: body,
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      reason,
      now: this.now(),
      // Editing someone else's post is a moderator action: audited (before/after) with the edit.
      ...(post.authorId !== user.id ? { audit: { reason } } : {}),
    });
    if (saved.type === 'answer') await this.listener?.answerEdited(saved);
    const question = saved.type === 'question' ? saved : await this.requireQuestion(saved.questionId);
    return { post: saved, question, community };
  }

  async revisions(postId: string): Promise<{ post: Post; question: Question; community: Community; revisions: Revision[]; authors: Map<string, AuthorProfile> }> {
    const post = await this.requirePost(postId);
    const question = post.type === 'question' ? post : await this.requireQuestion(post.questionId);
    const revisions = await this.posts.listRevisions(post.id);
    const authors = await this.authorsOf(revisions.map((r) => r.authorId));
    return { post, question, community: await this.requireCommunity(post.communityId), revisions, authors };
  }

  /** The question and its community, enough for the route to redirect before loading a page. */
  async locate(questionId: string): Promise<{ question: Question; community: Community }> {
    const question = await this.requireQuestion(questionId);
    return { question, community: await this.requireCommunity(question.communityId) };
  }

  /**
   * One page of a question: the question with its comments, and only this page's answers,
   * their comments, their authors and the viewer's votes on them. A page past the last is
   * not found (the count is the question's answer counter; a page that comes back empty
   * because fewer answers are live than counted is not found either).
   */
  async questionPage(located: { question: Question; community: Community }, viewer: User | null, page = 1): Promise<QuestionPage> {
    const shared = await this.sharedPage(located, page);
    return { ...shared, ...(await this.viewerOfPage(shared, viewer)) };
  }

  /**
   * The part of a question page that is the same for every reader: the page's answers, their
   * comments and authors, the accepted answer. Nothing here depends on who reads it, so the
   * question page may keep it while nothing is written (src/services/qa/thread-reader.ts).
   */
  async sharedPage(located: { question: Question; community: Community }, page = 1): Promise<SharedQuestionPage> {
    const { question, community } = located;
    const pageCount = answerPageCount(question.answerCount);
    if (!Number.isSafeInteger(page) || page < 1 || page > pageCount) throw new NotFoundError('qa.pageNotFound');
    const answers = await this.posts.listAnswers(question.id, { offset: (page - 1) * ANSWERS_PER_PAGE, limit: ANSWERS_PER_PAGE });
    if (page > 1 && answers.length === 0) throw new NotFoundError('qa.pageNotFound');
    const postIds = [question.id, ...answers.map((a) => a.id)];
    const onPage = answers.find((a) => a.isAccepted) ?? null;
    const [commentList, acceptedAnswer] = await Promise.all([
      question.commentCount + answers.reduce((n, a) => n + a.commentCount, 0) > 0 ? this.comments.listFor(postIds) : Promise.resolve([]),
      onPage ?? this.acceptedAnswerOf(question),
    ]);
    const comments = new Map<string, Comment[]>();
    for (const c of commentList) {
      const list = comments.get(c.postId) ?? [];
      list.push(c);
      comments.set(c.postId, list);
    }
    const authors = await this.authorsOf([
      question.authorId,
      ...answers.map((a) => a.authorId),
      ...(acceptedAnswer ? [acceptedAnswer.authorId] : []),
      ...commentList.map((c) => c.authorId),
    ]);
    return { community, question, answers, acceptedAnswer, page, pageCount, comments, authors };
  }

  /** What one reader may do on a page, and how they voted on its posts (two small indexed reads). */
  async viewerOfPage(shared: Pick<SharedQuestionPage, 'community' | 'question' | 'answers'>, viewer: User | null): Promise<ViewerOfPage> {
    const { question, community, answers } = shared;
    if (!viewer) return { myVotes: new Map(), membership: null, canModerate: false, canAccept: false, canParticipate: canPostIn(null, null) };
    const [membership, myVotes] = await Promise.all([
      this.viewerMemberships ? this.viewerMemberships.find(community.id, viewer) : this.memberships.find(community.id, viewer.id),
      this.votes.votesBy(viewer.id, [question.id, ...answers.map((a) => a.id)]),
    ]);
    const canModerate = isModerator(viewer, membership);
    return {
      myVotes,
      membership,
      canModerate,
      canAccept: viewer.id === question.authorId || canModerate,
      canParticipate: canPostIn(viewer, membership),
    };
  }

  private async acceptedAnswerOf(question: Question): Promise<Answer | null> {
    if (question.acceptedAnswerId === null) return null;
    const post = await this.posts.findPost(question.acceptedAnswerId);
    return post && post.type === 'answer' && post.questionId === question.id && post.isAccepted ? post : null;
  }

  /** The page of the question that shows this answer now, or null when it is not one of its live answers. */
  async answerPage(questionId: string, answerId: string): Promise<number | null> {
    const rank = await this.posts.answerRank(questionId, answerId);
    return rank === null ? null : answerPageOfRank(rank);
  }

  /**
   * Where to send the browser after something changed an answer (posted, voted, accepted,
   * edited, commented): the page that holds it after the change, at its anchor.
   */
  async answerUrl(communitySlug: string, question: Pick<Question, 'id' | 'slug'>, answerId: string): Promise<string> {
    const page = (await this.answerPage(question.id, answerId)) ?? 1;
    return `${questionPageUrl(communitySlug, question, page)}#a${answerId}`;
  }

  /** Counted by the route once it serves the canonical page, so a redirect is not a second view. */
  countView(questionId: string): void {
    this.views.count(questionId);
  }

  async listQuestions(communitySlug: string, viewer: User | null, options: { sort: QuestionSort; tag?: string; page: number; withBodies?: boolean }): Promise<QuestionList> {
    const ctx = await this.communities.context(communitySlug, viewer);
    const page = Math.min(Math.max(1, options.page), MAX_PAGE);
    let tag: Tag | null = null;
    if (options.tag !== undefined) {
      const name = normaliseTags(options.tag)[0];
      tag = name ? await this.tags.find(ctx.community.id, name) : null;
      if (!tag) throw new NotFoundError('qa.tagNotFound');
    }
    const rows = await this.posts.listQuestions({
      communityId: ctx.community.id,
      sort: options.sort,
      tag: tag?.name,
      offset: (page - 1) * QUESTIONS_PER_PAGE,
      limit: QUESTIONS_PER_PAGE,
      // The feed shows the bodies; the list rows only an excerpt.
      summary: !options.withBodies,
    });
    const hasMore = rows.length > QUESTIONS_PER_PAGE;
    const questions = rows.slice(0, QUESTIONS_PER_PAGE);
    const [authors, popularTags] = await Promise.all([
      this.authorsOf(questions.flatMap((q) => [q.authorId, q.lastActivityUserId ?? q.authorId])),
      this.tags.popular(ctx.community.id, 20),
    ]);
    return { community: ctx.community, questions, authors, hasMore, page, sort: options.sort, tag, popularTags, membership: ctx.membership, canModerate: ctx.canModerate };
  }

  /** The community's tags most used first, offered while typing tags (so people reuse them). */
  async tagSuggestions(communityId: string, limit = 200): Promise<Array<{ name: string; count: number }>> {
    return (await this.tags.popular(communityId, limit)).map((t) => ({ name: t.name, count: t.questionCount }));
  }

  async recentActivity(limit: number): Promise<RecentActivityItem[]> {
    const questions = await this.posts.recentQuestions(limit);
    const communities = new Map((await this.communities.list()).map((c) => [c.id, c]));
    const authors = await this.authorsOf(questions.map((q) => q.lastActivityUserId ?? q.authorId));
    return questions.flatMap((q) => {
      const c = communities.get(q.communityId);
      if (!c) return [];
      return [{
        kind: q.lastActivityKind,
        title: q.title,
        url: questionUrl(c.slug, q),
        communityName: c.name,
        communityUrl: `/c/${c.slug}`,
        authorName: authors.get(q.lastActivityUserId ?? q.authorId)?.username ?? '',
        at: q.lastActivityAt,
      } satisfies RecentActivityItem];
    });
  }

  /** Questions for the sitemap, most recently active first (a sitemap holds at most 50,000 URLs). */
  async sitemapEntries(limit: number): Promise<Array<{ id: string; slug: string; communitySlug: string; lastActivityAt: number }>> {
    const questions = await this.posts.recentQuestions(limit);
    const communities = new Map((await this.communities.list()).map((c) => [c.id, c.slug]));
    return questions.flatMap((q) => {
      const communitySlug = communities.get(q.communityId);
      return communitySlug ? [{ id: q.id, slug: q.slug, communitySlug, lastActivityAt: q.lastActivityAt }] : [];
    });
  }

  async byAuthor(userId: string, limit: number): Promise<Array<{ post: Post; question: Question | null; community: Community | null }>> {
    const posts = await this.posts.listByAuthor(userId, limit);
    const answerQuestionIds = posts.flatMap((p) => (p.type === 'answer' ? [p.questionId] : []));
    // One read for the questions of all the answers, not one per answer.
    const [communityList, questionList] = await Promise.all([this.communities.list(), this.posts.findQuestions(answerQuestionIds)]);
    const communities = new Map(communityList.map((c) => [c.id, c]));
    const questions = new Map(questionList.map((q) => [q.id, q]));
    return posts.map((post) => ({
      post,
      question: post.type === 'question' ? post : (questions.get(post.questionId) ?? null),
      community: communities.get(post.communityId) ?? null,
    }));
  }

  async requireQuestion(id: string): Promise<Question> {
    const q = await this.posts.findQuestion(id);
    if (!q) throw new NotFoundError('qa.questionNotFound');
    return q;
  }

  async requirePost(id: string): Promise<Post> {
    const p = await this.posts.findPost(id);
    if (!p) throw new NotFoundError('qa.postNotFound');
    return p;
  }

  private async requireCommunity(id: string): Promise<Community> {
    const c = await this.communities.byId(id);
    if (!c) throw new NotFoundError('community.notFound');
    return c;
  }

  /** Only what pages show of the authors: no e-mail addresses or password hashes are read for a page. */
  private async authorsOf(ids: string[]): Promise<Map<string, AuthorProfile>> {
    const users = await this.users.authorsByIds([...new Set(ids)]);
    return new Map(users.map((u) => [u.id, u]));
  }
}

export function questionUrl(communitySlug: string, q: Pick<Question, 'id' | 'slug'>): string {
  return `/c/${communitySlug}/q/${q.id}/${encodeURIComponent(q.slug)}`;
}

/** One page of a question's answers; page 1 is the question's canonical URL itself. */
export function questionPageUrl(communitySlug: string, q: Pick<Question, 'id' | 'slug'>, page: number): string {
  return questionUrl(communitySlug, q) + (page > 1 ? `?page=${page}` : '');
}

/**
 * A link to an answer that stays right while votes move it between pages: the question
 * route answers ?a=<id> with a redirect to the page that holds the answer at that moment.
 * For lists of links (search results, FAQ sources), where looking up each page costs a query.
 */
export function answerPermalink(communitySlug: string, q: Pick<Question, 'id' | 'slug'>, answerId: string): string {
  return `${questionUrl(communitySlug, q)}?a=${encodeURIComponent(answerId)}`;
}
