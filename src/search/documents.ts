import type { SearchDocument } from './port.js';

/*
 * What a search document holds for each kind, in one place for every storage backend (each
 * only reads its rows into these shapes): an answer repeats its question's title, slug, tags
 * and answer count, so a hit can show and filter by its thread; an FAQ entry counts as one
 * curated, accepted answer that ranks on its helpful votes and carries its category path.
 * Every kind carries its community's name, searchable as in the embedded engine.
 */

export interface QuestionFields {
  id: string;
  communityId: string;
  communityName: string;
  title: string;
  slug: string;
  bodyText: string;
  tags: readonly string[];
  score: number;
  answerCount: number;
  hasAcceptedAnswer: boolean;
  createdAt: number;
  lastActivityAt: number;
}

export interface AnswerFields {
  id: string;
  communityId: string;
  communityName: string;
  bodyText: string;
  score: number;
  isAccepted: boolean;
  createdAt: number;
  editedAt: number | null;
}

export interface ThreadFields {
  id: string;
  title: string;
  slug: string;
  tags: readonly string[];
  answerCount: number;
}

export interface FaqEntryFields {
  id: string;
  communityId: string;
  communityName: string;
  sourceQuestionId: string | null;
  title: string;
  slug: string;
  bodyText: string;
  helpfulYes: number;
  helpfulNo: number;
  createdAt: number;
  updatedAt: number;
}

export function questionDocument(q: QuestionFields): SearchDocument {
  return {
    kind: 'question',
    id: q.id,
    communityId: q.communityId,
    communityName: q.communityName,
    questionId: q.id,
    title: q.title,
    slug: q.slug,
    bodyText: q.bodyText,
    tags: [...q.tags],
    score: q.score,
    answerCount: q.answerCount,
    accepted: q.hasAcceptedAnswer,
    createdAt: q.createdAt,
    activeAt: q.lastActivityAt,
  };
}

export function answerDocument(a: AnswerFields, thread: ThreadFields): SearchDocument {
  return {
    kind: 'answer',
    id: a.id,
    communityId: a.communityId,
    communityName: a.communityName,
    questionId: thread.id,
    title: thread.title,
    slug: thread.slug,
    bodyText: a.bodyText,
    tags: [...thread.tags],
    score: a.score,
    answerCount: thread.answerCount,
    accepted: a.isAccepted,
    createdAt: a.createdAt,
    activeAt: a.editedAt ?? a.createdAt,
  };
}

/** `tags` are the source question's (none for an entry written directly). */
export function faqDocument(e: FaqEntryFields, faqPath: string[], tags: readonly string[]): SearchDocument {
  return {
    kind: 'faq',
    id: e.id,
    communityId: e.communityId,
    communityName: e.communityName,
    questionId: e.sourceQuestionId,
    title: e.title,
    slug: e.slug,
    bodyText: e.bodyText,
    tags: [...tags],
    score: e.helpfulYes - e.helpfulNo,
    answerCount: 1,
    accepted: true,
    createdAt: e.createdAt,
    activeAt: e.updatedAt,
    faqPath,
  };
}
