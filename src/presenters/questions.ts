import type { Answer, Comment, Question, VoteValue } from '../domain/qa-types.js';
import type { Community, Locale, User } from '../domain/types.js';
import { excerpt } from '../markdown/render.js';
import { questionUrl } from '../services/qa/question-service.js';
import type { QuestionList, QuestionPage } from '../services/qa/question-service.js';
import { timeView } from './time.js';

export interface AuthorView {
  username: string;
  url: string;
  reputation: number;
}

export function authorView(user: User | undefined): AuthorView {
  if (!user) return { username: '—', url: '#', reputation: 0 };
  return { username: user.username, url: `/u/${encodeURIComponent(user.username)}`, reputation: user.reputation };
}

export function tagUrl(communitySlug: string, tag: string): string {
  return `/c/${communitySlug}/tags/${encodeURIComponent(tag)}`;
}

export function questionRow(community: Community, q: Question, authors: Map<string, User>, locale: Locale) {
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

function commentViews(comments: Comment[] | undefined, authors: Map<string, User>, locale: Locale) {
  return (comments ?? []).map((c) => ({ id: c.id, bodyHtml: c.bodyHtml, author: authorView(authors.get(c.authorId)), at: timeView(c.createdAt, locale) }));
}

function postMeta(p: Question | Answer, page: QuestionPage, viewer: User | null, locale: Locale) {
  const myVote: VoteValue = page.myVotes.get(p.id) ?? 0;
  return {
    id: p.id,
    bodyHtml: p.bodyHtml,
    score: p.score,
    myVote,
    canVote: Boolean(viewer && viewer.id !== p.authorId && page.canParticipate),
    canEdit: Boolean(viewer && (viewer.id === p.authorId || page.canModerate)),
    author: authorView(page.authors.get(p.authorId)),
    createdAt: timeView(p.createdAt, locale),
    editedAt: p.editedAt ? timeView(p.editedAt, locale) : null,
    revisionsUrl: `/posts/${p.id}/revisions`,
    editUrl: `/posts/${p.id}/edit`,
    comments: commentViews(page.comments.get(p.id), page.authors, locale),
  };
}

export function questionPageView(page: QuestionPage, viewer: User | null, locale: Locale) {
  const q = page.question;
  const url = questionUrl(page.community.slug, q);
  return {
    community: { slug: page.community.slug, name: page.community.name, url: `/c/${page.community.slug}`, kind: page.community.kind },
    question: {
      ...postMeta(q, page, viewer, locale),
      title: q.title,
      url,
      tags: q.tags.map((t) => ({ name: t, url: tagUrl(page.community.slug, t) })),
      answerCount: q.answerCount,
      viewCount: q.viewCount,
      lastActivity: timeView(q.lastActivityAt, locale),
    },
    answers: page.answers.map((a) => ({ ...postMeta(a, page, viewer, locale), accepted: a.isAccepted, anchor: `a${a.id}` })),
    canAccept: page.canAccept,
    canParticipate: page.canParticipate,
    isMember: page.membership !== null,
  };
}

/** schema.org QAPage structured data, serialised safely for a <script type="application/ld+json">. */
export function qaPageJsonLd(page: QuestionPage, baseUrl: string): string {
  const q = page.question;
  const url = baseUrl + questionUrl(page.community.slug, q);
  const answer = (a: Answer) => ({
    '@type': 'Answer',
    text: excerpt(a.bodyText, 2000),
    upvoteCount: a.score,
    dateCreated: new Date(a.createdAt).toISOString(),
    url: `${url}#a${a.id}`,
    author: { '@type': 'Person', name: page.authors.get(a.authorId)?.username ?? '' },
  });
  const accepted = page.answers.find((a) => a.isAccepted);
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
      ...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
      suggestedAnswer: page.answers.filter((a) => !a.isAccepted).map(answer),
    },
  };
  // Escape '<' so user text can never close the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
