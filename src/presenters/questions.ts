import type { Answer, Comment, Question, VoteValue } from '../domain/qa-types.js';
import type { AuthorProfile, Community, Locale, User } from '../domain/types.js';
import { excerpt } from '../markdown/render.js';
import { questionPageUrl, questionUrl } from '../services/qa/question-service.js';
import type { QuestionList, QuestionPage, SharedQuestionPage } from '../services/qa/question-service.js';
import { timeView } from './time.js';
import { avatarUrl } from './avatar.js';
import { NO_BADGES, type StaffBadge, type StaffBadges } from '../services/support/staff-directory.js';

export interface AuthorView {
  username: string;
  url: string;
  reputation: number;
  /** The generated avatar (views/partials/avatar.eta); null for a deleted author. */
  avatarUrl: string | null;
  /** Set when the author is staff of the business community the post is in (views/partials/staff-badge.eta). */
  staff: StaffBadge | null;
}

export function authorView(user: AuthorProfile | undefined, badges: StaffBadges = NO_BADGES): AuthorView {
  if (!user) return { username: '—', url: '#', reputation: 0, avatarUrl: null, staff: null };
  return { username: user.username, url: `/u/${encodeURIComponent(user.username)}`, reputation: user.reputation, avatarUrl: avatarUrl(user.username), staff: badges.get(user.id) ?? null };
}

export function tagUrl(communitySlug: string, tag: string): string {
  return `/c/${communitySlug}/tags/${encodeURIComponent(tag)}`;
}

export function questionRow(community: Community, q: Question, authors: ReadonlyMap<string, AuthorProfile>, locale: Locale) {
  return {
    id: q.id,
    title: q.title,
    url: questionUrl(community.slug, q),
    excerpt: excerpt(q.bodyText, 180),
    score: q.score,
    answerCount: q.answerCount,
    viewCount: q.viewCount,
    accepted: q.acceptedAnswerId !== null,
    tags: q.tags.map((t) => ({ name: t, url: tagUrl(community.slug, t) })),
    author: authorView(authors.get(q.authorId)),
    lastActivity: { ...timeView(q.lastActivityAt, locale), by: authorView(authors.get(q.lastActivityUserId ?? q.authorId)) },
  };
}

export function questionListView(list: QuestionList, locale: Locale) {
  const base = list.tag ? tagUrl(list.community.slug, list.tag.name) : `/c/${list.community.slug}`;
  const link = (sort: string, page: number) => `${base}?sort=${sort}${page > 1 ? `&page=${page}` : ''}`;
  return {
    rows: list.questions.map((q) => questionRow(list.community, q, list.authors, locale)),
    sort: list.sort,
    tabs: (['active', 'newest', 'top', 'unanswered'] as const).map((s) => ({ sort: s, url: link(s, 1), current: s === list.sort })),
    page: list.page,
    prevUrl: list.page > 1 ? link(list.sort, list.page - 1) : null,
    nextUrl: list.hasMore ? link(list.sort, list.page + 1) : null,
    tag: list.tag ? { name: list.tag.name, count: list.tag.questionCount } : null,
    popularTags: list.popularTags.map((t) => ({ name: t.name, count: t.questionCount, url: tagUrl(list.community.slug, t.name) })),
    askUrl: `/c/${list.community.slug}/ask`,
  };
}

function commentViews(comments: Comment[] | undefined, authors: ReadonlyMap<string, AuthorProfile>, locale: Locale, badges: StaffBadges) {
  return (comments ?? []).map((c) => ({ id: c.id, bodyHtml: c.bodyHtml, author: authorView(authors.get(c.authorId), badges), at: timeView(c.createdAt, locale) }));
}

function postMeta(p: Question | Answer, page: QuestionPage, viewer: User | null, locale: Locale, badges: StaffBadges) {
  const myVote: VoteValue = page.myVotes.get(p.id) ?? 0;
  return {
    id: p.id,
    bodyHtml: p.bodyHtml,
    score: p.score,
    myVote,
    canVote: Boolean(viewer && viewer.id !== p.authorId && page.canParticipate),
    // Why the vote buttons are shown disabled, so nobody is left guessing: log in, join, or own post.
    voteBlock: !viewer ? 'login' : viewer.id === p.authorId ? 'own' : !page.canParticipate ? 'join' : null,
    loginUrl: `/login?next=${encodeURIComponent(questionPageUrl(page.community.slug, page.question, page.page))}`,
    canEdit: Boolean(viewer && (viewer.id === p.authorId || page.canModerate)),
    author: authorView(page.authors.get(p.authorId), badges),
    createdAt: timeView(p.createdAt, locale),
    editedAt: p.editedAt ? timeView(p.editedAt, locale) : null,
    revisionsUrl: `/posts/${p.id}/revisions`,
    editUrl: `/posts/${p.id}/edit`,
    comments: commentViews(page.comments.get(p.id), page.authors, locale, badges),
  };
}

/** Pages shown around the current one in the answer pager; the first and last are always shown. */
const PAGER_SPREAD = 2;

export type PagerItem = { kind: 'page'; n: number; url: string; current: boolean } | { kind: 'gap' };

/**
 * The pager under a long thread's answers: previous / next and the page numbers near the
 * current one, with gaps (…) to the first and last page, as Discourse and Stack Overflow
 * do. Its links jump to the answers, since the question above them is the same on every page.
 */
export function answerPagerView(communitySlug: string, q: Pick<Question, 'id' | 'slug'>, page: number, pageCount: number) {
  if (pageCount <= 1) return null;
  const link = (n: number) => `${questionPageUrl(communitySlug, q, n)}#answers-heading`;
  const items: PagerItem[] = [];
  for (let n = 1; n <= pageCount; n++) {
    const near = Math.abs(n - page) <= PAGER_SPREAD;
    // A gap of a single page shows that page instead: "1 2 3" rather than "1 … 3".
    const bridges = (n === 2 && page - PAGER_SPREAD === 3) || (n === pageCount - 1 && page + PAGER_SPREAD === pageCount - 2);
    if (n === 1 || n === pageCount || near || bridges) items.push({ kind: 'page', n, url: link(n), current: n === page });
    else if (items[items.length - 1]?.kind !== 'gap') items.push({ kind: 'gap' });
  }
  return {
    page,
    pageCount,
    prevUrl: page > 1 ? link(page - 1) : null,
    nextUrl: page < pageCount ? link(page + 1) : null,
    items,
  };
}

export function questionPageView(page: QuestionPage, viewer: User | null, locale: Locale, badges: StaffBadges = NO_BADGES) {
  const q = page.question;
  const url = questionUrl(page.community.slug, q);
  return {
    community: { slug: page.community.slug, name: page.community.name, url: `/c/${page.community.slug}`, kind: page.community.kind },
    question: {
      ...postMeta(q, page, viewer, locale, badges),
      title: q.title,
      url,
      // This page's own URL, so that logging in to answer comes back to it.
      pageUrl: questionPageUrl(page.community.slug, q, page.page),
      tags: q.tags.map((t) => ({ name: t, url: tagUrl(page.community.slug, t) })),
      answerCount: q.answerCount,
      viewCount: q.viewCount,
      lastActivity: timeView(q.lastActivityAt, locale),
    },
    answers: page.answers.map((a) => ({
      ...postMeta(a, page, viewer, locale, badges),
      accepted: a.isAccepted,
      // Accepted by the asker or marked by a moderator (accepting is theirs alone), written by staff.
      official: a.isAccepted && badges.has(a.authorId),
      anchor: `a${a.id}`,
    })),
    pager: answerPagerView(page.community.slug, q, page.page, page.pageCount),
    canAccept: page.canAccept,
    canParticipate: page.canParticipate,
    isMember: page.membership !== null,
  };
}

/** schema.org QAPage structured data, serialised safely for a <script type="application/ld+json">. */
export function qaPageJsonLd(page: SharedQuestionPage, baseUrl: string): string {
  const q = page.question;
  const pageUrl = baseUrl + questionPageUrl(page.community.slug, q, page.page);
  const answer = (a: Answer, url: string) => ({
    '@type': 'Answer',
    text: excerpt(a.bodyText, 2000),
    upvoteCount: a.score,
    dateCreated: new Date(a.createdAt).toISOString(),
    url: `${url}#a${a.id}`,
    author: { '@type': 'Person', name: page.authors.get(a.authorId)?.username ?? '' },
  });
  // The accepted answer sorts first, so it lives on page 1 whichever page this is.
  const accepted = page.acceptedAnswer;
  const data = {
    '@context': 'https://schema.org',
    '@type': 'QAPage',
    mainEntity: {
      '@type': 'Question',
      name: q.title,
      text: excerpt(q.bodyText, 2000),
      answerCount: q.answerCount,
      upvoteCount: q.score,
      dateCreated: new Date(q.createdAt).toISOString(),
      author: { '@type': 'Person', name: page.authors.get(q.authorId)?.username ?? '' },
      ...(accepted ? { acceptedAnswer: answer(accepted, baseUrl + questionUrl(page.community.slug, q)) } : {}),
      suggestedAnswer: page.answers.filter((a) => !a.isAccepted).map((a) => answer(a, pageUrl)),
    },
  };
  // Escape '<' so user text can never close the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
